//! PDF text and metadata extraction with `lopdf` 0.42 and `pdf-extract` 0.12.
//!
//! Both libraries panic on malformed files and have no time bound. So the whole
//! extraction runs through [`worker::run_isolated`], a worker thread with a timeout
//! and `catch_unwind`. Before `pdf-extract` runs, [`guard`] bounds stream inflation
//! and rejects the recursion that would overflow the stack. Each page is extracted on its own, so a
//! page that makes `pdf-extract` panic loses only its own text.
//!
//! The first extraction installs a process-wide panic hook that silences panics on
//! the worker threads only, because their messages can quote document text. A panic
//! hook the application installs later should ignore threads named [`WORKER_NAME`].

mod guard;
mod meta;
mod output;
mod repair;
mod worker;

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use lopdf::Document;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::ExtractError;
use output::{Stop, TextCollector};
pub use worker::WORKER_NAME;

/// The facts the vault stores about a PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PdfInfo {
    /// Number of pages, or `None` when the file is encrypted with a password other
    /// than the empty one and its page tree cannot be read.
    pub page_count: Option<u32>,
    /// Text of the extracted pages for search, pages separated by a form feed
    /// (`"\n\u{0C}"`).
    pub text: String,
    /// Whether `text` stops early because of [`PdfLimits::max_pages`] or
    /// [`PdfLimits::max_text_bytes`].
    pub text_truncated: bool,
    /// Number of pages whose text could not be extracted (the parser failed or
    /// panicked on them). Their text is missing from `text`.
    pub failed_pages: u32,
    /// Whether the document has pages and images but no text layer, as a scan has.
    /// Such a document needs OCR to become searchable.
    pub image_only: bool,
    /// Whether the document is encrypted (it has an `/Encrypt` dictionary).
    pub encrypted: bool,
    /// Whether the document is encrypted with a user password other than the empty
    /// one, so nothing beyond `encrypted` could be read. The vault stores the file as
    /// it is and marks it.
    pub locked: bool,
    /// The information dictionary's `/Title`, when present and not blank.
    pub title: Option<String>,
    /// The information dictionary's `/CreationDate`, when present and valid.
    pub created: Option<DateTime<FixedOffset>>,
}

/// Bounds on the work and memory one extraction may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfLimits {
    /// Largest file accepted, in bytes.
    pub max_input_bytes: usize,
    /// Pages beyond this number are counted but their text is not extracted.
    pub max_pages: u32,
    /// Text beyond this many UTF-8 bytes is dropped.
    pub max_text_bytes: usize,
    /// Total size, in bytes, to which the non-image compressed streams may inflate.
    pub max_inflated_bytes: u64,
    /// Time after which the caller stops waiting and gets [`ExtractError::TimedOut`].
    pub timeout: Duration,
}

impl Default for PdfLimits {
    /// Limits sized for a citizen's documents: lab reports and letters have a few
    /// pages, scanned records a few hundred.
    fn default() -> Self {
        PdfLimits {
            max_input_bytes: 256 * 1024 * 1024,
            max_pages: 2_000,
            max_text_bytes: 8 * 1024 * 1024,
            max_inflated_bytes: 512 * 1024 * 1024,
            timeout: Duration::from_secs(60),
        }
    }
}

/// Extracts page count, text, flags and metadata from a PDF with the default
/// [`PdfLimits`].
pub fn extract_pdf(bytes: &[u8]) -> Result<PdfInfo, ExtractError> {
    extract_pdf_with_limits(bytes, &PdfLimits::default())
}

/// Extracts page count, text, flags and metadata from a PDF.
///
/// An encrypted PDF is not an error: it comes back with `encrypted` set, and with its
/// text when the empty user password opens it, else with `locked` set. A PDF that
/// `lopdf` cannot load gives [`ExtractError::InvalidPdf`] naming the problem.
///
/// The input is copied once to the worker thread. On [`ExtractError::TimedOut`] the
/// worker may still be running; see the module documentation.
pub fn extract_pdf_with_limits(bytes: &[u8], limits: &PdfLimits) -> Result<PdfInfo, ExtractError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(ExtractError::TooLarge {
            input: "PDF",
            size: bytes.len() as u64,
            limit: limits.max_input_bytes as u64,
        });
    }
    let bytes = bytes.to_vec();
    let limits = limits.clone();
    let timeout = limits.timeout;
    worker::run_isolated("PDF", timeout, move |cancel| {
        extract(&bytes, &limits, cancel)
    })
}

/// Applies Unicode compatibility normalization (NFKC), so that ligature glyphs such
/// as "ﬁ" become the letters a search matches, and cuts the result to `max_bytes` on
/// a character boundary because NFKC can lengthen text. Returns whether it cut.
fn normalize(text: &str, max_bytes: usize) -> (String, bool) {
    let mut normalized = String::with_capacity(text.len());
    for c in text.nfkc() {
        if normalized.len() + c.len_utf8() > max_bytes {
            return (normalized, true);
        }
        normalized.push(c);
    }
    (normalized, false)
}

/// Loads the document. When `lopdf` rejects the cross-reference table, or accepts it
/// but finds no page through it, the table is rebuilt by scanning the file and the
/// document loaded again. The error of the first attempt is the one reported. A
/// locked document has no readable pages, so it is returned as loaded.
fn load(bytes: &[u8]) -> Result<Document, ExtractError> {
    let first_error = match Document::load_mem(bytes) {
        Ok(document)
            if document.page_iter().next().is_some() || document.trailer.has(b"Encrypt") =>
        {
            return Ok(document);
        }
        Ok(document) => {
            let repaired = repair::rebuild_xref(bytes)
                .and_then(|repaired| Document::load_mem(&repaired).ok())
                .filter(|repaired| repaired.page_iter().next().is_some());
            return Ok(repaired.unwrap_or(document));
        }
        Err(error) => error,
    };
    let not_repaired = || {
        ExtractError::InvalidPdf(format!(
            "{first_error}; rebuilding the cross-reference table did not help"
        ))
    };
    let repaired = repair::rebuild_xref(bytes).ok_or_else(not_repaired)?;
    Document::load_mem(&repaired).map_err(|_| not_repaired())
}

fn extract(bytes: &[u8], limits: &PdfLimits, cancel: &AtomicBool) -> Result<PdfInfo, ExtractError> {
    guard::check_raw_inflation(bytes, limits.max_inflated_bytes)?;
    let mut document = load(bytes)?;
    repair::recover_stream_data(&mut document, bytes);

    // `lopdf` decrypts a file that opens with the empty user password while loading
    // and then drops `/Encrypt` from the trailer, remembering the state instead.
    let locked = document.trailer.get(b"Encrypt").is_ok();
    let encrypted = locked || document.was_encrypted();
    if locked {
        return Ok(PdfInfo {
            page_count: None,
            text: String::new(),
            text_truncated: false,
            failed_pages: 0,
            image_only: false,
            encrypted,
            locked,
            title: None,
            created: None,
        });
    }

    let has_images = guard::strip_images(&mut document);
    let pages: Vec<_> = document.page_iter().collect();
    let page_count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    let (title, created) = match meta::info_dictionary(&document) {
        Some(info) => (
            meta::title(&document, info),
            meta::creation_date(&document, info),
        ),
        None => (None, None),
    };

    let mut collector = TextCollector::new(limits.max_text_bytes, cancel);
    let mut failed_pages = 0;
    let mut form_invocations = 0;
    for (index, &page) in pages.iter().take(limits.max_pages as usize).enumerate() {
        // Pages without text never reach the collector's own check.
        if cancel.load(Ordering::Relaxed) {
            return Err(ExtractError::TimedOut {
                task: "PDF",
                seconds: limits.timeout.as_secs(),
            });
        }
        let resources = guard::page_resources(&document, page)?;
        guard::check_forms(&document, page, resources, &mut form_invocations)?;

        collector.start_page(index == 0);
        if collector.stopped.is_some() {
            break;
        }
        // Page numbers in `pdf-extract` are 1-based positions in page tree order.
        let page_number = index as u32 + 1;
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&document, &mut collector, page_number)
        }));
        match (outcome, collector.stopped) {
            (_, Some(Stop::Cancelled)) => {
                return Err(ExtractError::TimedOut {
                    task: "PDF",
                    seconds: limits.timeout.as_secs(),
                });
            }
            (_, Some(Stop::TextLimit)) => break,
            (Ok(Ok(())), None) => {}
            (Ok(Err(_)) | Err(_), None) => failed_pages += 1,
        }
    }

    let (text, cut_by_normalization) = normalize(&collector.text, limits.max_text_bytes);
    let text_truncated = cut_by_normalization
        || collector.stopped == Some(Stop::TextLimit)
        || pages.len() > limits.max_pages as usize;
    let image_only = page_count > 0 && has_images && text.trim().is_empty() && failed_pages == 0;
    Ok(PdfInfo {
        page_count: Some(page_count),
        text,
        text_truncated,
        failed_pages,
        image_only,
        encrypted,
        locked,
        title,
        created,
    })
}
