//! Creating, reading, editing, deleting and importing agenda events.
//!
//! An event is named by its person and its iCalendar UID. A recurring series is
//! edited as a whole; one of its occurrences can be deleted on its own, which
//! adds an EXDATE to the series.

use std::io::Read;
use std::path::{Path, PathBuf};

use carnet_core::agenda::{Event, EventTime, ics_file_error_message, new_uid};
use carnet_core::{Vault, VaultError};
use chrono::{Duration, NaiveDate, NaiveTime};
use serde::Serialize;
use tauri::{AppHandle, Runtime};

use super::agenda::format_time;
use super::blocking;
use super::event_form::{EventDetail, EventInput, apply_input, detail};
use crate::error::{CommandError, CommandResult};

/// Person and UID of a stored event, returned by `event_create` and `event_update`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRef {
    pub person_id: String,
    pub uid: String,
}

/// One event of an `.ics` file that was not imported.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IcsRejection {
    /// Line of its `BEGIN:VEVENT`, when the parser rejected it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The reason, an `agenda.import.error.*` or `agenda.event.error.*` message.
    pub reason: CommandError,
}

/// Result of `agenda_import`. Counts are series (distinct UIDs).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IcsImportSummary {
    pub imported: usize,
    pub updated: usize,
    pub rejected: Vec<IcsRejection>,
}

fn event_not_found(uid: &str) -> CommandError {
    CommandError::new("error.event_not_found").with("uid", uid)
}

/// Returns the stored master (or lone override) of a person's series `uid`.
fn stored_master(vault: &Vault, person_id: &str, uid: &str) -> CommandResult<Event> {
    let series: Vec<Event> = vault
        .stored_events(Some(person_id))?
        .into_iter()
        .filter(|(_, event)| event.uid == uid)
        .map(|(_, event)| event)
        .collect();
    series
        .iter()
        .find(|event| event.recurrence_id.is_none())
        .or_else(|| series.first())
        .cloned()
        .ok_or_else(|| event_not_found(uid))
}

/// Returns one event with every field the dialog edits.
#[tauri::command]
pub async fn event_get<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
    uid: String,
) -> CommandResult<EventDetail> {
    blocking(&app, move |_, state| {
        let lang = state.lang();
        let slot = state.vault_slot()?;
        let vault = slot.as_ref().ok_or_else(CommandError::locked)?;
        let person = vault
            .person(&person_id)
            .map_err(|e| CommandError::from_vault(&e, lang))?;
        let event = stored_master(vault, &person.id, &uid)?;
        Ok(detail(&person.id, &event))
    })
    .await
}

/// Creates an event from the dialog's fields, with a new UID.
#[tauri::command]
pub async fn event_create<R: Runtime>(
    app: AppHandle<R>,
    event: EventInput,
) -> CommandResult<EventRef> {
    let mut created = Event::new(
        new_uid(),
        EventTime::Date {
            date: NaiveDate::MIN,
        },
    );
    apply_input(&mut created, &event)?;
    blocking(&app, move |_, state| {
        let uid = created.uid.clone();
        state.with_vault(|vault| vault.add_event(&event.person_id, created))?;
        Ok(EventRef {
            person_id: event.person_id,
            uid,
        })
    })
    .await
}

/// Saves the dialog's fields over the series `uid` of `person_id`. When
/// `event.personId` names someone else, the series moves to that person with
/// the same UID.
#[tauri::command]
pub async fn event_update<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
    uid: String,
    event: EventInput,
) -> CommandResult<EventRef> {
    blocking(&app, move |_, state| {
        let lang = state.lang();
        let fail = |error: VaultError| CommandError::from_vault(&error, lang);
        let mut slot = state.vault_slot()?;
        let vault = slot.as_mut().ok_or_else(CommandError::locked)?;
        let owner = vault.person(&person_id).map_err(fail)?;
        let mut master = stored_master(vault, &owner.id, &uid)?;
        apply_input(&mut master, &event)?;
        master.sequence += 1;
        if event.person_id == owner.id {
            vault.update_event(&owner.id, master).map_err(fail)?;
        } else {
            let target = vault.person(&event.person_id).map_err(fail)?;
            let overrides: Vec<Event> = vault
                .stored_events(Some(&owner.id))?
                .into_iter()
                .map(|(_, stored)| stored)
                .filter(|stored| stored.uid == uid && stored.recurrence_id.is_some())
                .filter(|stored| stored.recurrence_id != master.recurrence_id)
                .collect();
            // NOTE: each event is written in its own transaction, so a failure
            // part way leaves the series split between the two people.
            vault.add_event(&target.id, master).map_err(fail)?;
            for moved in overrides {
                vault.add_event(&target.id, moved).map_err(fail)?;
            }
            vault.delete_event(&owner.id, &uid).map_err(fail)?;
        }
        Ok(EventRef {
            person_id: event.person_id,
            uid,
        })
    })
    .await
}

/// Deletes the series `uid` of `person_id`, or only its occurrence whose
/// original start is `occurrence` (the `recurrenceId` that `agenda_list` gives).
#[tauri::command]
pub async fn event_delete<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
    uid: String,
    occurrence: Option<String>,
) -> CommandResult<()> {
    blocking(&app, move |_, state| {
        let lang = state.lang();
        let fail = |error: VaultError| CommandError::from_vault(&error, lang);
        let mut slot = state.vault_slot()?;
        let vault = slot.as_mut().ok_or_else(CommandError::locked)?;
        let person = vault.person(&person_id).map_err(fail)?;
        let Some(occurrence) = occurrence else {
            return if vault.delete_event(&person.id, &uid).map_err(fail)? {
                Ok(())
            } else {
                Err(event_not_found(&uid))
            };
        };
        let original = find_occurrence(vault, &person.id, &uid, &occurrence)?;
        vault
            .delete_occurrence(&person.id, &uid, &original)
            .map_err(fail)
    })
    .await
}

/// Finds the original start of the occurrence of `uid` that `agenda_list`
/// named `occurrence`, by expanding the series around that day.
fn find_occurrence(
    vault: &Vault,
    person_id: &str,
    uid: &str,
    occurrence: &str,
) -> CommandResult<EventTime> {
    let invalid = || CommandError::new("error.invalid_argument").with("name", "occurrence");
    let day = occurrence
        .get(..10)
        .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .ok_or_else(invalid)?;
    // One day either side covers an occurrence whose zone differs from Paris.
    let from = (day - Duration::days(1)).and_time(NaiveTime::MIN);
    let to = (day + Duration::days(2)).and_time(NaiveTime::MIN);
    vault
        .events(Some(person_id), from, to)?
        .into_iter()
        .filter(|item| item.occurrence.uid == uid)
        .filter_map(|item| item.occurrence.recurrence_id)
        .find(|original| format_time(original) == occurrence)
        .ok_or_else(|| event_not_found(uid))
}

/// Imports the `.ics` file at `path` into the agenda of `person_id`.
#[tauri::command]
pub async fn agenda_import<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
    path: String,
) -> CommandResult<IcsImportSummary> {
    blocking(&app, move |_, state| {
        let lang = state.lang();
        let path = PathBuf::from(path);
        let bytes = read_bounded(&path)
            .map_err(|error| CommandError::from_vault(&VaultError::io(&path, error), lang))?;
        // The file is parsed before the vault is borrowed, so that a file-level error
        // can name why the file is unreadable and what to do.
        let report = carnet_core::agenda::ics::import_ics(&bytes).map_err(|error| {
            let reason = ics_file_error_message(&error).render(lang);
            CommandError::new("error.agenda_file_invalid")
                .with("file", file_name(&path))
                .with("reason", reason)
        })?;
        let mut slot = state.vault_slot()?;
        let vault = slot.as_mut().ok_or_else(CommandError::locked)?;
        let summary = vault
            .import_ics_report(&person_id, report)
            .map_err(|error| CommandError::from_vault(&error, lang))?;
        Ok(IcsImportSummary {
            imported: summary.imported,
            updated: summary.updated,
            rejected: summary
                .rejected
                .iter()
                .map(|rejection| IcsRejection {
                    line: rejection.line,
                    reason: CommandError::from_message(&rejection.reason, lang),
                })
                .collect(),
        })
    })
    .await
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads at most one byte more than the importer accepts, so that a huge file
/// costs no more memory than that and is still rejected as too large.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let limit = carnet_core::agenda::ics::contentline::MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
