//! CDA and FHIR files imported through the vault: document metadata, rendering,
//! embedded files, the medical profile and the patient check.
//!
//! The clinical fixtures are read from `carnet-clinical`'s test folder, where their
//! SOURCES.md gives origin and licence.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use carnet_core::documents::DocumentFilter;
use carnet_core::import::{FileReport, ImportOptions, ImportSummary, Outcome};
use carnet_core::{Category, KdfParams, NewPerson, Person, Relation, Sex, Vault};
use chrono::NaiveDate;

const PASSPHRASE: &str = "cheval-agrafe-pile-correcte-1987";

fn clinical_fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("clinical/tests/fixtures")
        .join(relative)
}

fn own_fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

fn new_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _kit) = Vault::create(
        &dir.path().join("vault"),
        PASSPHRASE,
        KdfParams::INSECURE_FOR_TESTS,
    )
    .unwrap();
    (dir, vault)
}

fn add_person(vault: &mut Vault, name: &str, birth: (i32, u32, u32)) -> Person {
    vault
        .add_person(NewPerson {
            name: name.into(),
            birth_date: NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap(),
            sex: Sex::Unknown,
            relation: Relation::Titulaire,
            ins: None,
        })
        .unwrap()
}

/// Adds the test patient of the ANS example documents (INS 279035121518989).
fn ans_patient(vault: &mut Vault) -> Person {
    add_person(vault, "Dominique Pat-Trois", (1979, 3, 28))
}

fn import_with(
    vault: &mut Vault,
    person: &Person,
    paths: &[PathBuf],
    force: bool,
) -> ImportSummary {
    let options = ImportOptions {
        person_id: person.id.clone(),
        source: "import".into(),
        force,
    };
    vault
        .import_paths(paths, &options, &AtomicBool::new(false), &mut |_| {})
        .unwrap()
}

fn import(vault: &mut Vault, person: &Person, relative: &str) -> ImportSummary {
    import_with(vault, person, &[clinical_fixture(relative)], false)
}

fn imported_id(report: &FileReport) -> String {
    match &report.outcome {
        Outcome::Imported { document_id, .. } => document_id.clone(),
        other => panic!("{} not imported: {other:?}", report.path),
    }
}

fn rejection(report: &FileReport) -> (String, String) {
    let message = rejection_message(report);
    match &report.outcome {
        Outcome::Rejected { reason, .. } => (message.key, reason.clone()),
        _ => unreachable!("rejection_message checked the outcome"),
    }
}

fn rejection_message(report: &FileReport) -> carnet_core::Message {
    match &report.outcome {
        Outcome::Rejected { message, .. } => message.clone(),
        other => panic!("{} not rejected: {other:?}", report.path),
    }
}

fn document_count(vault: &Vault) -> usize {
    vault
        .documents(&DocumentFilter::default(), 0, 1000)
        .unwrap()
        .0
}

fn profile_size(vault: &Vault, person: &Person) -> usize {
    let p = vault.profile(&person.id).unwrap();
    p.allergies.len()
        + p.treatments.len()
        + p.conditions.len()
        + p.vaccinations.len()
        + p.measurements.len()
        + p.lab_results.len()
        + p.family_history.len()
}

#[test]
fn vaccination_from_two_documents_is_one_entry() {
    let (_dir, mut vault) = new_vault();
    let person = ans_patient(&mut vault);
    let record = import(&mut vault, &person, "cda/fr-ans/VAC_2023.01.xml");
    let note = import(&mut vault, &person, "cda/fr-ans/VAC-NOTE_2023.01.xml");
    let record_id = imported_id(&record.files[0]);
    let note_id = imported_id(&note.files[0]);

    let vaccinations = vault.vaccinations(&person.id).unwrap();
    let lot: Vec<_> = vaccinations
        .iter()
        .filter(|v| v.entry.lot_number.as_deref() == Some("4456672"))
        .collect();
    assert_eq!(lot.len(), 1, "one entry for lot 4456672");
    let mut expected = vec![record_id, note_id];
    expected.sort();
    assert_eq!(lot[0].sources, expected);
    assert_eq!(vaccinations.len(), 4, "the record lists four vaccinations");

    let dates: Vec<_> = vaccinations.iter().map(|v| v.entry.date.clone()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| a.is_none().cmp(&b.is_none()).then(a.cmp(b)));
    assert_eq!(dates, sorted, "vaccinations are listed oldest first");

    let document = vault.document(&lot[0].sources[0]).unwrap();
    assert_eq!(document.category, Category::CarnetVaccinal);
    assert_eq!(document.format, "cda");
}

#[test]
fn deleting_sources_removes_orphan_entries() {
    let (_dir, mut vault) = new_vault();
    let person = ans_patient(&mut vault);
    let record = import(&mut vault, &person, "cda/fr-ans/VAC_2023.01.xml");
    let note = import(&mut vault, &person, "cda/fr-ans/VAC-NOTE_2023.01.xml");
    let record_id = imported_id(&record.files[0]);
    let note_id = imported_id(&note.files[0]);

    vault.delete_document(&note_id).unwrap();
    let vaccinations = vault.vaccinations(&person.id).unwrap();
    assert_eq!(vaccinations.len(), 4);
    let lot = vaccinations
        .iter()
        .find(|v| v.entry.lot_number.as_deref() == Some("4456672"))
        .expect("the record still lists lot 4456672");
    assert_eq!(lot.sources, vec![record_id.clone()]);

    vault.delete_document(&record_id).unwrap();
    assert!(vault.vaccinations(&person.id).unwrap().is_empty());
    assert_eq!(profile_size(&vault, &person), 0);
}

#[test]
fn tsh_report_gives_lab_result() {
    let (_dir, mut vault) = new_vault();
    let person = ans_patient(&mut vault);
    let summary = import(
        &mut vault,
        &person,
        "cda/fr-ans/BIO-CR-BIO_2024.01_TSH_1.xml",
    );
    let document = vault.document(&imported_id(&summary.files[0])).unwrap();
    assert_eq!(document.category, Category::Biologie);
    assert_eq!(
        document.title, "Compte rendu d'examens biologiques",
        "title from the CDA header"
    );
    assert!(document.date.is_some(), "date from the CDA header");
    let authors = document.details["clinical"]["authors"].as_array().unwrap();
    assert!(!authors.is_empty(), "authors kept in the details");
    assert_eq!(authors[0]["rpps"], "01234534765", "RPPS from the idNat_PS");
    assert_eq!(authors[0]["role"]["code"], "G15_10/SM03");
    assert!(document.details["clinical"]["custodian"]["name"].is_string());
    assert!(document.details["clinical"]["unique_id"]["value"].is_string());
    assert_eq!(document.details["format_version"], "CDA R2");
    assert_eq!(
        document.details["patient"]["ins"]["value"],
        "279035121518989"
    );

    let profile = vault.profile(&person.id).unwrap();
    let tsh = profile
        .lab_results
        .iter()
        .find(|r| r.entry.analyte.code.as_deref() == Some("3016-3"))
        .expect("a TSH result (LOINC 3016-3)");
    assert!(tsh.entry.value.is_some(), "TSH has a value");
    assert!(tsh.entry.numeric_value.is_some(), "TSH value is a number");
    assert!(tsh.entry.unit.is_some(), "TSH has a unit");
    assert_eq!(tsh.sources, vec![document.id.clone()]);
}

#[test]
fn level3_html_has_no_script() {
    let (_dir, mut vault) = new_vault();
    let person = ans_patient(&mut vault);
    for fixture in [
        "cda/fr-ans/BIO-CR-BIO_2024.01_TSH_1.xml",
        "cda/fr-ans/VAC_2023.01.xml",
        "cda/intl/hl7-ccda-examples/CCD1_CCD.XML",
    ] {
        let summary = import_with(&mut vault, &person, &[clinical_fixture(fixture)], true);
        let id = imported_id(&summary.files[0]);
        let html = vault.read_role_to_vec(&id, "html").unwrap();
        let html = String::from_utf8(html).unwrap().to_lowercase();
        assert!(!html.is_empty(), "{fixture}: HTML stored");
        assert!(!html.contains("<script"), "{fixture}: no script element");
        assert!(!html.contains("javascript:"), "{fixture}: no script URL");
    }
}

#[test]
fn level1_pdf_is_viewable_and_searchable() {
    let (_dir, mut vault) = new_vault();
    let person = ans_patient(&mut vault);
    let summary = import(
        &mut vault,
        &person,
        "cda/fr-ans/BIO-CR-BIO_2021.01_CDA-R2-Niveau-1.xml",
    );
    let id = imported_id(&summary.files[0]);
    let document = vault.document(&id).unwrap();
    assert_eq!(document.details["viewable"], "attachment/0");
    assert_eq!(document.details["viewable_media_type"], "application/pdf");
    assert!(document.pages.unwrap_or(0) >= 1, "page count of the PDF");

    let pdf = vault.read_role_to_vec(&id, "attachment/0").unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "the embedded PDF is stored");
    assert_eq!(pdf.len(), 326_650);
    // This PDF's pages are pictures of text, with no text layer.
    assert_eq!(document.text_status, carnet_core::TextStatus::ImageOnly);

    // The HL7 example embeds a PDF with a text layer.
    let person = add_person(&mut vault, "Henry Levin", (1953, 3, 2));
    let summary = import(
        &mut vault,
        &person,
        "cda/intl/hl7-ccda-examples/Unstructured_Document_embed.xml",
    );
    let id = imported_id(&summary.files[0]);
    let document = vault.document(&id).unwrap();
    assert_eq!(document.details["viewable"], "attachment/0");
    assert_eq!(document.text_status, carnet_core::TextStatus::Extracted);
    // "hypercholesterolemia" is in the PDF's text, not in the CDA header.
    let hits = vault
        .search("hypercholesterolemia", Some(&person.id), 10)
        .unwrap();
    assert!(
        hits.iter().any(|h| h.document.id == id),
        "text of the embedded PDF is searchable"
    );
}

#[test]
fn synthea_bundle_counts_unmodelled_resources() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Floyd Connelly", (1979, 12, 19));
    let summary = import(
        &mut vault,
        &person,
        "fhir/synthea/Floyd_Connelly_66843218.json",
    );
    assert_eq!(summary.imported, 1, "one bundle, one document");
    assert_eq!(summary.unmodelled.get("Claim"), Some(&7));
    assert_eq!(summary.unmodelled.get("Encounter"), Some(&7));
    let bytes = std::fs::read(clinical_fixture(
        "fhir/synthea/Floyd_Connelly_66843218.json",
    ))
    .unwrap();
    let parsed = carnet_core::clinical::parse(&bytes).unwrap();
    assert_eq!(summary.profile_entries, parsed.all_entries().count());

    let document = vault.document(&imported_id(&summary.files[0])).unwrap();
    assert_eq!(document.format, "fhir");
    assert_eq!(document.details["format_version"], "FHIR R4");
    assert_eq!(document.details["document_count"], 9);
    assert_eq!(document.category, Category::Biologie);

    let profile = vault.profile(&person.id).unwrap();
    assert_eq!(profile.vaccinations.len(), 6);
    assert_eq!(profile.conditions.len(), 4);
    let weights = vault
        .measurements(&person.id, Some(carnet_core::MeasureKind::Weight))
        .unwrap();
    assert!(!weights.is_empty(), "weights measured");
    assert!(weights.iter().all(|w| w.entry.unit == "kg"));
}

#[test]
fn patient_mismatch_rejected_then_forced() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Jeanne Martin", (1990, 1, 1));
    let path = clinical_fixture("cda/fr-ans/VAC-NOTE_2023.01.xml");

    let summary = import_with(&mut vault, &person, std::slice::from_ref(&path), false);
    assert_eq!(summary.rejected, 1);
    let message = rejection_message(&summary.files[0]);
    assert_eq!(message.key, "import.patient_mismatch");
    let names = &message.params["names"];
    assert!(
        names.contains("PAT-TROIS"),
        "names the document's patient: {names}"
    );
    assert_eq!(message.params["birth_date"], "1979-03-28");
    let (_, reason) = rejection(&summary.files[0]);
    assert!(
        !reason.contains("PAT-TROIS"),
        "the logged reason has no name: {reason}"
    );
    let rendered = message.render(carnet_core::Lang::Fr);
    assert!(rendered.contains("PAT-TROIS"), "{rendered}");
    assert!(rendered.contains("1979-03-28"), "{rendered}");
    assert_eq!(document_count(&vault), 0);
    assert_eq!(profile_size(&vault, &person), 0);

    let summary = import_with(&mut vault, &person, &[path], true);
    let id = imported_id(&summary.files[0]);
    let journal = vault.journal_entries(0, 1000).unwrap();
    let row = journal
        .iter()
        .find(|e| e.action == "document.import" && e.subject == id)
        .expect("a journal row for the forced import");
    assert!(
        row.detail.contains("patient_mismatch_forced"),
        "{}",
        row.detail
    );
    assert_eq!(vault.vaccinations(&person.id).unwrap().len(), 1);
}

#[test]
fn matching_patient_is_not_journaled_as_forced() {
    let (_dir, mut vault) = new_vault();
    let person = ans_patient(&mut vault);
    let summary = import(&mut vault, &person, "cda/fr-ans/VAC-NOTE_2023.01.xml");
    let id = imported_id(&summary.files[0]);
    let journal = vault.journal_entries(0, 1000).unwrap();
    let row = journal
        .iter()
        .find(|e| e.action == "document.import" && e.subject == id)
        .unwrap();
    assert!(!row.detail.contains("patient_mismatch"), "{}", row.detail);
}

#[test]
fn stu3_rejected_naming_version() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Quintin Gusikowski", (1950, 1, 1));
    let summary = import(
        &mut vault,
        &person,
        "fhir/other-versions/STU3_Gusikowski_Quintin_76.json",
    );
    assert_eq!(summary.rejected, 1);
    let (key, reason) = rejection(&summary.files[0]);
    assert_eq!(key, "import.unsupported");
    assert!(reason.contains("STU3"), "{reason}");
    assert_eq!(document_count(&vault), 0);
}

/// Hostile or broken inputs that must be rejected: entity declarations, external
/// DTDs and entities, invalid UTF-8, nesting beyond the limits, truncation and
/// broken JSON.
const HOSTILE: [&str; 11] = [
    "bad/json/i_structure_500_nested_arrays.json",
    "bad/xml/cyclic_entity.xml",
    "bad/xml/xmlbomb_billion_laughs_small.xml",
    "bad/xml/xxe_external_file.xml",
    "bad/xml/xxe_external_http.xml",
    "bad/xml/external_dtd_xhtml.xml",
    "bad/xml/invalid_utf8_1.xml",
    "bad/xml/unclosed-element_truncated.xml",
    "bad/json/n_structure_100000_opening_arrays.json",
    "bad/json/n_array_invalid_utf8.json",
    "bad/fhir/bad-json-close-1.json",
];

#[test]
fn hostile_inputs_change_nothing() {
    let (_dir, mut vault) = new_vault();
    let person = ans_patient(&mut vault);
    import(&mut vault, &person, "cda/fr-ans/VAC_2023.01.xml");
    let documents_before = vault
        .documents(&DocumentFilter::default(), 0, 1000)
        .unwrap()
        .1;
    let profile_before = serde_json::to_string(&vault.profile(&person.id).unwrap()).unwrap();

    for fixture in HOSTILE {
        let summary = import(&mut vault, &person, fixture);
        assert_eq!(summary.rejected, 1, "{fixture} rejected");
        assert_eq!(summary.imported, 0, "{fixture} not imported");
    }

    let documents_after = vault
        .documents(&DocumentFilter::default(), 0, 1000)
        .unwrap()
        .1;
    let ids = |docs: &[carnet_core::DocumentSummary]| {
        docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&documents_after), ids(&documents_before));
    let profile_after = serde_json::to_string(&vault.profile(&person.id).unwrap()).unwrap();
    assert_eq!(profile_after, profile_before);
    assert!(vault.verify_journal().unwrap().ok());
}

#[test]
fn email_with_cda_attachment_keeps_provenance() {
    let (_dir, mut vault) = new_vault();
    let person = ans_patient(&mut vault);
    let summary = import_with(
        &mut vault,
        &person,
        &[own_fixture("clinical-email/vaccination-note.eml")],
        false,
    );
    assert_eq!(summary.imported, 1);
    let Outcome::Container { parts } = &summary.files[0].outcome else {
        panic!("the e-mail is a container: {:?}", summary.files[0].outcome);
    };
    let document = vault.document(&imported_id(&parts[0])).unwrap();
    assert_eq!(document.format, "cda");
    assert_eq!(document.source, "email");
    assert_eq!(document.category, Category::CarnetVaccinal);
    assert_eq!(document.title, "NOTE DE VACCINATION");
    let from = document.details["email"]["from"].as_str().unwrap();
    assert!(from.contains("cabinet@example.org"), "{from}");
    assert_eq!(document.date, NaiveDate::from_ymd_opt(2024, 3, 14));
    assert_eq!(vault.vaccinations(&person.id).unwrap().len(), 1);
}

#[test]
fn bare_fhir_observation_lands_in_profile() {
    let (_dir, mut vault) = new_vault();
    let person = add_person(&mut vault, "Amy Shaw", (1987, 2, 20));
    let summary = import(&mut vault, &person, "fhir/us-core/weight.json");
    let document = vault.document(&imported_id(&summary.files[0])).unwrap();
    assert_eq!(document.format, "fhir");
    assert_eq!(document.title, "weight", "title from the file name");

    let weights = vault
        .measurements(&person.id, Some(carnet_core::MeasureKind::Weight))
        .unwrap();
    assert_eq!(weights.len(), 1);
    assert_eq!(weights[0].entry.unit, "kg");
    assert_eq!(weights[0].sources, vec![document.id.clone()]);
    let heights = vault
        .measurements(&person.id, Some(carnet_core::MeasureKind::Height))
        .unwrap();
    assert!(heights.is_empty());
}
