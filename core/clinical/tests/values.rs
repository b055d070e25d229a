//! Concrete values read from the fixtures, checked one by one.

use std::path::Path;

use carnet_clinical::{
    Body, Category, ClinicalFormat, ClinicalImport, Document, EntryKind, FhirVersion, InsKind,
    LabResult, Measurement, MeasurementKind, PatientMatch, PersonQuery, ProfileEntry, Vaccination,
    detect, match_patient, parse,
};

fn read(relative: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import(relative: &str) -> ClinicalImport {
    parse(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn single_document(relative: &str) -> Document {
    let mut import = import(relative);
    assert_eq!(import.documents.len(), 1, "{relative}");
    import.documents.remove(0)
}

fn vaccinations(entries: &[ProfileEntry]) -> Vec<&Vaccination> {
    entries
        .iter()
        .filter_map(|e| match e {
            ProfileEntry::Vaccination(v) => Some(v),
            _ => None,
        })
        .collect()
}

fn lab_results(entries: &[ProfileEntry]) -> Vec<&LabResult> {
    entries
        .iter()
        .filter_map(|e| match e {
            ProfileEntry::LabResult(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn measurements<'a>(entries: impl Iterator<Item = &'a ProfileEntry>) -> Vec<&'a Measurement> {
    entries
        .filter_map(|e| match e {
            ProfileEntry::Measurement(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn count_pdf_pages(pdf: &[u8]) -> usize {
    // `/Type /Page` objects, not the `/Type /Pages` tree nodes.
    let text = String::from_utf8_lossy(pdf);
    let mut pages = 0;
    for (at, _) in text.match_indices("/Type") {
        let rest = text[at + 5..].trim_start();
        if let Some(after) = rest.strip_prefix("/Page")
            && !after.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            pages += 1;
        }
    }
    pages
}

#[test]
fn vaccination_note_fields() {
    let document = single_document("cda/fr-ans/VAC-NOTE_2023.01.xml");
    assert_eq!(document.category, Category::CarnetVaccinal);
    let found = vaccinations(&document.entries);
    assert_eq!(found.len(), 1);
    let vaccination = found[0];
    assert_eq!(vaccination.vaccine.code.as_deref(), Some("68747507"));
    assert_eq!(
        vaccination.vaccine.system.as_deref(),
        Some("1.2.250.1.213.2.3.1")
    );
    assert_eq!(vaccination.lot_number.as_deref(), Some("4456672"));
    assert_eq!(vaccination.dose_number, Some(2));
    assert_eq!(vaccination.date.as_ref().unwrap().as_str(), "2009-09-28");
    let performer = vaccination.performer.as_ref().unwrap();
    assert_eq!(performer.rpps(), Some("01234567897"));
    assert_eq!(
        vaccination.route.as_ref().unwrap().code.as_deref(),
        Some("20035000")
    );
}

#[test]
fn vaccination_seen_twice_dedups() {
    let note = single_document("cda/fr-ans/VAC-NOTE_2023.01.xml");
    let record = single_document("cda/fr-ans/VAC_2023.01.xml");
    let note_key = note.entries[0].dedup_key();
    let matching: Vec<_> = record
        .entries
        .iter()
        .filter(|e| e.dedup_key() == note_key)
        .collect();
    assert_eq!(matching.len(), 1, "key {note_key}");
    let other_lot = record
        .entries
        .iter()
        .filter(|e| e.kind() == EntryKind::Vaccination)
        .filter(|e| e.dedup_key() != note_key)
        .count();
    assert_eq!(other_lot, 3);
}

#[test]
fn cda_author_and_patient_ins() {
    let document = single_document("cda/fr-ans/VAC-NOTE_2023.01.xml");
    let author = &document.authors[0];
    assert_eq!(author.rpps(), Some("01234567897"));
    assert_eq!(
        author.role.as_ref().unwrap().code.as_deref(),
        Some("G15_10/SM26")
    );
    let patient = document.patient.as_ref().unwrap();
    let ins = patient.ins.as_ref().unwrap();
    assert_eq!(ins.value, "279035121518989");
    assert_eq!(ins.oid, "1.2.250.1.213.1.4.10");
    assert_eq!(ins.kind, InsKind::Test);
    assert_eq!(patient.birth_date.as_ref().unwrap().as_str(), "1979-03-28");
    let custodian = document.custodian.as_ref().unwrap();
    assert_eq!(
        custodian.name.as_deref(),
        Some("Cabinet médical du Dr MULLER")
    );
    let signer = document.legal_authenticator.as_ref().unwrap();
    assert_eq!(signer.rpps(), Some("01234567897"));
    assert_eq!(document.confidentiality[0].code.as_deref(), Some("N"));
    let unique_id = document.unique_id.as_ref().unwrap();
    assert_eq!(unique_id.value, "1.2.250.1.213.1.1.1.46.2023.1.1");
}

#[test]
fn tsh_lab_results() {
    let document = single_document("cda/fr-ans/BIO-CR-BIO_2024.01_TSH_1.xml");
    assert_eq!(document.category, Category::Biologie);
    let results = lab_results(&document.entries);
    let tsh = results
        .iter()
        .find(|r| r.analyte.code.as_deref() == Some("3016-3"))
        .unwrap();
    assert_eq!(tsh.value.as_deref(), Some("1.950"));
    assert_eq!(tsh.numeric_value, Some(1.95));
    assert_eq!(tsh.unit.as_deref(), Some("m[IU]/L"));
    assert_eq!(tsh.reference_range.as_deref(), Some("0.27-4.2 m[IU]/L"));
    assert_eq!(
        tsh.interpretation.as_ref().unwrap().code.as_deref(),
        Some("N")
    );
    let ft4 = results
        .iter()
        .find(|r| r.analyte.code.as_deref() == Some("3024-7"))
        .unwrap();
    assert_eq!(ft4.value.as_deref(), Some("7.67"));
    assert_eq!(
        ft4.interpretation.as_ref().unwrap().code.as_deref(),
        Some("L")
    );
}

#[test]
fn tsh_report_keeps_pdf_copy() {
    let document = single_document("cda/fr-ans/BIO-CR-BIO_2024.01_TSH_1.xml");
    let Body::Structured(body) = &document.body else {
        panic!("expected a structured body");
    };
    assert_eq!(body.attachments.len(), 1);
    assert_eq!(body.attachments[0].media_type, "application/pdf");
    assert!(body.text.contains("Thyréostimuline") || body.text.contains("TSH"));
}

#[test]
fn level_one_pdf_pages() {
    let document = single_document("cda/fr-ans/DOC_NON_STRUCTURE_CDA-R2-N1.xml");
    let Body::Unstructured(file) = &document.body else {
        panic!("expected a level-1 body");
    };
    assert_eq!(file.media_type, "application/pdf");
    assert_eq!(file.data.len(), 326_650);
    assert_eq!(count_pdf_pages(&file.data), 2);
}

#[test]
fn sniffed_type_beats_declared() {
    let document = single_document("cda/fr-ans/eP-MED-DM_2024.01_PosoStruct.xml");
    let Body::Structured(body) = &document.body else {
        panic!("expected a structured body");
    };
    let image = &body.attachments[0];
    assert_eq!(image.declared_media_type.as_deref(), Some("image/jpeg"));
    assert_eq!(image.media_type, "image/png");
    assert!(body.html.contains("<img src=\"data:image/png;base64,"));
}

#[test]
fn self_presenting_report_is_found() {
    let bytes = read("cda/fr-ans/BIO-CR-BIO_2021.01_Auto-Presentable.xml");
    assert_eq!(detect(&bytes), Some(ClinicalFormat::Cda));
    let document = single_document("cda/fr-ans/BIO-CR-BIO_2021.01_Auto-Presentable.xml");
    assert_eq!(document.category, Category::Biologie);
    let ins = document.patient.as_ref().unwrap().ins.as_ref().unwrap();
    assert_eq!(ins.value, "279035121518989");
    assert_eq!(lab_results(&document.entries).len(), 11);
}

#[test]
fn vendor_ccd_export_is_detected() {
    for file in [
        "cda/intl/vendor-samples/Kareo_CCD_export_Joey_Miller.ccd",
        "cda/intl/vendor-samples/PracticeFusion_SummaryOfCare_export_Maria_Teller.ccd",
        "cda/fr-ans/eP-MED-DM_2024.01_PosoStruct.xml",
    ] {
        assert_eq!(detect(&read(file)), Some(ClinicalFormat::Cda), "{file}");
    }
}

#[test]
fn mixed_units_are_converted() {
    let document =
        single_document("cda/intl/hl7-ccda-examples/fragment_Vital_Signs_Mixed_Units.xml");
    let found = measurements(document.entries.iter());
    let by_kind = |kind| found.iter().find(|m| m.kind == kind).unwrap();
    let weight = by_kind(MeasurementKind::Weight);
    assert_eq!(weight.value, 108.8168);
    assert_eq!(weight.unit, "kg");
    assert_eq!(weight.original_unit.as_deref(), Some("[lb_av]"));
    let temperature = by_kind(MeasurementKind::BodyTemperature);
    assert_eq!(temperature.value, 37.2222);
    assert_eq!(temperature.unit, "Cel");
    let height = by_kind(MeasurementKind::Height);
    assert_eq!(height.value, 170.18);
    let systolic = by_kind(MeasurementKind::SystolicBloodPressure);
    assert_eq!(systolic.value, 120.0);
    assert_eq!(systolic.unit, "mm[Hg]");
}

#[test]
fn fr_core_patient_ins() {
    let import = import("fhir/fr-core/Patient-Martine-Selfiesante.json");
    let ins = import.patients[0].ins.as_ref().unwrap();
    assert_eq!(ins.value, "179125612113516");
    assert_eq!(ins.oid, "1.2.250.1.213.1.4.8");
    assert_eq!(ins.kind, InsKind::Nir);
}

#[test]
fn pdsm_inline_attachment_is_sniffed() {
    let document = single_document("fhir/fr-ans-pdsm/DocumentReference-PDSmSimplifiedExample.json");
    assert_eq!(document.category, Category::ComptesRendus);
    let Body::Unstructured(file) = &document.body else {
        panic!("expected inline content");
    };
    assert_eq!(file.data, b"Hello World");
    assert_eq!(file.media_type, "text/plain");
    assert_eq!(file.declared_media_type.as_deref(), Some("application/pdf"));
}

#[test]
fn pdsm_binary_reference_stays_external() {
    let document =
        single_document("fhir/fr-ans-pdsm/DocumentReference-exemple-pdsm-documentreference.json");
    assert_eq!(
        document.body,
        Body::External {
            url: "Binary/6789".into(),
            declared_media_type: Some("application/pdf".into()),
        }
    );
    assert_eq!(
        document.class_code.as_ref().unwrap().code.as_deref(),
        Some("10")
    );
}

#[test]
fn blood_pressure_components() {
    let import = import("fhir/us-core/blood-pressure.json");
    let found = measurements(import.entries.iter());
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].kind, MeasurementKind::SystolicBloodPressure);
    assert_eq!(found[0].value, 109.0);
    assert_eq!(found[1].kind, MeasurementKind::DiastolicBloodPressure);
    assert_eq!(found[1].value, 44.0);
}

#[test]
fn serum_glucose_in_mmol() {
    let import = import("fhir/us-core/observation-serum-glucose.json");
    let glucose = measurements(import.entries.iter())[0];
    assert_eq!(glucose.kind, MeasurementKind::Glucose);
    assert_eq!(glucose.unit, "mmol/L");
    assert_eq!(glucose.value, 4.2186);
    let result = lab_results(&import.entries)[0];
    assert_eq!(result.value.as_deref(), Some("76"));
    assert_eq!(result.unit.as_deref(), Some("mg/dL"));
}

#[test]
fn fhir_immunization_lot() {
    let import = import("fhir/us-core/imm-1.json");
    let vaccination = vaccinations(&import.entries)[0];
    assert_eq!(vaccination.vaccine.code.as_deref(), Some("197"));
    assert_eq!(vaccination.lot_number.as_deref(), Some("AAJN11K"));
    assert_eq!(vaccination.date.as_ref().unwrap().date(), "2020-11-19");
}

#[test]
fn contained_medication_resolved() {
    let import = import("fhir/us-core/medicationrequest-contained-oral-axid.json");
    let ProfileEntry::Treatment(treatment) = &import.entries[0] else {
        panic!("expected a treatment");
    };
    assert_eq!(treatment.medication.code.as_deref(), Some("582620"));
    assert_eq!(treatment.start.as_ref().unwrap().as_str(), "2008-04-05");
}

#[test]
fn ips_bundle_groups_entries() {
    let import = import("fhir/ips/IPS-bundle-minimal.json");
    assert_eq!(import.documents.len(), 1);
    let document = &import.documents[0];
    assert_eq!(document.category, Category::Synthese);
    assert!(import.entries.is_empty());
    let condition = document
        .entries
        .iter()
        .find_map(|e| match e {
            ProfileEntry::Condition(c) => Some(c),
            _ => None,
        })
        .unwrap();
    assert_eq!(condition.code.code.as_deref(), Some("198436008"));
    assert_eq!(
        document.authors[0].label().as_deref(),
        Some("Beetje van Hulp")
    );
}

#[test]
fn synthea_bundle_counts() {
    let import = import("fhir/synthea/Fletcher_Hyatt_fe0562b5.json");
    assert_eq!(import.patients.len(), 1);
    let counts = import.unmodelled_counts();
    assert_eq!(counts.get("Claim"), Some(&249));
    assert_eq!(counts.get("ExplanationOfBenefit"), Some(&127));
    let treatments = import
        .all_entries()
        .filter(|e| e.kind() == EntryKind::Treatment)
        .count();
    assert_eq!(treatments, 122);
}

#[test]
fn stu3_rejected_with_version() {
    let bytes = read("fhir/other-versions/STU3_Gusikowski_Quintin_76.json");
    assert_eq!(
        detect(&bytes),
        Some(ClinicalFormat::Fhir(FhirVersion::Stu3))
    );
    let error = parse(&bytes).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unsupported FHIR version STU3: Carnet imports FHIR R4 (4.0.x)"
    );
}

#[test]
fn base64_with_line_breaks_decodes() {
    let import = import("bad/fhir/r4-base64-linebreaks.json");
    assert_eq!(import.unmodelled_counts().get("Parameters"), Some(&1));
    let value: serde_json::Value = serde_json::from_str(&import.unmodelled[0].json).unwrap();
    let data = value["parameter"][0]["valueAttachment"]["data"]
        .as_str()
        .unwrap();
    let decoded = carnet_clinical::media::decode_base64(data).unwrap();
    assert_eq!(decoded.len(), 116);
    assert!(decoded.starts_with(b"This is the content of a test attachment."));
}

#[test]
fn patient_match_on_document() {
    let document = single_document("cda/fr-ans/VAC-NOTE_2023.01.xml");
    let same = PersonQuery {
        ins: Some("279035121518989".into()),
        ..PersonQuery::default()
    };
    assert_eq!(
        match_patient(&same, document.patient.as_ref()),
        PatientMatch::Matches
    );
    let child = PersonQuery {
        family_names: vec!["PAT-TROIS".into()],
        given_names: vec!["Léa".into()],
        birth_date: Some("2015-06-01".into()),
        ..PersonQuery::default()
    };
    let PatientMatch::DoesNotMatch { birth_date, .. } =
        match_patient(&child, document.patient.as_ref())
    else {
        panic!("expected a mismatch");
    };
    assert_eq!(birth_date.unwrap().as_str(), "1979-03-28");
}

#[test]
fn transaction_bundle_resolves_binary() {
    let bundle = br#"{
      "resourceType": "Bundle", "type": "transaction",
      "entry": [
        {"fullUrl": "urn:uuid:doc", "request": {"method": "POST", "url": "DocumentReference"},
         "resource": {"resourceType": "DocumentReference", "status": "current",
           "type": {"coding": [{"system": "http://loinc.org", "code": "11502-2"}]},
           "subject": {"reference": "urn:uuid:pat"},
           "author": [{"reference": "urn:uuid:pr"}],
           "content": [{"attachment": {"contentType": "application/pdf", "url": "urn:uuid:bin"}}]}},
        {"fullUrl": "urn:uuid:bin", "resource": {"resourceType": "Binary",
           "contentType": "application/pdf", "data": "JVBERi0xLjQKJSVFT0YK"}},
        {"fullUrl": "urn:uuid:pr", "resource": {"resourceType": "Practitioner",
           "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810002345678"}],
           "name": [{"family": "Martin", "given": ["Claire"]}]}},
        {"fullUrl": "urn:uuid:pat", "resource": {"resourceType": "Patient",
           "identifier": [{"system": "urn:oid:1.2.250.1.213.1.4.8", "value": "279035121518989"}],
           "birthDate": "1979-03-28"}},
        {"fullUrl": "urn:uuid:orphan", "resource": {"resourceType": "Binary",
           "contentType": "text/plain", "data": "SGk="}}
      ]}"#;
    let import = parse(bundle).unwrap();
    let document = &import.documents[0];
    assert_eq!(document.category, Category::Biologie);
    let Body::Unstructured(file) = &document.body else {
        panic!("expected the Binary's bytes");
    };
    assert_eq!(file.media_type, "application/pdf");
    assert_eq!(document.authors[0].rpps(), Some("10002345678"));
    let ins = document.patient.as_ref().unwrap().ins.as_ref().unwrap();
    assert_eq!(ins.kind, InsKind::Nir);
    let unmodelled = import.unmodelled_counts();
    assert_eq!(unmodelled.get("Binary"), Some(&1));
    assert_eq!(unmodelled.get("Practitioner"), Some(&1));
    assert_eq!(import.patients.len(), 1);
}
