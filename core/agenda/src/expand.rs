//! Expansion of events into the occurrences that fall in a window, applying
//! RRULE, RDATE, EXDATE and RECURRENCE-ID overrides.
//!
//! Design: RRULE iteration is delegated to the `rrule` crate (a port of
//! python-dateutil's algorithm), but always in a frame without daylight
//! saving time. The event's wall-clock start is handed to `rrule` as if it
//! were UTC, and each result is mapped back to the event's own zone with
//! [`crate::event::local_to_utc`]. Occurrences therefore keep their wall-clock
//! hour across DST changes: a 09:00 weekly appointment stays at 09:00 in
//! Europe/Paris all year, and spring-gap times follow RFC 5545 §3.3.5. The
//! crate's own zone handling, which places a gap time by adding the time of
//! day to local midnight, is never used.
//!
//! The semantics follow the Python package `recurring-ical-events` (3.8),
//! which the peer test compares against:
//!
//! - the window `[from, to)` is wall-clock time, read in each event's own
//!   zone (UTC for UTC events), and an occurrence is kept when it overlaps
//!   it (a zero-length one when its start is inside);
//! - DTSTART is always an occurrence unless it is after every UNTIL;
//! - an EXDATE that is a DATE removes every occurrence on that day;
//! - among events with the same UID and no RECURRENCE-ID, the highest
//!   SEQUENCE is the master;
//! - an override without a master is a single occurrence, and its own RRULE
//!   and RDATE are ignored.
//!
//! One rule differs from `recurring-ical-events`, which returns cancelled
//! occurrences like any other: an instance whose event (the override, or
//! else the master) has `STATUS:CANCELLED` is left out, so a cancelled
//! appointment never shows as one to attend.
//!
//! - an instance ends at its start plus the event's duration added to the
//!   wall clock, so a one-hour appointment starting in the spring gap lasts
//!   zero hours.
//!
//! NOTE: RFC 5545 §3.8.5.3 requires the exact duration of DTEND − DTSTART
//! for every instance, which differs from the wall-clock end only for
//! instances that span a DST change. `RANGE=THISANDFUTURE` overrides are
//! applied to their own instance only, and later instances are not shifted.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Month, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::event::{Event, EventEnd, EventTime, IcsDuration, Trigger, TriggerRelation};
use crate::rule::{Frequency, RecurrenceRule};

/// Largest number of instances read from one RRULE for one window.
/// NOTE: instances beyond it are dropped without an error, which only a
/// window of decades with a daily or finer rule reaches.
pub const MAX_INSTANCES_PER_EVENT: u16 = u16::MAX;

/// One instance of an event in a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    pub uid: String,
    /// Index, in the slice given to [`occurrences`], of the event whose
    /// fields (summary, location, alarms…) apply: the master, or the override.
    pub event_index: usize,
    /// Original start of a recurring instance, `None` for a one-off event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence_id: Option<EventTime>,
    pub start: EventTime,
    pub end: EventTime,
}

impl Occurrence {
    /// Returns the instants at which the alarms of `event` (the event at
    /// `event_index`) fire for this occurrence, sorted, with REPEAT applied.
    /// Dates and floating times are read in `reader_tz`. A relative trigger
    /// counts from the occurrence's start or end, with days as calendar days
    /// of the wall clock, and an absolute trigger fires at its instant.
    pub fn alarm_instants(&self, event: &Event, reader_tz: chrono_tz::Tz) -> Vec<DateTime<Utc>> {
        let mut instants = Vec::new();
        for alarm in &event.alarms {
            let first = match &alarm.trigger {
                Trigger::Absolute { instant } => *instant,
                Trigger::Relative { offset, related } => {
                    let base = match related {
                        TriggerRelation::Start => &self.start,
                        TriggerRelation::End => &self.end,
                    };
                    // An offset beyond year 9999 (stored before import checked
                    // it) gives no alarm instead of a wrong one.
                    let Some(local) = offset.checked_add_to(base.naive_local()) else {
                        continue;
                    };
                    base.with_local(local).to_utc(reader_tz)
                }
            };
            instants.push(first);
            if let (Some(repeat), Some(interval)) = (alarm.repeat, alarm.repeat_interval) {
                let step = interval.as_exact();
                let mut next = first;
                for _ in 0..repeat.min(MAX_ALARM_REPEATS) {
                    let Some(later) = next.checked_add_signed(step) else {
                        break;
                    };
                    next = later;
                    instants.push(next);
                }
            }
        }
        instants.sort_unstable();
        instants
    }
}

/// Largest REPEAT honoured for one alarm.
const MAX_ALARM_REPEATS: u32 = 100;

/// Returns the occurrences of `events` that overlap the wall-clock window
/// `[from, to)`, sorted by start instant (dates and floating times read in
/// Europe/Paris for sorting).
pub fn occurrences(events: &[Event], from: NaiveDateTime, to: NaiveDateTime) -> Vec<Occurrence> {
    let mut series: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, event) in events.iter().enumerate() {
        series.entry(event.uid.as_str()).or_default().push(index);
    }
    let mut found = Vec::new();
    for members in series.values() {
        expand_series(events, members, from, to, &mut found);
    }
    let paris = crate::event::DEFAULT_TZID
        .parse()
        .expect("the default zone is in the tz database");
    found.sort_by_cached_key(|o: &Occurrence| (o.start.to_utc(paris), o.uid.clone()));
    found
}

fn expand_series(
    events: &[Event],
    members: &[usize],
    from: NaiveDateTime,
    to: NaiveDateTime,
    found: &mut Vec<Occurrence>,
) {
    // The first event with the highest SEQUENCE wins, among masters and
    // among overrides of the same instance.
    let mut master: Option<usize> = None;
    let mut overrides: Vec<usize> = Vec::new();
    for &index in members {
        let event = &events[index];
        match &event.recurrence_id {
            None => {
                if master.is_none_or(|m| events[m].sequence < event.sequence) {
                    master = Some(index);
                }
            }
            Some(id) => {
                let same = overrides
                    .iter()
                    .position(|&o| events[o].recurrence_id.as_ref() == Some(id));
                match same {
                    Some(position) if events[overrides[position]].sequence < event.sequence => {
                        overrides[position] = index;
                    }
                    Some(_) => {}
                    None => overrides.push(index),
                }
            }
        }
    }

    let Some(master_index) = master else {
        for &index in &overrides {
            if !events[index].is_cancelled() {
                push_if_in_window(found, single_occurrence(events, index), from, to);
            }
        }
        return;
    };
    let master_event = &events[master_index];
    let frame = &master_event.start;
    let duration = master_event.duration();
    let override_keys: Vec<(NaiveDateTime, usize)> = overrides
        .iter()
        .filter_map(|&o| {
            let id = events[o].recurrence_id.as_ref()?;
            Some((id.local_in_frame_of(frame), o))
        })
        .collect();
    let excluded_dates: HashSet<chrono::NaiveDate> = master_event
        .recurrence
        .exceptions
        .iter()
        .filter_map(|e| match e {
            EventTime::Date { date } => Some(*date),
            _ => None,
        })
        .collect();
    let excluded_times: HashSet<NaiveDateTime> = master_event
        .recurrence
        .exceptions
        .iter()
        .filter(|e| !e.is_date())
        .map(|e| e.local_in_frame_of(frame))
        .collect();
    let is_excluded = |local: &NaiveDateTime| {
        excluded_dates.contains(&local.date()) || excluded_times.contains(local)
    };

    // Extend the search so that long occurrences starting before the window
    // but overlapping it are found.
    let reach = duration.as_exact().max(Duration::zero()) + Duration::days(1);
    let search_from = from.checked_sub_signed(reach).unwrap_or(NaiveDateTime::MIN);
    let search_to = to
        .checked_add_signed(Duration::days(1))
        .unwrap_or(NaiveDateTime::MAX);
    let starts = instance_starts(master_event, search_from, search_to);
    let override_by_key: HashMap<NaiveDateTime, usize> = override_keys.iter().copied().collect();
    let mut used_overrides = HashSet::new();
    for (local, own_end) in starts {
        if is_excluded(&local) {
            continue;
        }
        if let Some(&override_index) = override_by_key.get(&local) {
            if used_overrides.insert(override_index) && !events[override_index].is_cancelled() {
                push_if_in_window(found, single_occurrence(events, override_index), from, to);
            }
            continue;
        }
        if master_event.is_cancelled() {
            continue;
        }
        let start = frame.with_local(local);
        let end = match own_end {
            Some(end) => end,
            None => end_after(
                &master_event.start,
                master_event.end.as_ref(),
                local,
                duration,
            ),
        };
        let occurrence = Occurrence {
            uid: master_event.uid.clone(),
            event_index: master_index,
            recurrence_id: master_event.is_recurring().then(|| start.clone()),
            start,
            end,
        };
        push_if_in_window(found, occurrence, from, to);
    }
    // Overrides whose RECURRENCE-ID matches no generated instance still occur.
    for (key, override_index) in override_keys {
        if used_overrides.contains(&override_index)
            || is_excluded(&key)
            || events[override_index].is_cancelled()
        {
            continue;
        }
        push_if_in_window(found, single_occurrence(events, override_index), from, to);
    }
}

/// End of an instance starting at wall-clock `local`: the duration is added
/// to the wall clock, and the end has the kind of the start (a date when
/// both DTSTART and DTEND are dates).
fn end_after(
    start: &EventTime,
    end: Option<&EventEnd>,
    local: NaiveDateTime,
    duration: IcsDuration,
) -> EventTime {
    let end_local = duration.add_to(local);
    let end_is_date = match end {
        Some(EventEnd::At { time }) => time.is_date(),
        _ => start.is_date(),
    };
    if start.is_date() && !end_is_date {
        return EventTime::Floating { local: end_local };
    }
    start.with_local(end_local)
}

fn single_occurrence(events: &[Event], index: usize) -> Occurrence {
    let event = &events[index];
    let local = event.start.naive_local();
    Occurrence {
        uid: event.uid.clone(),
        event_index: index,
        recurrence_id: event.recurrence_id.clone(),
        start: event.start.clone(),
        end: end_after(&event.start, event.end.as_ref(), local, event.duration()),
    }
}

fn push_if_in_window(
    found: &mut Vec<Occurrence>,
    occurrence: Occurrence,
    from: NaiveDateTime,
    to: NaiveDateTime,
) {
    let start = occurrence.start.naive_local();
    let end = occurrence.end.local_in_frame_of(&occurrence.start);
    let inside = if end <= start {
        from <= start && start < to
    } else {
        start < to && from < end
    };
    if inside {
        found.push(occurrence);
    }
}

/// Wall-clock starts of the master's instances between `from` and `to`
/// (inclusive), each with the end of its RDATE period when it has one.
fn instance_starts(
    event: &Event,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<(NaiveDateTime, Option<EventTime>)> {
    let frame = &event.start;
    let dtstart = frame.naive_local();
    let mut starts: BTreeMap<NaiveDateTime, Option<EventTime>> = BTreeMap::new();

    let mut last_until: Option<NaiveDateTime> = None;
    for rule in &event.recurrence.rules {
        let until = rule.until.as_ref().map(|u| until_in_frame(u, frame));
        if let Some(until) = until {
            last_until = Some(last_until.map_or(until, |last| last.max(until)));
        }
        for local in rule_instances(rule, dtstart, until, from, to) {
            starts.entry(local).or_insert(None);
        }
    }
    if last_until.is_none_or(|until| dtstart <= until) && (from..=to).contains(&dtstart) {
        starts.entry(dtstart).or_insert(None);
    }
    for date in &event.recurrence.dates {
        let local = date.start().local_in_frame_of(frame);
        if !(from..=to).contains(&local) {
            continue;
        }
        let own_end = match date {
            crate::event::RecurrenceDate::Period { start, end } => Some(match end {
                EventEnd::At { time } => frame.with_local(time.local_in_frame_of(frame)),
                EventEnd::After { duration } => {
                    frame.with_local(duration.add_to(start.local_in_frame_of(frame)))
                }
            }),
            crate::event::RecurrenceDate::Start { .. } => None,
        };
        let entry = starts.entry(local).or_insert(None);
        if own_end.is_some() {
            *entry = own_end;
        }
    }
    starts.into_iter().collect()
}

/// UNTIL as a wall-clock value in the event's frame: a UTC UNTIL is converted
/// to the event's zone, a date is midnight, a floating value is taken as is.
fn until_in_frame(until: &EventTime, frame: &EventTime) -> NaiveDateTime {
    match (until, frame) {
        (EventTime::Utc { .. }, EventTime::Zoned { .. } | EventTime::Utc { .. }) => {
            until.local_in_frame_of(frame)
        }
        _ => until.naive_local(),
    }
}

/// Instances of one RRULE in `[from, to]`, computed by the `rrule` crate in
/// the DST-free frame described in the module documentation. A rule the
/// crate rejects yields no instance.
fn rule_instances(
    rule: &RecurrenceRule,
    dtstart: NaiveDateTime,
    until: Option<NaiveDateTime>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    if until.is_some_and(|until| until < dtstart) || to < dtstart {
        return Vec::new();
    }
    if counted_rule_too_long(rule, dtstart, from) {
        return Vec::new();
    }
    let utc = rrule::Tz::UTC;
    let first = fast_forward(rule, dtstart, from);
    let start = utc.from_utc_datetime(&first);
    let Ok(validated) = to_rrule(rule, until).validate(start) else {
        return Vec::new();
    };
    rrule::RRuleSet::new(start)
        .rrule(validated)
        .after(utc.from_utc_datetime(&from.max(first)))
        .before(utc.from_utc_datetime(&to))
        .all(MAX_INSTANCES_PER_EVENT)
        .dates
        .into_iter()
        .map(|dt| dt.naive_utc())
        .collect()
}

/// Moves the start of a rule without COUNT forward by whole periods
/// (INTERVAL × the frequency's unit) to just before `from`, so that a
/// SECONDLY rule started in 1601 does not iterate through four centuries.
/// The instances from `from` on are unchanged because every period has the
/// same length in the DST-free frame and BYxxx defaults keep their values.
/// Monthly and yearly rules are never moved: they iterate few periods.
fn fast_forward(
    rule: &RecurrenceRule,
    dtstart: NaiveDateTime,
    from: NaiveDateTime,
) -> NaiveDateTime {
    let unit_seconds: i64 = match rule.frequency {
        Frequency::Secondly => 1,
        Frequency::Minutely => 60,
        Frequency::Hourly => 3600,
        Frequency::Daily => 86_400,
        Frequency::Weekly => 604_800,
        Frequency::Monthly | Frequency::Yearly => return dtstart,
    };
    if rule.count.is_some() {
        return dtstart;
    }
    let period = unit_seconds * i64::from(rule.interval);
    let gap = (from - dtstart).num_seconds();
    let periods = gap / period - 1;
    if periods < 1 {
        return dtstart;
    }
    dtstart
        .checked_add_signed(Duration::seconds(periods * period))
        .unwrap_or(dtstart)
}

/// Largest number of periods or COUNT instances iterated before the window.
const MAX_ITERATIONS_BEFORE_WINDOW: u64 = 1_000_000;

/// Returns true for a rule with COUNT that cannot be fast-forwarded and would
/// iterate more than [`MAX_ITERATIONS_BEFORE_WINDOW`] periods and instances
/// to reach the window (`FREQ=SECONDLY;COUNT=4000000000` started in 1601).
/// NOTE: such a rule yields no instance in the window, even where the exact
/// result would have some.
fn counted_rule_too_long(
    rule: &RecurrenceRule,
    dtstart: NaiveDateTime,
    from: NaiveDateTime,
) -> bool {
    let Some(count) = rule.count else {
        return false;
    };
    let unit_seconds: u64 = match rule.frequency {
        Frequency::Secondly => 1,
        Frequency::Minutely => 60,
        Frequency::Hourly => 3600,
        Frequency::Daily => 86_400,
        Frequency::Weekly => 604_800,
        Frequency::Monthly => 28 * 86_400,
        Frequency::Yearly => 365 * 86_400,
    };
    let gap = u64::try_from((from - dtstart).num_seconds()).unwrap_or(0);
    let periods = gap / (unit_seconds * u64::from(rule.interval));
    u64::from(count) > MAX_ITERATIONS_BEFORE_WINDOW && periods > MAX_ITERATIONS_BEFORE_WINDOW
}

/// Checks that the expander accepts every RRULE of `event`. Returns the
/// `rrule` crate's reason when it rejects one, or a reason of Carnet's own for a
/// rule that repeats every second or minute without end.
///
/// An endless SECONDLY or MINUTELY rule has no use in a health agenda, and listing
/// it would stop silently at the expander's cap of 65,535 occurrences, so it is
/// rejected instead.
pub fn check_rules(event: &Event) -> Result<(), String> {
    let dtstart = event.start.naive_local();
    let start = rrule::Tz::UTC.from_utc_datetime(&dtstart);
    for rule in &event.recurrence.rules {
        let sub_hourly = matches!(rule.frequency, Frequency::Secondly | Frequency::Minutely);
        if sub_hourly && rule.count.is_none() && rule.until.is_none() {
            return Err(format!(
                "FREQ={} without COUNT or UNTIL repeats without end",
                rule.frequency.as_str()
            ));
        }
        let until = rule.until.as_ref().map(|u| until_in_frame(u, &event.start));
        if until.is_some_and(|until| until < dtstart) {
            continue;
        }
        to_rrule(rule, until)
            .validate(start)
            .map_err(|error| error.to_string())?;
    }
    Ok(())
}

fn to_rrule(
    rule: &RecurrenceRule,
    until: Option<NaiveDateTime>,
) -> rrule::RRule<rrule::Unvalidated> {
    let frequency = match rule.frequency {
        Frequency::Secondly => rrule::Frequency::Secondly,
        Frequency::Minutely => rrule::Frequency::Minutely,
        Frequency::Hourly => rrule::Frequency::Hourly,
        Frequency::Daily => rrule::Frequency::Daily,
        Frequency::Weekly => rrule::Frequency::Weekly,
        Frequency::Monthly => rrule::Frequency::Monthly,
        Frequency::Yearly => rrule::Frequency::Yearly,
    };
    let mut built = rrule::RRule::new(frequency).interval(rule.interval);
    if let Some(count) = rule.count {
        built = built.count(count);
    }
    if let Some(until) = until {
        built = built.until(rrule::Tz::UTC.from_utc_datetime(&until));
    }
    if !rule.by_day.is_empty() {
        built = built.by_weekday(
            rule.by_day
                .iter()
                .map(|day| match day.ordinal {
                    Some(n) => rrule::NWeekday::Nth(n, day.weekday),
                    None => rrule::NWeekday::Every(day.weekday),
                })
                .collect(),
        );
    }
    if !rule.by_month.is_empty() {
        let months: Vec<Month> = rule
            .by_month
            .iter()
            .filter_map(|&m| Month::try_from(m).ok())
            .collect();
        built = built.by_month(&months);
    }
    if !rule.by_month_day.is_empty() {
        built = built.by_month_day(rule.by_month_day.clone());
    }
    if !rule.by_year_day.is_empty() {
        built = built.by_year_day(rule.by_year_day.clone());
    }
    if !rule.by_week_no.is_empty() {
        built = built.by_week_no(rule.by_week_no.clone());
    }
    if !rule.by_set_pos.is_empty() {
        built = built.by_set_pos(rule.by_set_pos.clone());
    }
    if !rule.by_hour.is_empty() {
        built = built.by_hour(rule.by_hour.clone());
    }
    if !rule.by_minute.is_empty() {
        built = built.by_minute(rule.by_minute.clone());
    }
    if !rule.by_second.is_empty() {
        built = built.by_second(rule.by_second.clone());
    }
    if let Some(week_start) = rule.week_start {
        built = built.week_start(week_start);
    }
    built
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn weekly_paris() -> Event {
        let mut event = Event::new("w", EventTime::paris(at(2025, 3, 24, 9, 0)));
        event.end = Some(EventEnd::After {
            duration: IcsDuration {
                minutes: 30,
                ..Default::default()
            },
        });
        event
            .recurrence
            .rules
            .push(RecurrenceRule::parse("FREQ=WEEKLY;COUNT=3").unwrap());
        event
    }

    #[test]
    fn weekly_keeps_wall_clock_across_dst() {
        let found = occurrences(
            &[weekly_paris()],
            at(2025, 1, 1, 0, 0),
            at(2026, 1, 1, 0, 0),
        );
        let paris = chrono_tz::Europe::Paris;
        let utc: Vec<_> = found.iter().map(|o| o.start.to_utc(paris)).collect();
        // 24 March is CET (UTC+1); 31 March and 7 April are CEST (UTC+2).
        assert_eq!(
            utc,
            vec![
                at(2025, 3, 24, 8, 0).and_utc(),
                at(2025, 3, 31, 7, 0).and_utc(),
                at(2025, 4, 7, 7, 0).and_utc()
            ]
        );
    }

    #[test]
    fn exdate_and_override_apply() {
        let master = {
            let mut event = weekly_paris();
            event
                .recurrence
                .exceptions
                .push(EventTime::paris(at(2025, 3, 31, 9, 0)));
            event
        };
        let mut moved = Event::new("w", EventTime::paris(at(2025, 4, 8, 14, 0)));
        moved.recurrence_id = Some(EventTime::paris(at(2025, 4, 7, 9, 0)));
        let found = occurrences(&[master, moved], at(2025, 1, 1, 0, 0), at(2026, 1, 1, 0, 0));
        let starts: Vec<_> = found.iter().map(|o| o.start.naive_local()).collect();
        assert_eq!(starts, vec![at(2025, 3, 24, 9, 0), at(2025, 4, 8, 14, 0)]);
        assert_eq!(found[1].event_index, 1);
    }

    #[test]
    fn window_is_half_open() {
        let found = occurrences(
            &[weekly_paris()],
            at(2025, 3, 31, 9, 30),
            at(2025, 4, 7, 9, 0),
        );
        assert!(found.is_empty());
    }

    #[test]
    fn fast_forward_keeps_instances() {
        let mut event = Event::new("f", EventTime::paris(at(2001, 1, 3, 7, 15)));
        event.recurrence.rules =
            vec![RecurrenceRule::parse("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE;WKST=SU").unwrap()];
        let from = at(2024, 11, 5, 0, 0);
        let to = at(2025, 3, 1, 0, 0);
        let direct: Vec<_> = rule_instances(
            &event.recurrence.rules[0],
            at(2001, 1, 3, 7, 15),
            None,
            at(2001, 1, 1, 0, 0),
            to,
        )
        .into_iter()
        .filter(|local| *local >= from)
        .collect();
        let moved = rule_instances(
            &event.recurrence.rules[0],
            at(2001, 1, 3, 7, 15),
            None,
            from,
            to,
        );
        assert!(!moved.is_empty());
        assert_eq!(moved, direct);
    }

    #[test]
    fn alarm_instants_follow_each_occurrence() {
        use crate::event::{Alarm, AlarmAction};
        let mut event = weekly_paris();
        event.alarms.push(Alarm {
            action: AlarmAction::Display,
            trigger: Trigger::Relative {
                offset: IcsDuration {
                    negative: true,
                    days: 1,
                    ..Default::default()
                },
                related: TriggerRelation::Start,
            },
            description: Some("Rappel".into()),
            summary: None,
            attendees: Vec::new(),
            repeat: Some(1),
            repeat_interval: Some(IcsDuration {
                hours: 12,
                ..Default::default()
            }),
        });
        let found = occurrences(
            std::slice::from_ref(&event),
            at(2025, 3, 30, 0, 0),
            at(2025, 4, 1, 0, 0),
        );
        assert_eq!(found.len(), 1);
        let paris = chrono_tz::Europe::Paris;
        // The day before 31 March 09:00 CEST is 30 March 09:00, already CEST.
        assert_eq!(
            found[0].alarm_instants(&event, paris),
            vec![
                at(2025, 3, 30, 7, 0).and_utc(),
                at(2025, 3, 30, 19, 0).and_utc()
            ]
        );
    }

    #[test]
    fn until_before_start_yields_nothing() {
        let mut event = weekly_paris();
        event.recurrence.rules =
            vec![RecurrenceRule::parse("FREQ=DAILY;UNTIL=20200101T000000Z").unwrap()];
        let found = occurrences(&[event], at(2019, 1, 1, 0, 0), at(2030, 1, 1, 0, 0));
        assert!(found.is_empty());
    }

    #[test]
    fn endless_sub_hourly_rules_rejected() {
        for (text, accepted) in [
            ("FREQ=SECONDLY", false),
            ("FREQ=MINUTELY;INTERVAL=5", false),
            ("FREQ=MINUTELY;COUNT=10", true),
            ("FREQ=SECONDLY;UNTIL=20250101T000000Z", true),
            ("FREQ=HOURLY", true),
        ] {
            let mut event = weekly_paris();
            event.recurrence.rules = vec![RecurrenceRule::parse(text).unwrap()];
            assert_eq!(check_rules(&event).is_ok(), accepted, "{text}");
        }
    }
}
