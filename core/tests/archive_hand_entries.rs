//! What the user typed by hand, with no document behind it, survives an export
//! and a restore into a new vault: vaccinations recorded by hand (FHIR
//! `Immunization` in the bundle) and decisions on prevention suggestions
//! (`prevention/<person id>.json`).

mod common;

use std::fs;

use carnet_core::agenda::prevention::{Decision, SuggestionDecision};
use chrono::NaiveDate;
use common::{add_person, bundle_resources, new_vault};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn hand_entries_survive_restore() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    vault
        .record_vaccination(
            &person.id,
            "Boostrixtetra",
            date(2011, 5, 2),
            Some("AB1234"),
        )
        .unwrap();
    vault
        .record_vaccination(&person.id, "J07BB02", date(2025, 10, 20), None)
        .unwrap();
    vault
        .decide_suggestion(
            &person.id,
            "bilan-45-50y",
            Decision::Planned {
                on: date(2031, 6, 1),
            },
        )
        .unwrap();
    vault
        .decide_suggestion(&person.id, "mtdents-24y", Decision::Dismissed)
        .unwrap();

    let archive = dir.path().join("export.zip");
    vault.export_archive(&archive).unwrap();

    let immunizations = bundle_resources(&archive, "Immunization");
    assert_eq!(immunizations.len(), 2);
    assert_eq!(immunizations[0]["status"], "completed");
    assert_eq!(immunizations[0]["vaccineCode"]["text"], "Boostrixtetra");
    assert_eq!(immunizations[0]["occurrenceDateTime"], "2011-05-02");
    assert_eq!(immunizations[0]["lotNumber"], "AB1234");
    assert_eq!(
        immunizations[0]["patient"]["reference"],
        format!("Patient/{}", person.id)
    );
    let mut zip = zip::ZipArchive::new(fs::File::open(&archive).unwrap()).unwrap();
    assert!(
        zip.by_name(&format!("prevention/{}.json", person.id))
            .is_ok()
    );
    drop(zip);

    let (_d, mut restored, _) = new_vault();
    let summary = restored.restore_archive(&archive, &mut |_, _| {}).unwrap();
    assert_eq!(summary.vaccinations, 2);
    assert_eq!(summary.decisions, 2);
    let camille = restored.people().unwrap().remove(0);
    let vaccinations = restored.recorded_vaccinations(&camille.id).unwrap();
    let typed: Vec<(&str, NaiveDate, Option<&str>)> = vaccinations
        .iter()
        .map(|v| (v.vaccine.as_str(), v.given_on, v.lot.as_deref()))
        .collect();
    assert_eq!(
        typed,
        [
            ("Boostrixtetra", date(2011, 5, 2), Some("AB1234")),
            ("J07BB02", date(2025, 10, 20), None),
        ]
    );
    let mut decisions = restored.suggestion_decisions(&camille.id).unwrap();
    decisions.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(
        decisions,
        [
            SuggestionDecision {
                id: "bilan-45-50y".into(),
                decision: Decision::Planned {
                    on: date(2031, 6, 1)
                },
            },
            SuggestionDecision {
                id: "mtdents-24y".into(),
                decision: Decision::Dismissed,
            },
        ]
    );
}
