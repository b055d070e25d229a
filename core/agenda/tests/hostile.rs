//! Hostile and truncated input: import and expansion must return, without
//! panicking, on every prefix of the fixtures and on rules built to run long.

use std::path::Path;

use carnet_agenda::ics::import_ics;
use carnet_agenda::occurrences;
use chrono::NaiveDate;

fn window() -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
    let from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap().into();
    let to = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().into();
    (from, to)
}

fn calendar(event_lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n{event_lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

#[test]
fn every_prefix_of_fixtures_imports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for relative in [
        "ical.js/recur_instances.ics",
        "icalendar-py/issue_156_RDATE_with_PERIOD_TZID_khal.ics",
        "icalendar-py/alarm_google_future.ics",
        "ical4j/Standup_outlook11.ics",
    ] {
        let bytes = std::fs::read(root.join(relative)).unwrap();
        let (from, to) = window();
        for end in 0..bytes.len() {
            if let Ok(report) = import_ics(&bytes[..end]) {
                occurrences(&report.events, from, to);
            }
        }
    }
}

#[test]
fn secondly_rule_from_1601_returns() {
    let text = calendar("DTSTART:16010101T000000\r\nRRULE:FREQ=SECONDLY\r\n");
    let report = import_ics(text.as_bytes()).unwrap();
    let (from, to) = window();
    let found = occurrences(&report.events, from, to);
    assert!(found.len() <= usize::from(u16::MAX));
}

#[test]
fn counted_secondly_rule_from_1601_returns() {
    let text = calendar("DTSTART:16010101T000000\r\nRRULE:FREQ=SECONDLY;COUNT=4000000000\r\n");
    let report = import_ics(text.as_bytes()).unwrap();
    let (from, to) = window();
    assert!(occurrences(&report.events, from, to).is_empty());
}

#[test]
fn impossible_rule_yields_only_dtstart() {
    let text = calendar("DTSTART:20250101T090000\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\n");
    let report = import_ics(text.as_bytes()).unwrap();
    let (from, to) = window();
    let found = occurrences(&report.events, from, to);
    // Only DTSTART itself, which RFC 5545 counts as the first instance.
    assert_eq!(found.len(), 1);
}

#[test]
fn huge_interval_and_count_return() {
    let text =
        calendar("DTSTART:20250101T090000\r\nRRULE:FREQ=DAILY;INTERVAL=65535;COUNT=4294967295\r\n");
    let report = import_ics(text.as_bytes()).unwrap();
    let (from, to) = window();
    assert_eq!(occurrences(&report.events, from, to).len(), 1);
}

#[test]
fn binary_garbage_is_rejected_or_empty() {
    let mut state: u32 = 0x1234_5678;
    let mut bytes = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n".to_vec();
    for _ in 0..50_000 {
        // xorshift32: deterministic pseudo-random bytes.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push(state.to_le_bytes()[0]);
    }
    let report = import_ics(&bytes).unwrap();
    assert!(report.events.is_empty());
    assert!(!report.rejected.is_empty() || !report.warnings.is_empty());
}

#[test]
fn deep_nesting_is_an_error() {
    let text = "BEGIN:VCALENDAR\r\n".repeat(100_000);
    assert!(import_ics(text.as_bytes()).is_err());
}

#[test]
fn unsupported_rule_is_a_warning() {
    let text = calendar("DTSTART:20250101T090000\r\nRRULE:FREQ=WEEKLY;BYMONTHDAY=1\r\n");
    let report = import_ics(text.as_bytes()).unwrap();
    assert_eq!(report.events.len(), 1);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| matches!(w, carnet_agenda::ics::ImportWarning::UnsupportedRule { .. }))
    );
}
