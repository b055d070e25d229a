//! Check-ups and prevention appointments proposed to a person, and the user's
//! decision on each (planned, done, dismissed).

use carnet_core::agenda::prevention::{Decision, SuggestionKind, SuggestionState};
use chrono::NaiveDate;
use serde::Serialize;
use tauri::{AppHandle, Runtime};

use super::blocking;
use crate::error::{CommandError, CommandResult};

/// One suggestion of `prevention_list`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreventionSuggestion {
    pub person_id: String,
    /// Stable id within the programme, such as `checkup-9m`.
    pub id: String,
    /// i18n key of its label, under `agenda.suggestion.`.
    pub label_key: String,
    /// `child_checkup`, `dental` or `prevention_review`.
    pub kind: String,
    pub mandatory: bool,
    /// The examination gives rise to a *certificat de santé*.
    pub certificate: bool,
    /// First day of the recommended window, `YYYY-MM-DD`.
    pub window_start: String,
    /// First day after the window.
    pub window_end: String,
    /// `upcoming`, `open`, `planned`, `done`, `dismissed` or `expired`.
    pub state: String,
    /// Date of the planned or done examination.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn parse_day(text: &str, name: &str) -> CommandResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| CommandError::new("error.invalid_argument").with("name", name))
}

/// Lists the prevention programme's suggestions for `person_id` on the date `at`.
#[tauri::command]
pub async fn prevention_list<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
    at: String,
) -> CommandResult<Vec<PreventionSuggestion>> {
    let at = parse_day(&at, "at")?;
    blocking(&app, move |_, state| {
        let suggestions = state.with_vault(|vault| vault.prevention_suggestions(&person_id, at))?;
        Ok(suggestions
            .into_iter()
            .map(|suggestion| {
                let (state, on) = match suggestion.state {
                    SuggestionState::Upcoming => ("upcoming", None),
                    SuggestionState::Open => ("open", None),
                    SuggestionState::Planned { on } => ("planned", Some(day(on))),
                    SuggestionState::Done { on } => ("done", Some(day(on))),
                    SuggestionState::Dismissed => ("dismissed", None),
                    SuggestionState::Expired => ("expired", None),
                };
                PreventionSuggestion {
                    person_id: person_id.clone(),
                    label_key: format!("agenda.suggestion.{}", suggestion.id),
                    id: suggestion.id,
                    kind: match suggestion.kind {
                        SuggestionKind::ChildCheckup => "child_checkup",
                        SuggestionKind::Dental => "dental",
                        SuggestionKind::PreventionReview => "prevention_review",
                    }
                    .to_owned(),
                    mandatory: suggestion.mandatory,
                    certificate: suggestion.certificate,
                    window_start: day(suggestion.window_start),
                    window_end: day(suggestion.window_end),
                    state: state.to_owned(),
                    on,
                }
            })
            .collect())
    })
    .await
}

/// Records the user's decision on a suggestion: `plan` (with the planned date
/// `on`), `done` (on `on`, or today) or `dismiss`.
#[tauri::command]
pub async fn prevention_decide<R: Runtime>(
    app: AppHandle<R>,
    person_id: String,
    suggestion_id: String,
    decision: String,
    on: Option<String>,
) -> CommandResult<()> {
    let on = on
        .as_deref()
        .filter(|text| !text.trim().is_empty())
        .map(|text| parse_day(text, "on"))
        .transpose()?;
    let decision = match decision.as_str() {
        "plan" => Decision::Planned {
            on: on.ok_or_else(|| CommandError::new("error.invalid_argument").with("name", "on"))?,
        },
        "done" => Decision::Done {
            on: on.unwrap_or_else(|| chrono::Local::now().date_naive()),
        },
        "dismiss" => Decision::Dismissed,
        _ => return Err(CommandError::new("error.invalid_argument").with("name", "decision")),
    };
    blocking(&app, move |_, state| {
        state.with_vault(|vault| vault.decide_suggestion(&person_id, &suggestion_id, decision))
    })
    .await
}
