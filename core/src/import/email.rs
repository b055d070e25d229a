//! E-mails (`.eml`): each attachment becomes a document; the sender and date become
//! its provenance. The message itself is not stored.

use serde_json::json;

use super::ImportError;
use super::analyze::{Analysis, Part, Parts};

pub(super) fn analyze(bytes: &[u8]) -> Result<Analysis, ImportError> {
    let email = carnet_extract::parse_email(bytes).map_err(|e| ImportError::Malformed {
        format: "e-mail",
        reason: e.to_string(),
    })?;
    if email.attachments.is_empty() {
        return Err(ImportError::Unsupported {
            format: "e-mail",
            reason: "the message has no attachment".into(),
        });
    }
    let date = email.date.map(|d| d.date_naive());
    let from = email.from.as_ref().map(|m| match (&m.name, &m.address) {
        (Some(name), Some(address)) => format!("{name} <{address}>"),
        (None, Some(address)) => address.clone(),
        (Some(name), None) => name.clone(),
        (None, None) => String::new(),
    });
    let provenance = json!({
        "email": { "from": from, "subject": email.subject, "date": email.date.map(|d| d.to_rfc3339()) }
    });
    let items = email
        .attachments
        .into_iter()
        .enumerate()
        .map(|(i, a)| Part {
            name: a
                .filename
                .unwrap_or_else(|| format!("piece-jointe-{}", i + 1)),
            media_type: a.media_type,
            bytes: a.bytes,
        })
        .collect();
    let mut analysis = Analysis::empty(carnet_extract::Kind::Email, "email");
    analysis.parts = Some(Parts {
        items,
        source: "email",
        date,
        provenance,
    });
    Ok(analysis)
}
