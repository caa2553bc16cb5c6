//! The `boardroom` command: thin glue over the library and the formats.
//! Each command lives in its own module under `cmd/`.

// A faster allocator: register-scale reading and validation allocate a
// value per statement.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Write a line to standard error. A full or closed stderr must not
/// panic (as `eprintln!` does, exit 101) nor change the exit code: the
/// line is lost, and the command's result stands.
macro_rules! stderrln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`stderrln!`] without the line end.
macro_rules! stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod cmd;
mod input;
mod register;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Governance as code: replay a structure's timeline and judge each act, find
/// who controls what, measure voting power and compute who receives what; the
/// same over whole BODS and GLEIF registers. With no FILE, commands use the
/// embedded default scenario (OpenAI, November 2023).
#[derive(Parser)]
#[command(name = "boardroom", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Read the structure under one of its variants (a `[[variant]]`: other rules, seat counts or economic terms), by id. For every command that reads a structure
    #[arg(long, global = true)]
    variant: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// The full report: state on key dates, every verdict, what the
    /// verdicts assume and which change under other assumptions, who could
    /// block what, voting power, control, and who receives what.
    Report(cmd::report::Args),
    /// Print an embedded scenario as a structure file to edit.
    Example(cmd::example::Args),
    /// Validate a structure file and replay its timeline. Exit 0: all acts
    /// valid; 1: some act invalid; 2: the file is malformed.
    Check(cmd::check::Args),
    /// The structure on a date: bodies, members, offices, interests.
    State(cmd::state::Args),
    /// Every event in order, with its verdict and explanation.
    Replay(cmd::replay::Args),
    /// Who controls each entity, by what right, through which chain.
    Control(cmd::control::Args),
    /// What changed between two dates: acts and their verdicts, seats,
    /// chairs, offices, interests, and who controls each entity.
    Diff(cmd::diff::Args),
    /// The ownership and control graph, as DOT, Mermaid or JSON.
    Graph(cmd::graph::Args),
    /// Voting power: exact power indices, minimal winning and blocking
    /// coalitions, veto players and dummies, for a weighted game or for the
    /// game a body plays for a kind of decision.
    Power(cmd::power::Args),
    /// Could a group have blocked an act?
    Block(cmd::block::Args),
    /// Who receives what: one amount, or cumulative profits with breakpoints
    /// (and an SVG chart).
    Waterfall(cmd::waterfall::Args),
    /// Each party's integrated (look-through) economic interest in each
    /// entity, across chains and cycles: (I − W)⁻¹ W, exact where small.
    Lookthrough(cmd::lookthrough::Args),
    /// The chains above one entity, up to its ultimate owners and
    /// controllers, with shares multiplied along each chain.
    Owners(cmd::owners::Args),
    /// Every entity of a register (BODS or GLEIF): its ultimate owners and
    /// controllers, cycles and chain depths, as CSV, JSON Lines or Parquet.
    Analyse(cmd::analyse::Args),
    /// Export a structure to an interchange standard (BODS 0.4).
    Export(cmd::export::Args),
    /// Import an interchange file (BODS 0.4 or GLEIF Level 2) as a structure file.
    Import(cmd::import::Args),
    /// Validate an interchange file (BODS 0.4) against its standard.
    Validate(cmd::validate::Args),
    /// Print a JSON Schema: of structure files (the default), or of a
    /// command's JSON output (`report`, `state`, `replay`, ...).
    Schema(cmd::schema::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(v) = cli.variant {
        let reads_a_structure = !matches!(
            cli.command,
            Command::Example(_) | Command::Import(_) | Command::Validate(_) | Command::Schema(_)
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
