//! The export archive's progress reports, its cancellation, and the documents it
//! leaves out when their content is missing or damaged.

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use carnet_core::archive::{ExportProgress, Manifest, SkipReason};
use carnet_core::documents::DocumentFilter;
use carnet_core::{DocumentSummary, Vault};
use common::{add_person, fixtures, import, new_vault};

/// Creates a vault with the PDF fixtures imported for one person and returns it with its documents.
fn vault_with_documents() -> (tempfile::TempDir, Vault, Vec<DocumentSummary>) {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    import(&mut vault, &person, &[fixtures().join("pdf")]);
    let (_, documents) = vault
        .documents(&DocumentFilter::default(), 0, 1000)
        .unwrap();
    assert!(documents.len() >= 4, "{} documents", documents.len());
    (dir, vault, documents)
}

/// Lists the names of the files in `dir` (not recursive).
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Returns the path of each chunk file of a document's original.
fn chunk_files(vault: &Vault, document_id: &str) -> Vec<PathBuf> {
    let mut stmt = vault
        .connection()
        .prepare(
            "SELECT chunk FROM blobs WHERE document_id = ?1 AND role = 'original' ORDER BY seq",
        )
        .unwrap();
    let names: Vec<String> = stmt
        .query_map([document_id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .iter()
        .map(|name| vault.dir().join("chunks").join(&name[..2]).join(name))
        .collect()
}

fn read_entry(archive: &Path, name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(fs::File::open(archive).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

/// Checks that the vault is as it was: every document readable, the database and
/// the journal sound.
fn assert_vault_intact(vault: &mut Vault, documents: &[DocumentSummary]) {
    let (total, _) = vault.documents(&DocumentFilter::default(), 0, 1).unwrap();
    assert_eq!(total, documents.len());
    assert_eq!(vault.verify_contents().unwrap(), Vec::new());
    assert_eq!(vault.integrity_problems().unwrap(), Vec::<String>::new());
    assert!(vault.verify_journal().unwrap().ok());
}

#[test]
fn progress_counts_every_document() {
    let (dir, mut vault, documents) = vault_with_documents();
    let archive = dir.path().join("export.zip");
    let mut reports: Vec<ExportProgress> = Vec::new();
    let summary = vault
        .export_archive_with(&archive, &AtomicBool::new(false), &mut |p| reports.push(p))
        .unwrap();

    let total = documents.len();
    let bytes_total: u64 = documents.iter().map(|d| d.size).sum();
    assert_eq!(
        reports.len(),
        total + 1,
        "one report before, one per document"
    );
    assert_eq!(reports[0].done, 0);
    assert_eq!(reports[0].bytes_done, 0);
    for (index, report) in reports.iter().enumerate() {
        assert_eq!(report.done, index);
        assert_eq!(report.total, total);
        assert_eq!(report.bytes_total, bytes_total);
    }
    for pair in reports.windows(2) {
        assert!(pair[1].bytes_done > pair[0].bytes_done);
    }
    assert_eq!(reports.last().unwrap().bytes_done, bytes_total);
    assert_eq!(summary.documents, total);
    assert_eq!(summary.bytes, bytes_total);
    assert!(summary.skipped.is_empty());
    assert!(!summary.cancelled);
    assert!(archive.is_file());
}

/// Exports with the cancellation flag raised by the progress report of document
/// `at(total)` (0: before the first document) and checks that nothing is left
/// behind.
fn cancel_at(at: impl Fn(usize) -> usize) {
    let (dir, mut vault, documents) = vault_with_documents();
    let at = at(documents.len());
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let archive = out_dir.join("export.zip");
    let cancel = AtomicBool::new(false);
    let mut last_done = None;
    let summary = vault
        .export_archive_with(&archive, &cancel, &mut |p| {
            last_done = Some(p.done);
            if p.done == at {
                cancel.store(true, Ordering::SeqCst);
            }
        })
        .unwrap();

    assert!(summary.cancelled);
    assert_eq!(last_done, Some(at), "no document after the cancellation");
    assert!(!archive.exists());
    assert_eq!(names_in(&out_dir), Vec::<String>::new(), "a file was left");
    assert_vault_intact(&mut vault, &documents);
    let last = vault.journal_entries(0, 1000).unwrap().pop().unwrap();
    assert_eq!(last.action, "export.cancel");

    // The same path can be used again.
    let again = vault.export_archive(&archive).unwrap();
    assert_eq!(again.documents, documents.len());
}

#[test]
fn cancel_before_first_document() {
    cancel_at(|_| 0);
}

#[test]
fn cancel_at_middle_document() {
    cancel_at(|total| total / 2);
}

#[test]
fn damaged_and_missing_documents_are_skipped() {
    let (dir, mut vault, documents) = vault_with_documents();
    let damaged = &documents[1];
    let missing = &documents[2];
    let damaged_chunk = &chunk_files(&vault, &damaged.id)[0];
    let mut bytes = fs::read(damaged_chunk).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    fs::write(damaged_chunk, &bytes).unwrap();
    fs::remove_file(&chunk_files(&vault, &missing.id)[0]).unwrap();

    let archive = dir.path().join("export.zip");
    let mut reports = 0;
    let summary = vault
        .export_archive_with(&archive, &AtomicBool::new(false), &mut |_| reports += 1)
        .unwrap();
    assert_eq!(reports, documents.len() + 1);
    assert_eq!(summary.documents, documents.len() - 2);
    let skipped: Vec<(&str, SkipReason)> = summary
        .skipped
        .iter()
        .map(|s| (s.id.as_str(), s.reason))
        .collect();
    assert!(skipped.contains(&(damaged.id.as_str(), SkipReason::Damaged)));
    assert!(skipped.contains(&(missing.id.as_str(), SkipReason::Missing)));
    assert_eq!(skipped.len(), 2);

    let manifest: Manifest =
        serde_json::from_slice(&read_entry(&archive, "manifest.json")).unwrap();
    assert_eq!(manifest.skipped, summary.skipped);
    assert_eq!(manifest.documents, documents.len() - 2);
    for left_out in [damaged, missing] {
        assert!(
            !manifest.files.iter().any(|f| f.path.contains(&left_out.id)),
            "{} is in the archive",
            left_out.original_name
        );
    }

    // The archive restores, without the two documents.
    let (_d, mut restored, _) = new_vault();
    let result = restored.restore_archive(&archive, &mut |_, _| {}).unwrap();
    assert_eq!(result.documents, documents.len() - 2);
    assert!(restored.document(&damaged.id).is_err());
    let kept = &documents[0];
    assert_eq!(
        restored.read_role_to_vec(&kept.id, "original").unwrap(),
        vault.read_role_to_vec(&kept.id, "original").unwrap()
    );
}

#[test]
fn damaged_last_chunk_leaves_readable_archive() {
    let (dir, mut vault, _) = new_vault();
    let person = add_person(&mut vault, "Camille Martin");
    // Two chunks of content (chunks are 4 MiB), so that the first chunk is copied
    // into the archive before the damaged second one is found.
    let line = "Compte rendu de consultation, texte de remplissage.\n";
    let text = line.repeat((4 * 1024 * 1024 + 300 * 1024) / line.len());
    let path = dir.path().join("compte-rendu.txt");
    fs::write(&path, &text).unwrap();
    import(
        &mut vault,
        &person,
        &[path, fixtures().join("pdf").join("multicolumn.pdf")],
    );
    let (_, documents) = vault.documents(&DocumentFilter::default(), 0, 10).unwrap();
    let long = documents
        .iter()
        .find(|d| d.original_name == "compte-rendu.txt")
        .unwrap();
    let chunks = chunk_files(&vault, &long.id);
    assert_eq!(chunks.len(), 2);
    let mut bytes = fs::read(&chunks[1]).unwrap();
    bytes[10] ^= 0x55;
    fs::write(&chunks[1], &bytes).unwrap();

    let archive = dir.path().join("export.zip");
    let summary = vault.export_archive(&archive).unwrap();
    assert_eq!(summary.skipped.len(), 1);
    assert_eq!(summary.skipped[0].id, long.id);
    assert_eq!(summary.skipped[0].reason, SkipReason::Damaged);
    let zip = zip::ZipArchive::new(fs::File::open(&archive).unwrap()).unwrap();
    let names: Vec<&str> = zip.file_names().collect();
    assert!(
        !names.iter().any(|name| name.contains(&long.id)),
        "{names:?}"
    );

    let (_d, mut restored, _) = new_vault();
    let result = restored.restore_archive(&archive, &mut |_, _| {}).unwrap();
    assert_eq!(result.documents, 1);
}
