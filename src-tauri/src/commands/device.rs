//! "Remember this device": unlocking with a device secret held in the OS keystore.
//!
//! This module is the only place of the app that reaches the keystore (through
//! carnet-core's `os-keyring` feature). When the keystore is missing, locked or
//! rejects the request, the command returns `error.keyring` (whose message tells
//! the user that Carnet continues with the passphrase) and the front end falls back to the
//! passphrase. The vault key is never stored in the clear.

use std::path::Path;

use carnet_core::vault::header::Header;
use carnet_core::{Unlock, Vault, VaultError, keystore};
use tauri::{AppHandle, Runtime};

use super::blocking;
use crate::error::{CommandError, CommandResult};

/// Unlocks the vault with the secret this device remembered.
#[tauri::command]
pub async fn vault_unlock_device<R: Runtime>(app: AppHandle<R>) -> CommandResult<()> {
    blocking(&app, |_, state| {
        let lang = state.lang();
        let dir = state.dir();
        let mut slot = state.vault_slot()?;
        if slot.is_some() {
            return Ok(());
        }
        let vault = unlock(&dir).map_err(|error| CommandError::from_vault(&error, lang))?;
        *slot = Some(vault);
        Ok(())
    })
    .await
}

/// Opens the vault in `dir` with the device secret from the keystore.
fn unlock(dir: &Path) -> Result<Vault, VaultError> {
    let header = Header::read(dir)?;
    match keystore::load(&header.vault_id)? {
        Some((device_id, secret)) => Vault::unlock(
            dir,
            Unlock::Device {
                device_id: &device_id,
                secret: &secret,
            },
        ),
        // NOTE: the catalogue has no key for "nothing remembered", and a missing
        // entry means the same to the user as a rejected one: type the passphrase.
        None => Err(VaultError::DeviceKeyRejected),
    }
}

/// Adds a device wrap to `vault` and stores its secret in the keystore.
pub fn remember(vault: &mut Vault) -> Result<(), VaultError> {
    let (device_id, secret) = vault.remember_device()?;
    keystore::store(vault.id(), &device_id, &secret)
}

/// Returns whether the keystore contains a device secret for the vault in `dir`.
/// Any keystore failure reads as "not remembered", so the passphrase is asked.
pub fn is_remembered(dir: &Path) -> bool {
    let Ok(header) = Header::read(dir) else {
        return false;
    };
    matches!(keystore::load(&header.vault_id), Ok(Some(_)))
}
