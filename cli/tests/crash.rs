//! Crash safety of imports: `kill -9` at random moments, then check the vault.
//!
//! Each round starts `carnet import` on fresh files (random bytes, so nothing is a
//! duplicate, plus a PDF made unique by trailing bytes), kills it with SIGKILL after
//! a random delay, then unlocks the vault and checks that SQLite's integrity check
//! passes and that every document it lists reads back whole with the SHA-256 it was
//! imported with. The number of rounds defaults to 200 (`CARNET_CRASH_ROUNDS`).

#![cfg(unix)]

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use carnet_core::documents::DocumentFilter;
use carnet_core::{KdfParams, NewPerson, Relation, Sex, Unlock, Vault};
use sha2::{Digest, Sha256};

const PASSPHRASE: &str = "cheval-agrafe-pile-correcte-1987";

/// A small xorshift generator: the test needs varied delays and bytes, not quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn write_round_files(dir: &Path, round: usize, rng: &mut Rng, pdf: &[u8]) {
    fs::create_dir_all(dir).unwrap();
    for i in 0..3 {
        let size = 512 * 1024 + (rng.next() % (2 * 1024 * 1024)) as usize;
        let mut bytes = vec![0u8; size];
        for chunk in bytes.chunks_mut(8) {
            let value = rng.next().to_le_bytes();
            chunk.copy_from_slice(&value[..chunk.len()]);
        }
        fs::write(dir.join(format!("scan-{round}-{i}.bin")), bytes).unwrap();
    }
    let mut unique_pdf = pdf.to_vec();
    unique_pdf.extend_from_slice(format!("\n% round {round}\n").as_bytes());
    fs::write(dir.join(format!("compte-rendu-{round}.pdf")), unique_pdf).unwrap();
}

fn check_vault(path: &Path, round: usize) -> usize {
    let mut vault = Vault::unlock(path, Unlock::Passphrase(PASSPHRASE))
        .unwrap_or_else(|e| panic!("round {round}: the vault does not open: {e}"));
    let problems = vault.integrity_problems().unwrap();
    assert!(
        problems.is_empty(),
        "round {round}: integrity check failed: {problems:?}"
    );

    let (total, documents) = vault
        .documents(&DocumentFilter::default(), 0, 100_000)
        .unwrap();
    let stored: Vec<(String, String)> = vault
        .connection()
        .prepare("SELECT id, content_sha256 FROM documents")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored.len(), documents.len());
    for (id, expected) in stored {
        let bytes = vault
            .read_role_to_vec(&id, "original")
            .unwrap_or_else(|e| panic!("round {round}: document {id} is not whole: {e}"));
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            expected,
            "round {round}: document {id} differs"
        );
    }
    total
}

#[test]
fn import_survives_kill_at_random_points() {
    let rounds: usize = std::env::var("CARNET_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let work = tempfile::tempdir().unwrap();
    let vault_dir = work.path().join("vault");
    let (mut vault, _kit) =
        Vault::create(&vault_dir, PASSPHRASE, KdfParams::INSECURE_FOR_TESTS).unwrap();
    vault
        .add_person(NewPerson {
            name: "Camille Martin".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1986, 4, 12).unwrap(),
            sex: Sex::Female,
            relation: Relation::Titulaire,
            ins: None,
        })
        .unwrap();
    drop(vault);

    let pdf = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pdf/multicolumn.pdf"),
    )
    .unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("crash test seed {seed}");
    let mut rng = Rng(seed);

    // Measure one full import first so that kill delays spread over its whole length.
    let timing_dir = work.path().join("timing");
    write_round_files(&timing_dir, usize::MAX, &mut rng, &pdf);
    let started = Instant::now();
    let status = carnet(&vault_dir)
        .arg("import")
        .arg(&timing_dir)
        .status()
        .unwrap();
    assert!(status.success());
    let full = started.elapsed().max(Duration::from_millis(20));
    let mut last_total = check_vault(&vault_dir, 0);

    let mut killed_mid_way = 0;
    for round in 1..=rounds {
        let files = work.path().join(format!("round-{round}"));
        write_round_files(&files, round, &mut rng, &pdf);
        // Kill within the first three quarters of the measured import time, because
        // that one measurement may have been slow on a loaded machine.
        let window = full.as_micros() as u64 * 3 / 4;
        let delay = Duration::from_micros(rng.next() % (window + 1));
        let mut child = carnet(&vault_dir)
            .arg("import")
            .arg(&files)
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            // SIGKILL: no destructor, no flush, exactly what a crash or `kill -9` does.
            child.kill().unwrap();
            killed_mid_way += 1;
        }
        child.wait().unwrap();

        let total = check_vault(&vault_dir, round);
        assert!(total >= last_total, "round {round}: documents were lost");
        assert!(
            total <= last_total + 4,
            "round {round}: more documents than files"
        );
        last_total = total;
        fs::remove_dir_all(&files).unwrap();
    }
    eprintln!(
        "{rounds} rounds, {killed_mid_way} killed before the import finished, {last_total} documents"
    );
    // How many rounds end mid-way depends on the machine's load; a quarter still
    // gives dozens of crashes at random points.
    assert!(
        killed_mid_way * 4 >= rounds,
        "too few rounds were killed mid-way to test anything"
    );
}

fn carnet(vault: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_carnet"));
    command
        .env("CARNET_VAULT", vault)
        .env("CARNET_PASSPHRASE", PASSPHRASE)
        .env_remove("CARNET_LANG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}
