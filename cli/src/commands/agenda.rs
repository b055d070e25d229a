//! Agenda commands (`agenda list|add|delete|import|export`), the vaccination
//! calendar (`vaccinations due|record`) and prevention suggestions
//! (`prevention [done|dismiss|plan]`).
//!
//! Times typed on the command line are Europe/Paris wall-clock times. Labels of
//! antigens, doses and suggestions come from the agenda catalogue.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Result, anyhow};
use carnet_core::agenda::event::{
    Alarm, AlarmAction, EventEnd, IcsDuration, Trigger, TriggerRelation,
};
use carnet_core::agenda::family::split_by_person;
use carnet_core::agenda::ics::{IcsError, ImportReport, ImportWarning};
use carnet_core::agenda::prevention::{Decision, Suggestion, SuggestionState};
use carnet_core::agenda::rule::RecurrenceRule;
use carnet_core::agenda::vaccination::{DoseKind, DoseState, DoseStatus, UncountedDose};
use carnet_core::agenda::{
    AgendaImportSummary, AgendaItem, Event, EventTime, ics_file_error_message, new_uid,
    validation_message,
};
use carnet_core::{Message, Vault, VaultError};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::{Value, json};

use crate::args::{AgendaAdd, AgendaCommand, PreventionAction, VaccinationAction};
use crate::context::Ctx;
use crate::output;

/// Length of the default `agenda list` window, in days.
const DEFAULT_LIST_DAYS: i64 = 90;
/// Length of an appointment added without `--end` or `--minutes`.
const DEFAULT_MINUTES: u32 = 30;
/// Zone of the times typed on the command line and of floating times.
const PARIS: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// Runs one `carnet agenda` subcommand.
pub fn run(ctx: &Ctx, command: AgendaCommand) -> Result<()> {
    match command {
        AgendaCommand::List {
            person,
            from,
            to,
            json,
        } => list(ctx, person.as_deref(), from.as_deref(), to.as_deref(), json),
        AgendaCommand::Add(args) => add(ctx, args),
        AgendaCommand::Delete { uid, person } => delete(ctx, &uid, person.as_deref()),
        AgendaCommand::Import { file, person, json } => import(ctx, &file, person.as_deref(), json),
        AgendaCommand::Export { out, person } => export(ctx, &out, person.as_deref()),
    }
}

fn list(
    ctx: &Ctx,
    person: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    json: bool,
) -> Result<()> {
    let first_day = match from {
        Some(text) => parse_date(ctx, "--from", text)?,
        None => today(),
    };
    let last_day = match to {
        Some(text) => parse_date(ctx, "--to", text)?,
        None => first_day + Duration::days(DEFAULT_LIST_DAYS - 1),
    };
    if last_day < first_day {
        return Err(anyhow!(
            ctx.m(&Message::new("agenda.cli.reversed_window")
                .with("from", first_day)
                .with("to", last_day))
        ));
    }
    let vault = ctx.open()?;
    let person_id = match person {
        Some(query) => Some(
            vault
                .resolve_person(Some(query))
                .map_err(|e| ctx.fail(e))?
                .id,
        ),
        None => None,
    };
    let window_end = (last_day + Duration::days(1)).and_time(NaiveTime::MIN);
    let items = vault
        .events(
            person_id.as_deref(),
            first_day.and_time(NaiveTime::MIN),
            window_end,
        )
        .map_err(|e| ctx.fail(e))?;
    if json {
        return output::json(&items);
    }
    if items.is_empty() {
        println!("{}", ctx.t("agenda.cli.no_events"));
        return Ok(());
    }
    let names = person_names(ctx, &vault)?;
    for item in &items {
        println!("{}", item_line(ctx, item, &names));
    }
    Ok(())
}

/// Formats one occurrence: when, title, person, place, UID.
fn item_line(ctx: &Ctx, item: &AgendaItem, names: &HashMap<String, String>) -> String {
    let start = &item.occurrence.start;
    let when = if start.is_date() {
        format!(
            "{} ({})",
            start.naive_local().format("%Y-%m-%d"),
            ctx.t("agenda.cli.all_day")
        )
    } else {
        // Times are shown on the reader's clock (Europe/Paris), whatever zone the event
        // was written in, so that lines sorted by instant also read in order.
        let paris = chrono_tz::Europe::Paris;
        let start_local = start.to_utc(paris).with_timezone(&paris).naive_local();
        let end = item
            .occurrence
            .end
            .to_utc(paris)
            .with_timezone(&paris)
            .naive_local();
        if end.date() == start_local.date() && end > start_local {
            format!(
                "{}–{}",
                start_local.format("%Y-%m-%d %H:%M"),
                end.format("%H:%M")
            )
        } else {
            start_local.format("%Y-%m-%d %H:%M").to_string()
        }
    };
    let title = item
        .event
        .summary
        .clone()
        .unwrap_or_else(|| ctx.t("agenda.cli.untitled"));
    let mut line = format!("{when}  {}", output::clean(&title));
    if let Some(name) = names.get(&item.person_id) {
        line.push_str(&format!("  ({})", output::clean(name)));
    }
    if let Some(location) = &item.event.location {
        line.push_str(&format!("  @ {}", output::clean(location)));
    }
    line.push_str(&format!("  [{}]", item.occurrence.uid));
    line
}

fn person_names(ctx: &Ctx, vault: &Vault) -> Result<HashMap<String, String>> {
    let people = vault.people().map_err(|e| ctx.fail(e))?;
    Ok(people.into_iter().map(|p| (p.id, p.name)).collect())
}

fn add(ctx: &Ctx, args: AgendaAdd) -> Result<()> {
    let event = build_event(ctx, &args)?;
    let mut vault = ctx.open()?;
    let person = vault
        .resolve_person(args.person.as_deref())
        .map_err(|e| ctx.fail(e))?;
    let uid = event.uid.clone();
    vault
        .add_event(&person.id, event)
        .map_err(|e| ctx.fail(e))?;
    if args.json {
        return output::json(&json!({ "uid": uid, "person_id": person.id }));
    }
    println!(
        "{}",
        ctx.m(&Message::new("agenda.cli.added").with("uid", &uid))
    );
    Ok(())
}

/// Builds the event `agenda add` describes and checks it with `Event::validate`.
fn build_event(ctx: &Ctx, args: &AgendaAdd) -> Result<Event> {
    let uid = new_uid();
    let mut event = if args.all_day {
        let date = parse_date(ctx, "--start", &args.start)?;
        Event::new(uid, EventTime::Date { date })
    } else {
        let start = parse_datetime(ctx, "--start", &args.start)?;
        let mut event = Event::appointment(uid, start, args.minutes.unwrap_or(DEFAULT_MINUTES));
        if let Some(end) = &args.end {
            let end = parse_datetime(ctx, "--end", end)?;
            event.end = Some(EventEnd::At {
                time: EventTime::paris(end),
            });
        }
        event
    };
    event.summary = Some(args.title.clone());
    event.location = args.location.clone();
    event.appointment.practitioner = args.practitioner.clone();
    event.appointment.specialty = args.specialty.clone();
    event.appointment.notes = args.notes.clone();
    if let Some(text) = &args.rrule {
        let rule = RecurrenceRule::parse(text).map_err(|_| {
            anyhow!(ctx.m(&Message::new("agenda.cli.invalid_rrule").with("value", text)))
        })?;
        // An imported UNTIL before DTSTART is kept as the sender wrote it, but one
        // typed here is a mistake: the event would never show.
        let until_before_start = rule
            .until
            .as_ref()
            .is_some_and(|until| until.to_utc(PARIS) < event.start.to_utc(PARIS));
        if until_before_start {
            return Err(anyhow!(ctx.m(
                &Message::new("agenda.cli.until_before_start").with("value", text)
            )));
        }
        event.recurrence.rules.push(rule);
    }
    if let Some(minutes) = args.alarm_minutes {
        event.alarms.push(Alarm {
            action: AlarmAction::Display,
            trigger: Trigger::Relative {
                offset: IcsDuration {
                    negative: true,
                    hours: minutes / 60,
                    minutes: minutes % 60,
                    ..IcsDuration::default()
                },
                related: TriggerRelation::Start,
            },
            // RFC 5545 requires a DESCRIPTION on a DISPLAY alarm.
            description: Some(args.title.clone()),
            summary: None,
            attendees: Vec::new(),
            repeat: None,
            repeat_interval: None,
        });
    }
    event
        .validate()
        .map_err(|e| anyhow!(ctx.m(&validation_message(&e))))?;
    Ok(event)
}

/// Deletes an event by UID. Without `--person`, the event is looked for in
/// everyone's agenda, and a UID held by several people needs `--person`.
fn delete(ctx: &Ctx, uid: &str, person: Option<&str>) -> Result<()> {
    let mut vault = ctx.open()?;
    let person = match person {
        Some(query) => vault.resolve_person(Some(query)).map_err(|e| ctx.fail(e))?,
        None => holder_of(ctx, &vault, uid)?,
    };
    let deleted = vault
        .delete_event(&person.id, uid)
        .map_err(|e| ctx.fail(e))?;
    if !deleted {
        return Err(anyhow!(
            ctx.m(&Message::new("agenda.cli.not_found")
                .with("uid", uid)
                .with("person", &person.name))
        ));
    }
    println!(
        "{}",
        ctx.m(&Message::new("agenda.cli.deleted_for")
            .with("uid", uid)
            .with("person", output::clean(&person.name)))
    );
    Ok(())
}

/// Returns the only person whose agenda contains the event `uid`.
fn holder_of(ctx: &Ctx, vault: &Vault, uid: &str) -> Result<carnet_core::people::Person> {
    let stored = vault.stored_events(None).map_err(|e| ctx.fail(e))?;
    let mut holders: Vec<String> = stored
        .into_iter()
        .filter(|(_, event)| event.uid == uid)
        .map(|(person_id, _)| person_id)
        .collect();
    holders.sort();
    holders.dedup();
    match holders.as_slice() {
        [only] => vault.person(only).map_err(|e| ctx.fail(e)),
        [] => Err(anyhow!(
            ctx.m(&Message::new("agenda.cli.uid_not_found").with("uid", uid))
        )),
        _ => Err(anyhow!(
            ctx.m(&Message::new("agenda.cli.uid_ambiguous").with("uid", uid))
        )),
    }
}

fn import(ctx: &Ctx, file: &Path, person: Option<&str>, json: bool) -> Result<()> {
    let bytes = read_bounded(file).map_err(|e| ctx.fail(VaultError::io(file, e)))?;
    // Parsed before the vault is opened, so that an unreadable file costs no unlock
    // and its error gives the cause and the next step.
    let report = carnet_core::agenda::ics::import_ics(&bytes).map_err(|error| {
        // read_bounded stops one byte past the limit, so the size comes from the file.
        let error = match error {
            IcsError::TooLarge { size, max } => IcsError::TooLarge {
                size: std::fs::metadata(file)
                    .ok()
                    .and_then(|m| usize::try_from(m.len()).ok())
                    .unwrap_or(size),
                max,
            },
            other => other,
        };
        let message = Message::new("agenda.cli.invalid_file")
            .with("path", file.display())
            .with_message("reason", ics_file_error_message(&error));
        anyhow!(ctx.m(&message))
    })?;
    let mut vault = ctx.open()?;
    let summary = match person {
        Some(_) => {
            let person = vault.resolve_person(person).map_err(|e| ctx.fail(e))?;
            vault
                .import_ics_report(&person.id, report)
                .map_err(|e| ctx.fail(e))?
        }
        None => import_routed(ctx, &mut vault, &bytes, report)?,
    };
    if json {
        let rejected: Vec<Value> = summary
            .rejected
            .iter()
            .map(|r| {
                json!({
                    "line": r.line,
                    "uid": r.uid,
                    "reason": ctx.m(&r.reason),
                })
            })
            .collect();
        let skipped: Vec<Value> = summary
            .skipped
            .iter()
            .map(|s| json!({ "uid": s.uid, "reason": ctx.m(&s.reason) }))
            .collect();
        return output::json(&json!({
            "imported": summary.imported,
            "updated": summary.updated,
            "skipped": skipped,
            "rejected": rejected,
            "warnings": summary.warnings,
        }));
    }
    println!(
        "{}",
        ctx.m(&Message::new("agenda.cli.import_summary")
            .with("imported", summary.imported)
            .with("updated", summary.updated)
            .with("rejected", summary.rejected.len()))
    );
    let path = file.display();
    for rejection in &summary.rejected {
        let message = match rejection.line {
            Some(line) => Message::new("agenda.cli.rejected").with("line", line),
            None => Message::new("agenda.cli.rejected_event"),
        };
        println!(
            "{}",
            ctx.m(&message
                .with("path", &path)
                .with_message("reason", rejection.reason.clone()))
        );
    }
    for skip in &summary.skipped {
        println!(
            "{}",
            ctx.m(&Message::new("agenda.cli.skipped")
                .with("path", &path)
                .with("uid", output::clean(&skip.uid))
                .with_message("reason", skip.reason.clone()))
        );
    }
    for warning in &summary.warnings {
        let message = match warning {
            ImportWarning::UnknownTimeZone { tzid, .. } => {
                Message::new("agenda.import.unknown_time_zone").with("tzid", tzid)
            }
            ImportWarning::InvalidUtf8 { line } => Message::new("agenda.cli.invalid_utf8")
                .with("path", &path)
                .with("line", line),
            ImportWarning::Latin1Fallback => Message::new("agenda.cli.latin1").with("path", &path),
            _ => continue,
        };
        println!("{}", ctx.m(&message));
    }
    Ok(())
}

/// Imports a file given without `--person`. A family export of this vault goes
/// back to each person named by its `X-CARNET-PERSON` lines; the events of any
/// other file, or naming no person of this vault, go to the default person.
fn import_routed(
    ctx: &Ctx,
    vault: &mut Vault,
    bytes: &[u8],
    report: ImportReport,
) -> Result<AgendaImportSummary> {
    let default_person = vault.resolve_person(None).map_err(|e| ctx.fail(e))?;
    let Some(parts) = split_by_person(bytes) else {
        return vault
            .import_ics_report(&default_person.id, report)
            .map_err(|e| ctx.fail(e));
    };
    let mut total = AgendaImportSummary::default();
    for part in parts {
        let known = part
            .person_id
            .as_deref()
            .and_then(|id| vault.person(id).ok());
        let person = known.unwrap_or_else(|| default_person.clone());
        let summary = vault
            .import_ics(&person.id, part.calendar.as_bytes())
            .map_err(|e| ctx.fail(e))?;
        total.imported += summary.imported;
        total.updated += summary.updated;
        total.rejected.extend(summary.rejected);
        total.skipped.extend(summary.skipped);
        total.warnings.extend(summary.warnings);
    }
    Ok(total)
}

/// Reads at most one byte more than the importer accepts, so that a huge file
/// costs no more memory than that and is still rejected as too large.
fn read_bounded(file: &Path) -> std::io::Result<Vec<u8>> {
    let limit = carnet_core::agenda::ics::contentline::MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    std::fs::File::open(file)?
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Writes the agenda as iCalendar to `out`, or to standard output when `out` is `-`.
fn export(ctx: &Ctx, out: &Path, person: Option<&str>) -> Result<()> {
    let to_stdout = out == Path::new("-");
    if !to_stdout && out.exists() {
        return Err(anyhow!(
            ctx.m(&Message::new("cli.out_exists").with("path", out.display()))
        ));
    }
    let mut vault = ctx.open()?;
    let person_id = match person {
        Some(query) => Some(
            vault
                .resolve_person(Some(query))
                .map_err(|e| ctx.fail(e))?
                .id,
        ),
        None => None,
    };
    let text = vault
        .export_ics(person_id.as_deref())
        .map_err(|e| ctx.fail(e))?;
    if to_stdout {
        std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| ctx.fail(VaultError::io(out, e)))?;
        return Ok(());
    }
    std::fs::write(out, &text).map_err(|e| ctx.fail(VaultError::io(out, e)))?;
    let count = text.matches("\r\nBEGIN:VEVENT\r\n").count();
    println!(
        "{}",
        ctx.m(&Message::new("agenda.cli.exported")
            .with("count", count)
            .with("path", out.display()))
    );
    Ok(())
}

/// Runs `carnet vaccinations due`, `record` or `delete`.
pub fn vaccinations(ctx: &Ctx, action: VaccinationAction) -> Result<()> {
    match action {
        VaccinationAction::Delete { id } => {
            let mut vault = ctx.open()?;
            let deleted = vault.delete_vaccination(&id).map_err(|e| ctx.fail(e))?;
            if !deleted {
                return Err(anyhow!(
                    ctx.m(&Message::new("agenda.cli.vaccination_not_found")
                        .with("id", output::clean(&id)))
                ));
            }
            println!(
                "{}",
                ctx.m(&Message::new("agenda.cli.vaccination_deleted").with("id", &id))
            );
            Ok(())
        }
        VaccinationAction::Due {
            person,
            at,
            all,
            json,
        } => due(ctx, person.as_deref(), at.as_deref(), all, json),
        VaccinationAction::Record {
            person,
            vaccine,
            date,
            lot,
            json,
        } => {
            let given_on = parse_date(ctx, "--date", &date)?;
            let mut vault = ctx.open()?;
            let person = vault
                .resolve_person(person.as_deref())
                .map_err(|e| ctx.fail(e))?;
            let recorded = vault
                .record_vaccination(&person.id, &vaccine, given_on, lot.as_deref())
                .map_err(|e| ctx.fail(e))?;
            if json {
                return output::json(&recorded);
            }
            let antigens: Vec<String> = recorded
                .antigens
                .iter()
                .map(|a| ctx.t(&format!("agenda.antigen.{}", a.key())))
                .collect();
            println!(
                "{}",
                ctx.m(&Message::new("agenda.cli.vaccination_recorded")
                    .with("person", output::clean(&person.name))
                    .with("date", recorded.given_on)
                    .with("antigens", antigens.join(", ")))
            );
            // The calendar counts one dose per antigen and day, so a second entry
            // on the same day is most likely the same injection typed twice.
            let earlier = vault
                .recorded_vaccinations(&person.id)
                .map_err(|e| ctx.fail(e))?
                .into_iter()
                .find(|other| {
                    other.id != recorded.id
                        && other.given_on == recorded.given_on
                        && other.antigens.iter().any(|a| recorded.antigens.contains(a))
                });
            if let Some(earlier) = earlier {
                println!(
                    "{}",
                    ctx.m(&Message::new("agenda.cli.vaccination_duplicate")
                        .with("date", earlier.given_on)
                        .with("id", &recorded.id))
                );
            }
            Ok(())
        }
    }
}

/// Prints the calendar's doses for a person. Doses no longer offered at the
/// person's age (an adult's missed infant doses) are left out unless `all` is set.
fn due(ctx: &Ctx, person: Option<&str>, at: Option<&str>, all: bool, json: bool) -> Result<()> {
    let at = match at {
        Some(text) => parse_date(ctx, "--at", text)?,
        None => today(),
    };
    let vault = ctx.open()?;
    let person = vault.resolve_person(person).map_err(|e| ctx.fail(e))?;
    let mut statuses = vault
        .vaccinations_due(&person.id, at)
        .map_err(|e| ctx.fail(e))?;
    if !all {
        statuses.retain(|status| status.state != DoseState::Missed);
    }
    if json {
        let rows: Vec<Value> = statuses
            .iter()
            .map(|status| {
                let mut row = serde_json::to_value(status).unwrap_or(Value::Null);
                if let Value::Object(map) = &mut row {
                    map.insert("antigen_label".into(), json!(antigen_label(ctx, status)));
                }
                row
            })
            .collect();
        return output::json(&rows);
    }
    if statuses.is_empty() {
        println!("{}", ctx.t("agenda.cli.no_doses"));
        return Ok(());
    }
    for status in &statuses {
        println!("{}", dose_line(ctx, status));
    }
    Ok(())
}

fn antigen_label(ctx: &Ctx, status: &DoseStatus) -> String {
    ctx.t(&format!("agenda.antigen.{}", status.antigen.key()))
}

/// Formats one dose: state, antigen, dose and kind, window, mandatory or not.
fn dose_line(ctx: &Ctx, status: &DoseStatus) -> String {
    let state = match status.state {
        DoseState::Done { on } => format!("{} {on}", ctx.t("agenda.dose.state.done")),
        DoseState::Due => ctx.t("agenda.dose.state.due"),
        DoseState::Overdue => ctx.t("agenda.dose.state.overdue"),
        DoseState::Upcoming => ctx.t("agenda.dose.state.upcoming"),
        DoseState::Missed => ctx.t("agenda.dose.state.missed"),
    };
    let kind = match status.kind {
        DoseKind::Primary => "primary",
        DoseKind::Booster => "booster",
        DoseKind::Seasonal => "seasonal",
    };
    let dose = ctx.m(&Message::new("agenda.dose.number").with("number", status.dose));
    let window = match status.last_date {
        Some(last) => ctx.m(&Message::new("agenda.cli.window")
            .with("due", status.due_on)
            .with("last", last)),
        None => ctx.m(&Message::new("agenda.cli.window_open").with("due", status.due_on)),
    };
    let mandatory = if status.mandatory {
        ctx.t("agenda.dose.mandatory")
    } else {
        ctx.t("agenda.dose.recommended")
    };
    let mut line = format!(
        "{state:<22}  {}  {dose} ({})  {window}  {mandatory}",
        antigen_label(ctx, status),
        ctx.t(&format!("agenda.dose.kind.{kind}")),
    );
    for uncounted in &status.uncounted {
        let note = match *uncounted {
            UncountedDose::TooYoung { on, counts_from } => {
                Message::new("agenda.cli.dose_too_young")
                    .with("on", on)
                    .with("from", counts_from)
            }
            UncountedDose::TooSoon {
                on,
                previous,
                counts_from,
            } => Message::new("agenda.cli.dose_too_soon")
                .with("on", on)
                .with("previous", previous)
                .with("from", counts_from),
        };
        line.push_str(&format!("  ({})", ctx.m(&note)));
    }
    line
}

/// Runs `carnet prevention`: lists suggestions, or stores a decision.
pub fn prevention(
    ctx: &Ctx,
    action: Option<PreventionAction>,
    person: Option<&str>,
    at: Option<&str>,
    json: bool,
) -> Result<()> {
    let Some(action) = action else {
        return list_suggestions(ctx, person, at, json);
    };
    let (id, person_query, decision) = match action {
        PreventionAction::Done { id, person: p, on } => {
            let on = match on {
                Some(text) => parse_date(ctx, "--on", &text)?,
                None => today(),
            };
            (id, p, Decision::Done { on })
        }
        PreventionAction::Dismiss { id, person: p } => (id, p, Decision::Dismissed),
        PreventionAction::Plan { id, person: p, on } => {
            let on = parse_date(ctx, "--on", &on)?;
            (id, p, Decision::Planned { on })
        }
    };
    let mut vault = ctx.open()?;
    let person = vault
        .resolve_person(person_query.as_deref().or(person))
        .map_err(|e| ctx.fail(e))?;
    vault
        .decide_suggestion(&person.id, &id, decision)
        .map_err(|e| ctx.fail(e))?;
    println!(
        "{}",
        ctx.m(&Message::new("agenda.cli.decision_saved")
            .with("label", ctx.t(&format!("agenda.suggestion.{id}"))))
    );
    Ok(())
}

fn list_suggestions(ctx: &Ctx, person: Option<&str>, at: Option<&str>, json: bool) -> Result<()> {
    let at = match at {
        Some(text) => parse_date(ctx, "--at", text)?,
        None => today(),
    };
    let vault = ctx.open()?;
    let person = vault.resolve_person(person).map_err(|e| ctx.fail(e))?;
    let suggestions = vault
        .prevention_suggestions(&person.id, at)
        .map_err(|e| ctx.fail(e))?;
    if json {
        let rows: Vec<Value> = suggestions
            .iter()
            .map(|suggestion| {
                let mut row = serde_json::to_value(suggestion).unwrap_or(Value::Null);
                if let Value::Object(map) = &mut row {
                    map.insert("label".into(), json!(suggestion_label(ctx, suggestion)));
                }
                row
            })
            .collect();
        return output::json(&rows);
    }
    if suggestions.is_empty() {
        println!("{}", ctx.t("agenda.cli.no_suggestions"));
        return Ok(());
    }
    for suggestion in &suggestions {
        let state = match suggestion.state {
            SuggestionState::Upcoming => ctx.t("agenda.suggestion.state.upcoming"),
            SuggestionState::Open => ctx.t("agenda.suggestion.state.open"),
            SuggestionState::Planned { on } => {
                ctx.m(&Message::new("agenda.suggestion.state.planned").with("date", on))
            }
            SuggestionState::Done { on } => {
                ctx.m(&Message::new("agenda.suggestion.state.done").with("date", on))
            }
            SuggestionState::Dismissed => ctx.t("agenda.suggestion.state.dismissed"),
            SuggestionState::Expired => ctx.t("agenda.suggestion.state.expired"),
        };
        // The window end is exclusive, so the last day shown is the day before.
        let last_day = suggestion.window_end - Duration::days(1);
        let mut line = format!(
            "{:<16}  {}  {} → {last_day}  {state}",
            suggestion.id,
            suggestion_label(ctx, suggestion),
            suggestion.window_start,
        );
        if suggestion.mandatory {
            line.push_str(&format!("  {}", ctx.t("agenda.dose.mandatory")));
        }
        println!("{line}");
    }
    Ok(())
}

fn suggestion_label(ctx: &Ctx, suggestion: &Suggestion) -> String {
    ctx.t(&format!("agenda.suggestion.{}", suggestion.id))
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn parse_date(ctx: &Ctx, option: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        anyhow!(
            ctx.m(&Message::new("agenda.cli.invalid_date")
                .with("option", option)
                .with("value", text))
        )
    })
}

/// Parses "YYYY-MM-DD HH:MM" (or with a `T`) as a wall-clock time.
fn parse_datetime(ctx: &Ctx, option: &str, text: &str) -> Result<NaiveDateTime> {
    let text = text.trim();
    ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .ok_or_else(|| {
            anyhow!(
                ctx.m(&Message::new("agenda.cli.invalid_datetime")
                    .with("option", option)
                    .with("value", text))
            )
        })
}
