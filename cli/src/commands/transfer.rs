//! `carnet export` and `carnet import-archive`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, bail};
use carnet_core::{Message, Vault, VaultError};
use zeroize::Zeroizing;

use crate::commands::init::ask_new_passphrase;
use crate::context::{Ctx, PASSPHRASE_ENV};
use crate::output;

/// Exit status of `carnet export` when the archive was written without some
/// documents, whose content is missing or damaged in the vault.
pub const PARTIAL_EXPORT_STATUS: u8 = 3;

/// The error `carnet export` ends with when it left documents out; `main` turns
/// it into [`PARTIAL_EXPORT_STATUS`].
#[derive(Debug)]
pub struct PartialExport(String);

impl std::fmt::Display for PartialExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PartialExport {}

/// Set by SIGINT while `carnet export` runs, so that the export stops and removes
/// its temporary file instead of leaving part of an unencrypted archive behind.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_interrupt(_signal: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
    // SAFETY: signal() is async-signal-safe; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
    }
}

/// Makes the first Ctrl-C set [`INTERRUPTED`], so that the export stops before its
/// next document; a second Ctrl-C ends the process at once.
// NOTE: on other systems Ctrl-C still ends the process and can leave the
// `.carnet-export.tmp` file next to the requested archive.
fn stop_export_on_interrupt() {
    #[cfg(unix)]
    {
        let handler: extern "C" fn(libc::c_int) = on_interrupt;
        // SAFETY: the handler only stores to an atomic and calls signal(), both
        // async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        }
    }
}

pub fn export(ctx: &Ctx, out: &Path) -> Result<()> {
    let mut vault = ctx.open()?;
    eprintln!("{}", ctx.t("cli.export_warning"));
    stop_export_on_interrupt();
    let summary = vault
        .export_archive_with(out, &INTERRUPTED, &mut |_| {})
        .map_err(|e| ctx.fail(e))?;
    if summary.cancelled {
        bail!(ctx.t("cli.export_interrupted"));
    }
    println!(
        "{}",
        ctx.t("cli.exported")
            .replace("{people}", &summary.people.to_string())
            .replace("{documents}", &summary.documents.to_string())
            .replace("{path}", &out.display().to_string())
    );
    if summary.skipped.is_empty() {
        return Ok(());
    }
    for skipped in &summary.skipped {
        let message = Message::new(skipped.reason.message_key())
            .with("id", &skipped.id)
            .with("detail", &skipped.detail);
        eprintln!("{}", ctx.m(&message));
    }
    Err(PartialExport(
        ctx.t("cli.export_skipped")
            .replace("{count}", &summary.skipped.len().to_string()),
    )
    .into())
}

pub fn import_archive(ctx: &Ctx, file: &Path, json: bool) -> Result<()> {
    if Vault::exists(&ctx.vault_dir) {
        return Err(ctx.fail(VaultError::AlreadyExists {
            path: ctx.vault_dir.clone(),
        }));
    }
    if !file.is_file() {
        return Err(ctx.fail(VaultError::Archive {
            path: file.to_path_buf(),
            reason: "the file does not exist".into(),
        }));
    }
    let passphrase = match std::env::var(PASSPHRASE_ENV) {
        Ok(value) => Zeroizing::new(value),
        Err(_) => ask_new_passphrase(ctx)?,
    };
    let (mut vault, kit) =
        Vault::create(&ctx.vault_dir, &passphrase, ctx.kdf_params()).map_err(|e| ctx.fail(e))?;
    let restored = vault.restore_archive(file, &mut |_, _| {});
    let summary = match restored {
        Ok(summary) => summary,
        Err(e) => {
            // The new vault is incomplete: remove it rather than leave half a restore.
            let dir = vault.dir().to_path_buf();
            drop(vault);
            let _ = std::fs::remove_dir_all(&dir);
            return Err(ctx.fail(e));
        }
    };
    if json {
        return output::json(&summary);
    }
    println!(
        "{}",
        ctx.t("cli.restored")
            .replace("{people}", &summary.people.to_string())
            .replace("{documents}", &summary.documents.to_string())
    );
    println!();
    println!("{}", ctx.t("cli.kit_title"));
    println!();
    println!("    {}", kit.as_str());
    println!();
    println!("{}", ctx.t("cli.kit_warning"));
    Ok(())
}
