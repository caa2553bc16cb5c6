//! Register analysis on Apache Spark, through Spark Connect.
//!
//! A BODS register is read on the cluster ([`bucket`]): its lines are
//! numbered as in the file, routed to buckets (each subject's
//! relationships together, with the statements of every record they
//! name), and each bucket is read on an executor by
//! [`boardroom_register::Register`], from the `boardroom` Python package,
//! so that which hops are ownership and which confer control is decided
//! by the one definition of control there as here. A GLEIF file is read
//! here and its graph sent ([`tables`]). Either way the cluster holds the
//! graph as two tables, and finds every entity's ultimate owners and
//! controllers by path doubling ([`plan`]), in rounds logarithmic in the
//! longest chain, each written out before the next. The rows are the
//! local engine's (`write_ultimates`), column for column.
//!
//! The Spark client needs `protoc` to build; it is behind the `connect`
//! feature, so that the default build needs neither it nor a JVM.
//!
//! Cycles are found by reachability, doubled until it stops growing, and
//! the simple paths through each are enumerated one hop a round (as many
//! rounds as the longest simple path in a cycle), as the local engine
//! enumerates them; paths leaving a cycle then join the doubling.

pub mod bucket;
pub mod plan;
pub mod tables;

#[cfg(feature = "connect")]
mod engine;
#[cfg(feature = "connect")]
pub use engine::{ClusterRead, Engine, Output, ReadOptions};

use std::path::PathBuf;

/// What went wrong on the way to or on the cluster.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Connect server did not answer.
    #[error(
        "could not reach the Spark Connect server at {remote}: {message}\n  = hint: start one (see README, \"Spark\") or check the address, sc://HOST:PORT"
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
    /// A table could not be sent to the working directory.
    #[error(
        "could not send a table to `{dest}`: {message}\n  = hint: --work must be storage the cluster can write (s3a://..., hdfs://..., abfss://...); a local path works only for a cluster on this machine started with --conf spark.connect.copyFromLocalToFs.allowDestLocal=true (scripts/spark.sh does)"
    )]
    Upload {
        /// Where it was to go.
        dest: String,
        /// The server's answer.
        message: String,
    },
    /// The register could not be read where it was said to be.
    #[error(
        "could not read the register at `{location}`: {message}\n  = hint: give BODS 0.4 JSON Lines (one statement a line) on storage the cluster reads; a JSON array can be turned into JSON Lines with `jq -c '.[]' FILE.json > FILE.jsonl`"
    )]
    Input {
        /// Where.
        location: String,
        /// What went wrong.
        message: String,
    },
    /// The executors could not run boardroom's reader.
    #[error(
        "the cluster could not read the statements: {message}\n  = hint: install the boardroom Python package on every executor (`pip install boardroom`, or the wheel built from crates/boardroom-py), in the Python the cluster runs (`spark.pyspark.python`)"
    )]
    Reader {
        /// What went wrong.
        message: String,
    },
    /// A statement was not routed by what it names: a relationship record
    /// whose statements name different subjects (the cluster reads each
    /// subject's relationships together), or a statement whose fields the
    /// routing read otherwise than boardroom's reader.
    #[error(
        "{message}: the cluster cannot read this register as the local engine does\n  = hint: run the local engine (without --engine spark) for this register"
    )]
    Moved {
        /// Which statement, and what it names.
        message: String,
    },
    /// Two buckets read one record differently: a fault of this engine.
    #[error(
        "two buckets read the record `{record}` differently: this is a fault of the Spark engine\n  = hint: run the local engine (without --engine spark), and report the register"
    )]
    Buckets {
        /// The record.
        record: String,
    },
    /// A file here could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Paths still grew after more rounds than a graph without cycles
    /// needs, once the cycles were taken out: a fault of this engine.
    #[error(
        "paths still grew after {rounds} rounds, with the cycles taken out: this is a fault of the Spark engine\n  = hint: run the local engine (without --engine spark), and report the register"
    )]
    Cycle {
        /// Rounds run.
        rounds: usize,
    },
    /// A cycle has more simple paths than the budget allows: the local
    /// engine bounds such a cycle's lists, which this engine does not do.
    #[error(
        "a cycle has more than {budget} steps of simple paths: the local engine bounds such a cycle's lists (marked `bounded`), the Spark engine does not yet\n  = hint: run the local engine (without --engine spark) for this register"
    )]
    CycleBudget {
        /// The step budget per cycle.
        budget: u64,
    },
}

/// What a run on the cluster took.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rounds {
    /// Nodes of the graph (sent, or read on the cluster).
    pub nodes: u64,
    /// Live edges of the graph.
    pub edges: u64,
    /// Doubling rounds.
    pub doubling: usize,
    /// Relaxation rounds (upper bounds capped on the way).
    pub relaxation: usize,
    /// Reachability rounds (finding the cycles).
    pub reach: usize,
    /// Nodes on cycles.
    pub cycle_members: u64,
    /// Strongly connected components (cycles).
    pub cycles: u64,
    /// Rounds of simple paths through the cycles (one hop each).
    pub cycle_rounds: usize,
    /// Rows written by each doubling round (its `d` and `t`): what it
    /// shuffled, roughly.
    pub shuffled: Vec<u64>,
    /// Result rows.
    pub rows: u64,
}
