//! E-mail parsing on a multipart message with a PDF and a photo attached.

mod common;

use carnet_extract::{Kind, parse_email, sniff};
use common::fixture;

#[test]
fn lab_results_message() {
    let bytes = fixture("email/lab-results.eml");
    assert_eq!(sniff(&bytes), Kind::Email);

    let email = parse_email(&bytes).unwrap();
    let from = email.from.as_ref().unwrap();
    assert_eq!(from.name.as_deref(), Some("Laboratoire Exemple"));
    assert_eq!(from.address.as_deref(), Some("resultats@labo.example"));
    assert_eq!(email.subject.as_deref(), Some("Vos résultats de biologie"));
    assert_eq!(
        email.date.unwrap().to_rfc3339(),
        "2026-11-03T09:15:00+01:00"
    );
    assert!(
        email
            .body_text
            .contains("le compte rendu de vos analyses et la photo de l'ordonnance")
    );
    assert_eq!(email.dropped_attachments, 0);
}

#[test]
fn attachments_are_byte_identical() {
    let email = parse_email(&fixture("email/lab-results.eml")).unwrap();
    assert_eq!(email.attachments.len(), 2);

    let pdf = &email.attachments[0];
    assert_eq!(pdf.filename.as_deref(), Some("compte-rendu.pdf"));
    assert_eq!(pdf.media_type, "application/pdf");
    assert_eq!(pdf.bytes, fixture("pdf/libreoffice-writer-trivial.pdf"));
    assert_eq!(sniff(&pdf.bytes), Kind::Pdf);

    let photo = &email.attachments[1];
    assert_eq!(photo.filename.as_deref(), Some("ordonnance é.jpg"));
    assert_eq!(photo.media_type, "image/jpeg");
    assert_eq!(photo.bytes, fixture("images/ianare_portrait_6_orient6.jpg"));
    assert_eq!(sniff(&photo.bytes), Kind::Jpeg);
}

#[test]
fn truncated_message_does_not_panic() {
    let bytes = fixture("email/lab-results.eml");
    for cut in [0, 10, 300, bytes.len() / 2, bytes.len() - 5] {
        let _ = parse_email(&bytes[..cut]);
    }
}
