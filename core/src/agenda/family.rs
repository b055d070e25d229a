//! Splits a family agenda exported by Carnet back into one calendar per person.
//!
//! [`Vault::export_ics`](crate::Vault::export_ics) without a person writes one
//! VCALENDAR in which each VEVENT carries its person's id in `X-CARNET-PERSON`.
//! [`split_by_person`] cuts such a file into one calendar per id. Each part keeps
//! the lines shared by the whole calendar (VERSION, PRODID, VTIMEZONE…), so it
//! parses on its own.

use super::events::PERSON_PROPERTY;

/// One person's share of a family calendar: the person id written in
/// `X-CARNET-PERSON` (`None` for events without it) and a complete VCALENDAR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCalendar {
    pub person_id: Option<String>,
    pub calendar: String,
}

/// Splits `bytes` by `X-CARNET-PERSON`, parts in the order their first event
/// appears. Returns `None` when there is nothing to split: the bytes are not
/// UTF-8, the file contains other than exactly one VCALENDAR, or no event names a
/// person.
///
/// Line numbers in the parts differ from those of the file, so an error found
/// later in a part points to the part's line.
pub fn split_by_person(bytes: &[u8]) -> Option<Vec<PersonCalendar>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let property = format!("{PERSON_PROPERTY}:");
    let calendars = text
        .split_inclusive('\n')
        .filter(|line| is(line, "BEGIN:VCALENDAR"))
        .count();
    if calendars != 1 {
        return None;
    }

    let mut shared = String::new();
    let mut parts: Vec<(Option<String>, String)> = Vec::new();
    let mut event: Option<(Option<String>, String)> = None;
    for line in text.split_inclusive('\n') {
        if let Some((person, block)) = event.as_mut() {
            block.push_str(line);
            let content = line.trim_end_matches(['\r', '\n']);
            if content.len() > property.len()
                && content[..property.len()].eq_ignore_ascii_case(&property)
            {
                *person = Some(content[property.len()..].trim().to_owned());
            }
            if is(line, "END:VEVENT") {
                let (person, block) = event.take().expect("inside an event");
                match parts.iter_mut().find(|(id, _)| *id == person) {
                    Some((_, events)) => events.push_str(&block),
                    None => parts.push((person, block)),
                }
            }
        } else if is(line, "BEGIN:VEVENT") {
            event = Some((None, line.to_owned()));
        } else if !is(line, "END:VCALENDAR") {
            shared.push_str(line);
        }
    }
    if parts.iter().all(|(person, _)| person.is_none()) {
        return None;
    }

    Some(
        parts
            .into_iter()
            .map(|(person_id, events)| PersonCalendar {
                person_id,
                calendar: format!("{shared}{events}END:VCALENDAR\r\n"),
            })
            .collect(),
    )
}

/// True when `line`, without its line ending, is `expected` (ASCII case ignored).
fn is(line: &str, expected: &str) -> bool {
    line.trim_end_matches(['\r', '\n'])
        .eq_ignore_ascii_case(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAMILY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Carnet//FR\r\n\
        BEGIN:VEVENT\r\nX-CARNET-PERSON:p1\r\nUID:a\r\nDTSTART:20260101T090000\r\n\
        BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT1H\r\nEND:VALARM\r\n\
        END:VEVENT\r\n\
        BEGIN:VEVENT\r\nX-CARNET-PERSON:p2\r\nUID:b\r\nDTSTART:20260102T090000\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nX-CARNET-PERSON:p1\r\nUID:c\r\nDTSTART:20260103T090000\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260104T090000\r\nEND:VEVENT\r\n\
        END:VCALENDAR\r\n";

    #[test]
    fn family_file_splits_per_person() {
        let parts = split_by_person(FAMILY.as_bytes()).unwrap();
        let ids: Vec<Option<&str>> = parts.iter().map(|p| p.person_id.as_deref()).collect();
        assert_eq!(ids, [Some("p1"), Some("p2"), None]);

        let first = &parts[0].calendar;
        assert!(first.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Carnet//FR\r\n"));
        assert!(first.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(first.contains("UID:a\r\n"));
        assert!(first.contains("UID:c\r\n"));
        assert!(first.contains("END:VALARM\r\n"));
        assert!(!first.contains("UID:b\r\n"));
        assert!(parts[1].calendar.contains("UID:b\r\n"));
        assert!(parts[2].calendar.contains("UID:d\r\n"));
    }

    #[test]
    fn nothing_to_split_returns_none() {
        let plain = FAMILY
            .replace("X-CARNET-PERSON:p1\r\n", "")
            .replace("X-CARNET-PERSON:p2\r\n", "");
        assert_eq!(split_by_person(plain.as_bytes()), None);
        let twice = format!("{FAMILY}{FAMILY}");
        assert_eq!(split_by_person(twice.as_bytes()), None);
        assert_eq!(split_by_person(b"\xff\xfeB\x00"), None);
    }

    #[test]
    fn carnet_export_round_trips_through_split() {
        let exported = FAMILY.replace("\r\n", "\n");
        let parts = split_by_person(exported.as_bytes()).unwrap();
        assert_eq!(parts.len(), 3);
        for part in &parts {
            assert!(carnet_agenda::ics::import_ics(part.calendar.as_bytes()).is_ok());
        }
    }
}
