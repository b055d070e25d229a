//! A small, bounded XML tree built with `quick-xml`, for untrusted documents.
//!
//! `quick-xml` never expands entities nor fetches DTDs. On top of it this module
//! rejects any DOCTYPE that declares entities or names an external DTD, resolves
//! only the five predefined entities and character references, and bounds element
//! depth and total text. Element and attribute names are kept as local names, with
//! a flag telling whether the element is in the HL7 v3 namespace (or in none).

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

use crate::error::ClinicalError;

/// The HL7 v3 namespace that CDA elements live in.
pub(crate) const HL7_NAMESPACE: &[u8] = b"urn:hl7-org:v3";

/// Bounds applied while building the tree.
#[derive(Debug, Clone, Copy)]
pub(crate) struct XmlLimits {
    /// Maximum element nesting.
    pub max_depth: usize,
    /// Maximum total bytes of text and attribute values.
    pub max_text_bytes: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        // Text cannot outgrow the input because no entity is expanded, so this
        // bound only matters below MAX_INPUT_BYTES: 64 MiB leaves room for
        // several embedded files of Mon espace santé's 5 MB upload limit.
        XmlLimits {
            max_depth: 256,
            max_text_bytes: 64 * 1024 * 1024,
        }
    }
}

/// A node of the tree.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// An element with local names and unescaped attribute values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub name: String,
    /// True when the element is in the HL7 v3 namespace or in no namespace.
    pub hl7: bool,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    /// Returns an attribute's value by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.trim().is_empty())
    }

    /// Iterates over child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// Returns the first child element with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Iterates over child elements with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.name == name)
    }

    /// Follows a path of child names, taking the first match at each step.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        let mut current = self;
        for name in names {
            current = current.child(name)?;
        }
        Some(current)
    }

    /// Concatenates the text of all descendants, whitespace collapsed.
    pub fn text(&self) -> String {
        let mut raw = String::new();
        self.collect_text(&mut raw);
        collapse_whitespace(&raw)
    }

    /// Concatenates the text of all descendants, unchanged.
    pub fn raw_text(&self) -> String {
        let mut raw = String::new();
        self.collect_text(&mut raw);
        raw
    }

    /// Returns the collapsed text, or `None` when empty.
    pub fn non_empty_text(&self) -> Option<String> {
        Some(self.text()).filter(|t| !t.is_empty())
    }

    fn collect_text(&self, out: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Element(element) => element.collect_text(out),
            }
        }
    }
}

pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks the encoding and returns the text without byte-order mark.
pub(crate) fn decode_utf8(bytes: &[u8]) -> Result<&str, ClinicalError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ClinicalError::UnsupportedEncoding { encoding: "UTF-16" });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| ClinicalError::InvalidUtf8 {
        offset: error.valid_up_to(),
    })
}

/// Parses a whole document into a tree and returns its root element.
pub(crate) fn parse(text: &str, limits: XmlLimits) -> Result<Element, ClinicalError> {
    if let Some(offset) = text.find('\0') {
        return Err(ClinicalError::InvalidXml {
            offset: offset as u64,
            message: "NUL character, which XML forbids".to_owned(),
        });
    }
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut builder = TreeBuilder {
        limits,
        stack: Vec::new(),
        root: None,
        text_bytes: 0,
    };
    loop {
        let position = reader.buffer_position();
        let (namespace, event) = reader
            .read_resolved_event()
            .map_err(|error| invalid(position, error.to_string()))?;
        let hl7 = match namespace {
            ResolveResult::Bound(ns) => ns.as_ref().as_bytes() == HL7_NAMESPACE,
            ResolveResult::Unbound => true,
            ResolveResult::Unknown(_) => false,
        };
        match event {
            Event::Start(start) => {
                let element = builder.element(&start, hl7, position)?;
                builder.open(element)?;
            }
            Event::Empty(start) => {
                let element = builder.element(&start, hl7, position)?;
                builder.open(element)?;
                builder.close(position)?;
            }
            Event::End(_) => builder.close(position)?,
            Event::Text(content) => builder.text(content.xml10_content(), position)?,
            Event::CData(content) => builder.text(content.xml10_content(), position)?,
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference)?;
                builder.text(Cow::Owned(resolved), position)?;
            }
            Event::DocType(doctype) => check_doctype(&doctype.xml10_content())?,
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some(open) = builder.stack.last() {
        return Err(ClinicalError::TruncatedXml {
            element: open.name.clone(),
        });
    }
    builder
        .root
        .ok_or_else(|| invalid(0, "no root element".to_owned()))
}

fn invalid(offset: u64, message: String) -> ClinicalError {
    ClinicalError::InvalidXml { offset, message }
}

fn check_doctype(doctype: &str) -> Result<(), ClinicalError> {
    if doctype.contains("<!ENTITY") {
        return Err(ClinicalError::EntityDeclaration);
    }
    // Only look at the part before the internal subset for SYSTEM/PUBLIC ids.
    let external_part = doctype.split('[').next().unwrap_or(doctype);
    if external_part.contains("SYSTEM") || external_part.contains("PUBLIC") {
        return Err(ClinicalError::ExternalDtd);
    }
    Ok(())
}

fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> Result<String, ClinicalError> {
    if let Ok(Some(character)) = reference.resolve_char_ref() {
        return Ok(character.to_string());
    }
    let name: &str = reference;
    let predefined = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => {
            return Err(ClinicalError::UndeclaredEntity {
                name: name.chars().take(64).collect(),
            });
        }
    };
    Ok(predefined.to_owned())
}

struct TreeBuilder {
    limits: XmlLimits,
    stack: Vec<Element>,
    root: Option<Element>,
    text_bytes: usize,
}

impl TreeBuilder {
    fn element(
        &mut self,
        start: &BytesStart<'_>,
        hl7: bool,
        position: u64,
    ) -> Result<Element, ClinicalError> {
        let name = start.local_name().as_ref().to_owned();
        let mut attributes = Vec::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|error| invalid(position, error.to_string()))?;
            let key = attribute.key;
            if key.as_namespace_binding().is_some() {
                continue;
            }
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|error| match error {
                    quick_xml::Error::Escape(
                        quick_xml::escape::EscapeError::UnrecognizedEntity(_, entity),
                    ) => ClinicalError::UndeclaredEntity { name: entity },
                    other => invalid(position, other.to_string()),
                })?;
            self.count_text(value.len())?;
            let key = key.local_name().as_ref().to_owned();
            attributes.push((key, value.into_owned()));
        }
        Ok(Element {
            name,
            hl7,
            attributes,
            children: Vec::new(),
        })
    }

    fn count_text(&mut self, bytes: usize) -> Result<(), ClinicalError> {
        self.text_bytes += bytes;
        if self.text_bytes > self.limits.max_text_bytes {
            return Err(ClinicalError::TooMuchText {
                max: self.limits.max_text_bytes,
            });
        }
        Ok(())
    }

    fn open(&mut self, element: Element) -> Result<(), ClinicalError> {
        if self.root.is_some() {
            return Err(invalid(0, "a second root element".to_owned()));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(ClinicalError::TooDeep {
                max: self.limits.max_depth,
            });
        }
        self.stack.push(element);
        Ok(())
    }

    fn close(&mut self, position: u64) -> Result<(), ClinicalError> {
        let element = self
            .stack
            .pop()
            .ok_or_else(|| invalid(position, "closing tag without opening tag".to_owned()))?;
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(Node::Element(element)),
            None => self.root = Some(element),
        }
        Ok(())
    }

    fn text(&mut self, text: Cow<'_, str>, position: u64) -> Result<(), ClinicalError> {
        match self.stack.last_mut() {
            Some(parent) => {
                let length = text.len();
                match parent.children.last_mut() {
                    Some(Node::Text(previous)) => previous.push_str(&text),
                    _ => parent.children.push(Node::Text(text.into_owned())),
                }
                self.count_text(length)
            }
            None if text.trim().is_empty() => Ok(()),
            None => Err(invalid(
                position,
                "text outside the root element".to_owned(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Element, ClinicalError> {
        parse(text, XmlLimits::default())
    }

    #[test]
    fn resolves_predefined_entities() {
        let root = parse_str("<a b=\"x&amp;y\">&lt;&#233;&#x41;</a>").unwrap();
        assert_eq!(root.attr("b"), Some("x&y"));
        assert_eq!(root.text(), "<éA");
    }

    #[test]
    fn rejects_undeclared_entity() {
        let error = parse_str("<a>&nbsp;</a>").unwrap_err();
        assert_eq!(
            error,
            ClinicalError::UndeclaredEntity {
                name: "nbsp".into()
            }
        );
    }

    #[test]
    fn bounds_depth() {
        let deep = "<a>".repeat(300) + &"</a>".repeat(300);
        let error = parse_str(&deep).unwrap_err();
        assert_eq!(error, ClinicalError::TooDeep { max: 256 });
    }

    #[test]
    fn bounds_text() {
        let limits = XmlLimits {
            max_depth: 8,
            max_text_bytes: 10,
        };
        let error = parse("<a>0123456789ABC</a>", limits).unwrap_err();
        assert_eq!(error, ClinicalError::TooMuchText { max: 10 });
    }

    #[test]
    fn keeps_local_names_and_namespace_flag() {
        let root = parse_str(
            "<x:r xmlns:x=\"other\" xmlns:c=\"urn:hl7-org:v3\"><c:ClinicalDocument/></x:r>",
        )
        .unwrap();
        assert!(!root.hl7);
        let cda = root.child("ClinicalDocument").unwrap();
        assert!(cda.hl7);
    }
}
