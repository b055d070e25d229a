//! Text decoding: turns the bytes of a text file into a `String`, whatever encoding
//! a French user's files are likely to use.
//!
//! Order of decisions:
//! 1. A byte order mark fixes the encoding (UTF-8, UTF-16 LE or BE), and the bytes
//!    must then be valid in it.
//! 2. An XML declaration naming a non-Unicode encoding (`ISO-8859-1`,
//!    `windows-1252`…) is honoured.
//! 3. Valid UTF-8 is UTF-8.
//! 4. Invalid UTF-8 is an error when the bytes claim UTF-8: earlier valid multi-byte
//!    sequences, JSON (always UTF-8 by RFC 8259) or an XML declaration that names no
//!    other encoding. Otherwise the bytes are read as Windows-1252, the superset of
//!    Latin-1 that French Windows software writes. HTML and XML without a
//!    declaration take this path too, because old French web pages and exports are
//!    often Windows-1252.
//!
//! Decoded text must not contain C0 control characters other than tab, line feed,
//! vertical tab, form feed and carriage return, so binary files are rejected.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::ExtractError;

/// Largest input [`decode_text`] accepts (16 MiB). Decoded output is at most three
/// times this size, because one Windows-1252 byte becomes at most three UTF-8 bytes.
pub const MAX_TEXT_INPUT: usize = 16 * 1024 * 1024;

/// Decodes a whole text file into a `String`, without its byte order mark.
///
/// Returns [`ExtractError::InvalidUtf8`] with the byte offset of the first invalid
/// sequence when the bytes claim UTF-8, [`ExtractError::InvalidUtf16`] for a broken
/// UTF-16 file, [`ExtractError::NotText`] for binary data and
/// [`ExtractError::TooLarge`] above [`MAX_TEXT_INPUT`].
pub fn decode_text(bytes: &[u8]) -> Result<String, ExtractError> {
    if bytes.len() > MAX_TEXT_INPUT {
        return Err(ExtractError::TooLarge {
            input: "text file",
            size: bytes.len() as u64,
            limit: MAX_TEXT_INPUT as u64,
        });
    }
    decode(bytes, false)
}

/// Decodes the first bytes of a file for sniffing. The head may end in the middle of
/// a character, so an incomplete final sequence is dropped instead of rejected.
pub(crate) fn decode_head(head: &[u8]) -> Option<String> {
    decode(head, true).ok()
}

fn decode(bytes: &[u8], truncated: bool) -> Result<String, ExtractError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest, 3, truncated);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, 2, false, truncated);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, 2, true, truncated);
    }
    if let Some(encoding) = declared_xml_encoding(bytes) {
        return decode_single_byte(bytes, encoding);
    }

    match std::str::from_utf8(bytes) {
        Ok(text) => check_controls(text, 0).map(|()| text.to_owned()),
        Err(error) if truncated && error.error_len().is_none() => {
            decode_utf8(&bytes[..error.valid_up_to()], 0, false)
        }
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            if claims_utf8(valid) {
                // Report a control character before the bad sequence first, so binary
                // data is called binary.
                check_controls(std::str::from_utf8(valid).unwrap_or_default(), 0)?;
                return Err(ExtractError::InvalidUtf8 {
                    offset: error.valid_up_to(),
                });
            }
            decode_single_byte(bytes, WINDOWS_1252)
        }
    }
}

fn decode_utf8(bytes: &[u8], base: usize, truncated: bool) -> Result<String, ExtractError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) if truncated && error.error_len().is_none() => {
            // The prefix up to `valid_up_to` is valid by definition.
            std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default()
        }
        Err(error) => {
            return Err(ExtractError::InvalidUtf8 {
                offset: base + error.valid_up_to(),
            });
        }
    };
    check_controls(text, base)?;
    Ok(text.to_owned())
}

fn decode_utf16(
    bytes: &[u8],
    base: usize,
    big_endian: bool,
    truncated: bool,
) -> Result<String, ExtractError> {
    let usable = if truncated {
        bytes.len() & !1
    } else if bytes.len() % 2 == 1 {
        return Err(ExtractError::InvalidUtf16 {
            offset: base + bytes.len() - 1,
        });
    } else {
        bytes.len()
    };

    let units = bytes[..usable].chunks_exact(2).map(|pair| {
        if big_endian {
            u16::from_be_bytes([pair[0], pair[1]])
        } else {
            u16::from_le_bytes([pair[0], pair[1]])
        }
    });

    let mut text = String::with_capacity(usable / 2);
    let mut unit_index = 0;
    for decoded in char::decode_utf16(units) {
        let offset = base + 2 * unit_index;
        match decoded {
            Ok(c) => {
                if is_forbidden_control(c) {
                    return Err(ExtractError::NotText {
                        offset,
                        byte: c as u8,
                    });
                }
                text.push(c);
                unit_index += c.len_utf16();
            }
            // A lone high surrogate in the last code unit of a truncated head is a
            // character cut in half, not an error.
            Err(_) if truncated && offset + 2 >= base + usable => break,
            Err(_) => return Err(ExtractError::InvalidUtf16 { offset }),
        }
    }
    Ok(text)
}

fn decode_single_byte(bytes: &[u8], encoding: &'static Encoding) -> Result<String, ExtractError> {
    if let Some(offset) = bytes
        .iter()
        .position(|&b| is_forbidden_control(char::from(b)) || is_undefined_in(encoding, b))
    {
        return Err(ExtractError::NotText {
            offset,
            byte: bytes[offset],
        });
    }
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => Err(ExtractError::NotText {
            offset: 0,
            byte: bytes.first().copied().unwrap_or_default(),
        }),
    }
}

/// Bytes that Windows-1252 leaves undefined; text files do not contain them.
fn is_undefined_in(encoding: &'static Encoding, byte: u8) -> bool {
    encoding == WINDOWS_1252 && matches!(byte, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
}

fn check_controls(text: &str, base: usize) -> Result<(), ExtractError> {
    match text.char_indices().find(|&(_, c)| is_forbidden_control(c)) {
        Some((offset, c)) => Err(ExtractError::NotText {
            offset: base + offset,
            byte: c as u8,
        }),
        None => Ok(()),
    }
}

fn is_forbidden_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')) || c == '\u{7F}'
}

/// Returns whether the valid UTF-8 prefix of a file shows that the whole file is meant to be
/// UTF-8.
fn claims_utf8(valid_prefix: &[u8]) -> bool {
    if !valid_prefix.is_ascii() {
        return true;
    }
    let start = valid_prefix.trim_ascii_start();
    start.starts_with(b"{") || start.starts_with(b"[") || start.starts_with(b"<?xml")
}

/// Returns the encoding an XML declaration names, when it is a single-byte encoding
/// other than UTF-8. UTF-8 and UTF-16 declarations return `None`, because the byte
/// order mark and UTF-8 validation already handle them.
fn declared_xml_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let declaration = bytes.strip_prefix(b"<?xml")?;
    let end = declaration.iter().take(256).position(|&b| b == b'>')?;
    let declaration = &declaration[..end];
    let key = declaration
        .windows(8)
        .position(|window| window == b"encoding")?;
    let rest = declaration[key + 8..]
        .trim_ascii_start()
        .strip_prefix(b"=")?;
    let rest = rest.trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let label = &value[..value.iter().position(|&b| b == quote)?];
    let encoding = Encoding::for_label(label)?;
    (encoding != UTF_8 && encoding != UTF_16LE && encoding != UTF_16BE && encoding.is_single_byte())
        .then_some(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_stripped() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFh\xC3\xA9").unwrap(), "hé");
    }

    #[test]
    fn utf16_le_and_be() {
        assert_eq!(decode_text(b"\xFF\xFEh\x00\xE9\x00").unwrap(), "hé");
        assert_eq!(decode_text(b"\xFE\xFF\x00h\x00\xE9").unwrap(), "hé");
    }

    #[test]
    fn utf16_surrogate_pair() {
        // U+1F489 SYRINGE is D83D DC89.
        assert_eq!(
            decode_text(b"\xFF\xFE\x3D\xD8\x89\xDC").unwrap(),
            "\u{1F489}"
        );
    }

    #[test]
    fn utf16_odd_length_is_rejected() {
        let error = decode_text(b"\xFF\xFEa\x00b").unwrap_err();
        assert!(
            matches!(error, ExtractError::InvalidUtf16 { offset: 4 }),
            "{error}"
        );
    }

    #[test]
    fn utf16_lone_surrogate_is_rejected() {
        let error = decode_text(b"\xFF\xFEa\x00\x3D\xD8b\x00").unwrap_err();
        assert!(
            matches!(error, ExtractError::InvalidUtf16 { offset: 4 }),
            "{error}"
        );
    }

    #[test]
    fn latin1_accents_decode() {
        assert_eq!(
            decode_text(b"ordonnance du m\xE9decin").unwrap(),
            "ordonnance du médecin"
        );
    }

    #[test]
    fn windows_1252_specials_decode() {
        assert_eq!(decode_text(b"c\x9Cur \x80").unwrap(), "cœur €");
    }

    #[test]
    fn invalid_utf8_after_utf8_reports_offset() {
        // "hé" in UTF-8 (3 bytes), a space, then a stray Latin-1 byte at offset 4.
        let error = decode_text(b"h\xC3\xA9 \xE9t\xE9").unwrap_err();
        assert!(
            matches!(error, ExtractError::InvalidUtf8 { offset: 4 }),
            "{error}"
        );
    }

    #[test]
    fn invalid_utf8_after_bom_reports_file_offset() {
        let error = decode_text(b"\xEF\xBB\xBFab\xFF").unwrap_err();
        assert!(
            matches!(error, ExtractError::InvalidUtf8 { offset: 5 }),
            "{error}"
        );
    }

    #[test]
    fn truncated_utf8_sequence_is_invalid() {
        // "café " in UTF-8, then "caf" and the first byte of a cut "é".
        let error = decode_text(b"caf\xC3\xA9 caf\xC3").unwrap_err();
        assert!(
            matches!(error, ExtractError::InvalidUtf8 { offset: 9 }),
            "{error}"
        );
    }

    #[test]
    fn json_claims_utf8() {
        let error = decode_text(b"{\"a\": \"\xE9\"}").unwrap_err();
        assert!(
            matches!(error, ExtractError::InvalidUtf8 { offset: 7 }),
            "{error}"
        );
    }

    #[test]
    fn xml_declared_latin1_decodes() {
        let xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>";
        assert!(decode_text(xml).unwrap().ends_with("<a>é</a>"));
    }

    #[test]
    fn xml_declaration_claims_utf8() {
        let error = decode_text(b"<?xml version=\"1.0\"?><a>\xE9</a>").unwrap_err();
        assert!(
            matches!(error, ExtractError::InvalidUtf8 { offset: 24 }),
            "{error}"
        );
    }

    #[test]
    fn latin1_html_decodes() {
        let html = b"<html><body>Compte rendu de l'\xE9chographie</body></html>";
        assert!(decode_text(html).unwrap().contains("l'échographie"));
    }

    #[test]
    fn nul_byte_is_binary() {
        let error = decode_text(b"<d/>\0").unwrap_err();
        assert!(
            matches!(error, ExtractError::NotText { offset: 4, byte: 0 }),
            "{error}"
        );
    }

    #[test]
    fn binary_with_high_bytes_is_not_text() {
        let error = decode_text(b"\x89\x01\x02\x03").unwrap_err();
        assert!(
            matches!(error, ExtractError::NotText { offset: 1, .. }),
            "{error}"
        );
    }

    #[test]
    fn form_feed_and_vertical_tab_are_text() {
        assert!(decode_text(b"TZID:S\x0C\x0C\r\x0B\n").is_ok());
    }

    #[test]
    fn empty_input_is_empty_text() {
        assert_eq!(decode_text(b"").unwrap(), "");
    }

    #[test]
    fn oversized_input_is_rejected() {
        let big = vec![b'a'; MAX_TEXT_INPUT + 1];
        assert!(matches!(
            decode_text(&big),
            Err(ExtractError::TooLarge { .. })
        ));
    }

    #[test]
    fn head_tolerates_cut_character() {
        assert_eq!(decode_head(b"caf\xC3").as_deref(), Some("caf"));
        assert_eq!(decode_head(b"\xFF\xFEa\x00b").as_deref(), Some("a"));
        assert_eq!(decode_head(b"\xFF\xFEa\x00\x3D\xD8").as_deref(), Some("a"));
    }
}
