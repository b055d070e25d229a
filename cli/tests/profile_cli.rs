//! `carnet profile show`, `vaccinations`, `measurements` and `import --force`, run
//! as a script would run them, on CDA and FHIR fixtures of `carnet-clinical`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASSPHRASE: &str = "cheval-agrafe-pile-correcte-1987";

fn clinical_fixture(relative: &str) -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/clinical/tests/fixtures")
        .join(relative);
    path.to_string_lossy().into_owned()
}

struct Vault {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Vault {
    /// Creates a vault with one person through the CLI.
    fn with_person(name: &str, birth_date: &str) -> Vault {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault {
            path: dir.path().join("vault"),
            _dir: dir,
        };
        vault.ok(&["init"]);
        vault.ok(&["person", "add", "--name", name, "--birth-date", birth_date]);
        vault
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_carnet"))
            .args(args)
            .env("CARNET_VAULT", &self.path)
            .env("CARNET_PASSPHRASE", PASSPHRASE)
            .env("CARNET_INSECURE_TEST_KDF", "1")
            .env("CARNET_LANG", "en")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "carnet {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }
}

#[test]
fn measurements_csv_has_header_and_rows() {
    let vault = Vault::with_person("Floyd Connelly", "1979-12-19");
    vault.ok(&[
        "import",
        &clinical_fixture("fhir/synthea/Floyd_Connelly_66843218.json"),
    ]);
    let csv = vault.ok(&["measurements", "--code", "weight", "--csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("date,kind,value,unit,original_value,original_unit,code,sources")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty(), "at least one weight row");
    for row in &rows {
        assert_eq!(row.split(',').count(), 8, "eight columns: {row}");
        assert!(row.contains(",WEIGHT,"), "only weights: {row}");
        assert!(row.contains(",kg,"), "in kilograms: {row}");
    }
}

#[test]
fn measurements_rejects_unknown_code() {
    let vault = Vault::with_person("Floyd Connelly", "1979-12-19");
    let output = vault.run(&["measurements", "--code", "mass"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mass"), "{stderr}");
    assert!(
        stderr.contains("blood_pressure"),
        "lists the codes: {stderr}"
    );
}

#[test]
fn vaccinations_list_merged_sources() {
    let vault = Vault::with_person("Dominique Pat-Trois", "1979-03-28");
    vault.ok(&[
        "import",
        &clinical_fixture("cda/fr-ans/VAC_2023.01.xml"),
        &clinical_fixture("cda/fr-ans/VAC-NOTE_2023.01.xml"),
    ]);
    let text = vault.ok(&["vaccinations"]);
    let lot: Vec<&str> = text.lines().filter(|l| l.contains("4456672")).collect();
    assert_eq!(lot.len(), 1, "one line for lot 4456672: {text}");
    assert!(lot[0].contains("2 source document(s)"), "{}", lot[0]);
    assert_eq!(text.lines().count(), 4, "{text}");

    let json = vault.ok(&["vaccinations", "--json"]);
    assert!(json.contains("\"lot_number\""), "{json}");
    assert!(json.contains("\"sources\""), "{json}");
}

#[test]
fn profile_show_lists_sections() {
    let vault = Vault::with_person("Dominique Pat-Trois", "1979-03-28");
    let empty = vault.ok(&["profile", "show"]);
    assert!(empty.contains("empty"), "{empty}");

    vault.ok(&[
        "import",
        &clinical_fixture("cda/fr-ans/BIO-CR-BIO_2024.01_TSH_1.xml"),
        &clinical_fixture("cda/fr-ans/VAC-NOTE_2023.01.xml"),
    ]);
    let text = vault.ok(&["profile", "show"]);
    assert!(text.contains("Laboratory results"), "{text}");
    assert!(text.contains("Vaccinations (1)"), "{text}");
    let json = vault.ok(&["profile", "show", "--json"]);
    assert!(json.contains("\"lab_results\""), "{json}");
}

#[test]
fn import_force_files_mismatched_patient() {
    let vault = Vault::with_person("Jeanne Martin", "1990-01-01");
    let note = clinical_fixture("cda/fr-ans/VAC-NOTE_2023.01.xml");
    let output = vault.run(&["import", &note]);
    assert!(!output.status.success(), "nothing was imported");
    let rejected = String::from_utf8(output.stdout).unwrap();
    assert!(
        rejected.contains("PAT-TROIS"),
        "says whose it seems to be: {rejected}"
    );
    assert!(rejected.contains("0 imported"), "{rejected}");

    let forced = vault.ok(&["import", "--force", &note]);
    assert!(forced.contains("1 imported"), "{forced}");
    let log = vault.ok(&["log"]);
    assert!(log.contains("patient_mismatch_forced"), "{log}");
}

#[test]
fn import_summary_counts_unmodelled() {
    let vault = Vault::with_person("Floyd Connelly", "1979-12-19");
    let text = vault.ok(&[
        "import",
        &clinical_fixture("fhir/synthea/Floyd_Connelly_66843218.json"),
    ]);
    assert!(text.contains("Claim ×7"), "{text}");
    assert!(text.contains("Medical profile: 108 facts"), "{text}");
}
