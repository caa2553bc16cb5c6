//! Reading the structure a command works on, and the options every command
//! shares.

use std::fmt::Write as _;

use anyhow::{Context, Result, anyhow, bail};
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
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .context("could not read standard input")?;
            ("<stdin>".to_string(), text)
        }
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("could not read `{path}`"))?;
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
    let Some(v) = s.variant.iter().find(|v| v.id == id) else {
        let hint = boardroom::did_you_mean(id, s.variant.iter().map(|v| v.id.as_str()))
            .unwrap_or_else(|| {
                if s.variant.is_empty() {
                    "this file states no [[variant]]".to_string()
                } else {
                    let ids: Vec<&str> = s.variant.iter().map(|v| v.id.as_str()).collect();
                    format!("variants: {}", ids.join(", "))
                }
            });
        bail!("`{file}` has no variant `{id}`\n  = hint: {hint}");
    };
    let mut out = s.with_variant(v);
    let title = if out.scenario.title.is_empty() {
        "boardroom report".to_string()
    } else {
        out.scenario.title.clone()
    };
    out.scenario.title = format!("{title}, under variant `{id}`");
    stderrln!("note: {file} read under variant `{id}`: {}", v.description);
    Ok(out)
}

/// Parse `--as-of`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        format!("`{text}` is not a date ({e}); expected YYYY-MM-DD, such as 2023-11-17")
    })
}

/// The date a command works on: `--as-of`, else the structure's default.
pub fn date_or_default(s: &Structure, as_of: Option<NaiveDate>) -> Result<NaiveDate> {
    as_of
        .or_else(|| boardroom::report::default_date(s))
        .ok_or_else(|| anyhow!("the structure has no events and no `scenario.as_of`\n  = hint: pass --as-of YYYY-MM-DD"))
}

/// The state a command works on: on `--as-of`, else on the structure's
/// default date, else after every event when the structure has no date.
pub fn state_for(s: &Structure, as_of: Option<NaiveDate>) -> (Option<NaiveDate>, boardroom::State) {
    match as_of.or_else(|| boardroom::report::default_date(s)) {
        Some(d) => (Some(d), boardroom::state_as_of(s, d).0),
        None => (None, boardroom::replay(s).state),
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

/// Write `text` (and a newline when `newline`) to standard output. A reader
/// that went away (`| head`) is not an error: the command just stops.
pub fn emit(text: &str, newline: bool) -> Result<()> {
    use std::io::Write;
    // No control character from the input reaches the terminal: each but
    // a line break or a tab is shown as its symbol (ESC as ␛).
    let text = visible(text);
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
