//! Partial dates and times as clinical documents carry them.
//!
//! CDA writes `YYYYMMDDHHMMSS.UUUU[+|-ZZzz]` truncated to any precision, FHIR writes
//! ISO 8601 (`2024-05-03`, `2024-05`, `2024-05-03T10:12:00+02:00`). Both become one
//! normalised ISO 8601 string that keeps the source's precision, so "May 2024" is
//! never turned into "1 May 2024".

use std::fmt;

use serde::{Deserialize, Serialize};

/// A date or date-time with the precision its source gave.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClinicalTime(String);

impl ClinicalTime {
    /// Parses an HL7 v3 `TS` value such as `20240503101200+0200`.
    pub fn from_hl7(value: &str) -> Option<ClinicalTime> {
        let value = value.trim();
        let (main, offset) = match value.find(['+', '-']) {
            Some(at) => (&value[..at], Some(&value[at..])),
            None => (value, None),
        };
        // Fractional seconds are dropped: no clinical fact here depends on them.
        let main = main.split('.').next().unwrap_or(main);
        if main.len() < 4 || main.len() > 14 || main.len() % 2 == 1 {
            return None;
        }
        if !main.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut out = String::with_capacity(25);
        out.push_str(&main[..4]);
        let parts = [(4, '-'), (6, '-'), (8, 'T'), (10, ':'), (12, ':')];
        for (start, separator) in parts {
            if main.len() > start {
                out.push(separator);
                out.push_str(&main[start..start + 2]);
            }
        }
        if main.len() == 10 {
            // Hours alone are not valid ISO 8601; add the minutes.
            out.push_str(":00");
        }
        if let Some(offset) = offset.filter(|_| main.len() >= 10) {
            let digits = &offset[1..];
            if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
                out.push_str(&offset[..3]);
                out.push(':');
                out.push_str(&offset[3..]);
            }
        }
        ClinicalTime::checked(out)
    }

    /// Parses a FHIR `date`, `dateTime` or `instant`.
    pub fn from_fhir(value: &str) -> Option<ClinicalTime> {
        let value = value.trim();
        let bytes = value.as_bytes();
        if bytes.len() < 4 || !bytes[..4].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let allowed = |b: &u8| b.is_ascii_digit() || b"-:T+Z.".contains(b);
        if !bytes.iter().all(allowed) {
            return None;
        }
        // Drop fractional seconds to match the precision kept for CDA.
        let normalised = match (value.find('.'), value.find('T')) {
            (Some(dot), Some(t)) if dot > t => {
                let rest = &value[dot + 1..];
                let zone = rest.find(['+', '-', 'Z']).map(|z| &rest[z..]).unwrap_or("");
                format!("{}{}", &value[..dot], zone)
            }
            _ => value.to_owned(),
        };
        ClinicalTime::checked(normalised)
    }

    fn checked(text: String) -> Option<ClinicalTime> {
        let month = text.get(5..7).map(|m| m.parse::<u8>().ok());
        if let Some(month) = month
            && !matches!(month, Some(1..=12))
        {
            return None;
        }
        let day = text.get(8..10).map(|d| d.parse::<u8>().ok());
        if let Some(day) = day
            && !matches!(day, Some(1..=31))
        {
            return None;
        }
        Some(ClinicalTime(text))
    }

    /// Returns the ISO 8601 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the date part (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) without the time.
    pub fn date(&self) -> &str {
        self.0.split('T').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for ClinicalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hl7_keeps_precision() {
        let time = |s| ClinicalTime::from_hl7(s).map(|t| t.0);
        assert_eq!(time("2024").as_deref(), Some("2024"));
        assert_eq!(time("202405").as_deref(), Some("2024-05"));
        assert_eq!(time("20240503").as_deref(), Some("2024-05-03"));
        assert_eq!(
            time("20240503101200+0200").as_deref(),
            Some("2024-05-03T10:12:00+02:00")
        );
        assert_eq!(
            time("20140520193605-0500").as_deref(),
            Some("2014-05-20T19:36:05-05:00")
        );
        assert_eq!(time("202405031012").as_deref(), Some("2024-05-03T10:12"));
        assert_eq!(time("2024050310").as_deref(), Some("2024-05-03T10:00"));
        assert_eq!(
            time("20240503101200.123+0100").as_deref(),
            Some("2024-05-03T10:12:00+01:00")
        );
    }

    #[test]
    fn hl7_rejects_garbage() {
        assert_eq!(ClinicalTime::from_hl7(""), None);
        assert_eq!(ClinicalTime::from_hl7("20241"), None);
        assert_eq!(ClinicalTime::from_hl7("20241303"), None);
        assert_eq!(ClinicalTime::from_hl7("abcd"), None);
    }

    #[test]
    fn fhir_drops_fraction() {
        let time = ClinicalTime::from_fhir("2019-05-06T10:11:12.345+02:00").unwrap();
        assert_eq!(time.as_str(), "2019-05-06T10:11:12+02:00");
        assert_eq!(time.date(), "2019-05-06");
        assert_eq!(
            ClinicalTime::from_fhir("1979-03").unwrap().as_str(),
            "1979-03"
        );
        assert_eq!(ClinicalTime::from_fhir("not a date"), None);
    }
}
