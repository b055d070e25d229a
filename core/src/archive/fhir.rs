//! The FHIR R4 view of the vault written into, and read back from, an export.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::agenda::RecordedVaccination;
use crate::blood_group::BloodGroup;
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
/// Extension that marks an `Immunization` the user recorded by hand, so that a
/// restore records it again instead of waiting for a document to bring it.
pub const RECORDED_EXTENSION: &str = "urn:carnet:fhir:recorded-by-hand";

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

/// LOINC code of the observation "ABO and Rh group [Type] in Blood".
pub const LOINC_ABO_RH: &str = "882-1";

/// Returns the `Observation` that carries a person's blood group. Its code is
/// LOINC 882-1 and its value carries both the SNOMED CT finding and the LOINC
/// answer code.
pub fn blood_group_observation(id: &str, person: &Person, group: BloodGroup) -> Value {
    let (snomed, snomed_display) = group.snomed();
    let (answer, answer_display) = group.loinc_answer();
    json!({
        "resourceType": "Observation",
        "id": id,
        "status": "final",
        "category": [{ "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory",
        }]}],
        "code": {
            "coding": [{
                "system": "http://loinc.org",
                "code": LOINC_ABO_RH,
                "display": "ABO and Rh group [Type] in Blood",
            }],
        },
        "subject": { "reference": format!("Patient/{}", person.id) },
        "valueCodeableConcept": {
            "coding": [
                { "system": "http://snomed.info/sct", "code": snomed, "display": snomed_display },
                { "system": "http://loinc.org", "code": answer, "display": answer_display },
            ],
            "text": group.code(),
        },
    })
}

/// Reads the blood group of an `Observation` coded LOINC 882-1 from its first
/// SNOMED CT or LOINC answer code. `None` when the resource is another observation;
/// `Some(None)` when it is a blood group observation with no known answer.
pub fn blood_group_of(observation: &Value) -> Option<Option<BloodGroup>> {
    let codings = observation["code"]["coding"].as_array()?;
    if !codings
        .iter()
        .any(|c| c["system"] == "http://loinc.org" && c["code"] == LOINC_ABO_RH)
    {
        return None;
    }
    let answers = observation["valueCodeableConcept"]["coding"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    Some(
        answers
            .iter()
            .filter_map(|c| c["code"].as_str())
            .find_map(BloodGroup::from_code),
    )
}

/// Returns the `Immunization` for a vaccination the user recorded by hand. The
/// vaccine is kept as typed (`vaccineCode.text`), because it may be a brand name
/// or a code of several systems.
pub fn recorded_immunization(vaccination: &RecordedVaccination, person_id: &str) -> Value {
    let mut immunization = json!({
        "resourceType": "Immunization",
        "id": vaccination.id,
        "status": "completed",
        "vaccineCode": { "text": vaccination.vaccine },
        "patient": { "reference": format!("Patient/{person_id}") },
        "occurrenceDateTime": vaccination.given_on.format("%Y-%m-%d").to_string(),
        "primarySource": true,
        "extension": [{ "url": RECORDED_EXTENSION, "valueBoolean": true }],
    });
    if let Some(lot) = &vaccination.lot {
        immunization["lotNumber"] = json!(lot);
    }
    immunization
}

/// A vaccination recorded by hand, as read back from an export's `Immunization`.
pub struct RecordedImmunization<'a> {
    pub patient: &'a str,
    pub vaccine: &'a str,
    pub given_on: NaiveDate,
    pub lot: Option<&'a str>,
}

/// Reads an `Immunization` written by [`recorded_immunization`]. `None` when the
/// resource lacks the recorded-by-hand extension; `Some(Err(reason))` when it has
/// it but a field is missing or invalid.
pub fn recorded_immunization_of(
    resource: &Value,
) -> Option<Result<RecordedImmunization<'_>, String>> {
    let marked = resource["extension"]
        .as_array()?
        .iter()
        .any(|e| e["url"] == RECORDED_EXTENSION && e["valueBoolean"] == true);
    if !marked {
        return None;
    }
    let id = &resource["id"];
    let read = || {
        let patient = resource["patient"]["reference"]
            .as_str()
            .ok_or_else(|| format!("immunization {id} has no patient"))?
            .trim_start_matches("Patient/");
        let vaccine = resource["vaccineCode"]["text"]
            .as_str()
            .ok_or_else(|| format!("immunization {id} has no vaccineCode.text"))?;
        let date = resource["occurrenceDateTime"].as_str().unwrap_or_default();
        let given_on = NaiveDate::parse_from_str(date.get(..10).unwrap_or(date), "%Y-%m-%d")
            .map_err(|_| format!("immunization {id} has an invalid occurrenceDateTime"))?;
        Ok(RecordedImmunization {
            patient,
            vaccine,
            given_on,
            lot: resource["lotNumber"].as_str(),
        })
    };
    Some(read())
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
