//! Agenda import through the vault: `Vault::import_ics` of the largest `.ics`
//! fixture against `carnet_agenda::ics::import_ics` alone on the same bytes. The
//! two passes alternate in the same run, so their ratio holds on a loaded
//! machine. Every vault import after the first updates the same series (parse,
//! validate, seal the records, commit with `synchronous = FULL`, journal row).
//!
//! Run: `cargo bench -p carnet-core --bench agenda_import`

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use carnet_core::agenda::ics::import_ics;
use carnet_core::{KdfParams, NewPerson, Relation, Sex, Vault};
use chrono::NaiveDate;

const ROUNDS: usize = 21;
const FIXTURE: &str = "agenda/tests/fixtures/ics-py/utf-8-emoji.ics";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let bytes = std::fs::read(&path).expect("fixture is readable");
    let events = import_ics(&bytes).expect("fixture parses").events.len();

    let dir = tempfile::tempdir().expect("temporary directory");
    let (mut vault, _kit) = Vault::create(
        &dir.path().join("vault"),
        "cheval-agrafe-pile-correcte-1987",
        KdfParams::INSECURE_FOR_TESTS,
    )
    .expect("vault created");
    let person = vault
        .add_person(NewPerson {
            name: "Bench".into(),
            birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).expect("valid date"),
            sex: Sex::Unknown,
            relation: Relation::Titulaire,
            ins: None,
        })
        .expect("person added");
    // The first import creates the series; the timed ones update them.
    vault.import_ics(&person.id, &bytes).expect("first import");

    let mut parse_only = Vec::with_capacity(ROUNDS);
    let mut through_vault = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        black_box(import_ics(black_box(&bytes)).expect("parses"));
        parse_only.push(start.elapsed());

        let start = Instant::now();
        let summary = vault
            .import_ics(&person.id, black_box(&bytes))
            .expect("vault import");
        through_vault.push(start.elapsed());
        assert_eq!(summary.updated, events);
    }

    let parse = median(parse_only);
    let stored = median(through_vault);
    let rate = |d: Duration| events as f64 / d.as_secs_f64();
    println!(
        "{} ({} bytes, {events} events), median of {ROUNDS}:",
        path.file_name().unwrap_or_default().to_string_lossy(),
        bytes.len()
    );
    println!(
        "  carnet_agenda::ics::import_ics  {:>9.3} ms  {:>8.0} events/s",
        parse.as_secs_f64() * 1e3,
        rate(parse)
    );
    println!(
        "  Vault::import_ics               {:>9.3} ms  {:>8.0} events/s",
        stored.as_secs_f64() * 1e3,
        rate(stored)
    );
    println!(
        "  vault / parse                   {:>9.2}",
        stored.as_secs_f64() / parse.as_secs_f64()
    );
}
