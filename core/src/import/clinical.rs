//! CDA R2 and FHIR R4 files: header metadata, a safe rendering, embedded files and
//! medical-profile entries, parsed by `carnet-clinical`.
//!
//! One file always becomes one vault document, including a FHIR Bundle that contains
//! several `DocumentReference`, `DiagnosticReport` or `Composition` resources. The
//! original bytes stay the single source of truth, and a Synthea-style bundle that
//! contains hundreds of reports would otherwise flood the document list with
//! documents that have no file of their own. Every entry in the file, inside a
//! document or not (a bare FHIR `Observation`), goes to the medical profile, linked
//! to this one vault document. When the file contains
//! exactly one clinical document, the vault document takes its title, date and
//! category. With several, it takes the latest date, the category they all share
//! (else *autres documents*) and the file name as title.
//!
//! Rendering:
//! - a level-3 document (structured body) stores its sanitised HTML as the `html`
//!   role and its `observationMedia` files as `attachment/N`;
//! - a level-1 document (one embedded file) stores that file as `attachment/0` and
//!   sets `details.viewable = "attachment/0"` with its media type. An embedded PDF
//!   is read for search text and page count.
//!
//! FHIR STU3, DSTU2 and R5 are rejected with the version named.

use std::collections::BTreeMap;

use carnet_clinical::{
    Actor, Attachment, Body, ClinicalError, ClinicalImport, Code, Document, Identifier,
    Organization, Patient, PatientMatch, PersonQuery, match_patient,
};
use carnet_extract::Kind;
use chrono::NaiveDate;
use serde_json::{Value, json};

use super::ImportError;
use super::analyze::{Analysis, Part};
use crate::documents::TextStatus;
use crate::people::Person;

/// Most characters of text indexed per document, as for plain text files.
const MAX_INDEXED_CHARS: usize = 4 * 1024 * 1024;

/// Role of the embedded file shown in place of the original for a level-1 document.
pub const VIEWABLE_ROLE: &str = "attachment/0";

/// Parses a CDA or FHIR file and fills an [`Analysis`] from it.
pub(super) fn analyze(kind: Kind, bytes: &[u8]) -> Result<Analysis, ImportError> {
    let import = carnet_clinical::parse(bytes).map_err(import_error)?;
    let format = if is_fhir(bytes) { "fhir" } else { "cda" };
    let mut analysis = Analysis::empty(kind, format);
    analysis.media_type = match format {
        "fhir" => "application/fhir+json".to_string(),
        _ => "application/xml".to_string(),
    };

    fill_header(&mut analysis, &import);
    let texts = fill_bodies(&mut analysis, &import.documents);
    fill_search_text(&mut analysis, texts);

    analysis.patient = import
        .documents
        .iter()
        .find_map(|d| d.patient.clone())
        .or_else(|| import.patients.first().cloned());
    analysis.entries = import.all_entries().cloned().collect();
    analysis.unmodelled = import.unmodelled_counts();
    analysis.details = details(&import, format, &analysis);
    Ok(analysis)
}

/// Compares a document's patient with the person receiving it and returns the
/// rejection when they differ. No patient, or too little to decide, passes.
///
/// A vault member has one free-form name, so each of its words counts both as a
/// possible family name and as a possible given name. This errs towards accepting:
/// with the same birth date, one shared name word is enough.
pub(super) fn check_patient(person: &Person, patient: Option<&Patient>) -> Option<ImportError> {
    let words: Vec<String> = person.name.split_whitespace().map(str::to_owned).collect();
    let query = PersonQuery {
        ins: person.ins.clone(),
        family_names: words.clone(),
        given_names: words,
        birth_date: Some(person.birth_date.format("%Y-%m-%d").to_string()),
    };
    match match_patient(&query, patient) {
        PatientMatch::DoesNotMatch { names, birth_date } => Some(ImportError::PatientMismatch {
            names: if names.is_empty() {
                "?".to_string()
            } else {
                names.join(" / ")
            },
            birth_date: birth_date
                .as_ref()
                .map(|t| t.date().to_string())
                .unwrap_or_else(|| "?".to_string()),
        }),
        PatientMatch::Matches | PatientMatch::Unknown => None,
    }
}

/// Maps a parser error to the import error shown to the user, keeping its wording.
fn import_error(error: ClinicalError) -> ImportError {
    match error {
        ClinicalError::UnsupportedFhirVersion { .. } => ImportError::Unsupported {
            format: "FHIR",
            reason: error.to_string(),
        },
        ClinicalError::UnsupportedEncoding { .. }
        | ClinicalError::EntityDeclaration
        | ClinicalError::ExternalDtd => ImportError::Unsupported {
            format: "XML",
            reason: error.to_string(),
        },
        ClinicalError::Empty => ImportError::Empty,
        ClinicalError::InvalidJson { .. }
        | ClinicalError::NotFhir { .. }
        | ClinicalError::InvalidResource { .. } => ImportError::Malformed {
            format: "FHIR",
            reason: error.to_string(),
        },
        other => ImportError::Malformed {
            format: "CDA",
            reason: other.to_string(),
        },
    }
}

fn is_fhir(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{') | Some(b'[')
    )
}

/// Sets title, date and category from the documents (see the module documentation).
fn fill_header(analysis: &mut Analysis, import: &ClinicalImport) {
    match import.documents.as_slice() {
        [] => {}
        [only] => {
            analysis.title = only.title.clone().filter(|t| !t.trim().is_empty());
            analysis.date = only.effective_time.as_ref().and_then(date_of);
            analysis.category = only.category;
        }
        several => {
            analysis.date = several
                .iter()
                .filter_map(|d| d.effective_time.as_ref().and_then(date_of))
                .max();
            let first = several[0].category;
            if several.iter().all(|d| d.category == first) {
                analysis.category = first;
            }
        }
    }
}

fn date_of(time: &carnet_clinical::ClinicalTime) -> Option<NaiveDate> {
    let day = time.date();
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// Collects HTML, embedded files and the viewable original; returns the texts found
/// in the bodies, for search.
fn fill_bodies(analysis: &mut Analysis, documents: &[Document]) -> Vec<String> {
    let mut texts = Vec::new();
    let mut html_parts = Vec::new();
    let several = documents.len() > 1;

    for (index, document) in documents.iter().enumerate() {
        match &document.body {
            Body::Structured(body) => {
                if several {
                    html_parts.push(format!(
                        "<section><h1>{}</h1>{}</section>",
                        escape_html(document.title.as_deref().unwrap_or("Document")),
                        body.html
                    ));
                } else {
                    html_parts.push(body.html.clone());
                }
                texts.push(body.text.clone());
                for attachment in &body.attachments {
                    push_attachment(analysis, attachment);
                }
            }
            Body::Unstructured(attachment) => {
                if index == 0 && analysis.attachments.is_empty() {
                    set_viewable(analysis, attachment, &mut texts);
                } else {
                    push_attachment(analysis, attachment);
                }
                if attachment.media_type.starts_with("text/") {
                    texts.push(String::from_utf8_lossy(&attachment.data).into_owned());
                }
            }
            Body::Empty | Body::External { .. } => {}
        }
        if let Some(title) = &document.title {
            texts.push(title.clone());
        }
    }
    if !html_parts.is_empty() {
        analysis.html = Some(html_parts.concat());
    }
    texts
}

/// Stores a level-1 body as `attachment/0`, reads an embedded PDF for search and
/// makes a thumbnail of an embedded image.
fn set_viewable(analysis: &mut Analysis, attachment: &Attachment, texts: &mut Vec<String>) {
    push_attachment(analysis, attachment);
    let head = &attachment.data[..attachment.data.len().min(carnet_extract::SNIFF_LEN)];
    let kind = carnet_extract::sniff(head);
    if kind.is_image() {
        // An image the decoder rejects is still stored; it only has no thumbnail.
        if let Ok(image) = super::image::analyze(kind, &attachment.data) {
            analysis.thumbnail = image.thumbnail;
        }
        return;
    }
    if attachment.media_type != "application/pdf" {
        return;
    }
    match super::pdf::analyze(&attachment.data) {
        Ok(pdf) => {
            analysis.pages = pdf.pages;
            analysis.text_status = pdf.text_status;
            if let Some(text) = pdf.text {
                texts.push(text);
            }
        }
        // A damaged embedded PDF does not make the CDA header less useful: keep the
        // document and mark its text unreadable.
        Err(_) => analysis.text_status = TextStatus::Unreadable,
    }
}

fn push_attachment(analysis: &mut Analysis, attachment: &Attachment) {
    let index = analysis.attachments.len();
    let extension = match attachment.media_type.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/tiff" => "tiff",
        "text/plain" => "txt",
        "text/rtf" => "rtf",
        _ => "bin",
    };
    analysis.attachments.push(Part {
        name: format!("piece-jointe-{}.{extension}", index + 1),
        media_type: attachment.media_type.clone(),
        bytes: attachment.data.clone(),
    });
}

fn fill_search_text(analysis: &mut Analysis, texts: Vec<String>) {
    let joined: String = texts
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n");
    if !joined.trim().is_empty() {
        analysis.text = Some(joined.chars().take(MAX_INDEXED_CHARS).collect());
        if analysis.text_status == TextStatus::None {
            analysis.text_status = TextStatus::Extracted;
        }
    }
}

/// Builds the document's `details` JSON: header facts, never the body.
fn details(import: &ClinicalImport, format: &str, analysis: &Analysis) -> Value {
    let mut details = serde_json::Map::new();
    let version = match format {
        "fhir" => "FHIR R4",
        _ => "CDA R2",
    };
    details.insert("format_version".into(), json!(version));

    if let Some(first) = import.documents.first() {
        details.insert("clinical".into(), document_details(first));
    }
    if import.documents.len() > 1 {
        details.insert("document_count".into(), json!(import.documents.len()));
    }
    if let Some(patient) = &analysis.patient {
        details.insert("patient".into(), patient_details(patient));
    }
    if !analysis.unmodelled.is_empty() {
        details.insert("unmodelled".into(), json!(analysis.unmodelled));
    }

    let mut entry_counts: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &analysis.entries {
        *entry_counts
            .entry(crate::profile::kind_code(entry.kind()))
            .or_insert(0) += 1;
    }
    if !entry_counts.is_empty() {
        details.insert("entries".into(), json!(entry_counts));
    }

    if let Some(first) = analysis.attachments.first() {
        let level_one = matches!(
            import.documents.first().map(|d| &d.body),
            Some(Body::Unstructured(_))
        );
        if level_one {
            details.insert("viewable".into(), json!(VIEWABLE_ROLE));
            details.insert("viewable_media_type".into(), json!(first.media_type));
        }
        let attachments: Vec<Value> = analysis
            .attachments
            .iter()
            .enumerate()
            .map(|(i, a)| json!({ "role": format!("attachment/{i}"), "media_type": a.media_type }))
            .collect();
        details.insert("attachments".into(), json!(attachments));
    }
    Value::Object(details)
}

fn document_details(document: &Document) -> Value {
    json!({
        "unique_id": document.unique_id.as_ref().map(identifier),
        "type_code": document.type_code.as_ref().map(code),
        "class_code": document.class_code.as_ref().map(code),
        "confidentiality": document.confidentiality.iter().map(code).collect::<Vec<_>>(),
        "language": document.language,
        "effective_time": document.effective_time.as_ref().map(|t| t.as_str()),
        "authors": document.authors.iter().map(actor).collect::<Vec<_>>(),
        "custodian": document.custodian.as_ref().map(organization),
        "legal_authenticator": document.legal_authenticator.as_ref().map(actor),
    })
}

fn patient_details(patient: &Patient) -> Value {
    json!({
        "names": patient.names.iter().map(|n| n.display()).collect::<Vec<_>>(),
        "birth_date": patient.birth_date.as_ref().map(|t| t.date()),
        "sex": patient.sex,
        "ins": patient.ins.as_ref().map(|ins| json!({ "value": ins.value, "oid": ins.oid, "kind": ins.kind })),
    })
}

fn actor(actor: &Actor) -> Value {
    json!({
        "name": actor.label(),
        "rpps": actor.rpps(),
        "adeli": actor.adeli(),
        "role": actor.role.as_ref().map(code),
        "function": actor.function.as_ref().map(code),
        "time": actor.time.as_ref().map(|t| t.as_str()),
        "organization": actor.organization.as_ref().map(organization),
    })
}

fn organization(organization: &Organization) -> Value {
    json!({
        "name": organization.name,
        "identifiers": organization.identifiers.iter().map(identifier).collect::<Vec<_>>(),
    })
}

fn identifier(identifier: &Identifier) -> Value {
    json!({ "system": identifier.system, "value": identifier.value })
}

fn code(code: &Code) -> Value {
    json!({ "system": code.system, "code": code.code, "display": code.display })
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stu3_error_names_version() {
        let error = import_error(ClinicalError::UnsupportedFhirVersion {
            version: "STU3".into(),
        });
        assert!(error.to_string().contains("STU3"), "{error}");
    }

    /// Builds a level-1 CDA, without a patient, that embeds `data` in base64.
    fn level_one_cda(media_type: &str, data: &[u8]) -> Vec<u8> {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(data);
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <id root="1.2.3.4" extension="level-one-test"/>
  <code code="11502-2" codeSystem="2.16.840.1.113883.6.1"/>
  <title>Photo de la plaie</title>
  <effectiveTime value="20240203"/>
  <component><nonXMLBody><text mediaType="{media_type}" representation="B64">{encoded}</text></nonXMLBody></component>
</ClinicalDocument>"#
        )
        .into_bytes()
    }

    #[test]
    fn level_one_image_gets_thumbnail() {
        let jpeg = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../samples/Landscape_6_orient6.jpg"
        ))
        .unwrap();
        let cda = level_one_cda("image/jpeg", &jpeg);
        let analysis = analyze(Kind::Xml { cda: true }, &cda).unwrap();
        assert_eq!(analysis.title.as_deref(), Some("Photo de la plaie"));
        assert_eq!(analysis.attachments.len(), 1);
        assert_eq!(analysis.attachments[0].media_type, "image/jpeg");
        assert_eq!(analysis.details["viewable"], "attachment/0");
        assert!(
            analysis.thumbnail.is_some(),
            "thumbnail of the embedded image"
        );
    }

    #[test]
    fn level_one_damaged_pdf_still_imports() {
        let cda = level_one_cda("application/pdf", b"%PDF-1.4 not really a PDF");
        let analysis = analyze(Kind::Xml { cda: true }, &cda).unwrap();
        assert_eq!(analysis.details["viewable_media_type"], "application/pdf");
        assert_eq!(analysis.text_status, TextStatus::Unreadable);
    }

    #[test]
    fn escape_html_escapes_markup() {
        assert_eq!(escape_html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
