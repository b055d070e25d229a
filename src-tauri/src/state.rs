//! State shared by every command: the open vault, if any, and session settings.

use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

/// Handle on an unlocked vault.
///
/// TODO: replace with carnet-core's vault handle once its API lands. Dropping it must
/// zeroise the keys, so locking is `*state.vault.lock() = None`.
#[derive(Debug)]
pub struct OpenVault {
    _private: (),
}

/// Managed Tauri state.
#[derive(Debug)]
pub struct AppState {
    /// The unlocked vault; `None` while locked or before one is chosen.
    pub vault: Mutex<Option<OpenVault>>,
    /// Session settings that the front end reads through `app_status`.
    pub settings: Mutex<Settings>,
    /// Set by `import_cancel`; the running import checks it between files.
    pub import_cancelled: AtomicBool,
}

/// Settings kept outside the vault because they are needed before it is unlocked.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `fr` or `en`.
    pub language: String,
    /// Idle delay before the vault locks itself, in minutes.
    pub auto_lock_minutes: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: "fr".to_owned(),
            auto_lock_minutes: 5,
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            vault: Mutex::new(None),
            settings: Mutex::new(Settings::default()),
            import_cancelled: AtomicBool::new(false),
        }
    }
}

impl AppState {
    /// Returns whether a vault is unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.vault
            .lock()
            .map(|vault| vault.is_some())
            .unwrap_or(false)
    }
}
