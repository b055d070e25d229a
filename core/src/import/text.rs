//! Plain text and text-based formats not otherwise modelled: stored as *autre
//! document* with whatever text can be read.

use carnet_extract::Kind;

use super::ImportError;
use super::analyze::{Analysis, format_name};
use crate::documents::TextStatus;

/// Most characters of text indexed per document.
const MAX_INDEXED_CHARS: usize = 4 * 1024 * 1024;

pub(super) fn analyze(kind: Kind, bytes: &[u8]) -> Result<Analysis, ImportError> {
    let mut analysis = Analysis::empty(kind, format_name(kind));
    if matches!(kind, Kind::Json { .. } | Kind::Xml { .. }) {
        check_strict_utf8(bytes)?;
    }
    let text = carnet_extract::decode_text(bytes).map_err(|e| ImportError::Malformed {
        format: "text",
        reason: e.to_string(),
    })?;
    if matches!(kind, Kind::Json { .. }) {
        check_json(bytes)?;
    }
    if matches!(kind, Kind::Xml { .. }) {
        check_xml(&text)?;
    }
    analysis.text = Some(text.chars().take(MAX_INDEXED_CHARS).collect());
    analysis.text_status = TextStatus::Extracted;
    analysis.media_type = match kind {
        Kind::Text => "text/plain; charset=utf-8".to_string(),
        other => other.media_type().to_string(),
    };
    Ok(analysis)
}

/// JSON (RFC 8259 §8.1) and XML without another declared encoding must be UTF-8,
/// so no fallback to another encoding applies; NUL is not allowed in either.
fn check_strict_utf8(bytes: &[u8]) -> Result<(), ImportError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(body) {
        return Err(ImportError::Malformed {
            format: "text",
            reason: format!("invalid UTF-8 sequence at byte offset {}", e.valid_up_to()),
        });
    }
    if let Some(offset) = body.iter().position(|b| *b == 0) {
        return Err(ImportError::Malformed {
            format: "text",
            reason: format!("NUL byte at byte offset {offset}"),
        });
    }
    Ok(())
}

/// Deepest nesting of arrays and objects accepted in JSON.
const MAX_JSON_DEPTH: usize = 128;

/// Rejects JSON that nests deeper than [`MAX_JSON_DEPTH`] or does not parse. The
/// depth is counted by a byte scan first, because serde_json does not count the
/// levels it skips when deserialising into `IgnoredAny`.
fn check_json(bytes: &[u8]) -> Result<(), ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, byte) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(ImportError::Malformed {
                        format: "JSON",
                        reason: format!(
                            "nesting deeper than {MAX_JSON_DEPTH} levels at byte offset {offset}"
                        ),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
        .map(|_| ())
        .map_err(|e| ImportError::Malformed {
            format: "JSON",
            reason: e.to_string(),
        })
}

/// Rejects XML that declares a DTD (no entity is ever expanded or fetched), is not
/// well formed, or nests deeper than [`MAX_XML_DEPTH`].
fn check_xml(text: &str) -> Result<(), ImportError> {
    use quick_xml::events::Event;

    let malformed = |reason: String| ImportError::Malformed {
        format: "XML",
        reason,
    };
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::DocType(_)) => {
                return Err(ImportError::Unsupported {
                    format: "XML",
                    reason: "document type declarations (DTD, entities) are refused".into(),
                });
            }
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Err(malformed(format!(
                        "elements nest deeper than {MAX_XML_DEPTH} levels"
                    )));
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) if depth > 0 => {
                return Err(malformed(
                    "unclosed elements (the file is truncated)".into(),
                ));
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                return Err(malformed(format!(
                    "at byte {}: {e}",
                    reader.error_position()
                )));
            }
        }
    }
}

/// Deepest element nesting accepted in XML.
const MAX_XML_DEPTH: usize = 256;

/// Rejects a file the sniffer found binary although it starts like XML or JSON (a NUL
/// byte or an invalid UTF-8 sequence inside markup): it is a damaged document, and
/// storing it as an opaque file would hide the damage from the user.
pub(super) fn reject_damaged_markup(bytes: &[u8]) -> Result<(), ImportError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let format = match first {
        Some(b'<') => "XML",
        Some(b'{') | Some(b'[') => "JSON",
        _ => return Ok(()),
    };
    check_strict_utf8(bytes).map_err(|e| match e {
        ImportError::Malformed { reason, .. } => ImportError::Malformed { format, reason },
        other => other,
    })
}
