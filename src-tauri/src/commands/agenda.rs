//! Agenda events and due vaccinations, computed by carnet-agenda from the vault's data.

use crate::error::{CommandError, CommandResult};

/// Lists events between `from` and `to` (ISO 8601 dates), for one person or everyone.
#[tauri::command]
pub fn agenda_list(
    person_id: Option<String>,
    from: String,
    to: String,
) -> CommandResult<Vec<serde_json::Value>> {
    let _ = (person_id, from, to);
    Err(CommandError::not_ready())
}

/// Lists the vaccinations due for a person at the date `at`.
#[tauri::command]
pub fn vaccinations_due(person_id: String, at: String) -> CommandResult<Vec<serde_json::Value>> {
    let _ = (person_id, at);
    Err(CommandError::not_ready())
}
