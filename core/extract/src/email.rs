//! E-mail (`.eml`) parsing with `mail-parser`: the attachments become documents and
//! the sender and date become their provenance.

use std::panic::{self, AssertUnwindSafe};

use chrono::{DateTime, FixedOffset, NaiveDate};
use mail_parser::{MessageParser, MimeHeaders};
use serde::{Deserialize, Serialize};

use crate::ExtractError;

/// Largest message accepted, in bytes. Decoded attachments are never larger than
/// their encoded form, so this also bounds the memory a message takes.
pub const MAX_EMAIL_BYTES: usize = 64 * 1024 * 1024;

/// Attachments beyond this number are dropped and counted in
/// [`Email::dropped_attachments`].
pub const MAX_ATTACHMENTS: usize = 256;

/// Body text beyond this many characters is cut.
const MAX_BODY_CHARS: usize = 1024 * 1024;

/// Maximum length of a kept attachment file name, in characters.
const MAX_FILENAME_CHARS: usize = 255;

/// A parsed e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    /// The first `From` mailbox.
    pub from: Option<Mailbox>,
    /// The `Date` header.
    pub date: Option<DateTime<FixedOffset>>,
    /// The `Subject` header, decoded.
    pub subject: Option<String>,
    /// The first text body; an HTML-only message gives its HTML converted to text.
    pub body_text: String,
    pub attachments: Vec<Attachment>,
    /// Number of attachments beyond [`MAX_ATTACHMENTS`] that were left out.
    pub dropped_attachments: usize,
}

/// A `From` mailbox: display name and address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: Option<String>,
}

/// One attachment, decoded from its transfer encoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The file name the sender gave, reduced to its last path component with
    /// control characters removed. Untrusted: sniff `bytes` for the real kind.
    pub filename: Option<String>,
    /// The declared media type, such as `application/pdf`; `application/octet-stream`
    /// when none is declared. Untrusted as well.
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// Parses an RFC 5322 message with its MIME parts.
///
/// Returns [`ExtractError::TooLarge`] above [`MAX_EMAIL_BYTES`] and
/// [`ExtractError::InvalidEmail`] when the bytes hold no message headers.
pub fn parse_email(bytes: &[u8]) -> Result<Email, ExtractError> {
    if bytes.len() > MAX_EMAIL_BYTES {
        return Err(ExtractError::TooLarge {
            input: "e-mail",
            size: bytes.len() as u64,
            limit: MAX_EMAIL_BYTES as u64,
        });
    }
    // `mail-parser` is fuzzed and not known to panic; the guard costs nothing and
    // keeps a parser bug from taking the import down.
    panic::catch_unwind(AssertUnwindSafe(|| parse(bytes)))
        .unwrap_or(Err(ExtractError::ParserPanicked { parser: "e-mail" }))
}

fn parse(bytes: &[u8]) -> Result<Email, ExtractError> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or(ExtractError::InvalidEmail("no message headers found"))?;
    // `mail-parser` accepts any text and reads its first line as a header field, so
    // a message must have at least one field that messages carry.
    let has_message_field = message.from().is_some()
        || message.to().is_some()
        || message.date().is_some()
        || message.subject().is_some()
        || message.message_id().is_some()
        || message.content_type().is_some();
    if !has_message_field {
        return Err(ExtractError::InvalidEmail("no message headers found"));
    }

    let from = message
        .from()
        .and_then(|address| address.first())
        .map(|mailbox| Mailbox {
            name: mailbox.name().map(str::to_owned),
            address: mailbox.address().map(str::to_owned),
        });
    let date = message.date().and_then(to_chrono);
    let subject = message.subject().map(str::to_owned);
    let body_text = message
        .body_text(0)
        .map(|text| text.chars().take(MAX_BODY_CHARS).collect())
        .unwrap_or_default();

    let mut attachments = Vec::new();
    let mut dropped_attachments = 0;
    for part in message.attachments() {
        if attachments.len() == MAX_ATTACHMENTS {
            dropped_attachments += 1;
            continue;
        }
        let media_type = match part.content_type() {
            Some(content_type) => match content_type.subtype() {
                Some(subtype) => format!("{}/{}", content_type.ctype(), subtype),
                None => content_type.ctype().to_owned(),
            }
            .to_ascii_lowercase(),
            None if part.is_message() => "message/rfc822".to_owned(),
            None => "application/octet-stream".to_owned(),
        };
        attachments.push(Attachment {
            filename: part.attachment_name().and_then(clean_filename),
            media_type,
            bytes: part.contents().to_vec(),
        });
    }

    Ok(Email {
        from,
        date,
        subject,
        body_text,
        attachments,
        dropped_attachments,
    })
}

fn to_chrono(date: &mail_parser::DateTime) -> Option<DateTime<FixedOffset>> {
    let offset_seconds = (i32::from(date.tz_hour) * 3600 + i32::from(date.tz_minute) * 60)
        * if date.tz_before_gmt { -1 } else { 1 };
    let offset = FixedOffset::east_opt(offset_seconds)?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?
    .and_hms_opt(
        u32::from(date.hour),
        u32::from(date.minute),
        u32::from(date.second),
    )?
    .and_local_timezone(offset)
    .single()
}

/// Keeps the last path component of a sender-supplied file name, without control
/// characters, so that a name such as `../../x` cannot point outside a folder when
/// a user saves the attachment.
fn clean_filename(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILENAME_CHARS)
        .collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty() && cleaned != "." && cleaned != "..").then(|| cleaned.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filename_keeps_last_component() {
        assert_eq!(
            clean_filename("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(
            clean_filename("C:\\Users\\x\\ordonnance.pdf").as_deref(),
            Some("ordonnance.pdf")
        );
        assert_eq!(clean_filename("a\u{0}b\nc.pdf").as_deref(), Some("abc.pdf"));
        assert_eq!(clean_filename(".."), None);
        assert_eq!(clean_filename("  "), None);
    }

    #[test]
    fn simple_message() {
        let eml = b"From: =?utf-8?q?Dr_Andr=C3=A9?= <andre@example.org>\r\nDate: Mon, 2 Nov 2026 08:00:00 -0500\r\nSubject: Ordonnance\r\n\r\nVoici l'ordonnance.\r\n";
        let email = parse_email(eml).unwrap();
        let from = email.from.unwrap();
        assert_eq!(from.name.as_deref(), Some("Dr André"));
        assert_eq!(from.address.as_deref(), Some("andre@example.org"));
        assert_eq!(
            email.date.unwrap().to_rfc3339(),
            "2026-11-02T08:00:00-05:00"
        );
        assert_eq!(email.subject.as_deref(), Some("Ordonnance"));
        assert!(email.body_text.contains("Voici l'ordonnance."));
        assert!(email.attachments.is_empty());
    }

    #[test]
    fn too_many_attachments_are_counted() {
        let mut eml = String::from(
            "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n",
        );
        for index in 0..MAX_ATTACHMENTS + 3 {
            eml.push_str(&format!(
                "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"{index}.txt\"\r\n\r\nx\r\n"
            ));
        }
        eml.push_str("--b--\r\n");
        let email = parse_email(eml.as_bytes()).unwrap();
        assert_eq!(email.attachments.len(), MAX_ATTACHMENTS);
        assert_eq!(email.dropped_attachments, 3);
    }

    #[test]
    fn deeply_nested_multipart_does_not_overflow() {
        let depth = 5_000;
        let mut eml = String::from("From: a@example.org\r\n");
        for level in 0..depth {
            eml.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n--b{level}\r\n"
            ));
        }
        eml.push_str("Content-Type: text/plain\r\n\r\nfond\r\n");
        let email = parse_email(eml.as_bytes());
        assert!(email.is_ok(), "{email:?}");
    }

    #[test]
    fn plain_text_is_not_a_message() {
        let result = parse_email(b"Rendez-vous mardi chez le dentiste");
        assert!(
            matches!(result, Err(ExtractError::InvalidEmail(_))),
            "{result:?}"
        );
        assert!(matches!(
            parse_email(b""),
            Err(ExtractError::InvalidEmail(_))
        ));
    }

    #[test]
    fn oversized_message_is_rejected() {
        let big = vec![b'a'; MAX_EMAIL_BYTES + 1];
        assert!(matches!(
            parse_email(&big),
            Err(ExtractError::TooLarge { .. })
        ));
    }
}
