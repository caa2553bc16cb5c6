//! The BODS import, the validator and the register reader on the same
//! bytes: each counts damage and goes on, none may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A small cap, so that inputs of a few kilobytes reach the skipping
    // of over-long statements too.
    let cap = 1024;
    let import = boardroom_formats::bods::ImportOptions {
        max_statement_bytes: cap,
    };
    let _ = boardroom_formats::bods::import(data, &import);
    let options = boardroom_formats::bods_validation::Options {
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
        strict: false,
        limit: 50,
        max_statement_bytes: cap,
    };
    let _ = boardroom_formats::bods_validation::validate(data, &options);
    let read = boardroom_register::ReadOptions {
        threads: 1,
        ..Default::default()
    };
    let _ = boardroom_register::read_register(
        data,
        &read,
        &boardroom_register::RegisterOptions::default(),
        &boardroom_register::Silent,
    );
});
