//! Title and body of a notification, in the settings language.
//!
//! Notifications show on lock screens, so without details they name neither
//! the person, nor the event, nor the vaccine: "Rendez-vous dans 30 min".

use std::collections::HashMap;

use carnet_core::agenda::EventKind;
use carnet_core::i18n::{Lang, Message, tr};

use super::plan::{Notice, Subject};

/// Renders a delay in minutes as "30 min", "2 h", "1 h 15 min" or "3 jours".
fn delay(minutes: i64, lang: Lang) -> String {
    const DAY: i64 = 24 * 60;
    if minutes >= DAY && minutes % DAY == 0 {
        let days = minutes / DAY;
        let key = if days == 1 {
            "agenda.notify.delay_day"
        } else {
            "agenda.notify.delay_days"
        };
        return Message::new(key).with("count", days).render(lang);
    }
    let (hours, rest) = (minutes / 60, minutes % 60);
    match (hours, rest) {
        (0, _) => Message::new("agenda.notify.delay_minutes")
            .with("count", rest)
            .render(lang),
        (_, 0) => Message::new("agenda.notify.delay_hours")
            .with("count", hours)
            .render(lang),
        _ => Message::new("agenda.notify.delay_hours_minutes")
            .with("hours", hours)
            .with("minutes", rest)
            .render(lang),
    }
}

/// Returns the title and body of `notice`. With `details`, the person's name
/// (from `names`), the event title and the vaccines are shown.
pub fn render(
    notice: &Notice,
    names: &HashMap<String, String>,
    lang: Lang,
    details: bool,
) -> (String, String) {
    let app = "Carnet".to_owned();
    match &notice.subject {
        Subject::Alarm {
            person_id,
            title,
            kind,
            minutes_before,
        } => {
            let what = match (kind, *minutes_before > 0) {
                (EventKind::Appointment, true) => "agenda.notify.appointment_in",
                (EventKind::Appointment, false) => "agenda.notify.appointment_now",
                (EventKind::Reminder, true) => "agenda.notify.reminder_in",
                (EventKind::Reminder, false) => "agenda.notify.reminder_now",
            };
            let body = Message::new(what)
                .with("delay", delay(*minutes_before, lang))
                .render(lang);
            if !details {
                return (app, body);
            }
            let title = title.clone().filter(|t| !t.is_empty()).unwrap_or(app);
            let body = match names.get(person_id) {
                Some(name) => Message::new("agenda.notify.for_person")
                    .with("person", name)
                    .with("text", body)
                    .render(lang),
                None => body,
            };
            (title, body)
        }
        Subject::VaccinationsDue {
            person_id,
            antigen_keys,
            mandatory,
        } => {
            if !details {
                return (app, tr(lang, "agenda.notify.vaccination_due"));
            }
            let vaccines: Vec<String> = antigen_keys.iter().map(|key| tr(lang, key)).collect();
            let key = if *mandatory {
                "agenda.notify.vaccination_due_mandatory_for"
            } else {
                "agenda.notify.vaccination_due_for"
            };
            let body = Message::new(key)
                .with("person", names.get(person_id).map_or("", String::as_str))
                .with("vaccines", vaccines.join(", "))
                .render(lang);
            (app, body)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn alarm(minutes_before: i64, kind: EventKind) -> Notice {
        Notice {
            id: "a".into(),
            at: Utc.with_ymd_and_hms(2026, 3, 23, 8, 0, 0).unwrap(),
            subject: Subject::Alarm {
                person_id: "leo".into(),
                title: Some("Orthophoniste".into()),
                kind,
                minutes_before,
            },
        }
    }

    fn names() -> HashMap<String, String> {
        HashMap::from([("leo".to_owned(), "Léo Martin".to_owned())])
    }

    #[test]
    fn hidden_details_keep_title_and_name_out() {
        let (title, body) = render(
            &alarm(30, EventKind::Appointment),
            &names(),
            Lang::Fr,
            false,
        );
        assert_eq!(title, "Carnet");
        assert_eq!(body, "Rendez-vous dans 30 min");
        let vaccine = Notice {
            subject: Subject::VaccinationsDue {
                person_id: "leo".into(),
                antigen_keys: vec!["agenda.antigen.measles".into()],
                mandatory: true,
            },
            ..alarm(0, EventKind::Appointment)
        };
        let (_, body) = render(&vaccine, &names(), Lang::Fr, false);
        assert!(!body.contains("Léo"), "{body}");
        assert!(!body.contains("Rougeole"), "{body}");
    }

    #[test]
    fn details_name_person_and_event() {
        let (title, body) = render(&alarm(90, EventKind::Reminder), &names(), Lang::En, true);
        assert_eq!(title, "Orthophoniste");
        assert!(body.contains("Léo Martin"), "{body}");
        assert!(body.contains("1 h 30 min"), "{body}");
    }

    #[test]
    fn delays_read_naturally() {
        assert_eq!(delay(45, Lang::Fr), "45 min");
        assert_eq!(delay(120, Lang::Fr), "2 h");
        assert_eq!(delay(1440, Lang::Fr), "1 jour");
        assert_eq!(delay(2 * 1440, Lang::En), "2 days");
    }
}
