//! Cheap format detection, without parsing the whole input.
//!
//! Detection looks at the leading bytes and searches for a few markers, so the vault
//! can route a dropped file before deciding to parse it. It may accept bytes that
//! [`crate::parse`] later rejects (a truncated file, for instance), never the reverse
//! for the fixtures Carnet is tested on.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The clinical format of some bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClinicalFormat {
    /// An HL7 CDA R2 document (or a bare CDA `section`), in XML.
    Cda,
    /// FHIR JSON, with the version recognised.
    Fhir(FhirVersion),
}

/// A FHIR release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FhirVersion {
    /// DSTU2 (1.0.x).
    Dstu2,
    /// STU3 (3.0.x).
    Stu3,
    /// R4 (4.0.x), the version Carnet imports.
    R4,
    /// R4B (4.3.x), read as R4.
    R4B,
    /// R5 (5.0.x).
    R5,
    /// Any other declared `fhirVersion`.
    Other(String),
}

impl FhirVersion {
    /// Maps a declared `fhirVersion` such as `4.0.1`.
    pub fn from_declared(version: &str) -> FhirVersion {
        let version = version.trim();
        let prefix = |p: &str| version == p || version.starts_with(&format!("{p}."));
        if prefix("1.0") {
            FhirVersion::Dstu2
        } else if prefix("3.0") {
            FhirVersion::Stu3
        } else if prefix("4.0") {
            FhirVersion::R4
        } else if prefix("4.3") {
            FhirVersion::R4B
        } else if prefix("5.0") {
            FhirVersion::R5
        } else {
            FhirVersion::Other(version.to_owned())
        }
    }

    /// Tells whether Carnet imports this version.
    pub fn is_supported(&self) -> bool {
        matches!(self, FhirVersion::R4 | FhirVersion::R4B)
    }
}

impl fmt::Display for FhirVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FhirVersion::Dstu2 => f.write_str("DSTU2"),
            FhirVersion::Stu3 => f.write_str("STU3"),
            FhirVersion::R4 => f.write_str("R4"),
            FhirVersion::R4B => f.write_str("R4B"),
            FhirVersion::R5 => f.write_str("R5"),
            FhirVersion::Other(version) => write!(f, "{version}"),
        }
    }
}

/// How far into the input the root markers are searched for.
const HEAD_BYTES: usize = 64 * 1024;

/// Detects whether `bytes` are a CDA document or FHIR JSON.
///
/// CDA is recognised by a `ClinicalDocument` start tag anywhere in the input (it
/// may be nested, as in self-presenting XSLT lab reports), or by a root `section`
/// with HL7 template ids. FHIR is recognised by a JSON object with a
/// `resourceType` near the start or the end. Its version comes from `fhirVersion` when
/// declared, else from shapes that only older versions use.
pub fn detect(bytes: &[u8]) -> Option<ClinicalFormat> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let body = &bytes[start..];
    match body[0] {
        b'<' => detect_cda(body).then_some(ClinicalFormat::Cda),
        b'{' => {
            // Serialisers usually write resourceType first; some write it last.
            let head = &body[..body.len().min(HEAD_BYTES)];
            let tail = &body[body.len().saturating_sub(HEAD_BYTES)..];
            let marker = b"\"resourceType\"";
            let found = find(head, marker).or_else(|| find(tail, marker));
            found.map(|_| ClinicalFormat::Fhir(fhir_version(body)))
        }
        _ => None,
    }
}

fn detect_cda(body: &[u8]) -> bool {
    let mut rest = body;
    while let Some(at) = find(rest, b"ClinicalDocument") {
        let before = &rest[..at];
        let after = rest.get(at + b"ClinicalDocument".len()).copied();
        let is_tag_end = matches!(after, Some(b' ' | b'>' | b'\t' | b'\r' | b'\n' | b'/'));
        // `<ClinicalDocument` or `<prefix:ClinicalDocument`.
        let opens = match before.last() {
            Some(b'<') => true,
            Some(b':') => {
                let prefix_area = &before[..before.len() - 1];
                let is_name_byte =
                    |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
                match prefix_area.iter().rposition(|b| !is_name_byte(b)) {
                    Some(open) => prefix_area[open] == b'<' && open + 1 < prefix_area.len(),
                    None => false,
                }
            }
            _ => false,
        };
        if opens && is_tag_end {
            return true;
        }
        rest = &rest[at + 1..];
    }
    // A bare C-CDA section, as some exports and examples ship.
    let head = &body[..body.len().min(HEAD_BYTES)];
    let root_is_section = root_name(head) == Some(b"section".as_slice());
    root_is_section && find(head, b"<templateId").is_some()
}

fn root_name(head: &[u8]) -> Option<&[u8]> {
    let mut rest = head;
    loop {
        let at = rest.iter().position(|b| *b == b'<')?;
        rest = &rest[at + 1..];
        match rest.first()? {
            b'?' | b'!' => continue,
            _ => {
                let end = rest
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')?;
                return Some(&rest[..end]);
            }
        }
    }
}

pub(crate) fn fhir_version(body: &[u8]) -> FhirVersion {
    if let Some(declared) = string_value(body, b"\"fhirVersion\"") {
        return FhirVersion::from_declared(&declared);
    }
    if find(body, b"\"MedicationOrder\"").is_some() || find(body, b"\"wasNotGiven\"").is_some() {
        return FhirVersion::Dstu2;
    }
    let string_status = value_starts_with_quote(body, b"\"clinicalStatus\"")
        || value_starts_with_quote(body, b"\"verificationStatus\"");
    if string_status || find(body, b"\"notGiven\"").is_some() {
        return FhirVersion::Stu3;
    }
    FhirVersion::R4
}

/// Tells whether any value of `key` is a JSON string (R4 uses objects there).
// NOTE: this byte search does not know JSON structure, so an R4 resource whose
// narrative or extension text contains `"clinicalStatus": "` would be taken for
// STU3. No fixture does; a structural check would need a full parse.
fn value_starts_with_quote(body: &[u8], key: &[u8]) -> bool {
    let mut rest = body;
    while let Some(at) = find(rest, key) {
        let after = skip_colon(&rest[at + key.len()..]);
        if after.first() == Some(&b'"') {
            return true;
        }
        rest = &rest[at + 1..];
    }
    false
}

fn string_value(body: &[u8], key: &[u8]) -> Option<String> {
    let at = find(body, key)?;
    let after = skip_colon(&body[at + key.len()..]);
    let after = after.strip_prefix(b"\"")?;
    let end = after.iter().position(|b| *b == b'"')?;
    std::str::from_utf8(&after[..end]).ok().map(str::to_owned)
}

fn skip_colon(bytes: &[u8]) -> &[u8] {
    let trimmed = bytes.trim_ascii_start();
    match trimmed.strip_prefix(b":") {
        Some(rest) => rest.trim_ascii_start(),
        None => b"",
    }
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut offset = 0;
    while let Some(at) = haystack[offset..].iter().position(|b| *b == first) {
        let start = offset + at;
        if haystack[start..].starts_with(needle) {
            return Some(start);
        }
        offset = start + 1;
        if offset + needle.len() > haystack.len() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_cda_variants() {
        let plain = b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"></ClinicalDocument>";
        assert_eq!(detect(plain), Some(ClinicalFormat::Cda));
        let bom_crlf = b"\xEF\xBB\xBF\r\n<ClinicalDocument>\r\n</ClinicalDocument>";
        assert_eq!(detect(bom_crlf), Some(ClinicalFormat::Cda));
        let nested = b"<xsl:stylesheet><c:ClinicalDocument xmlns:c=\"urn:hl7-org:v3\"/>";
        assert_eq!(detect(nested), Some(ClinicalFormat::Cda));
        assert_eq!(detect(b"<html><body/></html>"), None);
        assert_eq!(detect(b"<ClinicalDocumentX/>"), None);
    }

    #[test]
    fn detects_fhir_versions() {
        let r4 = br#"{"resourceType": "Patient", "id": "x"}"#;
        assert_eq!(detect(r4), Some(ClinicalFormat::Fhir(FhirVersion::R4)));
        let stu3 = br#"{"resourceType":"Condition","clinicalStatus" : "active"}"#;
        assert_eq!(detect(stu3), Some(ClinicalFormat::Fhir(FhirVersion::Stu3)));
        let declared = br#"{"resourceType":"CapabilityStatement","fhirVersion":"5.0.0"}"#;
        assert_eq!(
            detect(declared),
            Some(ClinicalFormat::Fhir(FhirVersion::R5))
        );
        assert_eq!(detect(b"{\"a\": 1}"), None);
        assert_eq!(detect(b""), None);
    }
}
