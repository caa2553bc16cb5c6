use std::process::ExitCode;

use anyhow::{Result, bail};
use boardroom_register::{Silent, owners_report};

use crate::input::{Format, emit, print_json};
use crate::register::{Source, load};

#[derive(clap::Args)]
pub struct Args {
    /// The entity: its record id (a party id, a BODS recordId, or a LEI).
    id: String,
    /// A structure file (TOML or JSON). Default: the embedded scenario, unless --bods or --gleif.
    file: Option<String>,
    #[command(flatten)]
    source: Source,
    /// List at most this many chains.
    #[arg(long, default_value_t = 50)]
    max_chains: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let crate::register::Loaded {
        graph: g,
        analysis,
        input,
        gleif,
        structure,
        as_of,
        warnings,
    } = load(&a.source, a.file.as_deref(), &Silent)?;
    let Some(n) = g.node(&a.id) else {
        let ids: Vec<&str> = g.nodes().map(|n| g.id(n)).collect();
        let hint = boardroom::did_you_mean(&a.id, ids.iter().copied()).unwrap_or_else(|| {
            "give a record id as it appears in the data (a party id, recordId or LEI)".into()
        });
        bail!("no record has id `{}`\n  = hint: {hint}", a.id);
    };
    let mut report = owners_report(&g, &analysis, n, a.max_chains);
    if let Some(index) = &gleif {
        report = report.with_gleif(&g, &analysis, n, index);
    }
    report.as_of = as_of;
    // What the reader found odd about this entity, said with the answer.
    report.notes.extend(
        warnings
            .iter()
            .filter(|w| *w.record_id == *a.id)
            .map(|w| format!("line {}: {}", w.line, w.message)),
    );
    // A structure read on a date before its record starts (or after its
    // last fact) says what it cannot say, as `state` and `control` do.
    if let (Some(s), Some(day)) = (
        &structure,
        report.as_of.as_deref().and_then(|d| d.parse().ok()),
    ) {
        let span = boardroom::report::record_span(s, Some(day));
        report.record_starts = span.known_from.filter(|k| day < *k).map(|k| k.to_string());
        report.notes.extend(span.notes);
    }
    let Some(s) = structure else {
        match a.format {
            Format::Json => print_json(&boardroom::Envelope::bare("owners", &report))?,
            Format::Text => emit(&format!("{report}"), false)?,
        }
        return Ok(input.finish());
    };
    // A structure's hops cite the sources of the interests and boards
    // they rest on.
    let sources = boardroom_formats::bods::relationship_sources(&s);
    let assumed = report
        .as_of
        .as_deref()
        .and_then(|d| d.parse().ok())
        .map(|day| boardroom_formats::bods::assumed_relationships(&s, day))
        .unwrap_or_default();
    for chain in &mut report.chains {
        for hop in &mut chain.hops {
            hop.sources = sources.get(&hop.relationship).cloned().unwrap_or_default();
            hop.assumed = assumed.contains(&hop.relationship);
        }
    }
    // An ultimate party a chain shown reaches through an assumed hop.
    let reached: Vec<String> = report
        .chains
        .iter()
        .filter(|c| c.hops.iter().any(|h| h.assumed))
        .filter_map(|c| c.hops.last().map(|h| h.party.id.clone()))
        .collect();
    for u in &mut report.ultimate {
        u.assumed = reached.contains(&u.party.id);
    }
    match a.format {
        Format::Json => print_json(&boardroom::Envelope::new("owners", &s, &report))?,
        Format::Text => emit(
            &boardroom_formats::text::cite(&s, &format!("{report}")),
            false,
        )?,
    }
    Ok(input.finish())
}
