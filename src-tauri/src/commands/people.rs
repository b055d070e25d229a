//! The people the user looks after.

use crate::error::{CommandError, CommandResult};
use crate::ipc::{Person, PersonInput};

/// Lists every person of the vault.
#[tauri::command]
pub fn people_list() -> CommandResult<Vec<Person>> {
    Err(CommandError::not_ready())
}

/// Adds a person; the vault validates the INS and returns `error.ins_invalid` when it fails.
#[tauri::command]
pub fn person_add(person: PersonInput) -> CommandResult<Person> {
    let _ = person;
    Err(CommandError::not_ready())
}

/// Replaces the fields of a person.
#[tauri::command]
pub fn person_update(id: String, person: PersonInput) -> CommandResult<Person> {
    let _ = (id, person);
    Err(CommandError::not_ready())
}
