//! Writing events as an iCalendar stream: CRLF line ends, lines folded at 75
//! octets without splitting a UTF-8 character, TEXT escaped.
//!
//! Zoned times are written with their Olson name as TZID and no VTIMEZONE,
//! which Carnet's importer resolves through the tz database.
//! NOTE: RFC 5545 §3.2.19 requires a VTIMEZONE for each TZID, so a strict
//! reader may read these times as floating.

use chrono::{DateTime, Utc};

use super::value::escape_text;
use crate::event::{
    Alarm, AlarmAction, Event, EventEnd, EventKind, EventTime, RecurrenceDate, Trigger,
    TriggerRelation,
};

const PRODID: &str = "-//Carnet//Carnet agenda//FR";
const MAX_LINE_OCTETS: usize = 75;

/// Writes `events` as one VCALENDAR. DTSTAMP is each event's own stamp when
/// it has one (imported events), else the current time.
pub fn write_calendar(events: &[Event]) -> String {
    write_calendar_at(events, Utc::now())
}

/// Writes `events` as one VCALENDAR with `stamp` as the DTSTAMP of events
/// that have none (for reproducible output).
pub fn write_calendar_at(events: &[Event], stamp: DateTime<Utc>) -> String {
    let mut out = Writer::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line(&format!("PRODID:{PRODID}"));
    out.line("CALSCALE:GREGORIAN");
    for event in events {
        write_event(&mut out, event, stamp);
    }
    out.line("END:VCALENDAR");
    out.text
}

#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    /// Appends one content line, folded at 75 octets.
    fn line(&mut self, line: &str) {
        let mut budget = MAX_LINE_OCTETS;
        let mut start = 0;
        for (index, c) in line.char_indices() {
            if index - start + c.len_utf8() > budget {
                self.text.push_str(&line[start..index]);
                self.text.push_str("\r\n ");
                start = index;
                // The leading space of a continuation counts towards its 75 octets.
                budget = MAX_LINE_OCTETS - 1;
            }
        }
        self.text.push_str(&line[start..]);
        self.text.push_str("\r\n");
    }

    fn text_property(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.line(&format!("{name}:{}", escape_text(value)));
        }
    }

    fn time_property(&mut self, name: &str, extra_params: &str, time: &EventTime) {
        let (params, value) = format_time(time);
        self.line(&format!("{name}{extra_params}{params}:{value}"));
    }
}

/// Returns the parameters (`;VALUE=DATE`, `;TZID=…`) and value of a time.
fn format_time(time: &EventTime) -> (String, String) {
    match time {
        EventTime::Date { date } => (";VALUE=DATE".to_owned(), date.format("%Y%m%d").to_string()),
        EventTime::Floating { local } => (String::new(), local.format("%Y%m%dT%H%M%S").to_string()),
        EventTime::Zoned { local, tzid } => (
            format!(";TZID={}", parameter_value(tzid)),
            local.format("%Y%m%dT%H%M%S").to_string(),
        ),
        EventTime::Utc { instant } => (String::new(), instant.format("%Y%m%dT%H%M%SZ").to_string()),
    }
}

/// Writes a parameter value, quoted when it contains `;`, `:` or `,`.
/// Double quotes and control characters cannot be written and are dropped.
fn parameter_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    if clean.contains([';', ':', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Drops control characters from a value written without TEXT escaping
/// (UID, STATUS, ATTENDEE, ACTION), so a stray newline cannot end the line.
fn raw(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

fn write_event(out: &mut Writer, event: &Event, stamp: DateTime<Utc>) {
    out.line("BEGIN:VEVENT");
    out.line(&format!("UID:{}", raw(&event.uid)));
    // An imported event keeps its sender's DTSTAMP, which orders it against
    // other versions of the same SEQUENCE when the export is imported again.
    let stamp = event.dtstamp.unwrap_or(stamp);
    out.line(&format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")));
    out.time_property("DTSTART", "", &event.start);
    match &event.end {
        Some(EventEnd::At { time }) => out.time_property("DTEND", "", time),
        Some(EventEnd::After { duration }) => out.line(&format!("DURATION:{duration}")),
        None => {}
    }

    if let Some(recurrence_id) = &event.recurrence_id {
        let range = if event.this_and_future {
            ";RANGE=THISANDFUTURE"
        } else {
            ""
        };
        out.time_property("RECURRENCE-ID", range, recurrence_id);
    }
    if event.sequence > 0 {
        out.line(&format!("SEQUENCE:{}", event.sequence));
    }

    out.text_property("SUMMARY", event.summary.as_deref());
    out.text_property("DESCRIPTION", event.description.as_deref());
    out.text_property("LOCATION", event.location.as_deref());
    if let Some(status) = &event.status {
        out.line(&format!("STATUS:{}", raw(status)));
    }
    if !event.categories.is_empty() {
        let escaped: Vec<String> = event.categories.iter().map(|c| escape_text(c)).collect();
        out.line(&format!("CATEGORIES:{}", escaped.join(",")));
    }

    for rule in &event.recurrence.rules {
        out.line(&format!("RRULE:{rule}"));
    }
    for date in &event.recurrence.dates {
        match date {
            RecurrenceDate::Start { time } => out.time_property("RDATE", "", time),
            RecurrenceDate::Period { start, end } => {
                let (params, start_text) = format_time(start);
                let end_text = match end {
                    EventEnd::At { time } => format_time(time).1,
                    EventEnd::After { duration } => duration.to_string(),
                };
                let params = params.replace(";VALUE=DATE", "");
                out.line(&format!(
                    "RDATE;VALUE=PERIOD{params}:{start_text}/{end_text}"
                ));
            }
        }
    }
    for exception in &event.recurrence.exceptions {
        out.time_property("EXDATE", "", exception);
    }

    if event.kind == EventKind::Reminder {
        out.line("X-CARNET-KIND:REMINDER");
    }
    let details = &event.appointment;
    out.text_property("X-CARNET-PRACTITIONER", details.practitioner.as_deref());
    out.text_property("X-CARNET-FACILITY", details.facility.as_deref());
    out.text_property("X-CARNET-SPECIALTY", details.specialty.as_deref());
    out.text_property("X-CARNET-ADDRESS", details.address.as_deref());
    out.text_property("X-CARNET-NOTES", details.notes.as_deref());

    for alarm in &event.alarms {
        write_alarm(out, alarm);
    }
    out.line("END:VEVENT");
}

fn write_alarm(out: &mut Writer, alarm: &Alarm) {
    out.line("BEGIN:VALARM");
    let action = match &alarm.action {
        AlarmAction::Display => "DISPLAY",
        AlarmAction::Audio => "AUDIO",
        AlarmAction::Email => "EMAIL",
        AlarmAction::Other(name) => name.as_str(),
    };
    out.line(&format!("ACTION:{}", raw(action)));
    match &alarm.trigger {
        Trigger::Relative { offset, related } => {
            let related = match related {
                TriggerRelation::Start => "",
                TriggerRelation::End => ";RELATED=END",
            };
            out.line(&format!("TRIGGER{related}:{offset}"));
        }
        Trigger::Absolute { instant } => out.line(&format!(
            "TRIGGER;VALUE=DATE-TIME:{}",
            instant.format("%Y%m%dT%H%M%SZ")
        )),
    }
    out.text_property("DESCRIPTION", alarm.description.as_deref());
    out.text_property("SUMMARY", alarm.summary.as_deref());
    for attendee in &alarm.attendees {
        out.line(&format!("ATTENDEE:{}", raw(attendee)));
    }
    if let Some(repeat) = alarm.repeat {
        out.line(&format!("REPEAT:{repeat}"));
    }
    if let Some(interval) = &alarm.repeat_interval {
        out.line(&format!("DURATION:{interval}"));
    }
    out.line("END:VALARM");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newline_in_uid_cannot_inject_a_property() {
        use crate::event::EventTime;
        let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let mut event = Event::new("a\r\nRRULE:FREQ=SECONDLY", EventTime::paris(start));
        event.summary = Some("x\u{0}y".into());
        let written = write_calendar_at(&[event], Utc::now());
        assert!(!written.contains("\r\nRRULE"));
        assert!(written.contains("UID:aRRULE:FREQ=SECONDLY\r\n"));
        assert!(written.contains("SUMMARY:xy\r\n"));
    }

    #[test]
    fn parameter_values_are_quoted() {
        assert_eq!(parameter_value("Europe/Paris"), "Europe/Paris");
        assert_eq!(parameter_value("a;b\"c"), "\"a;bc\"");
    }

    #[test]
    fn folding_respects_75_octets() {
        let mut writer = Writer::default();
        let long = format!("SUMMARY:{}", "é🎉a".repeat(40));
        writer.line(&long);
        for physical in writer.text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = writer.text.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }
}
