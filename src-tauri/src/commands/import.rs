//! Import of files chosen by the user, with `import-progress` events and cancellation.

use std::sync::atomic::Ordering;

use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::ipc::ImportSummary;
use crate::state::AppState;

/// Name of the event sent after each imported file, with an `ImportProgress` payload.
pub const PROGRESS_EVENT: &str = "import-progress";

/// Imports `paths` into the space of `person_id`.
#[tauri::command]
pub async fn import_files(
    state: State<'_, AppState>,
    paths: Vec<String>,
    person_id: String,
) -> CommandResult<ImportSummary> {
    state.import_cancelled.store(false, Ordering::SeqCst);
    let _ = (paths, person_id);
    Err(CommandError::not_ready())
}

/// Asks the running import to stop after the current file.
#[tauri::command]
pub fn import_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.import_cancelled.store(true, Ordering::SeqCst);
    Ok(())
}
