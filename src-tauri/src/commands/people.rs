//! The people the user looks after.

use carnet_core::{NewPerson, PersonEdit, Relation, Sex};
use chrono::NaiveDate;
use tauri::{AppHandle, Runtime};

use super::blocking;
use crate::error::{CommandError, CommandResult};
use crate::ipc::{Person, PersonInput};

/// Lists every person of the vault.
#[tauri::command]
pub async fn people_list<R: Runtime>(app: AppHandle<R>) -> CommandResult<Vec<Person>> {
    blocking(&app, |_, state| {
        state.with_vault(|vault| Ok(vault.people()?.iter().map(to_ipc).collect()))
    })
    .await
}

/// Adds a person; the vault validates the INS and returns `error.invalid_ins` when it fails.
#[tauri::command]
pub async fn person_add<R: Runtime>(
    app: AppHandle<R>,
    person: PersonInput,
) -> CommandResult<Person> {
    blocking(&app, move |_, state| {
        let new = to_core(person)?;
        state.with_vault(|vault| vault.add_person(new).map(|added| to_ipc(&added)))
    })
    .await
}

/// Replaces the fields of a person with those of `person`; an absent or blank INS
/// clears it. The vault checks them as `person_add` does, and writes nothing when
/// one is rejected.
#[tauri::command]
pub async fn person_update<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    person: PersonInput,
) -> CommandResult<Person> {
    blocking(&app, move |_, state| {
        let fields = to_core(person)?;
        let edit = PersonEdit {
            name: Some(fields.name),
            birth_date: Some(fields.birth_date),
            sex: Some(fields.sex),
            relation: Some(fields.relation),
            ins: Some(fields.ins),
        };
        state.with_vault(|vault| {
            vault
                .update_person(&id, edit)
                .map(|updated| to_ipc(&updated))
        })
    })
    .await
}

/// Converts the front end's fields; the vault checks the name, date range and INS.
fn to_core(input: PersonInput) -> CommandResult<NewPerson> {
    let invalid = |name: &str| CommandError::new("error.invalid_argument").with("name", name);
    let birth_date = NaiveDate::parse_from_str(input.birth_date.trim(), "%Y-%m-%d")
        .map_err(|_| invalid("birthDate"))?;
    // FHIR's `other` has no equivalent in the vault, which stores F, M or U as the
    // INS does.
    let sex = match input.sex.as_str() {
        "female" => Sex::Female,
        "male" => Sex::Male,
        "other" | "unknown" => Sex::Unknown,
        _ => return Err(invalid("sex")),
    };
    let relation = Relation::parse(&input.relation).ok_or_else(|| invalid("relation"))?;
    Ok(NewPerson {
        name: input.name,
        birth_date,
        sex,
        relation,
        ins: input.ins,
    })
}

/// Converts a stored person to the IPC shape.
pub fn to_ipc(person: &carnet_core::Person) -> Person {
    let sex = match person.sex {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Unknown => "unknown",
    };
    Person {
        id: person.id.clone(),
        person: PersonInput {
            name: person.name.clone(),
            birth_date: person.birth_date.format("%Y-%m-%d").to_string(),
            sex: sex.to_owned(),
            relation: person.relation.code().to_owned(),
            ins: person.ins.clone(),
        },
    }
}
