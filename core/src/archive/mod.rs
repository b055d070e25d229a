//! The export archive (*réversibilité*): everything in the vault in open formats.
//!
//! One ZIP file holds:
//!
//! - `manifest.json`: format name and version, creation time, counts, the
//!   SHA-256 and size of every file in the archive, and the documents left out
//!   because their content was missing or damaged (`skipped`);
//! - `fhir/bundle.json`: a FHIR R4 `Bundle` of type `collection` with a `Patient`
//!   per person and a `DocumentReference` per document, whose attachment URL is the
//!   path of the original inside the archive;
//! - `files/<document id>/<original name>`: each original, byte for byte;
//! - `agenda/<person id>.ics`: each person's agenda as iCalendar;
//! - `prevention/<person id>.json`: each person's decisions on the prevention
//!   suggestions (planned, done or dismissed), as `[{"id", "decision"}]`.
//!
//! Vaccinations recorded by hand travel in the bundle as `Immunization`
//! resources marked with an extension, and blood groups as `Observation`s.
//!
//! The archive is not encrypted: it is meant to leave Carnet. The CLI and the app
//! say so before writing it. Restoring reads it back into a new vault and checks
//! every original against the manifest's hash.

mod export;
mod fhir;
mod restore;

use serde::{Deserialize, Serialize};

pub use export::{ExportProgress, ExportSummary};
pub use restore::RestoreSummary;

/// `format` value of an export manifest.
pub const FORMAT: &str = "carnet-export";
/// Export format version written by this code.
pub const VERSION: u32 = 1;
/// Path of the manifest inside the archive.
pub const MANIFEST_PATH: &str = "manifest.json";
/// Path of the FHIR bundle inside the archive.
pub const BUNDLE_PATH: &str = "fhir/bundle.json";
/// Folder of the per-person agendas (`agenda/<person id>.ics`) inside the archive.
pub const AGENDA_DIR: &str = "agenda";
/// Folder of the per-person prevention decisions (`prevention/<person id>.json`).
pub const PREVENTION_DIR: &str = "prevention";

/// The archive's table of contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub created_at: String,
    pub generator: String,
    pub people: usize,
    pub documents: usize,
    pub files: Vec<ManifestFile>,
    /// Documents left out because their content was missing or damaged in the
    /// vault; absent from archives written before this list existed.
    #[serde(default)]
    pub skipped: Vec<SkippedDocument>,
}

/// A document an export left out, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDocument {
    pub id: String,
    pub reason: SkipReason,
    /// Details in English: chunk names and sizes, never content.
    pub detail: String,
}

/// Reason a document was left out of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A chunk file of its content is not in the vault.
    Missing,
    /// Its content does not decrypt, fails its hash or has the wrong size.
    Damaged,
}

impl SkipReason {
    /// Returns the catalogue key that explains this reason to the user.
    pub fn message_key(self) -> &'static str {
        match self {
            SkipReason::Missing => "export.skipped_missing",
            SkipReason::Damaged => "export.skipped_damaged",
        }
    }
}

/// One file listed in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// Makes a file name safe as one ZIP path component: no separators, no leading
/// dots, no control characters, at most 120 characters.
pub(crate) fn safe_component(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() || c == ':' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.').trim();
    let short: String = trimmed.chars().take(120).collect();
    if short.is_empty() {
        "document".to_string()
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_component_removes_traversal() {
        assert_eq!(safe_component("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_component("..."), "document");
        assert_eq!(safe_component("bilan 2024.pdf"), "bilan 2024.pdf");
    }
}
