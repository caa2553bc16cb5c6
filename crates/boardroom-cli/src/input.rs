//! Reading the structure a command works on, and the options every command
//! shares.

use std::fmt::Write as _;

use anyhow::{Context, Result, anyhow};
use boardroom::Structure;
use boardroom_formats::{Loaded, Located, load, scenario};
use chrono::NaiveDate;

/// A structure that failed to load: every diagnostic, already located.
#[derive(Debug)]
pub struct Malformed(pub Vec<Located>);

/// Diagnostics printed one by one; the rest are counted (`check --format
/// json` lists them all).
pub const DIAGNOSTICS_SHOWN: usize = 50;

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = self.0.iter().filter(|d| d.diagnostic.is_error()).count();
        for d in self.0.iter().take(DIAGNOSTICS_SHOWN) {
            writeln!(f, "{d}")?;
        }
        if self.0.len() > DIAGNOSTICS_SHOWN {
            writeln!(
                f,
                "... and {} more, not shown (`boardroom check FILE --format json` lists every one)",
                self.0.len() - DIAGNOSTICS_SHOWN
            )?;
        }
        write!(
            f,
            "{errors} error{} found; nothing was analysed",
            if errors == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Malformed {}

/// Print an error for the user: the whole chain, `error:` first, and a
/// structure's diagnostics as they are.
pub fn render_error(e: &anyhow::Error) -> String {
    if let Some(m) = e.downcast_ref::<Malformed>() {
        return format!("{m}\n");
    }
    let mut out = format!("error: {e}\n");
    for cause in e.chain().skip(1) {
        let _ = writeln!(out, "  caused by: {cause}");
    }
    out
}

/// The most a structure file may hold: it is read whole, and an endless
/// input (`/dev/zero`, a pipe that never closes) grew without bound.
pub const MAX_STRUCTURE_BYTES: u64 = 512 << 20;

/// All of `r`, up to [`MAX_STRUCTURE_BYTES`]; past it, an error naming
/// `name`, what was expected and a hint.
fn read_bounded(r: impl std::io::Read, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(r, MAX_STRUCTURE_BYTES + 1),
        &mut bytes,
    )?;
    if bytes.len() as u64 > MAX_STRUCTURE_BYTES {
        return Err(anyhow!(
            "`{name}` holds more than {} MiB: a structure file (parties, bodies, rules and events) is read whole, and this one is too large or does not end\n  = hint: a register of ownership statements is read in a stream by `analyse --bods` or `owners --bods`",
            MAX_STRUCTURE_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// The structure in `file`, or the embedded default when `file` is `None`.
/// `-` reads standard input.
pub fn structure(file: Option<&str>) -> Result<Structure> {
    Ok(load_file(file)?.structure)
}

/// Like [`structure`], keeping what is needed to place paths in the file.
pub fn load_file(file: Option<&str>) -> Result<Loaded> {
    let (name, text) = match file {
        None => {
            let sc = scenario("openai-2023")
                .ok_or_else(|| anyhow!("the default scenario is missing"))?;
            (format!("<embedded {}>", sc.id), sc.text.to_string())
        }
        Some("-") => {
            let bytes = read_bounded(std::io::stdin(), "<stdin>")
                .context("could not read standard input")?;
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow!(
                    "standard input is not UTF-8 text (invalid byte at offset {})\n  = hint: structure files are TOML or JSON, saved as UTF-8",
                    e.utf8_error().valid_up_to()
                )
            })?;
            ("<stdin>".to_string(), text)
        }
        Some(path) => {
            if std::path::Path::new(path).is_dir() {
                return Err(anyhow!(
                    "`{path}` is a directory\n  = hint: give a structure file (TOML or JSON); an OCF package directory is read by `import ocf`"
                ));
            }
            let file =
                std::fs::File::open(path).with_context(|| format!("could not read `{path}`"))?;
            let bytes =
                read_bounded(file, path).with_context(|| format!("could not read `{path}`"))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow!(
                    "`{path}` is not UTF-8 text (invalid byte at offset {})\n  = hint: structure files are TOML or JSON, saved as UTF-8",
                    e.utf8_error().valid_up_to()
                )
            })?;
            (path.to_string(), text)
        }
    };
    match load(&name, &text) {
        Ok(mut loaded) => {
            for w in &loaded.warnings {
                stderrln!("{w}");
            }
            if crate::output::verbose() {
                let s = &loaded.structure;
                stderrln!(
                    "note: read {name} ({} bytes): {} parties, {} bodies, {} interests, {} events, {} sources, {} variants",
                    text.len(),
                    s.party.len(),
                    s.body.len(),
                    s.interest.len(),
                    s.event.len(),
                    s.source.len(),
                    s.variant.len()
                );
            }
            if let Some(id) = variant() {
                loaded.structure = under_variant(&loaded.structure, id, &name)?;
            }
            Ok(loaded)
        }
        Err(diagnostics) => Err(Malformed(diagnostics).into()),
    }
}

/// `--variant`, once parsed: every command reads its structure under it.
static VARIANT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Sets `--variant` for the structures read from now on.
pub fn set_variant(id: String) {
    let _ = VARIANT.set(id);
}

/// The `--variant` given, if any.
pub fn variant() -> Option<&'static str> {
    VARIANT.get().map(String::as_str)
}

/// `s` under its variant `id`, its title saying so (every output that
/// shows the title shows the variant), with a note on standard error.
fn under_variant(s: &Structure, id: &str, file: &str) -> Result<Structure> {
    let out = boardroom::question::under_variant(s, id).map_err(|e| {
        asked(boardroom::question::QuestionError {
            message: format!("`{file}` has {}", e.message),
            ..e
        })
    })?;
    if let Some(v) = s.variant.iter().find(|v| v.id == id) {
        stderrln!("note: {file} read under variant `{id}`: {}", v.description);
    }
    Ok(out)
}

/// Parse `--as-of`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        format!("`{text}` is not a date ({e}); expected YYYY-MM-DD, such as 2023-11-17")
    })
}

/// The state a command works on: on `--as-of`, else on the structure's
/// default date, else after every event when the structure has no date.
pub fn state_for(s: &Structure, as_of: Option<NaiveDate>) -> (Option<NaiveDate>, boardroom::State) {
    boardroom::question::state_on(s, as_of)
}

/// A question's refusal as the command line says it: the message, then
/// the hint.
pub fn asked(e: boardroom::question::QuestionError) -> anyhow::Error {
    match e.hint {
        Some(h) => anyhow!("{}\n  = hint: {h}", e.message),
        None => anyhow!("{}", e.message),
    }
}

/// The structure and date a command looks at: a file (or the embedded
/// default) and `--as-of`.
#[derive(clap::Args, Debug, Clone)]
pub struct OnDate {
    /// A structure file (TOML or JSON); `-` for standard input. Default: the embedded scenario.
    pub file: Option<String>,
    /// The date, YYYY-MM-DD. Default: the scenario's `as_of`, else the last event's date.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

/// What a command that shows one view of the structure on a date takes:
/// the structure, the date and the output format.
#[derive(clap::Args)]
pub struct DatedView {
    #[command(flatten)]
    pub on: OnDate,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Text or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Print `value` as pretty JSON with a trailing newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).context("could not render JSON")?;
    emit(&text, true)
}

#[cfg(test)]
mod wrap_tests {
    #[test]
    fn long_lines_wrap_under_their_text_and_short_ones_stay() {
        let text = "## Findings\n  - 18 acts from 17 November 2023 to 29 November 2023: 18 valid. [3][6]\n      caveat: 12 of the 18 rest on assumptions\nshort\n";
        let out = super::wrap(text, 40);
        assert_eq!(
            out,
            "## Findings\n  - 18 acts from 17 November 2023 to 29\n    November 2023: 18 valid. [3][6]\n      caveat: 12 of the 18 rest on\n              assumptions\nshort\n"
        );
        // Nothing is lost or added but line breaks and indentation.
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(words(&out), words(text));
        // Hyphenated words and addresses stay whole.
        let url = "  [9] Fortune. https://fortune.com/2023/01/24/whos-getting-the-better-deal\n";
        assert!(
            super::wrap(url, 30)
                .contains("https://fortune.com/2023/01/24/whos-getting-the-better-deal")
        );
    }
}

/// Write `text` (and a newline when `newline`) to standard output. A reader
/// that went away (`| head`) is not an error: the command just stops.
/// Write text for people: on a terminal, each line longer than the
/// terminal is wrapped at word boundaries, its continuation indented under
/// its first word (under the text of a list item); piped or redirected, the
/// lines are left whole, for tools and files.
pub fn emit_prose(text: &str) -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return emit(text, false);
    }
    emit(&wrap(text, textwrap::termwidth().max(40)), false)
}

/// `text` with each line wrapped at `width` columns (see [`emit_prose`]).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = body.len() - body.trim_start().len();
        let rest = &body[indent..];
        let hang = if rest.starts_with("- ") {
            2
        } else {
            // Under the text after a label ("assumes: ", "2023-11-17 valid   ").
            rest.find(": ").filter(|&k| k < 24).map_or(0, |k| k + 2)
        };
        let sub = " ".repeat(indent + hang);
        let options = textwrap::Options::new(width)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .subsequent_indent(&sub);
        out.push_str(&textwrap::fill(body, options));
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

pub fn emit(text: &str, newline: bool) -> Result<()> {
    use std::io::Write;
    // No control character from the input reaches the terminal: each but
    // a line break or a tab is shown as its symbol (ESC as ␛).
    let text = visible(text);
    let nl: &[u8] = if newline { b"\n" } else { b"" };
    if crate::destination::write(text.as_bytes())? {
        crate::destination::write(nl)?;
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    let written = out.write_all(text.as_bytes()).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ClosedOutput.into()),
        other => other.context("could not write to standard output"),
    }
}

/// `text` with its control characters (but line breaks and tabs) shown
/// as the symbols of Unicode's Control Pictures block.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r');
    if !text.chars().any(hidden) {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            c if hidden(c) && (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
            '\u{7f}' => '\u{2421}',
            c if hidden(c) => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// Whether `e` comes from a reader closing standard output (`| head`).
pub fn is_closed_output(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<ClosedOutput>().is_some()
            || c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Standard output was closed by its reader.
#[derive(Debug)]
pub struct ClosedOutput;

impl std::fmt::Display for ClosedOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed")
    }
}

impl std::error::Error for ClosedOutput {}
