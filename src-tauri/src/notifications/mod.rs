//! Desktop notifications for agenda alarms and for vaccinations that become
//! due, sent while the app runs and the vault is unlocked.
//!
//! [`plan`] decides, without I/O, what to send at a given time. This module
//! reads the vault every [`CHECK_INTERVAL`], calls the planner and sends each
//! notice through tauri-plugin-notification from Rust, so the front end needs
//! no notification permission. While the vault is locked, or notifications are
//! turned off in the settings, nothing is read and the planner clears its record
//! of what it had sent.

pub mod plan;
pub mod text;

use std::collections::HashMap;
use std::time::Duration;

use carnet_core::agenda::vaccination::DoseState;
use carnet_core::{Vault, VaultError};
use chrono::{DateTime, NaiveTime, Utc};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;
use plan::{DueDose, Planner, READER_TZ, Snapshot};

/// How often the vault is checked for alarms that fell due.
pub const CHECK_INTERVAL: Duration = Duration::from_secs(30);

/// How far ahead occurrences are read, in days: alarms set further before
/// their event than this are not sent. The dialog allows at most four weeks.
pub const LOOKAHEAD_DAYS: i64 = 29;

/// Starts the notification thread for the app's lifetime.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let spawned = std::thread::Builder::new()
        .name("carnet-notifications".to_owned())
        .spawn(move || {
            let mut planner = Planner::default();
            loop {
                std::thread::sleep(CHECK_INTERVAL);
                check(&app, &mut planner);
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "could not start the notification thread");
    }
}

/// Runs one check: reads the vault if it is unlocked and notifications are
/// on, plans, and sends what is due.
fn check<R: Runtime>(app: &AppHandle<R>, planner: &mut Planner) {
    let state = app.state::<AppState>();
    let settings = state.settings();

    if !settings.notifications {
        planner.forget();
        return;
    }
    // A busy vault (an import) is checked next time; the planner's window then
    // covers both intervals. Reading it does not count as activity for auto-lock.
    let Ok(slot) = state.vault.try_lock() else {
        return;
    };
    let now = Utc::now();

    let Some(vault) = slot.as_ref() else {
        drop(slot);
        planner.plan(now, None);
        return;
    };
    let read = read_snapshot(vault, now);
    drop(slot);
    let (snapshot, names) = match read {
        Ok(read) => read,
        Err(error) => {
            tracing::warn!(%error, "notifications: could not read the agenda");
            return;
        }
    };

    let lang = state.lang();
    for notice in planner.plan(now, Some(&snapshot)) {
        let (title, body) = text::render(&notice, &names, lang, settings.notification_details);
        if let Err(error) = app.notification().builder().title(title).body(body).show() {
            tracing::warn!(%error, "could not show a notification");
        }
    }
}

/// Reads what the planner needs at `now`, and the people's names.
pub fn read_snapshot(
    vault: &Vault,
    now: DateTime<Utc>,
) -> Result<(Snapshot, HashMap<String, String>), VaultError> {
    let local = now.with_timezone(&READER_TZ);
    let today = local.date_naive();
    let from = (today - chrono::Duration::days(1)).and_time(NaiveTime::MIN);
    let to = (today + chrono::Duration::days(LOOKAHEAD_DAYS)).and_time(NaiveTime::MIN);
    let events = vault.events(None, from, to)?;

    let mut names = HashMap::new();
    let mut doses_due_today = Vec::new();
    for person in vault.people()? {
        for dose in vault.vaccinations_due(&person.id, today)? {
            if dose.state == DoseState::Due && dose.due_on == today {
                doses_due_today.push(DueDose {
                    person_id: person.id.clone(),
                    antigen_key: dose.antigen.key().to_owned(),
                    mandatory: dose.mandatory,
                });
            }
        }
        names.insert(person.id, person.name);
    }
    Ok((
        Snapshot {
            today,
            events,
            doses_due_today,
        },
        names,
    ))
}
