//! Errors returned when clinical bytes cannot be parsed.
//!
//! Messages name the position or the offending construct, never the health content
//! of the document, so they can be logged and shown to the user as they are.

use thiserror::Error;

/// Why an input was rejected.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ClinicalError {
    /// The input is empty or only whitespace.
    #[error("the input is empty")]
    Empty,
    /// Neither CDA nor FHIR JSON.
    #[error("the input is neither a CDA document nor FHIR JSON")]
    UnknownFormat,
    /// The bytes are not valid UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// UTF-16 or UTF-32 text, which Carnet does not accept.
    #[error("unsupported text encoding {encoding}: convert the file to UTF-8")]
    UnsupportedEncoding {
        /// The encoding recognised from the byte-order mark.
        encoding: &'static str,
    },
    /// The input is larger than the parser accepts.
    #[error("the input is {size} bytes, more than the maximum of {max} bytes")]
    TooLarge {
        /// Input size in bytes.
        size: usize,
        /// Accepted maximum in bytes.
        max: usize,
    },
    /// The XML is not well-formed.
    #[error("invalid XML at byte {offset}: {message}")]
    InvalidXml {
        /// Byte offset where the reader stopped.
        offset: u64,
        /// The XML reader's description of the problem.
        message: String,
    },
    /// The XML ends before its root element is closed.
    #[error("truncated XML: the element <{element}> is never closed")]
    TruncatedXml {
        /// Local name of the innermost open element.
        element: String,
    },
    /// The DOCTYPE declares entities, which could expand without bound.
    #[error("rejected DOCTYPE: it declares entities, which Carnet never expands")]
    EntityDeclaration,
    /// The DOCTYPE refers to an external DTD, which Carnet never fetches.
    #[error("rejected DOCTYPE: it refers to an external DTD, which Carnet never fetches")]
    ExternalDtd,
    /// A reference to an entity that XML does not predefine.
    #[error("undeclared XML entity &{name};")]
    UndeclaredEntity {
        /// The entity name.
        name: String,
    },
    /// Elements or JSON values nest deeper than the parser accepts.
    #[error("nesting too deep: more than {max} levels")]
    TooDeep {
        /// Accepted maximum depth.
        max: usize,
    },
    /// The document holds more text than the parser accepts.
    #[error("the document holds more than {max} bytes of text")]
    TooMuchText {
        /// Accepted maximum of text bytes.
        max: usize,
    },
    /// XML without any `ClinicalDocument` element.
    #[error("XML without a CDA ClinicalDocument element (root element <{root}>)")]
    NotCda {
        /// Local name of the root element.
        root: String,
    },
    /// The JSON is not well-formed.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    InvalidJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The JSON parser's description of the problem.
        message: String,
    },
    /// Well-formed JSON that is not a FHIR resource.
    #[error("not FHIR: {reason}")]
    NotFhir {
        /// What is missing, such as `no resourceType`.
        reason: String,
    },
    /// FHIR of a version other than R4.
    #[error("unsupported FHIR version {version}: Carnet imports FHIR R4 (4.0.x)")]
    UnsupportedFhirVersion {
        /// The version found, such as `STU3` or `3.0.2`.
        version: String,
    },
    /// A FHIR resource whose shape does not match R4.
    #[error("invalid FHIR {resource_type}: {message}")]
    InvalidResource {
        /// The resource type.
        resource_type: String,
        /// The deserializer's description, which names the field.
        message: String,
    },
}

impl ClinicalError {
    pub(crate) fn from_json(error: &serde_json::Error) -> Self {
        let message = error.to_string();
        if message.starts_with("recursion limit exceeded") {
            return ClinicalError::TooDeep {
                max: crate::fhir::MAX_JSON_DEPTH,
            };
        }
        // serde_json appends " at line L column C"; keep only the description.
        let message = match message.rfind(" at line ") {
            Some(cut) => message[..cut].to_owned(),
            None => message,
        };
        let message = without_quoted_values(&message);
        ClinicalError::InvalidJson {
            line: error.line(),
            column: error.column(),
            message,
        }
    }
}

/// Replaces every double-quoted value in a deserializer message with `"…"`, because
/// serde quotes the offending input (`invalid type: string "…"`), which may be
/// health data. Field and type names it cites are kept when not quoted.
pub(crate) fn without_quoted_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        match (c, inside) {
            ('"', false) => {
                out.push_str("\"…");
                inside = true;
            }
            ('"', true) => {
                out.push('"');
                inside = false;
            }
            (_, true) => {}
            (other, false) => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod quoted_value_tests {
    use super::without_quoted_values;

    #[test]
    fn quoted_values_are_masked() {
        assert_eq!(
            without_quoted_values("invalid type: string \"SECRET-VAL\", expected f64"),
            "invalid type: string \"…\", expected f64"
        );
        assert_eq!(
            without_quoted_values("missing field `status`"),
            "missing field `status`"
        );
    }
}
