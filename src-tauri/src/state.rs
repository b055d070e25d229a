//! State shared by every command: the open vault, its location, the settings, the
//! import and export cancel flags and the time of the last command (for auto-lock).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use carnet_core::{KdfParams, Lang, Vault};
use serde::{Deserialize, Serialize};

use crate::error::{CommandError, CommandResult};

/// Environment variable that replaces the default vault directory.
pub const VAULT_ENV: &str = "CARNET_VAULT";

/// Managed Tauri state.
pub struct AppState {
    /// The unlocked vault; `None` while locked. Dropping it zeroises its keys.
    pub vault: Mutex<Option<Vault>>,
    /// Directory of the vault the app opens.
    pub vault_dir: Mutex<PathBuf>,
    /// Settings that the front end reads through `app_status`.
    pub settings: Mutex<Settings>,
    /// File the settings are saved to; `None` keeps them in memory only.
    pub settings_file: Option<PathBuf>,
    /// Set by `import_cancel`; the running import checks it between files.
    pub import_cancelled: Arc<AtomicBool>,
    /// Set by `export_cancel`; the running export checks it between documents.
    pub export_cancelled: Arc<AtomicBool>,
    /// Time of the last command, which the auto-lock timer compares with the delay.
    pub last_activity: Mutex<Instant>,
    /// Argon2id cost of new vaults and passphrase changes.
    pub kdf: KdfParams,
}

/// Settings kept outside the vault because they are needed before it is unlocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// `fr` or `en`.
    pub language: String,
    /// Idle delay before the vault locks itself, in minutes.
    pub auto_lock_minutes: u32,
    /// Send desktop notifications for alarms and vaccinations due.
    pub notifications: bool,
    /// Show the person, event and vaccines in notifications. Off by default,
    /// because notifications show on lock screens.
    pub notification_details: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: "fr".to_owned(),
            auto_lock_minutes: 5,
            notifications: true,
            notification_details: false,
        }
    }
}

impl Settings {
    /// Reads settings from `path`; a missing or unreadable file gives the defaults.
    pub fn load(path: &Path) -> Settings {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                tracing::warn!(path = %path.display(), %error, "ignoring invalid settings file");
                Settings::default()
            }),
            Err(_) => Settings::default(),
        }
    }

    /// Writes settings to `path`, creating its directory.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(path, json)
    }
}

/// Returns the vault directory: `$CARNET_VAULT`, else `<data dir>/carnet/vault`.
pub fn default_vault_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(VAULT_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("carnet")
        .join("vault")
}

/// Returns the settings file: `<config dir>/carnet/app-settings.json`.
pub fn default_settings_file() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("carnet").join("app-settings.json"))
}

impl AppState {
    /// State for the vault in `vault_dir`, with settings read from `settings_file`.
    pub fn new(vault_dir: PathBuf, settings_file: Option<PathBuf>, kdf: KdfParams) -> Self {
        let settings = settings_file
            .as_deref()
            .map(Settings::load)
            .unwrap_or_default();
        Self {
            vault: Mutex::new(None),
            vault_dir: Mutex::new(vault_dir),
            settings: Mutex::new(settings),
            settings_file,
            import_cancelled: Arc::new(AtomicBool::new(false)),
            export_cancelled: Arc::new(AtomicBool::new(false)),
            last_activity: Mutex::new(Instant::now()),
            kdf,
        }
    }

    /// Records that a command ran now, which postpones the auto-lock.
    pub fn touch(&self) {
        if let Ok(mut last) = self.last_activity.lock() {
            *last = Instant::now();
        }
    }

    /// Locks the vault mutex, whether or not a vault is open.
    pub fn vault_slot(&self) -> CommandResult<MutexGuard<'_, Option<Vault>>> {
        self.touch();
        // A panic while the lock was held leaves the vault usable: every write of
        // carnet-core runs in a transaction, so recover the guard.
        Ok(self
            .vault
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Runs `work` on the unlocked vault, or fails with `error.vault_locked`.
    pub fn with_vault<T>(
        &self,
        work: impl FnOnce(&mut Vault) -> Result<T, carnet_core::VaultError>,
    ) -> CommandResult<T> {
        let lang = self.lang();
        let mut slot = self.vault_slot()?;
        let vault = slot.as_mut().ok_or_else(CommandError::locked)?;
        work(vault).map_err(|error| CommandError::from_vault(&error, lang))
    }

    /// Returns the settings language, used for messages rendered in Rust.
    pub fn lang(&self) -> Lang {
        Lang::parse(&self.settings().language).unwrap_or(Lang::Fr)
    }

    /// Returns the vault directory.
    pub fn dir(&self) -> PathBuf {
        self.vault_dir
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Returns a copy of the settings.
    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Returns whether a vault is unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.vault
            .lock()
            .map(|vault| vault.is_some())
            .unwrap_or(false)
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new(
            default_vault_dir(),
            default_settings_file(),
            KdfParams::DEFAULT,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("carnet").join("app-settings.json");
        let settings = Settings {
            language: "en".to_owned(),
            auto_lock_minutes: 30,
            ..Settings::default()
        };
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path), settings);
    }

    #[test]
    fn invalid_settings_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app-settings.json");
        std::fs::write(&path, b"{ not json").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
    }

    #[test]
    fn missing_fields_keep_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app-settings.json");
        std::fs::write(&path, br#"{ "language": "en" }"#).unwrap();
        let settings = Settings::load(&path);
        assert_eq!(settings.language, "en");
        assert_eq!(settings.auto_lock_minutes, 5);
        assert!(settings.notifications);
        assert!(!settings.notification_details);
    }
}
