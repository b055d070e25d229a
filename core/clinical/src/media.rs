//! Embedded files: base64 decoding and media-type detection from magic numbers.
//!
//! Documents often declare the wrong media type for what they embed (a `mediaType`
//! of `image/jpeg` on PNG bytes, `application/pdf` on plain text), so the type Carnet
//! stores is always the one sniffed from the decoded bytes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// A file embedded in a document: a level-1 body, an `observationMedia` or a FHIR
/// attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Media type detected from the bytes, such as `application/pdf`.
    pub media_type: String,
    /// Media type the document declared, which may be wrong.
    pub declared_media_type: Option<String>,
    /// Caption or title, when the document gives one.
    pub caption: Option<String>,
    /// The decoded bytes.
    #[serde(with = "base64_bytes")]
    pub data: Vec<u8>,
}

impl Attachment {
    /// Builds an attachment from decoded bytes, sniffing their media type.
    pub fn new(data: Vec<u8>, declared: Option<&str>, caption: Option<String>) -> Attachment {
        let declared_media_type = declared.map(|d| d.trim().to_ascii_lowercase());
        let media_type = sniff_media_type(&data)
            .map(str::to_owned)
            .or_else(|| declared_media_type.clone())
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        Attachment {
            media_type,
            declared_media_type,
            caption,
            data,
        }
    }

    /// Tells whether the detected type is an image a browser displays inline.
    pub fn is_displayable_image(&self) -> bool {
        matches!(
            self.media_type.as_str(),
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
        )
    }
}

/// Returns the media type recognised from the leading bytes, or `None` when the
/// bytes match no known signature.
pub fn sniff_media_type(data: &[u8]) -> Option<&'static str> {
    let signatures: [(&[u8], &str); 10] = [
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"II*\0", "image/tiff"),
        (b"MM\0*", "image/tiff"),
        (b"{\\rtf", "text/rtf"),
        (b"PK\x03\x04", "application/zip"),
        (b"DICM", "application/dicom"),
    ];
    for (magic, media_type) in signatures {
        if data.starts_with(magic) {
            return Some(media_type);
        }
    }
    if data.len() > 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if data.len() > 132 && &data[128..132] == b"DICM" {
        return Some("application/dicom");
    }
    let head = &data[..data.len().min(512)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let trimmed = head.trim_ascii_start();
    if trimmed.starts_with(b"<?xml") || trimmed.starts_with(b"<ClinicalDocument") {
        return Some("text/xml");
    }
    if !data.is_empty() && std::str::from_utf8(data).is_ok() && !data.contains(&0) {
        return Some("text/plain");
    }
    None
}

/// Decodes base64 that may be wrapped on several lines (MIME style, CRLF or LF)
/// or indented inside XML.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    STANDARD.decode(&compact).ok().or_else(|| {
        // Some producers drop the padding.
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(compact.strip_suffix(b"=").unwrap_or(&compact))
            .ok()
    })
}

/// Returns `data:` URL for inline display of a sniffed image.
pub(crate) fn data_url(attachment: &Attachment) -> String {
    format!(
        "data:{};base64,{}",
        attachment.media_type,
        STANDARD.encode(&attachment.data)
    )
}

mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(data: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(data))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_ignores_declared_type() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let attachment = Attachment::new(png, Some("image/jpeg"), None);
        assert_eq!(attachment.media_type, "image/png");
        assert_eq!(
            attachment.declared_media_type.as_deref(),
            Some("image/jpeg")
        );
    }

    #[test]
    fn sniff_falls_back_to_text() {
        assert_eq!(sniff_media_type(b"Hello World"), Some("text/plain"));
        assert_eq!(sniff_media_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff_media_type(&[0, 159, 146, 150]), None);
    }

    #[test]
    fn base64_accepts_line_breaks() {
        let decoded = decode_base64("SGVs\r\nbG8g\n  V29y\tbGQ=").unwrap();
        assert_eq!(decoded, b"Hello World");
        assert_eq!(decode_base64("not base64!"), None);
    }
}
