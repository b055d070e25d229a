//! The blood group (ABO and RhD), typed by the user: one per person.
//!
//! It is a `blood_groups` row per person, whose `value` is NULL once cleared, and a
//! `blood_group` record whose `value` field contains the code or null. Setting and
//! clearing write the same field, so two devices that disagree merge by stamp.

use std::fmt;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::VaultError;
use crate::journal;
use crate::records::{self, kind};
use crate::vault::Vault;

/// An ABO group with its RhD factor. The codes are `A+`, `A-`, `B+`, `B-`, `AB+`,
/// `AB-`, `O+` and `O-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BloodGroup {
    #[serde(rename = "A+")]
    APositive,
    #[serde(rename = "A-")]
    ANegative,
    #[serde(rename = "B+")]
    BPositive,
    #[serde(rename = "B-")]
    BNegative,
    #[serde(rename = "AB+")]
    AbPositive,
    #[serde(rename = "AB-")]
    AbNegative,
    #[serde(rename = "O+")]
    OPositive,
    #[serde(rename = "O-")]
    ONegative,
}

/// Reason given when a blood group does not parse; the CLI and the app show it.
pub const ACCEPTED_FORMS: &str =
    "use A+, A-, B+, B-, AB+, AB-, O+ or O- (the letter O, not the digit 0)";

impl BloodGroup {
    /// Every group, in the order forms list them.
    pub const ALL: [BloodGroup; 8] = [
        BloodGroup::APositive,
        BloodGroup::ANegative,
        BloodGroup::BPositive,
        BloodGroup::BNegative,
        BloodGroup::AbPositive,
        BloodGroup::AbNegative,
        BloodGroup::OPositive,
        BloodGroup::ONegative,
    ];

    /// Parses the strict form: the ABO letters, then `+` or `-` (U+2212 MINUS SIGN
    /// is read as `-`), case-insensitive, with no space inside. `A pos`, `O neg`,
    /// `0+` and a group without RhD are rejected with [`ACCEPTED_FORMS`].
    pub fn parse(input: &str) -> Result<BloodGroup, VaultError> {
        let normalised = input.trim().replace('\u{2212}', "-").to_ascii_uppercase();
        BloodGroup::ALL
            .into_iter()
            .find(|group| group.code() == normalised)
            .ok_or_else(|| VaultError::InvalidInput {
                field: "blood group",
                value: input.escape_default().to_string(),
                reason: ACCEPTED_FORMS.into(),
            })
    }

    /// Returns the stored code, such as `AB-`.
    pub fn code(self) -> &'static str {
        match self {
            BloodGroup::APositive => "A+",
            BloodGroup::ANegative => "A-",
            BloodGroup::BPositive => "B+",
            BloodGroup::BNegative => "B-",
            BloodGroup::AbPositive => "AB+",
            BloodGroup::AbNegative => "AB-",
            BloodGroup::OPositive => "O+",
            BloodGroup::ONegative => "O-",
        }
    }

    /// Returns the SNOMED CT finding and its display, as listed by the HL7
    /// International Patient Summary value set "ABO and Rh group [Type] in Blood"
    /// (<https://hl7.org/fhir/uv/ips/2019Sep/ValueSet-lab-blood-abo-rh-grp-uv-ips.html>).
    pub fn snomed(self) -> (&'static str, &'static str) {
        match self {
            BloodGroup::APositive => ("278149003", "Blood group A Rh(D) positive"),
            BloodGroup::ANegative => ("278152006", "Blood group A Rh(D) negative"),
            BloodGroup::BPositive => ("278150003", "Blood group B Rh(D) positive"),
            BloodGroup::BNegative => ("278153001", "Blood group B Rh(D) negative"),
            BloodGroup::AbPositive => ("278151004", "Blood group AB Rh(D) positive"),
            BloodGroup::AbNegative => ("278154007", "Blood group AB Rh(D) negative"),
            BloodGroup::OPositive => ("278147001", "Blood group O Rh(D) positive"),
            BloodGroup::ONegative => ("278148006", "Blood group O Rh(D) negative"),
        }
    }

    /// Returns the LOINC answer code and its display, from LOINC answer list
    /// LL2972-9 (<http://loinc.org/vs/LL2972-9>), as expanded from LOINC 2.81 in
    /// <https://build.fhir.org/ig/nmdp-ig/matchsync-ig/branches/MAT-2546_PostmanCollectionUpdate/failure/ValueSet-loinc-abo-rh-codes.html>.
    pub fn loinc_answer(self) -> (&'static str, &'static str) {
        match self {
            BloodGroup::APositive => ("LA21325-8", "A Pos"),
            BloodGroup::ANegative => ("LA21326-6", "A Neg"),
            BloodGroup::BPositive => ("LA21327-4", "B Pos"),
            BloodGroup::BNegative => ("LA21328-2", "B Neg"),
            BloodGroup::AbPositive => ("LA21323-3", "AB Pos"),
            BloodGroup::AbNegative => ("LA21324-1", "AB Neg"),
            BloodGroup::OPositive => ("LA21321-7", "O Pos"),
            BloodGroup::ONegative => ("LA21322-5", "O Neg"),
        }
    }

    /// Finds the group whose SNOMED CT or LOINC answer code is `code`.
    pub fn from_code(code: &str) -> Option<BloodGroup> {
        BloodGroup::ALL
            .into_iter()
            .find(|group| group.snomed().0 == code || group.loinc_answer().0 == code)
    }
}

impl fmt::Display for BloodGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Vault {
    /// Returns the blood group of person `person_id`, `None` when unknown.
    pub fn blood_group(&self, person_id: &str) -> Result<Option<BloodGroup>, VaultError> {
        Ok(self
            .stored_blood_group(person_id)?
            .and_then(|(_, group)| group))
    }

    /// Returns the record id and the blood group of person `person_id`, `None` when
    /// no blood group was ever set.
    pub(crate) fn stored_blood_group(
        &self,
        person_id: &str,
    ) -> Result<Option<(String, Option<BloodGroup>)>, VaultError> {
        let person = self.person(person_id)?;
        let stored: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT id, value FROM blood_groups WHERE person_id = ?1",
                [&person.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, value)) = stored else {
            return Ok(None);
        };
        let group = match value {
            None => None,
            Some(code) => {
                Some(
                    BloodGroup::parse(&code).map_err(|_| VaultError::DamagedDatabase {
                        path: self.dir().join(crate::vault::db::DB_FILE),
                        reason: format!("the blood group of person {} is unreadable", person.id),
                    })?,
                )
            }
        };
        Ok(Some((id, group)))
    }

    /// Sets (`Some`) or clears (`None`) the blood group of person `person_id`. The
    /// row, the record and the journal row commit together; the journal names the
    /// person and the action, never the group. Setting the stored value again
    /// writes nothing.
    pub fn set_blood_group(
        &mut self,
        person_id: &str,
        group: Option<BloodGroup>,
    ) -> Result<(), VaultError> {
        let person = self.person(person_id)?;
        let stored = self.stored_blood_group(&person.id)?;
        let record_id = match stored {
            Some((_, current)) if current == group => return Ok(()),
            Some((id, _)) => id,
            None if group.is_none() => return Ok(()),
            None => uuid::Uuid::now_v7().to_string(),
        };
        let code = group.map(BloodGroup::code);

        let stamp = self.stamp()?;
        let space_key = self.space_key(&person.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO blood_groups (person_id, id, value, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id) DO UPDATE SET value = ?3, updated_at = ?4",
            params![person.id, record_id, code, chrono::Utc::now().to_rfc3339()],
        )?;
        records::write(
            &tx,
            &person.space_id,
            &space_key,
            &record_id,
            kind::BLOOD_GROUP,
            &[("person_id", json!(person.id)), ("value", json!(code))],
            &stamp,
        )?;
        let action = if group.is_some() {
            "blood_group.set"
        } else {
            "blood_group.clear"
        };
        journal::append(&tx, &self.journal_key, action, &person.id, "")?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_the_eight_codes() {
        for group in BloodGroup::ALL {
            assert_eq!(BloodGroup::parse(group.code()).unwrap(), group);
        }
    }

    #[test]
    fn parse_ignores_case_and_reads_minus_sign() {
        assert_eq!(BloodGroup::parse(" ab+ ").unwrap(), BloodGroup::AbPositive);
        assert_eq!(
            BloodGroup::parse("O\u{2212}").unwrap(),
            BloodGroup::ONegative
        );
    }

    #[test]
    fn parse_rejects_loose_forms() {
        for input in ["A pos", "O neg", "0+", "A", "A +", "B++", "", "Rh+", "AB−+"] {
            let error = BloodGroup::parse(input).unwrap_err();
            let VaultError::InvalidInput { field, reason, .. } = error else {
                panic!("{input}: not an invalid input");
            };
            assert_eq!(field, "blood group");
            assert_eq!(reason, ACCEPTED_FORMS);
        }
    }

    #[test]
    fn codes_map_back_to_groups() {
        for group in BloodGroup::ALL {
            assert_eq!(BloodGroup::from_code(group.snomed().0), Some(group));
            assert_eq!(BloodGroup::from_code(group.loinc_answer().0), Some(group));
        }
        assert_eq!(BloodGroup::from_code("882-1"), None);
    }

    #[test]
    fn serde_uses_codes() {
        assert_eq!(
            serde_json::to_value(BloodGroup::AbNegative).unwrap(),
            json!("AB-")
        );
    }
}
