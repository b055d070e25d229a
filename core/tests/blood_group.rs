//! The blood group typed by the user on a real vault: set, clear, one record per
//! person, the journal rows, the value read back after the vault is locked and
//! unlocked again, and its FHIR Observation in the export archive.

mod common;

use carnet_core::{BloodGroup, Vault, VaultError};
use common::{add_person, bundle_resources, new_vault, reopen};

#[test]
fn blood_group_set_clear_and_reopen() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    assert_eq!(vault.blood_group(&person.id).unwrap(), None);
    assert_eq!(vault.profile(&person.id).unwrap().blood_group, None);

    vault
        .set_blood_group(&person.id, Some(BloodGroup::AbNegative))
        .unwrap();
    assert_eq!(
        vault.profile(&person.id).unwrap().blood_group,
        Some(BloodGroup::AbNegative)
    );

    let mut vault = reopen(vault);
    assert_eq!(
        vault.blood_group(&person.id).unwrap(),
        Some(BloodGroup::AbNegative)
    );

    vault.set_blood_group(&person.id, None).unwrap();
    let vault = reopen(vault);
    assert_eq!(vault.blood_group(&person.id).unwrap(), None);

    let actions: Vec<String> = vault
        .journal_entries(0, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("blood_group."))
        .map(|e| format!("{} {} {}", e.action, e.subject, e.detail))
        .collect();
    assert_eq!(
        actions,
        [
            format!("blood_group.set {} ", person.id),
            format!("blood_group.clear {} ", person.id),
        ]
    );
    assert!(vault.verify_journal().unwrap().ok());
}

#[test]
fn blood_group_record_keeps_one_id() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let count = |vault: &Vault| -> (i64, i64) {
        vault
            .connection()
            .query_row(
                "SELECT count(*), max(version) FROM records WHERE kind = 'blood_group'",
                [],
                |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))),
            )
            .unwrap()
    };

    // Clearing an unknown group writes nothing.
    vault.set_blood_group(&person.id, None).unwrap();
    assert_eq!(count(&vault), (0, 0));

    vault
        .set_blood_group(&person.id, Some(BloodGroup::OPositive))
        .unwrap();
    vault
        .set_blood_group(&person.id, Some(BloodGroup::OPositive))
        .unwrap();
    assert_eq!(count(&vault), (1, 1), "setting the same group again");

    vault.set_blood_group(&person.id, None).unwrap();
    vault
        .set_blood_group(&person.id, Some(BloodGroup::ONegative))
        .unwrap();
    assert_eq!(count(&vault), (1, 3), "set, clear and set are one record");
}

#[test]
fn blood_group_for_unknown_person_fails() {
    let (_dir, mut vault, _) = new_vault();
    let result = vault.set_blood_group("no-such-person", Some(BloodGroup::APositive));
    assert!(matches!(result, Err(VaultError::PersonNotFound { .. })));
    let rows: i64 = vault
        .connection()
        .query_row("SELECT count(*) FROM blood_groups", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn blood_group_travels_as_fhir_observation() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let child = add_person(&mut vault, "Léo Martin");
    vault
        .set_blood_group(&person.id, Some(BloodGroup::BNegative))
        .unwrap();
    let archive = dir.path().join("export.zip");
    vault.export_archive(&archive).unwrap();

    let observations = bundle_resources(&archive, "Observation");
    assert_eq!(observations.len(), 1, "only the person with a blood group");
    let observation = &observations[0];
    assert_eq!(observation["status"], "final");
    assert_eq!(
        observation["code"]["coding"][0]["system"],
        "http://loinc.org"
    );
    assert_eq!(observation["code"]["coding"][0]["code"], "882-1");
    assert_eq!(
        observation["subject"]["reference"],
        format!("Patient/{}", person.id)
    );
    let answers = &observation["valueCodeableConcept"]["coding"];
    assert_eq!(answers[0]["system"], "http://snomed.info/sct");
    assert_eq!(answers[0]["code"], "278153001");
    assert_eq!(answers[1]["system"], "http://loinc.org");
    assert_eq!(answers[1]["code"], "LA21328-2");

    let (_d, mut restored, _) = new_vault();
    restored.restore_archive(&archive, &mut |_, _| {}).unwrap();
    let people = restored.people().unwrap();
    let camille = people.iter().find(|p| p.name == person.name).unwrap();
    let leo = people.iter().find(|p| p.name == child.name).unwrap();
    assert_eq!(
        restored.blood_group(&camille.id).unwrap(),
        Some(BloodGroup::BNegative)
    );
    assert_eq!(restored.blood_group(&leo.id).unwrap(), None);
}
