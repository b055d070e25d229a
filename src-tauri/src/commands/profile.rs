//! The medical profile of one person.

use tauri::{AppHandle, Runtime};

use super::{blocking, convert};
use crate::error::CommandResult;
use crate::ipc::Profile;

/// Returns allergies, treatments, conditions, blood group, vaccinations and measurements.
#[tauri::command]
pub async fn profile_get<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
) -> CommandResult<Profile> {
    blocking(&app, move |_, state| {
        state.with_vault(|vault| Ok(convert::profile(&vault.profile(&person_id)?)))
    })
    .await
}
