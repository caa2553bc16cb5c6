//! An OCF package from arbitrary bytes: split at NUL bytes into a
//! manifest, stakeholders, stock classes and transactions. Reading,
//! checking, the ledger, the cap table, the structure and the export back
//! must not panic or hang, whatever the figures.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = [
    "Manifest.ocf.json",
    "Stakeholders.ocf.json",
    "StockClasses.ocf.json",
    "Transactions.ocf.json",
];

fuzz_target!(|data: &[u8]| {
    let files: BTreeMap<String, Vec<u8>> = data
        .split(|b| *b == 0)
        .zip(NAMES)
        .map(|(bytes, name)| (name.to_string(), bytes.to_vec()))
        .collect();
    if let Ok(imported) = boardroom_formats::ocf::import(&files, None, None) {
        let _ = imported.validation();
        let _ = imported.cap_table.to_string();
        let s = &imported.structure;
        let _ = boardroom::validate(s);
        if let Some(terms) = s.economics.first() {
            let ctx = boardroom_waterfall::Context::default();
            if let Ok(w) = boardroom_waterfall::Waterfall::new(terms, &ctx) {
                let _ = w.distribute(rust_decimal::Decimal::from(1_000_000));
            }
        }
        let _ = boardroom_formats::ocf::export(s, &imported.package.issuer.id, imported.cap_table.as_of);
    }
});
