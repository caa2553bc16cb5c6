//! Register analysis on Apache Spark, through Spark Connect.
//!
//! The register is read here, by [`boardroom_register`], so that which
//! hops are ownership and which confer control is decided by the one
//! definition of control; its graph goes to the cluster as two tables
//! ([`tables`]), and the cluster finds every entity's ultimate owners and
//! controllers by path doubling ([`plan`]), in rounds logarithmic in the
//! longest chain, each written out before the next. The rows are the local
//! engine's (`write_ultimates`), column for column.
//!
//! The Spark client needs `protoc` to build; it is behind the `connect`
//! feature, so that the default build needs neither it nor a JVM.
//!
//! Not yet on the cluster: reading the statements (the register is read on
//! this machine, then shipped as its graph), and cycles (a graph with one
//! is refused with [`Error::Cycle`]; the local engine follows them).

pub mod plan;
pub mod tables;

#[cfg(feature = "connect")]
mod engine;
#[cfg(feature = "connect")]
pub use engine::{Engine, Output};

use std::path::PathBuf;

/// What went wrong on the way to or on the cluster.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Connect server did not answer.
    #[error(
        "could not reach the Spark Connect server at {remote}: {message}\n  hint: start one (see README, \"Spark\") or check the address, sc://HOST:PORT"
    )]
    Connect {
        /// The address tried.
        remote: String,
        /// The client's error.
        message: String,
    },
    /// A statement failed on the cluster.
    #[error("Spark failed at `{what}`: {message}")]
    Spark {
        /// The round or table.
        what: String,
        /// Spark's error.
        message: String,
    },
    /// The working directory could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Paths still grew after more rounds than a graph without cycles
    /// needs.
    #[error(
        "the register has a cycle (paths still grew after {rounds} rounds): the Spark engine does not follow cycles yet\n  hint: run the local engine (without --engine spark), which reports each cycle and follows its simple paths"
    )]
    Cycle {
        /// Rounds run.
        rounds: usize,
    },
}

/// What a run on the cluster took.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rounds {
    /// Nodes shipped.
    pub nodes: u64,
    /// Live edges shipped.
    pub edges: u64,
    /// Doubling rounds.
    pub doubling: usize,
    /// Relaxation rounds (upper bounds capped on the way).
    pub relaxation: usize,
    /// Rows written by each doubling round (its `d` and `t`): what it
    /// shuffled, roughly.
    pub shuffled: Vec<u64>,
    /// Result rows.
    pub rows: u64,
}
