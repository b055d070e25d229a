//! Settings and the export archive.

use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::ipc::SettingsPatch;
use crate::state::{AppState, Settings};

/// Languages of the i18n catalogue.
pub const LANGUAGES: [&str; 2] = ["fr", "en"];

/// Allowed auto-lock delays, in minutes.
pub const AUTO_LOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=240;

/// Changes the language or the auto-lock delay.
#[tauri::command]
pub fn settings_set(
    state: State<'_, AppState>,
    language: Option<String>,
    auto_lock_minutes: Option<u32>,
) -> CommandResult<()> {
    let mut settings = state
        .settings
        .lock()
        .map_err(|_| CommandError::new("error.internal"))?;
    // TODO: persist in the vault directory once carnet-core exposes a settings file.
    apply(
        &mut settings,
        SettingsPatch {
            language,
            auto_lock_minutes,
        },
    )
}

/// Validates `patch` and applies it; on error `settings` is unchanged.
pub fn apply(settings: &mut Settings, patch: SettingsPatch) -> CommandResult<()> {
    if let Some(language) = &patch.language
        && !LANGUAGES.contains(&language.as_str())
    {
        return Err(CommandError::new("error.invalid_argument").with("name", "language"));
    }
    if let Some(minutes) = patch.auto_lock_minutes
        && !AUTO_LOCK_RANGE.contains(&minutes)
    {
        return Err(CommandError::new("error.auto_lock_range")
            .with("min", *AUTO_LOCK_RANGE.start())
            .with("max", *AUTO_LOCK_RANGE.end()));
    }
    if let Some(language) = patch.language {
        settings.language = language;
    }
    if let Some(minutes) = patch.auto_lock_minutes {
        settings.auto_lock_minutes = minutes;
    }
    Ok(())
}

/// Writes the whole vault (FHIR Bundle plus original files) to an archive at `path`.
#[tauri::command]
pub async fn export_archive(path: String) -> CommandResult<()> {
    let _ = path;
    Err(CommandError::not_ready())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_changes_language_and_delay() {
        let mut settings = Settings::default();
        let patch = SettingsPatch {
            language: Some("en".to_owned()),
            auto_lock_minutes: Some(15),
        };
        apply(&mut settings, patch).unwrap();
        assert_eq!(settings.language, "en");
        assert_eq!(settings.auto_lock_minutes, 15);
    }

    #[test]
    fn apply_rejects_unknown_language() {
        let mut settings = Settings::default();
        let patch = SettingsPatch {
            language: Some("de".to_owned()),
            auto_lock_minutes: Some(15),
        };
        let error = apply(&mut settings, patch).unwrap_err();
        assert_eq!(error.key, "error.invalid_argument");
        assert_eq!(settings, Settings::default());
    }

    #[test]
    fn apply_rejects_zero_delay() {
        let mut settings = Settings::default();
        let patch = SettingsPatch {
            language: None,
            auto_lock_minutes: Some(0),
        };
        let error = apply(&mut settings, patch).unwrap_err();
        assert_eq!(error.key, "error.auto_lock_range");
        assert_eq!(error.params["max"], 240);
    }
}
