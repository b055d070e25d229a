//! Medical-profile entries from CDA clinical statements.
//!
//! Statements are classified by their template ids (IHE PCC, C-CDA and CI-SIS
//! templates), by the section they sit in and by their codes, because producers
//! are inconsistent about which of these they fill in. An unclassified statement
//! yields nothing: its narrative still appears in the rendered section.

use std::collections::HashMap;

use crate::entries::{
    Allergy, Condition, FamilyHistory, LabResult, Measurement, ProfileEntry, Treatment,
    Vaccination, format_number,
};
use crate::model::Code;
use crate::time::ClinicalTime;
use crate::units::MeasurementKind;
use crate::xml::{Element, collapse_whitespace};

use super::header::{assigned_entity_actor, code, time};

/// Immunization templates: IHE PCC, C-CDA, CI-SIS FR-Vaccination.
const IMMUNIZATION_TEMPLATES: &[&str] = &[
    "1.3.6.1.4.1.19376.1.5.3.1.4.12",
    "2.16.840.1.113883.10.20.22.4.52",
    "1.2.250.1.213.1.1.3.45",
];
/// Allergy concern and allergy observation templates.
const ALLERGY_TEMPLATES: &[&str] = &[
    "1.3.6.1.4.1.19376.1.5.3.1.4.5.3",
    "1.3.6.1.4.1.19376.1.5.3.1.4.6",
    "2.16.840.1.113883.10.20.22.4.30",
    "2.16.840.1.113883.10.20.22.4.7",
];
/// Problem concern and problem observation templates.
const PROBLEM_TEMPLATES: &[&str] = &[
    "1.3.6.1.4.1.19376.1.5.3.1.4.5.2",
    "1.3.6.1.4.1.19376.1.5.3.1.4.5",
    "2.16.840.1.113883.10.20.22.4.3",
    "2.16.840.1.113883.10.20.22.4.4",
];
/// Laboratory observation templates: IHE XD-LAB / CI-SIS, C-CDA result observation.
const LAB_TEMPLATES: &[&str] = &[
    "1.3.6.1.4.1.19376.1.3.1.6",
    "1.3.6.1.4.1.19376.1.3.1.4",
    "2.16.840.1.113883.10.20.22.4.2",
    "2.16.840.1.113883.10.20.22.4.1",
];
/// Family history templates.
const FAMILY_TEMPLATES: &[&str] = &[
    "1.3.6.1.4.1.19376.1.5.3.1.4.15",
    "2.16.840.1.113883.10.20.22.4.45",
    "2.16.840.1.113883.10.20.22.4.46",
];

/// Facts about the whole document that classification needs.
pub(super) struct DocumentContext<'a> {
    pub type_code: Option<String>,
    /// Narrative text by `ID`, for `reference value="#id"`.
    pub narrative: &'a HashMap<String, String>,
}

#[derive(Clone, Default)]
struct Scope {
    allergy: bool,
    problem: bool,
    family: bool,
    lab: bool,
    immunization: bool,
    relative: Option<Code>,
    time: Option<ClinicalTime>,
}

/// Reads the entries of these sections and of their nested sections.
pub(super) fn read_sections(
    sections: &[&Element],
    context: &DocumentContext<'_>,
) -> Vec<ProfileEntry> {
    let mut out = Vec::new();
    let lab_document = context.type_code.as_deref() == Some("11502-2");
    let scope = Scope {
        lab: lab_document,
        ..Scope::default()
    };
    for section in sections {
        read_section(section, &scope, context, &mut out);
    }
    out
}

fn read_section(
    section: &Element,
    parent: &Scope,
    context: &DocumentContext<'_>,
    out: &mut Vec<ProfileEntry>,
) {
    let mut scope = parent.clone();
    match section.child("code").and_then(|c| c.attr("code")) {
        Some("48765-2") => scope.allergy = true,
        Some("11450-4") | Some("11348-0") | Some("11535-2") => scope.problem = true,
        Some("10157-6") => scope.family = true,
        Some("30954-2") | Some("11502-2") => scope.lab = true,
        Some("11369-6") => scope.immunization = true,
        _ => {}
    }
    for entry in section.children_named("entry") {
        for statement in entry.elements() {
            read_statement(statement, &scope, context, out);
        }
    }
    for component in section.children_named("component") {
        if let Some(nested) = component.child("section") {
            read_section(nested, &scope, context, out);
        }
    }
}

fn read_statement(
    statement: &Element,
    parent: &Scope,
    context: &DocumentContext<'_>,
    out: &mut Vec<ProfileEntry>,
) {
    if statement.attr("negationInd") == Some("true") {
        return;
    }
    let mut scope = parent.clone();
    if has_template(statement, ALLERGY_TEMPLATES) {
        scope.allergy = true;
    }
    if has_template(statement, PROBLEM_TEMPLATES) && !scope.allergy {
        scope.problem = true;
    }
    if has_template(statement, FAMILY_TEMPLATES) {
        scope.family = true;
    }
    if has_template(statement, LAB_TEMPLATES) {
        scope.lab = true;
    }
    match statement.name.as_str() {
        "substanceAdministration" => {
            if is_immunization(statement, &scope) {
                // Only an event (moodCode EVN, the default) is a dose given; INT, PRP
                // and RQO immunizations are recommendations or plans (the IPS-FR
                // "vaccins recommandés" section) and must not count as done.
                if matches!(statement.attr("moodCode"), None | Some("EVN")) {
                    out.push(ProfileEntry::Vaccination(vaccination(statement, context)));
                }
            } else if let Some(treatment) = treatment(statement, context) {
                out.push(ProfileEntry::Treatment(treatment));
            }
        }
        "observation" => read_observation(statement, &scope, context, out),
        "organizer" => {
            if let Some(relative) = statement.path(&["subject", "relatedSubject", "code"]) {
                scope.relative = Some(code(relative));
            }
            if let Some(effective) = statement.child("effectiveTime").and_then(time) {
                scope.time = Some(effective);
            }
            for component in statement.children_named("component") {
                for nested in component.elements() {
                    read_statement(nested, &scope, context, out);
                }
            }
        }
        "act" | "procedure" | "encounter" | "supply" => {
            for relationship in statement.children_named("entryRelationship") {
                for nested in relationship.elements() {
                    read_statement(nested, &scope, context, out);
                }
            }
        }
        _ => {}
    }
}

fn read_observation(
    observation: &Element,
    scope: &Scope,
    context: &DocumentContext<'_>,
    out: &mut Vec<ProfileEntry>,
) {
    if scope.allergy {
        out.push(ProfileEntry::Allergy(allergy(observation, context)));
        return;
    }
    if scope.family {
        if let Some(history) = family_history(observation, scope, context) {
            out.push(ProfileEntry::FamilyHistory(history));
        }
        return;
    }
    let observation_code = observation.child("code");
    let codes: Vec<Code> = observation_code
        .into_iter()
        .chain(
            observation_code
                .into_iter()
                .flat_map(|c| c.children_named("translation")),
        )
        .map(code)
        .collect();
    let kind = codes
        .iter()
        .filter(|c| c.is_loinc() || c.system.is_none())
        .find_map(|c| c.code.as_deref().and_then(MeasurementKind::from_loinc));
    let value = observation.child("value");
    let observed_at = observation
        .child("effectiveTime")
        .and_then(time)
        .or_else(|| scope.time.clone());

    if let (Some(kind), Some(value)) = (kind, value)
        && let Some(measurement) = measurement(kind, &codes[0], value, observed_at.clone())
    {
        out.push(ProfileEntry::Measurement(measurement));
    }
    if scope.problem {
        if let Some(condition) = condition(observation, context) {
            out.push(ProfileEntry::Condition(condition));
        }
        return;
    }
    // CI-SIS lab reports carry their PDF copy under a "Type de document" (69764-9)
    // observation, which is not a result.
    let is_document_copy = codes.iter().any(|c| c.code.as_deref() == Some("69764-9"));
    if scope.lab && value.is_some() && !is_document_copy {
        out.push(ProfileEntry::LabResult(lab_result(
            observation,
            observed_at,
            context,
        )));
        return;
    }
    // Lab batteries nest observations in entryRelationship in some CI-SIS models.
    if scope.lab {
        for relationship in observation.children_named("entryRelationship") {
            for nested in relationship.elements() {
                read_statement(nested, scope, context, out);
            }
        }
    }
}

fn has_template(element: &Element, templates: &[&str]) -> bool {
    element
        .children_named("templateId")
        .filter_map(|t| t.attr("root"))
        .any(|root| templates.contains(&root.trim()))
}

fn is_immunization(statement: &Element, scope: &Scope) -> bool {
    if has_template(statement, IMMUNIZATION_TEMPLATES) || scope.immunization {
        return true;
    }
    let act_code = statement.child("code").and_then(|c| c.attr("code"));
    if matches!(act_code, Some("IMMUNIZ" | "INITIMMUNIZ" | "BOOSTER")) {
        return true;
    }
    // CVX is the US vaccine code system.
    material(statement)
        .and_then(|m| m.child("code"))
        .and_then(|c| c.attr("codeSystem"))
        == Some("2.16.840.1.113883.12.292")
}

fn material(statement: &Element) -> Option<&Element> {
    statement.path(&["consumable", "manufacturedProduct", "manufacturedMaterial"])
}

/// Reads a coded value with its display, falling back to the original text or to
/// the narrative it references.
fn display_code(element: &Element, context: &DocumentContext<'_>) -> Code {
    let mut result = code(element);
    if result.display.is_none() {
        result.display = original_text(element, context);
    }
    result
}

fn original_text(element: &Element, context: &DocumentContext<'_>) -> Option<String> {
    let original = element.child("originalText")?;
    referenced_text(original, context).or_else(|| original.non_empty_text())
}

/// Resolves `<reference value="#id"/>` inside `element` against the narrative.
fn referenced_text(element: &Element, context: &DocumentContext<'_>) -> Option<String> {
    let target = element.child("reference")?.attr("value")?;
    let id = target.trim().strip_prefix('#')?;
    context.narrative.get(id).cloned().filter(|t| !t.is_empty())
}

fn vaccination(statement: &Element, context: &DocumentContext<'_>) -> Vaccination {
    let material = material(statement);
    let code_element = material.and_then(|m| m.child("code"));
    let mut vaccine = code_element
        .map(|c| display_code(c, context))
        .unwrap_or_default();
    if vaccine.display.is_none() {
        vaccine.display = material
            .and_then(|m| m.child("name"))
            .and_then(Element::non_empty_text);
    }
    let translations = code_element
        .into_iter()
        .flat_map(|c| c.children_named("translation"))
        .map(code)
        .collect();
    let dose_number = statement
        .children_named("entryRelationship")
        .filter_map(|r| r.child("observation"))
        .find(|o| o.child("code").and_then(|c| c.attr("code")) == Some("30973-2"))
        .and_then(|o| o.child("value"))
        .and_then(|v| v.attr("value"))
        .or_else(|| {
            statement
                .child("repeatNumber")
                .and_then(|r| r.attr("value"))
        })
        .and_then(|v| v.trim().parse().ok());
    Vaccination {
        vaccine,
        translations,
        date: statement.child("effectiveTime").and_then(time),
        lot_number: material
            .and_then(|m| m.child("lotNumberText"))
            .and_then(Element::non_empty_text),
        dose_number,
        performer: statement
            .child("performer")
            .map(|p| Box::new(assigned_entity_actor(p))),
        route: statement
            .child("routeCode")
            .map(code)
            .filter(|c| c.code.is_some()),
    }
}

fn treatment(statement: &Element, context: &DocumentContext<'_>) -> Option<Treatment> {
    let material = material(statement)?;
    let mut medication = material
        .child("code")
        .map(|c| display_code(c, context))
        .unwrap_or_default();
    if medication.display.is_none() {
        medication.display = material.child("name").and_then(Element::non_empty_text);
    }
    if medication.code.is_none() && medication.display.is_none() {
        return None;
    }
    let interval = statement
        .children_named("effectiveTime")
        .find(|e| e.child("low").is_some() || e.child("high").is_some());
    let single = statement
        .children_named("effectiveTime")
        .find_map(|e| e.attr("value"))
        .and_then(ClinicalTime::from_hl7);
    let dosage = statement
        .child("text")
        .and_then(|t| referenced_text(t, context).or_else(|| t.non_empty_text()))
        .or_else(|| {
            let dose = statement.child("doseQuantity")?;
            let value = dose.attr("value")?;
            Some(
                format!("{value} {}", dose.attr("unit").unwrap_or(""))
                    .trim()
                    .to_owned(),
            )
        });
    Some(Treatment {
        medication,
        dosage,
        start: interval
            .and_then(|i| i.child("low"))
            .and_then(time)
            .or(single),
        end: interval.and_then(|i| i.child("high")).and_then(time),
        status: statement
            .child("statusCode")
            .and_then(|s| s.attr("code"))
            .map(str::to_owned),
    })
}

fn allergy(observation: &Element, context: &DocumentContext<'_>) -> Allergy {
    let substance = observation
        .children_named("participant")
        .filter_map(|p| p.path(&["participantRole", "playingEntity"]))
        .find_map(|entity| {
            let mut substance = entity.child("code").map(|c| display_code(c, context))?;
            if substance.display.is_none() {
                substance.display = entity.child("name").and_then(Element::non_empty_text);
            }
            Some(substance)
        })
        .or_else(|| observation.child("value").map(|v| display_code(v, context)))
        .unwrap_or_default();
    let nested: Vec<&Element> = observation
        .children_named("entryRelationship")
        .filter_map(|r| r.child("observation"))
        .collect();
    let reactions = nested
        .iter()
        .filter(|o| o.child("code").and_then(|c| c.attr("code")) != Some("SEV"))
        .filter_map(|o| o.child("value"))
        .map(|v| display_code(v, context))
        .filter(|c| c.code.is_some() || c.display.is_some())
        .collect();
    let severity = nested
        .iter()
        .find(|o| o.child("code").and_then(|c| c.attr("code")) == Some("SEV"))
        .and_then(|o| o.child("value"))
        .and_then(|v| display_code(v, context).label().map(str::to_owned));
    Allergy {
        substance,
        reactions,
        severity,
        onset: observation.child("effectiveTime").and_then(time),
    }
}

fn condition(observation: &Element, context: &DocumentContext<'_>) -> Option<Condition> {
    let value = observation
        .child("value")
        .map(|v| display_code(v, context))
        .filter(|c| c.code.is_some() || c.display.is_some());
    let code = value.or_else(|| {
        let code = observation
            .child("code")
            .map(|c| display_code(c, context))?;
        (code.code.is_some() || code.display.is_some()).then_some(code)
    })?;
    let effective = observation.child("effectiveTime");
    Some(Condition {
        code,
        onset: effective
            .and_then(|e| e.child("low"))
            .and_then(time)
            .or_else(|| {
                effective
                    .and_then(|e| e.attr("value"))
                    .and_then(ClinicalTime::from_hl7)
            }),
        abatement: effective.and_then(|e| e.child("high")).and_then(time),
        status: observation
            .child("statusCode")
            .and_then(|s| s.attr("code"))
            .map(str::to_owned),
    })
}

fn family_history(
    observation: &Element,
    scope: &Scope,
    context: &DocumentContext<'_>,
) -> Option<FamilyHistory> {
    let relationship = observation
        .path(&["subject", "relatedSubject", "code"])
        .map(code)
        .or_else(|| scope.relative.clone())?;
    let condition = observation
        .child("value")
        .map(|v| display_code(v, context))?;
    Some(FamilyHistory {
        relationship,
        condition,
    })
}

fn measurement(
    kind: MeasurementKind,
    observation_code: &Code,
    value: &Element,
    time: Option<ClinicalTime>,
) -> Option<Measurement> {
    let original_value = value.attr("value")?.trim().to_owned();
    let number: f64 = original_value.replace(',', ".").parse().ok()?;
    let original_unit = value.attr("unit").map(str::to_owned);
    let converted = kind.convert(number, original_unit.as_deref().unwrap_or(""))?;
    Some(Measurement {
        kind,
        code: observation_code.clone(),
        value: converted,
        unit: kind.ucum_unit().to_owned(),
        original_value,
        original_unit,
        time,
    })
}

fn lab_result(
    observation: &Element,
    time: Option<ClinicalTime>,
    context: &DocumentContext<'_>,
) -> LabResult {
    let analyte = observation
        .child("code")
        .map(|c| display_code(c, context))
        .unwrap_or_default();
    let (value, numeric_value, unit) = observation
        .child("value")
        .map(|v| lab_value(v, context))
        .unwrap_or((None, None, None));
    let reference_range = observation
        .path(&["referenceRange", "observationRange"])
        .and_then(|range| {
            range
                .child("value")
                .and_then(interval_text)
                .or_else(|| range.child("text").and_then(Element::non_empty_text))
        });
    let interpretation = observation
        .child("interpretationCode")
        .map(code)
        .filter(|c| c.code.is_some());
    LabResult {
        analyte,
        value,
        numeric_value,
        unit,
        reference_range,
        interpretation,
        time,
    }
}

type LabValue = (Option<String>, Option<f64>, Option<String>);

fn lab_value(value: &Element, context: &DocumentContext<'_>) -> LabValue {
    let value_type = value.attr("type").unwrap_or("");
    let unit = value.attr("unit").map(str::to_owned);
    match value_type {
        "PQ" | "INT" | "REAL" => {
            let text = value.attr("value").map(|v| v.trim().to_owned());
            let number = text
                .as_deref()
                .and_then(|t| t.replace(',', ".").parse().ok());
            (text, number, unit)
        }
        "IVL_PQ" => (interval_text(value), None, None),
        "CD" | "CE" | "CV" | "CO" => {
            let coded = display_code(value, context);
            (coded.label().map(str::to_owned), None, None)
        }
        "BL" => (value.attr("value").map(str::to_owned), None, None),
        "RTO" | "RTO_PQ_PQ" => {
            let part = |name: &str| value.child(name).and_then(|p| p.attr("value"));
            let text = match (part("numerator"), part("denominator")) {
                (Some(n), Some(d)) => Some(format!("{n}/{d}")),
                _ => None,
            };
            (text, None, None)
        }
        _ => {
            let text = referenced_text(value, context)
                .or_else(|| value.non_empty_text())
                .or_else(|| value.attr("value").map(str::to_owned));
            (text.map(|t| collapse_whitespace(&t)), None, unit)
        }
    }
}

/// Formats an `IVL_PQ` as `low-high unit`, or with `<`/`>` when one bound is missing.
fn interval_text(value: &Element) -> Option<String> {
    let bound = |name: &str| {
        let element = value.child(name)?;
        let number: f64 = element.attr("value")?.replace(',', ".").parse().ok()?;
        Some((
            format_number(number),
            element.attr("unit").map(str::to_owned),
        ))
    };
    let (low, high) = (bound("low"), bound("high"));
    let unit = high
        .as_ref()
        .and_then(|h| h.1.clone())
        .or_else(|| low.as_ref().and_then(|l| l.1.clone()))
        .filter(|u| u != "1")
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let text = match (low, high) {
        (Some(low), Some(high)) => format!("{}-{}{unit}", low.0, high.0),
        (Some(low), None) => format!(">= {}{unit}", low.0),
        (None, Some(high)) => format!("<= {}{unit}", high.0),
        (None, None) => return None,
    };
    Some(text)
}
