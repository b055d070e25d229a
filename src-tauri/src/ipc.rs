//! Payloads that cross the IPC boundary, mirrored one to one by `ui/src/lib/api.ts`.
//!
//! Field names are camelCase on the wire, and an absent optional field is left out,
//! as `field?: T` in TypeScript. No type here contains a key, a passphrase hash or a
//! device secret. The recovery kit appears only in the results of
//! `vault_create` and `vault_restore`, so that the user can print it once.

use serde::{Deserialize, Serialize};

/// An i18n key with its parameters, used wherever the backend explains something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub key: String,
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// Result of `app_status`, called before anything else.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub vault_path: Option<String>,
    pub vault_exists: bool,
    pub unlocked: bool,
    pub remembered: bool,
    pub language: String,
    pub auto_lock_minutes: u32,
    pub version: String,
}

/// Result of `passphrase_check`: a zxcvbn-like score and why a weak passphrase is rejected.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassphraseCheck {
    pub acceptable: bool,
    /// 0 (very weak) to 4 (very strong).
    pub score: u8,
    /// i18n keys such as `passphrase.too_short`.
    pub reasons: Vec<String>,
}

/// Result of `vault_create`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultCreated {
    pub recovery_kit: String,
    /// Reason this device could not be remembered, when it was requested. The
    /// vault is open all the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<Message>,
}

/// Result of `vault_unlock`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultUnlocked {
    /// Reason this device could not be remembered, when it was requested. The
    /// vault is unlocked all the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<Message>,
}

/// Result of `vault_restore`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreSummary {
    pub recovery_kit: String,
    pub people: u32,
    pub documents: u32,
}

/// A person the user looks after, as the front end edits it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonInput {
    pub name: String,
    /// ISO 8601 date, `YYYY-MM-DD`.
    pub birth_date: String,
    /// FHIR administrative gender: `female`, `male`, `other` or `unknown`.
    pub sex: String,
    /// `titulaire`, `enfant`, `parent`, `conjoint`, `tutelle` or `autre`.
    pub relation: String,
    /// Identifiant national de santé (the NIR used as INS), validated by the vault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ins: Option<String>,
}

/// A stored person.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    #[serde(flatten)]
    pub person: PersonInput,
}

/// Filter of `documents_list`. Every field that is present narrows the result.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentFilter {
    pub person_id: Option<String>,
    /// Mon espace santé category code, such as `BIOLOGIE`.
    pub category: Option<String>,
    /// `import`, `dmp` or `sync`.
    pub source: Option<String>,
    pub year: Option<i32>,
}

/// One row of the document list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentSummary {
    pub id: String,
    pub person_id: String,
    pub title: String,
    pub category: String,
    /// ISO 8601 date of the care event, else of the import.
    pub date: String,
    pub source: String,
    pub media_type: String,
    /// Size of the original file in bytes.
    pub size: u64,
    pub has_text: bool,
    /// `extracted`, `none`, `pending` or `failed`.
    pub text_status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

/// One page of `documents_list`, ordered by category and then newest first.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentPage {
    pub total: u64,
    pub items: Vec<DocumentSummary>,
}

/// One hit of `documents_search`. The snippet marks each match between U+E000 and U+E001.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub document: DocumentSummary,
    pub snippet: String,
    pub score: f64,
}

/// Origin of a document: import time, original file name and hash.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// RFC 3339 timestamp of the import.
    pub imported_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Hex SHA-256 of the original file, used to detect duplicates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// An author named in a CDA or FHIR document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// DMP metadata (XDS / PDSm) kept so that re-fetching stays idempotent.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DmpCodes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidentiality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
}

/// A structured entry of a CDA level 3 or FHIR document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClinicalEntry {
    /// FHIR resource name, such as `Observation` or `Immunization`.
    pub resource_type: String,
    pub display: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Result of `document_get`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentDetail {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    pub provenance: Provenance,
    pub authors: Vec<Author>,
    pub dmp_codes: DmpCodes,
    pub entries: Vec<ClinicalEntry>,
}

/// A rejected file of an import, with the reason as an i18n message.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRejection {
    pub file: String,
    pub reason: Message,
    /// Path to send back with `force` when the file was refused only because it
    /// seems to be another patient's; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_path: Option<String>,
}

/// Result of `import_files`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub imported: u32,
    pub duplicates: u32,
    pub rejected: Vec<ImportRejection>,
    pub cancelled: bool,
}

/// Payload of the `import-progress` event, sent after each file.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
    /// File name only, never its content.
    pub file: String,
}

/// Result of `profile_get`. Items are JSON objects shaped as `api.ts` documents.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub allergies: Vec<serde_json::Value>,
    pub treatments: Vec<serde_json::Value>,
    pub conditions: Vec<serde_json::Value>,
    pub blood_group: Option<String>,
    pub vaccinations: Vec<serde_json::Value>,
    pub measurements: Vec<serde_json::Value>,
}

/// Payload of the `export-progress` event, sent before the first document and
/// after each one.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    pub done: u32,
    pub total: u32,
    /// Sum of the sizes of the documents done, in bytes.
    pub bytes_done: u64,
    /// Sum of the sizes of every document, in bytes.
    pub bytes_total: u64,
}

/// A document left out of an export, with the reason as an i18n message.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportSkip {
    pub id: String,
    pub reason: Message,
}

/// Result of `export_archive`. When `cancelled` is set, no archive was written.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    pub people: u32,
    pub documents: u32,
    pub skipped: Vec<ExportSkip>,
    pub cancelled: bool,
}

/// One row of the activity journal (*historique d'activité*).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    pub seq: u64,
    /// RFC 3339 timestamp.
    pub at: String,
    pub actor: String,
    /// i18n key of the action, such as `action.document.import`.
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// Result of `journal_verify`: whether the hash chain is intact.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalVerification {
    pub ok: bool,
    pub entries: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_seq: Option<u64>,
}

/// Arguments of `settings_set`; absent fields are left unchanged.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsPatch {
    pub language: Option<String>,
    pub auto_lock_minutes: Option<u32>,
}

#[cfg(test)]
mod tests {
    //! The wire names checked here are the field names of `ui/src/lib/api.ts`.

    use super::*;

    fn keys(value: &serde_json::Value) -> Vec<&str> {
        let mut keys: Vec<&str> = value
            .as_object()
            .expect("a JSON object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn app_status_uses_camel_case() {
        let status = AppStatus {
            vault_path: None,
            vault_exists: false,
            unlocked: false,
            remembered: false,
            language: "fr".to_owned(),
            auto_lock_minutes: 5,
            version: "0.1.0".to_owned(),
        };
        let json = serde_json::to_value(&status).unwrap();
        assert_eq!(
            keys(&json),
            [
                "autoLockMinutes",
                "language",
                "remembered",
                "unlocked",
                "vaultExists",
                "vaultPath",
                "version"
            ]
        );
    }

    #[test]
    fn person_flattens_its_fields() {
        let input: PersonInput = serde_json::from_value(serde_json::json!({
            "name": "Léo Martin",
            "birthDate": "2023-03-14",
            "sex": "male",
            "relation": "enfant"
        }))
        .unwrap();
        assert_eq!(input.ins, None);

        let json = serde_json::to_value(Person {
            id: "p2".to_owned(),
            person: input,
        })
        .unwrap();
        assert_eq!(keys(&json), ["birthDate", "id", "name", "relation", "sex"]);
    }

    #[test]
    fn document_detail_flattens_summary() {
        let summary = DocumentSummary {
            id: "d1".to_owned(),
            person_id: "p1".to_owned(),
            title: "Bilan".to_owned(),
            category: "BIOLOGIE".to_owned(),
            date: "2025-11-28".to_owned(),
            source: "import".to_owned(),
            media_type: "application/pdf".to_owned(),
            size: 12_609,
            has_text: true,
            text_status: "extracted".to_owned(),
            pages: Some(1),
        };
        let detail = DocumentDetail {
            summary,
            provenance: Provenance {
                imported_at: "2025-12-02T09:30:00Z".to_owned(),
                file_name: None,
                sha256: None,
            },
            authors: Vec::new(),
            dmp_codes: DmpCodes::default(),
            entries: Vec::new(),
        };
        let json = serde_json::to_value(&detail).unwrap();
        assert_eq!(json["personId"], "p1");
        assert_eq!(json["mediaType"], "application/pdf");
        assert_eq!(json["textStatus"], "extracted");
        assert_eq!(json["provenance"]["importedAt"], "2025-12-02T09:30:00Z");
        assert!(json["dmpCodes"].is_object());
    }

    #[test]
    fn document_filter_accepts_missing_fields() {
        let filter: DocumentFilter =
            serde_json::from_value(serde_json::json!({ "year": 2025 })).unwrap();
        assert_eq!(filter.year, Some(2025));
        assert_eq!(filter.person_id, None);
        assert_eq!(filter.category, None);
    }

    #[test]
    fn import_summary_uses_message_reasons() {
        let summary = ImportSummary {
            imported: 2,
            duplicates: 1,
            rejected: vec![ImportRejection {
                file: "virus.exe".to_owned(),
                reason: Message {
                    key: "import.unsupported".to_owned(),
                    params: serde_json::Map::new(),
                },
                force_path: None,
            }],
            cancelled: false,
        };
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["rejected"][0]["reason"]["key"], "import.unsupported");
        assert_eq!(
            keys(&json),
            ["cancelled", "duplicates", "imported", "rejected"]
        );
    }
}
