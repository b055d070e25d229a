//! Import, export and re-import of every real-world `.ics` fixture, and the
//! malformed ones under `tests/fixtures/bad`.

use std::path::{Path, PathBuf};

use carnet_agenda::event::{AlarmAction, EventEnd, EventTime, Trigger};
use carnet_agenda::ics::{EventError, ImportWarning, import_ics, write_calendar};

fn fixtures(folder: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root.join(folder)).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(fixtures(&format!(
                "{folder}/{}",
                path.file_name().unwrap().to_str().unwrap()
            )));
        } else if path.extension().is_some_and(|e| e == "ics") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn good_fixtures() -> Vec<PathBuf> {
    ["ical.js", "ical4j", "icalendar-py", "ics-py", "synthetic"]
        .iter()
        .flat_map(|folder| fixtures(folder))
        .collect()
}

fn import(relative: &str) -> carnet_agenda::ics::ImportReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    import_ics(&std::fs::read(path).unwrap()).unwrap()
}

/// Clears the DTSTAMP that export wrote for events that had none (RFC 5545
/// requires one in every VEVENT), so that round trips compare equal.
fn without_added_stamps(
    mut again: Vec<carnet_agenda::Event>,
    original: &[carnet_agenda::Event],
) -> Vec<carnet_agenda::Event> {
    for (event, before) in again.iter_mut().zip(original) {
        if before.dtstamp.is_none() {
            event.dtstamp = None;
        }
    }
    again
}

#[test]
fn every_fixture_round_trips() {
    for path in good_fixtures() {
        let report = import_ics(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let written = write_calendar(&report.events);
        let again = import_ics(written.as_bytes())
            .unwrap_or_else(|e| panic!("{} re-import: {e}", path.display()));
        assert!(
            again.rejected.is_empty(),
            "{}: {:?}",
            path.display(),
            again.rejected
        );
        assert_eq!(
            without_added_stamps(again.events, &report.events),
            report.events,
            "{}",
            path.display()
        );
        for line in written.split("\r\n") {
            assert!(line.len() <= 75, "{}: long line {line:?}", path.display());
        }
    }
}

#[test]
fn bad_fixtures_fail_cleanly() {
    for path in fixtures("bad") {
        match import_ics(&std::fs::read(&path).unwrap()) {
            Err(error) => assert!(!error.to_string().is_empty()),
            Ok(report) => assert!(
                !report.rejected.is_empty() || !report.warnings.is_empty(),
                "{}: no error reported",
                path.display()
            ),
        }
    }
}

#[test]
fn broken_parameter_rejects_event() {
    let report = import("bad/broken_ical.ics");
    assert!(report.events.is_empty());
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].uid.as_deref(), Some("abc"));
    assert!(matches!(
        report.rejected[0].reason,
        EventError::MalformedLine { line: 4, .. }
    ));
}

#[test]
fn truncated_calendar_reports_event_and_calendar() {
    let report = import("bad/small_bad_calendar.ics");
    assert_eq!(report.rejected[0].reason, EventError::MissingStart);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| matches!(w, ImportWarning::UnclosedComponent { .. }))
    );
}

#[test]
fn freebusy_only_file_skips_component() {
    let report = import("bad/boeing_outlook_invalid_dates.ics");
    assert!(report.events.is_empty());
    assert!(
        report.warnings.iter().any(
            |w| matches!(w, ImportWarning::SkippedComponent { name, .. } if name == "VFREEBUSY")
        )
    );
}

#[test]
fn lone_cr_fuzz_case_reports_line() {
    let report = import("bad/fuzz_testcase_vtimezone_lone_cr.ics");
    assert!(report.events.is_empty());
    assert!(
        report
            .warnings
            .iter()
            .any(|w| matches!(w, ImportWarning::MalformedLine { .. }))
    );
}

#[test]
fn garbage_and_empty_input_are_errors() {
    assert!(import_ics(b"").is_err());
    assert!(import_ics(b"hello world").is_err());
    assert!(import_ics(&[0xff, 0xfe, 0x00]).is_err());
}

#[test]
fn windows_tzid_maps_to_olson() {
    let report = import("icalendar-py/issue_836_exchange_windows_tzid.ics");
    assert_eq!(report.events.len(), 1);
    match &report.events[0].start {
        EventTime::Zoned { tzid, .. } => assert_eq!(tzid, "America/New_York"),
        other => panic!("expected a zoned start, got {other:?}"),
    }
}

#[test]
fn outlook_display_name_and_evolution_prefix_resolve() {
    let outlook = import("ical4j/Standup_outlook11.ics");
    assert!(
        matches!(&outlook.events[0].start, EventTime::Zoned { tzid, .. } if tzid == "Australia/Sydney")
    );
    let evolution = import("ical4j/evolution.ics");
    assert!(
        matches!(&evolution.events[0].start, EventTime::Zoned { tzid, .. } if tzid == "America/Chicago")
    );
}

#[test]
fn custom_tz_with_fixed_offset_resolves() {
    let report = import("icalendar-py/issue_218_bad_tzid.ics");
    assert!(
        matches!(&report.events[0].start, EventTime::Zoned { tzid, .. } if tzid == "Etc/GMT-11")
    );
}

#[test]
fn duplicate_dtstart_rejects_event() {
    let report = import("icalendar-py/pacific_fiji.ics");
    assert!(report.events.is_empty());
    assert!(matches!(
        report.rejected[0].reason,
        EventError::DuplicateProperty { ref property, .. } if property == "DTSTART"
    ));
}

#[test]
fn duration_instead_of_dtend_is_kept() {
    let report = import("ical.js/duration_instead_of_dtend.ics");
    assert!(
        matches!(report.events[0].end, Some(EventEnd::After { duration }) if duration.days == 1)
    );
    assert_eq!(report.events[0].description.as_deref(), Some(""));
}

#[test]
fn alarms_relative_and_absolute() {
    let google = import("icalendar-py/alarm_google_future.ics");
    let alarms = &google.events[0].alarms;
    assert_eq!(alarms.len(), 4);
    assert_eq!(alarms[2].action, AlarmAction::Email);
    assert!(
        matches!(alarms[0].trigger, Trigger::Relative { offset, .. } if offset.negative && offset.minutes == 10)
    );
    let absolute = import("ical.js/day_long_recur_yearly.ics");
    assert!(matches!(
        absolute.events[0].alarms[0].trigger,
        Trigger::Absolute { .. }
    ));
}

#[test]
fn folded_escaped_text_is_decoded() {
    let report = import("icalendar-py/issue_53_meetup_folded_description.ics");
    let event = &report.events[0];
    // The fold sits between "Washington" and "D.C.", so unfolding joins them.
    assert_eq!(
        event.location.as_deref(),
        Some("Fathom Creative, Inc. (1333 14th Street Northwest, WashingtonD.C., DC 20005)")
    );
    assert!(
        event
            .description
            .as_deref()
            .unwrap()
            .starts_with("DevOpsDC\nThursday, July 12")
    );
}

#[test]
fn bom_and_emoji_are_read() {
    assert!(import("icalendar-py/bom_calendar.ics").events.is_empty());
    let emoji = import("ics-py/utf-8-emoji.ics");
    assert!(!emoji.events.is_empty());
    assert!(emoji.rejected.is_empty());
}

#[test]
fn french_text_is_preserved() {
    let report = import("icalendar-py/issue_348_french_sixt.ics");
    assert_eq!(report.events.len(), 1);
    assert!(
        report.events[0]
            .summary
            .as_deref()
            .unwrap()
            .contains("détails de votre réservation")
    );
}

#[test]
fn rdate_period_and_overrides_are_read() {
    let report = import("ical.js/recur_instances.ics");
    assert_eq!(report.events.len(), 3);
    let master = &report.events[0];
    assert_eq!(master.recurrence.exceptions.len(), 3);
    assert_eq!(master.recurrence.dates.len(), 5);
    assert!(report.events[1].recurrence_id.is_some());
}

#[test]
fn several_calendars_in_one_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut bytes = std::fs::read(root.join("ics-py/encoding.ics")).unwrap();
    bytes.extend(std::fs::read(root.join("icalendar-py/alarm_google_future.ics")).unwrap());
    bytes.extend(std::fs::read(root.join("ical4j/Standup_outlook11.ics")).unwrap());
    let report = import_ics(&bytes).unwrap();
    let uids: Vec<&str> = report.events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(uids.len(), 3);
    assert!(uids.contains(&"123456"));
    assert!(uids.contains(&"79fs7pkqvht9m5igs0vjv1sfra@google.com"));
}

const OUTLOOK_FRENCH: &str = "BEGIN:VCALENDAR\r\n\
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n\
VERSION:2.0\r\n\
BEGIN:VEVENT\r\n\
UID:rdv-pediatre-1\r\n\
DTSTART;TZID=Romance Standard Time:20250610T093000\r\n\
DTEND;TZID=Romance Standard Time:20250610T100000\r\n\
SUMMARY:Pédiatre\\, visite des 3 mois\r\n\
LOCATION:12 rue de la Paix\\; 75002 Paris\r\n\
CATEGORIES:Santé,Enfants\r\n\
BEGIN:VALARM\r\n\
ACTION:AUDIO\r\n\
TRIGGER;RELATED=END:PT0S\r\n\
END:VALARM\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:vitamine-d\r\n\
DTSTART:20250101T080000\r\n\
RRULE:FREQ=DAILY;COUNT=3\r\n\
RDATE;VALUE=PERIOD:20250110T080000/PT30M\r\n\
X-CARNET-KIND:REMINDER\r\n\
X-CARNET-NOTES:Ampoule\\, avec le biberon\r\n\
END:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn outlook_french_appointment() {
    let report = import_ics(OUTLOOK_FRENCH.as_bytes()).unwrap();
    assert!(report.rejected.is_empty());
    let visit = &report.events[0];
    assert!(matches!(&visit.start, EventTime::Zoned { tzid, .. } if tzid == "Europe/Paris"));
    assert_eq!(
        visit.summary.as_deref(),
        Some("Pédiatre, visite des 3 mois")
    );
    assert_eq!(
        visit.location.as_deref(),
        Some("12 rue de la Paix; 75002 Paris")
    );
    assert_eq!(visit.categories, vec!["Santé", "Enfants"]);
    assert_eq!(visit.alarms[0].action, AlarmAction::Audio);
    assert!(matches!(
        visit.alarms[0].trigger,
        Trigger::Relative {
            related: carnet_agenda::event::TriggerRelation::End,
            ..
        }
    ));
    assert!(report.warnings.iter().any(|w| matches!(
        w,
        ImportWarning::TimeZoneMapped { olson, .. } if olson == "Europe/Paris"
    )));
}

#[test]
fn floating_reminder_with_period_round_trips() {
    let report = import_ics(OUTLOOK_FRENCH.as_bytes()).unwrap();
    let reminder = &report.events[1];
    assert_eq!(reminder.kind, carnet_agenda::EventKind::Reminder);
    assert!(matches!(reminder.start, EventTime::Floating { .. }));
    assert_eq!(
        reminder.appointment.notes.as_deref(),
        Some("Ampoule, avec le biberon")
    );
    let again = import_ics(write_calendar(&report.events).as_bytes()).unwrap();
    assert_eq!(
        without_added_stamps(again.events, &report.events),
        report.events
    );

    let from = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap().into();
    let to = chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap().into();
    let found = carnet_agenda::occurrences(std::slice::from_ref(reminder), from, to);
    let starts: Vec<String> = found
        .iter()
        .map(|o| o.start.naive_local().format("%d %H:%M").to_string())
        .collect();
    assert_eq!(starts, vec!["01 08:00", "02 08:00", "03 08:00", "10 08:00"]);
    // The PERIOD gives the RDATE instance its own end.
    assert_eq!(
        found[3].end.naive_local().format("%H:%M").to_string(),
        "08:30"
    );
}
