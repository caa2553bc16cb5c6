//! The structure loader (TOML or JSON, chosen by the first byte), then
//! every analysis a loaded structure feeds: nothing may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let name = if text.trim_start().starts_with('{') {
        "fuzz.json"
    } else {
        "fuzz.toml"
    };
    if let Ok(loaded) = boardroom_formats::load(name, text) {
        let s = &loaded.structure;
        let r = boardroom::replay(s);
        let _ = boardroom::control(s, &r.state);
        let _ = boardroom::lookthrough(s, &r.state);
        let _ = boardroom_formats::bods::export(s);
    }
});
