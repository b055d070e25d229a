//! The activity journal (*historique d'activité*) and its hash-chain check.

use tauri::{AppHandle, Runtime};

use super::blocking;
use crate::error::CommandResult;
use crate::ipc::{JournalEntry, JournalVerification};

/// Largest page of `journal_list`.
const MAX_PAGE: u32 = 500;

/// Lists journal entries, newest first.
#[tauri::command]
pub async fn journal_list<R: Runtime>(
    app: AppHandle<R>,
    offset: u64,
    limit: u32,
) -> CommandResult<Vec<JournalEntry>> {
    let limit = limit.min(MAX_PAGE) as i64;
    blocking(&app, move |_, state| {
        state.with_vault(|vault| {
            // The vault lists oldest first; newest first is read from the end.
            let total: i64 =
                vault
                    .connection()
                    .query_row("SELECT count(*) FROM journal", [], |row| row.get(0))?;
            let end = (total - offset as i64).max(0);
            let start = (end - limit).max(0);
            let mut entries = vault.journal_entries(start as usize, (end - start) as usize)?;
            entries.reverse();
            Ok(entries
                .into_iter()
                .map(|entry| JournalEntry {
                    seq: entry.seq as u64,
                    at: entry.at,
                    // Every change is made by the user of this device; sync will
                    // add other actors.
                    actor: "local".to_owned(),
                    // The catalogue names each journal action `action.<name>`.
                    action: format!("action.{}", entry.action),
                    target: Some(entry.subject).filter(|s| !s.is_empty()),
                })
                .collect())
        })
    })
    .await
}

/// Recomputes the hash chain and returns the first entry that does not match.
#[tauri::command]
pub async fn journal_verify<R: Runtime>(app: AppHandle<R>) -> CommandResult<JournalVerification> {
    blocking(&app, |_, state| {
        state.with_vault(|vault| {
            let check = vault.verify_journal()?;
            Ok(JournalVerification {
                ok: check.ok(),
                entries: check.entries as u64,
                first_bad_seq: check.first_bad_seq.map(|seq| seq as u64),
            })
        })
    })
    .await
}
