//! Hostile and malformed inputs: each is rejected with one error naming the problem.

use std::path::Path;

use carnet_clinical::{ClinicalError, parse};

fn parse_fixture(relative: &str) -> Result<carnet_clinical::ClinicalImport, ClinicalError> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    parse(&std::fs::read(&path).unwrap())
}

#[test]
fn hostile_files_rejected() {
    let cases = [
        (
            "bad/xml/cyclic_entity.xml",
            "rejected DOCTYPE: it declares entities, which Carnet never expands",
        ),
        (
            "bad/xml/xmlbomb_billion_laughs_small.xml",
            "rejected DOCTYPE: it declares entities, which Carnet never expands",
        ),
        (
            "bad/xml/xxe_external_file.xml",
            "rejected DOCTYPE: it declares entities, which Carnet never expands",
        ),
        (
            "bad/xml/xxe_external_http.xml",
            "rejected DOCTYPE: it declares entities, which Carnet never expands",
        ),
        (
            "bad/xml/external_dtd_xhtml.xml",
            "rejected DOCTYPE: it refers to an external DTD, which Carnet never fetches",
        ),
        (
            "bad/xml/invalid_utf8_1.xml",
            "invalid XML at byte 83: syntax error: tag not closed: `>` not found before end of input",
        ),
        (
            "bad/xml/trailing-null-1.xml",
            "invalid XML at byte 4: NUL character, which XML forbids",
        ),
        (
            "bad/xml/truncated-utf16.xml",
            "unsupported text encoding UTF-16: convert the file to UTF-8",
        ),
        (
            "bad/xml/unclosed-element_truncated.xml",
            "truncated XML: the element <d> is never closed",
        ),
        (
            "bad/json/i_structure_500_nested_arrays.json",
            "nesting too deep: more than 128 levels",
        ),
        (
            "bad/json/n_structure_100000_opening_arrays.json",
            "nesting too deep: more than 128 levels",
        ),
        (
            "bad/json/i_structure_UTF-8_BOM_empty_object.json",
            "not FHIR: the JSON object has no resourceType",
        ),
        (
            "bad/json/n_array_invalid_utf8.json",
            "invalid UTF-8 at byte 1",
        ),
        ("bad/json/n_structure_no_data.json", "the input is empty"),
        (
            "bad/fhir/bad-json-close-1.json",
            "invalid JSON at line 15, column 11: expected `,` or `}`",
        ),
    ];
    for (file, expected) in cases {
        let error = match parse_fixture(file) {
            Ok(_) => panic!("{file}: accepted"),
            Err(error) => error.to_string(),
        };
        assert_eq!(error, expected, "{file}");
        assert!(!error.contains('\n'), "{file}: multi-line error");
    }
}

#[test]
fn xml_without_cda_rejected() {
    let error = parse(b"<?xml version=\"1.0\"?><html><body/></html>").unwrap_err();
    assert_eq!(
        error,
        ClinicalError::NotCda {
            root: "html".into()
        }
    );
}

#[test]
fn deep_xml_rejected() {
    let mut deep = String::from("<ClinicalDocument xmlns=\"urn:hl7-org:v3\">");
    deep.push_str(&"<component>".repeat(10_000));
    let error = parse(deep.as_bytes()).unwrap_err();
    assert_eq!(error, ClinicalError::TooDeep { max: 256 });
}

#[test]
fn deep_json_in_unknown_field_rejected() {
    let mut deep = String::from("{\"resourceType\":\"Patient\",\"x\":");
    deep.push_str(&"[".repeat(200));
    deep.push_str(&"]".repeat(200));
    deep.push('}');
    let error = parse(deep.as_bytes()).unwrap_err();
    assert_eq!(error, ClinicalError::TooDeep { max: 128 });
}

#[test]
fn undeclared_entity_rejected() {
    let error = parse(b"<ClinicalDocument>&xxe;</ClinicalDocument>").unwrap_err();
    assert_eq!(
        error,
        ClinicalError::UndeclaredEntity { name: "xxe".into() }
    );
}

#[test]
fn truncated_fixture_never_panics() {
    // Every prefix length of a real document must give Ok or a clean error.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cda/fr-ans/VAC-NOTE_2023.01.xml");
    let bytes = std::fs::read(path).unwrap();
    for length in (0..bytes.len()).step_by(997) {
        let _ = parse(&bytes[..length]);
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fhir/ips/IPS-bundle-minimal.json");
    let bytes = std::fs::read(path).unwrap();
    for length in (0..bytes.len()).step_by(211) {
        let _ = parse(&bytes[..length]);
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    // A fixed linear congruential generator keeps the mutations reproducible.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let interesting = [
        b'<', b'>', b'/', b'"', b'&', b'{', b'}', b'[', b']', b':', 0xC3, b'#',
    ];
    for relative in [
        "cda/fr-ans/VAC-NOTE_2023.01.xml",
        "cda/intl/hl7-ccda-examples/fragment_Vital_Signs_Mixed_Units.xml",
        "fhir/ips/IPS-bundle-minimal.json",
        "fhir/us-core/medicationrequest-contained-oral-axid.json",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(relative);
        let original = std::fs::read(path).unwrap();
        for _ in 0..300 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 4 {
                let at = next() % bytes.len();
                bytes[at] = interesting[next() % interesting.len()];
            }
            let _ = parse(&bytes);
        }
    }
}
