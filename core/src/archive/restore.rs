//! Restoring an export archive into a vault.
//!
//! The archive is untrusted: every size is bounded before anything is read into
//! memory, every original is checked against the manifest's SHA-256, and ZIP paths
//! are only looked up, never used to build a path on disk.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::{
    AGENDA_DIR, BUNDLE_PATH, FORMAT, MANIFEST_PATH, Manifest, PREVENTION_DIR, VERSION, fhir,
};
use crate::Category;
use crate::agenda::prevention::SuggestionDecision;
use crate::error::VaultError;
use crate::import::{ImportOptions, KnownMetadata, Outcome};
use crate::people::{NewPerson, Relation, Sex};
use crate::vault::Vault;

/// Largest manifest or bundle read into memory.
const MAX_JSON_BYTES: u64 = 256 * 1024 * 1024;

/// Counts of a restore.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RestoreSummary {
    pub people: usize,
    pub documents: usize,
    pub duplicates: usize,
    /// Agenda series restored.
    pub events: usize,
    /// Vaccinations recorded by hand, restored.
    pub vaccinations: usize,
    /// Decisions on prevention suggestions, restored.
    pub decisions: usize,
}

impl Vault {
    /// Restores the archive at `path` into this vault.
    pub fn restore_archive(
        &mut self,
        path: &Path,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<RestoreSummary, VaultError> {
        let error = |reason: String| VaultError::Archive {
            path: path.to_path_buf(),
            reason,
        };
        let file = File::open(path).map_err(|e| VaultError::io(path, e))?;
        let mut zip =
            ZipArchive::new(file).map_err(|e| error(format!("not a ZIP archive: {e}")))?;

        let manifest: Manifest =
            serde_json::from_slice(&read_small(&mut zip, MANIFEST_PATH, path)?)
                .map_err(|e| error(format!("invalid manifest: {e}")))?;
        if manifest.format != FORMAT {
            return Err(error(
                "not a Carnet export (wrong format in manifest)".into(),
            ));
        }
        if manifest.version > VERSION {
            return Err(error(format!(
                "export format version {} is newer than this Carnet",
                manifest.version
            )));
        }
        let expected: HashMap<&str, (&str, u64)> = manifest
            .files
            .iter()
            .map(|f| (f.path.as_str(), (f.sha256.as_str(), f.size)))
            .collect();

        let bundle_bytes = read_small(&mut zip, BUNDLE_PATH, path)?;
        check_hash(&expected, BUNDLE_PATH, &bundle_bytes).map_err(error)?;
        let bundle: Value = serde_json::from_slice(&bundle_bytes)
            .map_err(|e| error(format!("invalid FHIR bundle: {e}")))?;
        let resources: Vec<&Value> = bundle["entry"]
            .as_array()
            .map(|a| a.iter().map(|e| &e["resource"]).collect())
            .unwrap_or_default();

        let mut summary = RestoreSummary::default();
        let mut person_ids: HashMap<String, String> = HashMap::new();
        for patient in resources.iter().filter(|r| r["resourceType"] == "Patient") {
            let new = person_from_patient(patient).map_err(error)?;
            let old_id = patient["id"].as_str().unwrap_or_default().to_string();
            let person = self.add_person(new)?;
            person_ids.insert(old_id, person.id);
            summary.people += 1;
        }

        for observation in resources
            .iter()
            .filter(|r| r["resourceType"] == "Observation")
        {
            let Some(group) = fhir::blood_group_of(observation) else {
                continue;
            };
            let group = group.ok_or_else(|| {
                error(format!(
                    "observation {} has no known blood group code",
                    observation["id"]
                ))
            })?;
            let person_id = subject_person(observation, &person_ids).ok_or_else(|| {
                error(format!(
                    "observation {} refers to an unknown patient",
                    observation["id"]
                ))
            })?;
            self.set_blood_group(person_id, Some(group))?;
        }

        for immunization in resources
            .iter()
            .filter(|r| r["resourceType"] == "Immunization")
        {
            let Some(recorded) = fhir::recorded_immunization_of(immunization) else {
                continue;
            };
            let recorded = recorded.map_err(error)?;
            let person_id = person_ids.get(recorded.patient).ok_or_else(|| {
                error(format!(
                    "immunization {} refers to an unknown patient",
                    immunization["id"]
                ))
            })?;
            self.record_vaccination(person_id, recorded.vaccine, recorded.given_on, recorded.lot)?;
            summary.vaccinations += 1;
        }

        let references: Vec<&&Value> = resources
            .iter()
            .filter(|r| r["resourceType"] == "DocumentReference")
            .collect();
        let total = references.len();
        for (done, reference) in references.into_iter().enumerate() {
            progress(done, total);
            let person_id = subject_person(reference, &person_ids).ok_or_else(|| {
                error(format!(
                    "document {} refers to an unknown patient",
                    reference["id"]
                ))
            })?;
            let url = reference["content"][0]["attachment"]["url"]
                .as_str()
                .unwrap_or_default();
            let Some((sha256, size)) = expected.get(url).copied() else {
                return Err(error(format!("file {url} is not in the manifest")));
            };

            let staged = stage_entry(&mut zip, url, size, path)?;
            let actual = hex::encode(staged.sha256);
            if actual != sha256 {
                let _ = fs::remove_file(&staged.path);
                return Err(error(format!(
                    "file {url} does not match its SHA-256 in the manifest"
                )));
            }
            let original_name = reference["content"][0]["attachment"]["title"]
                .as_str()
                .unwrap_or("document");
            let known = KnownMetadata {
                document_id: reference["id"].as_str().map(str::to_string),
                title: reference["description"].as_str().map(str::to_string),
                category: reference["category"][0]["coding"][0]["code"]
                    .as_str()
                    .and_then(Category::parse),
                date: reference["context"]["period"]["start"]
                    .as_str()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                details: fhir::extension(reference, fhir::DETAILS_EXTENSION)
                    .and_then(|d| serde_json::from_str(d).ok()),
            };
            let options = ImportOptions {
                person_id: person_id.clone(),
                source: fhir::extension(reference, fhir::SOURCE_EXTENSION)
                    .unwrap_or("restore")
                    .to_string(),
                // The document was filed under this person once already.
                force: true,
            };
            let outcome = self.import_staged(&staged.path, original_name, &options, &known);
            let _ = fs::remove_file(&staged.path);
            match outcome? {
                Outcome::Imported { .. } => summary.documents += 1,
                Outcome::Duplicate { .. } => summary.duplicates += 1,
                Outcome::Rejected { reason, .. } => {
                    return Err(error(format!("file {url}: {reason}")));
                }
                Outcome::Container { .. } => summary.documents += 1,
            }
        }
        progress(total, total);

        // Per-person files: agendas as iCalendar, prevention decisions as JSON.
        for file in &manifest.files {
            let Some((folder, old_id)) = person_file(&file.path) else {
                continue;
            };
            let Some(person_id) = person_ids.get(old_id) else {
                return Err(error(format!(
                    "{} belongs to an unknown patient",
                    file.path
                )));
            };
            let bytes = read_small(&mut zip, &file.path, path)?;
            check_hash(&expected, &file.path, &bytes).map_err(error)?;
            if folder == AGENDA_DIR {
                let imported = self.import_ics(person_id, &bytes)?;
                summary.events += imported.imported + imported.updated;
                continue;
            }
            let decisions: Vec<SuggestionDecision> = serde_json::from_slice(&bytes)
                .map_err(|e| error(format!("invalid {}: {e}", file.path)))?;
            for decision in decisions {
                self.decide_suggestion(person_id, &decision.id, decision.decision)?;
                summary.decisions += 1;
            }
        }

        self.journal(
            "restore",
            "",
            &format!("people={} documents={}", summary.people, summary.documents),
        )?;
        Ok(summary)
    }
}

/// Splits an archive path of a per-person file, `agenda/<id>.ics` or
/// `prevention/<id>.json`, into its folder and the person id it was exported under.
fn person_file(path: &str) -> Option<(&'static str, &str)> {
    [(AGENDA_DIR, ".ics"), (PREVENTION_DIR, ".json")]
        .into_iter()
        .find_map(|(folder, extension)| {
            let old_id = path
                .strip_prefix(folder)?
                .strip_prefix('/')?
                .strip_suffix(extension)?;
            Some((folder, old_id))
        })
}

/// Returns the id, in the new vault, of the person a resource's `subject` names.
fn subject_person<'a>(
    resource: &Value,
    person_ids: &'a HashMap<String, String>,
) -> Option<&'a String> {
    let subject = resource["subject"]["reference"].as_str()?;
    person_ids.get(subject.trim_start_matches("Patient/"))
}

fn person_from_patient(patient: &Value) -> Result<NewPerson, String> {
    let name = patient["name"][0]["text"]
        .as_str()
        .ok_or("a Patient has no name")?
        .to_string();
    let birth = patient["birthDate"]
        .as_str()
        .ok_or("a Patient has no birthDate")?;
    let birth_date = NaiveDate::parse_from_str(birth, "%Y-%m-%d")
        .map_err(|_| format!("invalid birthDate {birth}"))?;
    let sex = match patient["gender"].as_str() {
        Some("female") => Sex::Female,
        Some("male") => Sex::Male,
        _ => Sex::Unknown,
    };
    let relation = fhir::extension(patient, fhir::RELATION_EXTENSION)
        .and_then(Relation::parse)
        .unwrap_or(Relation::Autre);
    let ins = patient["identifier"][0]["value"]
        .as_str()
        .map(str::to_string);
    Ok(NewPerson {
        name,
        birth_date,
        sex,
        relation,
        ins,
    })
}

fn read_small(zip: &mut ZipArchive<File>, name: &str, path: &Path) -> Result<Vec<u8>, VaultError> {
    let error = |reason: String| VaultError::Archive {
        path: path.to_path_buf(),
        reason,
    };
    let entry = zip
        .by_name(name)
        .map_err(|_| error(format!("{name} is missing")))?;
    if entry.size() > MAX_JSON_BYTES {
        return Err(error(format!(
            "{name} is larger than {MAX_JSON_BYTES} bytes"
        )));
    }
    let mut bytes = Vec::new();
    entry
        .take(MAX_JSON_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(format!("{name}: {e}")))?;
    Ok(bytes)
}

fn check_hash(
    expected: &HashMap<&str, (&str, u64)>,
    name: &str,
    bytes: &[u8],
) -> Result<(), String> {
    match expected.get(name) {
        Some((sha, _)) if *sha == hex::encode(Sha256::digest(bytes)) => Ok(()),
        Some(_) => Err(format!("{name} does not match its SHA-256 in the manifest")),
        None => Err(format!("{name} is not in the manifest")),
    }
}

struct Staged {
    path: PathBuf,
    sha256: [u8; 32],
}

/// Copies one archive entry to a private temporary file, reading at most the size the
/// manifest declares (plus one byte to detect a lie).
fn stage_entry(
    zip: &mut ZipArchive<File>,
    name: &str,
    size: u64,
    archive: &Path,
) -> Result<Staged, VaultError> {
    let error = |reason: String| VaultError::Archive {
        path: archive.to_path_buf(),
        reason,
    };
    let entry = zip
        .by_name(name)
        .map_err(|_| error(format!("{name} is missing")))?;
    let staged_path = std::env::temp_dir().join(format!("carnet-restore-{}", uuid::Uuid::new_v4()));
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options
        .open(&staged_path)
        .map_err(|e| VaultError::io(&staged_path, e))?;
    // From here on, dropping `staged` on any early return deletes the plaintext copy.
    let mut staged = Staged {
        path: staged_path.clone(),
        sha256: [0; 32],
    };
    let mut hasher = Sha256::new();
    let mut limited = entry.take(size.saturating_add(1));
    let mut buffer = vec![0u8; 256 * 1024];
    let mut copied = 0u64;
    loop {
        let n = limited
            .read(&mut buffer)
            .map_err(|e| error(format!("{name}: {e}")))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        out.write_all(&buffer[..n])
            .map_err(|e| VaultError::io(&staged_path, e))?;
        copied += n as u64;
    }
    if copied != size {
        return Err(error(format!(
            "{name} has {copied} bytes, the manifest says {size}"
        )));
    }
    staged.sha256 = hasher.finalize().into();
    Ok(staged)
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}
