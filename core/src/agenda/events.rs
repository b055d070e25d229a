//! Appointments and reminders per person, and `.ics` import and export.
//!
//! A series is stored per (person, UID): one `agenda_events` row and one `event`
//! record holding the master event and its overrides (`RECURRENCE-ID`) as a JSON
//! array, because iCalendar gives them all the same UID. Importing a file replaces
//! the stored series of each UID it contains, so re-importing updates instead of
//! duplicating.

use std::collections::{BTreeMap, HashMap};

use carnet_agenda::ics::{EventError, IcsError, ImportReport, ImportWarning, write_calendar};
use carnet_agenda::{Event, EventTime, EventValidationError, Occurrence, occurrences};
use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::json;
use tracing::warn;

use crate::crypto::SecretKey;
use crate::error::VaultError;
use crate::hlc::Stamp;
use crate::i18n::Message;
use crate::people::Person;
use crate::records::{self, kind};
use crate::vault::Vault;

/// Zone in which dates and floating times are read to sort occurrences.
const READER_TZ: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// iCalendar property naming the person an exported event belongs to.
pub const PERSON_PROPERTY: &str = "X-CARNET-PERSON";

/// One occurrence in a person's agenda, with the event it comes from (the
/// master, or the override that replaces this instance). The event's RDATE and
/// EXDATE lists are left out: the occurrence already applies them, and copying
/// thousands of dates into every occurrence would make memory grow with the
/// product of the two.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub person_id: String,
    pub occurrence: Occurrence,
    pub event: Event,
}

/// A VEVENT of an imported file that was not stored.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaRejection {
    /// Line of its `BEGIN:VEVENT`, when the parser rejected it; `None` when the
    /// event parsed but failed [`Event::validate`].
    pub line: Option<usize>,
    pub uid: Option<String>,
    /// The reason, to render in the user's language.
    pub reason: Message,
}

/// Outcome of [`Vault::import_ics`]. Counts are series (distinct UIDs).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AgendaImportSummary {
    /// Series new to the person.
    pub imported: usize,
    /// Series that replaced a stored series with the same UID.
    pub updated: usize,
    pub rejected: Vec<AgendaRejection>,
    /// Series left unchanged because the file contains an older version of them.
    pub skipped: Vec<AgendaSkip>,
    /// Problems that cost no event (unknown time zones read as floating…).
    pub warnings: Vec<ImportWarning>,
}

/// A series of an imported file that was not stored because the vault contains a
/// newer version of it (RFC 5546 §2.1.5: higher SEQUENCE, or the same SEQUENCE
/// and a later DTSTAMP).
#[derive(Debug, Clone, Serialize)]
pub struct AgendaSkip {
    pub uid: String,
    /// The reason, to render in the user's language.
    pub reason: Message,
}

/// One stored series.
struct Series {
    person_id: String,
    events: Vec<Event>,
}

impl Vault {
    /// Adds an event to a person's agenda after [`Event::validate`]. An override
    /// (with `recurrence_id`) joins the stored series of its UID.
    ///
    /// Fails with [`VaultError::InvalidInput`] when the event is invalid or an
    /// event with the same UID and recurrence id is already stored.
    pub fn add_event(&mut self, person_id: &str, event: Event) -> Result<(), VaultError> {
        let person = self.person(person_id)?;
        check_event(&event)?;
        let mut series = self
            .load_series(Some(&person.id), Some(&event.uid))?
            .pop()
            .map(|s| s.events)
            .unwrap_or_default();
        if series
            .iter()
            .any(|e| e.recurrence_id == event.recurrence_id)
        {
            return Err(VaultError::InvalidInput {
                field: "event UID",
                value: event.uid.clone(),
                reason: "this person already has an event with this UID; update it instead".into(),
            });
        }
        let uid = event.uid.clone();
        series.push(event);
        self.write_series(&person, &[(uid.clone(), series)])?;
        self.journal("agenda.add", &person.id, "events=1")?;
        Ok(())
    }

    /// Replaces the stored event with the same UID and recurrence id.
    ///
    /// Fails with [`VaultError::InvalidInput`] when the event is invalid or not stored.
    pub fn update_event(&mut self, person_id: &str, event: Event) -> Result<(), VaultError> {
        let person = self.person(person_id)?;
        check_event(&event)?;
        let mut series = self
            .load_series(Some(&person.id), Some(&event.uid))?
            .pop()
            .map(|s| s.events)
            .unwrap_or_default();
        let Some(slot) = series
            .iter_mut()
            .find(|e| e.recurrence_id == event.recurrence_id)
        else {
            return Err(event_not_found(&event.uid));
        };
        let uid = event.uid.clone();
        *slot = event;
        self.write_series(&person, &[(uid, series)])?;
        self.journal("agenda.update", &person.id, "events=1")?;
        Ok(())
    }

    /// Deletes a person's series with this UID (the master and its overrides),
    /// leaving a tombstone record. Returns false when there was none.
    pub fn delete_event(&mut self, person_id: &str, uid: &str) -> Result<bool, VaultError> {
        let person = self.person(person_id)?;
        let row_id: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM agenda_events WHERE person_id = ?1 AND uid = ?2",
                params![person.id, uid],
                |r| r.get(0),
            )
            .optional()?;
        let Some(row_id) = row_id else {
            return Ok(false);
        };
        let stamp = self.stamp()?;
        let space_key = self.space_key(&person.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM agenda_events WHERE id = ?1", [&row_id])?;
        records::delete(
            &tx,
            &person.space_id,
            &space_key,
            &row_id,
            kind::EVENT,
            &stamp,
        )?;
        tx.commit()?;
        self.journal("agenda.delete", &row_id, "")?;
        Ok(true)
    }

    /// Removes one occurrence of a person's recurring series: adds its original
    /// start to the master's EXDATE list and drops the override that replaced
    /// it, if any. `recurrence_id` is the occurrence's original start as
    /// [`Occurrence::recurrence_id`] gives it. A time in another zone than the
    /// master's start is converted to the master's frame first.
    ///
    /// Fails with [`VaultError::InvalidInput`] when the person has no recurring
    /// series with this UID.
    pub fn delete_occurrence(
        &mut self,
        person_id: &str,
        uid: &str,
        recurrence_id: &EventTime,
    ) -> Result<(), VaultError> {
        let person = self.person(person_id)?;
        let mut series = self
            .load_series(Some(&person.id), Some(uid))?
            .pop()
            .map(|s| s.events)
            .unwrap_or_default();
        let Some(master) = series.iter_mut().find(|e| e.is_recurring()) else {
            return Err(event_not_found(uid));
        };
        let excluded = master
            .start
            .with_local(recurrence_id.local_in_frame_of(&master.start));
        if !master.recurrence.exceptions.contains(&excluded) {
            master.recurrence.exceptions.push(excluded.clone());
        }
        master.sequence += 1;
        let master_start = master.start.clone();
        series.retain(|event| match &event.recurrence_id {
            Some(original) => original.local_in_frame_of(&master_start) != excluded.naive_local(),
            None => true,
        });
        self.write_series(&person, &[(uid.to_owned(), series)])?;
        self.journal("agenda.exclude", &person.id, "events=1")?;
        Ok(())
    }

    /// Lists the stored events of one person or of everyone, with their person
    /// id, ordered by person then UID (a master before its overrides).
    pub fn stored_events(
        &self,
        person_id: Option<&str>,
    ) -> Result<Vec<(String, Event)>, VaultError> {
        let person_id = match person_id {
            Some(id) => Some(self.person(id)?.id),
            None => None,
        };
        let mut out = Vec::new();
        for series in self.load_series(person_id.as_deref(), None)? {
            for event in series.events {
                out.push((series.person_id.clone(), event));
            }
        }
        Ok(out)
    }

    /// Returns the occurrences overlapping the wall-clock window `[from, to)` for
    /// one person or everyone, recurrences expanded, sorted by start instant
    /// (dates and floating times read in Europe/Paris).
    pub fn events(
        &self,
        person_id: Option<&str>,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<AgendaItem>, VaultError> {
        let mut per_person: BTreeMap<String, Vec<Event>> = BTreeMap::new();
        for (person, event) in self.stored_events(person_id)? {
            per_person.entry(person).or_default().push(event);
        }
        let mut items = Vec::new();
        // Expanded per person: occurrences() merges events sharing a UID, and two
        // people may hold the same UID (one invitation imported for both).
        for (person, events) in per_person {
            let shown: Vec<Event> = events
                .iter()
                .map(|event| {
                    let mut copy = event.clone();
                    copy.recurrence.dates.clear();
                    copy.recurrence.exceptions.clear();
                    copy
                })
                .collect();
            for occurrence in occurrences(&events, from, to) {
                let event = shown[occurrence.event_index].clone();
                items.push(AgendaItem {
                    person_id: person.clone(),
                    occurrence,
                    event,
                });
            }
        }
        items.sort_by_cached_key(|item| {
            (
                item.occurrence.start.to_utc(READER_TZ),
                item.person_id.clone(),
                item.occurrence.uid.clone(),
            )
        });
        Ok(items)
    }

    /// Imports the VEVENTs of an `.ics` file into a person's agenda. Valid events
    /// are stored, keyed by UID; the others are listed with their reason.
    ///
    /// Fails with [`VaultError::InvalidInput`] only when the whole file is
    /// unreadable (too large, too deep, no iCalendar component).
    pub fn import_ics(
        &mut self,
        person_id: &str,
        bytes: &[u8],
    ) -> Result<AgendaImportSummary, VaultError> {
        self.person(person_id)?;
        let report =
            carnet_agenda::ics::import_ics(bytes).map_err(|e| VaultError::InvalidInput {
                field: "iCalendar file",
                value: format!("{} bytes", bytes.len()),
                reason: e.to_string(),
            })?;
        self.import_ics_report(person_id, report)
    }

    /// Stores the events of an `.ics` file that the caller already parsed with
    /// [`carnet_agenda::ics::import_ics`], so that it can report a file-level
    /// error with [`ics_file_error_message`]. Does what [`Vault::import_ics`]
    /// does after parsing.
    pub fn import_ics_report(
        &mut self,
        person_id: &str,
        report: ImportReport,
    ) -> Result<AgendaImportSummary, VaultError> {
        let person = self.person(person_id)?;
        let mut summary = AgendaImportSummary {
            warnings: report.warnings,
            ..AgendaImportSummary::default()
        };
        for rejected in &report.rejected {
            summary.rejected.push(AgendaRejection {
                line: Some(rejected.line),
                uid: rejected.uid.clone(),
                reason: import_error_message(&rejected.reason),
            });
        }

        // Group by UID in file order, so that a series keeps its overrides.
        let mut groups: Vec<(String, Vec<Event>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for event in report.events {
            if let Err(error) = event.validate() {
                summary.rejected.push(AgendaRejection {
                    line: None,
                    uid: Some(event.uid.clone()),
                    reason: validation_message(&error),
                });
                continue;
            }
            let slot = *index.entry(event.uid.clone()).or_insert_with(|| {
                groups.push((event.uid.clone(), Vec::new()));
                groups.len() - 1
            });
            groups[slot].1.push(event);
        }

        let mut to_store = Vec::with_capacity(groups.len());
        for (uid, incoming) in groups {
            let stored = self
                .load_series(Some(&person.id), Some(&uid))?
                .pop()
                .map(|series| series.events);
            match stored {
                None => to_store.push((uid, incoming)),
                Some(stored) => match merge_imported(stored, incoming) {
                    Ok(series) => to_store.push((uid, series)),
                    Err(reason) => summary.skipped.push(AgendaSkip { uid, reason }),
                },
            }
        }

        let created = self.write_series(&person, &to_store)?;
        summary.imported = created;
        summary.updated = to_store.len() - created;
        self.journal(
            "agenda.import",
            &person.id,
            &format!(
                "imported={} updated={} skipped={} rejected={}",
                summary.imported,
                summary.updated,
                summary.skipped.len(),
                summary.rejected.len()
            ),
        )?;
        Ok(summary)
    }

    /// Writes the events of one person, or of everyone, as one VCALENDAR. Each
    /// VEVENT carries its person's id in an `X-CARNET-PERSON` property. The
    /// importer itself ignores it, so events stay unchanged through a round trip;
    /// [`super::family::split_by_person`] reads it to send a family export back to
    /// each person.
    pub fn export_ics(&mut self, person_id: Option<&str>) -> Result<String, VaultError> {
        let subject = match person_id {
            Some(id) => self.person(id)?.id,
            None => String::new(),
        };
        let stored = self.stored_events(person_id)?;
        let events: Vec<Event> = stored.iter().map(|(_, e)| e.clone()).collect();
        let written = write_calendar(&events);

        let mut out = String::with_capacity(written.len() + stored.len() * 56);
        let mut people = stored.iter().map(|(person, _)| person);
        for line in written.split_inclusive("\r\n") {
            out.push_str(line);
            // write_calendar writes one VEVENT per event, in order; a VALARM
            // opens with BEGIN:VALARM, and folded lines start with a space.
            if line == "BEGIN:VEVENT\r\n"
                && let Some(person) = people.next()
            {
                out.push_str(&format!("{PERSON_PROPERTY}:{person}\r\n"));
            }
        }

        self.journal(
            "agenda.export",
            &subject,
            &format!("events={}", events.len()),
        )?;
        Ok(out)
    }

    /// Stores series for one person in one transaction, replacing stored series
    /// with the same UIDs. Returns how many were new.
    fn write_series(
        &mut self,
        person: &Person,
        series: &[(String, Vec<Event>)],
    ) -> Result<usize, VaultError> {
        if series.is_empty() {
            return Ok(0);
        }
        let stamp = self.stamp()?;
        let space_key = self.space_key(&person.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        let mut created = 0;
        for (uid, events) in series {
            if put_series(&tx, person, &space_key, uid, events, &stamp)? {
                created += 1;
            }
        }
        tx.commit()?;
        Ok(created)
    }

    /// Loads stored series, optionally for one person id and one UID. Rows whose
    /// JSON does not parse (written by a newer Carnet, or damaged) are skipped.
    fn load_series(
        &self,
        person_id: Option<&str>,
        uid: Option<&str>,
    ) -> Result<Vec<Series>, VaultError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, person_id, data FROM agenda_events
             WHERE (?1 IS NULL OR person_id = ?1) AND (?2 IS NULL OR uid = ?2)
             ORDER BY person_id, uid",
        )?;
        let rows = stmt.query_map(params![person_id, uid], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (row_id, person_id, data) = row?;
            match serde_json::from_str::<Vec<Event>>(&data) {
                Ok(events) => out.push(Series { person_id, events }),
                Err(error) => {
                    warn!(event_row = %row_id, %error, "agenda series skipped: unreadable data");
                }
            }
        }
        Ok(out)
    }
}

/// Inserts or replaces one series in `tx`, row and record. Returns true when new.
fn put_series(
    tx: &Transaction<'_>,
    person: &Person,
    space_key: &SecretKey,
    uid: &str,
    events: &[Event],
    stamp: &Stamp,
) -> Result<bool, VaultError> {
    let existing: Option<String> = tx
        .query_row(
            "SELECT id FROM agenda_events WHERE person_id = ?1 AND uid = ?2",
            params![person.id, uid],
            |r| r.get(0),
        )
        .optional()?;
    let data = serde_json::to_value(events).expect("events always serialise");
    let starts_at = series_start(events);
    let created = existing.is_none();
    let row_id = match existing {
        Some(row_id) => {
            tx.execute(
                "UPDATE agenda_events SET starts_at = ?2, data = ?3 WHERE id = ?1",
                params![row_id, starts_at, data.to_string()],
            )?;
            row_id
        }
        None => {
            let row_id = uuid::Uuid::now_v7().to_string();
            tx.execute(
                "INSERT INTO agenda_events (id, person_id, uid, starts_at, data, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    row_id,
                    person.id,
                    uid,
                    starts_at,
                    data.to_string(),
                    chrono::Utc::now().to_rfc3339()
                ],
            )?;
            row_id
        }
    };
    records::write(
        tx,
        &person.space_id,
        space_key,
        &row_id,
        kind::EVENT,
        &[
            ("person_id", json!(person.id)),
            ("uid", json!(uid)),
            ("events", data),
        ],
        stamp,
    )?;
    Ok(created)
}

/// Combines an imported series with the stored series of the same UID.
///
/// A file that contains the master replaces the whole stored series, unless its
/// master is older than the stored one. A file that contains only overrides (one
/// changed or cancelled instance) adds them to the stored series, each one
/// replacing the stored override of the same instance unless it is older.
/// Returns the reason when nothing of the file is newer than the vault.
fn merge_imported(stored: Vec<Event>, incoming: Vec<Event>) -> Result<Vec<Event>, Message> {
    let stored_version = |recurrence_id: &Option<EventTime>| {
        stored
            .iter()
            .find(|event| &event.recurrence_id == recurrence_id)
    };
    if let Some(master) = incoming.iter().find(|e| e.recurrence_id.is_none()) {
        if let Some(reason) = stored_version(&None).and_then(|old| older_reason(master, old)) {
            return Err(reason);
        }
        return Ok(incoming);
    }

    let mut first_reason = None;
    let mut newer = Vec::new();
    for event in incoming {
        match stored_version(&event.recurrence_id).and_then(|old| older_reason(&event, old)) {
            Some(reason) => {
                first_reason.get_or_insert(reason);
            }
            None => newer.push(event),
        }
    }
    if newer.is_empty() {
        return Err(first_reason.expect("an imported group contains at least one event"));
    }
    let mut merged: Vec<Event> = stored
        .into_iter()
        .filter(|old| newer.iter().all(|e| e.recurrence_id != old.recurrence_id))
        .collect();
    merged.extend(newer);
    Ok(merged)
}

/// Returns why `incoming` is an older version than `stored`: a lower SEQUENCE,
/// or the same SEQUENCE with an earlier DTSTAMP. Versions with the same
/// SEQUENCE and no DTSTAMP on either side count as not older.
fn older_reason(incoming: &Event, stored: &Event) -> Option<Message> {
    if incoming.sequence < stored.sequence {
        return Some(
            Message::new("agenda.import.skipped_sequence")
                .with("sequence", incoming.sequence)
                .with("stored", stored.sequence),
        );
    }
    let older_stamp = incoming.sequence == stored.sequence
        && matches!((incoming.dtstamp, stored.dtstamp), (Some(new), Some(old)) if new < old);
    older_stamp
        .then(|| Message::new("agenda.import.skipped_stamp").with("sequence", incoming.sequence))
}

/// Returns a new random UID for an event created in Carnet.
pub fn new_uid() -> String {
    format!("{}@carnet", uuid::Uuid::new_v4())
}

/// Start instant of the series' first event (UTC, RFC 3339), for ordering rows.
fn series_start(events: &[Event]) -> Option<String> {
    events
        .iter()
        .map(|e| e.start.to_utc(READER_TZ))
        .min()
        .map(|t| t.to_rfc3339())
}

fn check_event(event: &Event) -> Result<(), VaultError> {
    event.validate().map_err(|e| VaultError::InvalidInput {
        field: "event",
        value: event.uid.clone(),
        reason: e.to_string(),
    })
}

fn event_not_found(uid: &str) -> VaultError {
    VaultError::InvalidInput {
        field: "event UID",
        value: uid.to_string(),
        reason: "this person has no event with this UID".into(),
    }
}

/// The message (`agenda.event.error.*`) for an event that fails [`Event::validate`].
pub fn validation_message(error: &EventValidationError) -> Message {
    match error {
        EventValidationError::EmptyUid => Message::new("agenda.event.error.empty_uid"),
        EventValidationError::UnknownTimeZone { tzid } => {
            Message::new("agenda.event.error.unknown_time_zone").with("tzid", tzid)
        }
        EventValidationError::EndBeforeStart => Message::new("agenda.event.error.end_before_start"),
        EventValidationError::UnsupportedRule { .. } => {
            Message::new("agenda.event.error.unsupported_rule")
        }
        EventValidationError::OutOfRange { property } => {
            Message::new("agenda.event.error.out_of_range").with("property", property)
        }
    }
}

/// Returns the message (`agenda.import.file.*`) for an `.ics` file that cannot
/// be read at all. The message names what is wrong with the file and what to do next.
pub fn ics_file_error_message(error: &IcsError) -> Message {
    // Whole MiB, rounded up, so that no decimal separator depends on the language.
    let mebibytes = |bytes: usize| bytes.div_ceil(1024 * 1024);
    match error {
        IcsError::TooLarge { size, max } => Message::new("agenda.import.file.too_large")
            .with("size", mebibytes(*size))
            .with("max", mebibytes(*max)),
        IcsError::LineTooLong { line, max } => Message::new("agenda.import.file.line_too_long")
            .with("line", line)
            .with("max", mebibytes(*max)),
        IcsError::TooDeep { line, max } => Message::new("agenda.import.file.too_deep")
            .with("line", line)
            .with("max", max),
        IcsError::TooManyComponents { max } => {
            Message::new("agenda.import.file.too_many_components").with("max", max)
        }
        IcsError::NoCalendar => Message::new("agenda.import.file.no_calendar"),
        IcsError::Empty => Message::new("agenda.import.file.empty"),
        IcsError::NotText => Message::new("agenda.import.file.not_text"),
    }
}

/// The message (`agenda.import.error.*`) for a VEVENT the parser rejected. It
/// names the line and property, never the rejected value, which may be health text.
fn import_error_message(error: &EventError) -> Message {
    match error {
        EventError::MalformedLine { line, .. } => {
            Message::new("agenda.import.error.malformed_line").with("line", line)
        }
        EventError::MissingStart => Message::new("agenda.import.error.missing_start"),
        EventError::DuplicateProperty { property, line } => {
            Message::new("agenda.import.error.duplicate_property")
                .with("line", line)
                .with("property", property)
        }
        EventError::InvalidValue { property, line, .. } => {
            Message::new("agenda.import.error.invalid_value")
                .with("line", line)
                .with("property", property)
        }
        EventError::InvalidRule { line, .. } => {
            Message::new("agenda.import.error.invalid_rule").with("line", line)
        }
        EventError::Unterminated => Message::new("agenda.import.error.unterminated"),
        EventError::OutOfRange { property, line } => {
            Message::new("agenda.import.error.out_of_range")
                .with("line", line)
                .with("property", property)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn import_errors_render_in_both_languages() {
        let errors = [
            EventError::MalformedLine {
                line: 4,
                reason: "no colon".into(),
            },
            EventError::MissingStart,
            EventError::DuplicateProperty {
                property: "DTSTART".into(),
                line: 7,
            },
            EventError::InvalidValue {
                property: "DTEND".into(),
                line: 9,
                value: "secret text".into(),
            },
            EventError::Unterminated,
            EventError::OutOfRange {
                property: "DURATION".into(),
                line: 6,
            },
        ];
        for error in &errors {
            let message = import_error_message(error);
            for lang in [Lang::Fr, Lang::En] {
                let text = message.render(lang);
                assert!(!text.starts_with("agenda."), "no label for {}", message.key);
                assert!(!text.contains("secret text"), "value leaked: {text}");
            }
        }
    }

    #[test]
    fn file_errors_render_in_both_languages() {
        let errors = [
            IcsError::TooLarge {
                size: 52_429_421,
                max: 33_554_432,
            },
            IcsError::LineTooLong {
                line: 7,
                max: 1_048_576,
            },
            IcsError::TooDeep { line: 12, max: 8 },
            IcsError::TooManyComponents { max: 200_000 },
            IcsError::NoCalendar,
            IcsError::Empty,
            IcsError::NotText,
        ];
        for error in &errors {
            let message = ics_file_error_message(error);
            for lang in [Lang::Fr, Lang::En] {
                let text = message.render(lang);
                assert!(!text.starts_with("agenda."), "no label for {}", message.key);
                assert!(!text.contains('{'), "parameter left in {text}");
            }
        }
        let too_large = ics_file_error_message(&errors[0]).render(Lang::Fr);
        assert!(
            too_large.contains("51") && too_large.contains("32"),
            "{too_large}"
        );
    }

    #[test]
    fn validation_errors_have_labels() {
        let errors = [
            EventValidationError::EmptyUid,
            EventValidationError::UnknownTimeZone {
                tzid: "Mars/Olympus".into(),
            },
            EventValidationError::EndBeforeStart,
            EventValidationError::UnsupportedRule {
                reason: "BYMONTHDAY with FREQ=WEEKLY".into(),
            },
            EventValidationError::OutOfRange {
                property: "DURATION".into(),
            },
        ];
        for error in &errors {
            let text = validation_message(error).render(Lang::Fr);
            assert!(!text.starts_with("agenda."), "no label for {error:?}");
        }
    }
}
