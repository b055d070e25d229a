//! Vault lifecycle: status, create, open, unlock, lock, restore, passphrase change and recovery.

use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::ipc::{AppStatus, PassphraseCheck, RestoreSummary, VaultCreated};
use crate::state::AppState;

/// Returns what the first screen needs: whether a vault exists, is unlocked or remembered.
#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> CommandResult<AppStatus> {
    let settings = state
        .settings
        .lock()
        .map_err(|_| CommandError::new("error.internal"))?
        .clone();
    Ok(AppStatus {
        // TODO: the default vault location and its existence come from carnet-core.
        vault_path: None,
        vault_exists: false,
        unlocked: state.is_unlocked(),
        remembered: false,
        language: settings.language,
        auto_lock_minutes: settings.auto_lock_minutes,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// Selects an existing vault directory.
#[tauri::command]
pub fn vault_open_path(path: String) -> CommandResult<()> {
    let _ = path;
    Err(CommandError::not_ready())
}

/// Scores a candidate passphrase and lists why it would be rejected.
#[tauri::command]
pub fn passphrase_check(passphrase: String) -> CommandResult<PassphraseCheck> {
    let _ = passphrase;
    Err(CommandError::not_ready())
}

/// Creates a vault and returns its recovery kit, which is shown once.
#[tauri::command]
pub async fn vault_create(passphrase: String, remember: bool) -> CommandResult<VaultCreated> {
    let _ = (passphrase, remember);
    Err(CommandError::not_ready())
}

/// Unlocks the vault with its passphrase, and remembers this device if asked.
#[tauri::command]
pub async fn vault_unlock(passphrase: String, remember: bool) -> CommandResult<()> {
    let _ = (passphrase, remember);
    Err(CommandError::not_ready())
}

/// Locks the vault: dropping the handle zeroises its keys.
#[tauri::command]
pub fn vault_lock(state: State<'_, AppState>) -> CommandResult<()> {
    let mut vault = state
        .vault
        .lock()
        .map_err(|_| CommandError::new("error.internal"))?;
    *vault = None;
    Ok(())
}

/// Restores a vault from an export archive protected by `passphrase`.
#[tauri::command]
pub async fn vault_restore(
    archive_path: String,
    passphrase: String,
) -> CommandResult<RestoreSummary> {
    let _ = (archive_path, passphrase);
    Err(CommandError::not_ready())
}

/// Sets a new passphrase using the recovery kit.
#[tauri::command]
pub async fn vault_recover(recovery_kit: String, next: String) -> CommandResult<()> {
    let _ = (recovery_kit, next);
    Err(CommandError::not_ready())
}

/// Changes the passphrase; only the wrapped vault key is rewritten.
#[tauri::command]
pub async fn passphrase_change(current: String, next: String) -> CommandResult<()> {
    let _ = (current, next);
    Err(CommandError::not_ready())
}
