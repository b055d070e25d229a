//! `carnet demo`: a demo vault built from the bundled sample documents.
//!
//! The demo vault lives apart from the real one (`carnet/demo` in the user's data
//! directory unless `--vault` is given) and uses a passphrase printed on screen,
//! because it holds only public sample files.

use carnet_core::people::short_id;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use anyhow::{Result, bail};
use carnet_core::import::ImportOptions;
use carnet_core::{NewPerson, Relation, Sex, Unlock, Vault};
use chrono::NaiveDate;

use crate::context::Ctx;

/// Passphrase of demo vaults. Public on purpose: a demo vault holds public samples.
pub const DEMO_PASSPHRASE: &str = "demo-carnet-cheval-agrafe-pile";

pub fn run(ctx: &Ctx, explicit_vault: bool, samples: Option<PathBuf>) -> Result<()> {
    let dir = if explicit_vault {
        ctx.vault_dir.clone()
    } else {
        ctx.vault_dir.with_file_name("demo")
    };
    let samples = samples.unwrap_or_else(default_samples);
    if !samples.is_dir() {
        bail!(
            ctx.t("cli.demo_no_samples")
                .replace("{path}", &samples.display().to_string())
        );
    }

    let vault = if Vault::exists(&dir) {
        Vault::unlock(&dir, Unlock::Passphrase(DEMO_PASSPHRASE)).map_err(|e| ctx.fail(e))?
    } else {
        let (mut vault, _kit) =
            Vault::create(&dir, DEMO_PASSPHRASE, ctx.kdf_params()).map_err(|e| ctx.fail(e))?;
        populate(ctx, &mut vault, &samples)?;
        vault
    };

    println!(
        "{}",
        ctx.t("cli.demo_ready")
            .replace("{path}", &dir.display().to_string())
    );
    println!(
        "{}",
        ctx.t("cli.demo_passphrase")
            .replace("{passphrase}", DEMO_PASSPHRASE)
    );
    println!();
    let (total, documents) = vault
        .documents(&Default::default(), 0, 20)
        .map_err(|e| ctx.fail(e))?;
    println!(
        "{}",
        ctx.t("cli.demo_documents")
            .replace("{count}", &total.to_string())
    );
    for document in &documents {
        let category = ctx.t(&format!("category.{}", document.category.code()));
        println!(
            "  {}  {:<24}  {}",
            short_id(&document.id),
            category,
            document.title
        );
    }
    println!();
    let query = "vaccination";
    println!("{}", ctx.t("cli.demo_search").replace("{query}", query));
    for hit in vault.search(query, None, 5).map_err(|e| ctx.fail(e))? {
        let snippet = hit
            .snippet
            .replace(carnet_core::search::MATCH_START, "[")
            .replace(carnet_core::search::MATCH_END, "]");
        println!("  {}  {}", short_id(&hit.document.id), hit.document.title);
        println!("            {}", snippet.replace('\n', " "));
    }
    println!();
    println!(
        "{}",
        ctx.t("cli.demo_next")
            .replace("{path}", &dir.display().to_string())
    );
    Ok(())
}

fn populate(ctx: &Ctx, vault: &mut Vault, samples: &Path) -> Result<()> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date");
    let holder = vault
        .add_person(NewPerson {
            name: "Camille Martin".into(),
            birth_date: date(1986, 4, 12),
            sex: Sex::Female,
            relation: Relation::Titulaire,
            ins: None,
        })
        .map_err(|e| ctx.fail(e))?;
    vault
        .add_person(NewPerson {
            name: "Léo Martin".into(),
            birth_date: date(2021, 9, 3),
            sex: Sex::Male,
            relation: Relation::Enfant,
            ins: None,
        })
        .map_err(|e| ctx.fail(e))?;
    let options = ImportOptions {
        person_id: holder.id,
        source: "import".into(),
        // The samples are about fictional patients, not the demo's holder.
        force: true,
    };
    let summary = vault
        .import_paths(
            &[samples.to_path_buf()],
            &options,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .map_err(|e| ctx.fail(e))?;
    eprintln!(
        "{}",
        ctx.t("cli.import_summary")
            .replace("{person}", "Camille Martin")
            .replace("{imported}", &summary.imported.to_string())
            .replace("{duplicates}", &summary.duplicates.to_string())
            .replace("{rejected}", &summary.rejected.to_string())
    );
    Ok(())
}

/// `samples/` beside the executable's repository checkout, else the current directory's.
fn default_samples() -> PathBuf {
    let from_source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples");
    if from_source.is_dir() {
        from_source
    } else {
        PathBuf::from("samples")
    }
}
