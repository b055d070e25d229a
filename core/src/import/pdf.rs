//! PDF documents: text for search, page count, and the scan and password flags.

use carnet_extract::{ExtractError, Kind};
use serde_json::json;

use super::ImportError;
use super::analyze::Analysis;
use crate::documents::TextStatus;

pub(super) fn analyze(bytes: &[u8]) -> Result<Analysis, ImportError> {
    let mut analysis = Analysis::empty(Kind::Pdf, "pdf");
    let info = match carnet_extract::extract_pdf(bytes) {
        Ok(info) => info,
        Err(ExtractError::TimedOut { .. } | ExtractError::Busy { .. }) => {
            analysis.text_status = TextStatus::Unreadable;
            return Ok(analysis);
        }
        Err(e) => {
            return Err(ImportError::Malformed {
                format: "PDF",
                reason: e.to_string(),
            });
        }
    };
    analysis.pages = info.page_count;
    analysis.text_status = if info.encrypted && info.text.trim().is_empty() {
        TextStatus::Encrypted
    } else if info.image_only {
        TextStatus::ImageOnly
    } else {
        TextStatus::Extracted
    };
    if !info.text.trim().is_empty() {
        analysis.text = Some(info.text);
    }
    analysis.title = info.title.filter(|t| !t.trim().is_empty());
    analysis.date = info.created.map(|d| d.date_naive());
    analysis.details = json!({ "encrypted": info.encrypted, "image_only": info.image_only });
    Ok(analysis)
}
