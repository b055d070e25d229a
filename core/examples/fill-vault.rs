//! Creates a vault filled with many small, realistic French text documents (lab
//! results, prescriptions, consultation and imaging reports, vaccination and medical
//! certificates) for one person, through the ordinary import path.
//!
//! ```sh
//! cargo run --release -p carnet-core --example fill-vault -- DIR [DOCUMENTS] [PASSPHRASE]
//! ```
//!
//! `DIR` must not exist yet. `DOCUMENTS` defaults to 10,000. The vault uses the default
//! Argon2id parameters, so unlocking it costs what a real vault costs. Every document
//! goes through `Vault::import_bytes`, one transaction and one fsync of its chunk each,
//! so the disk bounds the generator. On the 2-core development machine a release
//! build imported 10,000 documents in 14 to 17 s on a RAM disk (`/dev/shm`), while the
//! vault benchmark fills at about 33 documents per second on the ordinary disk
//! (docs/benchmarks.md). The generator stops with an error if a document is not
//! imported, so the vault contains exactly `DOCUMENTS` documents.

use std::path::PathBuf;
use std::time::Instant;

use carnet_core::import::{ImportOptions, KnownMetadata};
use carnet_core::{Category, KdfParams, NewPerson, Outcome, Relation, Sex, Vault};
use chrono::NaiveDate;

const DEFAULT_PASSPHRASE: &str = "demo-carnet-cheval-agrafe-pile";

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: fill-vault DIR [DOCUMENTS] [PASSPHRASE]");
        std::process::exit(2);
    };
    let documents: usize = match args.next().map(|n| n.parse()) {
        None => 10_000,
        Some(Ok(n)) => n,
        Some(Err(error)) => {
            eprintln!("invalid document count: {error}");
            std::process::exit(2);
        }
    };
    let passphrase = args
        .next()
        .unwrap_or_else(|| DEFAULT_PASSPHRASE.to_string());

    let started = Instant::now();
    let (mut vault, _kit) =
        Vault::create(&dir, &passphrase, KdfParams::DEFAULT).expect("create the vault");
    let person = vault
        .add_person(NewPerson {
            name: "Camille Martin".into(),
            birth_date: NaiveDate::from_ymd_opt(1986, 4, 12).expect("valid date"),
            sex: Sex::Female,
            relation: Relation::Titulaire,
            ins: None,
        })
        .expect("add the person");
    let options = ImportOptions {
        person_id: person.id,
        source: "import".into(),
        force: false,
    };

    let mut random = Random(0x5EED_CA4E_7000_0001);
    for i in 0..documents {
        let document = random.document(i);
        let known = KnownMetadata {
            title: Some(document.title),
            category: Some(document.category),
            date: Some(document.date),
            ..KnownMetadata::default()
        };
        let outcome = vault
            .import_bytes(
                &document.file_name,
                document.text.as_bytes(),
                &options,
                &known,
            )
            .expect("import a generated document");
        let problem = match outcome {
            Outcome::Imported { .. } => continue,
            Outcome::Duplicate { .. } => "a duplicate",
            Outcome::Rejected { .. } => "rejected",
            Outcome::Container { .. } => "read as a container",
        };
        eprintln!("generated document {i} was {problem}, not imported");
        std::process::exit(1);
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{documents} documents in {} in {elapsed:.1} s ({:.0} documents/s)",
        dir.display(),
        documents as f64 / elapsed
    );
}

struct Generated {
    file_name: String,
    title: String,
    category: Category,
    date: NaiveDate,
    text: String,
}

/// A xorshift64 generator: deterministic, so two runs build the same vault.
struct Random(u64);

const DOCTORS: &[&str] = &[
    "Dr Claire Dubois",
    "Dr Julien Lefèvre",
    "Dr Amina Benali",
    "Dr Paul Girard",
    "Dr Sophie Morel",
    "Dr Thomas Roux",
];
const LABS: &[&str] = &[
    "Laboratoire des Tilleuls",
    "Laboratoire du Parc",
    "Biologie Saint-Michel",
];
const DRUGS: &[(&str, &str)] = &[
    (
        "Amoxicilline 1 g",
        "1 comprimé matin et soir pendant 6 jours",
    ),
    (
        "Paracétamol 1 g",
        "1 comprimé toutes les 6 heures si douleur, 4 par jour au plus",
    ),
    (
        "Ibuprofène 400 mg",
        "1 comprimé au cours du repas, 3 fois par jour pendant 5 jours",
    ),
    ("Ventoline 100 µg", "2 bouffées en cas de gêne respiratoire"),
    (
        "Levothyrox 75 µg",
        "1 comprimé le matin à jeun, traitement à poursuivre",
    ),
];
const SPECIALTIES: &[&str] = &[
    "cardiologie",
    "dermatologie",
    "pédiatrie",
    "ophtalmologie",
    "rhumatologie",
];
const IMAGING: &[&str] = &[
    "Radiographie du thorax",
    "Échographie abdominale",
    "IRM du genou droit",
    "Mammographie bilatérale",
];
const VACCINES: &[&str] = &[
    "Boostrixtetra (diphtérie, tétanos, coqueluche, poliomyélite)",
    "Vaxigrip (grippe saisonnière)",
    "Comirnaty (Covid-19)",
    "Gardasil 9 (papillomavirus)",
];

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    /// Returns a number in `low..high` with one decimal, written with a comma as French reports write it.
    fn value(&mut self, low: f64, high: f64) -> String {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        format!("{:.1}", low + unit * (high - low)).replace('.', ",")
    }

    /// Returns a date from 2005-01-01 to 2026-11-26 (8,000 days).
    fn date(&mut self) -> NaiveDate {
        let start = NaiveDate::from_ymd_opt(2005, 1, 1).expect("valid date");
        start + chrono::Days::new(self.next() % 8000)
    }

    fn document(&mut self, index: usize) -> Generated {
        let date = self.date();
        let day = date.format("%d/%m/%Y");
        let doctor = *self.pick(DOCTORS);
        let (title, category, text) = match self.next() % 6 {
            0 => {
                let lab = *self.pick(LABS);
                let text = format!(
                    "Compte rendu de biologie médicale\n{lab}\nPrélèvement du {day}, prescrit par {doctor}\n\n\
                     Hémoglobine : {} g/dL (12,0 à 16,0)\nLeucocytes : {} G/L (4,0 à 10,0)\n\
                     Glycémie à jeun : {} g/L (0,70 à 1,10)\nCréatinine : {} µmol/L (45 à 90)\n\
                     Cholestérol total : {} g/L\nTSH : {} mUI/L (0,4 à 4,0)\n\n\
                     Résultats validés par le biologiste responsable.\n",
                    self.value(11.0, 16.5),
                    self.value(3.5, 11.0),
                    self.value(0.7, 1.3),
                    self.value(45.0, 95.0),
                    self.value(1.5, 2.8),
                    self.value(0.3, 4.5),
                );
                (format!("Bilan sanguin — {lab}"), Category::Biologie, text)
            }
            1 => {
                let (drug, dosage) = *self.pick(DRUGS);
                let text = format!(
                    "Ordonnance\n{doctor}, médecin généraliste\nLe {day}\n\n{drug}\n{dosage}\n\n\
                     Renouvellement : non.\nEn cas de réaction allergique, arrêter le traitement et consulter.\n"
                );
                (
                    format!("Ordonnance — {drug}"),
                    Category::OrdonnancesSoins,
                    text,
                )
            }
            2 => {
                let specialty = *self.pick(SPECIALTIES);
                let text = format!(
                    "Compte rendu de consultation de {specialty}\n{doctor}\nConsultation du {day}\n\n\
                     Motif : suivi annuel.\nTension artérielle : {}/{} mmHg. Poids : {} kg.\n\
                     Examen clinique sans particularité. Pas de modification du traitement.\n\
                     Prochain contrôle dans un an.\n",
                    self.value(11.0, 15.0),
                    self.value(6.0, 9.0),
                    self.value(50.0, 95.0),
                );
                (
                    format!("Consultation de {specialty}"),
                    Category::ComptesRendus,
                    text,
                )
            }
            3 => {
                let exam = *self.pick(IMAGING);
                let text = format!(
                    "{exam}\nCabinet d'imagerie médicale, examen du {day}\nDemandé par {doctor}\n\n\
                     Technique : protocole standard.\nRésultat : pas d'anomalie décelée.\n\
                     Conclusion : examen normal.\n"
                );
                (exam.to_string(), Category::Imagerie, text)
            }
            4 => {
                let vaccine = *self.pick(VACCINES);
                let text = format!(
                    "Certificat de vaccination\nVaccin : {vaccine}\nAdministré le {day} par {doctor}\n\
                     Lot : {}{:05}\nVoie intramusculaire, deltoïde gauche.\n",
                    ["AB", "KX", "TR"][(self.next() % 3) as usize],
                    self.next() % 100_000,
                );
                (
                    format!("Vaccination — {vaccine}"),
                    Category::CarnetVaccinal,
                    text,
                )
            }
            _ => {
                let text = format!(
                    "Certificat médical\nJe soussigné(e), {doctor}, certifie avoir examiné ce jour, le {day}, \
                     Camille Martin, et n'avoir constaté aucune contre-indication à la pratique \
                     de la course à pied, y compris en compétition.\n"
                );
                (
                    "Certificat de non contre-indication au sport".to_string(),
                    Category::Certificats,
                    text,
                )
            }
        };
        // The reference makes every text unique: the import skips a file whose bytes
        // are already in the vault, and two short templates can come out the same.
        Generated {
            file_name: format!("{}-{index:05}.txt", date.format("%Y-%m-%d")),
            title,
            category,
            date,
            text: format!("{text}\nRéférence : CARNET-{index:06}\n"),
        }
    }
}
