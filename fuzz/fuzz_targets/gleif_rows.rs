//! GLEIF relationship and LEI CSV rows: a damaged row is skipped and
//! counted; nothing may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = boardroom_register::read_relationships(data, |_| {});
    let _ = boardroom_register::read_lei_names(data, |_, _| {});
    let _ = boardroom_formats::gleif::import(data, None::<&[u8]>);
});
