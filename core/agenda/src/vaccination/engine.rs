//! Compares a person's recorded vaccinations with the calendar.
//!
//! Each rule that applies to the person's birth cohort becomes one or more
//! slots (a repeating booster gives one slot per interval, a seasonal
//! vaccine one slot for the current or next campaign). Recorded doses are
//! then matched per antigen, oldest first, to the earliest open slot whose
//! age range contains the dose, so a late catch-up dose fills the dose that
//! was missed rather than a later one.
//!
//! A dose counts at most once per antigen and day, and only from the slot's
//! youngest age and from the minimum interval after the previous counted dose
//! of the same antigen. A dose that does not count is listed on the slot it
//! would have filled, with the reason.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Antigen;
use super::calendar::{Age, DoseKind, DoseRule, VaccinationCalendar};
use super::codes::{CodeSystem, antigens_for_code};

/// Upper bound on the repetitions generated for a `repeat_every` rule.
const MAX_REPETITIONS: u32 = 20;
/// Default time between the due date and the overdue date.
const DEFAULT_GRACE_MONTHS: u32 = 2;
/// Minimum interval between two counted doses of one antigen, unless the
/// calendar rule gives its own `min_interval`.
/// NOTE: 4 weeks is the shortest minimum interval between doses of one
/// vaccine series in the table "Recommended and minimum ages and intervals
/// between vaccine doses" of the US ACIP General Best Practice Guidelines for
/// Immunization (summarised by immunize.org, "Ask the Experts: Scheduling
/// Vaccines"). Several doses need longer (HPV dose 2 at least 5 months after
/// dose 1), and the French calendar data does not give those intervals yet, so
/// such a dose counts from 28 days on.
pub const DEFAULT_MIN_INTERVAL_DAYS: u64 = 28;

/// One vaccination given to the person, as recorded by hand or imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccinationRecord {
    pub date: NaiveDate,
    pub antigens: Vec<Antigen>,
}

impl VaccinationRecord {
    /// Builds a record from a vaccine code, or returns `None` when the code
    /// maps to no antigen (see [`antigens_for_code`]).
    pub fn from_code(date: NaiveDate, system: CodeSystem, code: &str) -> Option<Self> {
        let antigens = antigens_for_code(system, code)?;
        Some(VaccinationRecord {
            date,
            antigens: antigens.to_vec(),
        })
    }
}

/// State of one dose on the evaluation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DoseState {
    Done {
        on: NaiveDate,
    },
    /// The recommended age is reached and the dose is not late yet.
    Due,
    Overdue,
    Upcoming,
    /// The dose was not given and is no longer proposed at this age.
    Missed,
}

/// A recorded dose that did not count for a slot, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum UncountedDose {
    /// Given before the youngest age at which a dose counts for the slot.
    TooYoung {
        on: NaiveDate,
        /// First date a dose counts for the slot.
        counts_from: NaiveDate,
    },
    /// Given less than the minimum interval after the previous counted dose
    /// of the same antigen.
    TooSoon {
        on: NaiveDate,
        previous: NaiveDate,
        /// First date a dose counts after `previous`.
        counts_from: NaiveDate,
    },
}

/// Status of one antigen for one dose of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoseStatus {
    /// Id of the calendar rule, with `@<n>` appended for the n-th repetition
    /// of a repeating booster and `@<year>` for a seasonal campaign.
    pub id: String,
    pub rule_id: String,
    pub vaccine: String,
    pub antigen: Antigen,
    pub dose: u8,
    pub kind: DoseKind,
    pub mandatory: bool,
    /// Recommended age of this dose.
    pub age: Age,
    /// Date the dose becomes due.
    pub due_on: NaiveDate,
    /// Earliest date a dose counts for this slot.
    pub window_start: NaiveDate,
    /// Date after which the dose is overdue, if it can be.
    pub overdue_after: Option<NaiveDate>,
    /// Date after which the dose is no longer proposed.
    pub last_date: Option<NaiveDate>,
    pub state: DoseState,
    /// Recorded doses that would have filled this slot but did not count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncounted: Vec<UncountedDose>,
}

struct Slot<'a> {
    id: String,
    rule: &'a DoseRule,
    age: Age,
    due_on: NaiveDate,
    window_start: NaiveDate,
    overdue_after: Option<NaiveDate>,
    last_date: Option<NaiveDate>,
}

/// Evaluates the calendar for someone born on `birth`, on date `at`, given
/// the vaccinations already recorded. Returns one status per antigen and
/// dose, sorted by due date.
pub fn evaluate(
    calendar: &VaccinationCalendar,
    birth: NaiveDate,
    at: NaiveDate,
    records: &[VaccinationRecord],
) -> Vec<DoseStatus> {
    let slots: Vec<Slot<'_>> = calendar
        .rules
        .iter()
        .filter(|rule| rule.applies_to(birth))
        .flat_map(|rule| slots_for(rule, calendar, birth, at))
        .collect();

    // Per antigen, the slots in due order and the recorded dates in order.
    let mut done: BTreeMap<(usize, Antigen), NaiveDate> = BTreeMap::new();
    let mut uncounted: BTreeMap<(usize, Antigen), Vec<UncountedDose>> = BTreeMap::new();
    let antigens: std::collections::BTreeSet<Antigen> = slots
        .iter()
        .flat_map(|s| s.rule.antigens.iter().copied())
        .collect();
    for antigen in antigens {
        let mut open: Vec<usize> = (0..slots.len())
            .filter(|&i| slots[i].rule.antigens.contains(&antigen))
            .collect();
        open.sort_by_key(|&i| (slots[i].due_on, slots[i].rule.dose));
        let mut dates: Vec<NaiveDate> = records
            .iter()
            .filter(|r| r.antigens.contains(&antigen))
            .map(|r| r.date)
            .collect();
        // The same injection recorded twice, or a combined vaccine recorded
        // with one of its parts, counts once.
        dates.sort_unstable();
        dates.dedup();
        let mut previous: Option<NaiveDate> = None;
        for date in dates {
            let Some(&first_open) = open.first() else {
                break;
            };
            let fits = |&&i: &&usize| {
                let slot = &slots[i];
                slot.window_start <= date && slot.last_date.is_none_or(|last| date <= last)
            };
            let Some(position) = open.iter().position(|i| fits(&i)) else {
                let counts_from = slots[first_open].window_start;
                if date < counts_from {
                    uncounted.entry((first_open, antigen)).or_default().push(
                        UncountedDose::TooYoung {
                            on: date,
                            counts_from,
                        },
                    );
                }
                continue;
            };
            let index = open[position];
            if let Some(previous) = previous {
                let counts_from = earliest_after(slots[index].rule, previous);
                if date < counts_from {
                    uncounted
                        .entry((index, antigen))
                        .or_default()
                        .push(UncountedDose::TooSoon {
                            on: date,
                            previous,
                            counts_from,
                        });
                    continue;
                }
            }
            done.insert((open.remove(position), antigen), date);
            previous = Some(date);
        }
    }

    let mut statuses = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        for &antigen in &slot.rule.antigens {
            let state = match done.get(&(index, antigen)) {
                Some(&on) => DoseState::Done { on },
                None => state_on(slot, at),
            };
            statuses.push(DoseStatus {
                id: slot.id.clone(),
                rule_id: slot.rule.id.clone(),
                vaccine: slot.rule.vaccine.clone(),
                antigen,
                dose: slot.rule.dose,
                kind: slot.rule.kind,
                mandatory: slot.rule.is_mandatory(birth, antigen),
                age: slot.age,
                due_on: slot.due_on,
                window_start: slot.window_start,
                overdue_after: slot.overdue_after,
                last_date: slot.last_date,
                state,
                uncounted: uncounted.remove(&(index, antigen)).unwrap_or_default(),
            });
        }
    }
    statuses.sort_by(|a, b| (a.due_on, &a.id, a.antigen).cmp(&(b.due_on, &b.id, b.antigen)));
    statuses
}

/// First date a dose counts for `rule` after a counted dose on `previous`.
fn earliest_after(rule: &DoseRule, previous: NaiveDate) -> NaiveDate {
    match rule.min_interval {
        Some(interval) => interval.reached_on(previous),
        None => previous
            .checked_add_days(Days::new(DEFAULT_MIN_INTERVAL_DAYS))
            .unwrap_or(NaiveDate::MAX),
    }
}

fn state_on(slot: &Slot<'_>, at: NaiveDate) -> DoseState {
    if slot.last_date.is_some_and(|last| at > last) {
        DoseState::Missed
    } else if at < slot.due_on {
        DoseState::Upcoming
    } else if slot.overdue_after.is_some_and(|late| at > late) {
        DoseState::Overdue
    } else {
        DoseState::Due
    }
}

fn slots_for<'a>(
    rule: &'a DoseRule,
    calendar: &VaccinationCalendar,
    birth: NaiveDate,
    at: NaiveDate,
) -> Vec<Slot<'a>> {
    if rule.seasonal {
        return seasonal_slot(rule, calendar, birth, at)
            .into_iter()
            .collect();
    }
    let Some(interval) = rule.repeat_every else {
        return vec![age_slot(
            rule,
            rule.id.clone(),
            rule.age,
            Age::default(),
            birth,
        )];
    };
    // A repeating booster: every slot already due, plus the next one.
    let mut slots = Vec::new();
    let mut shift = Age::default();
    for repetition in 0..MAX_REPETITIONS {
        let id = if repetition == 0 {
            rule.id.clone()
        } else {
            format!("{}@{repetition}", rule.id)
        };
        let slot = age_slot(rule, id, rule.age.plus(shift), shift, birth);
        let upcoming = slot.due_on > at;
        slots.push(slot);
        if upcoming {
            break;
        }
        shift = shift.plus(interval);
    }
    slots
}

/// Builds the slot at a fixed age. `shift` moves the rule's other ages along with it.
fn age_slot<'a>(
    rule: &'a DoseRule,
    id: String,
    age: Age,
    shift: Age,
    birth: NaiveDate,
) -> Slot<'a> {
    let due_on = age.reached_on(birth);
    let window_start = rule
        .min_age
        .unwrap_or(rule.age)
        .plus(shift)
        .reached_on(birth);
    let overdue_after = match rule.late_after {
        Some(late) => late.plus(shift).reached_on(birth),
        None => due_on
            .checked_add_months(Months::new(DEFAULT_GRACE_MONTHS))
            .unwrap_or(NaiveDate::MAX),
    };
    Slot {
        id,
        rule,
        age,
        due_on,
        window_start: window_start.min(due_on),
        overdue_after: Some(overdue_after),
        last_date: rule.last_age.map(|last| last.plus(shift).reached_on(birth)),
    }
}

/// Builds the slot of the campaign running on `at`, or of the next one once
/// the person has reached the rule's age. A seasonal dose is never overdue: after the
/// campaign it is proposed again the next autumn.
fn seasonal_slot<'a>(
    rule: &'a DoseRule,
    calendar: &VaccinationCalendar,
    birth: NaiveDate,
    at: NaiveDate,
) -> Option<Slot<'a>> {
    let eligible = rule.age.reached_on(birth);
    let mut year = at.year() - 1;
    let (start, end) = loop {
        let (start, end) = calendar.season.dates(year)?;
        if end >= at && end >= eligible {
            break (start, end);
        }
        year += 1;
        if year > at.year() + 200 {
            return None;
        }
    };
    let due_on = start.max(eligible);
    Some(Slot {
        id: format!("{}@{}", rule.id, start.year()),
        rule,
        age: rule.age,
        due_on,
        window_start: start.checked_sub_months(Months::new(1)).unwrap_or(start),
        overdue_after: None,
        last_date: Some(end),
    })
}
