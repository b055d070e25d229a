//! FHIR R4 JSON: single resources and Bundles of every type.
//!
//! The input is validated once into a borrowed [`RawValue`] tree: Bundle entries
//! stay slices of the input until each is deserialised into the typed struct of
//! its `resourceType` (see [`resources`]). A multi-megabyte Bundle therefore never
//! exists as a `serde_json::Value`. Resources Carnet does not model are kept as
//! their original JSON text in [`ClinicalImport::unmodelled`].

mod map;
pub(crate) mod resources;

use std::collections::{HashMap, HashSet};

use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use crate::detect::{FhirVersion, fhir_version};
use crate::error::ClinicalError;
use crate::model::{ClinicalImport, RawResource};

use resources::{Bundle, Peek};

/// Maximum nesting of accepted JSON, equal to serde_json's recursion limit.
pub const MAX_JSON_DEPTH: usize = 128;

/// Parses FHIR JSON into documents, patients, entries and unmodelled resources.
pub fn parse(bytes: &[u8]) -> Result<ClinicalImport, ClinicalError> {
    let text = crate::xml::decode_utf8(bytes)?;
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(ClinicalError::Empty);
    }
    check_depth(text.as_bytes())?;
    if !trimmed.starts_with('{') {
        // Report syntax problems first, because they are more precise than "not FHIR".
        serde_json::from_str::<IgnoredAny>(text).map_err(|e| ClinicalError::from_json(&e))?;
        return Err(ClinicalError::NotFhir {
            reason: "the top-level JSON value is not an object".to_owned(),
        });
    }
    let root: &RawValue = serde_json::from_str(text).map_err(|e| ClinicalError::from_json(&e))?;
    let peek = peek(root)?;
    let Some(resource_type) = peek.resource_type.as_deref() else {
        return Err(ClinicalError::NotFhir {
            reason: "the JSON object has no resourceType".to_owned(),
        });
    };
    let version = fhir_version(text.as_bytes());
    if !version.is_supported() {
        return Err(ClinicalError::UnsupportedFhirVersion {
            version: version.to_string(),
        });
    }
    debug_assert!(matches!(version, FhirVersion::R4 | FhirVersion::R4B));

    let mut importer = Importer::default();
    if resource_type == "Bundle" {
        importer.bundle(root, 0)?;
    } else {
        importer.index_resource(None, resource_type, peek.id.as_deref(), root);
        importer.resource(resource_type, root)?;
    }
    Ok(importer.finish())
}

/// Rejects JSON nested deeper than [`MAX_JSON_DEPTH`] in one pass over the bytes.
///
/// serde_json skips unknown fields without recursion, so its own recursion limit
/// does not bound what Carnet accepts; this scan does, before any parsing.
fn check_depth(bytes: &[u8]) -> Result<(), ClinicalError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(ClinicalError::TooDeep {
                        max: MAX_JSON_DEPTH,
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn peek(raw: &RawValue) -> Result<Peek<'_>, ClinicalError> {
    serde_json::from_str(raw.get()).map_err(|e| ClinicalError::NotFhir {
        reason: format!("unreadable resourceType or id ({e})"),
    })
}

/// Bundles nested in bundles deeper than this are kept raw.
const MAX_BUNDLE_NESTING: usize = 4;

#[derive(Default)]
pub(crate) struct Importer<'a> {
    /// Resources by `fullUrl` and by `Type/id`.
    index: HashMap<String, (String, &'a RawValue)>,
    /// Binaries whose bytes became a document body.
    used_binaries: HashSet<*const RawValue>,
    pending_binaries: Vec<(String, &'a RawValue)>,
    /// Observations listed as a DiagnosticReport result: their entries go to the
    /// report's document rather than to the top level.
    report_results: HashSet<*const RawValue>,
    output: ClinicalImport,
    /// The index of the Composition document of a `document` Bundle.
    composition_document: Option<usize>,
}

impl<'a> Importer<'a> {
    fn bundle(&mut self, raw: &'a RawValue, nesting: usize) -> Result<(), ClinicalError> {
        let bundle: Bundle<'a> = typed("Bundle", raw)?;
        let mut resources = Vec::with_capacity(bundle.entry.len());
        for entry in &bundle.entry {
            let Some(resource) = entry.resource else {
                // transaction-response entries carry only a response.
                continue;
            };
            let peek = peek(resource)?;
            let Some(resource_type) = peek.resource_type else {
                return Err(ClinicalError::NotFhir {
                    reason: "a Bundle entry has no resourceType".to_owned(),
                });
            };
            let resource_type = resource_type.into_owned();
            self.index_resource(
                entry.full_url.as_deref(),
                &resource_type,
                peek.id.as_deref(),
                resource,
            );
            resources.push((resource_type, resource));
        }
        for (resource_type, resource) in &resources {
            if resource_type == "DiagnosticReport" {
                let report: resources::DiagnosticReportResults = typed(resource_type, resource)?;
                for reference in report.result.iter().filter_map(|r| r.reference.as_deref()) {
                    if let Some((_, raw)) = self.resolve(reference, &[]) {
                        self.report_results.insert(raw as *const RawValue);
                    }
                }
            }
        }
        let is_document = bundle.bundle_type.as_deref() == Some("document");
        let entries_before = self.output.entries.len();
        for (resource_type, resource) in resources {
            if resource_type == "Bundle" && nesting < MAX_BUNDLE_NESTING {
                self.bundle(resource, nesting + 1)?;
            } else {
                self.resource(&resource_type, resource)?;
            }
        }
        // A document Bundle's entries belong to its Composition.
        if is_document && let Some(position) = self.composition_document.take() {
            let moved: Vec<_> = self.output.entries.drain(entries_before..).collect();
            let document = &mut self.output.documents[position];
            document.entries.extend(moved);
            if document.unique_id.is_none() {
                document.unique_id = bundle.identifier.as_ref().and_then(map::identifier);
            }
        }
        Ok(())
    }

    fn index_resource(
        &mut self,
        full_url: Option<&str>,
        resource_type: &str,
        id: Option<&str>,
        raw: &'a RawValue,
    ) {
        if let Some(url) = full_url {
            self.index
                .insert(url.to_owned(), (resource_type.to_owned(), raw));
        }
        if let Some(id) = id {
            self.index.insert(
                format!("{resource_type}/{id}"),
                (resource_type.to_owned(), raw),
            );
        }
    }

    fn resource(&mut self, resource_type: &str, raw: &'a RawValue) -> Result<(), ClinicalError> {
        let modelled = match resource_type {
            "Patient" => {
                let patient = map::patient(&typed(resource_type, raw)?);
                self.output.patients.push(patient);
                true
            }
            "DocumentReference" => {
                let document = map::document_reference(self, &typed(resource_type, raw)?);
                self.output.documents.push(document);
                true
            }
            "Composition" => {
                let document = map::composition(self, &typed(resource_type, raw)?);
                self.output.documents.push(document);
                self.composition_document = Some(self.output.documents.len() - 1);
                true
            }
            "DiagnosticReport" => {
                let document = map::diagnostic_report(self, &typed(resource_type, raw)?);
                self.output.documents.push(document);
                true
            }
            "Observation" if self.report_results.contains(&(raw as *const RawValue)) => true,
            "Observation" => {
                let entries = map::observation(&typed(resource_type, raw)?);
                let found = !entries.is_empty();
                self.output.entries.extend(entries);
                found
            }
            "Immunization" => match map::immunization(self, &typed(resource_type, raw)?) {
                Some(entry) => {
                    self.output.entries.push(entry);
                    true
                }
                None => false,
            },
            "MedicationStatement" | "MedicationRequest" => {
                match map::medication_use(self, &typed(resource_type, raw)?) {
                    Some(entry) => {
                        self.output.entries.push(entry);
                        true
                    }
                    None => false,
                }
            }
            "AllergyIntolerance" => {
                self.output
                    .entries
                    .push(map::allergy(&typed(resource_type, raw)?));
                true
            }
            "Condition" => match map::condition(&typed(resource_type, raw)?) {
                Some(entry) => {
                    self.output.entries.push(entry);
                    true
                }
                None => false,
            },
            "FamilyMemberHistory" => {
                let entries = map::family_history(&typed(resource_type, raw)?);
                let found = !entries.is_empty();
                self.output.entries.extend(entries);
                found
            }
            "Binary" => {
                // Decided at the end: a Binary may be referenced by a later entry.
                self.pending_binaries.push((resource_type.to_owned(), raw));
                true
            }
            _ => false,
        };
        if !modelled {
            self.keep_raw(resource_type, raw);
        }
        Ok(())
    }

    fn keep_raw(&mut self, resource_type: &str, raw: &RawValue) {
        self.output.unmodelled.push(RawResource {
            resource_type: resource_type.to_owned(),
            json: raw.get().to_owned(),
        });
    }

    /// Resolves a reference against `contained` resources, then the Bundle.
    pub(crate) fn resolve(
        &self,
        reference: &str,
        contained: &[&'a RawValue],
    ) -> Option<(String, &'a RawValue)> {
        if let Some(local) = reference.strip_prefix('#') {
            return contained.iter().find_map(|raw| {
                let peek = peek(raw).ok()?;
                if peek.id.as_deref() != Some(local) {
                    return None;
                }
                Some((peek.resource_type?.into_owned(), *raw))
            });
        }
        if let Some((resource_type, raw)) = self.index.get(reference) {
            return Some((resource_type.clone(), *raw));
        }
        // An absolute URL ending in Type/id.
        let mut segments = reference.rsplit('/');
        let id = segments.next()?;
        let resource_type = segments.next()?;
        let (resource_type, raw) = self.index.get(&format!("{resource_type}/{id}"))?;
        Some((resource_type.clone(), *raw))
    }

    pub(crate) fn mark_binary_used(&mut self, raw: &RawValue) {
        self.used_binaries.insert(raw as *const RawValue);
    }

    fn finish(mut self) -> ClinicalImport {
        for (resource_type, raw) in std::mem::take(&mut self.pending_binaries) {
            if !self.used_binaries.contains(&(raw as *const RawValue)) {
                self.keep_raw(&resource_type, raw);
            }
        }
        self.output
    }
}

/// Deserialises a resource into its typed struct, naming the type on failure.
pub(crate) fn typed<'a, T: serde::Deserialize<'a>>(
    resource_type: &str,
    raw: &'a RawValue,
) -> Result<T, ClinicalError> {
    serde_json::from_str(raw.get()).map_err(|e| {
        let message = e.to_string();
        if message.starts_with("recursion limit exceeded") {
            return ClinicalError::TooDeep {
                max: MAX_JSON_DEPTH,
            };
        }
        ClinicalError::InvalidResource {
            resource_type: resource_type.chars().take(64).collect(),
            message: crate::error::without_quoted_values(&message),
        }
    })
}
