//! The vault's own journal: an append-only, hash-chained log of what was done.
//!
//! Each row stores `mac = HMAC-SHA256(journal key, previous mac ‖ seq ‖ at ‖ action
//! ‖ subject ‖ detail)`, with fields length-prefixed. Changing, removing or
//! reordering a row breaks every MAC from that row on, and without the journal key
//! (derived from the vault key) nobody can recompute them. `detail` holds ids and
//! counts, never document content.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::crypto::SecretKey;
use crate::error::VaultError;
use crate::vault::Vault;

/// One journal row.
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    pub seq: i64,
    pub at: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Outcome of [`Vault::verify_journal`].
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JournalCheck {
    pub entries: usize,
    /// Sequence number of the first row whose MAC does not verify.
    pub first_bad_seq: Option<i64>,
}

impl JournalCheck {
    pub fn ok(&self) -> bool {
        self.first_bad_seq.is_none()
    }
}

fn mac_input(previous: &str, entry: &JournalEntry) -> Vec<u8> {
    let mut input = Vec::new();
    for part in [
        previous,
        &entry.seq.to_string(),
        &entry.at,
        &entry.action,
        &entry.subject,
        &entry.detail,
    ] {
        input.extend_from_slice(&(part.len() as u32).to_be_bytes());
        input.extend_from_slice(part.as_bytes());
    }
    input
}

/// Appends a row to the journal through `conn`, which may be an open transaction,
/// so that a change and its journal row commit together.
pub(crate) fn append(
    conn: &Connection,
    journal_key: &SecretKey,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), VaultError> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, mac FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (previous_seq, previous_mac) = last.unwrap_or((0, String::new()));
    let entry = JournalEntry {
        seq: previous_seq + 1,
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        action: action.to_string(),
        subject: subject.to_string(),
        detail: detail.to_string(),
    };
    let mac = hex::encode(journal_key.mac(&mac_input(&previous_mac, &entry)));
    conn.execute(
        "INSERT INTO journal (seq, at, action, subject, detail, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![entry.seq, entry.at, entry.action, entry.subject, entry.detail, mac],
    )?;
    Ok(())
}

impl Vault {
    /// Appends a row to the journal.
    pub(crate) fn journal(
        &mut self,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), VaultError> {
        append(&self.conn, &self.journal_key, action, subject, detail)
    }

    /// Lists journal rows, oldest first.
    pub fn journal_entries(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<JournalEntry>, VaultError> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, action, subject, detail FROM journal ORDER BY seq LIMIT ?1 OFFSET ?2",
        )?;
        let rows = stmt.query_map(params![limit as i64, offset as i64], |r| {
            Ok(JournalEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                action: r.get(2)?,
                subject: r.get(3)?,
                detail: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Recomputes the chain and reports the first row that does not verify.
    pub fn verify_journal(&self) -> Result<JournalCheck, VaultError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, at, action, subject, detail, mac FROM journal ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut previous_mac = String::new();
        let mut expected_seq = 1;
        let mut entries = 0;
        while let Some(row) = rows.next()? {
            let entry = JournalEntry {
                seq: row.get(0)?,
                at: row.get(1)?,
                action: row.get(2)?,
                subject: row.get(3)?,
                detail: row.get(4)?,
            };
            let stored: String = row.get(5)?;
            let computed = hex::encode(self.journal_key.mac(&mac_input(&previous_mac, &entry)));
            if entry.seq != expected_seq || computed != stored {
                return Ok(JournalCheck {
                    entries,
                    first_bad_seq: Some(entry.seq),
                });
            }
            previous_mac = stored;
            expected_seq += 1;
            entries += 1;
        }
        Ok(JournalCheck {
            entries,
            first_bad_seq: None,
        })
    }
}
