//! "Remember this device": unlocking with a device secret held in the OS keystore.
//!
//! This module is the only place of the app that reaches the keystore (through
//! carnet-core's `os-keyring` feature). When the keystore is missing, locked or
//! refuses, the command returns `error.device_unavailable` and the front end falls
//! back to the passphrase; it never falls back to a plaintext key.

use crate::error::{CommandError, CommandResult};

/// Unlocks the vault with the secret this device remembered.
#[tauri::command]
pub async fn vault_unlock_device() -> CommandResult<()> {
    Err(CommandError::not_ready())
}
