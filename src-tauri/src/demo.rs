//! `carnet-app --demo`: opens a demo vault built from the repository's `samples/`.
//!
//! The demo vault lives in `<data dir>/carnet/demo` (or `$CARNET_VAULT`) and uses
//! the public passphrase of the CLI's `carnet demo`, printed on stdout, because it
//! holds only public sample files.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use carnet_core::import::ImportOptions;
use carnet_core::{KdfParams, NewPerson, Relation, Sex, Vault, VaultError};
use chrono::NaiveDate;

use crate::state::{self, AppState};

/// Passphrase of demo vaults, the same as the CLI's.
pub const DEMO_PASSPHRASE: &str = "demo-carnet-cheval-agrafe-pile";

/// Environment variable that starts the demo like `--demo`.
pub const DEMO_ENV: &str = "CARNET_DEMO";

/// Returns whether the demo was requested by `--demo` or `CARNET_DEMO=1`.
pub fn requested() -> bool {
    std::env::args().skip(1).any(|arg| arg == "--demo")
        || std::env::var(DEMO_ENV).is_ok_and(|value| value == "1")
}

/// Creates the demo vault if needed, prints its location and passphrase, and
/// returns an app state pointing at it. The vault is left locked so that the app
/// starts on the unlock screen.
pub fn prepare() -> Result<AppState, VaultError> {
    let dir = match std::env::var_os(state::VAULT_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("carnet")
            .join("demo"),
    };
    // An existing demo vault is not unlocked here: an Argon2id derivation would
    // delay the window, and the unlock screen reports a wrong passphrase anyway.
    if !Vault::exists(&dir) {
        let (mut vault, _kit) = Vault::create(&dir, DEMO_PASSPHRASE, KdfParams::DEFAULT)?;
        populate(&mut vault, &samples_dir())?;
    }
    println!("Coffre de démonstration / demo vault: {}", dir.display());
    println!("Phrase de passe / passphrase: {DEMO_PASSPHRASE}");
    Ok(AppState::new(
        dir,
        state::default_settings_file(),
        KdfParams::DEFAULT,
    ))
}

/// Adds two people and imports the samples into the first one's record.
fn populate(vault: &mut Vault, samples: &Path) -> Result<(), VaultError> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date");
    let holder = vault.add_person(NewPerson {
        name: "Camille Martin".into(),
        birth_date: date(1986, 4, 12),
        sex: Sex::Female,
        relation: Relation::Titulaire,
        ins: None,
    })?;
    vault.add_person(NewPerson {
        name: "Léo Martin".into(),
        birth_date: date(2021, 9, 3),
        sex: Sex::Male,
        relation: Relation::Enfant,
        ins: None,
    })?;
    if !samples.is_dir() {
        eprintln!(
            "Dossier d'exemples introuvable / samples folder not found: {}",
            samples.display()
        );
        return Ok(());
    }
    let options = ImportOptions {
        person_id: holder.id,
        source: "import".into(),
        // The samples are about fictional patients, not the demo's holder.
        force: true,
    };
    let summary = vault.import_paths(
        &[samples.to_path_buf()],
        &options,
        &AtomicBool::new(false),
        &mut |_| {},
    )?;
    println!(
        "Documents importés / imported: {} ({} rejetés / rejected)",
        summary.imported, summary.rejected
    );
    Ok(())
}

/// `samples/` of the source checkout, else of the current directory.
fn samples_dir() -> PathBuf {
    let from_source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples");
    if from_source.is_dir() {
        from_source
    } else {
        PathBuf::from("samples")
    }
}
