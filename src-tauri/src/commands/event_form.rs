//! The event form of the front end (`EventInput` and `EventDetail` in
//! `ui/src/lib/api.ts`) and its conversion to and from carnet-core's [`Event`].
//!
//! The form covers what a family agenda needs. It has a title, an all-day date
//! or a start and end in Europe/Paris, the kind, the practitioner or facility,
//! the specialty, the address, notes and alarms as minutes before the start. It
//! repeats by one simple rule: daily, weekly, monthly or yearly, with a count or
//! an end date.
//! Fields an imported event carries beyond that (other alarms, a rule with
//! BYDAY parts, categories) are kept as they are when the form is saved.

use carnet_core::agenda::event::{Alarm, AlarmAction, IcsDuration, Trigger, TriggerRelation};
use carnet_core::agenda::rule::{Frequency, RecurrenceRule};
use carnet_core::agenda::{Event, EventEnd, EventKind, EventTime, EventValidationError};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::error::{CommandError, CommandResult};

/// Zone of the times the form shows and sends.
pub const FORM_TZ: chrono_tz::Tz = chrono_tz::Europe::Paris;
/// Length of a new timed event when the form gives no end, in minutes.
pub const DEFAULT_MINUTES: i64 = 30;
/// Maximum length of the title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Maximum length of the other text fields, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Maximum alarm lead time: four weeks, in minutes.
pub const MAX_ALARM_MINUTES: u32 = 4 * 7 * 24 * 60;
/// Maximum number of alarms on one event.
pub const MAX_ALARMS: usize = 5;
/// Allowed occurrence counts of a repeating event.
pub const COUNT_RANGE: std::ops::RangeInclusive<u32> = 1..=500;

/// The event as the create and edit dialog sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventInput {
    pub person_id: String,
    pub title: String,
    #[serde(default)]
    pub all_day: bool,
    /// `YYYY-MM-DD` for an all-day event, else `YYYY-MM-DDTHH:MM` in Europe/Paris.
    pub start: String,
    /// Same form as `start`; for an all-day event, the last day (included).
    #[serde(default)]
    pub end: Option<String>,
    /// `appointment` or `reminder`.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub practitioner: Option<String>,
    #[serde(default)]
    pub facility: Option<String>,
    #[serde(default)]
    pub specialty: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Alarms, in minutes before the start.
    #[serde(default)]
    pub alarms: Vec<u32>,
    /// `None` keeps the stored rule of an edited event (or none for a new one).
    #[serde(default)]
    pub recurrence: Option<RecurrenceInput>,
}

/// A simple repetition rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecurrenceInput {
    /// `none`, `daily`, `weekly`, `monthly` or `yearly`.
    pub frequency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Last day an occurrence may start on, `YYYY-MM-DD` (included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// An event with every field the dialog edits, as `event_get` returns it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDetail {
    pub person_id: String,
    pub uid: String,
    pub title: String,
    pub all_day: bool,
    pub start: String,
    pub end: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specialty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub alarms: Vec<u32>,
    /// The rule when the form can show it; `None` for a one-off event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<RecurrenceInput>,
    /// The event repeats by a rule or dates the form cannot show; the dialog
    /// then leaves the repetition unchanged.
    pub custom_recurrence: bool,
}

/// Creates a field error: `key` is an `error.event_*` message and `field` the
/// form field the front end shows it under.
fn field_error(key: &str, field: &str) -> CommandError {
    CommandError::new(key).with("field", field)
}

fn parse_day(text: &str, field: &str) -> CommandResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| field_error("error.event_date_invalid", field))
}

fn parse_local(text: &str, field: &str) -> CommandResult<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| field_error("error.event_date_invalid", field))
}

/// Trims an optional text, dropping it when empty, and checks its length.
fn clean_text(value: &Option<String>, field: &str) -> CommandResult<Option<String>> {
    let Some(text) = value.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(field_error("error.event_text_too_long", field).with("max", MAX_TEXT_CHARS));
    }
    Ok(Some(text.to_owned()))
}

/// Returns the alarm as minutes before the start, or `None` when the form cannot show it that way.
fn simple_alarm_minutes(alarm: &Alarm) -> Option<u32> {
    let Trigger::Relative { offset, related } = &alarm.trigger else {
        return None;
    };
    let shown = matches!(alarm.action, AlarmAction::Display | AlarmAction::Audio);
    if !shown
        || *related != TriggerRelation::Start
        || (!offset.negative && offset.as_exact() > Duration::zero())
    {
        return None;
    }
    u32::try_from(offset.as_exact().num_minutes().unsigned_abs()).ok()
}

fn display_alarm(minutes: u32, title: &str) -> Alarm {
    Alarm {
        action: AlarmAction::Display,
        trigger: Trigger::Relative {
            offset: IcsDuration {
                negative: minutes > 0,
                days: minutes / (24 * 60),
                hours: minutes % (24 * 60) / 60,
                minutes: minutes % 60,
                ..IcsDuration::default()
            },
            related: TriggerRelation::Start,
        },
        // RFC 5545 requires a DESCRIPTION on a DISPLAY alarm.
        description: Some(title.to_owned()),
        summary: None,
        attendees: Vec::new(),
        repeat: None,
        repeat_interval: None,
    }
}

fn frequency_of(name: &str) -> CommandResult<Option<Frequency>> {
    Ok(match name {
        "none" | "" => None,
        "daily" => Some(Frequency::Daily),
        "weekly" => Some(Frequency::Weekly),
        "monthly" => Some(Frequency::Monthly),
        "yearly" => Some(Frequency::Yearly),
        _ => return Err(field_error("error.event_frequency_invalid", "frequency")),
    })
}

fn frequency_name(frequency: Frequency) -> Option<&'static str> {
    match frequency {
        Frequency::Daily => Some("daily"),
        Frequency::Weekly => Some("weekly"),
        Frequency::Monthly => Some("monthly"),
        Frequency::Yearly => Some("yearly"),
        _ => None,
    }
}

/// Builds the rule of `input` for an event starting at `start`.
fn build_rule(input: &RecurrenceInput, start: &EventTime) -> CommandResult<Option<RecurrenceRule>> {
    let Some(frequency) = frequency_of(&input.frequency)? else {
        return Ok(None);
    };
    let mut rule = RecurrenceRule::new(frequency);
    match (
        input.count,
        input.until.as_deref().filter(|u| !u.trim().is_empty()),
    ) {
        (Some(_), Some(_)) => return Err(field_error("error.event_count_and_until", "until")),
        (Some(count), None) => {
            if !COUNT_RANGE.contains(&count) {
                return Err(field_error("error.event_count_range", "count")
                    .with("min", *COUNT_RANGE.start())
                    .with("max", *COUNT_RANGE.end()));
            }
            rule.count = Some(count);
        }
        (None, Some(until)) => {
            let day = parse_day(until, "until")?;
            if day < start.naive_local().date() {
                return Err(field_error("error.event_until_before_start", "until"));
            }
            // RFC 5545 §3.3.10: UNTIL is a DATE when DTSTART is one, else a UTC
            // time. The last second of the day keeps an occurrence on it.
            rule.until = Some(if start.is_date() {
                EventTime::Date { date: day }
            } else {
                let last = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
                EventTime::Utc {
                    instant: carnet_core::agenda::event::local_to_utc(last, FORM_TZ),
                }
            });
        }
        (None, None) => {}
    }
    Ok(Some(rule))
}

/// Applies the form to `event`, a new event or the stored master of the series
/// being edited. Fields the form does not show are kept.
pub fn apply_input(event: &mut Event, input: &EventInput) -> CommandResult<()> {
    let title = input.title.trim();
    if title.is_empty() {
        return Err(field_error("error.event_title_missing", "title"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(field_error("error.event_text_too_long", "title").with("max", MAX_TITLE_CHARS));
    }

    let (start, end) = if input.all_day {
        let first = parse_day(&input.start, "start")?;
        let last = match input.end.as_deref().filter(|e| !e.trim().is_empty()) {
            Some(text) => parse_day(text, "end")?,
            None => first,
        };
        if last < first {
            return Err(field_error("error.event_end_before_start", "end"));
        }
        // DTEND of an all-day event is the day after the last one (RFC 5545 §3.6.1).
        let after = last.succ_opt().unwrap_or(last);
        (
            EventTime::Date { date: first },
            EventEnd::At {
                time: EventTime::Date { date: after },
            },
        )
    } else {
        let first = parse_local(&input.start, "start")?;
        let last = match input.end.as_deref().filter(|e| !e.trim().is_empty()) {
            Some(text) => parse_local(text, "end")?,
            None => first + Duration::minutes(DEFAULT_MINUTES),
        };
        if last < first {
            return Err(field_error("error.event_end_before_start", "end"));
        }
        (
            EventTime::paris(first),
            EventEnd::At {
                time: EventTime::paris(last),
            },
        )
    };

    let kind = match input.kind.as_deref().unwrap_or("appointment") {
        "appointment" => EventKind::Appointment,
        "reminder" => EventKind::Reminder,
        _ => return Err(field_error("error.event_kind_invalid", "kind")),
    };

    if input.alarms.len() > MAX_ALARMS {
        return Err(field_error("error.event_alarm_count", "alarms").with("max", MAX_ALARMS));
    }
    if input.alarms.iter().any(|m| *m > MAX_ALARM_MINUTES) {
        return Err(field_error("error.event_alarm_range", "alarms")
            .with("max", MAX_ALARM_MINUTES / 60 / 24));
    }

    let rule = match &input.recurrence {
        Some(recurrence) => Some(build_rule(recurrence, &start)?),
        None => None,
    };

    event.summary = Some(title.to_owned());
    event.kind = kind;
    event.appointment.practitioner = clean_text(&input.practitioner, "practitioner")?;
    event.appointment.facility = clean_text(&input.facility, "facility")?;
    event.appointment.specialty = clean_text(&input.specialty, "specialty")?;
    event.appointment.address = clean_text(&input.address, "address")?;
    event.appointment.notes = clean_text(&input.notes, "notes")?;
    // The address is also the iCalendar LOCATION, which other calendars show.
    event.location = event
        .appointment
        .address
        .clone()
        .or_else(|| event.appointment.facility.clone());
    // Excluded occurrences (EXDATE) follow the series when its start moves, so an
    // occurrence deleted before the edit stays deleted.
    if !event.recurrence.exceptions.is_empty() {
        let shift = start.naive_local() - event.start.naive_local();
        event.recurrence.exceptions = event
            .recurrence
            .exceptions
            .iter()
            .map(|excluded| start.with_local(excluded.local_in_frame_of(&event.start) + shift))
            .collect();
    }
    event.start = start;
    event.end = Some(end);

    let mut minutes = input.alarms.clone();
    minutes.sort_unstable();
    minutes.dedup();
    event
        .alarms
        .retain(|alarm| simple_alarm_minutes(alarm).is_none());
    event
        .alarms
        .extend(minutes.into_iter().map(|m| display_alarm(m, title)));

    if let Some(rule) = rule {
        event.recurrence.rules = rule.into_iter().collect();
    }
    event.validate().map_err(|error| match error {
        EventValidationError::EndBeforeStart => field_error("error.event_end_before_start", "end"),
        EventValidationError::UnsupportedRule { .. } => {
            field_error("error.event_rule_unsupported", "frequency")
        }
        // The form always sets a UID and the Europe/Paris zone, and import
        // rejects durations that reach past year 9999.
        EventValidationError::EmptyUid
        | EventValidationError::UnknownTimeZone { .. }
        | EventValidationError::OutOfRange { .. } => {
            CommandError::new("error.invalid_argument").with("name", "event")
        }
    })?;
    Ok(())
}

/// Wall-clock text of an event time in the form's zone: `YYYY-MM-DD` for a
/// date, else `YYYY-MM-DDTHH:MM`.
pub fn form_time(time: &EventTime) -> String {
    match time {
        EventTime::Date { date } => date.format("%Y-%m-%d").to_string(),
        EventTime::Floating { local } => local.format("%Y-%m-%dT%H:%M").to_string(),
        other => other
            .to_utc(FORM_TZ)
            .with_timezone(&FORM_TZ)
            .naive_local()
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
    }
}

/// Describes a stored event for the dialog.
pub fn detail(person_id: &str, event: &Event) -> EventDetail {
    let duration = event.duration();
    let end = if event.start.is_date() {
        // The form shows the last day, DTEND is the day after it.
        let days = duration.signed_days().max(1);
        let last = event.start.naive_local().date() + Duration::days(days - 1);
        last.format("%Y-%m-%d").to_string()
    } else {
        let end_local = duration.add_to(event.start.naive_local());
        form_time(&event.start.with_local(end_local))
    };
    let rules = &event.recurrence.rules;
    let simple = match rules.as_slice() {
        [] => None,
        [rule] => simple_rule(rule),
        _ => None,
    };
    let custom_recurrence =
        (!rules.is_empty() && simple.is_none()) || !event.recurrence.dates.is_empty();
    let mut alarms: Vec<u32> = event
        .alarms
        .iter()
        .filter_map(simple_alarm_minutes)
        .collect();
    alarms.sort_unstable();
    alarms.dedup();
    EventDetail {
        person_id: person_id.to_owned(),
        uid: event.uid.clone(),
        title: event.summary.clone().unwrap_or_default(),
        all_day: event.start.is_date(),
        start: form_time(&event.start),
        end,
        kind: match event.kind {
            EventKind::Appointment => "appointment",
            EventKind::Reminder => "reminder",
        }
        .to_owned(),
        practitioner: event.appointment.practitioner.clone(),
        facility: event.appointment.facility.clone(),
        specialty: event.appointment.specialty.clone(),
        address: event
            .appointment
            .address
            .clone()
            .or_else(|| event.location.clone()),
        notes: event
            .appointment
            .notes
            .clone()
            .or_else(|| event.description.clone()),
        alarms,
        recurrence: simple,
        custom_recurrence,
    }
}

/// The form's view of a rule with only a frequency, an interval of 1 and a
/// count or an end date; `None` for any other rule.
fn simple_rule(rule: &RecurrenceRule) -> Option<RecurrenceInput> {
    let plain = rule.interval == 1
        && rule.by_second.is_empty()
        && rule.by_minute.is_empty()
        && rule.by_hour.is_empty()
        && rule.by_day.is_empty()
        && rule.by_month_day.is_empty()
        && rule.by_year_day.is_empty()
        && rule.by_week_no.is_empty()
        && rule.by_month.is_empty()
        && rule.by_set_pos.is_empty();
    if !plain {
        return None;
    }
    let until = rule.until.as_ref().map(|until| match until {
        EventTime::Date { date } => date.format("%Y-%m-%d").to_string(),
        other => other
            .to_utc(FORM_TZ)
            .with_timezone(&FORM_TZ)
            .date_naive()
            .format("%Y-%m-%d")
            .to_string(),
    });
    Some(RecurrenceInput {
        frequency: frequency_name(rule.frequency)?.to_owned(),
        count: rule.count,
        until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(start: &str, end: Option<&str>) -> EventInput {
        EventInput {
            person_id: "p".into(),
            title: "Pédiatre".into(),
            start: start.into(),
            end: end.map(str::to_owned),
            ..EventInput::default()
        }
    }

    fn new_event() -> Event {
        Event::new(
            "uid@test",
            EventTime::Date {
                date: NaiveDate::MIN,
            },
        )
    }

    #[test]
    fn timed_event_round_trips() {
        let mut form = input("2026-03-30T09:30", Some("2026-03-30T10:15"));
        form.alarms = vec![30, 1440];
        form.practitioner = Some(" Dr Durand ".into());
        form.recurrence = Some(RecurrenceInput {
            frequency: "weekly".into(),
            count: None,
            until: Some("2026-05-04".into()),
        });
        let mut event = new_event();
        apply_input(&mut event, &form).unwrap();
        let shown = detail("p", &event);
        assert_eq!(shown.start, "2026-03-30T09:30");
        assert_eq!(shown.end, "2026-03-30T10:15");
        assert_eq!(shown.alarms, vec![30, 1440]);
        assert_eq!(shown.practitioner.as_deref(), Some("Dr Durand"));
        assert_eq!(
            shown.recurrence.unwrap().until.as_deref(),
            Some("2026-05-04")
        );
        assert!(!shown.custom_recurrence);
    }

    #[test]
    fn all_day_end_is_last_day() {
        let mut event = new_event();
        let form = EventInput {
            all_day: true,
            ..input("2026-07-01", Some("2026-07-03"))
        };
        apply_input(&mut event, &form).unwrap();
        let shown = detail("p", &event);
        assert!(shown.all_day);
        assert_eq!(shown.end, "2026-07-03");
    }

    #[test]
    fn errors_name_their_field() {
        let cases = [
            (input("2026-03-30T09:30", Some("2026-03-30T09:00")), "end"),
            (input("30/03/2026", None), "start"),
            (
                EventInput {
                    title: " ".into(),
                    ..input("2026-03-30T09:30", None)
                },
                "title",
            ),
            (
                EventInput {
                    recurrence: Some(RecurrenceInput {
                        frequency: "daily".into(),
                        count: Some(0),
                        until: None,
                    }),
                    ..input("2026-03-30T09:30", None)
                },
                "count",
            ),
            (
                EventInput {
                    alarms: vec![MAX_ALARM_MINUTES + 1],
                    ..input("2026-03-30T09:30", None)
                },
                "alarms",
            ),
        ];
        for (form, field) in cases {
            let error = apply_input(&mut new_event(), &form).unwrap_err();
            assert_eq!(error.params["field"], field, "{}", error.key);
        }
    }

    #[test]
    fn moving_start_moves_excluded_dates() {
        let mut form = input("2026-03-23T09:30", None);
        form.recurrence = Some(RecurrenceInput {
            frequency: "weekly".into(),
            count: Some(4),
            until: None,
        });
        let mut event = new_event();
        apply_input(&mut event, &form).unwrap();
        let second = NaiveDate::from_ymd_opt(2026, 3, 30).unwrap();
        event.recurrence.exceptions = vec![EventTime::paris(second.and_hms_opt(9, 30, 0).unwrap())];

        form.start = "2026-03-23T10:00".into();
        apply_input(&mut event, &form).unwrap();
        assert_eq!(
            event.recurrence.exceptions,
            vec![EventTime::paris(second.and_hms_opt(10, 0, 0).unwrap())]
        );
    }

    #[test]
    fn editing_keeps_other_alarms_and_custom_rule() {
        let mut event = new_event();
        apply_input(&mut event, &input("2026-03-30T09:30", None)).unwrap();
        event.recurrence.rules = vec![RecurrenceRule::parse("FREQ=WEEKLY;BYDAY=MO,TH").unwrap()];
        let mut end_alarm = display_alarm(10, "x");
        end_alarm.trigger = Trigger::Relative {
            offset: IcsDuration::default(),
            related: TriggerRelation::End,
        };
        event.alarms.push(end_alarm.clone());

        let mut form = input("2026-03-30T10:00", None);
        form.alarms = vec![15];
        apply_input(&mut event, &form).unwrap();
        assert_eq!(event.recurrence.rules.len(), 1);
        assert!(detail("p", &event).custom_recurrence);
        assert!(event.alarms.contains(&end_alarm));
        assert_eq!(detail("p", &event).alarms, vec![15]);
    }
}
