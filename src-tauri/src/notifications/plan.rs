//! The pure half of the notifications: from a snapshot of the unlocked vault
//! and the current time, which notices to send now. No clock, no vault, no I/O.

use std::collections::{HashMap, HashSet};

use carnet_core::agenda::{AgendaItem, EventKind};
use chrono::{DateTime, NaiveDate, Utc};

/// Zone in which dates and floating times of events are read.
pub const READER_TZ: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// How far back the first check after an unlock looks for alarms. It equals
/// the executor's check interval, so an alarm that fell due just before the
/// unlock is still sent, and older ones are not.
pub const FIRST_CHECK_LOOKBACK: chrono::Duration = chrono::Duration::seconds(30);

/// Vault data the planner reads, taken while the vault is unlocked.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Today's date in Europe/Paris.
    pub today: NaiveDate,
    /// Occurrences whose alarms may fall due around now, with their events.
    pub events: Vec<AgendaItem>,
    /// Doses whose due date is `today`, per person.
    pub doses_due_today: Vec<DueDose>,
}

/// One antigen dose of the vaccination calendar that becomes due today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDose {
    pub person_id: String,
    /// Key suffix of the antigen's label, `agenda.antigen.<key>`.
    pub antigen_key: String,
    pub mandatory: bool,
}

/// A notification to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Stable id, so that the same notice is never sent twice in a session.
    pub id: String,
    /// When it fell due.
    pub at: DateTime<Utc>,
    pub subject: Subject,
}

/// Subject of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// An alarm of an appointment or reminder.
    Alarm {
        person_id: String,
        title: Option<String>,
        kind: EventKind,
        /// Minutes from the alarm to the start of the occurrence; 0 when the
        /// alarm fires at or after the start.
        minutes_before: i64,
    },
    /// Vaccinations of one person that become due today.
    VaccinationsDue {
        person_id: String,
        /// Antigen label keys, in calendar order and without repeats.
        antigen_keys: Vec<String>,
        mandatory: bool,
    },
}

/// Remembers, for one unlocked session, up to when alarms were checked, the
/// day vaccinations were checked and the notices already sent.
#[derive(Debug, Default)]
pub struct Planner {
    checked_until: Option<DateTime<Utc>>,
    doses_checked_on: Option<NaiveDate>,
    sent: HashSet<String>,
}

impl Planner {
    /// Returns the notices to send at `now`: the alarms that fell due since the
    /// previous check (or within [`FIRST_CHECK_LOOKBACK`] on the first check),
    /// and, on the first check of a day, the vaccinations that become due that
    /// day. Each notice is returned once per session.
    ///
    /// `vault` is `None` while the vault is locked: nothing is planned and the
    /// planner clears its state, so a new session starts from scratch.
    pub fn plan(&mut self, now: DateTime<Utc>, vault: Option<&Snapshot>) -> Vec<Notice> {
        let Some(snapshot) = vault else {
            self.forget();
            return Vec::new();
        };
        let from = match self.checked_until {
            // A clock set back starts a new window instead of repeating one.
            Some(until) if until <= now => until,
            _ => now - FIRST_CHECK_LOOKBACK,
        };
        self.checked_until = Some(now);

        let mut notices = Vec::new();
        for item in &snapshot.events {
            let start = item.occurrence.start.to_utc(READER_TZ);
            for instant in item.occurrence.alarm_instants(&item.event, READER_TZ) {
                if instant <= from || instant > now {
                    continue;
                }
                let id = format!(
                    "alarm:{}:{}:{}:{}",
                    item.person_id,
                    item.occurrence.uid,
                    start.timestamp(),
                    instant.timestamp()
                );
                if !self.sent.insert(id.clone()) {
                    continue;
                }
                notices.push(Notice {
                    id,
                    at: instant,
                    subject: Subject::Alarm {
                        person_id: item.person_id.clone(),
                        title: item.event.summary.clone(),
                        kind: item.event.kind,
                        minutes_before: (start - instant).num_minutes().max(0),
                    },
                });
            }
        }

        if self.doses_checked_on != Some(snapshot.today) {
            self.doses_checked_on = Some(snapshot.today);
            notices.extend(self.vaccination_notices(snapshot, now));
        }
        notices.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        notices
    }

    /// Drops everything remembered.
    pub fn forget(&mut self) {
        *self = Planner::default();
    }

    /// Builds one notice per person with doses due today.
    fn vaccination_notices(&mut self, snapshot: &Snapshot, now: DateTime<Utc>) -> Vec<Notice> {
        let mut per_person: Vec<(String, Vec<String>, bool)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for dose in &snapshot.doses_due_today {
            let slot = *index.entry(dose.person_id.as_str()).or_insert_with(|| {
                per_person.push((dose.person_id.clone(), Vec::new(), false));
                per_person.len() - 1
            });
            let entry = &mut per_person[slot];
            let key = format!("agenda.antigen.{}", dose.antigen_key);
            if !entry.1.contains(&key) {
                entry.1.push(key);
            }
            entry.2 |= dose.mandatory;
        }
        let mut notices = Vec::new();
        for (person_id, antigen_keys, mandatory) in per_person {
            let id = format!("vaccinations:{person_id}:{}", snapshot.today);
            if self.sent.insert(id.clone()) {
                notices.push(Notice {
                    id,
                    at: now,
                    subject: Subject::VaccinationsDue {
                        person_id,
                        antigen_keys,
                        mandatory,
                    },
                });
            }
        }
        notices
    }
}

#[cfg(test)]
mod tests {
    use carnet_core::agenda::event::{Alarm, AlarmAction, IcsDuration, Trigger, TriggerRelation};
    use carnet_core::agenda::rule::RecurrenceRule;
    use carnet_core::agenda::{Event, expand::occurrences};
    use chrono::{NaiveDateTime, TimeZone};

    use super::*;

    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
    }

    /// Builds a weekly 09:30 Paris appointment from Monday 2026-03-23, with an
    /// alarm 30 minutes before. 2026-03-29 is the switch to summer time.
    fn weekly_speech_therapy() -> Event {
        let mut event = Event::appointment("ortho@test", paris(2026, 3, 23, 9, 30), 45);
        event.summary = Some("Orthophoniste".into());
        event
            .recurrence
            .rules
            .push(RecurrenceRule::parse("FREQ=WEEKLY;COUNT=4").unwrap());
        event.alarms.push(Alarm {
            action: AlarmAction::Display,
            trigger: Trigger::Relative {
                offset: IcsDuration {
                    negative: true,
                    minutes: 30,
                    ..IcsDuration::default()
                },
                related: TriggerRelation::Start,
            },
            description: Some("Orthophoniste".into()),
            summary: None,
            attendees: Vec::new(),
            repeat: None,
            repeat_interval: None,
        });
        event
    }

    fn snapshot(today: NaiveDate, events: &[Event]) -> Snapshot {
        let items = occurrences(events, paris(2026, 3, 1, 0, 0), paris(2026, 5, 1, 0, 0))
            .into_iter()
            .map(|occurrence| AgendaItem {
                person_id: "leo".into(),
                event: events[occurrence.event_index].clone(),
                occurrence,
            })
            .collect();
        Snapshot {
            today,
            events: items,
            doses_due_today: Vec::new(),
        }
    }

    fn alarm_minutes(notice: &Notice) -> i64 {
        match &notice.subject {
            Subject::Alarm { minutes_before, .. } => *minutes_before,
            other => panic!("not an alarm: {other:?}"),
        }
    }

    #[test]
    fn recurring_alarm_fires_each_week_across_dst() {
        let events = [weekly_speech_therapy()];
        let mut planner = Planner::default();
        let day = NaiveDate::from_ymd_opt(2026, 3, 23).unwrap();
        let data = snapshot(day, &events);

        // 09:00 Paris is 08:00 UTC in winter.
        assert!(
            planner
                .plan(utc(2026, 3, 23, 7, 59, 40), Some(&data))
                .is_empty()
        );
        let first = planner.plan(utc(2026, 3, 23, 8, 0, 10), Some(&data));
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].at, utc(2026, 3, 23, 8, 0, 0));
        assert_eq!(alarm_minutes(&first[0]), 30);

        // A week later, after the switch to summer time, 09:00 Paris is 07:00 UTC.
        let later = NaiveDate::from_ymd_opt(2026, 3, 30).unwrap();
        let data = snapshot(later, &events);
        assert!(
            planner
                .plan(utc(2026, 3, 30, 6, 59, 50), Some(&data))
                .is_empty()
        );
        let second = planner.plan(utc(2026, 3, 30, 7, 0, 20), Some(&data));
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].at, utc(2026, 3, 30, 7, 0, 0));
    }

    #[test]
    fn notice_is_sent_once() {
        let events = [weekly_speech_therapy()];
        let data = snapshot(NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(), &events);
        let mut planner = Planner::default();
        planner.plan(utc(2026, 3, 23, 7, 59, 40), Some(&data));
        assert_eq!(
            planner.plan(utc(2026, 3, 23, 8, 0, 10), Some(&data)).len(),
            1
        );
        assert!(
            planner
                .plan(utc(2026, 3, 23, 8, 0, 10), Some(&data))
                .is_empty()
        );
        assert!(
            planner
                .plan(utc(2026, 3, 23, 8, 0, 40), Some(&data))
                .is_empty()
        );
    }

    #[test]
    fn lock_forgets_and_skips_alarms_while_locked() {
        let events = [weekly_speech_therapy()];
        let day = NaiveDate::from_ymd_opt(2026, 3, 23).unwrap();
        let data = Snapshot {
            doses_due_today: vec![DueDose {
                person_id: "leo".into(),
                antigen_key: "measles".into(),
                mandatory: true,
            }],
            ..snapshot(day, &events)
        };
        let mut planner = Planner::default();

        let unlocked = planner.plan(utc(2026, 3, 23, 7, 50, 0), Some(&data));
        assert_eq!(
            unlocked.len(),
            1,
            "the vaccination notice on the first check"
        );

        // Locked from 07:55 to 08:10 UTC: the 08:00 alarm falls inside.
        assert!(planner.plan(utc(2026, 3, 23, 7, 55, 0), None).is_empty());
        assert!(planner.plan(utc(2026, 3, 23, 8, 0, 5), None).is_empty());
        assert_eq!(planner.checked_until, None);
        assert!(planner.sent.is_empty());

        let after = planner.plan(utc(2026, 3, 23, 8, 10, 0), Some(&data));
        assert!(
            after
                .iter()
                .all(|n| matches!(n.subject, Subject::VaccinationsDue { .. })),
            "the alarm that fell due while locked is not sent: {after:?}"
        );
        assert_eq!(
            after.len(),
            1,
            "a new session announces today's doses again"
        );
    }

    #[test]
    fn doses_due_today_grouped_per_person() {
        let dose = |person: &str, antigen: &str, mandatory| DueDose {
            person_id: person.into(),
            antigen_key: antigen.into(),
            mandatory,
        };
        let data = Snapshot {
            today: NaiveDate::from_ymd_opt(2026, 5, 14).unwrap(),
            events: Vec::new(),
            doses_due_today: vec![
                dose("leo", "diphtheria", true),
                dose("leo", "tetanus", true),
                dose("leo", "diphtheria", true),
                dose("camille", "influenza", false),
            ],
        };
        let mut planner = Planner::default();
        let notices = planner.plan(utc(2026, 5, 14, 6, 0, 0), Some(&data));
        assert_eq!(notices.len(), 2);
        assert_eq!(
            notices[1].subject,
            Subject::VaccinationsDue {
                person_id: "leo".into(),
                antigen_keys: vec![
                    "agenda.antigen.diphtheria".into(),
                    "agenda.antigen.tetanus".into()
                ],
                mandatory: true,
            }
        );
        assert!(
            planner
                .plan(utc(2026, 5, 14, 6, 0, 30), Some(&data))
                .is_empty()
        );
    }
}
