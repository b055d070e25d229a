//! Agenda events and due vaccinations, computed by carnet-core from the vault's data.

use carnet_core::agenda::vaccination::DoseState;
use carnet_core::agenda::{EventKind, EventTime};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::json;
use tauri::{AppHandle, Runtime};

use super::blocking;
use crate::error::{CommandError, CommandResult};

/// Zone in which event times are shown, the one the vault sorts occurrences in.
const DISPLAY_TZ: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// Lists events between `from` and `to` (ISO 8601 dates, `to` included), for one
/// person or everyone, recurrences expanded.
#[tauri::command]
pub async fn agenda_list<R: Runtime>(
    app: AppHandle<R>,
    person_id: Option<String>,
    from: String,
    to: String,
) -> CommandResult<Vec<serde_json::Value>> {
    let from = parse_date(&from, "from")?.and_time(NaiveTime::MIN);
    let to = parse_date(&to, "to")?
        .succ_opt()
        .unwrap_or(NaiveDate::MAX)
        .and_time(NaiveTime::MIN);
    blocking(&app, move |_, state| {
        state.with_vault(|vault| {
            let items = vault.events(person_id.as_deref(), from, to)?;
            Ok(items
                .into_iter()
                .map(|item| {
                    let occurrence = &item.occurrence;
                    let id = match &occurrence.recurrence_id {
                        Some(original) => format!("{}@{}", occurrence.uid, format_time(original)),
                        None => occurrence.uid.clone(),
                    };
                    let mut event = json!({
                        "id": id,
                        "personId": item.person_id,
                        "title": item.event.summary.clone().unwrap_or_default(),
                        "start": format_time(&occurrence.start),
                        "end": format_time(&occurrence.end),
                        "allDay": occurrence.start.is_date(),
                    });
                    // An absent optional field is left out, as `location?: string`.
                    if let Some(location) = &item.event.location {
                        event["location"] = json!(location);
                    }
                    event["uid"] = json!(occurrence.uid);
                    event["kind"] = json!(match item.event.kind {
                        EventKind::Appointment => "appointment",
                        EventKind::Reminder => "reminder",
                    });
                    if let Some(original) = &occurrence.recurrence_id {
                        event["recurrenceId"] = json!(format_time(original));
                    }
                    event
                })
                .collect())
        })
    })
    .await
}

/// Formats an event time as ISO 8601: a date for all-day events, else the local
/// date-time in Europe/Paris.
pub(crate) fn format_time(time: &EventTime) -> String {
    match time {
        EventTime::Date { date } => date.format("%Y-%m-%d").to_string(),
        EventTime::Floating { local } => format_local(local),
        other => format_local(
            &other
                .to_utc(DISPLAY_TZ)
                .with_timezone(&DISPLAY_TZ)
                .naive_local(),
        ),
    }
}

fn format_local(local: &NaiveDateTime) -> String {
    local.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Lists the vaccinations not yet given for a person at the date `at`, from the
/// latest French vaccination calendar.
#[tauri::command]
pub async fn vaccinations_due<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
    at: String,
) -> CommandResult<Vec<serde_json::Value>> {
    let at = parse_date(&at, "at")?;
    blocking(&app, move |_, state| {
        state.with_vault(|vault| {
            let person = vault.person(&person_id)?;
            let doses = vault.vaccinations_due(&person.id, at)?;
            Ok(doses
                .into_iter()
                .filter_map(|dose| {
                    let status = match dose.state {
                        DoseState::Upcoming => "upcoming",
                        DoseState::Due => "due",
                        DoseState::Overdue => "overdue",
                        DoseState::Done { .. } | DoseState::Missed => return None,
                    };
                    let antigen = serde_json::to_value(dose.antigen).ok()?;
                    Some(json!({
                        "personId": person.id,
                        "labelKey": format!("agenda.antigen.{}", antigen.as_str()?),
                        "dueFrom": dose.due_on.format("%Y-%m-%d").to_string(),
                        "dueUntil": dose.overdue_after.map(|d| d.format("%Y-%m-%d").to_string()),
                        "mandatory": dose.mandatory,
                        "status": status,
                        "dose": dose.dose,
                    }))
                })
                .collect())
        })
    })
    .await
}

fn parse_date(text: &str, name: &str) -> CommandResult<NaiveDate> {
    let date_part = text.trim().get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .map_err(|_| CommandError::new("error.invalid_argument").with("name", name))
}
