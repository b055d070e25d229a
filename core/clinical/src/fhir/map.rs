//! Mapping of typed FHIR resources to Carnet's model.

use std::collections::HashMap;

use serde_json::value::RawValue;

use crate::category::Category;
use crate::entries::{
    Allergy, Condition, FamilyHistory, LabResult, Measurement, ProfileEntry, Treatment,
    Vaccination, format_number,
};
use crate::html::Renderer;
use crate::media::{Attachment, decode_base64};
use crate::model::{
    Actor, Body, Code, Document, Identifier, Ins, Organization, Patient, PersonName, Section, Sex,
    StructuredBody,
};
use crate::time::ClinicalTime;
use crate::units::MeasurementKind;
use crate::xml::{self, XmlLimits};

use super::resources as r;
use super::{Importer, typed};

fn time(value: Option<&str>) -> Option<ClinicalTime> {
    value.and_then(ClinicalTime::from_fhir)
}

fn coding(coding: &r::Coding) -> Code {
    Code {
        system: coding.system.clone(),
        code: coding.code.clone(),
        display: coding.display.clone(),
    }
}

/// Returns the first coding (LOINC first when `prefer_loinc`), with the concept's
/// text as display when the coding has none.
fn concept(concept: &r::CodeableConcept, prefer_loinc: bool) -> Code {
    let chosen = if prefer_loinc {
        concept
            .coding
            .iter()
            .find(|c| c.system.as_deref().is_some_and(|s| s.contains("loinc")))
            .or_else(|| concept.coding.first())
    } else {
        concept.coding.first()
    };
    let mut code = chosen.map(coding).unwrap_or_default();
    if code.display.is_none() {
        code.display = concept.text.clone();
    }
    code
}

pub(super) fn identifier(identifier: &r::Identifier) -> Option<Identifier> {
    Some(Identifier {
        system: identifier.system.clone(),
        value: identifier.value.clone()?,
    })
}

fn person_name(name: &r::HumanName) -> PersonName {
    let mut person = PersonName {
        name_use: name.name_use.clone(),
        family: name.family.iter().cloned().collect(),
        given: name.given.clone(),
        prefix: name.prefix.clone(),
    };
    if person.is_empty()
        && let Some(text) = &name.text
    {
        person.family.push(text.clone());
    }
    person
}

pub(super) fn patient(resource: &r::Patient) -> Patient {
    let identifiers: Vec<Identifier> = resource.identifier.iter().filter_map(identifier).collect();
    // An NSS (type NH) shares the INS-NIR system without being an INS.
    let ins = resource
        .identifier
        .iter()
        .filter(|id| {
            let type_code = id
                .kind
                .as_ref()
                .and_then(|k| k.coding.first())
                .and_then(|c| c.code.as_deref());
            !matches!(type_code, Some("NH" | "NSS"))
        })
        .filter_map(identifier)
        .find_map(|id| Ins::from_identifier(&id));
    Patient {
        ins,
        identifiers,
        names: resource
            .name
            .iter()
            .map(person_name)
            .filter(|n| !n.is_empty())
            .collect(),
        birth_date: time(resource.birth_date.as_deref()),
        sex: resource.gender.as_deref().map(Sex::from_code),
    }
}

/// Builds an actor from a reference, reading the referenced Practitioner,
/// PractitionerRole, Organization, Device or Patient when it is available.
fn actor(importer: &Importer<'_>, reference: &r::Reference, contained: &[&RawValue]) -> Actor {
    let mut actor = Actor::default();
    if let Some((resource_type, raw)) = reference
        .reference
        .as_deref()
        .and_then(|target| importer.resolve(target, contained))
    {
        fill_actor(importer, &mut actor, &resource_type, raw, contained, 0);
    }
    if let Some(id) = reference.identifier.as_ref().and_then(identifier) {
        actor.identifiers.push(id);
    }
    if actor.label().is_none()
        && let Some(display) = &reference.display
    {
        actor.name = Some(PersonName {
            family: vec![display.clone()],
            ..PersonName::default()
        });
    }
    actor
}

/// Tells whether a reference led to anything: an unresolved reference without
/// display yields no actor.
fn is_known(actor: &Actor) -> bool {
    actor.label().is_some() || !actor.identifiers.is_empty()
}

fn fill_actor(
    importer: &Importer<'_>,
    actor: &mut Actor,
    resource_type: &str,
    raw: &RawValue,
    contained: &[&RawValue],
    depth: u8,
) {
    match resource_type {
        "Practitioner" | "Patient" | "RelatedPerson" => {
            if let Ok(person) = typed::<r::Practitioner>(resource_type, raw) {
                actor.name = person.name.first().map(person_name);
                actor
                    .identifiers
                    .extend(person.identifier.iter().filter_map(identifier));
                if actor.role.is_none() {
                    actor.role = person
                        .qualification
                        .iter()
                        .filter_map(|q| q.code.as_ref())
                        .map(|c| concept(c, false))
                        .next();
                }
            }
        }
        "PractitionerRole" if depth == 0 => {
            if let Ok(role) = typed::<r::PractitionerRole>(resource_type, raw) {
                actor.role = role
                    .specialty
                    .first()
                    .or(role.code.first())
                    .map(|c| concept(c, false));
                let target = role
                    .practitioner
                    .as_ref()
                    .and_then(|p| p.reference.as_deref());
                if let Some((kind, raw)) = target.and_then(|t| importer.resolve(t, contained)) {
                    fill_actor(importer, actor, &kind, raw, contained, depth + 1);
                }
                actor.organization = role
                    .organization
                    .as_ref()
                    .and_then(|o| organization(importer, o, contained));
            }
        }
        "Organization" => {
            if let Ok(org) = typed::<r::Organization>(resource_type, raw) {
                actor.organization = Some(Organization {
                    name: org.name.clone(),
                    identifiers: org.identifier.iter().filter_map(identifier).collect(),
                });
            }
        }
        "Device" => {
            if let Ok(device) = typed::<r::Device>(resource_type, raw) {
                actor.device = device.device_name.iter().find_map(|n| n.name.clone());
            }
        }
        _ => {}
    }
}

fn organization(
    importer: &Importer<'_>,
    reference: &r::Reference,
    contained: &[&RawValue],
) -> Option<Organization> {
    let resolved = reference
        .reference
        .as_deref()
        .and_then(|target| importer.resolve(target, contained))
        .filter(|(kind, _)| kind == "Organization")
        .and_then(|(kind, raw)| typed::<r::Organization>(&kind, raw).ok());
    match resolved {
        Some(org) => Some(Organization {
            name: org.name.clone().or_else(|| reference.display.clone()),
            identifiers: org.identifier.iter().filter_map(identifier).collect(),
        }),
        None => reference.display.as_ref().map(|name| Organization {
            name: Some(name.clone()),
            identifiers: reference.identifier.iter().filter_map(identifier).collect(),
        }),
    }
}

fn subject(
    importer: &Importer<'_>,
    reference: Option<&r::Reference>,
    contained: &[&RawValue],
) -> Option<Patient> {
    let reference = reference?;
    let (kind, raw) = importer.resolve(reference.reference.as_deref()?, contained)?;
    (kind == "Patient")
        .then(|| typed::<r::Patient>(&kind, raw).ok())
        .flatten()
        .map(|p| patient(&p))
}

/// Turns an attachment into a body: inline data, a Binary of the Bundle or an
/// external URL.
fn attachment_body(
    importer: &mut Importer<'_>,
    attachment: &r::Attachment,
    contained: &[&RawValue],
    title: Option<String>,
) -> Body {
    let declared = attachment.content_type.as_deref();
    if let Some(bytes) = attachment.data.as_deref().and_then(decode_base64) {
        return Body::Unstructured(Attachment::new(bytes, declared, title));
    }
    let Some(url) = attachment.url.as_deref() else {
        return Body::Empty;
    };
    if let Some((kind, raw)) = importer.resolve(url, contained)
        && kind == "Binary"
        && let Ok(binary) = typed::<r::Binary>(&kind, raw)
        && let Some(bytes) = binary.data.as_deref().and_then(decode_base64)
    {
        importer.mark_binary_used(raw);
        let declared = declared.or(binary.content_type.as_deref());
        return Body::Unstructured(Attachment::new(bytes, declared, title));
    }
    Body::External {
        url: url.to_owned(),
        declared_media_type: declared.map(str::to_owned),
    }
}

pub(super) fn document_reference(
    importer: &mut Importer<'_>,
    resource: &r::DocumentReference<'_>,
) -> Document {
    let contained = &resource.contained;
    let mut document = Document::empty();
    document.unique_id = resource.master_identifier.as_ref().and_then(identifier);
    document.type_code = resource.doc_type.as_ref().map(|c| concept(c, true));
    document.class_code = resource.category.first().map(|c| concept(c, false));
    document.effective_time = time(resource.date.as_deref());
    let attachment = resource.content.iter().find_map(|c| c.attachment.as_ref());
    document.title = resource
        .description
        .clone()
        .or_else(|| attachment.and_then(|a| a.title.clone()))
        .or_else(|| document.type_code.as_ref().and_then(|c| c.display.clone()));
    document.confidentiality = resource
        .security_label
        .iter()
        .flat_map(|label| label.coding.iter().map(coding))
        .collect();
    document.authors = resource
        .author
        .iter()
        .map(|a| actor(importer, a, contained))
        .filter(is_known)
        .collect();
    document.legal_authenticator = resource
        .authenticator
        .as_ref()
        .map(|a| actor(importer, a, contained))
        .filter(is_known);
    document.custodian = resource
        .custodian
        .as_ref()
        .and_then(|c| organization(importer, c, contained));
    document.patient = subject(importer, resource.subject.as_ref(), contained);
    document.category = category(&document);
    if let Some(attachment) = attachment {
        let title = attachment.title.clone().or_else(|| document.title.clone());
        document.body = attachment_body(importer, attachment, contained, title);
    }
    document
}

fn category(document: &Document) -> Category {
    Category::for_document(
        document.type_code.as_ref().and_then(|c| c.code.as_deref()),
        document.class_code.as_ref().and_then(|c| c.code.as_deref()),
    )
}

pub(super) fn composition(importer: &mut Importer<'_>, resource: &r::Composition<'_>) -> Document {
    let contained = &resource.contained;
    let mut document = Document::empty();
    document.unique_id = resource.identifier.as_ref().and_then(identifier);
    document.title = resource.title.clone();
    document.effective_time = time(resource.date.as_deref());
    document.type_code = resource.doc_type.as_ref().map(|c| concept(c, true));
    document.class_code = resource.category.first().map(|c| concept(c, false));
    document.language = resource.language.clone();
    document.confidentiality = resource
        .confidentiality
        .iter()
        .map(|c| Code {
            system: Some("http://terminology.hl7.org/CodeSystem/v3-Confidentiality".to_owned()),
            code: Some(c.clone()),
            display: None,
        })
        .collect();
    document.authors = resource
        .author
        .iter()
        .map(|a| actor(importer, a, contained))
        .filter(is_known)
        .collect();
    document.legal_authenticator = resource
        .attester
        .iter()
        .find(|a| a.mode.as_deref() == Some("legal"))
        .and_then(|a| {
            let mut signer = actor(importer, a.party.as_ref()?, contained);
            signer.time = time(a.time.as_deref());
            Some(signer)
        });
    document.custodian = resource
        .custodian
        .as_ref()
        .and_then(|c| organization(importer, c, contained));
    document.patient = subject(importer, resource.subject.as_ref(), contained);
    document.category = category(&document);
    document.body = composition_body(resource);
    document
}

fn composition_body(resource: &r::Composition<'_>) -> Body {
    let media = HashMap::new();
    let mut renderer = Renderer::new(&media);
    if let Some(title) = &resource.title {
        renderer.text.push_str(title);
        renderer.text.push('\n');
    }
    let mut sections = Vec::new();
    for section in &resource.section {
        render_section(section, 1, &mut renderer, &mut sections);
    }
    Body::Structured(StructuredBody {
        sections,
        html: renderer.html,
        text: renderer.text.trim_end().to_owned(),
        attachments: Vec::new(),
    })
}

fn render_section(
    section: &r::CompositionSection,
    level: u8,
    renderer: &mut Renderer<'_>,
    out: &mut Vec<Section>,
) {
    let code = section.code.as_ref().map(|c| concept(c, true));
    let title = section
        .title
        .clone()
        .or_else(|| code.as_ref().and_then(|c| c.display.clone()))
        .unwrap_or_else(|| "Section".to_owned());
    renderer.html.push_str("<section>\n");
    renderer.heading(level, &title);
    let start = renderer.html.len();
    let div = section.text.as_ref().and_then(|t| t.div.as_deref());
    // XHTML that does not parse is left out rather than shown raw.
    if let Some(root) = div.and_then(|d| xml::parse(d, XmlLimits::default()).ok()) {
        renderer.children(&root);
    }
    out.push(Section {
        title,
        code,
        level,
        html: renderer.html[start..].to_owned(),
    });
    for nested in &section.section {
        render_section(nested, level.saturating_add(1), renderer, out);
    }
    renderer.html.push_str("</section>\n");
}

pub(super) fn diagnostic_report(
    importer: &mut Importer<'_>,
    resource: &r::DiagnosticReport,
) -> Document {
    let mut document = Document::empty();
    document.unique_id = resource.identifier.iter().flatten().find_map(identifier);
    document.type_code = resource.code.as_ref().map(|c| concept(c, true));
    document.title = document.type_code.as_ref().and_then(|c| c.display.clone());
    document.effective_time =
        time(resource.effective_date_time.as_deref()).or_else(|| time(resource.issued.as_deref()));
    document.authors = resource
        .performer
        .iter()
        .map(|p| actor(importer, p, &[]))
        .filter(is_known)
        .collect();
    let service = resource
        .category
        .iter()
        .flat_map(|c| c.coding.iter())
        .find_map(|c| c.code.as_deref());
    document.category = document
        .type_code
        .as_ref()
        .and_then(|c| c.code.as_deref())
        .and_then(Category::from_type_code)
        .unwrap_or(match service {
            Some("LAB") => Category::Biologie,
            Some("RAD") => Category::Imagerie,
            _ => Category::ComptesRendus,
        });
    document.patient = subject(importer, resource.subject.as_ref(), &[]);
    for reference in resource
        .result
        .iter()
        .filter_map(|r| r.reference.as_deref())
    {
        let Some((kind, raw)) = importer.resolve(reference, &[]) else {
            continue;
        };
        if let Ok(result) = typed::<r::Observation>(&kind, raw) {
            document.entries.extend(observation(&result));
        }
    }
    if let Some(form) = resource.presented_form.first() {
        document.body = attachment_body(importer, form, &[], document.title.clone());
    } else if let Some(conclusion) = &resource.conclusion {
        document.body = Body::Unstructured(Attachment::new(
            conclusion.as_bytes().to_vec(),
            Some("text/plain"),
            document.title.clone(),
        ));
    }
    document
}

pub(super) fn observation(resource: &r::Observation) -> Vec<ProfileEntry> {
    let mut entries = Vec::new();
    if matches!(
        resource.status.as_deref(),
        Some("entered-in-error" | "cancelled")
    ) {
        return entries;
    }
    let Some(code) = resource.code.as_ref() else {
        return entries;
    };
    let observed_at = time(resource.effective_date_time.as_deref())
        .or_else(|| time(resource.effective_instant.as_deref()))
        .or_else(|| {
            resource
                .effective_period
                .as_ref()
                .and_then(|p| time(p.start.as_deref()))
        })
        .or_else(|| time(resource.issued.as_deref()));

    if let Some(entry) = measurement(code, &resource.value(), observed_at.clone()) {
        entries.push(entry);
    }
    for component in &resource.component {
        let Some(component_code) = component.code.as_ref() else {
            continue;
        };
        if let Some(entry) = measurement(component_code, &component.value(), observed_at.clone()) {
            entries.push(entry);
        }
    }
    let is_lab = resource
        .category
        .iter()
        .flat_map(|c| c.coding.iter())
        .any(|c| c.code.as_deref() == Some("laboratory"));
    if is_lab {
        entries.push(ProfileEntry::LabResult(lab_result(
            resource,
            code,
            observed_at,
        )));
    }
    entries
}

fn measurement(
    code: &r::CodeableConcept,
    value: &r::ObservationValue<'_>,
    time: Option<ClinicalTime>,
) -> Option<ProfileEntry> {
    let (loinc, kind) = code.coding.iter().find_map(|c| {
        let is_loinc = c.system.as_deref().is_some_and(|s| s.contains("loinc"));
        let kind = c.code.as_deref().and_then(MeasurementKind::from_loinc)?;
        is_loinc.then_some((c, kind))
    })?;
    let quantity = value.quantity?;
    let number = quantity.value?;
    let unit = quantity
        .code
        .as_deref()
        .or(quantity.unit.as_deref())
        .unwrap_or("");
    let converted = kind.convert(number, unit)?;
    Some(ProfileEntry::Measurement(Measurement {
        kind,
        code: coding(loinc),
        value: converted,
        unit: kind.ucum_unit().to_owned(),
        original_value: format_number(number),
        original_unit: Some(unit.to_owned()).filter(|u| !u.is_empty()),
        time,
    }))
}

fn lab_result(
    resource: &r::Observation,
    code: &r::CodeableConcept,
    time: Option<ClinicalTime>,
) -> LabResult {
    let value = resource.value();
    let (text, numeric, unit) = if let Some(quantity) = value.quantity {
        (
            quantity.value.map(format_number),
            quantity.value,
            quantity.code.clone().or_else(|| quantity.unit.clone()),
        )
    } else if let Some(concept_value) = value.codeable_concept {
        (
            concept(concept_value, false).label().map(str::to_owned),
            None,
            None,
        )
    } else if let Some(text) = value.string {
        (Some(text.to_owned()), None, None)
    } else if let Some(flag) = value.boolean {
        (Some(flag.to_string()), None, None)
    } else {
        (
            value.integer.map(|i| i.to_string()),
            value.integer.map(|i| i as f64),
            None,
        )
    };
    let reference_range = resource.reference_range.first().and_then(|range| {
        let bound = |q: &Option<r::Quantity>| q.as_ref().and_then(|q| q.value).map(format_number);
        let range_unit = range
            .high
            .as_ref()
            .or(range.low.as_ref())
            .and_then(|q| q.code.clone().or_else(|| q.unit.clone()))
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        match (bound(&range.low), bound(&range.high)) {
            (Some(low), Some(high)) => Some(format!("{low}-{high}{range_unit}")),
            (Some(low), None) => Some(format!(">= {low}{range_unit}")),
            (None, Some(high)) => Some(format!("<= {high}{range_unit}")),
            (None, None) => range.text.clone(),
        }
    });
    LabResult {
        analyte: concept(code, true),
        value: text,
        numeric_value: numeric,
        unit,
        reference_range,
        interpretation: resource.interpretation.first().map(|c| concept(c, false)),
        time,
    }
}

pub(super) fn immunization(
    importer: &Importer<'_>,
    resource: &r::Immunization,
) -> Option<ProfileEntry> {
    if matches!(
        resource.status.as_deref(),
        Some("not-done" | "entered-in-error")
    ) {
        return None;
    }
    let vaccine_code = resource.vaccine_code.as_ref()?;
    let dose_number = resource.protocol_applied.iter().find_map(|p| {
        p.dose_number.or_else(|| {
            p.dose_number_string
                .as_deref()
                .and_then(|s| s.trim().parse().ok())
        })
    });
    Some(ProfileEntry::Vaccination(Vaccination {
        vaccine: concept(vaccine_code, false),
        translations: vaccine_code.coding.iter().skip(1).map(coding).collect(),
        date: time(resource.occurrence_date_time.as_deref()),
        lot_number: resource.lot_number.clone(),
        dose_number,
        performer: resource
            .performer
            .iter()
            .find_map(|p| p.actor.as_ref())
            .map(|a| Box::new(actor(importer, a, &[]))),
        route: resource.route.as_ref().map(|c| concept(c, false)),
    }))
}

pub(super) fn medication_use(
    importer: &Importer<'_>,
    resource: &r::MedicationUse<'_>,
) -> Option<ProfileEntry> {
    let medication = if let Some(code) = &resource.medication_codeable_concept {
        concept(code, false)
    } else {
        let reference = resource.medication_reference.as_ref()?;
        let resolved = reference
            .reference
            .as_deref()
            .and_then(|target| importer.resolve(target, &resource.contained))
            .filter(|(kind, _)| kind == "Medication")
            .and_then(|(kind, raw)| typed::<r::Medication>(&kind, raw).ok())
            .and_then(|m| m.code.map(|c| concept(&c, false)));
        match resolved {
            Some(mut code) => {
                if code.display.is_none() {
                    code.display = reference.display.clone();
                }
                code
            }
            None => Code {
                display: Some(reference.display.clone()?),
                ..Code::default()
            },
        }
    };
    let dosage = resource
        .dosage
        .iter()
        .chain(resource.dosage_instruction.iter())
        .find_map(|d| d.text.clone());
    let period = resource.effective_period.as_ref().or_else(|| {
        resource
            .dispense_request
            .as_ref()
            .and_then(|d| d.validity_period.as_ref())
    });
    let start = time(resource.effective_date_time.as_deref())
        .or_else(|| period.and_then(|p| time(p.start.as_deref())))
        .or_else(|| time(resource.authored_on.as_deref()));
    Some(ProfileEntry::Treatment(Treatment {
        medication,
        dosage,
        start,
        end: period.and_then(|p| time(p.end.as_deref())),
        status: resource.status.clone(),
    }))
}

pub(super) fn allergy(resource: &r::AllergyIntolerance) -> ProfileEntry {
    ProfileEntry::Allergy(Allergy {
        substance: resource
            .code
            .as_ref()
            .map(|c| concept(c, false))
            .unwrap_or_default(),
        reactions: resource
            .reaction
            .iter()
            .flat_map(|r| r.manifestation.iter())
            .map(|c| concept(c, false))
            .collect(),
        severity: resource
            .reaction
            .iter()
            .find_map(|r| r.severity.clone())
            .or_else(|| resource.criticality.clone()),
        onset: time(resource.onset_date_time.as_deref()),
    })
}

pub(super) fn condition(resource: &r::Condition) -> Option<ProfileEntry> {
    let code = resource.code.as_ref()?;
    Some(ProfileEntry::Condition(Condition {
        code: concept(code, false),
        onset: time(resource.onset_date_time.as_deref())
            .or_else(|| time(resource.recorded_date.as_deref())),
        abatement: time(resource.abatement_date_time.as_deref()),
        status: resource
            .clinical_status
            .as_ref()
            .and_then(|s| s.coding.first())
            .and_then(|c| c.code.clone()),
    }))
}

pub(super) fn family_history(resource: &r::FamilyMemberHistory) -> Vec<ProfileEntry> {
    let relationship = resource
        .relationship
        .as_ref()
        .map(|c| concept(c, false))
        .unwrap_or_default();
    resource
        .condition
        .iter()
        .filter_map(|c| c.code.as_ref())
        .map(|c| {
            ProfileEntry::FamilyHistory(FamilyHistory {
                relationship: relationship.clone(),
                condition: concept(c, false),
            })
        })
        .collect()
}
