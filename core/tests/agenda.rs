//! The agenda, vaccination calendar and prevention suggestions through a real
//! vault: `.ics` fixtures of `carnet-agenda` imported, exported and imported
//! back, re-imports, broken files, encryption at rest, doses due from imported
//! and hand-recorded vaccinations, and decisions across unlocks.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use carnet_core::agenda::event::{Event, EventTime};
use carnet_core::agenda::ics::import_ics;
use carnet_core::agenda::prevention::{Decision, SuggestionState};
use carnet_core::agenda::rule::RecurrenceRule;
use carnet_core::agenda::vaccination::{Antigen, DoseState};
use carnet_core::import::ImportOptions;
use carnet_core::{KdfParams, NewPerson, Person, Relation, Sex, Unlock, Vault};
use chrono::{NaiveDate, NaiveDateTime};

const PASSPHRASE: &str = "cheval-agrafe-pile-correcte-1987";

fn agenda_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("agenda/tests/fixtures")
}

/// Every `.ics` file of the well-formed fixture folders, sorted.
fn good_fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["ical.js", "ical4j", "icalendar-py", "ics-py", "synthetic"] {
        for entry in std::fs::read_dir(agenda_fixtures().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ics") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 20, "fixtures not found");
    files
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(0, 0, 0).unwrap()
}

fn new_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _kit) = Vault::create(
        &dir.path().join("vault"),
        PASSPHRASE,
        KdfParams::INSECURE_FOR_TESTS,
    )
    .unwrap();
    (dir, vault)
}

fn add_person(vault: &mut Vault, name: &str, birth: NaiveDate, sex: Sex) -> Person {
    vault
        .add_person(NewPerson {
            name: name.into(),
            birth_date: birth,
            sex,
            relation: Relation::Enfant,
            ins: None,
        })
        .unwrap()
}

/// The events a file gives that pass `Event::validate`, ordered by UID (file
/// order kept within a UID), as the vault stores them.
fn expected_events(bytes: &[u8]) -> Vec<Event> {
    let mut events: Vec<Event> = import_ics(bytes)
        .unwrap()
        .events
        .into_iter()
        .filter(|e| e.validate().is_ok())
        .collect();
    events.sort_by(|a, b| a.uid.cmp(&b.uid));
    events
}

fn stored(vault: &Vault, person: &Person) -> Vec<Event> {
    vault
        .stored_events(Some(&person.id))
        .unwrap()
        .into_iter()
        .map(|(_, e)| e)
        .collect()
}

#[test]
fn fixtures_round_trip_through_vault() {
    let (_dir, mut vault) = new_vault();
    let mut total = 0;
    for (index, path) in good_fixtures().iter().enumerate() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let first = add_person(
            &mut vault,
            &format!("A{index}"),
            date(1980, 1, 1),
            Sex::Female,
        );
        let second = add_person(
            &mut vault,
            &format!("B{index}"),
            date(1980, 1, 1),
            Sex::Male,
        );

        let summary = vault.import_ics(&first.id, &bytes).unwrap();
        let expected = expected_events(&bytes);
        total += expected.len();
        assert_eq!(summary.updated, 0, "{name}");
        assert_eq!(stored(&vault, &first), expected, "{name}: stored events");

        let exported = vault.export_ics(Some(&first.id)).unwrap();
        let person_line = format!("X-CARNET-PERSON:{}", first.id);
        assert_eq!(
            exported.matches(&person_line).count(),
            expected.len(),
            "{name}: one person property per event"
        );
        let again = vault.import_ics(&second.id, exported.as_bytes()).unwrap();
        assert!(again.rejected.is_empty(), "{name}: {:?}", again.rejected);
        assert_eq!(again.imported, summary.imported, "{name}");
        // Export writes a DTSTAMP for events that had none (RFC 5545 requires one).
        let mut again_stored = stored(&vault, &second);
        for (event, before) in again_stored.iter_mut().zip(&expected) {
            if before.dtstamp.is_none() {
                event.dtstamp = None;
            }
        }
        assert_eq!(again_stored, expected, "{name}: after export");
    }
    assert!(total > 50, "only {total} events in the fixtures");
}

#[test]
fn reimport_updates_without_duplicates() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let bytes = std::fs::read(agenda_fixtures().join("synthetic/carnet_cases.ics")).unwrap();

    let first = vault.import_ics(&person.id, &bytes).unwrap();
    let count = stored(&vault, &person).len();
    let second = vault.import_ics(&person.id, &bytes).unwrap();

    assert!(first.imported > 0);
    assert_eq!(first.updated, 0);
    assert_eq!(second.imported, 0);
    assert_eq!(second.updated, first.imported);
    assert_eq!(stored(&vault, &person).len(), count);
}

#[test]
fn broken_file_keeps_valid_events() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let good =
        std::fs::read_to_string(agenda_fixtures().join("synthetic/carnet_cases.ics")).unwrap();
    let valid = expected_events(good.as_bytes()).len();
    let broken_events = "BEGIN:VEVENT\r\nUID:no-start@test\r\nSUMMARY:x\r\nEND:VEVENT\r\n\
                         BEGIN:VEVENT\r\nUID:bad-date@test\r\nDTSTART:2025-13-45\r\nEND:VEVENT\r\n\
                         BEGIN:VEVENT\r\nUID:bad-zone@test\r\nDTSTART;TZID=Mars/Olympus:20250101T100000\r\n\
                         RRULE:FREQ=WEEKLY;BYMONTHDAY=3\r\nEND:VEVENT\r\n";
    let file = good.replace("END:VCALENDAR", &format!("{broken_events}END:VCALENDAR"));

    let summary = vault.import_ics(&person.id, file.as_bytes()).unwrap();

    assert_eq!(
        summary.imported,
        count_uids(&expected_events(good.as_bytes()))
    );
    assert_eq!(stored(&vault, &person).len(), valid);
    let uids: Vec<Option<&str>> = summary.rejected.iter().map(|r| r.uid.as_deref()).collect();
    assert!(uids.contains(&Some("no-start@test")), "{uids:?}");
    assert!(uids.contains(&Some("bad-date@test")), "{uids:?}");
    for rejection in &summary.rejected {
        let text = rejection.reason.render(carnet_core::Lang::Fr);
        assert!(!text.starts_with("agenda."), "no label: {text}");
    }
}

#[test]
fn unreadable_file_is_invalid_input() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let error = vault.import_ics(&person.id, b"not a calendar").unwrap_err();
    assert!(
        matches!(error, carnet_core::VaultError::InvalidInput { .. }),
        "{error}"
    );
}

fn count_uids(events: &[Event]) -> usize {
    let mut uids: Vec<&str> = events.iter().map(|e| e.uid.as_str()).collect();
    uids.dedup();
    uids.len()
}

#[test]
fn events_expand_and_delete() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let mut event = Event::appointment(
        "weekly@test",
        at(2025, 3, 3) + chrono::Duration::hours(9),
        30,
    );
    event.summary = Some("Orthophoniste".into());
    event
        .recurrence
        .rules
        .push(RecurrenceRule::parse("FREQ=WEEKLY;COUNT=10").unwrap());
    vault.add_event(&person.id, event.clone()).unwrap();

    assert!(
        vault.add_event(&person.id, event.clone()).is_err(),
        "duplicate UID accepted"
    );
    let items = vault
        .events(Some(&person.id), at(2025, 3, 1), at(2025, 3, 22))
        .unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| i.person_id == person.id));

    event.summary = Some("Orthophonie".into());
    vault.update_event(&person.id, event).unwrap();
    let items = vault.events(None, at(2025, 3, 1), at(2025, 3, 22)).unwrap();
    assert_eq!(items[0].event.summary.as_deref(), Some("Orthophonie"));

    assert!(vault.delete_event(&person.id, "weekly@test").unwrap());
    assert!(!vault.delete_event(&person.id, "weekly@test").unwrap());
    assert!(
        vault
            .events(None, at(2025, 3, 1), at(2025, 3, 22))
            .unwrap()
            .is_empty()
    );

    let actions: Vec<String> = vault
        .journal_entries(0, 1000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in ["agenda.add", "agenda.update", "agenda.delete"] {
        assert!(actions.iter().any(|a| a == action), "{action} missing");
    }
}

#[test]
fn invalid_event_is_rejected() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let event = Event::new(
        "zone@test",
        EventTime::Zoned {
            local: at(2025, 3, 3),
            tzid: "Mars/Olympus".into(),
        },
    );
    assert!(vault.add_event(&person.id, event).is_err());
    assert!(stored(&vault, &person).is_empty());
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn nothing_in_clear_on_disk() {
    const MARKER: &str = "MARQUEUR-RDV-CLAIR-4b7e";
    let (dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let mut event = Event::appointment("clear@test", at(2025, 4, 1), 20);
    event.summary = Some(MARKER.into());
    event.appointment.notes = Some(format!("{MARKER} notes"));
    vault.add_event(&person.id, event).unwrap();
    let file = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:imported-clear@test\r\n\
         DTSTART:20250402T100000Z\r\nSUMMARY:{MARKER} import\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    vault.import_ics(&person.id, file.as_bytes()).unwrap();
    vault
        .record_vaccination(&person.id, "Bexsero", date(2016, 1, 2), Some(MARKER))
        .unwrap();

    let scan = |when: &str| {
        for path in files_under(dir.path()) {
            let bytes = std::fs::read(&path).unwrap();
            let found = bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes());
            assert!(!found, "{when}: marker in clear in {}", path.display());
        }
    };
    scan("while open");
    drop(vault);
    scan("after close");
}

#[test]
fn menb_due_then_done() {
    let (_dir, mut vault) = new_vault();
    let child = add_person(&mut vault, "Noé", date(2025, 3, 10), Sex::Male);

    let due = vault.vaccinations_due(&child.id, date(2025, 6, 1)).unwrap();
    let menb = due
        .iter()
        .find(|s| s.antigen == Antigen::MeningococcusB && s.dose == 1)
        .expect("MenB dose 1 listed");
    assert_eq!(menb.due_on, date(2025, 6, 10));
    assert_eq!(menb.state, DoseState::Upcoming);

    let recorded = vault
        .record_vaccination(&child.id, "Bexsero", date(2025, 6, 10), Some("AB1234"))
        .unwrap();
    assert_eq!(recorded.antigens, vec![Antigen::MeningococcusB]);

    let due = vault
        .vaccinations_due(&child.id, date(2025, 6, 15))
        .unwrap();
    let menb = due
        .iter()
        .find(|s| s.antigen == Antigen::MeningococcusB && s.dose == 1)
        .unwrap();
    assert_eq!(
        menb.state,
        DoseState::Done {
            on: date(2025, 6, 10)
        }
    );
    assert_eq!(
        vault.recorded_vaccinations(&child.id).unwrap(),
        vec![recorded]
    );
}

#[test]
fn record_vaccination_checks_input() {
    let (_dir, mut vault) = new_vault();
    let child = add_person(&mut vault, "Noé", date(2025, 3, 10), Sex::Male);
    let cases = [
        ("Vaccin inconnu", date(2025, 6, 10)),
        ("", date(2025, 6, 10)),
        ("Bexsero", date(2025, 3, 9)),
        ("Bexsero", date(2999, 1, 1)),
    ];
    for (vaccine, given_on) in cases {
        let result = vault.record_vaccination(&child.id, vaccine, given_on, None);
        assert!(result.is_err(), "{vaccine:?} on {given_on} accepted");
    }
    assert!(vault.recorded_vaccinations(&child.id).unwrap().is_empty());
}

#[test]
fn cda_vaccination_counts_as_done() {
    let (_dir, mut vault) = new_vault();
    // The patient of the ANS vaccination note example.
    let person = add_person(
        &mut vault,
        "Dominique Pat-Trois",
        date(1979, 3, 28),
        Sex::Female,
    );
    let cda = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("clinical/tests/fixtures/cda/fr-ans/VAC-NOTE_2023.01.xml");
    let options = ImportOptions {
        person_id: person.id.clone(),
        source: "import".into(),
        force: true,
    };
    let summary = vault
        .import_paths(&[cda], &options, &AtomicBool::new(false), &mut |_| {})
        .unwrap();
    assert_eq!(summary.imported, 1);

    let records = vault.vaccination_records(&person.id).unwrap();
    assert!(
        records
            .iter()
            .any(|r| r.date == date(2009, 9, 28) && r.antigens == vec![Antigen::Tetanus]),
        "{records:?}"
    );
    let due = vault
        .vaccinations_due(&person.id, date(2010, 1, 1))
        .unwrap();
    assert!(
        due.iter().any(|s| s.antigen == Antigen::Tetanus
            && s.state
                == DoseState::Done {
                    on: date(2009, 9, 28)
                }),
        "tetanus dose of 2009-09-28 not counted"
    );
}

#[test]
fn prevention_decisions_persist_across_unlock() {
    let (dir, mut vault) = new_vault();
    let child = add_person(&mut vault, "Noé", date(2025, 3, 10), Sex::Male);
    let today = date(2025, 12, 1);

    let before = vault.prevention_suggestions(&child.id, today).unwrap();
    assert!(before.iter().any(|s| s.id == "checkup-9m"));
    vault
        .decide_suggestion(
            &child.id,
            "checkup-9m",
            Decision::Planned {
                on: date(2025, 12, 5),
            },
        )
        .unwrap();
    vault
        .decide_suggestion(
            &child.id,
            "checkup-8d",
            Decision::Done {
                on: date(2025, 3, 15),
            },
        )
        .unwrap();
    vault
        .decide_suggestion(&child.id, "checkup-8d", Decision::Dismissed)
        .unwrap();
    assert!(
        vault
            .decide_suggestion(&child.id, "no-such-id", Decision::Dismissed)
            .is_err()
    );
    drop(vault);

    let vault = Vault::unlock(&dir.path().join("vault"), Unlock::Passphrase(PASSPHRASE)).unwrap();
    let after = vault.prevention_suggestions(&child.id, today).unwrap();
    let state = |id: &str| after.iter().find(|s| s.id == id).unwrap().state;
    assert_eq!(
        state("checkup-9m"),
        SuggestionState::Planned {
            on: date(2025, 12, 5)
        }
    );
    assert_eq!(state("checkup-8d"), SuggestionState::Dismissed);
    assert_eq!(vault.suggestion_decisions(&child.id).unwrap().len(), 2);
}

/// Returns (live, deleted) counts of records of one kind.
fn record_counts(vault: &Vault, kind: &str) -> (i64, i64) {
    vault
        .connection()
        .query_row(
            "SELECT count(*) FILTER (WHERE deleted = 0), count(*) FILTER (WHERE deleted = 1)
             FROM records WHERE kind = ?1",
            [kind],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn changes_write_sealed_records() {
    let (_dir, mut vault) = new_vault();
    let child = add_person(&mut vault, "Noé", date(2025, 3, 10), Sex::Male);
    vault
        .add_event(
            &child.id,
            Event::appointment("one@test", at(2025, 6, 1), 15),
        )
        .unwrap();
    vault
        .add_event(
            &child.id,
            Event::appointment("two@test", at(2025, 6, 2), 15),
        )
        .unwrap();
    vault.delete_event(&child.id, "one@test").unwrap();
    vault
        .record_vaccination(&child.id, "Bexsero", date(2025, 6, 10), None)
        .unwrap();
    vault
        .decide_suggestion(&child.id, "checkup-9m", Decision::Dismissed)
        .unwrap();
    vault
        .decide_suggestion(
            &child.id,
            "checkup-9m",
            Decision::Planned {
                on: date(2025, 12, 5),
            },
        )
        .unwrap();

    assert_eq!(record_counts(&vault, "event"), (1, 1));
    assert_eq!(record_counts(&vault, "vaccination"), (1, 0));
    assert_eq!(record_counts(&vault, "prevention_decision"), (1, 0));
}

#[test]
fn delete_one_occurrence_adds_exdate() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let mut event = Event::appointment(
        "kine@test",
        at(2026, 3, 23) + chrono::Duration::hours(9),
        30,
    );
    event
        .recurrence
        .rules
        .push(RecurrenceRule::parse("FREQ=WEEKLY;COUNT=4").unwrap());
    vault.add_event(&person.id, event).unwrap();
    // An override moves the second occurrence (after the switch to summer time) to 11:00.
    let second = EventTime::paris(at(2026, 3, 30) + chrono::Duration::hours(9));
    let mut moved = Event::appointment(
        "kine@test",
        at(2026, 3, 30) + chrono::Duration::hours(11),
        30,
    );
    moved.recurrence_id = Some(second.clone());
    vault.add_event(&person.id, moved).unwrap();

    vault
        .delete_occurrence(&person.id, "kine@test", &second)
        .unwrap();
    let starts: Vec<String> = vault
        .events(Some(&person.id), at(2026, 3, 1), at(2026, 5, 1))
        .unwrap()
        .iter()
        .map(|item| item.occurrence.start.naive_local().to_string())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-03-23 09:00:00",
            "2026-04-06 09:00:00",
            "2026-04-13 09:00:00"
        ]
    );
    let stored = stored(&vault, &person);
    assert_eq!(
        stored.len(),
        1,
        "the override of the deleted occurrence is gone"
    );
    assert_eq!(stored[0].recurrence.exceptions, vec![second.clone()]);

    // Deleting it again keeps one EXDATE.
    vault
        .delete_occurrence(&person.id, "kine@test", &second)
        .unwrap();
    assert_eq!(stored_exceptions(&vault, &person), 1);

    let one_off = Event::appointment("once@test", at(2026, 4, 1), 30);
    vault.add_event(&person.id, one_off).unwrap();
    assert!(
        vault
            .delete_occurrence(&person.id, "once@test", &EventTime::paris(at(2026, 4, 1)))
            .is_err(),
        "a one-off event has no occurrence to exclude"
    );
}

fn stored_exceptions(vault: &Vault, person: &Person) -> usize {
    stored(vault, person)
        .iter()
        .map(|event| event.recurrence.exceptions.len())
        .sum()
}

fn hostile(name: &str) -> Vec<u8> {
    std::fs::read(agenda_fixtures().join("hostile").join(name)).unwrap()
}

fn titles_between(
    vault: &Vault,
    person: &Person,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<String> {
    vault
        .events(Some(&person.id), from, to)
        .unwrap()
        .into_iter()
        .map(|item| item.event.summary.unwrap_or_default())
        .collect()
}

#[test]
fn older_sequence_is_skipped() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    vault.import_ics(&person.id, &hostile("seq3.ics")).unwrap();

    let summary = vault.import_ics(&person.id, &hostile("seq1.ics")).unwrap();

    assert_eq!(summary.updated, 0);
    assert_eq!(summary.imported, 0);
    assert_eq!(summary.skipped.len(), 1);
    assert_eq!(summary.skipped[0].uid, "seq");
    assert_eq!(
        summary.skipped[0].reason.key,
        "agenda.import.skipped_sequence"
    );
    assert_eq!(
        titles_between(&vault, &person, at(2027, 8, 1), at(2027, 8, 2)),
        ["Dentiste (nouvelle heure)"]
    );
}

#[test]
fn older_stamp_same_sequence_is_skipped() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let version = |stamp: &str, title: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:stamp\r\nSEQUENCE:2\r\n\
             DTSTAMP:{stamp}\r\nDTSTART:20270801T100000Z\r\nSUMMARY:{title}\r\nEND:VEVENT\r\n\
             END:VCALENDAR\r\n"
        )
    };
    let newer = version("20261201T100000Z", "Nouvelle");
    let older = version("20261101T100000Z", "Ancienne");
    vault.import_ics(&person.id, newer.as_bytes()).unwrap();

    let summary = vault.import_ics(&person.id, older.as_bytes()).unwrap();
    assert_eq!(summary.skipped.len(), 1);
    assert_eq!(summary.skipped[0].reason.key, "agenda.import.skipped_stamp");

    let again = vault.import_ics(&person.id, newer.as_bytes()).unwrap();
    assert!(again.skipped.is_empty());
    assert_eq!(again.updated, 1);
    assert_eq!(
        titles_between(&vault, &person, at(2027, 8, 1), at(2027, 8, 2)),
        ["Nouvelle"]
    );
}

#[test]
fn method_cancel_hides_stored_event() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    vault.import_ics(&person.id, &hostile("seq3.ics")).unwrap();

    let summary = vault
        .import_ics(&person.id, &hostile("seq_cancel.ics"))
        .unwrap();

    assert_eq!(summary.updated, 1);
    assert!(titles_between(&vault, &person, at(2027, 8, 1), at(2027, 8, 2)).is_empty());
    let kept = stored(&vault, &person);
    assert_eq!(kept.len(), 1);
    assert!(kept[0].is_cancelled());
}

#[test]
fn cancelled_override_joins_stored_series() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);
    let file = String::from_utf8(hostile("exceptions.ics")).unwrap();
    // The series without its cancelled instance, then a METHOD:CANCEL file
    // that contains only that instance.
    let (series, cancelled) = file.split_at(
        file.find("BEGIN:VEVENT\r\nUID:exc\r\nRECURRENCE-ID;TZID=Europe/Paris:20270125")
            .unwrap(),
    );
    let series = format!("{series}END:VCALENDAR\r\n");
    let cancel = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\n{cancelled}")
        .replace("STATUS:CANCELLED\r\n", "");
    vault.import_ics(&person.id, series.as_bytes()).unwrap();
    assert_eq!(
        titles_between(&vault, &person, at(2027, 1, 25), at(2027, 1, 26)).len(),
        1
    );

    let summary = vault.import_ics(&person.id, cancel.as_bytes()).unwrap();

    assert_eq!(summary.updated, 1);
    assert!(titles_between(&vault, &person, at(2027, 1, 25), at(2027, 1, 26)).is_empty());
    assert_eq!(
        titles_between(&vault, &person, at(2027, 1, 1), at(2027, 2, 1)).len(),
        2,
        "the rest of the series is kept"
    );
}

#[test]
fn huge_duration_rejected_and_listing_works() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Léa", date(2015, 5, 2), Sex::Female);

    let summary = vault
        .import_ics(&person.id, &hostile("dur_huge.ics"))
        .unwrap();

    assert_eq!(summary.imported, 0);
    assert_eq!(summary.rejected.len(), 1);
    assert_eq!(summary.rejected[0].line, Some(3));
    assert_eq!(
        summary.rejected[0].reason.key,
        "agenda.import.error.out_of_range"
    );
    assert!(
        vault
            .events(None, at(2026, 12, 31), at(2027, 1, 2))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn delete_vaccination_leaves_journal_entry() {
    let (_dir, mut vault) = new_vault();
    let child = add_person(&mut vault, "Noé", date(2025, 3, 10), Sex::Male);
    let kept = vault
        .record_vaccination(&child.id, "Bexsero", date(2025, 6, 10), None)
        .unwrap();
    let typo = vault
        .record_vaccination(&child.id, "Bexsero", date(2025, 6, 11), None)
        .unwrap();

    assert!(vault.delete_vaccination(&typo.id).unwrap());
    assert!(!vault.delete_vaccination(&typo.id).unwrap());

    let left = vault.recorded_vaccinations(&child.id).unwrap();
    assert_eq!(left, [kept]);
    let entries = vault.journal_entries(0, 1000).unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.action, "vaccination.delete");
    assert_eq!(last.subject, typo.id);
}
