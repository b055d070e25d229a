//! PDF extraction against real sample files and hand-built hostile documents.

mod common;

use std::time::Duration;

use carnet_extract::{ExtractError, PdfLimits, extract_pdf, extract_pdf_with_limits};
use common::fixture;
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

#[test]
fn libreoffice_text_and_date() {
    let info = extract_pdf(&fixture("pdf/libreoffice-writer-trivial.pdf")).unwrap();
    assert_eq!(info.page_count, Some(1));
    assert!(
        info.text.contains("Lorem ipsum dolor sit amet"),
        "{}",
        info.text
    );
    assert!(info.text.contains("takimata sanctus est"));
    assert!(!info.image_only);
    assert!(!info.encrypted);
    assert_eq!(info.failed_pages, 0);
    let created = info.created.expect("LibreOffice writes a CreationDate");
    assert_eq!(created.to_utc().to_rfc3339(), "2022-04-03T17:31:02+00:00");
}

#[test]
fn pdftex_object_streams() {
    let info = extract_pdf(&fixture("pdf/minimal-document_pdftex.pdf")).unwrap();
    assert_eq!(info.page_count, Some(1));
    assert!(
        info.text.contains("consetetur sadipscing elitr"),
        "{}",
        info.text
    );
}

#[test]
fn google_docs_title_and_spacing() {
    let info = extract_pdf(&fixture("pdf/google-doc-document.pdf")).unwrap();
    assert_eq!(info.title.as_deref(), Some("PDF Example Document"));
    assert!(
        info.text.contains("Beautiful is better than ugly."),
        "{}",
        info.text
    );
    assert!(info.text.contains("Readability counts."));
}

#[test]
fn multicolumn_pages_are_separated() {
    let info = extract_pdf(&fixture("pdf/multicolumn.pdf")).unwrap();
    assert_eq!(info.page_count, Some(3));
    assert!(info.text.contains("Two-Column Document with Lorem Ipsum"));
    // The "ﬁ" ligature glyph comes out as two letters.
    assert!(info.text.contains("two columns filled"), "{}", info.text);
    assert_eq!(info.text.matches('\u{0C}').count(), 2);
    assert!(!info.text_truncated);
}

#[test]
fn image_only_scan_is_flagged() {
    let info = extract_pdf(&fixture("pdf/grayscale-image_IMAGE-ONLY.pdf")).unwrap();
    assert_eq!(info.page_count, Some(1));
    assert!(info.image_only);
    assert!(info.text.trim().is_empty());
}

#[test]
fn password_protected_is_marked_not_rejected() {
    let info = extract_pdf(&fixture("pdf/libreoffice-writer-password_ENCRYPTED.pdf")).unwrap();
    assert!(info.encrypted);
    assert!(info.locked);
    assert_eq!(info.page_count, None);
    assert!(info.text.is_empty());
}

#[test]
fn empty_user_password_is_opened() {
    let mut document = Document::load_mem(&fixture("pdf/libreoffice-writer-trivial.pdf")).unwrap();
    let version = lopdf::encryption::EncryptionVersion::V2 {
        document: &document,
        owner_password: "owner secret",
        user_password: "",
        key_length: 128,
        permissions: lopdf::encryption::Permissions::all(),
    };
    let state = lopdf::encryption::EncryptionState::try_from(version).unwrap();
    document.encrypt(&state).unwrap();
    let mut encrypted = Vec::new();
    document.save_to(&mut encrypted).unwrap();

    let info = extract_pdf(&encrypted).unwrap();
    assert!(info.encrypted);
    assert!(!info.locked);
    assert_eq!(info.page_count, Some(1));
    assert!(
        info.text.contains("Lorem ipsum dolor sit amet"),
        "{}",
        info.text
    );
}

/// Points `startxref` at a wrong offset, so `lopdf` rejects the file and the
/// cross-reference table must be rebuilt.
fn break_startxref(pdf: &[u8]) -> Vec<u8> {
    let keyword = pdf
        .windows(9)
        .rposition(|window| window == b"startxref")
        .unwrap();
    let mut broken = pdf[..keyword].to_vec();
    broken.extend_from_slice(b"startxref\n17\n%%EOF\n");
    broken
}

#[test]
fn locked_pdf_with_broken_xref_stays_locked() {
    let pdf = break_startxref(&fixture("pdf/libreoffice-writer-password_ENCRYPTED.pdf"));
    assert!(Document::load_mem(&pdf).is_err());
    let info = extract_pdf(&pdf).unwrap();
    assert!(info.encrypted);
    assert!(info.locked);
}

#[test]
fn empty_password_pdf_with_broken_xref_is_read() {
    let mut document = Document::load_mem(&fixture("pdf/libreoffice-writer-trivial.pdf")).unwrap();
    let version = lopdf::encryption::EncryptionVersion::V2 {
        document: &document,
        owner_password: "owner secret",
        user_password: "",
        key_length: 128,
        permissions: lopdf::encryption::Permissions::all(),
    };
    let state = lopdf::encryption::EncryptionState::try_from(version).unwrap();
    document.encrypt(&state).unwrap();
    let mut encrypted = Vec::new();
    document.save_to(&mut encrypted).unwrap();

    let info = extract_pdf(&break_startxref(&encrypted)).unwrap();
    assert!(info.encrypted);
    assert!(!info.locked);
    assert!(
        info.text.contains("Lorem ipsum dolor sit amet"),
        "{}",
        info.text
    );
}

#[test]
fn broken_xref_is_recovered() {
    let info = extract_pdf(&fixture("pdf/issue-297_broken-xref_MALFORMED.pdf")).unwrap();
    assert_eq!(info.page_count, Some(1));
    assert!(info.text.contains("test example"), "{:?}", info.text);
}

#[test]
fn page_limit_truncates() {
    let limits = PdfLimits {
        max_pages: 1,
        ..PdfLimits::default()
    };
    let info = extract_pdf_with_limits(&fixture("pdf/multicolumn.pdf"), &limits).unwrap();
    assert_eq!(info.page_count, Some(3));
    assert!(info.text_truncated);
    assert!(!info.text.contains('\u{0C}'));
}

#[test]
fn text_limit_truncates() {
    let limits = PdfLimits {
        max_text_bytes: 100,
        ..PdfLimits::default()
    };
    let info = extract_pdf_with_limits(&fixture("pdf/multicolumn.pdf"), &limits).unwrap();
    assert!(info.text_truncated);
    assert!(info.text.len() <= 100);
    assert!(info.text.starts_with("Two-Column"));
}

#[test]
fn input_size_limit() {
    let limits = PdfLimits {
        max_input_bytes: 1000,
        ..PdfLimits::default()
    };
    let result = extract_pdf_with_limits(&fixture("pdf/multicolumn.pdf"), &limits);
    assert!(
        matches!(result, Err(ExtractError::TooLarge { limit: 1000, .. })),
        "{result:?}"
    );
}

#[test]
fn zero_timeout_times_out() {
    let limits = PdfLimits {
        timeout: Duration::ZERO,
        ..PdfLimits::default()
    };
    let result = extract_pdf_with_limits(&fixture("pdf/multicolumn.pdf"), &limits);
    assert!(
        matches!(result, Err(ExtractError::TimedOut { task: "PDF", .. })),
        "{result:?}"
    );
}

#[test]
fn not_a_pdf_is_invalid() {
    let result = extract_pdf(b"%PDF-1.7\nthis is not really a PDF\n");
    assert!(
        matches!(result, Err(ExtractError::InvalidPdf(_))),
        "{result:?}"
    );
    assert!(matches!(extract_pdf(b""), Err(ExtractError::InvalidPdf(_))));
}

#[test]
fn truncated_pdfs_do_not_panic() {
    for name in [
        "pdf/libreoffice-writer-trivial.pdf",
        "pdf/google-doc-document.pdf",
        "pdf/minimal-document_pdftex.pdf",
        "pdf/multicolumn.pdf",
    ] {
        let bytes = fixture(name);
        for cut in [bytes.len() / 4, bytes.len() / 2, bytes.len() - 100] {
            let result = extract_pdf(&bytes[..cut]);
            assert!(
                !matches!(
                    result,
                    Err(ExtractError::TimedOut { .. } | ExtractError::Busy { .. })
                ),
                "{name} cut at {cut}: {result:?}"
            );
        }
    }
}

/// Builds a one-page PDF whose page draws form XObject `/X0`, and lets `configure`
/// change the form and the page before saving.
fn pdf_with_form(
    configure: impl FnOnce(&mut Document, lopdf::ObjectId, lopdf::ObjectId),
) -> Vec<u8> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let form_id = document.new_object_id();
    let content = Content {
        operations: vec![Operation::new("Do", vec![Object::Name(b"X0".to_vec())])],
    };
    let content_id = document.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = document.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "X0" => form_id } },
    });
    document.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog_id);
    configure(&mut document, form_id, page_id);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn self_drawing_form_is_rejected() {
    let pdf = pdf_with_form(|document, form_id, _| {
        // The form inherits the page resources, in which /X0 is the form itself.
        let content = Content {
            operations: vec![Operation::new("Do", vec![Object::Name(b"X0".to_vec())])],
        };
        let form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()] },
            content.encode().unwrap(),
        );
        document.objects.insert(form_id, Object::Stream(form));
    });
    let error = extract_pdf(&pdf).unwrap_err();
    assert!(error.to_string().contains("nested deeper than"), "{error}");
}

#[test]
fn fan_out_forms_are_rejected() {
    let pdf = pdf_with_form(|document, form_id, _| {
        // Twelve levels of forms, each drawing the next one ten times.
        let mut next: Option<lopdf::ObjectId> = None;
        let mut ids = Vec::new();
        for _ in 0..12 {
            let mut operations = Vec::new();
            let mut resources = dictionary! {};
            if let Some(child) = next {
                operations = vec![Operation::new("Do", vec![Object::Name(b"C".to_vec())]); 10];
                resources.set("XObject", dictionary! { "C" => child });
            }
            let form = Stream::new(
                dictionary! { "Subtype" => "Form", "Resources" => resources },
                Content { operations }.encode().unwrap(),
            );
            let id = document.add_object(form);
            ids.push(id);
            next = Some(id);
        }
        let top = document.get_object(next.unwrap()).unwrap().clone();
        document.objects.insert(form_id, top);
    });
    let error = extract_pdf(&pdf).unwrap_err();
    assert!(error.to_string().contains("invoked more than"), "{error}");
}

#[test]
fn parent_cycle_is_rejected() {
    let pdf = pdf_with_form(|document, form_id, page_id| {
        let form = Stream::new(dictionary! { "Subtype" => "Form" }, Vec::new());
        document.objects.insert(form_id, Object::Stream(form));
        // The page has no resources of its own and its parent is itself.
        let page = document
            .get_object_mut(page_id)
            .unwrap()
            .as_dict_mut()
            .unwrap();
        page.remove(b"Resources");
        page.set("Parent", page_id);
    });
    let error = extract_pdf(&pdf).unwrap_err();
    assert!(error.to_string().contains("Parent cycle"), "{error}");
}

#[test]
fn inflation_bomb_is_rejected() {
    let pdf = pdf_with_form(|document, form_id, _| {
        let mut form = Stream::new(
            dictionary! { "Subtype" => "Form" },
            vec![b' '; 64 * 1024 * 1024],
        );
        form.compress().unwrap();
        document.objects.insert(form_id, Object::Stream(form));
    });
    assert!(
        pdf.len() < 1024 * 1024,
        "the bomb must compress well: {}",
        pdf.len()
    );
    let limits = PdfLimits {
        max_inflated_bytes: 16 * 1024 * 1024,
        ..PdfLimits::default()
    };
    let error = extract_pdf_with_limits(&pdf, &limits).unwrap_err();
    assert!(
        error.to_string().contains("inflate to more than"),
        "{error}"
    );
}
