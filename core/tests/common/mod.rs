//! Helpers shared by the vault's integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use carnet_core::import::{ImportOptions, ImportSummary};
use carnet_core::{KdfParams, NewPerson, Person, RecoveryKit, Relation, Sex, Unlock, Vault};
use chrono::NaiveDate;

pub const PASSPHRASE: &str = "cheval-agrafe-pile-correcte-1987";

/// Returns the folder of the repository's shared test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Creates a vault in a fresh temporary directory, with cheap KDF parameters.
pub fn new_vault() -> (tempfile::TempDir, Vault, RecoveryKit) {
    let dir = tempfile::tempdir().unwrap();
    let (vault, kit) = Vault::create(
        &dir.path().join("vault"),
        PASSPHRASE,
        KdfParams::INSECURE_FOR_TESTS,
    )
    .unwrap();
    (dir, vault, kit)
}

/// Locks the vault and unlocks it again with the passphrase.
pub fn reopen(vault: Vault) -> Vault {
    let dir = vault.dir().to_path_buf();
    drop(vault);
    Vault::unlock(&dir, Unlock::Passphrase(PASSPHRASE)).unwrap()
}

pub fn add_person(vault: &mut Vault, name: &str) -> Person {
    vault
        .add_person(NewPerson {
            name: name.into(),
            birth_date: NaiveDate::from_ymd_opt(1986, 4, 12).unwrap(),
            sex: Sex::Female,
            relation: Relation::Titulaire,
            ins: None,
        })
        .unwrap()
}

pub fn import(vault: &mut Vault, person: &Person, paths: &[PathBuf]) -> ImportSummary {
    let options = ImportOptions {
        person_id: person.id.clone(),
        source: "import".into(),
        force: false,
    };
    vault
        .import_paths(paths, &options, &AtomicBool::new(false), &mut |_| {})
        .unwrap()
}

/// Lists every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
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

/// Returns whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Returns the resources of type `resource_type` in the FHIR bundle of the export
/// archive at `archive`, in bundle order.
pub fn bundle_resources(archive: &Path, resource_type: &str) -> Vec<serde_json::Value> {
    use std::io::Read;

    let file = std::fs::File::open(archive).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut bytes = Vec::new();
    zip.by_name("fhir/bundle.json")
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    let bundle: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["resource"].clone())
        .filter(|resource| resource["resourceType"] == resource_type)
        .collect()
}
