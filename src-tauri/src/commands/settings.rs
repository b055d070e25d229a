//! Settings and the export archive.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use tauri::{AppHandle, Emitter, Runtime, State};

use super::blocking;
use crate::error::{CommandError, CommandResult};
use crate::ipc::{ExportProgress, ExportSkip, ExportSummary, Message, SettingsPatch};
use crate::state::{AppState, Settings};

/// Languages of the i18n catalogue.
pub const LANGUAGES: [&str; 2] = ["fr", "en"];

/// Allowed auto-lock delays, in minutes.
pub const AUTO_LOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=240;

/// Changes the language or the auto-lock delay and saves them to the settings file.
#[tauri::command]
pub fn settings_set(
    state: State<'_, AppState>,
    language: Option<String>,
    auto_lock_minutes: Option<u32>,
) -> CommandResult<()> {
    state.touch();
    let mut settings = state
        .settings
        .lock()
        .map_err(|_| CommandError::new("error.internal"))?;
    apply(
        &mut settings,
        SettingsPatch {
            language,
            auto_lock_minutes,
        },
    )?;
    save(&state, &settings)
}

/// Writes `settings` to the settings file of `state`, if it has one. On failure the
/// change still applies to this session.
pub fn save(state: &AppState, settings: &Settings) -> CommandResult<()> {
    if let Some(path) = &state.settings_file
        && let Err(error) = settings.save(path)
    {
        tracing::warn!(path = %path.display(), %error, "could not save the settings");
        return Err(CommandError::new("error.io")
            .with("path", path.display().to_string())
            .with("reason", error.to_string()));
    }
    Ok(())
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

/// Name of the event sent before the first document of an export and after each
/// one, with an `ExportProgress` payload.
pub const EXPORT_PROGRESS_EVENT: &str = "export-progress";

/// Writes the whole vault (FHIR Bundle plus original files) to an archive at `path`,
/// sending `export-progress` events. Documents whose content is missing or damaged
/// are left out and listed in the result. `export_cancel` stops the export before
/// the next document and leaves no file.
#[tauri::command]
pub async fn export_archive<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CommandResult<ExportSummary> {
    blocking(&app, move |app, state| {
        state.export_cancelled.store(false, Ordering::SeqCst);
        let cancel = state.export_cancelled.clone();
        let path = PathBuf::from(path);
        let lang = state.lang();
        let summary = state.with_vault(|vault| {
            vault.export_archive_with(&path, &cancel, &mut |progress| {
                let payload = ExportProgress {
                    done: progress.done as u32,
                    total: progress.total as u32,
                    bytes_done: progress.bytes_done,
                    bytes_total: progress.bytes_total,
                };
                if let Err(error) = app.emit(EXPORT_PROGRESS_EVENT, payload) {
                    tracing::warn!(%error, "could not send export progress");
                }
            })
        })?;
        let skipped = summary
            .skipped
            .iter()
            .map(|skipped| {
                let message = carnet_core::Message::new(skipped.reason.message_key())
                    .with("id", &skipped.id)
                    .with("detail", &skipped.detail);
                let error = CommandError::from_message(&message, lang);
                ExportSkip {
                    id: skipped.id.clone(),
                    reason: Message {
                        key: error.key,
                        params: error.params.into_iter().collect(),
                    },
                }
            })
            .collect();
        Ok(ExportSummary {
            people: summary.people as u32,
            documents: summary.documents as u32,
            skipped,
            cancelled: summary.cancelled,
        })
    })
    .await
}

/// Asks the running export to stop before its next document.
#[tauri::command]
pub fn export_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.touch();
    state.export_cancelled.store(true, Ordering::SeqCst);
    Ok(())
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
