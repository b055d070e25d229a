//! `carnet passphrase change`, `carnet recover` and `carnet forget-device`.

use anyhow::Result;
use carnet_core::{RecoveryKit, Unlock, Vault, keystore};
use zeroize::Zeroizing;

use crate::commands::init::ask_new_passphrase;
use crate::context::{Ctx, NEW_PASSPHRASE_ENV, RECOVERY_KIT_ENV};

fn new_passphrase(ctx: &Ctx) -> Result<Zeroizing<String>> {
    match std::env::var(NEW_PASSPHRASE_ENV) {
        Ok(value) => Ok(Zeroizing::new(value)),
        Err(_) => ask_new_passphrase(ctx),
    }
}

pub fn change(ctx: &Ctx) -> Result<()> {
    let mut vault = ctx.open()?;
    let next = new_passphrase(ctx)?;
    vault.change_passphrase(&next).map_err(|e| ctx.fail(e))?;
    println!("{}", ctx.t("cli.passphrase_changed"));
    Ok(())
}

pub fn recover(ctx: &Ctx) -> Result<()> {
    if !Vault::exists(&ctx.vault_dir) {
        return Err(ctx.fail(carnet_core::VaultError::NotFound {
            path: ctx.vault_dir.clone(),
        }));
    }
    let kit_text = match std::env::var(RECOVERY_KIT_ENV) {
        Ok(value) => Zeroizing::new(value),
        Err(_) => ctx.read_secret(&ctx.t("cli.prompt_recovery_kit"))?,
    };
    let kit = RecoveryKit::parse(&kit_text).map_err(|e| ctx.fail(e.into()))?;
    let mut vault =
        Vault::unlock(&ctx.vault_dir, Unlock::RecoveryKit(&kit)).map_err(|e| ctx.fail(e))?;
    let next = new_passphrase(ctx)?;
    vault.change_passphrase(&next).map_err(|e| ctx.fail(e))?;
    println!("{}", ctx.t("cli.recovered"));
    Ok(())
}

pub fn forget_device(ctx: &Ctx) -> Result<()> {
    let mut vault = ctx.open()?;
    keystore::forget(vault.id()).map_err(|e| ctx.fail(e))?;
    vault.forget_devices().map_err(|e| ctx.fail(e))?;
    println!("{}", ctx.t("cli.device_forgotten"));
    Ok(())
}
