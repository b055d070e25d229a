//! Importing real files, finding them again, and taking them out.

mod common;

use std::fs;

use carnet_core::documents::{DocumentEdit, DocumentFilter};
use carnet_core::import::Outcome;
use carnet_core::{Category, TextStatus, Unlock, Vault};
use common::{PASSPHRASE, add_person, contains, files_under, fixtures, import, new_vault};

fn by_name(vault: &Vault, name: &str) -> carnet_core::DocumentSummary {
    let (_, documents) = vault
        .documents(&DocumentFilter::default(), 0, 1000)
        .unwrap();
    documents
        .into_iter()
        .find(|d| d.original_name == name)
        .unwrap_or_else(|| panic!("{name} not imported"))
}

#[test]
fn text_pdfs_are_found_by_known_phrases() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let summary = import(&mut vault, &person, &[fixtures().join("pdf")]);
    assert!(summary.imported >= 6, "{summary:?}");

    for (query, file) in [
        ("beautiful better ugly", "google-doc-document.pdf"),
        ("Two-Column Document", "multicolumn.pdf"),
        ("consetetur sadipscing", "libreoffice-writer-trivial.pdf"),
        ("takimata sanctus", "minimal-document_pdftex.pdf"),
    ] {
        let hits = vault.search(query, None, 10).unwrap();
        assert!(
            hits.iter().any(|h| h.document.original_name == file),
            "{query} did not find {file}"
        );
        let hit = hits
            .iter()
            .find(|h| h.document.original_name == file)
            .unwrap();
        assert!(
            hit.snippet.contains(carnet_core::search::MATCH_START),
            "snippet of {file} has no match marker"
        );
    }
}

#[test]
fn search_ignores_case_and_accents() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let note = dir.path().join("note.txt");
    fs::write(
        &note,
        "Résultat : hémoglobine glyquée à 6,1 %, contrôle dans trois mois.",
    )
    .unwrap();
    import(&mut vault, &person, &[note]);
    for query in ["HEMOGLOBINE", "hémoglobine", "Glyquee", "resultat controle"] {
        assert_eq!(
            vault.search(query, None, 5).unwrap().len(),
            1,
            "query {query}"
        );
    }
    assert!(vault.search("cholestérol", None, 5).unwrap().is_empty());
}

#[test]
fn scanned_and_protected_pdfs_are_marked() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(&mut vault, &person, &[fixtures().join("pdf")]);
    assert_eq!(
        by_name(&vault, "grayscale-image_IMAGE-ONLY.pdf").text_status,
        TextStatus::ImageOnly
    );
    assert_eq!(
        by_name(&vault, "libreoffice-writer-password_ENCRYPTED.pdf").text_status,
        TextStatus::Encrypted
    );
    assert_eq!(by_name(&vault, "multicolumn.pdf").pages, Some(3));
}

#[test]
fn thumbnails_apply_exif_orientation() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(&mut vault, &person, &[fixtures().join("images")]);

    // Stored 1200×1800 with orientation 6: shown landscape.
    let landscape = by_name(&vault, "Landscape_6_orient6.jpg");
    assert!(
        landscape.details["thumbnail_width"].as_u64()
            > landscape.details["thumbnail_height"].as_u64()
    );
    // Stored 1800×1200 with orientation 8: shown portrait.
    let portrait = by_name(&vault, "Portrait_8_orient8.jpg");
    assert!(
        portrait.details["thumbnail_width"].as_u64()
            < portrait.details["thumbnail_height"].as_u64()
    );

    let gps = by_name(&vault, "DSCN0010_gps.jpg");
    let thumbnail = vault.read_role_to_vec(&gps.id, "thumbnail").unwrap();
    assert!(
        !contains(&thumbnail, b"Exif"),
        "the thumbnail must carry no EXIF block"
    );
    assert!(!gps.details.to_string().to_lowercase().contains("gps"));
}

#[test]
fn vault_files_hold_no_plaintext() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let note = dir.path().join("canary.txt");
    fs::write(&note, "CANARY-7f3a9c hémoglobine du patient témoin").unwrap();
    import(
        &mut vault,
        &person,
        &[note, fixtures().join("pdf").join("google-doc-document.pdf")],
    );
    let path = vault.dir().to_path_buf();
    drop(vault);

    let original_pdf = fs::read(fixtures().join("pdf").join("google-doc-document.pdf")).unwrap();
    for file in files_under(&path) {
        let bytes = fs::read(&file).unwrap();
        for marker in [
            &b"CANARY-7f3a9c"[..],
            b"Camille Martin",
            b"Beautiful is better",
            b"SQLite format 3",
            b"%PDF-",
        ] {
            assert!(
                !contains(&bytes, marker),
                "{} contains {:?}",
                file.display(),
                String::from_utf8_lossy(marker)
            );
        }
        assert!(!contains(&bytes, &original_pdf[..256]));
    }
}

#[test]
fn same_file_twice_is_a_duplicate() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let pdf = fixtures().join("pdf").join("multicolumn.pdf");
    import(&mut vault, &person, std::slice::from_ref(&pdf));
    let again = import(&mut vault, &person, &[pdf]);
    assert_eq!(again.duplicates, 1);
    assert_eq!(again.imported, 0);
    assert!(matches!(again.files[0].outcome, Outcome::Duplicate { .. }));
    assert_eq!(
        vault
            .documents(&DocumentFilter::default(), 0, 10)
            .unwrap()
            .0,
        1
    );
}

#[test]
fn hostile_files_are_rejected_without_touching_the_vault() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(
        &mut vault,
        &person,
        &[fixtures().join("pdf").join("multicolumn.pdf")],
    );
    let before = vault
        .documents(&DocumentFilter::default(), 0, 100)
        .unwrap()
        .0;

    let bad = fixtures().join("bad");
    let summary = import(&mut vault, &person, &[bad.join("xml"), bad.join("json")]);
    let rejected: Vec<&str> = summary
        .files
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::Rejected { .. }))
        .map(|f| f.path.rsplit('/').next().unwrap())
        .collect();
    for name in [
        "xxe_external_file.xml",
        "xxe_external_http.xml",
        "xmlbomb_billion_laughs_small.xml",
        "cyclic_entity.xml",
        "external_dtd_xhtml.xml",
        "invalid_utf8_1.xml",
        "truncated-utf16.xml",
        "unclosed-element_truncated.xml",
        "trailing-null-1.xml",
        "n_structure_100000_opening_arrays.json",
        "n_structure_no_data.json",
        "n_array_invalid_utf8.json",
    ] {
        assert!(
            rejected.contains(&name),
            "{name} was not rejected: {rejected:?}"
        );
    }
    let after = vault
        .documents(&DocumentFilter::default(), 0, 100)
        .unwrap()
        .0;
    assert_eq!(after, before + summary.imported);
    assert!(vault.integrity_problems().unwrap().is_empty());
}

#[test]
fn edit_and_delete_document() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(
        &mut vault,
        &person,
        &[fixtures().join("pdf").join("multicolumn.pdf")],
    );
    let document = by_name(&vault, "multicolumn.pdf");

    let edit = DocumentEdit {
        title: Some("Bilan sanguin de mars".into()),
        category: Some(Category::Biologie),
        date: chrono::NaiveDate::from_ymd_opt(2024, 3, 14),
    };
    let edited = vault.edit_document(&document.id, &edit).unwrap();
    assert_eq!(edited.title, "Bilan sanguin de mars");
    assert_eq!(edited.category, Category::Biologie);
    assert_eq!(vault.search("sanguin", None, 5).unwrap().len(), 1);
    let filter = DocumentFilter {
        category: Some(Category::Biologie),
        year: Some(2024),
        ..Default::default()
    };
    assert_eq!(vault.documents(&filter, 0, 10).unwrap().0, 1);

    let chunks_dir = vault.dir().join("chunks");
    assert!(!files_under(&chunks_dir).is_empty());
    vault.delete_document(&document.id).unwrap();
    assert!(files_under(&chunks_dir).is_empty());
    assert!(vault.search("sanguin", None, 5).unwrap().is_empty());
    assert!(vault.document(&document.id).is_err());
}

#[test]
fn export_then_restore_gives_identical_originals() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(
        &mut vault,
        &person,
        &[fixtures().join("pdf"), fixtures().join("images")],
    );
    let archive = dir.path().join("export.zip");
    let summary = vault.export_archive(&archive).unwrap();
    assert_eq!(summary.people, 1);

    let (_dir2, mut restored, _) = new_vault();
    let result = restored.restore_archive(&archive, &mut |_, _| {}).unwrap();
    assert_eq!(result.documents, summary.documents);
    let (_, originals) = vault
        .documents(&DocumentFilter::default(), 0, 1000)
        .unwrap();
    for document in originals {
        let copy = restored.document(&document.id).unwrap();
        assert_eq!(copy.title, document.title);
        assert_eq!(copy.category, document.category);
        let a = vault.read_role_to_vec(&document.id, "original").unwrap();
        let b = restored.read_role_to_vec(&document.id, "original").unwrap();
        assert_eq!(a, b, "{} differs after restore", document.original_name);
    }
    assert_eq!(restored.search("takimata", None, 5).unwrap().len(), 2);
}

#[test]
fn tampered_archive_is_refused() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(
        &mut vault,
        &person,
        &[fixtures().join("pdf").join("multicolumn.pdf")],
    );
    let archive = dir.path().join("export.zip");
    vault.export_archive(&archive).unwrap();

    let mut bytes = fs::read(&archive).unwrap();
    // Flip a byte inside the stored PDF (stored entries keep their bytes as is).
    let at = bytes.windows(5).position(|w| w == b"%PDF-").unwrap() + 200;
    bytes[at] ^= 0xFF;
    let tampered = dir.path().join("tampered.zip");
    fs::write(&tampered, &bytes).unwrap();

    let (_d, mut target, _) = new_vault();
    assert!(target.restore_archive(&tampered, &mut |_, _| {}).is_err());
}

#[test]
fn journal_verifies_and_detects_tampering() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(
        &mut vault,
        &person,
        &[fixtures().join("pdf").join("multicolumn.pdf")],
    );
    let check = vault.verify_journal().unwrap();
    assert!(check.ok());
    assert!(check.entries >= 4);

    vault
        .connection()
        .execute("UPDATE journal SET detail = 'forged' WHERE seq = 2", [])
        .unwrap();
    assert_eq!(vault.verify_journal().unwrap().first_bad_seq, Some(2));
}

#[test]
fn journal_detects_a_removed_row() {
    let (_dir, mut vault, _) = new_vault();
    add_person(&mut vault, "Camille Martin");
    add_person(&mut vault, "Léo Martin");
    vault
        .connection()
        .execute("DELETE FROM journal WHERE seq = 2", [])
        .unwrap();
    assert_eq!(vault.verify_journal().unwrap().first_bad_seq, Some(3));
}

#[test]
fn records_are_sealed_and_bound_to_their_slot() {
    let (_dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(
        &mut vault,
        &person,
        &[fixtures().join("pdf").join("multicolumn.pdf")],
    );
    let path = vault.dir().to_path_buf();
    // Swap the payloads of the person and document records: both must stop opening.
    let conn = vault.connection();
    let payloads: Vec<(String, Vec<u8>)> = conn
        .prepare("SELECT id, payload FROM records ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(payloads.len(), 2);
    for (id, payload) in &payloads {
        assert!(!contains(payload, b"Camille"), "record {id} is not sealed");
    }
    conn.execute(
        "UPDATE records SET payload = ?2 WHERE id = ?1",
        rusqlite::params![payloads[0].0, payloads[1].1],
    )
    .unwrap();
    conn.execute(
        "UPDATE records SET payload = ?2 WHERE id = ?1",
        rusqlite::params![payloads[1].0, payloads[0].1],
    )
    .unwrap();
    drop(vault);

    let mut reopened = Vault::unlock(&path, Unlock::Passphrase(PASSPHRASE)).unwrap();
    let document = reopened
        .documents(&DocumentFilter::default(), 0, 1)
        .unwrap()
        .1
        .remove(0);
    let edit = DocumentEdit {
        title: Some("Autre titre".into()),
        ..Default::default()
    };
    let result = reopened.edit_document(&document.id, &edit);
    assert!(
        matches!(result, Err(carnet_core::VaultError::Crypto(_))),
        "{result:?}"
    );
}

#[test]
fn large_file_is_streamed_and_deduplicated() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    // Just above the analysis limit, so the file takes the streaming path.
    let size = carnet_core::import::ANALYZE_LIMIT as usize + 4096;
    let mut bytes = vec![0u8; size];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for chunk in bytes.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
    }
    let path = dir.path().join("scanner-export.bin");
    fs::write(&path, &bytes).unwrap();

    let first = import(&mut vault, &person, std::slice::from_ref(&path));
    assert_eq!(first.imported, 1);
    let document = by_name(&vault, "scanner-export.bin");
    assert_eq!(document.text_status, TextStatus::TooLarge);
    assert_eq!(document.size, size as u64);
    let chunk_count = files_under(&vault.dir().join("chunks")).len();

    let second = import(&mut vault, &person, &[path]);
    assert_eq!(second.duplicates, 1);
    assert_eq!(
        files_under(&vault.dir().join("chunks")).len(),
        chunk_count,
        "a duplicate left chunks behind"
    );
    assert_eq!(
        vault.read_role_to_vec(&document.id, "original").unwrap(),
        bytes
    );
}

#[test]
fn export_restore_keeps_the_agenda() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    let calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:rdv-pediatre-1\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;TZID=Europe/Paris:20250610T103000\r\nDURATION:PT30M\r\nSUMMARY:Pédiatre\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    vault.import_ics(&person.id, calendar.as_bytes()).unwrap();
    let archive = dir.path().join("export.zip");
    vault.export_archive(&archive).unwrap();

    let (_dir2, mut restored, _) = new_vault();
    let summary = restored.restore_archive(&archive, &mut |_, _| {}).unwrap();
    assert_eq!(summary.events, 1);
    let events = restored.stored_events(None).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1.uid, "rdv-pediatre-1");
    assert_eq!(events[0].1.summary.as_deref(), Some("Pédiatre"));
    assert_eq!(events[0].1.recurrence.rules.len(), 1);
}
