//! `sniff` on real files of every kind the vault imports, whatever their extension.

mod common;

use carnet_extract::{Kind, SNIFF_LEN, sniff};
use common::{fixture, fixture_files};

#[test]
fn pdfs_and_photos() {
    for path in fixture_files("pdf") {
        assert_eq!(
            sniff(&std::fs::read(&path).unwrap()),
            Kind::Pdf,
            "{}",
            path.display()
        );
    }
    for path in fixture_files("images") {
        assert_eq!(
            sniff(&std::fs::read(&path).unwrap()),
            Kind::Jpeg,
            "{}",
            path.display()
        );
    }
}

#[test]
fn self_presenting_cda_is_found_in_head() {
    let bytes = fixture("sniff/BIO-CR-BIO_2021.01_Auto-Presentable.xml");
    assert_eq!(sniff(&bytes[..SNIFF_LEN]), Kind::Xml { cda: true });
}

#[test]
fn ccd_extension_is_ignored() {
    assert_eq!(
        sniff(&fixture("sniff/Kareo_CCD_export_Joey_Miller.ccd")),
        Kind::Xml { cda: true }
    );
}

#[test]
fn fhir_patient() {
    assert_eq!(
        sniff(&fixture("sniff/Patient-fr-patient-123.json")),
        Kind::Json { fhir: true }
    );
}

#[test]
fn calendar_with_bom() {
    assert_eq!(sniff(&fixture("sniff/bom_calendar.ics")), Kind::ICalendar);
}

#[test]
fn email_fixture() {
    assert_eq!(sniff(&fixture("email/lab-results.eml")), Kind::Email);
}
