//! `carnet init`: create a vault and show its recovery kit once.

use anyhow::{Result, anyhow};
use carnet_core::{Vault, keystore, passphrase};
use zeroize::Zeroizing;

use crate::context::{Ctx, PASSPHRASE_ENV};

pub fn run(ctx: &Ctx, remember: bool) -> Result<()> {
    if Vault::exists(&ctx.vault_dir) {
        return Err(ctx.fail(carnet_core::VaultError::AlreadyExists {
            path: ctx.vault_dir.clone(),
        }));
    }
    eprintln!("{}", ctx.t("cli.init_warning"));

    let passphrase = match std::env::var(PASSPHRASE_ENV) {
        Ok(value) => Zeroizing::new(value),
        Err(_) => ask_new_passphrase(ctx)?,
    };
    let (mut vault, kit) =
        Vault::create(&ctx.vault_dir, &passphrase, ctx.kdf_params()).map_err(|e| ctx.fail(e))?;

    println!(
        "{}",
        ctx.t("cli.init_done")
            .replace("{path}", &ctx.vault_dir.display().to_string())
    );
    println!();
    println!("{}", ctx.t("cli.kit_title"));
    println!();
    println!("    {}", kit.as_str());
    println!();
    println!("{}", ctx.t("cli.kit_warning"));

    if remember {
        remember_device(ctx, &mut vault);
    }
    Ok(())
}

/// Reads a new passphrase twice, explains a rejection and prompts again (three attempts).
pub fn ask_new_passphrase(ctx: &Ctx) -> Result<Zeroizing<String>> {
    for _ in 0..3 {
        let first = ctx.read_secret(&ctx.t("cli.prompt_new_passphrase"))?;
        let strength = passphrase::check(&first);
        if !strength.acceptable {
            let reasons: Vec<String> = strength.reasons.iter().map(|k| ctx.t(k)).collect();
            eprintln!("{} {}", ctx.t("cli.passphrase_refused"), reasons.join(" "));
            continue;
        }
        let second = ctx.read_secret(&ctx.t("cli.prompt_repeat_passphrase"))?;
        if *first != *second {
            eprintln!("{}", ctx.t("cli.passphrase_mismatch"));
            continue;
        }
        return Ok(first);
    }
    Err(anyhow!(ctx.t("cli.passphrase_gave_up")))
}

/// Stores a device secret. On failure it prints the reason and goes on with the passphrase.
pub fn remember_device(ctx: &Ctx, vault: &mut Vault) {
    let stored = vault.remember_device().and_then(|(device_id, secret)| {
        keystore::store(vault.id(), &device_id, &secret).map(|_| device_id)
    });
    match stored {
        Ok(_) => println!("{}", ctx.t("cli.remember_done")),
        Err(e) => {
            let _ = vault.forget_devices();
            eprintln!("{}", ctx.m(&e.message()));
            eprintln!("{}", ctx.t("cli.remember_failed"));
        }
    }
}
