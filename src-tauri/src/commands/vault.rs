//! Vault lifecycle: status, create, open, unlock, lock, restore, passphrase change and recovery.

use std::path::PathBuf;

use carnet_core::{RecoveryKit, Unlock, Vault, VaultError};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::{blocking, device};
use crate::error::{CommandError, CommandResult};
use crate::ipc::{
    AppStatus, ImportProgress, Message, PassphraseCheck, RestoreSummary, VaultCreated,
    VaultUnlocked,
};
use crate::state::AppState;

/// Returns what the first screen needs: whether a vault exists, is unlocked or remembered.
#[tauri::command]
pub async fn app_status<R: Runtime>(app: AppHandle<R>) -> CommandResult<AppStatus> {
    blocking(&app, |_, state| {
        let settings = state.settings();
        let dir = state.dir();
        let vault_exists = Vault::exists(&dir);
        let unlocked = state.is_unlocked();
        Ok(AppStatus {
            vault_path: Some(dir.display().to_string()),
            vault_exists,
            unlocked,
            remembered: vault_exists && !unlocked && device::is_remembered(&dir),
            language: settings.language,
            auto_lock_minutes: settings.auto_lock_minutes,
            version: env!("CARGO_PKG_VERSION").to_owned(),
        })
    })
    .await
}

/// Selects an existing vault directory; the vault open so far, if any, is locked.
#[tauri::command]
pub async fn vault_open_path<R: Runtime>(app: AppHandle<R>, path: String) -> CommandResult<()> {
    blocking(&app, move |_, state| {
        let dir = PathBuf::from(path);
        if !Vault::exists(&dir) {
            return Err(VaultError::NotFound { path: dir }.into());
        }
        *state.vault_slot()? = None;
        *state
            .vault_dir
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = dir;
        Ok(())
    })
    .await
}

/// Scores a candidate passphrase and lists why it would be rejected.
#[tauri::command]
pub fn passphrase_check(state: State<'_, AppState>, passphrase: String) -> PassphraseCheck {
    state.touch();
    let strength = carnet_core::passphrase::check(&passphrase);
    PassphraseCheck {
        acceptable: strength.acceptable,
        score: strength.score,
        reasons: strength.reasons,
    }
}

/// Creates a vault and returns its recovery kit, which is shown once.
#[tauri::command]
pub async fn vault_create<R: Runtime>(
    app: AppHandle<R>,
    passphrase: String,
    remember: bool,
) -> CommandResult<VaultCreated> {
    blocking(&app, move |_, state| {
        let lang = state.lang();
        let dir = state.dir();
        let mut slot = state.vault_slot()?;
        let (mut vault, kit) = Vault::create(&dir, &passphrase, state.kdf)
            .map_err(|error| CommandError::from_vault(&error, lang))?;
        let warning = if remember {
            remember_or_warn(&mut vault, lang)
        } else {
            None
        };
        *slot = Some(vault);
        Ok(VaultCreated {
            recovery_kit: kit.as_str().to_owned(),
            warning,
        })
    })
    .await
}

/// Unlocks the vault with its passphrase, and remembers this device if asked. When
/// the keystore rejects the device secret, the vault is unlocked all the same and
/// the result carries a warning for the user.
#[tauri::command]
pub async fn vault_unlock<R: Runtime>(
    app: AppHandle<R>,
    passphrase: String,
    remember: bool,
) -> CommandResult<VaultUnlocked> {
    blocking(&app, move |_, state| {
        let lang = state.lang();
        let dir = state.dir();
        let mut slot = state.vault_slot()?;
        if slot.is_some() {
            return Ok(VaultUnlocked::default());
        }
        let mut vault = Vault::unlock(&dir, Unlock::Passphrase(&passphrase))
            .map_err(|error| CommandError::from_vault(&error, lang))?;
        let warning = if remember {
            remember_or_warn(&mut vault, lang)
        } else {
            None
        };
        *slot = Some(vault);
        Ok(VaultUnlocked { warning })
    })
    .await
}

/// Remembers this device. A keystore failure does not fail the command, because
/// the vault is unlocked anyway and the passphrase is simply requested next time.
/// The failure is logged and returned as `warning.remember_failed`, whose message
/// names what the user should check.
fn remember_or_warn(vault: &mut Vault, lang: carnet_core::Lang) -> Option<Message> {
    let error = device::remember(vault).err()?;
    tracing::warn!(vault_id = %vault.id(), %error, "could not remember this device");
    let reason = match &error {
        VaultError::Keyring(reason) => reason.clone(),
        other => CommandError::from_vault(other, lang).key,
    };
    Some(Message {
        key: "warning.remember_failed".to_owned(),
        params: serde_json::Map::from_iter([("reason".to_owned(), reason.into())]),
    })
}

/// Records activity in the window (keys, pointer, a recovery kit on screen). The
/// front end reports it at most every few seconds; it postpones the auto-lock as
/// any command does, because reading a screen sends no command.
#[tauri::command]
pub fn activity_report(state: State<'_, AppState>) {
    state.touch();
}

/// Locks the vault: dropping the handle zeroises its keys.
#[tauri::command]
pub async fn vault_lock<R: Runtime>(app: AppHandle<R>) -> CommandResult<()> {
    blocking(&app, |_, state| {
        *state.vault_slot()? = None;
        Ok(())
    })
    .await
}

/// Creates a vault protected by `passphrase` and restores the export archive into
/// it, sending `import-progress` events per document.
#[tauri::command]
pub async fn vault_restore<R: Runtime>(
    app: AppHandle<R>,
    archive_path: String,
    passphrase: String,
) -> CommandResult<RestoreSummary> {
    blocking(&app, move |app, state| {
        let lang = state.lang();
        let fail = |error: VaultError| CommandError::from_vault(&error, lang);
        let dir = state.dir();
        let mut slot = state.vault_slot()?;
        if slot.is_some() {
            return Err(VaultError::AlreadyExists { path: dir }.into());
        }
        let (mut vault, kit) = Vault::create(&dir, &passphrase, state.kdf).map_err(fail)?;
        let file = PathBuf::from(&archive_path)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let summary = vault
            .restore_archive(
                PathBuf::from(&archive_path).as_path(),
                &mut |done, total| {
                    let progress = ImportProgress {
                        done: done as u32,
                        total: total as u32,
                        file: file.clone(),
                    };
                    if let Err(error) = app.emit(super::import::PROGRESS_EVENT, progress) {
                        tracing::warn!(%error, "could not send restore progress");
                    }
                },
            )
            .map_err(fail)?;
        *slot = Some(vault);
        Ok(RestoreSummary {
            recovery_kit: kit.as_str().to_owned(),
            people: summary.people as u32,
            documents: summary.documents as u32,
        })
    })
    .await
}

/// Unlocks with the recovery kit and sets a new passphrase.
#[tauri::command]
pub async fn vault_recover<R: Runtime>(
    app: AppHandle<R>,
    recovery_kit: String,
    next: String,
) -> CommandResult<()> {
    blocking(&app, move |_, state| {
        let lang = state.lang();
        let fail = |error: VaultError| CommandError::from_vault(&error, lang);
        carnet_core::passphrase::check(&next)
            .into_result()
            .map_err(fail)?;
        let kit = RecoveryKit::parse(&recovery_kit).map_err(|error| fail(error.into()))?;
        let dir = state.dir();
        let mut slot = state.vault_slot()?;
        // The open vault holds the directory lock, so it is closed before reopening.
        *slot = None;
        let mut vault = Vault::unlock(&dir, Unlock::RecoveryKit(&kit)).map_err(fail)?;
        vault.change_passphrase(&next).map_err(fail)?;
        *slot = Some(vault);
        Ok(())
    })
    .await
}

/// Changes the passphrase after checking the current one; only the wrapped vault
/// key is rewritten.
#[tauri::command]
pub async fn passphrase_change<R: Runtime>(
    app: AppHandle<R>,
    current: String,
    next: String,
) -> CommandResult<()> {
    blocking(&app, move |_app, state| {
        let lang = state.lang();
        let fail = |error: VaultError| CommandError::from_vault(&error, lang);
        carnet_core::passphrase::check(&next)
            .into_result()
            .map_err(fail)?;
        let mut slot = state.vault_slot()?;
        let Some(vault) = slot.as_mut() else {
            return Err(CommandError::locked());
        };
        vault.verify_passphrase(&current).map_err(fail)?;
        vault.change_passphrase(&next).map_err(fail)?;
        Ok(())
    })
    .await
}
