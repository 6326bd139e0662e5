//! The demo server (filled in by the demo issue).
fn main() {}
