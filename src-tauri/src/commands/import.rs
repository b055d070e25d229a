//! Import of files chosen by the user, with `import-progress` events and cancellation.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use carnet_core::import::{FileReport, ImportOptions, Outcome};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::blocking;
use crate::error::{CommandError, CommandResult};
use crate::ipc::{ImportProgress, ImportRejection, ImportSummary, Message};
use crate::state::AppState;

/// Name of the event sent after each imported file, with an `ImportProgress` payload.
pub const PROGRESS_EVENT: &str = "import-progress";
/// Key of the rejection of a document that seems to be another patient's.
const PATIENT_MISMATCH: &str = "import.patient_mismatch";

/// Imports `paths` (files or folders) into the space of `person_id`. The vault stays
/// locked for other commands until the import ends; they wait for it. With `force`,
/// a document that seems to be another patient's is filed all the same, and the
/// journal records it. The front end offers it only for such a rejection.
#[tauri::command]
pub async fn import_files<R: Runtime>(
    app: AppHandle<R>,
    paths: Vec<String>,
    person_id: String,
    force: Option<bool>,
) -> CommandResult<ImportSummary> {
    blocking(&app, move |app, state| {
        state.import_cancelled.store(false, Ordering::SeqCst);
        let cancel = state.import_cancelled.clone();
        let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
        let options = ImportOptions {
            person_id,
            source: "import".to_owned(),
            force: force.unwrap_or(false),
        };
        let lang = state.lang();
        let summary = state.with_vault(|vault| {
            vault.import_paths(&paths, &options, &cancel, &mut |progress| {
                let file = PathBuf::from(&progress.file)
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let payload = ImportProgress {
                    done: progress.done as u32,
                    total: progress.total as u32,
                    file,
                };
                if let Err(error) = app.emit(PROGRESS_EVENT, payload) {
                    tracing::warn!(%error, "could not send import progress");
                }
            })
        })?;
        let mut rejected = Vec::new();
        collect_rejections(&summary.files, lang, true, &mut rejected);
        Ok(ImportSummary {
            imported: summary.imported as u32,
            duplicates: summary.duplicates as u32,
            rejected,
            cancelled: summary.cancelled,
        })
    })
    .await
}

/// Lists rejected files, including the parts of containers, by file name. A file
/// given by the user (`top_level`) and refused only because it seems to be another
/// patient's also carries its path, so that the front end can import it with `force`.
fn collect_rejections(
    files: &[FileReport],
    lang: carnet_core::Lang,
    top_level: bool,
    out: &mut Vec<ImportRejection>,
) {
    for report in files {
        match &report.outcome {
            Outcome::Rejected { message, .. } => {
                let error = CommandError::from_message(message, lang);
                let forceable = top_level && message.key == PATIENT_MISMATCH;
                out.push(ImportRejection {
                    file: PathBuf::from(&report.path)
                        .file_name()
                        .map(|name| name.to_string_lossy().into_owned())
                        .unwrap_or_else(|| report.path.clone()),
                    reason: Message {
                        key: error.key,
                        params: error.params.into_iter().collect(),
                    },
                    force_path: forceable.then(|| report.path.clone()),
                });
            }
            Outcome::Container { parts } => collect_rejections(parts, lang, false, out),
            Outcome::Imported { .. } | Outcome::Duplicate { .. } => {}
        }
    }
}

/// Asks the running import to stop after the current file.
#[tauri::command]
pub fn import_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.touch();
    state.import_cancelled.store(true, Ordering::SeqCst);
    Ok(())
}
