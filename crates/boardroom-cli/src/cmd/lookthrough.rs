use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use crate::input::{Format, emit, print_json, state_for, structure};

pub type Args = crate::input::DatedView;

pub fn run(a: Args) -> Result<ExitCode> {
    let s = structure(a.on.file.as_deref())?;
    let (date, state) = state_for(&s, a.on.as_of);
    let lt = boardroom::lookthrough(&s, &state).map_err(|e| anyhow::anyhow!("{e}"))?;
    if a.format == Format::Json {
        print_json(&boardroom::Envelope::new("lookthrough", &s, &lt))?;
        return Ok(ExitCode::SUCCESS);
    }
    let on = date.map(|d| format!(" on {d}")).unwrap_or_default();
    let mut out = format!(
        "Look-through economic interests{on} ({} method)\n",
        lt.method
    );
    if let Some(why) = &lt.why_iterative {
        let _ = writeln!(out, "not exact: {why}");
    }
    let mut entity = "";
    for x in &lt.interests {
        if x.entity != entity {
            entity = &x.entity;
            let _ = writeln!(out, "\n{}", s.name(entity));
        }
        let exact = x
            .fraction
            .as_ref()
            .map(|f| format!(" = {f}"))
            .unwrap_or_default();
        let direct = match x.direct {
            Some(d) if d.normalize() == x.percent => " (direct)".to_string(),
            Some(d) => format!(" (direct {}%, the rest through chains)", d.normalize()),
            None => " (through chains)".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<32} {:>12}%{exact}{direct}{}",
            s.name(&x.party),
            x.percent,
            boardroom::envelope::cite_marks(&x.sources)
        );
        for c in &x.caveats {
            let _ = writeln!(out, "      caveat: {c}");
        }
    }
    if let Some(b) = lt.error_bound {
        let _ = writeln!(
            out,
            "\nevery figure is within {b:.2e} percentage points of exact"
        );
    }
    if !lt.left_out.is_empty() {
        let _ = writeln!(out, "\nLeft out (no exact share to multiply)");
        for l in &lt.left_out {
            let _ = writeln!(out, "  - {l}");
        }
    }
    emit(&boardroom_formats::text::cite(&s, &out), false)?;
    Ok(ExitCode::SUCCESS)
}
