//! Conversions from carnet-core's types to the IPC payloads of `ui/src/lib/api.ts`.

use carnet_core::clinical::{
    Allergy, ClinicalTime, Code, Condition, Measurement, MeasurementKind, Treatment, Vaccination,
};
use carnet_core::{DocumentSummary as CoreSummary, SourcedEntry, TextStatus, Vault, VaultError};
use serde_json::{Map, Value, json};

use crate::ipc::{
    Author, ClinicalEntry, DmpCodes, DocumentDetail, DocumentSummary, Profile, Provenance,
};

/// Converts a listed document. The date is the care date, else the import date.
pub fn document_summary(document: &CoreSummary) -> DocumentSummary {
    let date = match document.date {
        Some(date) => date.format("%Y-%m-%d").to_string(),
        None => document.imported_at.chars().take(10).collect(),
    };
    DocumentSummary {
        id: document.id.clone(),
        person_id: document.person_id.clone(),
        title: document.title.clone(),
        category: document.category.code().to_owned(),
        date,
        source: document.source.clone(),
        media_type: document.media_type.clone(),
        size: document.size,
        has_text: document.text_status == TextStatus::Extracted,
        text_status: text_status(document.text_status).to_owned(),
        pages: document.pages,
    }
}

/// Maps the vault's text statuses onto the four the front end shows.
fn text_status(status: TextStatus) -> &'static str {
    match status {
        TextStatus::Extracted => "extracted",
        TextStatus::ImageOnly | TextStatus::Image | TextStatus::None => "none",
        TextStatus::Encrypted | TextStatus::TooLarge | TextStatus::Unreadable => "failed",
    }
}

/// Builds the detail view of document `id`: provenance, CDA authors, DMP codes and
/// the profile entries read from it.
pub fn document_detail(vault: &Vault, id: &str) -> Result<DocumentDetail, VaultError> {
    let document = vault.document(id)?;
    let sha256: Option<String> = vault
        .connection()
        .query_row(
            "SELECT content_sha256 FROM documents WHERE id = ?1",
            [&document.id],
            |row| row.get(0),
        )
        .ok();
    let clinical = document
        .details
        .get("clinical")
        .cloned()
        .unwrap_or_default();
    let entries = document_entries(vault, &document)?;
    Ok(DocumentDetail {
        summary: document_summary(&document),
        provenance: Provenance {
            imported_at: document.imported_at.clone(),
            file_name: Some(document.original_name.clone()).filter(|name| !name.is_empty()),
            sha256,
        },
        authors: authors(&clinical),
        dmp_codes: dmp_codes(&clinical),
        entries,
    })
}

/// Authors recorded by the CDA or FHIR importer under `details.clinical.authors`.
fn authors(clinical: &Value) -> Vec<Author> {
    let Some(list) = clinical.get("authors").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|author| {
            let name = text(author.get("name"))?;
            Some(Author {
                name,
                role: code_label(author.get("function")).or_else(|| code_label(author.get("role"))),
                organisation: author
                    .get("organization")
                    .and_then(|organization| text(organization.get("name"))),
            })
        })
        .collect()
}

/// Class, type, confidentiality and unique id of a clinical document.
fn dmp_codes(clinical: &Value) -> DmpCodes {
    let confidentiality = clinical
        .get("confidentiality")
        .and_then(Value::as_array)
        .and_then(|codes| codes.first())
        .and_then(|code| text(code.get("code")));
    DmpCodes {
        class_code: clinical.get("class_code").and_then(|c| text(c.get("code"))),
        type_code: clinical.get("type_code").and_then(|c| text(c.get("code"))),
        confidentiality,
        unique_id: clinical
            .get("unique_id")
            .and_then(|id| text(id.get("value"))),
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn code_label(value: Option<&Value>) -> Option<String> {
    let value = value?;
    text(value.get("display")).or_else(|| text(value.get("code")))
}

/// Profile entries whose sources include `document`.
fn document_entries(
    vault: &Vault,
    document: &CoreSummary,
) -> Result<Vec<ClinicalEntry>, VaultError> {
    let profile = vault.profile(&document.person_id)?;
    let from_document = |sources: &[String]| sources.iter().any(|s| s == &document.id);
    let mut entries = Vec::new();
    for item in profile
        .allergies
        .iter()
        .filter(|e| from_document(&e.sources))
    {
        entries.push(ClinicalEntry {
            resource_type: "AllergyIntolerance".to_owned(),
            display: label(&item.entry.substance),
            date: item.entry.onset.as_ref().map(date),
            value: None,
        });
    }

    for item in profile
        .treatments
        .iter()
        .filter(|e| from_document(&e.sources))
    {
        entries.push(ClinicalEntry {
            resource_type: "MedicationStatement".to_owned(),
            display: label(&item.entry.medication),
            date: item.entry.start.as_ref().map(date),
            value: item.entry.dosage.clone(),
        });
    }

    for item in profile
        .conditions
        .iter()
        .filter(|e| from_document(&e.sources))
    {
        entries.push(ClinicalEntry {
            resource_type: "Condition".to_owned(),
            display: label(&item.entry.code),
            date: item.entry.onset.as_ref().map(date),
            value: item.entry.status.clone(),
        });
    }

    for item in profile
        .vaccinations
        .iter()
        .filter(|e| from_document(&e.sources))
    {
        entries.push(ClinicalEntry {
            resource_type: "Immunization".to_owned(),
            display: label(&item.entry.vaccine),
            date: item.entry.date.as_ref().map(date),
            value: item.entry.lot_number.clone(),
        });
    }

    for item in profile
        .measurements
        .iter()
        .filter(|e| from_document(&e.sources))
    {
        entries.push(ClinicalEntry {
            resource_type: "Observation".to_owned(),
            display: label(&item.entry.code),
            date: item.entry.time.as_ref().map(date),
            value: Some(format!("{} {}", item.entry.value, item.entry.unit)),
        });
    }

    for item in profile
        .lab_results
        .iter()
        .filter(|e| from_document(&e.sources))
    {
        let value = item
            .entry
            .value
            .clone()
            .map(|value| match &item.entry.unit {
                Some(unit) => format!("{value} {unit}"),
                None => value,
            });
        entries.push(ClinicalEntry {
            resource_type: "Observation".to_owned(),
            display: label(&item.entry.analyte),
            date: item.entry.time.as_ref().map(date),
            value,
        });
    }

    for item in profile
        .family_history
        .iter()
        .filter(|e| from_document(&e.sources))
    {
        entries.push(ClinicalEntry {
            resource_type: "FamilyMemberHistory".to_owned(),
            display: label(&item.entry.condition),
            date: None,
            value: Some(label(&item.entry.relationship)),
        });
    }
    Ok(entries)
}

fn label(code: &Code) -> String {
    code.label().unwrap_or_default().to_owned()
}

fn date(time: &ClinicalTime) -> String {
    time.date().to_owned()
}

/// Converts a person's profile to the shapes `api.ts` documents. Each item also
/// carries its entry `id` and the `sources` document ids.
pub fn profile(profile: &carnet_core::Profile) -> Profile {
    Profile {
        allergies: profile.allergies.iter().map(allergy).collect(),
        treatments: profile.treatments.iter().map(treatment).collect(),
        conditions: profile.conditions.iter().map(condition).collect(),
        blood_group: profile.blood_group.map(|group| group.code().to_owned()),
        vaccinations: profile.vaccinations.iter().map(vaccination).collect(),
        measurements: profile
            .measurements
            .iter()
            .filter_map(measurement)
            .collect(),
    }
}

/// Starts an item with the entry id and sources, then adds the present fields.
fn item<T>(entry: &SourcedEntry<T>, fields: &[(&str, Option<Value>)]) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(entry.id));
    object.insert("sources".into(), json!(entry.sources));
    for (name, value) in fields {
        if let Some(value) = value {
            object.insert((*name).into(), value.clone());
        }
    }
    Value::Object(object)
}

fn allergy(entry: &SourcedEntry<Allergy>) -> Value {
    let reactions: Vec<String> = entry.entry.reactions.iter().map(label).collect();
    let criticality = entry
        .entry
        .severity
        .as_deref()
        .filter(|s| matches!(*s, "low" | "high" | "unknown"));
    item(
        entry,
        &[
            ("substance", Some(json!(label(&entry.entry.substance)))),
            (
                "reaction",
                (!reactions.is_empty()).then(|| json!(reactions.join(", "))),
            ),
            ("criticality", criticality.map(|c| json!(c))),
            ("since", entry.entry.onset.as_ref().map(|t| json!(date(t)))),
        ],
    )
}

fn treatment(entry: &SourcedEntry<Treatment>) -> Value {
    item(
        entry,
        &[
            ("name", Some(json!(label(&entry.entry.medication)))),
            ("dosage", entry.entry.dosage.as_ref().map(|d| json!(d))),
            ("since", entry.entry.start.as_ref().map(|t| json!(date(t)))),
            ("until", entry.entry.end.as_ref().map(|t| json!(date(t)))),
        ],
    )
}

fn condition(entry: &SourcedEntry<Condition>) -> Value {
    item(
        entry,
        &[
            ("name", Some(json!(label(&entry.entry.code)))),
            ("since", entry.entry.onset.as_ref().map(|t| json!(date(t)))),
            ("status", entry.entry.status.as_ref().map(|s| json!(s))),
        ],
    )
}

fn vaccination(entry: &SourcedEntry<Vaccination>) -> Value {
    item(
        entry,
        &[
            ("vaccine", Some(json!(label(&entry.entry.vaccine)))),
            (
                "date",
                Some(json!(
                    entry.entry.date.as_ref().map(date).unwrap_or_default()
                )),
            ),
            ("lot", entry.entry.lot_number.as_ref().map(|l| json!(l))),
            (
                "dose",
                entry.entry.dose_number.map(|d| json!(d.to_string())),
            ),
            (
                "performer",
                entry
                    .entry
                    .performer
                    .as_ref()
                    .and_then(|p| p.label())
                    .map(|p| json!(p)),
            ),
        ],
    )
}

/// Converts a measurement of a kind the front end charts; other kinds are left out.
fn measurement(entry: &SourcedEntry<Measurement>) -> Option<Value> {
    let kind = match entry.entry.kind {
        MeasurementKind::Weight => "weight",
        MeasurementKind::Height => "height",
        MeasurementKind::HeadCircumference => "head_circumference",
        MeasurementKind::BodyMassIndex => "bmi",
        MeasurementKind::SystolicBloodPressure => "systolic",
        MeasurementKind::DiastolicBloodPressure => "diastolic",
        _ => return None,
    };
    Some(item(
        entry,
        &[
            ("kind", Some(json!(kind))),
            ("value", Some(json!(entry.entry.value))),
            ("unit", Some(json!(entry.entry.unit))),
            (
                "date",
                Some(json!(
                    entry.entry.time.as_ref().map(date).unwrap_or_default()
                )),
            ),
        ],
    ))
}
