//! Vaccinations recorded by hand, and the doses of the French vaccination
//! calendar that are done, due, overdue or upcoming for a person.
//!
//! The doses given come from two places: the profile's vaccinations read from
//! CDA and FHIR documents (`profile_entries` rows of kind `vaccination`), and the
//! `vaccinations_recorded` table filled by [`Vault::record_vaccination`]. A profile
//! entry is read straight from its row because an entry always has a source
//! document, which a vaccination typed by the user has not.

use carnet_agenda::vaccination::{
    Antigen, CodeSystem, DoseStatus, VaccinationCalendar, VaccinationRecord, antigens_for_code,
    evaluate,
};
use carnet_clinical::{Code, Vaccination};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;
use tracing::warn;

use crate::error::VaultError;
use crate::records::{self, kind};
use crate::vault::Vault;

/// Maximum length, in characters, of a typed vaccine name or code.
const MAX_VACCINE_CHARS: usize = 200;
/// Maximum length, in characters, of a lot number.
const MAX_LOT_CHARS: usize = 64;

/// A vaccination the user recorded by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedVaccination {
    /// Row id, also its record id.
    pub id: String,
    /// The vaccine as typed: brand name, ATC, CVX or SNOMED CT code.
    pub vaccine: String,
    pub given_on: NaiveDate,
    pub lot: Option<String>,
    /// The antigens the vaccine covers.
    pub antigens: Vec<Antigen>,
}

impl Vault {
    /// Records a vaccination given to a person. `vaccine` is a brand name
    /// (`Bexsero`), an ATC code (`J07AH09`), a CVX code (`163`) or a SNOMED CT
    /// concept id.
    ///
    /// Fails with [`VaultError::InvalidInput`] when the vaccine maps to no
    /// antigen, the date is before the birth date or in the future, or a text is
    /// too long.
    pub fn record_vaccination(
        &mut self,
        person_id: &str,
        vaccine: &str,
        given_on: NaiveDate,
        lot: Option<&str>,
    ) -> Result<RecordedVaccination, VaultError> {
        let person = self.person(person_id)?;
        let vaccine = vaccine.trim();
        if vaccine.is_empty() || vaccine.chars().count() > MAX_VACCINE_CHARS {
            return Err(VaultError::InvalidInput {
                field: "vaccine",
                value: vaccine.chars().take(40).collect(),
                reason: format!("a vaccine name or code has 1 to {MAX_VACCINE_CHARS} characters"),
            });
        }
        let Some(antigens) = antigens_for_vaccine(vaccine) else {
            return Err(VaultError::InvalidInput {
                field: "vaccine",
                value: vaccine.to_string(),
                reason: "unknown vaccine: give its brand name (Bexsero, Priorix…) or an ATC, \
                         CVX or SNOMED CT code"
                    .into(),
            });
        };
        let today = chrono::Local::now().date_naive();
        if given_on < person.birth_date || given_on > today {
            return Err(VaultError::InvalidInput {
                field: "vaccination date",
                value: given_on.to_string(),
                reason: "the date must be between the birth date and today".into(),
            });
        }
        let lot = lot.map(str::trim).filter(|l| !l.is_empty());
        if let Some(lot) = lot
            && lot.chars().count() > MAX_LOT_CHARS
        {
            return Err(VaultError::InvalidInput {
                field: "lot number",
                value: lot.chars().take(40).collect(),
                reason: format!("a lot number has at most {MAX_LOT_CHARS} characters"),
            });
        }

        let recorded = RecordedVaccination {
            id: uuid::Uuid::now_v7().to_string(),
            vaccine: vaccine.to_string(),
            given_on,
            lot: lot.map(str::to_owned),
            antigens: antigens.to_vec(),
        };
        let given_on_text = given_on.format("%Y-%m-%d").to_string();
        let stamp = self.stamp()?;
        let space_key = self.space_key(&person.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO vaccinations_recorded (id, person_id, vaccine, given_on, lot, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                recorded.id,
                person.id,
                recorded.vaccine,
                given_on_text,
                recorded.lot,
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        records::write(
            &tx,
            &person.space_id,
            &space_key,
            &recorded.id,
            kind::VACCINATION,
            &[
                ("person_id", json!(person.id)),
                ("vaccine", json!(recorded.vaccine)),
                ("given_on", json!(given_on_text)),
                ("lot", json!(recorded.lot)),
            ],
            &stamp,
        )?;
        tx.commit()?;
        self.journal("vaccination.record", &recorded.id, "")?;
        Ok(recorded)
    }

    /// Deletes a vaccination recorded by hand, by the id that
    /// [`Vault::recorded_vaccinations`] returns, leaving a tombstone record and
    /// a journal entry. Returns false when no recorded vaccination has this id.
    /// Vaccinations read from documents are not deleted this way.
    pub fn delete_vaccination(&mut self, id: &str) -> Result<bool, VaultError> {
        let person_id: Option<String> = self
            .conn
            .query_row(
                "SELECT person_id FROM vaccinations_recorded WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(person_id) = person_id else {
            return Ok(false);
        };
        let person = self.person(&person_id)?;
        let stamp = self.stamp()?;
        let space_key = self.space_key(&person.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM vaccinations_recorded WHERE id = ?1", [id])?;
        records::delete(
            &tx,
            &person.space_id,
            &space_key,
            id,
            kind::VACCINATION,
            &stamp,
        )?;
        tx.commit()?;
        self.journal("vaccination.delete", id, "")?;
        Ok(true)
    }

    /// Lists the vaccinations a person's user recorded by hand, oldest first.
    pub fn recorded_vaccinations(
        &self,
        person_id: &str,
    ) -> Result<Vec<RecordedVaccination>, VaultError> {
        let person = self.person(person_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, vaccine, given_on, lot FROM vaccinations_recorded
             WHERE person_id = ?1 ORDER BY given_on, created_at",
        )?;
        let rows = stmt.query_map([&person.id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, vaccine, given_on_text, lot) = row?;
            let Ok(given_on) = NaiveDate::parse_from_str(&given_on_text, "%Y-%m-%d") else {
                warn!(vaccination = %id, "recorded vaccination skipped: unreadable date");
                continue;
            };
            let antigens = antigens_for_vaccine(&vaccine).unwrap_or_default().to_vec();
            out.push(RecordedVaccination {
                id,
                vaccine,
                given_on,
                lot,
                antigens,
            });
        }
        Ok(out)
    }

    /// Returns every dose given to a person that maps to antigens: those of the
    /// profile (imported documents) and those recorded by hand. Profile
    /// vaccinations without a usable date or a known vaccine code are left out.
    pub fn vaccination_records(
        &self,
        person_id: &str,
    ) -> Result<Vec<VaccinationRecord>, VaultError> {
        let person = self.person(person_id)?;
        let mut records = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, data FROM profile_entries WHERE person_id = ?1 AND kind = 'vaccination'",
        )?;
        let rows = stmt.query_map([&person.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, data) = row?;
            match serde_json::from_str::<Vaccination>(&data) {
                Ok(vaccination) => records.extend(record_from_profile(&vaccination)),
                Err(error) => {
                    warn!(entry_id = %id, %error, "vaccination entry skipped: unreadable data")
                }
            }
        }
        for recorded in self.recorded_vaccinations(&person.id)? {
            if !recorded.antigens.is_empty() {
                records.push(VaccinationRecord {
                    date: recorded.given_on,
                    antigens: recorded.antigens,
                });
            }
        }
        records.sort_by_key(|r| r.date);
        Ok(records)
    }

    /// Evaluates the latest French vaccination calendar for a person on `at`:
    /// one status per antigen and dose, sorted by due date.
    pub fn vaccinations_due(
        &self,
        person_id: &str,
        at: NaiveDate,
    ) -> Result<Vec<DoseStatus>, VaultError> {
        let person = self.person(person_id)?;
        let records = self.vaccination_records(&person.id)?;
        let calendar = VaccinationCalendar::latest();
        Ok(evaluate(&calendar, person.birth_date, at, &records))
    }
}

/// Returns the antigens of a vaccine typed by a person. The input is read as an
/// ATC code when it starts with `J07`, a CVX code when it is 1 to 3 digits, a
/// SNOMED CT concept id when it is more digits, and else as a brand name.
pub fn antigens_for_vaccine(input: &str) -> Option<&'static [Antigen]> {
    let input = input.trim();
    let system = if input.to_ascii_uppercase().starts_with("J07") {
        CodeSystem::Atc
    } else if !input.is_empty() && input.chars().all(|c| c.is_ascii_digit()) {
        if input.len() <= 3 {
            CodeSystem::Cvx
        } else {
            CodeSystem::Snomed
        }
    } else {
        CodeSystem::Name
    };
    antigens_for_code(system, input)
}

/// Builds an engine record from a profile vaccination. The antigens come from
/// the first code that maps to any (the vaccine code, then translations such as
/// the ATC class of a CIS code), else from the first display name that does.
fn record_from_profile(vaccination: &Vaccination) -> Option<VaccinationRecord> {
    let date = profile_date(vaccination.date.as_ref()?.date())?;
    let codes: Vec<&Code> = std::iter::once(&vaccination.vaccine)
        .chain(vaccination.translations.iter())
        .collect();
    let by_code = codes.iter().find_map(|c| {
        let system = CodeSystem::from_uri(c.system.as_deref()?)?;
        antigens_for_code(system, c.code.as_deref()?)
    });
    let antigens = by_code.or_else(|| {
        codes
            .iter()
            .find_map(|c| antigens_for_code(CodeSystem::Name, c.display.as_deref()?))
    })?;
    Some(VaccinationRecord {
        date,
        antigens: antigens.to_vec(),
    })
}

/// Parses the date part of a clinical time: `YYYY-MM-DD`, or `YYYY-MM` read as
/// the first of the month. A year alone is too vague to match a dose.
// NOTE: a month-precision date can fill a slot a few weeks early or late.
fn profile_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok())
        .filter(|_| text.len() >= 7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_vaccine_systems() {
        assert_eq!(
            antigens_for_vaccine("Bexsero"),
            Some(&[Antigen::MeningococcusB][..])
        );
        assert_eq!(
            antigens_for_vaccine("j07ah09"),
            Some(&[Antigen::MeningococcusB][..])
        );
        assert_eq!(antigens_for_vaccine("no such vaccine"), None);
        assert_eq!(antigens_for_vaccine(""), None);
    }

    #[test]
    fn profile_dates_by_precision() {
        assert_eq!(
            profile_date("2009-09-28"),
            NaiveDate::from_ymd_opt(2009, 9, 28)
        );
        assert_eq!(profile_date("2009-09"), NaiveDate::from_ymd_opt(2009, 9, 1));
        assert_eq!(profile_date("2009"), None);
        assert_eq!(profile_date("garbage"), None);
    }

    #[test]
    fn profile_record_uses_atc_translation() {
        let vaccination = Vaccination {
            vaccine: Code {
                system: Some("1.2.250.1.213.2.3.1".into()),
                code: Some("68747507".into()),
                display: Some("VACCIN TETANIQUE PASTEUR".into()),
            },
            translations: vec![Code {
                system: Some("2.16.840.1.113883.6.73".into()),
                code: Some("J07AM".into()),
                display: None,
            }],
            date: carnet_clinical::ClinicalTime::from_hl7("20090928"),
            lot_number: None,
            dose_number: None,
            performer: None,
            route: None,
        };
        let record = record_from_profile(&vaccination).expect("maps to tetanus");
        assert_eq!(record.antigens, vec![Antigen::Tetanus]);
        assert_eq!(record.date, NaiveDate::from_ymd_opt(2009, 9, 28).unwrap());
    }
}
