//! Creating, unlocking, protecting and recovering a vault.

mod common;

use std::fs;

use carnet_core::{KdfParams, RecoveryKit, Unlock, Vault, VaultError};
use common::{PASSPHRASE, add_person, new_vault};

#[test]
fn unlock_with_passphrase_and_wrong_passphrase() {
    let (dir, mut vault, _kit) = new_vault();
    add_person(&mut vault, "Camille Martin");
    let path = vault.dir().to_path_buf();
    drop(vault);

    let reopened = Vault::unlock(&path, Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(reopened.people().unwrap().len(), 1);
    drop(reopened);

    let wrong = Vault::unlock(&path, Unlock::Passphrase("pas-la-bonne-phrase-du-tout"));
    assert!(matches!(wrong, Err(VaultError::WrongPassphrase)));
    drop(dir);
}

#[test]
fn weak_passphrase_is_refused_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let result = Vault::create(
        &dir.path().join("v"),
        "motdepasse",
        KdfParams::INSECURE_FOR_TESTS,
    );
    let Err(VaultError::WeakPassphrase { reasons }) = result else {
        panic!("expected a refusal")
    };
    assert!(reasons.contains(&"passphrase.too_short".to_string()));
    assert!(!dir.path().join("v").join("carnet-vault.json").exists());
}

#[test]
fn recovery_kit_unlocks_and_survives_passphrase_change() {
    let (_dir, mut vault, kit) = new_vault();
    let path = vault.dir().to_path_buf();
    vault
        .change_passphrase("une-autre-phrase-bien-longue-77")
        .unwrap();
    drop(vault);

    let typed = RecoveryKit::parse(&kit.as_str().to_lowercase()).unwrap();
    let mut recovered = Vault::unlock(&path, Unlock::RecoveryKit(&typed)).unwrap();
    recovered
        .change_passphrase("troisieme-phrase-encore-plus-longue")
        .unwrap();
    drop(recovered);

    assert!(
        Vault::unlock(
            &path,
            Unlock::Passphrase("troisieme-phrase-encore-plus-longue")
        )
        .is_ok()
    );
    assert!(matches!(
        Vault::unlock(&path, Unlock::Passphrase("une-autre-phrase-bien-longue-77")),
        Err(VaultError::WrongPassphrase)
    ));
}

#[test]
fn kit_of_another_vault_is_rejected() {
    let (_a, vault_a, _) = new_vault();
    let (_b, _vault_b, kit_b) = new_vault();
    let path = vault_a.dir().to_path_buf();
    drop(vault_a);
    assert!(matches!(
        Vault::unlock(&path, Unlock::RecoveryKit(&kit_b)),
        Err(VaultError::WrongRecoveryKit)
    ));
}

#[test]
fn second_process_gets_in_use() {
    let (_dir, vault, _) = new_vault();
    let second = Vault::unlock(vault.dir(), Unlock::Passphrase(PASSPHRASE));
    assert!(matches!(second, Err(VaultError::InUse { .. })));
}

#[test]
fn create_over_existing_vault_is_refused() {
    let (_dir, vault, _) = new_vault();
    let path = vault.dir().to_path_buf();
    drop(vault);
    let again = Vault::create(&path, PASSPHRASE, KdfParams::INSECURE_FOR_TESTS);
    assert!(matches!(again, Err(VaultError::AlreadyExists { .. })));
}

#[test]
fn create_in_foreign_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("photo.jpg"), b"not ours").unwrap();
    let result = Vault::create(dir.path(), PASSPHRASE, KdfParams::INSECURE_FOR_TESTS);
    assert!(matches!(result, Err(VaultError::DirectoryNotEmpty { .. })));
    assert_eq!(fs::read(dir.path().join("photo.jpg")).unwrap(), b"not ours");
}

#[test]
fn damaged_header_is_reported_and_left_untouched() {
    let (_dir, vault, _) = new_vault();
    let path = vault.dir().to_path_buf();
    drop(vault);
    let header = path.join("carnet-vault.json");
    let original = fs::read(&header).unwrap();
    fs::write(&header, &original[..original.len() / 2]).unwrap();
    let truncated = fs::read(&header).unwrap();

    let result = Vault::unlock(&path, Unlock::Passphrase(PASSPHRASE));
    assert!(
        matches!(result, Err(VaultError::DamagedHeader { .. })),
        "{result:?}"
    );
    assert_eq!(fs::read(&header).unwrap(), truncated);
}

#[test]
fn foreign_header_is_not_a_vault() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("carnet-vault.json"),
        br#"{"format":"something-else"}"#,
    )
    .unwrap();
    let result = Vault::unlock(dir.path(), Unlock::Passphrase(PASSPHRASE));
    assert!(matches!(result, Err(VaultError::NotAVault { .. })));
}

#[test]
fn damaged_database_is_reported_and_left_untouched() {
    let (_dir, vault, _) = new_vault();
    let path = vault.dir().to_path_buf();
    drop(vault);
    let db = path.join("carnet.db");
    let garbage = vec![0x5Au8; 8192];
    fs::write(&db, &garbage).unwrap();
    let _ = fs::remove_file(path.join("carnet.db-wal"));

    let result = Vault::unlock(&path, Unlock::Passphrase(PASSPHRASE));
    assert!(
        matches!(result, Err(VaultError::DamagedDatabase { .. })),
        "{result:?}"
    );
    assert_eq!(fs::read(&db).unwrap(), garbage);
}

#[test]
fn forged_kdf_parameters_are_refused() {
    let (_dir, vault, _) = new_vault();
    let path = vault.dir().to_path_buf();
    drop(vault);
    let header_path = path.join("carnet-vault.json");
    let mut header: serde_json::Value =
        serde_json::from_slice(&fs::read(&header_path).unwrap()).unwrap();
    header["kdf"]["memory_kib"] = serde_json::json!(4_000_000_000u64);
    fs::write(&header_path, serde_json::to_vec(&header).unwrap()).unwrap();
    let result = Vault::unlock(&path, Unlock::Passphrase(PASSPHRASE));
    assert!(matches!(result, Err(VaultError::Crypto(_))), "{result:?}");
}

#[test]
fn remembered_device_unlocks_without_passphrase() {
    let (_dir, mut vault, _) = new_vault();
    let (device_id, secret) = vault.remember_device().unwrap();
    let path = vault.dir().to_path_buf();
    drop(vault);
    assert!(
        Vault::unlock(
            &path,
            Unlock::Device {
                device_id: &device_id,
                secret: &secret
            }
        )
        .is_ok()
    );

    let other = carnet_core::crypto::SecretKey::generate().unwrap();
    let refused = Vault::unlock(
        &path,
        Unlock::Device {
            device_id: &device_id,
            secret: &other,
        },
    );
    assert!(matches!(refused, Err(VaultError::DeviceKeyRejected)));
}

#[test]
fn invalid_ins_is_rejected_with_expected_key() {
    let (_dir, mut vault, _) = new_vault();
    let result = vault.add_person(carnet_core::NewPerson {
        name: "Léo".into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(2021, 9, 3).unwrap(),
        sex: carnet_core::Sex::Male,
        relation: carnet_core::Relation::Enfant,
        ins: Some("279035121518988".into()),
    });
    let Err(error) = result else {
        panic!("expected a refusal")
    };
    let message = error.message().render(carnet_core::Lang::Fr);
    assert!(message.contains("89"), "{message}");
    assert!(vault.people().unwrap().is_empty());
}

#[test]
fn missing_header_is_damage_not_an_empty_folder() {
    let (_dir, mut vault, _) = new_vault();
    add_person(&mut vault, "Camille Martin");
    let path = vault.dir().to_path_buf();
    drop(vault);
    fs::rename(
        path.join("carnet-vault.json"),
        path.join("carnet-vault.json.bak"),
    )
    .unwrap();
    let db_before = fs::read(path.join("carnet.db")).unwrap();

    let opened = Vault::unlock(&path, Unlock::Passphrase(PASSPHRASE));
    assert!(
        matches!(opened, Err(VaultError::DamagedHeader { .. })),
        "{opened:?}"
    );
    let created = Vault::create(&path, PASSPHRASE, KdfParams::INSECURE_FOR_TESTS);
    assert!(
        matches!(created, Err(VaultError::DamagedHeader { .. })),
        "{created:?}"
    );
    assert_eq!(fs::read(path.join("carnet.db")).unwrap(), db_before);
    assert!(path.join("carnet-vault.json.bak").exists());
}

#[test]
fn empty_database_file_is_damage() {
    let (_dir, vault, _) = new_vault();
    let path = vault.dir().to_path_buf();
    drop(vault);
    fs::write(path.join("carnet.db"), b"").unwrap();
    let _ = fs::remove_file(path.join("carnet.db-wal"));
    let result = Vault::unlock(&path, Unlock::Passphrase(PASSPHRASE));
    assert!(
        matches!(result, Err(VaultError::DamagedDatabase { .. })),
        "{result:?}"
    );
}

#[test]
fn same_ins_twice_is_refused() {
    let (_dir, mut vault, _) = new_vault();
    let person = |name: &str| carnet_core::NewPerson {
        name: name.into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(1979, 3, 1).unwrap(),
        sex: carnet_core::Sex::Female,
        relation: carnet_core::Relation::Titulaire,
        ins: Some("279035121518989".into()),
    };
    vault.add_person(person("Martine")).unwrap();
    assert!(vault.add_person(person("Martine bis")).is_err());
    assert_eq!(vault.people().unwrap().len(), 1);
}

#[test]
fn damaged_chunk_is_found_by_content_check() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let note = dir.path().join("note.txt");
    fs::write(&note, "Compte rendu de consultation pédiatrique.").unwrap();
    common::import(&mut vault, &person, &[note]);
    assert!(vault.verify_contents().unwrap().is_empty());

    let chunk = common::files_under(&vault.dir().join("chunks")).remove(0);
    let mut bytes = fs::read(&chunk).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    fs::write(&chunk, bytes).unwrap();
    assert_eq!(vault.verify_contents().unwrap().len(), 1);
}

#[test]
fn verify_passphrase_keeps_vault_open() {
    let (_dir, vault, _) = new_vault();
    assert!(vault.verify_passphrase(PASSPHRASE).is_ok());
    assert!(matches!(
        vault.verify_passphrase("une-autre-phrase-quelconque"),
        Err(VaultError::WrongPassphrase)
    ));
    assert!(vault.people().is_ok());
}
