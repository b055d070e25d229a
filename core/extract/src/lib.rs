//! Content identification and extraction for files a Carnet user imports.
//!
//! Every function here takes untrusted bytes (a PDF a lab e-mailed, a phone photo of a
//! prescription, an `.eml` export) and returns what the vault stores beside the
//! original: the detected [`Kind`], searchable text, a metadata-free thumbnail, page
//! counts and flags. The crate does no I/O. Its only process-wide state is a panic
//! hook and a count of PDF worker threads (see [`pdf`]). All dependencies are pure
//! Rust apart from `libc` bindings, so nothing here stands in the way of Android and
//! iOS builds. NOTE: only x86_64 Linux builds have been run.
//!
//! Robustness rules for every entry point:
//! - Malformed input gives an error, not a panic. Every call into a third-party
//!   parser runs under `catch_unwind`, and PDF extraction also runs in a worker
//!   thread with a timeout.
//! - Memory is bounded by the input size and fixed caps, not by sizes the file
//!   declares. Images may declare at most 8192 pixels per input byte (above a
//!   4-megapixel floor, up to 100 megapixels), decoded text is capped, and PDF streams
//!   are inflated only up to a budget.
//! - Errors name the input and the problem, never the content of the file.
//!
//! Logging: `pdf-extract` 0.12 and `lopdf` 0.42 log details of malformed files (font
//! and glyph names, bytes of function streams) through the `log` crate at `warn` and
//! `error` levels. An application that forwards `log` records should filter out the
//! `pdf_extract` and `lopdf` targets.

pub mod category;
pub mod email;
mod error;
pub mod imaging;
pub mod pdf;
pub mod sniff;
pub mod text;

pub use category::suggest_category;
pub use email::{Attachment, Email, Mailbox, parse_email};
pub use error::ExtractError;
pub use imaging::{ExifSummary, Thumbnail, exif_summary, thumbnail};
pub use pdf::{PdfInfo, PdfLimits, extract_pdf, extract_pdf_with_limits};
pub use sniff::{Kind, SNIFF_LEN, sniff};
pub use text::decode_text;
