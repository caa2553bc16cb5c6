//! The `boardroom` command: thin glue over the library and the formats.
//! Each command lives in its own module under `cmd/`.

// A faster allocator: register-scale reading and validation allocate a
// value per statement.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Write a line to standard error. A full or closed stderr must not
/// panic (as `eprintln!` does, exit 101) nor change the exit code: the
/// line is lost, and the command's result stands.
/// `-q` silences what is not an error or a warning; `--color` colours the
/// labels (see `output`).
macro_rules! stderrln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Some(text) = crate::output::for_stderr(&format!($($arg)*)) {
            let _ = writeln!(std::io::stderr(), "{text}");
        }
    }};
}

/// [`stderrln!`] without the line end.
macro_rules! stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Some(text) = crate::output::for_stderr(&format!($($arg)*)) {
            let _ = write!(std::io::stderr(), "{text}");
        }
    }};
}

mod cmd;
mod destination;
mod input;
mod ocf_package;
mod output;
mod register;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Governance as code: replay a structure's timeline and judge each act, find
/// who controls what, measure voting power and compute who receives what; the
/// same over whole BODS and GLEIF registers. With no FILE, commands use the
/// embedded default scenario (OpenAI, November 2023).
#[derive(Parser)]
#[command(name = "boardroom", version = VERSION, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour the labels of messages on standard error: auto (on a terminal, unless NO_COLOR is set), always or never
    #[arg(long, value_enum, global = true, default_value_t = output::ColorChoice::Auto)]
    color: output::ColorChoice,
    /// Print only errors and warnings on standard error (no notes, no progress)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also say what was read and how long it took
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Write the output to this file instead of standard output (`-` is standard output). The file is replaced only when the command succeeds; a failed command leaves it as it was
    #[arg(short, long, global = true, value_name = "FILE")]
    output: Option<std::path::PathBuf>,
    /// Read the structure under one of its variants (a `[[variant]]`: other rules, seat counts or economic terms), by id. For every command that reads a structure
    #[arg(long, global = true)]
    variant: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// The full report: state on key dates, every verdict, what the
    /// verdicts assume and which change under other assumptions, who could
    /// block what, voting power, control, and who receives what.
    #[command(
        after_help = "Example:\n  boardroom report\n  boardroom report --format html > openai.html\n  boardroom report --as-of 2023-11-18 --only findings,control"
    )]
    Report(cmd::report::Args),
    /// Print an embedded scenario as a structure file to edit.
    #[command(after_help = "Example:\n  boardroom example > my-structure.toml")]
    Example(cmd::example::Args),
    /// Validate a structure file and replay its timeline. Exit 0: all acts
    /// valid; 1: some act invalid; 2: the file is malformed.
    #[command(
        after_help = "Example:\n  boardroom check my-structure.toml\n  boardroom check my-structure.toml --format json"
    )]
    Check(cmd::check::Args),
    /// The structure on a date: bodies, members, offices, interests.
    #[command(after_help = "Example:\n  boardroom state --as-of 2023-11-18")]
    State(cmd::state::Args),
    /// Every event in order, with its verdict and explanation.
    #[command(
        after_help = "Example:\n  boardroom replay\n  boardroom replay --against altman,brockman --absent sutskever"
    )]
    Replay(cmd::replay::Args),
    /// Who controls each entity, by what right, through which chain.
    #[command(after_help = "Example:\n  boardroom control --as-of 2023-11-16")]
    Control(cmd::control::Args),
    /// What changed between two dates: acts and their verdicts, seats,
    /// chairs, offices, interests, and who controls each entity.
    #[command(after_help = "Example:\n  boardroom diff --from 2023-11-16 --to 2023-11-23")]
    Diff(cmd::diff::Args),
    /// The ownership and control graph, as DOT, Mermaid, SVG or JSON, on the key event's date unless --as-of.
    #[command(
        after_help = "Example:\n  boardroom graph --format svg > openai.svg\n  boardroom graph --as-of 2023-11-16 | dot -Tsvg > before.svg"
    )]
    Graph(cmd::graph::Args),
    /// Voting power: exact power indices, minimal winning and blocking
    /// coalitions, veto players and dummies, for a weighted game or for the
    /// game a body plays for a kind of decision.
    #[command(
        after_help = "Example:\n  boardroom power --body board --decision remove-officer --as-of 2023-11-16\n  boardroom power --quota 6 --weights 4,3,2,1"
    )]
    Power(cmd::power::Args),
    /// Could a group have blocked an act?
    #[command(
        after_help = "Example:\n  boardroom block --event remove-altman-ceo --group altman,brockman"
    )]
    Block(cmd::block::Args),
    /// Who receives what: one amount, or cumulative profits with breakpoints
    /// (and an SVG chart).
    #[command(
        after_help = "Example:\n  boardroom waterfall --cumulative --to 200000000000 --svg chart.svg"
    )]
    Waterfall(cmd::waterfall::Args),
    /// Each party's integrated (look-through) economic interest in each
    /// entity, across chains and cycles: (I − W)⁻¹ W, exact where small.
    #[command(after_help = "Example:\n  boardroom lookthrough examples/bosch.toml")]
    Lookthrough(cmd::lookthrough::Args),
    /// The chains above one entity, up to its ultimate owners and
    /// controllers, with shares multiplied along each chain.
    #[command(
        after_help = "Example:\n  boardroom owners openai-global\n  boardroom owners --bods register.jsonl RECORD-ID"
    )]
    Owners(cmd::owners::Args),
    /// Every entity of a register (BODS or GLEIF): its ultimate owners and
    /// controllers, cycles and chain depths, as CSV, JSON Lines or Parquet.
    #[command(
        after_help = "Example:\n  boardroom analyse --bods register.jsonl --output owners.parquet"
    )]
    Analyse(cmd::analyse::Args),
    /// Export a structure to an interchange standard (BODS 0.4).
    #[command(after_help = "Example:\n  boardroom export bods > openai.bods.json")]
    Export(cmd::export::Args),
    /// Import an interchange file (BODS 0.4, GLEIF Level 2 or an OCF package) as a structure file.
    #[command(after_help = "Example:\n  boardroom import bods register.json > structure.toml")]
    Import(cmd::import::Args),
    /// Validate an interchange file (BODS 0.4, or an OCF package) against its standard.
    #[command(after_help = "Example:\n  boardroom validate bods register.json")]
    Validate(cmd::validate::Args),
    /// Serve a shared record over HTTP: an append-only log of structures and
    /// their events, a JSON API over every question, and a web UI.
    #[command(
        after_help = "Example:\n  boardroom serve\n  boardroom token create --name secretary --write openai-2023\n  curl -H 'Authorization: Bearer brt_...' -d @event.json localhost:8080/api/structures/openai-2023/events"
    )]
    Serve(cmd::serve::Args),
    /// Make, list and revoke the server's bearer tokens.
    #[command(
        after_help = "Example:\n  boardroom token create --name secretary --write openai-2023\n  boardroom token list\n  boardroom token revoke 3f2a9c1b04de"
    )]
    Token(cmd::token::Args),
    /// Print a JSON Schema: of structure files (the default), or of a
    /// command's JSON output (`report`, `state`, `replay`, ...).
    #[command(
        after_help = "Example:\n  boardroom schema > structure.schema.json\n  boardroom schema report"
    )]
    Schema(cmd::schema::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Example:\n  boardroom completions bash > ~/.local/share/bash-completion/completions/boardroom"
    )]
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), generated from this help.
    #[command(after_help = "Example:\n  boardroom man > boardroom.1 && man ./boardroom.1")]
    Man,
}

/// The version and the commit it was built from, for bug reports.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("BOARDROOM_COMMIT"),
    ")"
);

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    output::configure(cli.color, cli.quiet, cli.verbose);
    // `-o -` is standard output, as for most tools, not a file named `-`.
    if let Some(path) = cli.output.filter(|p| p.as_os_str() != "-") {
        destination::set(path);
    }
    if let Some(v) = cli.variant {
        let reads_a_structure = !matches!(
            cli.command,
            Command::Example(_)
                | Command::Import(_)
                | Command::Validate(_)
                | Command::Schema(_)
                | Command::Serve(_)
                | Command::Token(_)
                | Command::Completions { .. }
                | Command::Man
        );
        if !reads_a_structure {
            stderrln!(
                "error: --variant applies to the commands that read a structure file\n  = hint: remove --variant"
            );
            return ExitCode::from(2);
        }
        input::set_variant(v);
    }
    let result = match cli.command {
        Command::Report(a) => cmd::report::run(a),
        Command::Example(a) => cmd::example::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::State(a) => cmd::state::run(a),
        Command::Replay(a) => cmd::replay::run(a),
        Command::Control(a) => cmd::control::run(a),
        Command::Diff(a) => cmd::diff::run(a),
        Command::Graph(a) => cmd::graph::run(a),
        Command::Block(a) => cmd::block::run(a),
        Command::Power(a) => cmd::power::run(a),
        Command::Waterfall(a) => cmd::waterfall::run(a),
        Command::Lookthrough(a) => cmd::lookthrough::run(a),
        Command::Owners(a) => cmd::owners::run(a),
        Command::Analyse(a) => cmd::analyse::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Import(a) => cmd::import::run(a),
        Command::Validate(a) => cmd::validate::run(a),
        Command::Schema(a) => cmd::schema::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Token(a) => cmd::token::run(a),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "boardroom",
                &mut out,
            );
            input::emit(&String::from_utf8_lossy(&out), false).map(|()| ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .map_err(anyhow::Error::from)
                .and_then(|()| input::emit(&String::from_utf8_lossy(&out), false))
                .map(|()| ExitCode::SUCCESS)
        }
    };
    if output::verbose() {
        stderrln!("note: done in {} ms", started.elapsed().as_millis());
    }
    // The output file goes in place only when the command succeeded.
    let result = match result {
        Ok(code) => destination::finish(true).map(|()| code),
        Err(e) => {
            let _ = destination::finish(false);
            Err(e)
        }
    };
    match result {
        Ok(code) => code,
        // A reader that stopped reading (`| head`) is not a failure.
        Err(e) if input::is_closed_output(&e) => ExitCode::SUCCESS,
        Err(e) => {
            stderr!("{}", input::visible(&input::render_error(&e)));
            ExitCode::from(2)
        }
    }
}
