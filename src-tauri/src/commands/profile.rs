//! The medical profile of one person.

use carnet_core::BloodGroup;
use tauri::{AppHandle, Runtime};

use super::{blocking, convert};
use crate::error::{CommandError, CommandResult};
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

/// Sets the blood group of a person (`A+` … `O-`), or clears it when `group` is
/// absent. A group in another form fails with `error.invalid_input`.
#[tauri::command]
pub async fn blood_group_set<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
    group: Option<String>,
) -> CommandResult<()> {
    blocking(&app, move |_, state| {
        let lang = state.lang();
        let group = match group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            Some(text) => Some(
                BloodGroup::parse(text).map_err(|error| CommandError::from_vault(&error, lang))?,
            ),
            None => None,
        };
        state.with_vault(|vault| vault.set_blood_group(&person_id, group))
    })
    .await
}
