//! Characters kept out of names and titles, because they change how the text
//! around them displays without showing themselves.
//!
//! Besides the C0 and C1 control characters, these are the explicit directional
//! embeddings, overrides and isolates of the Unicode Bidirectional Algorithm
//! (UAX #9, section 2: LRE, RLE, PDF, LRO, RLO at U+202A–U+202E and LRI, RLI,
//! FSI, PDI at U+2066–U+2069). With them, "Bilan U+202E fdp.exe" displays as
//! "Bilan exe.pdf". The implicit marks (LRM, RLM, ALM) only nudge neutral
//! characters, so names in Arabic or Hebrew may keep them.

/// True for a control character or a directional embedding, override or isolate.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_controls_found() {
        for c in [
            '\u{0}', '\n', '\u{1B}', '\u{85}', '\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}',
        ] {
            assert!(is_hidden_control(c), "{:?}", c);
        }
    }

    #[test]
    fn visible_text_and_marks_allowed() {
        for c in [
            'a', 'é', 'œ', 'إ', 'ש', ' ', '\u{200F}', '\u{200E}', '\u{61C}',
        ] {
            assert!(!is_hidden_control(c), "{:?}", c);
        }
    }
}
