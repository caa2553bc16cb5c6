//! The register's statement scanner against serde_json, line by line: a
//! statement is read alike, or refused alike with serde_json's message.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for line in data.split(|&b| b == b'\n') {
        assert_eq!(
            boardroom_register::parse_statement(line, 1),
            boardroom_register::parse_statement_by_serde(line, 1),
            "the scanner and serde_json differ"
        );
    }
});
