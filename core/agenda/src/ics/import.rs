//! Conversion of parsed components into [`Event`]s.
//!
//! Each VEVENT is converted on its own: an invalid one is returned in
//! [`ImportReport::rejected`] with its line and reason, and the others are
//! kept. Problems that do not cost an event (an unknown time zone read as
//! floating time, a skipped VTODO, a malformed line outside any event) are
//! returned as warnings.

use std::collections::HashMap;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::IcsError;
use super::contentline::{Component, Encoding, Property, decode_lines, parse_lines};
use super::timezone::{Resolution, resolve};
use super::value::{RawTime, parse_duration, parse_time, split_list, unescape_text};
use crate::event::{
    Alarm, AlarmAction, AppointmentDetails, Event, EventEnd, EventKind, EventTime, Recurrence,
    RecurrenceDate, Trigger, TriggerRelation,
};
use crate::rule::{RecurrenceRule, RuleError};

/// Result of importing one `.ics` file.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub events: Vec<Event>,
    pub rejected: Vec<RejectedEvent>,
    pub warnings: Vec<ImportWarning>,
}

/// A VEVENT that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedEvent {
    /// Line of its `BEGIN:VEVENT`.
    pub line: usize,
    pub uid: Option<String>,
    pub reason: EventError,
}

/// Reason a VEVENT was rejected. Messages name the property and line, never
/// the event's text.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventError {
    #[error("line {line}: malformed content line: {reason}")]
    MalformedLine { line: usize, reason: String },
    #[error("event has no DTSTART")]
    MissingStart,
    #[error("line {line}: {property} appears more than once")]
    DuplicateProperty { property: String, line: usize },
    #[error("line {line}: invalid {property} value {value:?}")]
    InvalidValue {
        property: String,
        line: usize,
        value: String,
    },
    #[error("line {line}: invalid RRULE: {source}")]
    InvalidRule { line: usize, source: RuleError },
    #[error("event is not closed by END:VEVENT before the end of the file")]
    Unterminated,
    #[error("line {line}: {property} ends after year {max_year}", max_year = crate::event::MAX_YEAR)]
    OutOfRange { property: String, line: usize },
}

/// A problem that did not cost an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ImportWarning {
    /// The file is not valid UTF-8 and was read as Latin-1.
    Latin1Fallback,
    /// Bytes of this line that are not UTF-8 were replaced with U+FFFD, and
    /// the rest of the file was read as UTF-8.
    InvalidUtf8 {
        line: usize,
    },
    MalformedLine {
        line: usize,
        reason: String,
    },
    /// A VTODO, VJOURNAL, VFREEBUSY or unknown component was skipped.
    SkippedComponent {
        name: String,
        line: usize,
    },
    UnclosedComponent {
        name: String,
        line: usize,
    },
    /// The TZID matched no Olson zone, so its times were read as floating.
    UnknownTimeZone {
        tzid: String,
        line: usize,
    },
    /// The TZID was mapped to an Olson zone by a rule other than its name.
    TimeZoneMapped {
        tzid: String,
        olson: String,
    },
    InvalidAlarm {
        line: usize,
        reason: String,
    },
    /// The RRULE parsed but the expander rejects it (BYMONTHDAY with
    /// FREQ=WEEKLY, which RFC 5545 forbids), so the event occurs only on its
    /// DTSTART and RDATEs.
    UnsupportedRule {
        line: usize,
        reason: String,
    },
}

/// Imports every VEVENT of an `.ics` file. Fails only when the whole file
/// is unusable (empty, too large, too deep, not text, no iCalendar component).
pub fn import_ics(bytes: &[u8]) -> Result<ImportReport, IcsError> {
    let decoded = decode_lines(bytes)?;
    let stream = parse_lines(decoded.lines)?;
    if stream.components.is_empty() {
        let binary = bytes.contains(&0) || decoded.encoding == Encoding::Latin1;
        return Err(if binary {
            IcsError::NotText
        } else {
            IcsError::NoCalendar
        });
    }
    let mut report = ImportReport::default();
    if decoded.encoding == Encoding::Latin1 {
        report.warnings.push(ImportWarning::Latin1Fallback);
    }
    for line in decoded.replaced {
        report.warnings.push(ImportWarning::InvalidUtf8 { line });
    }
    for issue in stream.issues {
        report.warnings.push(ImportWarning::MalformedLine {
            line: issue.line,
            reason: issue.reason,
        });
    }

    // Bare VEVENTs and VTIMEZONEs at top level form one implicit calendar.
    let (calendars, bare): (Vec<Component>, Vec<Component>) = stream
        .components
        .into_iter()
        .partition(|c| c.name == "VCALENDAR");
    if !bare.is_empty() {
        import_calendar_body(&bare, false, &mut report);
    }
    for calendar in &calendars {
        if !calendar.closed {
            report.warnings.push(ImportWarning::UnclosedComponent {
                name: calendar.name.clone(),
                line: calendar.line,
            });
        }
        for issue in &calendar.issues {
            report.warnings.push(ImportWarning::MalformedLine {
                line: issue.line,
                reason: issue.reason.clone(),
            });
        }
        // RFC 5546 §3.2.5: every VEVENT of a METHOD:CANCEL calendar cancels the
        // event (or, with a RECURRENCE-ID, the instance) of the same UID.
        let cancels = calendar
            .property("METHOD")
            .is_some_and(|method| method.value.trim().eq_ignore_ascii_case("CANCEL"));
        import_calendar_body(&calendar.children, cancels, &mut report);
    }
    Ok(report)
}

fn import_calendar_body(components: &[Component], cancels: bool, report: &mut ImportReport) {
    let timezones: Vec<&Component> = components
        .iter()
        .filter(|c| c.name == "VTIMEZONE")
        .collect();
    let mut resolved = HashMap::new();
    for component in components {
        match component.name.as_str() {
            "VEVENT" => {
                let mut context = Context {
                    timezones: &timezones,
                    resolved: &mut resolved,
                    warnings: Vec::new(),
                };
                match convert_event(component, &mut context) {
                    Ok(mut event) => {
                        if cancels {
                            event.status = Some("CANCELLED".to_owned());
                        }
                        report.events.push(event)
                    }
                    Err(reason) => report.rejected.push(RejectedEvent {
                        line: component.line,
                        uid: component.property("UID").map(|p| p.value.trim().to_owned()),
                        reason,
                    }),
                }
                for warning in context.warnings {
                    if !report.warnings.contains(&warning) {
                        report.warnings.push(warning);
                    }
                }
            }
            "VTIMEZONE" => report_line_issues(component, report),
            other => {
                report.warnings.push(ImportWarning::SkippedComponent {
                    name: other.to_owned(),
                    line: component.line,
                });
                report_line_issues(component, report);
            }
        }
    }
}

/// Reports malformed lines of a component that is not imported as an event.
fn report_line_issues(component: &Component, report: &mut ImportReport) {
    for issue in &component.issues {
        report.warnings.push(ImportWarning::MalformedLine {
            line: issue.line,
            reason: issue.reason.clone(),
        });
    }
    for child in &component.children {
        report_line_issues(child, report);
    }
}

struct Context<'a> {
    timezones: &'a [&'a Component],
    /// TZIDs already resolved in this calendar (an RDATE list repeats its TZID).
    resolved: &'a mut HashMap<String, Option<(Tz, Resolution)>>,
    warnings: Vec<ImportWarning>,
}

impl Context<'_> {
    fn resolve(&mut self, tzid: &str) -> Option<(Tz, Resolution)> {
        if let Some(known) = self.resolved.get(tzid) {
            return *known;
        }
        let found = resolve(tzid, self.timezones);
        self.resolved.insert(tzid.to_owned(), found);
        found
    }

    fn time(&mut self, property: &Property, text: &str) -> Result<EventTime, EventError> {
        let raw =
            parse_time(text, property.param("VALUE")).ok_or_else(|| invalid(property, text))?;
        Ok(match raw {
            RawTime::Date(date) => EventTime::Date { date },
            RawTime::Utc(instant) => EventTime::Utc { instant },
            RawTime::Local(local) => match property.param("TZID") {
                None => EventTime::Floating { local },
                Some(tzid) => match self.resolve(tzid) {
                    Some((zone, how)) => {
                        if how != Resolution::Olson {
                            let warning = ImportWarning::TimeZoneMapped {
                                tzid: tzid.to_owned(),
                                olson: zone.name().to_owned(),
                            };
                            if !self.warnings.contains(&warning) {
                                self.warnings.push(warning);
                            }
                        }
                        EventTime::Zoned {
                            local,
                            tzid: zone.name().to_owned(),
                        }
                    }
                    None => {
                        self.warnings.push(ImportWarning::UnknownTimeZone {
                            tzid: tzid.to_owned(),
                            line: property.line,
                        });
                        EventTime::Floating { local }
                    }
                },
            },
        })
    }
}

fn invalid(property: &Property, value: &str) -> EventError {
    EventError::InvalidValue {
        property: property.name.clone(),
        line: property.line,
        value: value.chars().take(64).collect(),
    }
}

fn out_of_range(property: &Property) -> EventError {
    EventError::OutOfRange {
        property: property.name.clone(),
        line: property.line,
    }
}

/// Returns the single property `name`, rejecting a repeated one.
fn single<'a>(component: &'a Component, name: &'a str) -> Result<Option<&'a Property>, EventError> {
    let mut found = component.properties_named(name);
    let first = found.next();
    if let Some(second) = found.next() {
        return Err(EventError::DuplicateProperty {
            property: name.to_owned(),
            line: second.line,
        });
    }
    Ok(first)
}

fn text(component: &Component, name: &str) -> Option<String> {
    component.property(name).map(|p| unescape_text(&p.value))
}

fn convert_event(component: &Component, context: &mut Context<'_>) -> Result<Event, EventError> {
    if let Some(issue) = component.issues.first() {
        return Err(EventError::MalformedLine {
            line: issue.line,
            reason: issue.reason.clone(),
        });
    }
    if !component.closed {
        return Err(EventError::Unterminated);
    }
    let start_property = single(component, "DTSTART")?.ok_or(EventError::MissingStart)?;
    let start = context.time(start_property, &start_property.value)?;

    let end = match (single(component, "DTEND")?, single(component, "DURATION")?) {
        (Some(property), _) => Some(EventEnd::At {
            time: context.time(property, &property.value)?,
        }),
        (None, Some(property)) => {
            let duration = parse_duration(&property.value)
                .ok_or_else(|| invalid(property, &property.value))?;
            if duration.checked_add_to(start.naive_local()).is_none() {
                return Err(out_of_range(property));
            }
            Some(EventEnd::After { duration })
        }
        (None, None) => None,
    };

    let uid = match single(component, "UID")? {
        Some(property) if !property.value.trim().is_empty() => property.value.trim().to_owned(),
        _ => synthesize_uid(component),
    };

    let mut event = Event::new(uid, start);
    event.end = end;
    event.summary = text(component, "SUMMARY");
    event.description = text(component, "DESCRIPTION");
    event.location = text(component, "LOCATION");
    event.status = component
        .property("STATUS")
        .map(|p| p.value.trim().to_owned());
    event.sequence = component
        .property("SEQUENCE")
        .and_then(|p| p.value.trim().parse().ok())
        .unwrap_or(0);
    event.dtstamp = component
        .property("DTSTAMP")
        .and_then(|p| match parse_time(&p.value, None) {
            Some(RawTime::Utc(instant)) => Some(instant),
            _ => None,
        });
    event.categories = component
        .properties_named("CATEGORIES")
        .flat_map(|p| {
            split_list(&p.value)
                .into_iter()
                .map(unescape_text)
                .collect::<Vec<_>>()
        })
        .filter(|category| !category.is_empty())
        .collect();
    event.recurrence = convert_recurrence(component, context)?;
    if let Some(property) = single(component, "RECURRENCE-ID")? {
        event.recurrence_id = Some(context.time(property, &property.value)?);
        event.this_and_future = property
            .param("RANGE")
            .is_some_and(|range| range.eq_ignore_ascii_case("THISANDFUTURE"));
    }
    event.kind = match component.property("X-CARNET-KIND").map(|p| p.value.trim()) {
        Some(kind) if kind.eq_ignore_ascii_case("REMINDER") => EventKind::Reminder,
        _ => EventKind::Appointment,
    };
    event.appointment = AppointmentDetails {
        practitioner: text(component, "X-CARNET-PRACTITIONER"),
        facility: text(component, "X-CARNET-FACILITY"),
        specialty: text(component, "X-CARNET-SPECIALTY"),
        address: text(component, "X-CARNET-ADDRESS"),
        notes: text(component, "X-CARNET-NOTES"),
    };
    if let Err(reason) = crate::expand::check_rules(&event) {
        context.warnings.push(ImportWarning::UnsupportedRule {
            line: component.line,
            reason,
        });
    }
    let event_start = event.start.naive_local();
    let event_end = event.duration().add_to(event_start);
    for child in &component.children {
        if child.name != "VALARM" {
            continue;
        }
        match convert_alarm(child) {
            Ok(alarm) if !alarm.fits_calendar(event_start, event_end) => {
                context.warnings.push(ImportWarning::InvalidAlarm {
                    line: child.line,
                    reason: format!(
                        "TRIGGER or REPEAT reaches after year {}",
                        crate::event::MAX_YEAR
                    ),
                })
            }
            Ok(alarm) => event.alarms.push(alarm),
            Err(reason) => context.warnings.push(ImportWarning::InvalidAlarm {
                line: child.line,
                reason,
            }),
        }
    }
    Ok(event)
}

fn convert_recurrence(
    component: &Component,
    context: &mut Context<'_>,
) -> Result<Recurrence, EventError> {
    let mut recurrence = Recurrence::default();
    for property in component.properties_named("RRULE") {
        let rule =
            RecurrenceRule::parse(&property.value).map_err(|source| EventError::InvalidRule {
                line: property.line,
                source,
            })?;
        recurrence.rules.push(rule);
    }
    for property in component.properties_named("RDATE") {
        let is_period = property
            .param("VALUE")
            .is_some_and(|v| v.eq_ignore_ascii_case("PERIOD"));
        for item in split_list(&property.value) {
            if is_period {
                let (start_text, end_text) = item
                    .split_once('/')
                    .ok_or_else(|| invalid(property, item))?;
                let start = context.time(property, start_text)?;
                let end = match parse_duration(end_text) {
                    Some(duration) if duration.checked_add_to(start.naive_local()).is_none() => {
                        return Err(out_of_range(property));
                    }
                    Some(duration) => EventEnd::After { duration },
                    None => EventEnd::At {
                        time: context.time(property, end_text)?,
                    },
                };
                recurrence.dates.push(RecurrenceDate::Period { start, end });
            } else {
                let time = context.time(property, item)?;
                recurrence.dates.push(RecurrenceDate::Start { time });
            }
        }
    }
    for property in component.properties_named("EXDATE") {
        for item in split_list(&property.value) {
            recurrence.exceptions.push(context.time(property, item)?);
        }
    }
    Ok(recurrence)
}

fn convert_alarm(component: &Component) -> Result<Alarm, String> {
    if let Some(issue) = component.issues.first() {
        return Err(format!("line {}: {}", issue.line, issue.reason));
    }
    let action = match component
        .property("ACTION")
        .map(|p| p.value.trim().to_ascii_uppercase())
    {
        Some(action) if action == "DISPLAY" => AlarmAction::Display,
        Some(action) if action == "AUDIO" => AlarmAction::Audio,
        Some(action) if action == "EMAIL" => AlarmAction::Email,
        Some(other) if !other.is_empty() => AlarmAction::Other(other),
        _ => return Err("VALARM has no ACTION".to_owned()),
    };
    let trigger_property = component
        .property("TRIGGER")
        .ok_or_else(|| "VALARM has no TRIGGER".to_owned())?;
    let is_absolute = trigger_property
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE-TIME"));
    let trigger = if is_absolute {
        match parse_time(&trigger_property.value, Some("DATE-TIME")) {
            Some(RawTime::Utc(instant)) => Trigger::Absolute { instant },
            _ => return Err("absolute TRIGGER must be a UTC date-time".to_owned()),
        }
    } else {
        let offset = parse_duration(&trigger_property.value)
            .ok_or_else(|| "TRIGGER is not a valid duration".to_owned())?;
        let related = match trigger_property.param("RELATED") {
            Some(r) if r.eq_ignore_ascii_case("END") => TriggerRelation::End,
            _ => TriggerRelation::Start,
        };
        Trigger::Relative { offset, related }
    };
    Ok(Alarm {
        action,
        trigger,
        description: text(component, "DESCRIPTION"),
        summary: text(component, "SUMMARY"),
        attendees: component
            .properties_named("ATTENDEE")
            .map(|p| p.value.trim().to_owned())
            .collect(),
        repeat: component
            .property("REPEAT")
            .and_then(|p| p.value.trim().parse().ok()),
        repeat_interval: component
            .property("DURATION")
            .and_then(|p| parse_duration(&p.value)),
    })
}

/// Builds a stable UID for an event that has none (RFC 5545 requires one,
/// some exporters omit it): an FNV-1a hash of its property lines, so that
/// importing the same file twice gives the same UID.
fn synthesize_uid(component: &Component) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for property in &component.properties {
        for byte in property
            .name
            .bytes()
            .chain([b':'])
            .chain(property.value.bytes())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("carnet-import-{hash:016x}")
}
