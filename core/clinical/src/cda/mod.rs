//! HL7 CDA R2 documents: header, body and medical-profile entries.
//!
//! The document is read into a bounded tree (see [`crate::xml`]) and the
//! `ClinicalDocument` element is searched anywhere in it, because self-presenting
//! lab reports wrap it in an `xsl:stylesheet`. A bare C-CDA `section` root is also
//! accepted, as a document without header.

mod body;
mod header;
mod statements;

use std::collections::HashMap;

use crate::category::Category;
use crate::error::ClinicalError;
use crate::model::{ClinicalImport, Document};
use crate::xml::{self, Element, XmlLimits};

/// Parses CDA bytes into an import holding one document.
pub fn parse(bytes: &[u8]) -> Result<ClinicalImport, ClinicalError> {
    let text = xml::decode_utf8(bytes)?;
    let root = xml::parse(text, XmlLimits::default())?;
    let document = if root.name == "ClinicalDocument" {
        parse_document(&root)
    } else if let Some(nested) = find_clinical_document(&root) {
        parse_document(nested)
    } else if root.name == "section" && root.hl7 {
        parse_section_fragment(&root)
    } else {
        return Err(ClinicalError::NotCda {
            root: root.name.chars().take(64).collect(),
        });
    };
    Ok(ClinicalImport {
        documents: vec![document],
        ..ClinicalImport::default()
    })
}

fn find_clinical_document(element: &Element) -> Option<&Element> {
    for child in element.elements() {
        if child.name == "ClinicalDocument" && child.hl7 {
            return Some(child);
        }
        if let Some(found) = find_clinical_document(child) {
            return Some(found);
        }
    }
    None
}

fn parse_document(root: &Element) -> Document {
    let mut document = header::read(root);
    let type_code = document.type_code.as_ref().and_then(|c| c.code.clone());
    let narrative = narrative_index(root);
    let context = statements::DocumentContext {
        type_code: type_code.clone(),
        narrative: &narrative,
    };
    let component = root.child("component");
    if let Some(unstructured) = component.and_then(|c| c.child("nonXMLBody")) {
        document.body = body::read_unstructured(unstructured, document.title.clone());
    } else if let Some(structured) = component.and_then(|c| c.child("structuredBody")) {
        let sections: Vec<&Element> = structured
            .children_named("component")
            .filter_map(|c| c.child("section"))
            .collect();
        document.body = body::read_structured(&sections, document.title.as_deref());
        document.entries = statements::read_sections(&sections, &context);
    }
    document.category = Category::for_document(type_code.as_deref(), None);
    document
}

fn parse_section_fragment(section: &Element) -> Document {
    let narrative = narrative_index(section);
    let context = statements::DocumentContext {
        type_code: None,
        narrative: &narrative,
    };
    let mut document = Document::empty();
    document.title = section.child("title").and_then(Element::non_empty_text);
    document.body = body::read_structured(&[section], document.title.as_deref());
    document.entries = statements::read_sections(&[section], &context);
    document
}

/// Maps narrative `ID`s to their text, so that `reference value="#id"` in entries
/// (original text, dosage) can be resolved.
fn narrative_index(root: &Element) -> HashMap<String, String> {
    let mut index = HashMap::new();
    collect_ids(root, &mut index);
    index
}

fn collect_ids(element: &Element, index: &mut HashMap<String, String>) {
    for child in element.elements() {
        if let Some(id) = child.attr("ID") {
            // observationMedia carries base64 bytes, not narrative.
            if child.name != "observationMedia" {
                index.entry(id.to_owned()).or_insert_with(|| child.text());
            }
        }
        collect_ids(child, index);
    }
}
