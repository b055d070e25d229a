//! Reads the document information dictionary: title and creation date.

use chrono::{DateTime, FixedOffset, NaiveDate};
use lopdf::{Dictionary, Document, Object};

/// Maximum length of a kept title, in characters. Longer titles are cut.
const MAX_TITLE_CHARS: usize = 512;

pub(crate) fn info_dictionary(document: &Document) -> Option<&Dictionary> {
    let info = document.trailer.get(b"Info").ok()?;
    let (_, info) = document.dereference(info).ok()?;
    info.as_dict().ok()
}

/// Returns the `/Title` entry, decoded from PDFDocEncoding or UTF-16BE, when it is
/// not blank.
pub(crate) fn title(document: &Document, info: &Dictionary) -> Option<String> {
    let (_, object) = document.dereference(info.get(b"Title").ok()?).ok()?;
    let title = lopdf::decode_text_string(object).ok()?;
    let title = title.trim();
    (!title.is_empty()).then(|| title.chars().take(MAX_TITLE_CHARS).collect())
}

/// Returns the `/CreationDate` entry.
pub(crate) fn creation_date(
    document: &Document,
    info: &Dictionary,
) -> Option<DateTime<FixedOffset>> {
    let (_, object) = document.dereference(info.get(b"CreationDate").ok()?).ok()?;
    match object {
        Object::String(bytes, _) => parse_pdf_date(bytes),
        _ => None,
    }
}

/// Parses a PDF date string, `D:YYYYMMDDHHmmSSOHH'mm'`, in which every field after
/// the year is optional (ISO 32000-1, 7.9.4). A date without an offset is taken as
/// UTC, because the standard leaves its zone unknown.
pub(crate) fn parse_pdf_date(bytes: &[u8]) -> Option<DateTime<FixedOffset>> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, zone) = text.split_at(digits_end);
    if digits.len() < 4 {
        return None;
    }
    let field = |start: usize, default: u32| -> Option<u32> {
        match digits.get(start..start + 2) {
            Some(value) => value.parse().ok(),
            None => Some(default),
        }
    };
    let year: i32 = digits[..4].parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, field(4, 1)?, field(6, 1)?)?;
    let time = date.and_hms_opt(field(8, 0)?, field(10, 0)?, field(12, 0)?)?;
    let offset = parse_offset(zone).unwrap_or(FixedOffset::east_opt(0)?);
    time.and_local_timezone(offset).single()
}

/// Parses `Z`, `+HH'mm'`, `-HH'mm` or `+HH`.
fn parse_offset(zone: &str) -> Option<FixedOffset> {
    let sign = match zone.chars().next()? {
        'Z' | 'z' => return FixedOffset::east_opt(0),
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..]
        .chars()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_date_with_offset() {
        let date = parse_pdf_date(b"D:20220403173102+02'00'").unwrap();
        assert_eq!(date.to_rfc3339(), "2022-04-03T17:31:02+02:00");
    }

    #[test]
    fn utc_and_partial_dates() {
        assert_eq!(
            parse_pdf_date(b"D:20220403173102Z").unwrap().to_rfc3339(),
            "2022-04-03T17:31:02+00:00"
        );
        assert_eq!(
            parse_pdf_date(b"D:2021").unwrap().to_rfc3339(),
            "2021-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn invalid_dates_are_none() {
        assert!(parse_pdf_date(b"D:20221340").is_none());
        assert!(parse_pdf_date(b"hier").is_none());
        assert!(parse_pdf_date(b"").is_none());
    }
}
