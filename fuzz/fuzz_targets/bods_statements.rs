//! The BODS import, the validator and the register reader on the same
//! bytes: each counts damage and goes on, none may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = boardroom_formats::bods::import(data);
    let options = boardroom_formats::bods_validation::Options {
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
        strict: false,
        limit: 50,
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
