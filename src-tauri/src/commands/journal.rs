//! The activity journal (*historique d'activité*) and its hash-chain check.

use crate::error::{CommandError, CommandResult};
use crate::ipc::{JournalEntry, JournalVerification};

/// Lists journal entries, newest first.
#[tauri::command]
pub fn journal_list(offset: u64, limit: u32) -> CommandResult<Vec<JournalEntry>> {
    let _ = (offset, limit);
    Err(CommandError::not_ready())
}

/// Recomputes the hash chain and returns the first entry that does not match.
#[tauri::command]
pub fn journal_verify() -> CommandResult<JournalVerification> {
    Err(CommandError::not_ready())
}
