//! Whole beneficial-ownership registers at scale.
//!
//! The pipeline has four phases:
//!
//! 1. [`read_statements`] streams a BODS 0.4 file (a JSON array or JSON
//!    Lines, detected) and parses it on several threads, in chunks, never
//!    holding the whole file. Damaged statements are counted, reported with
//!    their line and statementId, and skipped; a truncated file is reported.
//! 2. [`Register`] applies the statements in order (a later statement about
//!    a recordId replaces the earlier one, `closed` removes it) and builds a
//!    compact [`Graph`]: interned ids, CSR adjacency from each subject to
//!    its interested parties, exact share ranges, ownership and control
//!    flags, and one node per unspecified-party reason. GLEIF Level 2 data
//!    enters the same graph through [`GleifBuilder`].
//! 3. [`Analysis::run`] finds every node's ultimate owners and controllers
//!    with multiplied shares, path counts and depths, and every cycle;
//!    [`owners`] lists the chains above one entity.
//! 4. [`write_ultimates`] and [`write_cycles`] write CSV or JSON Lines.
//!
//! # The control rule
//!
//! Control is decided by [`boardroom::definition`], the one definition every
//! command uses, once all the relationships of a subject are read: more
//! than half of the votes (a party's shares carrying their votes where its
//! votes are not stated, within what others' stated votes leave), the
//! right to appoint a majority of the board, control by the company's
//! rules, a legal framework, a trusteeship or another interest marked as
//! control; else the subject's board, as a body (a [`NodeKind::Body`] node,
//! `SUBJECT#board`, with its directors as members), where the data names
//! directors. A senior managing official controls only with BODS's
//! fallback option ([`RegisterOptions::control`]). A majority the data
//! allows but does not fix is a may-control edge, never followed. A hop is
//! economic (ownership) when it has a `shareholding` interest (the shares of
//! several add up) or another economic interest (rights to profit, surplus
//! assets, beneficiary of a legal arrangement, unknown or unpublished
//! interests, an interest without a type, or no interests at all); a
//! missing share is unknown. A relationship that is neither (a seat, an
//! office, a contract right, a nomination) is no edge. An indirect
//! relationship with `componentRecords` stands for its components that
//! have the same subject; those are kept in the graph but not followed.
//!
//! ```
//! use boardroom_register::*;
//! let jsonl = br#"{"statementId":"s1","recordId":"c","recordType":"entity","recordDetails":{"name":"Co"}}
//! {"statementId":"s2","recordId":"p","recordType":"person","recordDetails":{"names":[{"fullName":"Ann"}]}}
//! {"statementId":"s3","recordId":"r","recordType":"relationship","recordDetails":{"subject":"c","interestedParty":"p","interests":[{"type":"shareholding","share":{"exact":60}}]}}
//! "#;
//! let (g, summary, _) = read_register(&jsonl[..], &ReadOptions::default(), &RegisterOptions::default(), &Silent).unwrap();
//! assert_eq!(summary.statements, 3);
//! let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
//! let c = g.node("c").unwrap();
//! let u = &a.ultimates(&g, c)[0];
//! assert_eq!(g.id(u.party), "p");
//! assert_eq!(u.share.to_string(), "60%");
//! assert!(u.is_controller());
//! ```

mod analysis;
mod gleif;
mod graph;
mod interner;
mod paged;
mod progress;
mod reader;
mod register;
mod report;
mod share;
mod statement;
mod writer;

pub use analysis::{
    Analysis, AnalysisOptions, BOUNDED_WORK, BOUNDED_WORK_MIN, CHAIN_HOPS_SHOWN, Chain, ChainEnd,
    Cycle, Hop, Owners, Stats, Ultimate, owners,
};
pub use gleif::{
    GleifBuilder, GleifCounts, GleifError, GleifException, GleifIndex, GleifKind, GleifProblem,
    GleifRelationship, Period, Resolution, read_exceptions, read_lei_names, read_relationships,
};
pub use graph::{
    DeclaredInterest, Edge, Graph, GraphBuilder, IdHash, Interner, NodeId, NodeKind, edge_flags,
};
pub use progress::{Bar, Lines, Progress, Silent, stderr_progress};
pub use reader::{
    Format, MAX_STATEMENT_BYTES, Problem, ProblemKind, ReadError, ReadOptions, ReadSummary,
    read_statement, read_statements,
};
pub use register::{Register, RegisterOptions, RegisterReport, Warning};
pub use report::{
    ChainView, DeclaredView, HopView, OwnersReport, PartyView, UltimateView, owners_report,
};
pub use share::ShareRange;
pub use statement::{
    Body, Directness, Interest, InterestType, PartyRef, RecordStatus, Statement, StatementError,
    parse_statement, parse_statement_by_serde,
};
pub use writer::{OutputFormat, Provenance, WriteError, write_cycles, write_ultimates};
#[cfg(feature = "arrow")]
pub use writer::{ultimates_arrow, ultimates_arrow_schema};

/// Reads a BODS file into a graph: [`read_statements`] into a [`Register`].
pub fn read_register<R: std::io::Read + Send>(
    input: R,
    read: &ReadOptions,
    register: &RegisterOptions,
    progress: &dyn Progress,
) -> Result<(Graph, ReadSummary, RegisterReport), ReadError> {
    let mut reg = Register::new(register.clone());
    let summary = read_statements(input, read, progress, |run| reg.apply_all(run))?;
    let (g, report) = reg.finish();
    Ok((g, summary, report))
}
