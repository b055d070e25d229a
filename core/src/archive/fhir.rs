//! The FHIR R4 view of the vault written into, and read back from, an export.

use serde_json::{Value, json};

use crate::documents::DocumentSummary;
use crate::i18n::{Lang, tr};
use crate::nir::INS_NIR_OID;
use crate::people::{Person, Sex};

/// Code system of Mon espace santé's categories in Carnet's exports.
pub const CATEGORY_SYSTEM: &str = "urn:carnet:fhir:category";
/// Extension holding the person's relation to the account holder.
pub const RELATION_EXTENSION: &str = "urn:carnet:fhir:relation";
/// Extension holding a document's provenance in Carnet (`import`, `email`…).
pub const SOURCE_EXTENSION: &str = "urn:carnet:fhir:source";
/// Extension holding a document's format-specific metadata as JSON text.
pub const DETAILS_EXTENSION: &str = "urn:carnet:fhir:details";
/// Extension holding the SHA-256 of the original, in hex.
pub const SHA256_EXTENSION: &str = "urn:carnet:fhir:sha256";

pub fn patient(person: &Person) -> Value {
    let gender = match person.sex {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Unknown => "unknown",
    };
    let mut patient = json!({
        "resourceType": "Patient",
        "id": person.id,
        "name": [{ "text": person.name }],
        "gender": gender,
        "birthDate": person.birth_date.format("%Y-%m-%d").to_string(),
        "extension": [{ "url": RELATION_EXTENSION, "valueCode": person.relation.code() }],
    });
    if let Some(ins) = &person.ins {
        patient["identifier"] =
            json!([{ "system": format!("urn:oid:{INS_NIR_OID}"), "value": ins }]);
    }
    patient
}

pub fn document_reference(document: &DocumentSummary, sha256: &str, path: &str) -> Value {
    let mut attachment = json!({
        "contentType": document.media_type,
        "url": path,
        "size": document.size,
        "title": document.original_name,
    });
    if let Some(date) = document.date {
        attachment["creation"] = json!(date.format("%Y-%m-%d").to_string());
    }
    let mut reference = json!({
        "resourceType": "DocumentReference",
        "id": document.id,
        "status": "current",
        "description": document.title,
        "category": [{ "coding": [{
            "system": CATEGORY_SYSTEM,
            "code": document.category.code(),
            "display": tr(Lang::Fr, &format!("category.{}", document.category.code())),
        }]}],
        "subject": { "reference": format!("Patient/{}", document.person_id) },
        "date": document.imported_at,
        "content": [{ "attachment": attachment }],
        "extension": [
            { "url": SOURCE_EXTENSION, "valueString": document.source },
            { "url": SHA256_EXTENSION, "valueString": sha256 },
            { "url": DETAILS_EXTENSION, "valueString": document.details.to_string() },
        ],
    });
    if let Some(date) = document.date {
        reference["context"] =
            json!({ "period": { "start": date.format("%Y-%m-%d").to_string() } });
    }
    reference
}

/// Reads an extension's string or code value.
pub fn extension<'a>(resource: &'a Value, url: &str) -> Option<&'a str> {
    resource["extension"]
        .as_array()?
        .iter()
        .find(|e| e["url"] == url)
        .and_then(|e| e["valueString"].as_str().or(e["valueCode"].as_str()))
}
