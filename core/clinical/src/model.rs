//! The values a parsed import yields: documents, people, codes and bodies.
//!
//! These types are the contract with the vault. They are plain data, serialisable
//! with serde, and carry no reference to the bytes they came from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::category::Category;
use crate::entries::ProfileEntry;
use crate::media::Attachment;
use crate::time::ClinicalTime;

/// Production INS-NIR (matricule INS) assigning authority.
pub const OID_INS_NIR: &str = "1.2.250.1.213.1.4.8";
/// Temporary INS-NIA assigning authority.
pub const OID_INS_NIA: &str = "1.2.250.1.213.1.4.9";
/// Test INS-NIR assigning authority, used by the ANS example documents.
pub const OID_INS_NIR_TEST: &str = "1.2.250.1.213.1.4.10";
/// Demonstration INS-NIR assigning authority.
pub const OID_INS_NIR_DEMO: &str = "1.2.250.1.213.1.4.11";
/// National health-professional identifier (idNat_PS): `8` + RPPS or `0` + ADELI.
pub const OID_IDNAT_PS: &str = "1.2.250.1.71.4.2.1";
/// National organisation identifier (idNat_Struct).
pub const OID_IDNAT_STRUCT: &str = "1.2.250.1.71.4.2.2";
/// LOINC code system.
pub const OID_LOINC: &str = "2.16.840.1.113883.6.1";

/// Everything one input yielded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClinicalImport {
    /// Documents: CDA documents, FHIR `Composition` documents and `DocumentReference`s.
    pub documents: Vec<Document>,
    /// Patients described outside any document (FHIR `Patient` resources).
    pub patients: Vec<Patient>,
    /// Medical-profile entries found outside any document (FHIR resources).
    pub entries: Vec<ProfileEntry>,
    /// Resources Carnet does not model, kept verbatim.
    pub unmodelled: Vec<RawResource>,
}

impl ClinicalImport {
    /// Counts the unmodelled resources per `resourceType`.
    pub fn unmodelled_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for resource in &self.unmodelled {
            *counts.entry(resource.resource_type.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// Iterates over every entry, inside documents and outside.
    pub fn all_entries(&self) -> impl Iterator<Item = &ProfileEntry> {
        self.documents
            .iter()
            .flat_map(|d| d.entries.iter())
            .chain(self.entries.iter())
    }
}

/// A FHIR resource kept as its original JSON text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawResource {
    /// The resource's `resourceType`.
    pub resource_type: String,
    /// The resource's JSON, byte for byte.
    pub json: String,
}

/// A coded value (`CD`/`CE` in CDA, `Coding` in FHIR).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Code {
    /// Code system: an OID for CDA, a URI for FHIR.
    pub system: Option<String>,
    /// The code.
    pub code: Option<String>,
    /// The display name.
    pub display: Option<String>,
}

impl Code {
    /// Tells whether this code is `code` in a system whose OID or URI contains `system`.
    pub fn is(&self, system_fragment: &str, code: &str) -> bool {
        self.code.as_deref() == Some(code)
            && self
                .system
                .as_deref()
                .is_some_and(|s| s.contains(system_fragment))
    }

    /// Tells whether this is a LOINC code (by OID or by URI).
    pub fn is_loinc(&self) -> bool {
        self.system
            .as_deref()
            .is_some_and(|s| s == OID_LOINC || s.contains("loinc.org") || s.ends_with(OID_LOINC))
    }

    /// Returns the display name, or the code when there is none.
    pub fn label(&self) -> Option<&str> {
        self.display.as_deref().or(self.code.as_deref())
    }
}

/// An identifier: CDA `id` (root + extension) or FHIR `Identifier` (system + value).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    /// OID or URI of the assigning authority; `None` for a CDA `id` with a root only.
    pub system: Option<String>,
    /// The identifier; for a CDA `id` without extension, the root itself.
    pub value: String,
}

impl Identifier {
    /// Returns the system as a bare OID, removing a `urn:oid:` prefix.
    pub fn oid(&self) -> Option<&str> {
        let system = self.system.as_deref()?;
        Some(system.strip_prefix("urn:oid:").unwrap_or(system))
    }
}

/// A person's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    /// Use code: CDA `use` (`L`, `SP`…) or FHIR `use` (`official`, `usual`…).
    pub name_use: Option<String>,
    /// Family names, in order.
    pub family: Vec<String>,
    /// Given names, in order.
    pub given: Vec<String>,
    /// Prefixes such as `Dr`.
    pub prefix: Vec<String>,
}

impl PersonName {
    /// Formats the name as "Given Family".
    pub fn display(&self) -> String {
        let mut parts: Vec<&str> = self.given.iter().map(String::as_str).collect();
        parts.extend(self.family.iter().map(String::as_str));
        parts.join(" ")
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.family.is_empty() && self.given.is_empty()
    }
}

/// Administrative sex as documents record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// `M` / `male`.
    Male,
    /// `F` / `female`.
    Female,
    /// `UN` / `other`.
    Other,
    /// `unknown` or an unrecognised code.
    Unknown,
}

impl Sex {
    pub(crate) fn from_code(code: &str) -> Sex {
        match code.trim().to_ascii_lowercase().as_str() {
            "m" | "male" | "1" => Sex::Male,
            "f" | "female" | "2" => Sex::Female,
            "un" | "other" | "o" => Sex::Other,
            _ => Sex::Unknown,
        }
    }
}

/// Which INS a patient identifier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InsKind {
    /// Production INS-NIR.
    Nir,
    /// Temporary INS-NIA.
    Nia,
    /// Test INS-NIR (ANS test patients).
    Test,
    /// Demonstration INS-NIR.
    Demo,
}

/// An INS (identifiant national de santé) with the OID that qualifies it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ins {
    /// The matricule INS (15 characters, key included).
    pub value: String,
    /// The assigning-authority OID.
    pub oid: String,
    /// Production, temporary, test or demonstration.
    pub kind: InsKind,
}

impl Ins {
    /// Recognises an INS among identifiers by its OID.
    pub fn from_identifier(identifier: &Identifier) -> Option<Ins> {
        let oid = identifier.oid()?;
        let kind = match oid {
            OID_INS_NIR => InsKind::Nir,
            OID_INS_NIA => InsKind::Nia,
            OID_INS_NIR_TEST => InsKind::Test,
            OID_INS_NIR_DEMO => InsKind::Demo,
            _ => return None,
        };
        Some(Ins {
            value: identifier.value.trim().to_owned(),
            oid: oid.to_owned(),
            kind,
        })
    }
}

/// The patient a document or resource is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patient {
    /// The INS, when one of the identifiers is an INS.
    pub ins: Option<Ins>,
    /// Every identifier, INS included.
    pub identifiers: Vec<Identifier>,
    /// Names (birth name, used name…).
    pub names: Vec<PersonName>,
    /// Birth date.
    pub birth_date: Option<ClinicalTime>,
    /// Administrative sex.
    pub sex: Option<Sex>,
}

impl Patient {
    pub(crate) fn finish(mut self) -> Patient {
        // A FHIR NSS shares the INS-NIR system but has type NH; CDA never does this,
        // so the first identifier with an INS OID is the INS.
        self.ins = self.identifiers.iter().find_map(Ins::from_identifier);
        self
    }
}

/// An organisation: custodian, author's employer, performer's practice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// The organisation's name.
    pub name: Option<String>,
    /// Identifiers such as a FINESS-based idNat_Struct.
    pub identifiers: Vec<Identifier>,
}

/// A health professional, device or person acting on a document or entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The person's name, absent for a device or an organisation acting alone.
    pub name: Option<PersonName>,
    /// Identifiers such as idNat_PS (`8` + RPPS).
    pub identifiers: Vec<Identifier>,
    /// Profession or specialty (TRE_G15 / TRE_R38 in France).
    pub role: Option<Code>,
    /// Function in the document, such as "médecin traitant".
    pub function: Option<Code>,
    /// Time of the act.
    pub time: Option<ClinicalTime>,
    /// The organisation the actor represents.
    pub organization: Option<Organization>,
    /// A device's name, when the author is software or a machine.
    pub device: Option<String>,
}

impl Actor {
    /// Returns the 11-digit RPPS number, from an idNat_PS starting with `8` or from
    /// a FHIR RPPS identifier.
    pub fn rpps(&self) -> Option<&str> {
        self.identifiers.iter().find_map(|id| {
            let oid = id.oid().unwrap_or("");
            let value = id.value.as_str();
            if oid == OID_IDNAT_PS && value.len() == 12 && value.starts_with('8') {
                Some(&value[1..])
            } else if oid.contains("rpps") && value.len() == 11 {
                Some(value)
            } else {
                None
            }
        })
    }

    /// Returns the ADELI number from an idNat_PS starting with `0`.
    // NOTE: the `0` + ADELI prefix follows the CI-SIS identifier rules as
    // summarised in secondary sources; no example document carries one.
    pub fn adeli(&self) -> Option<&str> {
        self.identifiers.iter().find_map(|id| {
            let value = id.value.as_str();
            (id.oid() == Some(OID_IDNAT_PS) && value.len() == 10 && value.starts_with('0'))
                .then(|| &value[1..])
        })
    }

    /// Formats a short label: the person's name, else the device, else the organisation.
    pub fn label(&self) -> Option<String> {
        self.name
            .as_ref()
            .filter(|n| !n.is_empty())
            .map(PersonName::display)
            .or_else(|| self.device.clone())
            .or_else(|| self.organization.as_ref().and_then(|o| o.name.clone()))
    }
}

/// One section of a structured (level 3) document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The section title, or a French heading derived from its code.
    pub title: String,
    /// The section code (LOINC).
    pub code: Option<Code>,
    /// Nesting level, 1 for top-level sections.
    pub level: u8,
    /// The narrative rendered to safe HTML (see [`crate::html`]).
    pub html: String,
}

/// What a document carries besides its header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Body {
    /// No body: a header-only document or a `DocumentReference` without content.
    Empty,
    /// A level-1 document: one embedded file.
    Unstructured(Attachment),
    /// Content stored elsewhere, such as a `DocumentReference` pointing to a URL
    /// that the import did not include.
    External {
        /// The attachment URL.
        url: String,
        /// Declared media type.
        declared_media_type: Option<String>,
    },
    /// A level-3 document (or a FHIR `Composition`): sections with narrative.
    Structured(StructuredBody),
}

/// The sections of a structured document, rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructuredBody {
    /// Sections in document order, nested sections flattened with their level.
    pub sections: Vec<Section>,
    /// All sections as one self-contained, safe HTML fragment.
    pub html: String,
    /// Plain text of the whole document, for full-text search.
    pub text: String,
    /// Files embedded as `observationMedia` that are not shown inline, such as PDFs.
    pub attachments: Vec<Attachment>,
}

/// One clinical document with its header and body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Unique id: CDA `id` (root + extension) or FHIR `masterIdentifier`.
    pub unique_id: Option<Identifier>,
    /// Title.
    pub title: Option<String>,
    /// Effective (creation) time.
    pub effective_time: Option<ClinicalTime>,
    /// Document type (LOINC or TRE_A05).
    pub type_code: Option<Code>,
    /// Document class (TRE_A03).
    pub class_code: Option<Code>,
    /// Mon espace santé category derived from the type and class codes.
    pub category: Category,
    /// Confidentiality codes (HL7 `N`/`R`/`V`, TRE_A07 `MASQUE_PS`…).
    pub confidentiality: Vec<Code>,
    /// Language, such as `fr-FR`.
    pub language: Option<String>,
    /// Authors, in document order.
    pub authors: Vec<Actor>,
    /// The organisation keeping the original.
    pub custodian: Option<Organization>,
    /// The professional who signed the document.
    pub legal_authenticator: Option<Actor>,
    /// The patient.
    pub patient: Option<Patient>,
    /// The body.
    pub body: Body,
    /// Medical-profile entries found in the body.
    pub entries: Vec<ProfileEntry>,
}

impl Document {
    pub(crate) fn empty() -> Document {
        Document {
            unique_id: None,
            title: None,
            effective_time: None,
            type_code: None,
            class_code: None,
            category: Category::Autres,
            confidentiality: Vec::new(),
            language: None,
            authors: Vec::new(),
            custodian: None,
            legal_authenticator: None,
            patient: None,
            body: Body::Empty,
            entries: Vec::new(),
        }
    }
}
