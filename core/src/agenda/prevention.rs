//! Compulsory child check-ups and prevention appointments proposed to a person,
//! with the user's decision on each (planned, done, dismissed).
//!
//! One `prevention_decisions` row per (person, suggestion) holds the latest
//! decision; it is also a `prevention_decision` record so that sync carries it.

pub use carnet_agenda::prevention::{
    Decision, PreventionProgram, Suggestion, SuggestionDecision, SuggestionKind, SuggestionState,
};

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde_json::json;
use tracing::warn;

use crate::error::VaultError;
use crate::records::{self, kind};
use crate::vault::Vault;

impl Vault {
    /// Returns the latest prevention programme's suggestions for a person on
    /// `at`, with the stored decisions applied, sorted by window start.
    pub fn prevention_suggestions(
        &self,
        person_id: &str,
        at: chrono::NaiveDate,
    ) -> Result<Vec<Suggestion>, VaultError> {
        let person = self.person(person_id)?;
        let decisions = self.suggestion_decisions(&person.id)?;
        let program = PreventionProgram::latest();
        Ok(carnet_agenda::prevention::suggestions(
            &program,
            person.birth_date,
            at,
            &decisions,
        ))
    }

    /// Stores the user's decision on suggestion `suggestion_id`, replacing an
    /// earlier one.
    ///
    /// Fails with [`VaultError::InvalidInput`] when the id is not in the latest
    /// programme.
    pub fn decide_suggestion(
        &mut self,
        person_id: &str,
        suggestion_id: &str,
        decision: Decision,
    ) -> Result<(), VaultError> {
        let person = self.person(person_id)?;
        let program = PreventionProgram::latest();
        if !program.items.iter().any(|item| item.id == suggestion_id) {
            return Err(VaultError::InvalidInput {
                field: "suggestion id",
                value: suggestion_id.to_string(),
                reason: "not in the prevention programme; list the ids with `carnet prevention`"
                    .into(),
            });
        }
        check_decision_date(&decision, person.birth_date)?;
        let decision_json = serde_json::to_value(decision).expect("decisions always serialise");

        let stamp = self.stamp()?;
        let space_key = self.space_key(&person.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        let existing: Option<String> = tx
            .query_row(
                "SELECT id FROM prevention_decisions WHERE person_id = ?1 AND suggestion_id = ?2",
                params![person.id, suggestion_id],
                |r| r.get(0),
            )
            .optional()?;
        let record_id = existing.unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        tx.execute(
            "INSERT INTO prevention_decisions (id, person_id, suggestion_id, decision, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (person_id, suggestion_id) DO UPDATE SET decision = ?4, decided_at = ?5",
            params![
                record_id,
                person.id,
                suggestion_id,
                decision_json.to_string(),
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        records::write(
            &tx,
            &person.space_id,
            &space_key,
            &record_id,
            kind::PREVENTION_DECISION,
            &[
                ("person_id", json!(person.id)),
                ("suggestion_id", json!(suggestion_id)),
                ("decision", decision_json),
            ],
            &stamp,
        )?;
        tx.commit()?;
        self.journal("prevention.decide", &record_id, suggestion_id)?;
        Ok(())
    }

    /// Lists a person's stored decisions. Rows that do not parse are skipped.
    pub fn suggestion_decisions(
        &self,
        person_id: &str,
    ) -> Result<Vec<SuggestionDecision>, VaultError> {
        let mut stmt = self.conn.prepare(
            "SELECT suggestion_id, decision FROM prevention_decisions
             WHERE person_id = ?1 ORDER BY decided_at",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, data) = row?;
            match serde_json::from_str::<Decision>(&data) {
                Ok(decision) => out.push(SuggestionDecision { id, decision }),
                Err(error) => warn!(suggestion = %id, %error, "decision skipped: unreadable data"),
            }
        }
        Ok(out)
    }
}

/// Rejects a decision dated before the person's birth, or an examination marked
/// done on a date still to come.
fn check_decision_date(decision: &Decision, birth_date: NaiveDate) -> Result<(), VaultError> {
    let (on, reason) = match *decision {
        Decision::Planned { on } if on < birth_date => (on, "the date is before the birth date"),
        Decision::Done { on } if on < birth_date => (on, "the date is before the birth date"),
        Decision::Done { on } if on > chrono::Local::now().date_naive() => (
            on,
            "an examination cannot be done in the future; plan it instead",
        ),
        _ => return Ok(()),
    };
    Err(VaultError::InvalidInput {
        field: "decision date",
        value: on.to_string(),
        reason: reason.into(),
    })
}
