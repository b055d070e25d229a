//! The one entry point that dispatches a file to its format's analyser.

use carnet_extract::Kind;
use chrono::NaiveDate;
use serde_json::json;

use super::ImportError;
use crate::Category;
use crate::documents::TextStatus;

use super::{clinical, email, image, pdf, text};

/// Findings of the analysis of one file.
#[derive(Debug)]
pub struct Analysis {
    /// Short format name stored with the document: `pdf`, `jpeg`, `text`…
    pub format: &'static str,
    pub media_type: String,
    /// Text for the search index.
    pub text: Option<String>,
    pub text_status: TextStatus,
    pub pages: Option<u32>,
    /// A small PNG or JPEG with no metadata.
    pub thumbnail: Option<Vec<u8>>,
    /// A safe HTML rendering (structured clinical documents).
    pub html: Option<String>,
    /// Files embedded in the document, kept beside it.
    pub attachments: Vec<Part>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub category: Category,
    /// Format-specific metadata kept with the document.
    pub details: serde_json::Value,
    /// Set for containers (e-mails): the parts to import as documents instead.
    pub parts: Option<Parts>,
    /// Medical-profile entries found in a clinical document (CDA, FHIR).
    pub entries: Vec<carnet_clinical::ProfileEntry>,
    /// The patient a clinical document is about, checked against the receiving person.
    pub patient: Option<carnet_clinical::Patient>,
    /// FHIR resources Carnet does not model, counted per `resourceType`.
    pub unmodelled: std::collections::BTreeMap<String, usize>,
}

/// One embedded file.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// The parts of a container and the provenance they inherit.
#[derive(Debug)]
pub struct Parts {
    pub items: Vec<Part>,
    pub source: &'static str,
    pub date: Option<NaiveDate>,
    pub provenance: serde_json::Value,
}

impl Analysis {
    /// Creates an analysis of `kind` with nothing found yet.
    pub fn empty(kind: Kind, format: &'static str) -> Analysis {
        Analysis {
            format,
            media_type: kind.media_type().to_string(),
            text: None,
            text_status: TextStatus::None,
            pages: None,
            thumbnail: None,
            html: None,
            attachments: Vec::new(),
            title: None,
            date: None,
            category: Category::Autres,
            details: json!({}),
            parts: None,
            entries: Vec::new(),
            patient: None,
            unmodelled: std::collections::BTreeMap::new(),
        }
    }

    /// Creates the analysis of a file above the analysis limit: stored as is, unread.
    pub fn too_large(kind: Kind) -> Analysis {
        let mut analysis = Analysis::empty(kind, format_name(kind));
        analysis.text_status = TextStatus::TooLarge;
        analysis
    }

    /// Sets the category from the text when no format-specific code gave one.
    pub(super) fn suggest_category(&mut self) {
        if self.category != Category::Autres {
            return;
        }
        let title = self.title.as_deref().unwrap_or("");
        let text = self.text.as_deref().unwrap_or("");
        if let Some(code) = carnet_extract::suggest_category(title, text) {
            self.category = Category::parse(code).unwrap_or(Category::Autres);
        }
    }
}

/// Short format name for a kind.
pub fn format_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Pdf => "pdf",
        Kind::Jpeg => "jpeg",
        Kind::Png => "png",
        Kind::Tiff => "tiff",
        Kind::Heif => "heif",
        Kind::Gif => "gif",
        Kind::WebP => "webp",
        Kind::Xml { cda: true } => "cda",
        Kind::Xml { cda: false } => "xml",
        Kind::Json { fhir: true } => "fhir",
        Kind::Json { fhir: false } => "json",
        Kind::ICalendar => "ics",
        Kind::Email => "email",
        Kind::Text => "text",
        Kind::Binary => "binary",
    }
}

/// Analyses a whole file already in memory.
pub fn analyze(kind: Kind, bytes: &[u8], name: &str) -> Result<Analysis, ImportError> {
    let mut analysis = match kind {
        Kind::Pdf => pdf::analyze(bytes)?,
        k if k.is_image() => image::analyze(k, bytes)?,
        Kind::Email => email::analyze(bytes)?,
        Kind::Xml { cda: true } | Kind::Json { fhir: true } => clinical::analyze(kind, bytes)?,
        // The sniffer reads only the first bytes, so a CDA or FHIR file with a long
        // preamble can come through as plain XML or JSON.
        Kind::Xml { .. } | Kind::Json { .. } if carnet_clinical::detect(bytes).is_some() => {
            clinical::analyze(kind, bytes)?
        }
        Kind::Xml { .. } | Kind::Json { .. } | Kind::ICalendar | Kind::Text => {
            text::analyze(kind, bytes)?
        }
        Kind::Binary => {
            text::reject_damaged_markup(bytes)?;
            Analysis::empty(kind, format_name(kind))
        }
        _ => Analysis::empty(kind, format_name(kind)),
    };
    if analysis.title.is_none() && name.is_empty() {
        analysis.title = Some("Document".into());
    }
    analysis.suggest_category();
    Ok(analysis)
}
