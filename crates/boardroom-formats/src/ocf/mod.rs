//! Open Cap Format (OCF 1.x): read a cap-table package (a manifest and the
//! files it lists), check every object against the official JSON Schema and
//! every reference against the package, replay the securities ledger into a
//! cap table on a date, and turn it into a structure.
//!
//! OCF records securities, not holdings: a security is issued once and ends
//! whole, by the one transaction that consumes it (a cancellation, a
//! transfer, a repurchase, a conversion, an exercise...). What is left of a
//! partly consumed security is a new security, named by the transaction's
//! `balance_security_id`; what a transfer or conversion produces are new
//! securities, named by `resulting_security_ids`. boardroom reads the
//! ledger that way, so each share is counted once, and says where a package
//! leaves the chain open.
//!
//! The reading is the library's: the caller hands over the package's files
//! as bytes (from a directory or a zip archive).

mod cap_table;
mod export;
mod ledger;
mod package;
mod schema;
mod structure;
mod vesting;

pub use boardroom::report::count;
pub use cap_table::{CapTable, ClassLine, HolderLine, PlanLine, Totals};
pub use export::{Exported, export};
pub use ledger::{End, Ledger, Security, SecurityKind};
pub use package::{Object, Package, read};
pub use structure::to_structure;

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The package breaks the standard or contradicts itself: figures that
    /// rest on the object are not given.
    Error,
    /// The package is readable, but a figure rests on a reading boardroom
    /// had to choose; the warning says which.
    Warning,
}

/// A problem, located in its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Problem {
    pub severity: Severity,
    /// The file, as the manifest names it (or as found in the package).
    pub file: String,
    /// The line in that file (1-based), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The object: `items[3]` and its id, or the file itself.
    pub object: String,
    /// Where in the object (a JSON pointer), when it is one field.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pointer: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        write!(f, ": {}", self.object)?;
        if !self.pointer.is_empty() {
            write!(f, " at `{}`", self.pointer)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  = hint: {h}")?;
        }
        Ok(())
    }
}

/// A package that could not be read at all: no manifest, two manifests, a
/// manifest that is not JSON.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct PackageError {
    pub message: String,
    pub hint: Option<String>,
}

/// A package read whole: its ledger, its cap table on a date, and the
/// structure made of it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub package: Package,
    pub ledger: Ledger,
    pub cap_table: CapTable,
    pub structure: boardroom::Structure,
    /// What the structure cannot carry, in words.
    pub not_carried: Vec<String>,
}

impl Imported {
    /// Every problem: the package's, then the ledger's.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.package.problems.iter().chain(&self.ledger.problems)
    }

    pub fn errors(&self) -> usize {
        self.problems()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }
}

/// Read the package in `files` and state it on `as_of` (default: the
/// manifest's `as_of`, else the latest transaction's date).
pub fn import(
    files: &std::collections::BTreeMap<String, Vec<u8>>,
    manifest: Option<&str>,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Imported, PackageError> {
    let package = read(files, manifest)?;
    let ledger = Ledger::build(&package);
    let on = as_of
        .or(package.as_of)
        .or_else(|| ledger.securities.iter().map(|s| s.date).max())
        .unwrap_or_default();
    let cap_table = CapTable::on(&package, &ledger, on).map_err(|message| PackageError {
        message,
        hint: Some(
            "the figures are listed as problems by `validate ocf`; check their units".into(),
        ),
    })?;
    let (structure, not_carried) = to_structure(&package, &ledger, &cap_table);
    Ok(Imported {
        package,
        ledger,
        cap_table,
        structure,
        not_carried,
    })
}

/// What `validate ocf` reports: every problem, located, and the cap table
/// the package adds up to.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Validation {
    /// The manifest's path within the package.
    pub manifest: String,
    /// The OCF version the manifest states.
    pub ocf_version: String,
    /// The OCF version checked against.
    pub checked_against: String,
    pub errors: usize,
    pub warnings: usize,
    pub problems: Vec<Problem>,
    /// Files in the package that the manifest does not list (not read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unlisted: Vec<String>,
    pub cap_table: CapTable,
    /// What a structure imported from the package cannot carry.
    pub not_carried: Vec<String>,
}

/// The OCF version of the embedded schema.
pub const SCHEMA_VERSION: &str = "1.2.1-alpha+main";

impl Imported {
    pub fn validation(&self) -> Validation {
        let problems: Vec<Problem> = self.problems().cloned().collect();
        Validation {
            manifest: self.package.manifest.clone(),
            ocf_version: self.package.ocf_version.clone(),
            checked_against: SCHEMA_VERSION.into(),
            errors: self.errors(),
            warnings: problems.len() - self.errors(),
            problems,
            unlisted: self.package.unlisted.clone(),
            cap_table: self.cap_table.clone(),
            not_carried: self.not_carried.clone(),
        }
    }
}
