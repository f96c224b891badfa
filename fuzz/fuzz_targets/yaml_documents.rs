//! Fuzz target: `parse_documents` on arbitrary UTF-8 never panics, and its errors name a
//! line and column on one line.
#![no_main]

use envparity::ingest::{Limits, parse_documents};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = parse_documents(text, &Limits::default()) {
        assert!(e.line >= 1 && e.column >= 1, "{e:?}");
        assert!(!e.to_string().contains('\n'), "multi-line error: {e:?}");
    }
});
