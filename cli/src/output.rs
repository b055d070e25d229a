//! Machine-readable output for `--json`.

use anyhow::Result;
use serde::Serialize;

/// Prints `value` as pretty JSON on standard output.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Makes text from files or documents safe to print on a terminal: control
/// characters (escape sequences that could clear the screen or retitle the window,
/// line breaks) become `?`. Search match markers are private-use characters, not
/// control characters, so they survive for the caller to style.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
