//! Compulsory child check-ups and national prevention appointments
//! (M'T dents, Mon bilan prévention) as data, returned as suggestions the
//! user can plan, mark done or dismiss.
//!
//! Each suggestion has a stable id (`checkup-9m`, `mtdents-6y`,
//! `bilan-45-50y`) unique for a person, so the vault stores the user's
//! decision as a [`SuggestionDecision`] keyed by that id and passes it back.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::vaccination::Age;

const PROGRAMS: &[(u16, &str)] = &[(2025, include_str!("../data/prevention-2025.json"))];

/// Error loading a prevention programme.
#[derive(Debug, Error)]
pub enum ProgramError {
    #[error("no prevention programme for year {year}; available: {available:?}")]
    UnknownYear { year: u16, available: Vec<u16> },
    #[error("invalid prevention programme JSON: {0}")]
    Invalid(#[from] serde_json::Error),
}

/// Family of a suggestion, also the i18n key group (`agenda.suggestion.<id>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// One of the compulsory examinations of children (8 days to 16 years).
    ChildCheckup,
    /// M'T dents preventive dental examination.
    Dental,
    /// Mon bilan prévention at a key age.
    PreventionReview,
}

/// One entry of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreventionItem {
    pub id: String,
    pub kind: SuggestionKind,
    /// Age at which the suggestion opens.
    pub window_start: Age,
    /// Age at which it closes (excluded).
    pub window_end: Age,
    #[serde(default)]
    pub mandatory: bool,
    /// The examination gives rise to a *certificat de santé*.
    #[serde(default)]
    pub certificate: bool,
    /// Offered only when its window opens on or after this date.
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    /// Offered only when its window opens on or before this date.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
}

/// One year's prevention programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreventionProgram {
    pub year: u16,
    pub sources: Vec<String>,
    pub notes: Vec<String>,
    pub items: Vec<PreventionItem>,
}

impl PreventionProgram {
    /// Loads the programme of `year` shipped with Carnet.
    pub fn for_year(year: u16) -> Result<Self, ProgramError> {
        let (_, json) =
            PROGRAMS
                .iter()
                .find(|(y, _)| *y == year)
                .ok_or_else(|| ProgramError::UnknownYear {
                    year,
                    available: PROGRAMS.iter().map(|(y, _)| *y).collect(),
                })?;
        Ok(serde_json::from_str(json)?)
    }

    /// Loads the newest programme shipped with Carnet.
    pub fn latest() -> Self {
        let (_, json) = PROGRAMS.last().expect("at least one programme is shipped");
        serde_json::from_str(json).expect("shipped programmes are valid (checked by tests)")
    }
}

/// User's decision about a suggestion, stored by the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionDecision {
    pub id: String,
    pub decision: Decision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    Planned { on: NaiveDate },
    Done { on: NaiveDate },
    Dismissed,
}

/// State of a suggestion on the evaluation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SuggestionState {
    Upcoming,
    /// The window is open and nothing is planned.
    Open,
    Planned {
        on: NaiveDate,
    },
    Done {
        on: NaiveDate,
    },
    Dismissed,
    /// The window closed without a decision.
    Expired,
}

/// A check-up or prevention appointment proposed to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: String,
    pub kind: SuggestionKind,
    pub mandatory: bool,
    pub certificate: bool,
    pub window_start: NaiveDate,
    /// First day after the window.
    pub window_end: NaiveDate,
    pub state: SuggestionState,
}

/// Returns the programme's suggestions for someone born on `birth`,
/// evaluated on `at`, applying the user's decisions. Sorted by window start.
pub fn suggestions(
    program: &PreventionProgram,
    birth: NaiveDate,
    at: NaiveDate,
    decisions: &[SuggestionDecision],
) -> Vec<Suggestion> {
    let mut found: Vec<Suggestion> = program
        .items
        .iter()
        .filter_map(|item| {
            let window_start = item.window_start.reached_on(birth);
            let window_end = item.window_end.reached_on(birth);
            if item.valid_from.is_some_and(|from| window_start < from)
                || item.valid_until.is_some_and(|until| window_start > until)
            {
                return None;
            }
            let decision = decisions.iter().rev().find(|d| d.id == item.id);
            let state = match decision.map(|d| d.decision) {
                Some(Decision::Done { on }) => SuggestionState::Done { on },
                Some(Decision::Planned { on }) => SuggestionState::Planned { on },
                Some(Decision::Dismissed) => SuggestionState::Dismissed,
                None if at < window_start => SuggestionState::Upcoming,
                None if at < window_end => SuggestionState::Open,
                None => SuggestionState::Expired,
            };
            Some(Suggestion {
                id: item.id.clone(),
                kind: item.kind,
                mandatory: item.mandatory,
                certificate: item.certificate,
                window_start,
                window_end,
                state,
            })
        })
        .collect();
    found.sort_by(|a, b| (a.window_start, &a.id).cmp(&(b.window_start, &b.id)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn by_id<'a>(list: &'a [Suggestion], id: &str) -> &'a Suggestion {
        list.iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    #[test]
    fn twenty_checkups_for_a_child_born_in_2025() {
        let program = PreventionProgram::latest();
        let list = suggestions(&program, date(2025, 3, 10), date(2025, 3, 12), &[]);
        let checkups: Vec<&str> = list
            .iter()
            .filter(|s| s.kind == SuggestionKind::ChildCheckup)
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(checkups.len(), 20);
        assert!(!checkups.contains(&"checkup-1m"));
        assert!(checkups.contains(&"checkup-7y"));
    }

    #[test]
    fn twenty_checkups_for_a_child_born_in_2015() {
        let program = PreventionProgram::latest();
        let list = suggestions(&program, date(2015, 6, 1), date(2015, 6, 3), &[]);
        let checkups: Vec<&str> = list
            .iter()
            .filter(|s| s.kind == SuggestionKind::ChildCheckup)
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(checkups.len(), 20);
        assert!(checkups.contains(&"checkup-1m"));
        assert!(!checkups.contains(&"checkup-7y"));
    }

    #[test]
    fn cohort_straddling_2025_reform_keeps_both_exams() {
        // Born in 2020: the 1-month exam fell under the old calendar and the
        // 7-year exam falls under the new one.
        let program = PreventionProgram::latest();
        let list = suggestions(&program, date(2020, 6, 1), date(2020, 6, 3), &[]);
        let ids: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
        assert!(ids.contains(&"checkup-1m"));
        assert!(ids.contains(&"checkup-7y"));
    }

    #[test]
    fn windows_and_states() {
        let program = PreventionProgram::latest();
        let birth = date(2025, 3, 10);
        let decisions = [
            SuggestionDecision {
                id: "checkup-8d".into(),
                decision: Decision::Done {
                    on: date(2025, 3, 16),
                },
            },
            SuggestionDecision {
                id: "checkup-2w".into(),
                decision: Decision::Dismissed,
            },
        ];
        let list = suggestions(&program, birth, date(2025, 6, 20), &decisions);
        let cases = [
            (
                "checkup-8d",
                date(2025, 3, 10),
                date(2025, 3, 18),
                SuggestionState::Done {
                    on: date(2025, 3, 16),
                },
            ),
            (
                "checkup-2w",
                date(2025, 3, 18),
                date(2025, 3, 25),
                SuggestionState::Dismissed,
            ),
            (
                "checkup-3m",
                date(2025, 5, 11),
                date(2025, 6, 11),
                SuggestionState::Expired,
            ),
            (
                "checkup-4m",
                date(2025, 6, 11),
                date(2025, 7, 11),
                SuggestionState::Open,
            ),
            (
                "checkup-9m",
                date(2025, 11, 11),
                date(2025, 12, 11),
                SuggestionState::Upcoming,
            ),
            (
                "mtdents-3y",
                date(2028, 3, 10),
                date(2029, 3, 10),
                SuggestionState::Upcoming,
            ),
            (
                "bilan-18-25y",
                date(2043, 3, 10),
                date(2051, 3, 10),
                SuggestionState::Upcoming,
            ),
        ];
        for (id, start, end, state) in cases {
            let suggestion = by_id(&list, id);
            assert_eq!(suggestion.window_start, start, "{id}");
            assert_eq!(suggestion.window_end, end, "{id}");
            assert_eq!(suggestion.state, state, "{id}");
        }
        assert!(by_id(&list, "checkup-9m").certificate);
    }

    #[test]
    fn dental_and_review_ages() {
        let program = PreventionProgram::latest();
        let ids: Vec<String> = program.items.iter().map(|i| i.id.clone()).collect();
        for age in [3, 6, 9, 12, 15, 18, 21, 24] {
            assert!(
                ids.contains(&format!("mtdents-{age}y")),
                "M'T dents at {age}"
            );
        }
        for range in ["18-25", "45-50", "60-65", "70-75"] {
            assert!(ids.contains(&format!("bilan-{range}y")), "bilan {range}");
        }
    }

    #[test]
    fn dental_yearly_from_april_2025() {
        let program = PreventionProgram::latest();
        // Born 2018-06-01: the 4th birthday (2022) was under the three-yearly rule,
        // the 7th (2025-06-01) is after the switch to a yearly examination.
        let list = suggestions(&program, date(2018, 6, 1), date(2025, 7, 1), &[]);
        let ids: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
        assert!(!ids.contains(&"mtdents-4y"), "{ids:?}");
        assert!(!ids.contains(&"mtdents-5y"), "{ids:?}");
        assert!(ids.contains(&"mtdents-6y"), "{ids:?}");
        assert_eq!(by_id(&list, "mtdents-7y").state, SuggestionState::Open);
        assert_eq!(by_id(&list, "mtdents-7y").window_end, date(2026, 6, 1));
        for age in 8..=24 {
            assert!(ids.contains(&format!("mtdents-{age}y").as_str()), "{age}");
        }
    }

    #[test]
    fn adult_of_47_has_open_review() {
        let program = PreventionProgram::latest();
        let list = suggestions(&program, date(1978, 5, 1), date(2025, 6, 1), &[]);
        assert_eq!(by_id(&list, "bilan-45-50y").state, SuggestionState::Open);
        assert_eq!(by_id(&list, "bilan-18-25y").state, SuggestionState::Expired);
    }
}
