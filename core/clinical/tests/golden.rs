//! Golden expectations for every CDA and FHIR fixture.
//!
//! Each fixture has `tests/golden/<fixture path>.json` holding a summary of its
//! import: per document the category, title, date, first author and number of
//! entries of each kind, plus top-level entries and unmodelled resource counts,
//! or the error for a fixture that must be rejected.
//! Run with `CARNET_BLESS=1` to rewrite the goldens after an intended change, then
//! review the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use carnet_clinical::{Body, ClinicalImport, EntryKind, ProfileEntry, parse};
use serde_json::{Value, json};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture_files(subdir: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![fixtures_dir().join(subdir)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|n| n != "SOURCES.md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn counts<'a>(entries: impl Iterator<Item = &'a ProfileEntry>) -> Value {
    let mut counts: BTreeMap<EntryKind, usize> = BTreeMap::new();
    for entry in entries {
        *counts.entry(entry.kind()).or_default() += 1;
    }
    serde_json::to_value(counts).unwrap()
}

fn summary(import: &ClinicalImport) -> Value {
    let documents: Vec<Value> = import
        .documents
        .iter()
        .map(|document| {
            let body = match &document.body {
                Body::Empty => json!("empty"),
                Body::Unstructured(file) => json!({"file": file.media_type, "bytes": file.data.len()}),
                Body::External { url, .. } => json!({"external": url}),
                Body::Structured(structured) => json!({
                    "sections": structured.sections.len(),
                    "attachments": structured
                        .attachments
                        .iter()
                        .map(|a| a.media_type.clone())
                        .collect::<Vec<_>>(),
                }),
            };
            json!({
                "category": document.category,
                "title": document.title,
                "date": document.effective_time,
                "type_code": document.type_code.as_ref().and_then(|c| c.code.clone()),
                "first_author": document.authors.first().and_then(|a| a.label()),
                "patient_ins": document.patient.as_ref().and_then(|p| p.ins.as_ref()).map(|i| &i.value),
                "body": body,
                "entries": counts(document.entries.iter()),
            })
        })
        .collect();
    json!({
        "documents": documents,
        "patients": import.patients.len(),
        "entries": counts(import.entries.iter()),
        "unmodelled": import.unmodelled_counts(),
    })
}

fn check_goldens(subdir: &str) {
    let bless = std::env::var_os("CARNET_BLESS").is_some();
    let golden_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut failures = Vec::new();
    let files = fixture_files(subdir);
    assert!(!files.is_empty(), "no fixtures under {subdir}");
    for file in files {
        let relative = file.strip_prefix(fixtures_dir()).unwrap();
        let golden_path = golden_root.join(format!("{}.json", relative.display()));
        let bytes = std::fs::read(&file).unwrap();
        // A rejected fixture (STU3) records its error instead of a summary.
        let actual = match parse(&bytes) {
            Ok(import) => summary(&import),
            Err(error) => json!({ "error": error.to_string() }),
        };
        if bless {
            std::fs::create_dir_all(golden_path.parent().unwrap()).unwrap();
            let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
            std::fs::write(&golden_path, text).unwrap();
            continue;
        }
        let expected: Value = match std::fs::read(&golden_path) {
            Ok(text) => serde_json::from_slice(&text).unwrap(),
            Err(_) => {
                failures.push(format!("{}: missing golden", relative.display()));
                continue;
            }
        };
        if expected != actual {
            failures.push(format!(
                "{}: expected\n{}\nactual\n{}",
                relative.display(),
                serde_json::to_string_pretty(&expected).unwrap(),
                serde_json::to_string_pretty(&actual).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn cda_fixtures_match_goldens() {
    check_goldens("cda");
}

#[test]
fn fhir_fixtures_match_goldens() {
    check_goldens("fhir");
}
