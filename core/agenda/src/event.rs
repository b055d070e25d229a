//! The agenda's event model: what the vault stores (as JSON through serde)
//! for an appointment or a reminder, whether it was typed in Carnet or
//! imported from an `.ics` file.
//!
//! Times keep the four shapes of iCalendar (all-day date, floating, zoned
//! with an Olson name, UTC) so that export gives back what was imported.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::rule::RecurrenceRule;

/// Time zone of the events Carnet creates.
pub const DEFAULT_TZID: &str = "Europe/Paris";

/// Start, end or recurrence point of an event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventTime {
    /// All-day (`VALUE=DATE`).
    Date {
        date: NaiveDate,
    },
    /// Wall-clock time with no zone: the same hour wherever the reader is.
    Floating {
        local: NaiveDateTime,
    },
    /// Wall-clock time in an Olson time zone such as `Europe/Paris`.
    Zoned {
        local: NaiveDateTime,
        tzid: String,
    },
    Utc {
        instant: DateTime<Utc>,
    },
}

impl EventTime {
    /// Builds a zoned time in Europe/Paris, the default for new events.
    pub fn paris(local: NaiveDateTime) -> Self {
        EventTime::Zoned {
            local,
            tzid: DEFAULT_TZID.to_owned(),
        }
    }

    pub fn is_date(&self) -> bool {
        matches!(self, EventTime::Date { .. })
    }

    /// Wall-clock value in the time's own frame (midnight for a date, the UTC
    /// clock for a UTC time).
    pub fn naive_local(&self) -> NaiveDateTime {
        match self {
            EventTime::Date { date } => date.and_time(NaiveTime::MIN),
            EventTime::Floating { local } | EventTime::Zoned { local, .. } => *local,
            EventTime::Utc { instant } => instant.naive_utc(),
        }
    }

    /// Returns the Olson zone of a zoned time, `None` when it is unknown to
    /// this build's time-zone database.
    pub fn zone(&self) -> Option<Tz> {
        match self {
            EventTime::Zoned { tzid, .. } => tzid.parse().ok(),
            _ => None,
        }
    }

    /// Converts to an instant. Dates and floating times are read in
    /// `reader_tz` (the zone of the person looking at the agenda).
    pub fn to_utc(&self, reader_tz: Tz) -> DateTime<Utc> {
        match self {
            EventTime::Utc { instant } => *instant,
            EventTime::Zoned { local, tzid } => {
                let zone = tzid.parse().unwrap_or(reader_tz);
                local_to_utc(*local, zone)
            }
            _ => local_to_utc(self.naive_local(), reader_tz),
        }
    }

    /// Same kind of time (and same zone) as `self`, at wall-clock `local`.
    pub fn with_local(&self, local: NaiveDateTime) -> Self {
        match self {
            EventTime::Date { .. } => EventTime::Date { date: local.date() },
            EventTime::Floating { .. } => EventTime::Floating { local },
            EventTime::Zoned { tzid, .. } => EventTime::Zoned {
                local,
                tzid: tzid.clone(),
            },
            EventTime::Utc { .. } => EventTime::Utc {
                instant: local.and_utc(),
            },
        }
    }

    /// Expresses this time as a wall-clock value in the frame of `reference`:
    /// an instant is converted to the reference's zone, a date becomes
    /// midnight and other local times are taken as they are.
    pub fn local_in_frame_of(&self, reference: &EventTime) -> NaiveDateTime {
        // Same zone: no conversion needed.
        match (self, reference) {
            (EventTime::Zoned { tzid: own, .. }, EventTime::Zoned { tzid: other, .. })
                if own == other =>
            {
                return self.naive_local();
            }
            (EventTime::Utc { .. }, EventTime::Utc { .. }) => return self.naive_local(),
            _ => {}
        }
        let instant = match self {
            EventTime::Utc { instant } => Some(*instant),
            EventTime::Zoned { .. } => self
                .zone()
                .map(|zone| local_to_utc(self.naive_local(), zone)),
            _ => None,
        };
        match (instant, reference) {
            (Some(instant), EventTime::Zoned { .. }) => match reference.zone() {
                Some(zone) => instant.with_timezone(&zone).naive_local(),
                None => instant.naive_utc(),
            },
            (Some(instant), EventTime::Utc { .. }) => instant.naive_utc(),
            _ => self.naive_local(),
        }
    }
}

/// Maps a wall-clock time in `zone` to an instant. An ambiguous time (the
/// repeated hour in autumn) takes the first occurrence. A time in the spring
/// gap is read with the offset in force before the gap, as RFC 5545 §3.3.5
/// prescribes, so 02:30 on a spring-forward night becomes 03:30 summer time.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(time) => time.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            let before = local
                .checked_sub_signed(Duration::hours(3))
                .unwrap_or(local);
            let offset = zone.offset_from_utc_datetime(&before).fix();
            local
                .checked_sub_signed(Duration::seconds(i64::from(offset.local_minus_utc())))
                .unwrap_or(local)
                .and_utc()
        }
    }
}

/// Reason an event cannot be stored, from [`Event::validate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventValidationError {
    #[error("event UID is empty")]
    EmptyUid,
    #[error("time zone {tzid:?} is not in the tz database; use an Olson name such as Europe/Paris")]
    UnknownTimeZone { tzid: String },
    #[error("event ends before it starts")]
    EndBeforeStart,
    #[error("recurrence rule is not supported: {reason}")]
    UnsupportedRule { reason: String },
    #[error("{property} ends after year {max_year} or before year 0", max_year = MAX_YEAR)]
    OutOfRange { property: String },
}

/// Last year an event may reach, with its end, an RDATE period or an alarm.
/// iCalendar writes years with four digits (RFC 5545 §3.3.4), so a later time
/// could not be exported, and chrono's own limit is near year 262,000.
pub const MAX_YEAR: i32 = 9999;

/// First wall-clock time that [`IcsDuration::add_to`] returns.
pub const FIRST_LOCAL: NaiveDateTime = NaiveDate::from_ymd_opt(0, 1, 1)
    .expect("1 January of year 0 is a valid date")
    .and_time(NaiveTime::MIN);

/// Last wall-clock time that [`IcsDuration::add_to`] returns. An occurrence
/// whose stored duration reaches further ends there. Import rejects such
/// events, but a vault may contain some imported before that check.
pub const LAST_LOCAL: NaiveDateTime = NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31)
    .expect("31 December 9999 is a valid date")
    .and_time(NaiveTime::MIN);

/// Returns `local` when its year is between 0 and [`MAX_YEAR`].
fn within_calendar(local: NaiveDateTime) -> Option<NaiveDateTime> {
    (0..=MAX_YEAR).contains(&local.year()).then_some(local)
}

/// An iCalendar DURATION kept in its written parts, because a day is a
/// calendar day (23 or 25 hours across a DST change) and a week is 7 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct IcsDuration {
    pub negative: bool,
    pub weeks: u32,
    pub days: u32,
    pub hours: u32,
    pub minutes: u32,
    pub seconds: u32,
}

impl IcsDuration {
    /// Whole days (weeks included) of the duration, signed.
    pub fn signed_days(&self) -> i64 {
        let days = i64::from(self.weeks) * 7 + i64::from(self.days);
        if self.negative { -days } else { days }
    }

    /// Returns the time part (hours, minutes, seconds), signed.
    pub fn signed_time(&self) -> Duration {
        let seconds =
            i64::from(self.hours) * 3600 + i64::from(self.minutes) * 60 + i64::from(self.seconds);
        Duration::seconds(if self.negative { -seconds } else { seconds })
    }

    /// Adds the duration to a wall-clock time (days on the calendar, then the
    /// time part). Returns `None` when the result is outside years 0 to
    /// [`MAX_YEAR`], as `DURATION:P99999999W` is from any start.
    pub fn checked_add_to(&self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        let moved = local
            .checked_add_signed(Duration::days(self.signed_days()))?
            .checked_add_signed(self.signed_time())?;
        within_calendar(moved)
    }

    /// Adds the duration to a wall-clock time like [`Self::checked_add_to`],
    /// but clamps a result outside years 0 to [`MAX_YEAR`] to the nearest of
    /// those limits.
    pub fn add_to(&self, local: NaiveDateTime) -> NaiveDateTime {
        self.checked_add_to(local).unwrap_or(if self.negative {
            FIRST_LOCAL
        } else {
            LAST_LOCAL
        })
    }

    /// Total length with days counted as 24 hours. It cannot overflow: with
    /// every field at `u32::MAX` the length is about 3 × 10^15 seconds, below
    /// the 9 × 10^15 seconds that [`Duration`] holds.
    pub fn as_exact(&self) -> Duration {
        Duration::days(self.signed_days()) + self.signed_time()
    }

    /// Builds a duration from an exact length (used for DTEND − DTSTART).
    pub fn from_exact(length: Duration) -> Self {
        let negative = length < Duration::zero();
        let total = length.num_seconds().unsigned_abs();
        let days = total / 86_400;
        let rest = total % 86_400;
        IcsDuration {
            negative,
            weeks: 0,
            days: u32::try_from(days).unwrap_or(u32::MAX),
            hours: (rest / 3600) as u32,
            minutes: (rest % 3600 / 60) as u32,
            seconds: (rest % 60) as u32,
        }
    }
}

impl std::fmt::Display for IcsDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        if self.weeks > 0 {
            write!(f, "{}W", self.weeks)?;
        }
        if self.days > 0 {
            write!(f, "{}D", self.days)?;
        }
        let has_time = self.hours > 0 || self.minutes > 0 || self.seconds > 0;
        if has_time {
            f.write_str("T")?;
            if self.hours > 0 {
                write!(f, "{}H", self.hours)?;
            }
            if self.minutes > 0 {
                write!(f, "{}M", self.minutes)?;
            }
            if self.seconds > 0 {
                write!(f, "{}S", self.seconds)?;
            }
        }
        if !has_time && self.weeks == 0 && self.days == 0 {
            f.write_str("T0S")?;
        }
        Ok(())
    }
}

/// End of an event: DTEND or DURATION, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventEnd {
    At { time: EventTime },
    After { duration: IcsDuration },
}

/// One extra occurrence (RDATE): a start, or a PERIOD with its own end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecurrenceDate {
    Start { time: EventTime },
    Period { start: EventTime, end: EventEnd },
}

impl RecurrenceDate {
    pub fn start(&self) -> &EventTime {
        match self {
            RecurrenceDate::Start { time } => time,
            RecurrenceDate::Period { start, .. } => start,
        }
    }
}

/// Repetition of an event: rules, extra dates and excluded dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurrence {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RecurrenceRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<RecurrenceDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<EventTime>,
}

impl Recurrence {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.dates.is_empty() && self.exceptions.is_empty()
    }
}

/// Action of an alarm when it fires (VALARM ACTION).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlarmAction {
    Display,
    Audio,
    Email,
    /// Any other action, kept by name for round trips.
    Other(String),
}

/// Whether a relative trigger counts from the start or the end of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerRelation {
    #[default]
    Start,
    End,
}

/// When an alarm fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Trigger {
    Relative {
        offset: IcsDuration,
        related: TriggerRelation,
    },
    Absolute {
        instant: DateTime<Utc>,
    },
}

/// A VALARM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alarm {
    pub action: AlarmAction,
    pub trigger: Trigger,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Recipients of an EMAIL alarm (`mailto:` URIs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_interval: Option<IcsDuration>,
}

impl Alarm {
    /// Checks that the alarm's first and last firing fall between years 0 and
    /// [`MAX_YEAR`] for an occurrence that runs from `start` to `end`.
    pub fn fits_calendar(&self, start: NaiveDateTime, end: NaiveDateTime) -> bool {
        let first = match &self.trigger {
            Trigger::Absolute { instant } => within_calendar(instant.naive_utc()),
            Trigger::Relative { offset, related } => match related {
                TriggerRelation::Start => offset.checked_add_to(start),
                TriggerRelation::End => offset.checked_add_to(end),
            },
        };
        let Some(first) = first else {
            return false;
        };
        let (Some(repeat), Some(interval)) = (self.repeat, self.repeat_interval) else {
            return true;
        };
        let last = i32::try_from(repeat)
            .ok()
            .and_then(|repeat| interval.as_exact().checked_mul(repeat))
            .and_then(|span| first.checked_add_signed(span))
            .and_then(within_calendar);
        last.is_some()
    }
}

/// Whether the entry is an appointment with someone or a reminder to oneself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    #[default]
    Appointment,
    Reminder,
}

/// Carnet's own appointment fields, exported as `X-CARNET-*` properties.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentDetails {
    /// Practitioner (*professionnel de santé*) seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<String>,
    /// Facility (*établissement*): hospital, lab, health centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialty: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl AppointmentDetails {
    pub fn is_empty(&self) -> bool {
        self == &AppointmentDetails::default()
    }
}

/// An appointment or reminder, or one overridden instance of a recurring one
/// (when `recurrence_id` is set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub uid: String,
    #[serde(default)]
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub start: EventTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<EventEnd>,
    #[serde(default, skip_serializing_if = "Recurrence::is_empty")]
    pub recurrence: Recurrence,
    /// Set on an overridden instance: the original start it replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence_id: Option<EventTime>,
    /// `RANGE=THISANDFUTURE` on the RECURRENCE-ID.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub this_and_future: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<Alarm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default)]
    pub sequence: u32,
    /// DTSTAMP of the imported copy: when its sender wrote this version. With
    /// SEQUENCE it orders two versions of the same event (RFC 5546 §2.1.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtstamp: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "AppointmentDetails::is_empty")]
    pub appointment: AppointmentDetails,
}

impl Event {
    /// Creates a one-off event with the given start and no other field set.
    pub fn new(uid: impl Into<String>, start: EventTime) -> Self {
        Event {
            uid: uid.into(),
            kind: EventKind::default(),
            summary: None,
            description: None,
            location: None,
            start,
            end: None,
            recurrence: Recurrence::default(),
            recurrence_id: None,
            this_and_future: false,
            alarms: Vec::new(),
            categories: Vec::new(),
            status: None,
            sequence: 0,
            dtstamp: None,
            appointment: AppointmentDetails::default(),
        }
    }

    /// Creates an appointment in Europe/Paris starting at wall-clock `start`
    /// and lasting `minutes`.
    pub fn appointment(uid: impl Into<String>, start: NaiveDateTime, minutes: u32) -> Self {
        let mut event = Event::new(uid, EventTime::paris(start));
        event.end = Some(EventEnd::After {
            duration: IcsDuration {
                hours: minutes / 60,
                minutes: minutes % 60,
                ..IcsDuration::default()
            },
        });
        event
    }

    /// Length of one occurrence as a duration applied to the wall clock of
    /// its start. Without DTEND or DURATION a dated event lasts one day and a
    /// timed one has no length (RFC 5545 §3.6.1).
    pub fn duration(&self) -> IcsDuration {
        match &self.end {
            Some(EventEnd::After { duration }) => *duration,
            Some(EventEnd::At { time }) => {
                let end = time.local_in_frame_of(&self.start);
                let length = end - self.start.naive_local();
                IcsDuration::from_exact(length.max(Duration::zero()))
            }
            None if self.start.is_date() => IcsDuration {
                days: 1,
                ..IcsDuration::default()
            },
            None => IcsDuration::default(),
        }
    }

    /// Checks an event before it is stored: a non-empty UID, zones found in
    /// the tz database, an end not before the start, and rules the expander
    /// accepts.
    pub fn validate(&self) -> Result<(), EventValidationError> {
        if self.uid.trim().is_empty() {
            return Err(EventValidationError::EmptyUid);
        }
        let mut times = vec![&self.start];
        if let Some(EventEnd::At { time }) = &self.end {
            times.push(time);
        }
        times.extend(self.recurrence_id.iter());
        times.extend(self.recurrence.exceptions.iter());
        times.extend(self.recurrence.dates.iter().map(RecurrenceDate::start));
        for time in times {
            if let EventTime::Zoned { tzid, .. } = time
                && tzid.parse::<Tz>().is_err()
            {
                return Err(EventValidationError::UnknownTimeZone { tzid: tzid.clone() });
            }
        }
        let ends_before_start = match &self.end {
            Some(EventEnd::At { time }) => {
                time.local_in_frame_of(&self.start) < self.start.naive_local()
            }
            Some(EventEnd::After { duration }) => duration.negative,
            None => false,
        };
        if ends_before_start {
            return Err(EventValidationError::EndBeforeStart);
        }
        if let Some(property) = self.out_of_range_property() {
            return Err(EventValidationError::OutOfRange {
                property: property.to_owned(),
            });
        }
        crate::expand::check_rules(self)
            .map_err(|reason| EventValidationError::UnsupportedRule { reason })
    }

    /// Returns the first property whose end or offset falls outside years 0 to
    /// [`MAX_YEAR`] when applied to the event's start: DURATION, an RDATE
    /// period or an alarm TRIGGER with its REPEAT.
    pub fn out_of_range_property(&self) -> Option<&'static str> {
        let start = self.start.naive_local();
        if let Some(EventEnd::After { duration }) = &self.end
            && duration.checked_add_to(start).is_none()
        {
            return Some("DURATION");
        }
        for date in &self.recurrence.dates {
            if let RecurrenceDate::Period {
                start,
                end: EventEnd::After { duration },
            } = date
                && duration.checked_add_to(start.naive_local()).is_none()
            {
                return Some("RDATE");
            }
        }
        let end = self.duration().add_to(start);
        for alarm in &self.alarms {
            if !alarm.fits_calendar(start, end) {
                return Some("TRIGGER");
            }
        }
        None
    }

    /// True when STATUS is CANCELLED (RFC 5545 §3.8.1.11), set by the organiser
    /// or by importing a `METHOD:CANCEL` calendar.
    pub fn is_cancelled(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|status| status.trim().eq_ignore_ascii_case("CANCELLED"))
    }

    /// True for a master event that repeats.
    pub fn is_recurring(&self) -> bool {
        self.recurrence_id.is_none()
            && (!self.recurrence.rules.is_empty() || !self.recurrence.dates.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn spring_gap_uses_offset_before_gap() {
        let utc = local_to_utc(at(2025, 3, 30, 2, 30), chrono_tz::Europe::Paris);
        assert_eq!(utc, at(2025, 3, 30, 1, 30).and_utc());
    }

    #[test]
    fn autumn_fold_takes_first_instant() {
        let utc = local_to_utc(at(2025, 10, 26, 2, 30), chrono_tz::Europe::Paris);
        assert_eq!(utc, at(2025, 10, 26, 0, 30).and_utc());
    }

    #[test]
    fn duration_display_matches_rfc_forms() {
        assert_eq!(
            IcsDuration {
                days: 1,
                ..Default::default()
            }
            .to_string(),
            "P1D"
        );
        let alarm = IcsDuration {
            negative: true,
            minutes: 15,
            ..Default::default()
        };
        assert_eq!(alarm.to_string(), "-PT15M");
        assert_eq!(IcsDuration::default().to_string(), "PT0S");
    }

    #[test]
    fn validate_rejects_bad_events() {
        let good = Event::appointment("a", at(2025, 6, 10, 9, 30), 30);
        assert_eq!(good.validate(), Ok(()));

        let mut no_uid = good.clone();
        no_uid.uid = " ".into();
        assert_eq!(no_uid.validate(), Err(EventValidationError::EmptyUid));

        let mut bad_zone = good.clone();
        bad_zone.start = EventTime::Zoned {
            local: at(2025, 6, 10, 9, 30),
            tzid: "Paris".into(),
        };
        assert!(matches!(
            bad_zone.validate(),
            Err(EventValidationError::UnknownTimeZone { .. })
        ));

        let mut backwards = good.clone();
        backwards.end = Some(EventEnd::At {
            time: EventTime::paris(at(2025, 6, 10, 9, 0)),
        });
        assert_eq!(
            backwards.validate(),
            Err(EventValidationError::EndBeforeStart)
        );

        let mut bad_rule = good.clone();
        bad_rule
            .recurrence
            .rules
            .push(crate::rule::RecurrenceRule::parse("FREQ=WEEKLY;BYMONTHDAY=1").unwrap());
        assert!(matches!(
            bad_rule.validate(),
            Err(EventValidationError::UnsupportedRule { .. })
        ));
    }

    #[test]
    fn event_serde_round_trip() {
        let mut event = Event::appointment("uid-1", at(2025, 6, 10, 9, 30), 90);
        assert_eq!(event.duration().to_string(), "PT1H30M");
        event.appointment.practitioner = Some("Dr Martin".into());
        let json = serde_json::to_string(&event).unwrap();
        let back: Event = serde_json::from_str(&json).unwrap();
        assert_eq!(back, event);
    }
}
