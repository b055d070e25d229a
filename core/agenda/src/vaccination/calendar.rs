//! The French vaccination calendar as data: one JSON file per calendar year
//! under `data/`, compiled into the crate and read with serde.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Antigen;

/// JSON of each calendar year Carnet ships, newest last.
const CALENDARS: &[(u16, &str)] = &[(
    2025,
    include_str!("../../data/calendrier-vaccinal-2025.json"),
)];

/// Error loading a vaccination calendar.
#[derive(Debug, Error)]
pub enum CalendarError {
    #[error("no vaccination calendar for year {year}; available: {available:?}")]
    UnknownYear { year: u16, available: Vec<u16> },
    #[error("invalid vaccination calendar JSON: {0}")]
    Invalid(#[from] serde_json::Error),
}

/// An age written as years, months, weeks and days (`{"years": 11, "months": 6}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Age {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub years: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub months: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub weeks: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub days: u32,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

impl Age {
    pub fn years(years: u32) -> Self {
        Age {
            years,
            ..Age::default()
        }
    }

    /// Date on which someone born on `birth` reaches this age. Month
    /// arithmetic clamps to the end of a shorter month (31 January + 1 month
    /// is 28 or 29 February).
    pub fn reached_on(&self, birth: NaiveDate) -> NaiveDate {
        birth
            .checked_add_months(Months::new(self.years * 12 + self.months))
            .and_then(|d| {
                d.checked_add_days(Days::new(u64::from(self.weeks) * 7 + u64::from(self.days)))
            })
            .unwrap_or(NaiveDate::MAX)
    }

    /// Adds `other` to this age.
    pub fn plus(&self, other: Age) -> Age {
        Age {
            years: self.years + other.years,
            months: self.months + other.months,
            weeks: self.weeks + other.weeks,
            days: self.days + other.days,
        }
    }
}

/// Role of a dose in its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DoseKind {
    Primary,
    Booster,
    /// Once per autumn campaign.
    Seasonal,
}

/// One dose of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoseRule {
    /// Stable id, also the i18n key suffix (`agenda.dose.<id>`).
    pub id: String,
    /// Vaccine family, the i18n key suffix of its label (`agenda.vaccine.<vaccine>`).
    pub vaccine: String,
    pub antigens: Vec<Antigen>,
    /// Position of the dose in its series, counted from 1.
    pub dose: u8,
    pub kind: DoseKind,
    /// Recommended age.
    pub age: Age,
    /// Youngest age at which a recorded dose counts for this rule (defaults to `age`).
    #[serde(default)]
    pub min_age: Option<Age>,
    /// Age after which the dose is overdue (defaults to `age` + 2 months).
    #[serde(default)]
    pub late_after: Option<Age>,
    /// Age after which the dose is no longer proposed.
    #[serde(default)]
    pub last_age: Option<Age>,
    /// Applies to people born on or after this date.
    #[serde(default)]
    pub born_from: Option<NaiveDate>,
    /// Applies to people born before this date.
    #[serde(default)]
    pub born_before: Option<NaiveDate>,
    /// The dose is mandatory for people born on or after this date.
    #[serde(default)]
    pub mandatory_from: Option<NaiveDate>,
    /// Antigens of the dose that were mandatory before `mandatory_from`
    /// (diphtheria, tetanus and polio for children born before 2018).
    #[serde(default)]
    pub mandatory_antigens_before_cohort: Vec<Antigen>,
    /// Minimum time after the previous counted dose of the same antigen for
    /// a dose to count for this rule (defaults to 28 days).
    #[serde(default)]
    pub min_interval: Option<Age>,
    /// Repeats at this interval after `age`, for life.
    #[serde(default)]
    pub repeat_every: Option<Age>,
    /// Given once per campaign season from `age` on.
    #[serde(default)]
    pub seasonal: bool,
    /// Row not checked against the official PDF (see the file's notes).
    #[serde(default)]
    pub unchecked: bool,
    /// Series name when an antigen has several independent series (adult boosters).
    #[serde(default)]
    pub series: Option<String>,
}

impl DoseRule {
    /// Returns whether the rule applies to someone born on `birth`.
    pub fn applies_to(&self, birth: NaiveDate) -> bool {
        self.born_from.is_none_or(|from| birth >= from)
            && self.born_before.is_none_or(|before| birth < before)
    }

    /// Returns whether `antigen` of this dose is mandatory for someone born on `birth`.
    pub fn is_mandatory(&self, birth: NaiveDate, antigen: Antigen) -> bool {
        match self.mandatory_from {
            Some(from) if birth >= from => true,
            Some(_) => self.mandatory_antigens_before_cohort.contains(&antigen),
            None => false,
        }
    }
}

/// Dates of the yearly autumn campaign (month and day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Season {
    pub start_month: u32,
    pub start_day: u32,
    pub end_month: u32,
    pub end_day: u32,
    #[serde(default)]
    pub unchecked: bool,
}

impl Season {
    /// Start and last day of the campaign that starts in `year`.
    pub fn dates(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let start = NaiveDate::from_ymd_opt(year, self.start_month, self.start_day)?;
        let end_year = if self.end_month < self.start_month {
            year + 1
        } else {
            year
        };
        let end = NaiveDate::from_ymd_opt(end_year, self.end_month, self.end_day)?;
        Some((start, end))
    }
}

/// One year's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccinationCalendar {
    pub year: u16,
    /// Official document the data encodes.
    pub source: String,
    pub notes: Vec<String>,
    pub season: Season,
    pub rules: Vec<DoseRule>,
}

impl VaccinationCalendar {
    /// Loads the calendar of `year` shipped with Carnet.
    pub fn for_year(year: u16) -> Result<Self, CalendarError> {
        let (_, json) = CALENDARS.iter().find(|(y, _)| *y == year).ok_or_else(|| {
            CalendarError::UnknownYear {
                year,
                available: CALENDARS.iter().map(|(y, _)| *y).collect(),
            }
        })?;
        Self::from_json(json)
    }

    /// Loads the newest calendar shipped with Carnet.
    pub fn latest() -> Self {
        let (_, json) = CALENDARS.last().expect("at least one calendar is shipped");
        Self::from_json(json).expect("shipped calendars are valid (checked by tests)")
    }

    /// Parses a calendar from JSON (shipped or downloaded later). Nesting
    /// depth is bounded by `serde_json`'s recursion limit (128).
    pub fn from_json(json: &str) -> Result<Self, CalendarError> {
        Ok(serde_json::from_str(json)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_calendar_loads() {
        for (year, _) in CALENDARS {
            let calendar = VaccinationCalendar::for_year(*year).unwrap();
            assert_eq!(calendar.year, *year);
            assert!(!calendar.rules.is_empty());
        }
    }

    #[test]
    fn rule_ids_are_unique() {
        let calendar = VaccinationCalendar::latest();
        let mut ids: Vec<&str> = calendar.rules.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before);
    }

    #[test]
    fn unknown_year_lists_available_years() {
        let error = VaccinationCalendar::for_year(1990).unwrap_err();
        assert!(error.to_string().contains("2025"));
    }

    #[test]
    fn age_clamps_to_month_end() {
        let birth = NaiveDate::from_ymd_opt(2025, 1, 31).unwrap();
        let age = Age {
            months: 1,
            ..Age::default()
        };
        assert_eq!(
            age.reached_on(birth),
            NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()
        );
    }
}
