//! Value types of RFC 5545 §3.3: DATE, DATE-TIME, DURATION, PERIOD, UTC-OFFSET
//! and TEXT escaping, parsed strictly so an invalid value rejects its event
//! instead of being guessed.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::event::IcsDuration;

/// A DATE or DATE-TIME value before its TZID is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawTime {
    Date(NaiveDate),
    /// Local date-time without `Z`: floating, or zoned when a TZID applies.
    Local(NaiveDateTime),
    Utc(DateTime<Utc>),
}

/// Parses `YYYYMMDD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = text[0..4].parse().ok()?;
    let month = text[4..6].parse().ok()?;
    let day = text[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Parses `YYYYMMDDTHHMMSS` with an optional trailing `Z`. A leap second
/// (`60`) is clamped to `59`, as RFC 5545 §3.3.12 allows.
pub fn parse_date_time(text: &str) -> Option<RawTime> {
    let text = text.trim();
    let (body, utc) = match text.strip_suffix(['Z', 'z']) {
        Some(body) => (body, true),
        None => (text, false),
    };
    let (date, time) = body.split_once(['T', 't'])?;
    let date = parse_date(date)?;
    if time.len() != 6 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hour = time[0..2].parse().ok()?;
    let minute = time[2..4].parse().ok()?;
    let second: u32 = time[4..6].parse().ok()?;
    let time = NaiveTime::from_hms_opt(hour, minute, second.min(59))?;
    let local = date.and_time(time);
    Some(if utc {
        RawTime::Utc(local.and_utc())
    } else {
        RawTime::Local(local)
    })
}

/// Parses a DATE or DATE-TIME, using `VALUE=DATE` when given and otherwise
/// the shape of the text.
pub fn parse_time(text: &str, value_type: Option<&str>) -> Option<RawTime> {
    match value_type.map(str::to_ascii_uppercase).as_deref() {
        Some("DATE") => parse_date(text).map(RawTime::Date),
        Some("DATE-TIME") => parse_date_time(text),
        _ if text.trim().len() == 8 => parse_date(text).map(RawTime::Date),
        _ => parse_date_time(text),
    }
}

/// Parses a DURATION such as `P1D`, `-PT15M`, `P2W` or Google's `-P0DT0H10M0S`.
pub fn parse_duration(text: &str) -> Option<IcsDuration> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut duration = IcsDuration {
        negative,
        ..IcsDuration::default()
    };
    let mut in_time = false;
    let mut digits = String::new();
    let mut saw_unit = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            '0'..='9' => {
                if digits.len() >= 9 {
                    return None;
                }
                digits.push(c);
            }
            'T' if !in_time && digits.is_empty() => in_time = true,
            unit => {
                let amount: u32 = digits.parse().ok()?;
                digits.clear();
                saw_unit = true;
                match (unit, in_time) {
                    ('W', false) => duration.weeks = amount,
                    ('D', false) => duration.days = amount,
                    ('H', true) => duration.hours = amount,
                    ('M', true) => duration.minutes = amount,
                    ('S', true) => duration.seconds = amount,
                    _ => return None,
                }
            }
        }
    }
    (digits.is_empty() && saw_unit).then_some(duration)
}

/// Parses a UTC-OFFSET (`+0100`, `-000115`) into seconds east of UTC.
pub fn parse_utc_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = &text[1..];
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[0..2].parse().ok()?;
    let minutes: i32 = digits[2..4].parse().ok()?;
    let seconds: i32 = if digits.len() == 6 {
        digits[4..6].parse().ok()?
    } else {
        0
    };
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}

/// Splits a multi-valued property value on unescaped commas.
pub fn split_list(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (index, c) in value.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            ',' if !escaped => {
                parts.push(&value[start..index]);
                start = index + 1;
            }
            _ => escaped = false,
        }
    }
    parts.push(&value[start..]);
    parts
}

/// Decodes TEXT escapes (`\\`, `\;`, `\,`, `\n`, `\N`). An unknown escape
/// keeps the escaped character.
pub fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Encodes TEXT for output: escapes backslash, semicolon, comma and newlines,
/// and drops the other control characters except HTAB.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // RFC 5545 allows no control character in TEXT but HTAB.
            c if c.is_control() && c != '\t' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_parses_utc_and_local() {
        assert_eq!(
            parse_date_time("20120630T060000"),
            Some(RawTime::Local(
                NaiveDate::from_ymd_opt(2012, 6, 30)
                    .unwrap()
                    .and_hms_opt(6, 0, 0)
                    .unwrap()
            ))
        );
        assert!(matches!(
            parse_date_time("20241004T181500Z"),
            Some(RawTime::Utc(_))
        ));
    }

    #[test]
    fn date_time_rejects_seven_digit_dates() {
        assert_eq!(parse_date_time("2006717T080000Z"), None);
    }

    #[test]
    fn date_rejects_utc_suffix() {
        assert_eq!(parse_time("20131210Z", None), None);
    }

    #[test]
    fn duration_parses_common_forms() {
        let d = parse_duration("-P0DT0H10M0S").unwrap();
        assert!(d.negative);
        assert_eq!(d.minutes, 10);
        assert_eq!(parse_duration("P2W").unwrap().weeks, 2);
        assert_eq!(parse_duration("PT1H30M").unwrap().hours, 1);
        assert_eq!(parse_duration("P1D").unwrap().days, 1);
    }

    #[test]
    fn duration_rejects_garbage() {
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT5"), None);
        assert_eq!(parse_duration("P1H"), None);
        assert_eq!(parse_duration("1D"), None);
    }

    #[test]
    fn utc_offset_accepts_seconds() {
        assert_eq!(parse_utc_offset("-000115"), Some(-75));
        assert_eq!(parse_utc_offset("+1100"), Some(39600));
        assert_eq!(parse_utc_offset("0100"), None);
    }

    #[test]
    fn text_escaping_round_trips() {
        let text = "a, b; c\\d\nnext";
        assert_eq!(unescape_text(&escape_text(text)), text);
        assert_eq!(
            unescape_text("Fathom Creative\\, Inc."),
            "Fathom Creative, Inc."
        );
    }

    #[test]
    fn escape_drops_control_characters() {
        assert_eq!(escape_text("a\u{7}b\tc\u{c}"), "ab\tc");
    }

    #[test]
    fn split_list_respects_escapes() {
        assert_eq!(split_list("a\\,b,c"), vec!["a\\,b", "c"]);
    }
}
