//! Auto-lock: a background thread that locks the vault after `autoLockMinutes`
//! without a command and sends the `vault-locked` event so the front end clears
//! its screens.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::commands::VAULT_LOCKED_EVENT;
use crate::state::AppState;

/// How often the thread compares the idle time with the delay.
const CHECK_INTERVAL: Duration = Duration::from_secs(10);

/// Starts the auto-lock thread for the app's lifetime.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let spawned = std::thread::Builder::new()
        .name("carnet-autolock".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(CHECK_INTERVAL);
                if lock_if_idle(&app.state::<AppState>()) {
                    tracing::info!("vault locked after the idle delay");
                    if let Err(error) = app.emit(VAULT_LOCKED_EVENT, ()) {
                        tracing::warn!(%error, "could not send the vault-locked event");
                    }
                }
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "could not start the auto-lock thread");
    }
}

/// Locks the vault when it has been idle longer than the configured delay, and
/// returns whether it did. A vault busy with an import is left open: its mutex is
/// held, and the import counts as activity.
pub fn lock_if_idle(state: &AppState) -> bool {
    let delay = Duration::from_secs(u64::from(state.settings().auto_lock_minutes) * 60);
    let idle = state
        .last_activity
        .lock()
        .map(|last| last.elapsed())
        .unwrap_or_default();
    if idle < delay {
        return false;
    }
    let Ok(mut slot) = state.vault.try_lock() else {
        return false;
    };
    slot.take().is_some()
}
