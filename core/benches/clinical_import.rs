//! Imports the French CDA fixtures through `Vault::import_paths` and prints the
//! documents per second, beside `carnet_clinical::parse` alone on the same files,
//! to show what the vault adds (sealing, SQLCipher writes, profile records).
//!
//! It also imports the largest Synthea bundle, whose profile entries each become
//! a sealed record. Run with `cargo bench -p carnet-core --bench clinical_import`.
//! Each round uses a new vault, so no file is a duplicate; the median of 5 rounds
//! is printed.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use carnet_core::import::ImportOptions;
use carnet_core::{KdfParams, NewPerson, Relation, Sex, Vault};
use chrono::NaiveDate;

const ROUNDS: usize = 5;

const SYNTHEA: &str = "clinical/tests/fixtures/fhir/synthea/Fletcher_Hyatt_fe0562b5.json";

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("clinical/tests/fixtures/cda/fr-ans");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the CDA fixture folder exists")
        .map(|entry| entry.expect("readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Imports `files` into a new vault and returns the time `import_paths` took and
/// the number of profile entries read.
fn import_round(files: &[PathBuf]) -> (Duration, usize) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (mut vault, _kit) = Vault::create(
        &dir.path().join("vault"),
        "cheval-agrafe-pile-correcte-1987",
        KdfParams::INSECURE_FOR_TESTS,
    )
    .expect("new vault");
    let person = vault
        .add_person(NewPerson {
            name: "Dominique Pat-Trois".into(),
            birth_date: NaiveDate::from_ymd_opt(1979, 3, 28).expect("valid date"),
            sex: Sex::Unknown,
            relation: Relation::Titulaire,
            ins: None,
        })
        .expect("new person");
    // The fixtures describe several test patients, so the patient check is forced.
    let options = ImportOptions {
        person_id: person.id,
        source: "import".into(),
        force: true,
    };
    let start = Instant::now();
    let summary = vault
        .import_paths(files, &options, &AtomicBool::new(false), &mut |_| {})
        .expect("import runs");
    let elapsed = start.elapsed();
    assert_eq!(summary.imported, files.len(), "every fixture imports");
    (elapsed, summary.profile_entries)
}

/// Imports each file into a new vault of its own and returns the slowest three
/// with their times, to show where the time goes.
fn slowest_files(files: &[PathBuf]) -> Vec<(Duration, String)> {
    let mut times: Vec<(Duration, String)> = files
        .iter()
        .map(|file| {
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            (
                import_round(std::slice::from_ref(file)).0,
                name.into_owned(),
            )
        })
        .collect();
    times.sort();
    times.into_iter().rev().take(3).collect()
}

fn parse_round(contents: &[Vec<u8>]) -> Duration {
    let start = Instant::now();
    for bytes in contents {
        let import = carnet_clinical::parse(bytes).expect("fixture parses");
        std::hint::black_box(import);
    }
    start.elapsed()
}

fn main() {
    let files = fixtures();
    let contents: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("readable fixture"))
        .collect();
    let bytes: usize = contents.iter().map(Vec::len).sum();

    import_round(&files);
    let import = median((0..ROUNDS).map(|_| import_round(&files).0).collect());
    parse_round(&contents);
    let parse = median((0..ROUNDS).map(|_| parse_round(&contents)).collect());

    let synthea = [Path::new(env!("CARGO_MANIFEST_DIR")).join(SYNTHEA)];
    let synthea_bytes = std::fs::read(&synthea[0]).expect("readable bundle");
    let (_, entries) = import_round(&synthea);
    let synthea_import = median((0..ROUNDS).map(|_| import_round(&synthea).0).collect());
    let synthea_parse = median(
        (0..ROUNDS)
            .map(|_| parse_round(std::slice::from_ref(&synthea_bytes)))
            .collect(),
    );

    let per_second = |time: Duration| files.len() as f64 / time.as_secs_f64();
    println!("{} CDA documents, {bytes} bytes", files.len());
    println!(
        "Vault::import_paths: {:.1} ms, {:.1} documents/s",
        import.as_secs_f64() * 1000.0,
        per_second(import)
    );
    println!(
        "carnet_clinical::parse: {:.1} ms, {:.1} documents/s",
        parse.as_secs_f64() * 1000.0,
        per_second(parse)
    );
    for (time, name) in slowest_files(&files) {
        println!(
            "  slowest alone: {name} {:.1} ms",
            time.as_secs_f64() * 1000.0
        );
    }
    println!(
        "Synthea bundle, {} bytes, {entries} profile entries: import_paths {:.1} ms, parse {:.1} ms",
        synthea_bytes.len(),
        synthea_import.as_secs_f64() * 1000.0,
        synthea_parse.as_secs_f64() * 1000.0
    );
}
