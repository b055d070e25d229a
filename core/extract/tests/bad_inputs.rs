//! Every hostile or malformed fixture goes through `sniff` and every extractor
//! without a panic, and the text decoder reports the expected problems.

mod common;

use carnet_extract::{
    ExtractError, Kind, decode_text, extract_pdf, parse_email, sniff, suggest_category, thumbnail,
};
use common::{fixture, fixture_files};

#[test]
fn every_bad_file_passes_every_extractor() {
    let files = fixture_files("bad");
    assert_eq!(files.len(), 20);
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let kind = sniff(&bytes);
        let text = decode_text(&bytes);
        if let Ok(text) = &text {
            let _ = suggest_category("", text);
        }
        let _ = extract_pdf(&bytes);
        let _ = parse_email(&bytes);
        for image_kind in [
            Kind::Jpeg,
            Kind::Png,
            Kind::Tiff,
            Kind::Gif,
            Kind::WebP,
            kind,
        ] {
            let _ = thumbnail(&bytes, image_kind, 64);
        }
        // Whatever sniff decides, a text kind must decode as text.
        if matches!(kind, Kind::Json { .. } | Kind::ICalendar | Kind::Text) {
            assert!(
                text.is_ok(),
                "{}: sniffed {kind:?} but {text:?}",
                path.display()
            );
        }
    }
}

#[test]
fn bad_files_sniff_as_expected() {
    let cases = [
        ("bad/fhir/bad-json-close-1.json", Kind::Json { fhir: true }),
        (
            "bad/fhir/r4-base64-linebreaks.json",
            Kind::Json { fhir: true },
        ),
        ("bad/ics/boeing_outlook_invalid_dates.ics", Kind::ICalendar),
        ("bad/ics/broken_ical.ics", Kind::ICalendar),
        ("bad/ics/small_bad_calendar.ics", Kind::ICalendar),
        ("bad/ics/fuzz_testcase_vtimezone_lone_cr.ics", Kind::Text),
        (
            "bad/json/i_structure_500_nested_arrays.json",
            Kind::Json { fhir: false },
        ),
        (
            "bad/json/n_structure_100000_opening_arrays.json",
            Kind::Json { fhir: false },
        ),
        (
            "bad/json/i_structure_UTF-8_BOM_empty_object.json",
            Kind::Json { fhir: false },
        ),
        ("bad/json/n_structure_no_data.json", Kind::Text),
        ("bad/xml/cyclic_entity.xml", Kind::Xml { cda: false }),
        (
            "bad/xml/xmlbomb_billion_laughs_small.xml",
            Kind::Xml { cda: false },
        ),
        ("bad/xml/xxe_external_http.xml", Kind::Xml { cda: false }),
        ("bad/xml/truncated-utf16.xml", Kind::Xml { cda: false }),
        (
            "bad/xml/unclosed-element_truncated.xml",
            Kind::Xml { cda: false },
        ),
        ("bad/xml/trailing-null-1.xml", Kind::Binary),
        ("bad/json/n_array_invalid_utf8.json", Kind::Binary),
    ];
    for (name, expected) in cases {
        assert_eq!(sniff(&fixture(name)), expected, "{name}");
    }
}

#[test]
fn invalid_utf8_json_reports_offset() {
    let error = decode_text(&fixture("bad/json/n_array_invalid_utf8.json")).unwrap_err();
    assert!(
        matches!(error, ExtractError::InvalidUtf8 { offset: 1 }),
        "{error}"
    );
    assert_eq!(error.to_string(), "invalid UTF-8 sequence at byte offset 1");
}

#[test]
fn truncated_utf16_reports_offset() {
    let error = decode_text(&fixture("bad/xml/truncated-utf16.xml")).unwrap_err();
    assert!(
        matches!(error, ExtractError::InvalidUtf16 { offset: 10 }),
        "{error}"
    );
}

#[test]
fn trailing_nul_is_not_text() {
    let error = decode_text(&fixture("bad/xml/trailing-null-1.xml")).unwrap_err();
    assert!(
        matches!(error, ExtractError::NotText { offset: 4, byte: 0 }),
        "{error}"
    );
}

#[test]
fn bom_json_decodes_without_bom() {
    let text = decode_text(&fixture("bad/json/i_structure_UTF-8_BOM_empty_object.json")).unwrap();
    assert_eq!(text, "{}");
}

#[test]
fn bad_inputs_are_not_pdfs() {
    for path in fixture_files("bad") {
        let result = extract_pdf(&std::fs::read(&path).unwrap());
        assert!(
            matches!(result, Err(ExtractError::InvalidPdf(_))),
            "{}: {result:?}",
            path.display()
        );
    }
}
