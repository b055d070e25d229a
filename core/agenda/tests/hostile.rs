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

fn hostile_fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name);
    std::fs::read(path).unwrap()
}

#[test]
fn huge_duration_rejected_with_line() {
    let report = import_ics(&hostile_fixture("dur_huge.ics")).unwrap();
    assert!(report.events.is_empty());
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        report.rejected[0].reason,
        carnet_agenda::ics::EventError::OutOfRange {
            property: "DURATION".into(),
            line: 6
        }
    );
}

#[test]
fn huge_rdate_period_rejected_with_line() {
    let report = import_ics(&hostile_fixture("p_rdper.ics")).unwrap();
    assert!(report.events.is_empty());
    assert_eq!(
        report.rejected[0].reason,
        carnet_agenda::ics::EventError::OutOfRange {
            property: "RDATE".into(),
            line: 6
        }
    );
}

#[test]
fn huge_alarm_dropped_with_warning() {
    let report = import_ics(&hostile_fixture("p_trig.ics")).unwrap();
    assert_eq!(report.events.len(), 1);
    assert!(report.events[0].alarms.is_empty());
    assert!(report.warnings.iter().any(|w| matches!(
        w,
        carnet_agenda::ics::ImportWarning::InvalidAlarm { line: 7, .. }
    )));
}

/// Events stored before import checked durations must still expand.
#[test]
fn stored_huge_offsets_expand_without_panic() {
    use carnet_agenda::event::{
        Alarm, AlarmAction, Event, EventEnd, EventTime, IcsDuration, RecurrenceDate, Trigger,
        TriggerRelation,
    };

    let huge = IcsDuration {
        weeks: 99_999_999,
        ..IcsDuration::default()
    };
    let negative_huge = IcsDuration {
        negative: true,
        ..huge
    };
    let start = NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    let mut event = Event::new(
        "stored",
        EventTime::Utc {
            instant: start.and_utc(),
        },
    );
    event.end = Some(EventEnd::After { duration: huge });
    event.recurrence.dates.push(RecurrenceDate::Period {
        start: EventTime::Utc {
            instant: start.and_utc(),
        },
        end: EventEnd::After { duration: huge },
    });
    event.alarms.push(Alarm {
        action: AlarmAction::Display,
        trigger: Trigger::Relative {
            offset: negative_huge,
            related: TriggerRelation::Start,
        },
        description: None,
        summary: None,
        attendees: Vec::new(),
        repeat: Some(u32::MAX),
        repeat_interval: Some(huge),
    });
    assert!(event.validate().is_err());

    let (from, to) = window();
    let found = occurrences(std::slice::from_ref(&event), from, to);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .alarm_instants(&event, chrono_tz::Europe::Paris)
            .is_empty()
    );
    let far = NaiveDate::from_ymd_opt(9000, 1, 1).unwrap().into();
    let later = NaiveDate::from_ymd_opt(9001, 1, 1).unwrap().into();
    assert_eq!(
        occurrences(std::slice::from_ref(&event), far, later).len(),
        1
    );
    let extreme_from = chrono::NaiveDateTime::MIN;
    let extreme_to = chrono::NaiveDateTime::MAX;
    occurrences(std::slice::from_ref(&event), extreme_from, extreme_to);
}

#[test]
fn cancelled_instance_left_out() {
    let report = import_ics(&hostile_fixture("exceptions.ics")).unwrap();
    let from = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().into();
    let to = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap().into();
    let days: Vec<_> = occurrences(&report.events, from, to)
        .iter()
        .map(|o| o.start.naive_local().date().to_string())
        .collect();
    // 11 January is an EXDATE, 18 January moved to the 19th, 25 January cancelled.
    assert_eq!(days, ["2027-01-04", "2027-01-19"]);
}

#[test]
fn method_cancel_marks_events_cancelled() {
    let report = import_ics(&hostile_fixture("seq_cancel.ics")).unwrap();
    assert_eq!(report.events.len(), 1);
    assert!(report.events[0].is_cancelled());
    assert_eq!(report.events[0].sequence, 4);
    let from = NaiveDate::from_ymd_opt(2027, 8, 1).unwrap().into();
    let to = NaiveDate::from_ymd_opt(2027, 8, 2).unwrap().into();
    assert!(occurrences(&report.events, from, to).is_empty());
}

#[test]
fn fold_inside_character_keeps_accents() {
    let report = import_ics(&hostile_fixture("naive_fold.ics")).unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(report.events[0].summary.as_deref(), Some("Pédiatre Léo"));
    assert_eq!(report.events[1].summary.as_deref(), Some("Contrôle"));
    let description = report.events[1].description.as_deref().unwrap();
    assert!(description.contains("chez le pédiatre, apporter le carnet de santé"));

    let report = import_ics(&hostile_fixture("fold_mid_utf8.ics")).unwrap();
    assert_eq!(report.events[0].summary.as_deref(), Some("Pédiatre"));
}

#[test]
fn stray_latin1_byte_costs_no_event() {
    let report = import_ics(&hostile_fixture("mixed_enc.ics")).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(report.events.len(), 2);
    assert_eq!(
        report.events[0].summary.as_deref(),
        Some("Échographie à Sèvres")
    );
    assert_eq!(report.events[1].summary.as_deref(), Some("Caf\u{FFFD}"));
    assert_eq!(
        report.warnings,
        [carnet_agenda::ics::ImportWarning::InvalidUtf8 { line: 11 }]
    );
}

#[test]
fn utf16_file_with_bom_imports() {
    let report = import_ics(&hostile_fixture("bom_utf16le.ics")).unwrap();
    assert_eq!(report.events.len(), 1);
    assert_eq!(report.events[0].uid, "bom16");
}

#[test]
fn file_level_errors_name_their_cause() {
    use carnet_agenda::ics::IcsError;
    assert_eq!(import_ics(b"").unwrap_err(), IcsError::Empty);
    assert_eq!(import_ics(b"\r\n\r\n").unwrap_err(), IcsError::Empty);
    assert_eq!(
        import_ics(b"\x00\x01\x02binary\xFF\xFE").unwrap_err(),
        IcsError::NotText
    );
    assert_eq!(
        import_ics(b"Rendez-vous lundi\r\n").unwrap_err(),
        IcsError::NoCalendar
    );
}

/// Imports each file of extreme dates and offsets, then expands it in windows
/// near year 0, now, year 9999 and over chrono's whole range, with alarms.
#[test]
fn extreme_dates_import_and_expand() {
    let cases = [
        ("p_dtendfar.ics", true),
        ("p_durdays.ics", false),
        ("p_rrfar.ics", true),
        ("p_tzmax.ics", false),
        ("p_untilfar.ics", true),
        ("p_y0.ics", true),
        ("p_y9999.ics", false),
        ("p_bysetpos.ics", true),
        ("alarm_weird.ics", true),
    ];
    let day = |y: i32, m: u32, d: u32| -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().into()
    };
    let windows = [
        (day(0, 1, 1), day(1, 1, 1)),
        (day(2026, 1, 1), day(2028, 1, 1)),
        (day(9998, 1, 1), day(9999, 12, 31)),
        (chrono::NaiveDateTime::MIN, chrono::NaiveDateTime::MAX),
    ];
    for (name, imported) in cases {
        let report = import_ics(&hostile_fixture(name)).unwrap();
        assert_eq!(report.events.len() == 1, imported, "{name}: {report:?}");
        assert_eq!(report.rejected.len() == 1, !imported, "{name}: {report:?}");
        for event in &report.events {
            assert_eq!(event.validate(), Ok(()), "{name}");
        }
        for (from, to) in windows {
            for occurrence in occurrences(&report.events, from, to) {
                let event = &report.events[occurrence.event_index];
                occurrence.alarm_instants(event, chrono_tz::Europe::Paris);
            }
        }
    }
}

#[test]
fn weird_alarms_keep_valid_one() {
    let report = import_ics(&hostile_fixture("alarm_weird.ics")).unwrap();
    let alarms = &report.events[0].alarms;
    assert_eq!(alarms.len(), 1, "{alarms:?}");
    assert_eq!(alarms[0].action, carnet_agenda::event::AlarmAction::Audio);
    let invalid = report
        .warnings
        .iter()
        .filter(|w| matches!(w, carnet_agenda::ics::ImportWarning::InvalidAlarm { .. }))
        .count();
    assert_eq!(invalid, 2, "{:?}", report.warnings);
}
