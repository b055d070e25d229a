//! Content sniffing: identifies a file from its first bytes, never from its name,
//! because imported files arrive with missing or wrong extensions (`.ccd` CDA
//! exports, `.dat` e-mail attachments, photos renamed by messaging apps).

use serde::{Deserialize, Serialize};

use crate::text::decode_head;

/// Number of leading bytes [`sniff`] reads. Callers pass at least this much when the
/// file is that long, because a CDA `ClinicalDocument` can start after a few KiB of
/// stylesheet in "self-presenting" documents.
pub const SNIFF_LEN: usize = 8 * 1024;

/// The content type of a file, as far as its first bytes show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Kind {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    /// HEIF container (HEIC photos from iPhones, also AVIF). No pure-Rust decoder.
    Heif,
    Gif,
    #[serde(rename = "webp")]
    WebP,
    /// XML; `cda` is true when a CDA R2 `ClinicalDocument` element appears in the head.
    Xml {
        cda: bool,
    },
    /// JSON; `fhir` is true when the head contains a FHIR `resourceType` member.
    Json {
        fhir: bool,
    },
    #[serde(rename = "icalendar")]
    ICalendar,
    /// An RFC 5322 message (`.eml`).
    Email,
    /// Plain text in UTF-8, UTF-16 with a byte order mark, or Windows-1252.
    Text,
    /// Anything else.
    Binary,
}

impl Kind {
    /// Returns the media type to record for this kind.
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Tiff => "image/tiff",
            Kind::Heif => "image/heif",
            Kind::Gif => "image/gif",
            Kind::WebP => "image/webp",
            Kind::Xml { .. } => "application/xml",
            Kind::Json { fhir: true } => "application/fhir+json",
            Kind::Json { fhir: false } => "application/json",
            Kind::ICalendar => "text/calendar",
            Kind::Email => "message/rfc822",
            Kind::Text => "text/plain",
            Kind::Binary => "application/octet-stream",
        }
    }

    /// Returns whether the kind is a raster image format.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            Kind::Jpeg | Kind::Png | Kind::Tiff | Kind::Heif | Kind::Gif | Kind::WebP
        )
    }
}

/// Identifies a file from its first bytes. Reads at most [`SNIFF_LEN`] bytes of `head`.
pub fn sniff(head: &[u8]) -> Kind {
    let head = &head[..head.len().min(SNIFF_LEN)];
    if let Some(kind) = sniff_signature(head) {
        return kind;
    }
    match decode_head(head) {
        Some(text) => sniff_text(&text),
        None => Kind::Binary,
    }
}

fn sniff_signature(head: &[u8]) -> Option<Kind> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    let kind = if head.starts_with(b"\xFF\xD8\xFF") {
        Kind::Jpeg
    } else if head.starts_with(PNG) {
        Kind::Png
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Kind::Gif
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Kind::WebP
    } else if [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"]
        .iter()
        .any(|magic| head.starts_with(*magic))
    {
        Kind::Tiff
    } else if is_heif(head) {
        Kind::Heif
    } else if find(&head[..head.len().min(1024)], b"%PDF-").is_some() {
        // Readers accept a PDF header anywhere in the first 1024 bytes.
        Kind::Pdf
    } else {
        return None;
    };
    Some(kind)
}

/// Returns whether the head is an ISO BMFF `ftyp` box naming a HEIF brand (major or
/// compatible), which excludes MP4 and QuickTime videos.
fn is_heif(head: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 13] = [
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"mif2",
        b"msf1", b"avif", b"avis",
    ];
    if head.len() < 16 || &head[4..8] != b"ftyp" {
        return false;
    }
    let box_size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    let end = box_size.clamp(16, head.len());
    let major = &head[8..12];
    let compatible = head[16..end].chunks_exact(4);
    std::iter::once(major)
        .chain(compatible)
        .any(|brand| BRANDS.iter().any(|known| brand == known.as_slice()))
}

fn sniff_text(text: &str) -> Kind {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');

    if trimmed.starts_with('<') {
        if is_html(trimmed) {
            return Kind::Text;
        }
        return Kind::Xml {
            cda: has_element(trimmed, "ClinicalDocument"),
        };
    }
    if looks_like_json(trimmed) {
        return Kind::Json {
            fhir: has_json_member(trimmed, "resourceType"),
        };
    }
    if starts_with_ignore_case(trimmed, "BEGIN:VCALENDAR") {
        return Kind::ICalendar;
    }
    if looks_like_email(text) {
        return Kind::Email;
    }
    Kind::Text
}

fn is_html(text: &str) -> bool {
    starts_with_ignore_case(text, "<!doctype html") || starts_with_ignore_case(text, "<html")
}

fn looks_like_json(text: &str) -> bool {
    let mut chars = text.chars();
    let next_significant = |chars: &mut std::str::Chars<'_>| chars.find(|c| !c.is_whitespace());
    match chars.next() {
        Some('{') => matches!(next_significant(&mut chars), Some('"' | '}') | None),
        Some('[') => matches!(
            next_significant(&mut chars),
            Some('[' | ']' | '{' | '"' | '-' | '0'..='9' | 't' | 'f' | 'n') | None
        ),
        _ => false,
    }
}

/// Returns whether `text` contains a start tag for `name`, with or without a namespace prefix.
fn has_element(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(index, _)| {
        let before = &text[..index];
        let opens_tag = match before.strip_suffix(':') {
            Some(prefixed) => {
                let prefix_start = prefixed.trim_end_matches(is_name_char);
                prefix_start.len() < prefixed.len() && prefix_start.ends_with('<')
            }
            None => before.ends_with('<'),
        };
        let after = text[index + name.len()..].chars().next();
        opens_tag && matches!(after, None | Some(' ' | '\t' | '\r' | '\n' | '>' | '/'))
    })
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Returns whether `text` contains `"member"` followed by a colon and a string value.
fn has_json_member(text: &str, member: &str) -> bool {
    let quoted = format!("\"{member}\"");
    text.match_indices(&quoted).any(|(index, _)| {
        let rest = text[index + quoted.len()..].trim_start();
        rest.strip_prefix(':')
            .is_some_and(|value| value.trim_start().starts_with('"'))
    })
}

/// Header fields that only messages carry; at least one must appear.
const MESSAGE_FIELDS: [&str; 6] = [
    "from",
    "received",
    "mime-version",
    "return-path",
    "delivered-to",
    "message-id",
];

/// Returns whether the text starts with an RFC 5322 header block. Every complete line
/// up to the first empty line must be a `Name: value` field or a folded continuation.
/// There must be at least two fields, and one of them must be in [`MESSAGE_FIELDS`].
fn looks_like_email(text: &str) -> bool {
    let mut lines = text.split('\n').peekable();
    // An mbox export starts with a "From " separator line.
    if text.starts_with("From ") {
        lines.next();
    }

    let mut fields = 0;
    let mut message_field = false;
    while let Some(line) = lines.next() {
        // The last piece has no line feed: the head may have cut it.
        if lines.peek().is_none() {
            break;
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if fields == 0 {
                return false;
            }
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| (33..=126).contains(&b)) {
            return false;
        }
        fields += 1;
        message_field |= MESSAGE_FIELDS
            .iter()
            .any(|field| name.eq_ignore_ascii_case(field));
    }
    fields >= 2 && message_field
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_signatures() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), Kind::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Kind::Png);
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Kind::Gif);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Kind::WebP);
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Kind::Tiff);
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Kind::Tiff);
    }

    #[test]
    fn heic_major_brand() {
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"), Kind::Heif);
    }

    #[test]
    fn heif_compatible_brand() {
        assert_eq!(sniff(b"\0\0\0\x18ftypXXXX\0\0\0\0mif1MiHE"), Kind::Heif);
    }

    #[test]
    fn mp4_is_not_heif() {
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2"), Kind::Binary);
    }

    #[test]
    fn pdf_header_after_junk() {
        assert_eq!(sniff(b"junk\r\n%PDF-1.4\n"), Kind::Pdf);
    }

    #[test]
    fn cda_at_root() {
        let xml = b"<?xml version=\"1.0\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">";
        assert_eq!(sniff(xml), Kind::Xml { cda: true });
    }

    #[test]
    fn cda_nested_with_prefix_after_bom() {
        let xml = "\u{FEFF}<xsl:stylesheet><xsl:template>\n<hl7:ClinicalDocument>";
        assert_eq!(sniff(xml.as_bytes()), Kind::Xml { cda: true });
    }

    #[test]
    fn cda_in_utf16() {
        let xml: Vec<u8> = "\u{FEFF}<ClinicalDocument/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff(&xml), Kind::Xml { cda: true });
    }

    #[test]
    fn xml_mentioning_cda_in_text_is_not_cda() {
        let xml = b"<note>ClinicalDocument files</note>";
        assert_eq!(sniff(xml), Kind::Xml { cda: false });
        assert_eq!(sniff(b"<ClinicalDocumentX/>"), Kind::Xml { cda: false });
    }

    #[test]
    fn html_is_text() {
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Kind::Text);
    }

    #[test]
    fn fhir_json() {
        let json = b"{\n  \"resourceType\" : \"Patient\", \"id\": \"1\"}";
        assert_eq!(sniff(json), Kind::Json { fhir: true });
        assert_eq!(sniff(b"[1, 2]"), Kind::Json { fhir: false });
        assert_eq!(sniff(b"{\"resourceType\": 3}"), Kind::Json { fhir: false });
    }

    #[test]
    fn brace_text_is_not_json() {
        assert_eq!(sniff(b"{ notes du docteur }"), Kind::Text);
    }

    #[test]
    fn icalendar_after_bom() {
        assert_eq!(sniff(b"\xEF\xBB\xBFBEGIN:VCALENDAR\r\n"), Kind::ICalendar);
        assert_eq!(sniff(b"begin:vcalendar\n"), Kind::ICalendar);
    }

    #[test]
    fn email_headers() {
        let eml = b"Received: from mx\r\n by host\r\nFrom: Labo <labo@example.org>\r\nSubject: R\xC3\xA9sultats\r\n\r\nBonjour";
        assert_eq!(sniff(eml), Kind::Email);
        assert_eq!(
            sniff(b"From sender@example.org Mon Jan 1\nFrom: a@b\nTo: c@d\n\nx"),
            Kind::Email
        );
    }

    #[test]
    fn colon_text_is_not_email() {
        assert_eq!(
            sniff(b"Note: appeler le cabinet\nRappel: lundi\n"),
            Kind::Text
        );
        assert_eq!(sniff(b"From: moi\nmais pas un e-mail\n"), Kind::Text);
    }

    #[test]
    fn latin1_text_and_binary() {
        assert_eq!(sniff(b"Compte rendu de l'\xE9chographie"), Kind::Text);
        assert_eq!(sniff(b"\0\x01\x02\x03"), Kind::Binary);
        assert_eq!(sniff(b""), Kind::Text);
    }

    #[test]
    fn head_cut_inside_character() {
        assert_eq!(sniff(b"ordonnance pour b\xC3"), Kind::Text);
    }

    #[test]
    fn serde_names() {
        let json = serde_json::to_string(&Kind::Xml { cda: true }).unwrap();
        assert_eq!(json, r#"{"kind":"xml","cda":true}"#);
        assert_eq!(
            serde_json::to_string(&Kind::ICalendar).unwrap(),
            r#"{"kind":"icalendar"}"#
        );
        assert_eq!(
            serde_json::to_string(&Kind::WebP).unwrap(),
            r#"{"kind":"webp"}"#
        );
        let parsed: Kind = serde_json::from_str(r#"{"kind":"json","fhir":false}"#).unwrap();
        assert_eq!(parsed, Kind::Json { fhir: false });
    }

    #[test]
    fn media_types() {
        assert_eq!(
            Kind::Json { fhir: true }.media_type(),
            "application/fhir+json"
        );
        assert_eq!(Kind::Heif.media_type(), "image/heif");
        assert!(Kind::Heif.is_image());
        assert!(!Kind::Pdf.is_image());
    }
}
