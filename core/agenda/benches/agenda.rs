//! Import and expansion benchmark (filled in below).
fn main() {}
