//! How the command talks on standard error: colour (`--color`, honouring
//! `NO_COLOR`) and how much it says (`-q`, `-v`). Set once from the
//! command line, read by the `stderrln!`/`stderr!` macros.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// `--color`: the convention of cargo, ripgrep and uv.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard error is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    Always,
    Never,
}

/// How much the command says on standard error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors and warnings only.
    Quiet,
    Normal,
    /// Also what was read and how long it took.
    Verbose,
}

struct Settings {
    color: bool,
    verbosity: Verbosity,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Set from the command line, once.
pub fn configure(color: ColorChoice, quiet: bool, verbose: bool) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && std::io::stderr().is_terminal(),
    };
    let verbosity = match (quiet, verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    };
    let _ = SETTINGS.set(Settings { color, verbosity });
}

fn settings() -> &'static Settings {
    SETTINGS.get_or_init(|| Settings {
        color: false,
        verbosity: Verbosity::Normal,
    })
}

/// Whether `-q` was given.
pub fn quiet() -> bool {
    settings().verbosity == Verbosity::Quiet
}

/// Whether `-v` was given.
pub fn verbose() -> bool {
    settings().verbosity == Verbosity::Verbose
}

/// A message for standard error as it should be written: `None` when
/// `-q` silences it (anything but an error or a warning), else with its
/// `error:`, `warning:`, `note:` and `= hint:` labels coloured when colour
/// is on.
pub fn for_stderr(text: &str) -> Option<String> {
    let s = settings();
    let first = text.trim_start();
    let problem = first.starts_with("error") || first.starts_with("warning");
    if s.verbosity == Verbosity::Quiet && !problem {
        return None;
    }
    if !s.color {
        return Some(text.to_string());
    }
    const LABELS: [(&str, &str); 5] = [
        ("error:", "\x1b[1;31m"),
        ("warning:", "\x1b[1;33m"),
        ("note:", "\x1b[1;36m"),
        ("= hint:", "\x1b[1;32m"),
        ("= expected:", "\x1b[1;34m"),
    ];
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        match LABELS.iter().find(|(label, _)| rest.starts_with(label)) {
            Some((label, code)) => {
                out.push_str(&line[..indent]);
                out.push_str(code);
                out.push_str(label);
                out.push_str("\x1b[0m");
                out.push_str(&rest[label.len()..]);
            }
            None => out.push_str(line),
        }
    }
    Some(out)
}
