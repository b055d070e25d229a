//! Images: a metadata-free thumbnail with the EXIF orientation applied.
//!
//! The original is stored exactly as imported. Its location metadata is never read
//! into the vault's records or shown, because only the capture date is extracted.

use carnet_extract::{ExtractError, Kind};
use serde_json::json;

use super::ImportError;
use super::analyze::{Analysis, format_name};
use crate::documents::TextStatus;

/// Maximum side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;

pub(super) fn analyze(kind: Kind, bytes: &[u8]) -> Result<Analysis, ImportError> {
    let mut analysis = Analysis::empty(kind, format_name(kind));
    analysis.text_status = TextStatus::Image;
    match carnet_extract::thumbnail(bytes, kind, THUMBNAIL_SIDE) {
        Ok(thumb) => {
            analysis.details =
                json!({ "thumbnail_width": thumb.width, "thumbnail_height": thumb.height });
            analysis.thumbnail = Some(thumb.bytes);
        }
        Err(ExtractError::NoDecoder { .. }) => {
            analysis.details = json!({ "preview": "unavailable" });
        }
        Err(e) => {
            return Err(ImportError::Malformed {
                format: "image",
                reason: e.to_string(),
            });
        }
    }
    analysis.date = carnet_extract::exif_summary(bytes)
        .captured_at
        .map(|t| t.date());
    Ok(analysis)
}
