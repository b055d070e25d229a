//! The medical profile of one person.

use crate::error::{CommandError, CommandResult};
use crate::ipc::Profile;

/// Returns allergies, treatments, conditions, blood group, vaccinations and measurements.
#[tauri::command]
pub fn profile_get(person_id: String) -> CommandResult<Profile> {
    let _ = person_id;
    Err(CommandError::not_ready())
}
