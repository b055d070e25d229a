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

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use carnet_core::{KdfParams, Vault};

    use super::*;

    const PASSPHRASE: &str = "lampe-orage-cerise-velours-42";

    fn unlocked_state(dir: &std::path::Path) -> AppState {
        let state = AppState::new(dir.join("vault"), None, KdfParams::INSECURE_FOR_TESTS);
        let (vault, _kit) =
            Vault::create(&state.dir(), PASSPHRASE, KdfParams::INSECURE_FOR_TESTS).unwrap();
        *state.vault.lock().unwrap() = Some(vault);
        state
    }

    fn idle_for(state: &AppState, minutes: u64) {
        let past = Instant::now()
            .checked_sub(Duration::from_secs(minutes * 60))
            .expect("the monotonic clock started long enough ago");
        *state.last_activity.lock().unwrap() = past;
    }

    #[test]
    fn locks_after_delay() {
        let dir = tempfile::tempdir().unwrap();
        let state = unlocked_state(dir.path());
        idle_for(&state, 6);
        assert!(lock_if_idle(&state));
        assert!(!state.is_unlocked());
        assert!(
            !lock_if_idle(&state),
            "an already locked vault is not reported"
        );
    }

    #[test]
    fn keeps_vault_open_before_delay() {
        let dir = tempfile::tempdir().unwrap();
        let state = unlocked_state(dir.path());
        idle_for(&state, 4);
        assert!(!lock_if_idle(&state));
        assert!(state.is_unlocked());
    }

    #[test]
    fn skips_vault_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let state = unlocked_state(dir.path());
        idle_for(&state, 60);
        let import_guard = state.vault.lock().unwrap();
        assert!(!lock_if_idle(&state));
        drop(import_guard);
        assert!(state.is_unlocked());
    }
}
