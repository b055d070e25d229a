//! Content identification and extraction for files a Carnet user imports.
//!
//! Every function here takes untrusted bytes (a PDF a lab e-mailed, a phone photo of a
//! prescription, an `.eml` export) and returns what the vault stores beside the
//! original: the detected [`Kind`], searchable text, a metadata-free thumbnail, page
//! counts and flags. The crate does no I/O and keeps no state beyond one process-wide
//! panic hook (see [`pdf`]), so it builds for desktop, Android and iOS alike.
//!
//! Robustness rules that hold for every entry point:
//! - No function panics on malformed input. Third-party parsers that are known to
//!   panic (`pdf-extract`, `lopdf`) run under `catch_unwind` in a worker thread with a
//!   timeout.
//! - Memory is bounded by the input size and fixed caps, never by sizes the file
//!   declares: image dimensions go through `image::Limits`, decoded text is capped,
//!   PDF streams are inflated only up to a budget.
//! - Errors name the value and the problem, never the content of the file.
//!
//! Logging: `pdf-extract` 0.12 logs text fragments at `warn` level through the `log`
//! crate. An application that forwards `log` records must filter out the
//! `pdf_extract` and `lopdf` targets, or health content reaches the log.

pub mod category;
pub mod email;
mod error;
pub mod image;
pub mod pdf;
pub mod sniff;
pub mod text;

pub use category::suggest_category;
pub use email::{Attachment, Email, Mailbox, parse_email};
pub use image::{ExifSummary, Thumbnail, exif_summary, thumbnail};

pub use error::ExtractError;

pub use pdf::{PdfInfo, PdfLimits, extract_pdf, extract_pdf_with_limits};
pub use sniff::{Kind, SNIFF_LEN, sniff};
pub use text::decode_text;
