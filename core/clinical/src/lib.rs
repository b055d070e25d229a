//! Clinical document formats for Carnet.
//!
//! This crate turns untrusted bytes in the clinical formats (CDA R2, FHIR R4) into
//! plain Rust values. It does no storage and no I/O, so it builds for every target
//! the app runs on and can be tested on its own.

pub mod category;

pub use category::Category;
