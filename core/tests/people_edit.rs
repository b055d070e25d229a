//! Editing a person on a real vault: each field, each rejection, nothing
//! half-written after a rejection, and the values read back after the vault is
//! locked and unlocked again.

mod common;

use carnet_core::{NewPerson, Person, PersonEdit, Relation, Sex, Vault, VaultError};
use chrono::NaiveDate;
use common::{add_person, new_vault, reopen};

/// Valid NIRs (13 digits and their key, 97 − number mod 97).
const INS_A: &str = "186047511542387";
const INS_B: &str = "288057512345670";
/// `INS_A` with a wrong key.
const INS_BAD_KEY: &str = "186047511542399";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Everything that an edit may write: the person as listed, their record log
/// row (version and stamp) and the number of journal rows.
fn snapshot(vault: &Vault, person: &Person) -> (String, i64, String, i64) {
    let listed = format!("{:?}", vault.person(&person.id).unwrap());
    let (version, stamp): (i64, String) = vault
        .connection()
        .query_row(
            "SELECT version, stamp FROM records WHERE id = ?1",
            [&person.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let journal: i64 = vault
        .connection()
        .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
        .unwrap();
    (listed, version, stamp, journal)
}

fn invalid_field(error: VaultError) -> &'static str {
    match error {
        VaultError::InvalidInput { field, .. } => field,
        VaultError::InvalidIns { .. } => "INS (NIR)",
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn update_each_field_and_read_back() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");

    let renamed = vault
        .update_person(
            &person.id,
            PersonEdit {
                name: Some("  Camille Durand ".into()),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    assert_eq!(renamed.name, "Camille Durand");
    assert_eq!(renamed.birth_date, person.birth_date);

    let dated = vault
        .update_person(
            &person.id,
            PersonEdit {
                birth_date: Some(date(1987, 1, 31)),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    assert_eq!(dated.birth_date, date(1987, 1, 31));

    let sexed = vault
        .update_person(
            &person.id,
            PersonEdit {
                sex: Some(Sex::Unknown),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    assert_eq!(sexed.sex, Sex::Unknown);

    let related = vault
        .update_person(
            &person.id,
            PersonEdit {
                relation: Some(Relation::Conjoint),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    assert_eq!(related.relation, Relation::Conjoint);

    let with_ins = vault
        .update_person(
            &person.id,
            PersonEdit {
                ins: Some(Some("1 86 04 75 115 423 87".into())),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    assert_eq!(with_ins.ins.as_deref(), Some(INS_A));

    let vault = reopen(vault);
    let stored = vault.person(&person.id).unwrap();
    assert_eq!(stored.name, "Camille Durand");
    assert_eq!(stored.birth_date, date(1987, 1, 31));
    assert_eq!(stored.sex, Sex::Unknown);
    assert_eq!(stored.relation, Relation::Conjoint);
    assert_eq!(stored.ins.as_deref(), Some(INS_A));
}

#[test]
fn clear_ins_and_reuse_it_elsewhere() {
    let (_dir, mut vault, _) = new_vault();
    let first = add_person(&mut vault, "Camille Martin");
    let second = add_person(&mut vault, "Léo Martin");
    vault
        .update_person(
            &first.id,
            PersonEdit {
                ins: Some(Some(INS_A.into())),
                ..PersonEdit::default()
            },
        )
        .unwrap();

    let cleared = vault
        .update_person(
            &first.id,
            PersonEdit {
                ins: Some(None),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    assert_eq!(cleared.ins, None);

    // Once cleared, the INS is free for someone else.
    let moved = vault
        .update_person(
            &second.id,
            PersonEdit {
                ins: Some(Some(INS_A.into())),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    assert_eq!(moved.ins.as_deref(), Some(INS_A));

    let vault = reopen(vault);
    assert_eq!(vault.person(&first.id).unwrap().ins, None);
    assert_eq!(
        vault.person(&second.id).unwrap().ins.as_deref(),
        Some(INS_A)
    );
}

#[test]
fn keeping_own_ins_is_not_a_duplicate() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    vault
        .update_person(
            &person.id,
            PersonEdit {
                ins: Some(Some(INS_B.into())),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    let again = vault.update_person(
        &person.id,
        PersonEdit {
            name: Some("Camille Durand".into()),
            ins: Some(Some(INS_B.into())),
            ..PersonEdit::default()
        },
    );
    assert_eq!(again.unwrap().ins.as_deref(), Some(INS_B));
}

#[test]
fn rejections_write_nothing() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let other = vault
        .add_person(NewPerson {
            name: "Léo Martin".into(),
            birth_date: date(2023, 3, 14),
            sex: Sex::Male,
            relation: Relation::Enfant,
            ins: Some(INS_B.into()),
        })
        .unwrap();
    let tomorrow = chrono::Local::now().date_naive() + chrono::Days::new(1);
    let before = snapshot(&vault, &person);

    let cases: Vec<(&str, PersonEdit, &str)> = vec![
        (
            "empty name",
            PersonEdit {
                name: Some("   ".into()),
                ..PersonEdit::default()
            },
            "name",
        ),
        (
            "long name",
            PersonEdit {
                name: Some("a".repeat(201)),
                ..PersonEdit::default()
            },
            "name",
        ),
        (
            "control character",
            PersonEdit {
                name: Some("Camille\u{1b}[2J".into()),
                ..PersonEdit::default()
            },
            "name",
        ),
        (
            "future birth date",
            PersonEdit {
                birth_date: Some(tomorrow),
                ..PersonEdit::default()
            },
            "birth date",
        ),
        (
            "birth date over 130 years ago",
            PersonEdit {
                birth_date: Some(date(1850, 1, 1)),
                ..PersonEdit::default()
            },
            "birth date",
        ),
        (
            "INS with a wrong key",
            PersonEdit {
                ins: Some(Some(INS_BAD_KEY.into())),
                ..PersonEdit::default()
            },
            "INS (NIR)",
        ),
        (
            "INS too short",
            PersonEdit {
                ins: Some(Some("12345".into())),
                ..PersonEdit::default()
            },
            "INS (NIR)",
        ),
        (
            "INS of someone else",
            PersonEdit {
                ins: Some(Some(INS_B.into())),
                ..PersonEdit::default()
            },
            "INS",
        ),
        (
            // A valid field with an invalid one: the valid one is not written either.
            "valid name with a future date",
            PersonEdit {
                name: Some("Camille Durand".into()),
                birth_date: Some(tomorrow),
                ..PersonEdit::default()
            },
            "birth date",
        ),
    ];
    for (case, edit, field) in cases {
        let error = vault.update_person(&person.id, edit).unwrap_err();
        assert_eq!(invalid_field(error), field, "{case}");
        assert_eq!(snapshot(&vault, &person), before, "{case} wrote something");
    }

    let missing = vault.update_person("no-such-person", PersonEdit::default());
    assert!(matches!(missing, Err(VaultError::PersonNotFound { .. })));

    let vault = reopen(vault);
    assert_eq!(vault.person(&person.id).unwrap().name, "Camille Martin");
    assert_eq!(vault.person(&other.id).unwrap().ins.as_deref(), Some(INS_B));
}

#[test]
fn update_writes_changed_fields_with_new_stamps() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let (_, version_before, stamp_before, journal_before) = snapshot(&vault, &person);

    // Nothing changes: nothing is written.
    vault
        .update_person(
            &person.id,
            PersonEdit {
                name: Some("Camille Martin".into()),
                sex: Some(person.sex),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    let (_, version, stamp, journal) = snapshot(&vault, &person);
    assert_eq!(version, version_before);
    assert_eq!(stamp, stamp_before);
    assert_eq!(journal, journal_before);

    vault
        .update_person(
            &person.id,
            PersonEdit {
                name: Some("Camille Durand".into()),
                ins: Some(Some(INS_A.into())),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    let (_, version, stamp, journal) = snapshot(&vault, &person);
    assert_eq!(version, version_before + 1);
    assert!(stamp > stamp_before, "{stamp} is not after {stamp_before}");
    assert_eq!(journal, journal_before + 1);

    let entries = vault.journal_entries(0, 1000).unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.action, "person.update");
    assert_eq!(last.subject, person.id);
    assert_eq!(last.detail, "fields=name,ins");
    for entry in &entries {
        assert!(!entry.detail.contains("Durand"), "a name in the journal");
        assert!(!entry.detail.contains(INS_A), "an INS in the journal");
    }
    assert!(vault.verify_journal().unwrap().ok());
}
