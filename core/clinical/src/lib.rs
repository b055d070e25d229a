//! Clinical document formats for Carnet.
//!
//! This crate turns untrusted bytes in the clinical formats (CDA R2, FHIR R4) into
//! plain Rust values. It does no storage and no I/O, so it builds for every target
//! the app runs on and can be tested on its own.
//!
//! ```no_run
//! let bytes = std::fs::read("compte-rendu.xml").unwrap();
//! if carnet_clinical::detect(&bytes).is_some() {
//!     let import = carnet_clinical::parse(&bytes).unwrap();
//!     for document in &import.documents {
//!         println!("{:?} {:?}", document.category, document.title);
//!     }
//! }
//! ```

pub mod category;
pub mod cda;
pub mod detect;
pub mod entries;
pub mod error;
pub mod fhir;
pub mod html;
pub mod matching;
pub mod media;
pub mod model;
pub mod time;
pub mod units;
mod xml;

pub use category::Category;
pub use detect::{ClinicalFormat, FhirVersion, detect};
pub use entries::{
    Allergy, Condition, EntryKind, FamilyHistory, LabResult, Measurement, ProfileEntry, Treatment,
    Vaccination,
};
pub use error::ClinicalError;
pub use matching::{PatientMatch, PersonQuery, match_patient};
pub use media::Attachment;
pub use model::{
    Actor, Body, ClinicalImport, Code, Document, Identifier, Ins, InsKind, Organization, Patient,
    PersonName, RawResource, Section, Sex, StructuredBody,
};
pub use time::ClinicalTime;
pub use units::MeasurementKind;

/// Largest input accepted, in bytes. Real CDA documents with embedded PDFs and
/// Synthea bundles stay well below this.
pub const MAX_INPUT_BYTES: usize = 128 * 1024 * 1024;

/// Parses CDA or FHIR bytes, whichever they are.
///
/// Rejects, with one error naming the problem: empty input, input larger than
/// [`MAX_INPUT_BYTES`], text that is not UTF-8, malformed XML or JSON, DOCTYPEs with
/// entity declarations or external DTDs, nesting deeper than the limits, XML without
/// a `ClinicalDocument`, JSON that is not a FHIR resource, and FHIR versions other
/// than R4/R4B.
pub fn parse(bytes: &[u8]) -> Result<ClinicalImport, ClinicalError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ClinicalError::TooLarge {
            size: bytes.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match start.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Err(ClinicalError::Empty),
        Some(b'{') | Some(b'[') => fhir::parse(bytes),
        Some(b'<') => cda::parse(bytes),
        Some(_) if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) => {
            Err(ClinicalError::UnsupportedEncoding { encoding: "UTF-16" })
        }
        Some(_) => match std::str::from_utf8(start) {
            Err(error) => Err(ClinicalError::InvalidUtf8 {
                offset: error.valid_up_to(),
            }),
            Ok(_) => Err(ClinicalError::UnknownFormat),
        },
    }
}
