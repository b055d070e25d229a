//! The CDA header: ids, codes, people and organisations.

use crate::model::{Actor, Code, Document, Identifier, Organization, Patient, PersonName, Sex};
use crate::time::ClinicalTime;
use crate::xml::Element;

pub(super) fn read(root: &Element) -> Document {
    let mut document = Document::empty();
    document.unique_id = root.child("id").and_then(identifier);
    document.title = root.child("title").and_then(Element::non_empty_text);
    document.effective_time = root.child("effectiveTime").and_then(time);
    document.type_code = root.child("code").map(code);
    document.confidentiality = root
        .children_named("confidentialityCode")
        .map(code)
        .collect();
    document.language = root
        .child("languageCode")
        .and_then(|l| l.attr("code"))
        .map(str::to_owned);
    document.authors = root.children_named("author").map(author).collect();
    document.custodian = root
        .path(&[
            "custodian",
            "assignedCustodian",
            "representedCustodianOrganization",
        ])
        .map(organization);
    document.legal_authenticator = root.child("legalAuthenticator").map(assigned_entity_actor);
    document.patient = root.path(&["recordTarget", "patientRole"]).map(patient);
    document
}

/// Reads a coded element (`code`, `value xsi:type="CD"`, `routeCode`…).
pub(super) fn code(element: &Element) -> Code {
    Code {
        system: element.attr("codeSystem").map(str::to_owned),
        code: element.attr("code").map(|c| c.trim().to_owned()),
        display: element
            .attr("displayName")
            .map(crate::xml::collapse_whitespace)
            .filter(|d| !d.is_empty()),
    }
}

/// Reads an `id` element; a root alone becomes the value.
pub(super) fn identifier(element: &Element) -> Option<Identifier> {
    let root = element.attr("root").map(str::trim);
    let extension = element.attr("extension").map(str::trim);
    match (root, extension) {
        (root, Some(extension)) => Some(Identifier {
            system: root.map(str::to_owned),
            value: extension.to_owned(),
        }),
        (Some(root), None) => Some(Identifier {
            system: None,
            value: root.to_owned(),
        }),
        (None, None) => None,
    }
}

/// Reads a `TS` or the start of an `IVL_TS`.
pub(super) fn time(element: &Element) -> Option<ClinicalTime> {
    element
        .attr("value")
        .and_then(ClinicalTime::from_hl7)
        .or_else(|| element.child("low").and_then(time))
        .or_else(|| element.child("center").and_then(time))
}

pub(super) fn person_name(element: &Element) -> PersonName {
    // INS names repeat parts with qualifiers (BR birth name, SP used name, CL first
    // given name); identical repeats are kept once.
    let parts = |name: &str| -> Vec<String> {
        let mut values: Vec<String> = Vec::new();
        for value in element
            .children_named(name)
            .filter_map(Element::non_empty_text)
        {
            if !values.contains(&value) {
                values.push(value);
            }
        }
        values
    };
    let mut name = PersonName {
        name_use: element.attr("use").map(str::to_owned),
        family: parts("family"),
        given: parts("given"),
        prefix: parts("prefix"),
    };
    if name.is_empty()
        && element.elements().next().is_none()
        && let Some(text) = element.non_empty_text()
    {
        // An unstructured name such as `<name>Dr Jean Martin</name>`.
        name.family.push(text);
    }
    name
}

pub(super) fn organization(element: &Element) -> Organization {
    Organization {
        name: element.child("name").and_then(Element::non_empty_text),
        identifiers: element
            .children_named("id")
            .filter_map(identifier)
            .collect(),
    }
}

fn author(element: &Element) -> Actor {
    let mut actor = element
        .child("assignedAuthor")
        .map(assigned_actor)
        .unwrap_or_default();
    actor.time = element.child("time").and_then(time);
    actor.function = element.child("functionCode").map(code);
    actor
}

/// Reads `legalAuthenticator`, `performer` or `participant` wrappers around an
/// `assignedEntity`.
pub(super) fn assigned_entity_actor(element: &Element) -> Actor {
    let mut actor = element
        .child("assignedEntity")
        .map(assigned_actor)
        .unwrap_or_default();
    actor.time = element.child("time").and_then(time);
    actor
}

/// Reads an `assignedAuthor` or `assignedEntity`.
pub(super) fn assigned_actor(element: &Element) -> Actor {
    let device = element.child("assignedAuthoringDevice").and_then(|d| {
        d.child("softwareName")
            .or_else(|| d.child("manufacturerModelName"))
            .and_then(Element::non_empty_text)
    });
    Actor {
        name: element
            .path(&["assignedPerson", "name"])
            .map(person_name)
            .filter(|n| !n.is_empty()),
        identifiers: element
            .children_named("id")
            .filter_map(identifier)
            .collect(),
        role: element.child("code").map(code).filter(|c| c.code.is_some()),
        function: None,
        time: None,
        organization: element.child("representedOrganization").map(organization),
        device,
    }
}

fn patient(role: &Element) -> Patient {
    let person = role.child("patient");
    let names = person
        .into_iter()
        .flat_map(|p| p.children_named("name"))
        .map(person_name)
        .filter(|n| !n.is_empty())
        .collect();
    Patient {
        ins: None,
        identifiers: role.children_named("id").filter_map(identifier).collect(),
        names,
        birth_date: person.and_then(|p| p.child("birthTime")).and_then(time),
        sex: person
            .and_then(|p| p.child("administrativeGenderCode"))
            .and_then(|g| g.attr("code"))
            .map(Sex::from_code),
    }
    .finish()
}
