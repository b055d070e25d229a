//! The medical profile: facts read from clinical documents (vaccinations,
//! measurements, lab results, treatments, allergies, conditions, family history),
//! each linked to the documents it came from, and the blood group the user typed
//! (see [`crate::blood_group`]).
//!
//! A fact is one `profile_entries` row per (person, kind, [`ProfileEntry::dedup_key`]),
//! so the same vaccination read from a vaccination record and from a vaccination
//! note is one entry with two `entry_sources` rows. Each entry is also an `entry`
//! record in the encrypted record log. Its sources are record fields named
//! `source:<document id>` (true while linked, null once unlinked), so that two
//! devices adding different sources merge field by field.
//! An entry whose last source document is deleted is deleted too.

use carnet_clinical::{
    Allergy, Condition, EntryKind, FamilyHistory, LabResult, Measurement, MeasurementKind,
    ProfileEntry, Treatment, Vaccination,
};
use rusqlite::{Transaction, params};
use serde::Serialize;
use serde_json::{Value, json};
use tracing::warn;

use crate::blood_group::BloodGroup;
use crate::crypto::SecretKey;
use crate::error::VaultError;
use crate::hlc::Stamp;
use crate::people::Person;
use crate::records::{self, kind};
use crate::vault::Vault;

/// One profile fact with the documents it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct SourcedEntry<T> {
    /// The entry id (`profile_entries.id`, also its record id).
    pub id: String,
    /// The fact itself.
    #[serde(flatten)]
    pub entry: T,
    /// Ids of the documents the fact was read from, at least one.
    pub sources: Vec<String>,
}

/// A person's medical profile, each list sorted by date (undated last).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Profile {
    /// Typed by the user, not read from documents.
    pub blood_group: Option<BloodGroup>,
    pub allergies: Vec<SourcedEntry<Allergy>>,
    pub treatments: Vec<SourcedEntry<Treatment>>,
    pub conditions: Vec<SourcedEntry<Condition>>,
    pub vaccinations: Vec<SourcedEntry<Vaccination>>,
    pub measurements: Vec<SourcedEntry<Measurement>>,
    pub lab_results: Vec<SourcedEntry<LabResult>>,
    pub family_history: Vec<SourcedEntry<FamilyHistory>>,
}

/// A measurement series a user can request. Blood pressure is one series of two
/// kinds (systolic and diastolic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    Weight,
    Height,
    HeadCircumference,
    WaistCircumference,
    Temperature,
    BloodPressure,
    Glucose,
    Hba1c,
    Bmi,
    HeartRate,
}

impl MeasureKind {
    /// Every series, in display order.
    pub const ALL: [MeasureKind; 10] = [
        MeasureKind::Weight,
        MeasureKind::Height,
        MeasureKind::HeadCircumference,
        MeasureKind::WaistCircumference,
        MeasureKind::Temperature,
        MeasureKind::BloodPressure,
        MeasureKind::Glucose,
        MeasureKind::Hba1c,
        MeasureKind::Bmi,
        MeasureKind::HeartRate,
    ];

    /// Parses the command-line code (`weight`, `blood_pressure`, `hba1c`…).
    pub fn parse(code: &str) -> Option<MeasureKind> {
        let normalised = code.trim().to_ascii_lowercase().replace('-', "_");
        MeasureKind::ALL
            .into_iter()
            .find(|kind| kind.code() == normalised)
    }

    /// Returns the command-line code.
    pub fn code(self) -> &'static str {
        match self {
            MeasureKind::Weight => "weight",
            MeasureKind::Height => "height",
            MeasureKind::HeadCircumference => "head_circumference",
            MeasureKind::WaistCircumference => "waist_circumference",
            MeasureKind::Temperature => "temperature",
            MeasureKind::BloodPressure => "blood_pressure",
            MeasureKind::Glucose => "glucose",
            MeasureKind::Hba1c => "hba1c",
            MeasureKind::Bmi => "bmi",
            MeasureKind::HeartRate => "heart_rate",
        }
    }

    /// Tells whether a stored measurement belongs to this series.
    pub fn includes(self, kind: MeasurementKind) -> bool {
        use MeasurementKind as K;
        match self {
            MeasureKind::Weight => kind == K::Weight,
            MeasureKind::Height => kind == K::Height,
            MeasureKind::HeadCircumference => kind == K::HeadCircumference,
            MeasureKind::WaistCircumference => kind == K::WaistCircumference,
            MeasureKind::Temperature => kind == K::BodyTemperature,
            MeasureKind::BloodPressure => {
                kind == K::SystolicBloodPressure || kind == K::DiastolicBloodPressure
            }
            MeasureKind::Glucose => kind == K::Glucose,
            MeasureKind::Hba1c => kind == K::GlycatedHemoglobin,
            MeasureKind::Bmi => kind == K::BodyMassIndex,
            MeasureKind::HeartRate => kind == K::HeartRate,
        }
    }
}

impl Vault {
    /// Reads a person's whole medical profile.
    pub fn profile(&self, person_id: &str) -> Result<Profile, VaultError> {
        let mut profile = Profile {
            blood_group: self.blood_group(person_id)?,
            ..Profile::default()
        };
        for (id, entry, sources) in self.load_entries(person_id, None)? {
            match entry {
                ProfileEntry::Allergy(e) => profile.allergies.push(sourced(id, e, sources)),
                ProfileEntry::Treatment(e) => profile.treatments.push(sourced(id, e, sources)),
                ProfileEntry::Condition(e) => profile.conditions.push(sourced(id, e, sources)),
                ProfileEntry::Vaccination(e) => profile.vaccinations.push(sourced(id, e, sources)),
                ProfileEntry::Measurement(e) => profile.measurements.push(sourced(id, e, sources)),
                ProfileEntry::LabResult(e) => profile.lab_results.push(sourced(id, e, sources)),
                ProfileEntry::FamilyHistory(e) => {
                    profile.family_history.push(sourced(id, e, sources))
                }
            }
        }
        Ok(profile)
    }

    /// Lists a person's vaccinations, oldest first (undated last).
    pub fn vaccinations(
        &self,
        person_id: &str,
    ) -> Result<Vec<SourcedEntry<Vaccination>>, VaultError> {
        let entries = self.load_entries(person_id, Some(EntryKind::Vaccination))?;
        Ok(entries
            .into_iter()
            .filter_map(|(id, entry, sources)| match entry {
                ProfileEntry::Vaccination(v) => Some(sourced(id, v, sources)),
                _ => None,
            })
            .collect())
    }

    /// Lists a person's measurements of one series, or of all, oldest first
    /// (undated last). Values are in the one UCUM unit of their kind.
    pub fn measurements(
        &self,
        person_id: &str,
        series: Option<MeasureKind>,
    ) -> Result<Vec<SourcedEntry<Measurement>>, VaultError> {
        let entries = self.load_entries(person_id, Some(EntryKind::Measurement))?;
        Ok(entries
            .into_iter()
            .filter_map(|(id, entry, sources)| match entry {
                ProfileEntry::Measurement(m) if series.is_none_or(|s| s.includes(m.kind)) => {
                    Some(sourced(id, m, sources))
                }
                _ => None,
            })
            .collect())
    }

    /// Loads entries sorted by date, with their source document ids.
    // NOTE: `occurred` is ISO 8601 text at the source's precision, so entries of one
    // day written with different UTC offsets sort by local time, not by instant.
    fn load_entries(
        &self,
        person_id: &str,
        only: Option<EntryKind>,
    ) -> Result<Vec<(String, ProfileEntry, Vec<String>)>, VaultError> {
        let person = self.person(person_id)?;
        let kind_filter = only.map(kind_code).unwrap_or_default();
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.kind, e.data, group_concat(s.document_id, ' ')
             FROM profile_entries e LEFT JOIN entry_sources s ON s.entry_id = e.id
             WHERE e.person_id = ?1 AND (?2 = '' OR e.kind = ?2)
             GROUP BY e.id
             ORDER BY e.occurred IS NULL, e.occurred, e.created_at, e.id",
        )?;
        let rows = stmt.query_map(params![person.id, kind_filter], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (id, kind_name, data, sources) = row?;
            let entry = match parse_entry(&kind_name, &data) {
                Ok(entry) => entry,
                Err(error) => {
                    // Written by a newer Carnet, or damaged: skip it, do not fail the profile.
                    warn!(entry_id = %id, %error, "profile entry skipped: unreadable data");
                    continue;
                }
            };
            let mut sources: Vec<String> = sources
                .unwrap_or_default()
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            sources.sort();
            entries.push((id, entry, sources));
        }
        Ok(entries)
    }
}

fn sourced<T>(id: String, entry: T, sources: Vec<String>) -> SourcedEntry<T> {
    SourcedEntry { id, entry, sources }
}

/// Returns the `profile_entries.kind` code of an entry kind (`vaccination`,
/// `lab_result`…), its serde name.
pub(crate) fn kind_code(kind: EntryKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Serialises the fact without its kind, which has its own column. (The entry enum
/// is tagged with `kind`, a name `Measurement` also uses for its own field.)
fn entry_data(entry: &ProfileEntry) -> Value {
    let value = match entry {
        ProfileEntry::Vaccination(v) => serde_json::to_value(v),
        ProfileEntry::Measurement(m) => serde_json::to_value(m),
        ProfileEntry::LabResult(r) => serde_json::to_value(r),
        ProfileEntry::Treatment(t) => serde_json::to_value(t),
        ProfileEntry::Allergy(a) => serde_json::to_value(a),
        ProfileEntry::Condition(c) => serde_json::to_value(c),
        ProfileEntry::FamilyHistory(f) => serde_json::to_value(f),
    };
    value.expect("profile entries always serialise")
}

/// Rebuilds an entry from its `kind` column and `data` JSON.
fn parse_entry(kind_name: &str, data: &str) -> Result<ProfileEntry, String> {
    let error = |e: serde_json::Error| e.to_string();
    let entry = match kind_name {
        "vaccination" => ProfileEntry::Vaccination(serde_json::from_str(data).map_err(error)?),
        "measurement" => ProfileEntry::Measurement(serde_json::from_str(data).map_err(error)?),
        "lab_result" => ProfileEntry::LabResult(serde_json::from_str(data).map_err(error)?),
        "treatment" => ProfileEntry::Treatment(serde_json::from_str(data).map_err(error)?),
        "allergy" => ProfileEntry::Allergy(serde_json::from_str(data).map_err(error)?),
        "condition" => ProfileEntry::Condition(serde_json::from_str(data).map_err(error)?),
        "family_history" => ProfileEntry::FamilyHistory(serde_json::from_str(data).map_err(error)?),
        other => return Err(format!("unknown entry kind `{other}`")),
    };
    Ok(entry)
}

/// Returns when the fact happened, as stored in `profile_entries.occurred`.
fn occurred(entry: &ProfileEntry) -> Option<String> {
    let time = match entry {
        ProfileEntry::Vaccination(v) => v.date.as_ref(),
        ProfileEntry::Measurement(m) => m.time.as_ref(),
        ProfileEntry::LabResult(r) => r.time.as_ref(),
        ProfileEntry::Treatment(t) => t.start.as_ref(),
        ProfileEntry::Allergy(a) => a.onset.as_ref(),
        ProfileEntry::Condition(c) => c.onset.as_ref(),
        ProfileEntry::FamilyHistory(_) => None,
    };
    time.map(|t| t.as_str().to_owned())
}

/// Links a newly imported document's entries to the profile inside the import's
/// transaction: a new fact becomes a row and an `entry` record, a known fact gains
/// one source. Returns how many facts were new.
pub(crate) fn link_entries(
    tx: &Transaction<'_>,
    person: &Person,
    space_key: &SecretKey,
    document_id: &str,
    entries: &[ProfileEntry],
    stamp: &Stamp,
) -> Result<usize, VaultError> {
    let created_at = chrono::Utc::now().to_rfc3339();
    let source_field = format!("source:{document_id}");
    let mut created = 0;
    for entry in entries {
        let kind_name = kind_code(entry.kind());
        let dedup_key = entry.dedup_key();
        let occurred = occurred(entry);
        let data = entry_data(entry);
        let new_id = uuid::Uuid::now_v7().to_string();
        let inserted = tx.execute(
            "INSERT INTO profile_entries (id, person_id, kind, dedup_key, occurred, data, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (person_id, kind, dedup_key) DO NOTHING",
            params![
                new_id,
                person.id,
                kind_name,
                dedup_key,
                occurred,
                data.to_string(),
                created_at
            ],
        )?;
        let entry_id: String = tx.query_row(
            "SELECT id FROM profile_entries WHERE person_id = ?1 AND kind = ?2 AND dedup_key = ?3",
            params![person.id, kind_name, dedup_key],
            |r| r.get(0),
        )?;
        let linked = tx.execute(
            "INSERT OR IGNORE INTO entry_sources (entry_id, document_id) VALUES (?1, ?2)",
            params![entry_id, document_id],
        )?;

        let mut changes: Vec<(&str, Value)> = Vec::new();
        if inserted > 0 {
            created += 1;
            changes.extend([
                ("person_id", json!(person.id)),
                ("kind", json!(kind_name)),
                ("dedup_key", json!(dedup_key)),
                ("occurred", json!(occurred)),
                ("data", data),
            ]);
        }
        if linked > 0 {
            changes.push((source_field.as_str(), json!(true)));
        }
        if !changes.is_empty() {
            records::write(
                tx,
                &person.space_id,
                space_key,
                &entry_id,
                kind::ENTRY,
                &changes,
                stamp,
            )?;
        }
    }
    Ok(created)
}

/// Unlinks a document being deleted from the profile: its `entry_sources` rows go,
/// and so does every entry left without a source (row and record, as a tombstone).
pub(crate) fn unlink_document(
    tx: &Transaction<'_>,
    person: &Person,
    space_key: &SecretKey,
    document_id: &str,
    stamp: &Stamp,
) -> Result<(), VaultError> {
    let entry_ids: Vec<String> = {
        let mut stmt = tx.prepare("SELECT entry_id FROM entry_sources WHERE document_id = ?1")?;
        stmt.query_map([document_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    tx.execute(
        "DELETE FROM entry_sources WHERE document_id = ?1",
        [document_id],
    )?;
    let source_field = format!("source:{document_id}");
    for entry_id in entry_ids {
        let remaining: i64 = tx.query_row(
            "SELECT count(*) FROM entry_sources WHERE entry_id = ?1",
            [&entry_id],
            |r| r.get(0),
        )?;
        if remaining == 0 {
            tx.execute("DELETE FROM profile_entries WHERE id = ?1", [&entry_id])?;
            records::delete(
                tx,
                &person.space_id,
                space_key,
                &entry_id,
                kind::ENTRY,
                stamp,
            )?;
        } else {
            records::write(
                tx,
                &person.space_id,
                space_key,
                &entry_id,
                kind::ENTRY,
                &[(source_field.as_str(), Value::Null)],
                stamp,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_kind_parses_codes() {
        assert_eq!(MeasureKind::parse("weight"), Some(MeasureKind::Weight));
        assert_eq!(
            MeasureKind::parse("Blood-Pressure"),
            Some(MeasureKind::BloodPressure)
        );
        assert_eq!(MeasureKind::parse("hba1c"), Some(MeasureKind::Hba1c));
        assert_eq!(MeasureKind::parse("mass"), None);
    }

    #[test]
    fn blood_pressure_includes_both_kinds() {
        assert!(MeasureKind::BloodPressure.includes(MeasurementKind::SystolicBloodPressure));
        assert!(MeasureKind::BloodPressure.includes(MeasurementKind::DiastolicBloodPressure));
        assert!(!MeasureKind::BloodPressure.includes(MeasurementKind::HeartRate));
    }

    #[test]
    fn entry_data_round_trips() {
        let entry = ProfileEntry::Measurement(Measurement {
            kind: MeasurementKind::Weight,
            code: Default::default(),
            value: 12.5,
            unit: "kg".into(),
            original_value: "12500".into(),
            original_unit: Some("g".into()),
            time: None,
        });
        let data = entry_data(&entry).to_string();
        let back = parse_entry("measurement", &data).expect("parses");
        assert_eq!(back, entry);
    }

    /// Imports the two ANS vaccination documents into a new vault.
    fn vaccinated_vault() -> (tempfile::TempDir, Vault, Person, Vec<String>) {
        use std::sync::atomic::AtomicBool;

        let dir = tempfile::tempdir().unwrap();
        let (mut vault, _kit) = Vault::create(
            &dir.path().join("vault"),
            "cheval-agrafe-pile-correcte-1987",
            crate::KdfParams::INSECURE_FOR_TESTS,
        )
        .unwrap();
        let person = vault
            .add_person(crate::NewPerson {
                name: "Dominique Pat-Trois".into(),
                birth_date: chrono::NaiveDate::from_ymd_opt(1979, 3, 28).unwrap(),
                sex: crate::Sex::Unknown,
                relation: crate::Relation::Titulaire,
                ins: None,
            })
            .unwrap();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("clinical/tests/fixtures/cda/fr-ans");
        let options = crate::ImportOptions {
            person_id: person.id.clone(),
            source: "import".into(),
            force: false,
        };
        let mut documents = Vec::new();
        for name in ["VAC_2023.01.xml", "VAC-NOTE_2023.01.xml"] {
            let summary = vault
                .import_paths(
                    &[fixtures.join(name)],
                    &options,
                    &AtomicBool::new(false),
                    &mut |_| {},
                )
                .unwrap();
            match &summary.files[0].outcome {
                crate::Outcome::Imported { document_id, .. } => documents.push(document_id.clone()),
                other => panic!("{name} not imported: {other:?}"),
            }
        }
        (dir, vault, person, documents)
    }

    fn live_entry_records(vault: &Vault) -> i64 {
        vault
            .conn
            .query_row(
                "SELECT count(*) FROM records WHERE kind = 'entry' AND deleted = 0",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn entries_written_as_records() {
        let (_dir, mut vault, person, documents) = vaccinated_vault();
        let rows: i64 = vault
            .conn
            .query_row("SELECT count(*) FROM profile_entries", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 4);
        assert_eq!(live_entry_records(&vault), rows);

        let shared = vault
            .vaccinations(&person.id)
            .unwrap()
            .into_iter()
            .find(|v| v.sources.len() == 2)
            .expect("the vaccination both documents describe");
        let key = vault.space_key(&person.space_id).unwrap();
        let (fields, deleted) = records::read(&vault.conn, &key, &shared.id)
            .unwrap()
            .expect("the entry's record");
        assert!(!deleted);
        assert_eq!(fields["kind"].value, json!("vaccination"));
        assert_eq!(fields["person_id"].value, json!(person.id));
        for document in &documents {
            assert_eq!(fields[&format!("source:{document}")].value, json!(true));
        }
        assert_eq!(fields["data"].value["lot_number"], json!("4456672"));
    }

    #[test]
    fn deleting_sources_tombstones_records() {
        let (_dir, mut vault, person, documents) = vaccinated_vault();
        let shared_id = vault
            .vaccinations(&person.id)
            .unwrap()
            .into_iter()
            .find(|v| v.sources.len() == 2)
            .unwrap()
            .id;

        vault.delete_document(&documents[1]).unwrap();
        let key = vault.space_key(&person.space_id).unwrap();
        let (fields, deleted) = records::read(&vault.conn, &key, &shared_id)
            .unwrap()
            .unwrap();
        assert!(!deleted, "still sourced by the vaccination record");
        assert_eq!(
            fields[&format!("source:{}", documents[1])].value,
            Value::Null
        );
        assert_eq!(
            fields[&format!("source:{}", documents[0])].value,
            json!(true)
        );

        vault.delete_document(&documents[0]).unwrap();
        assert_eq!(live_entry_records(&vault), 0);
        let (_, deleted) = records::read(&vault.conn, &key, &shared_id)
            .unwrap()
            .unwrap();
        assert!(deleted, "the record is a tombstone");
    }

    #[test]
    fn kind_code_uses_snake_case() {
        assert_eq!(kind_code(EntryKind::LabResult), "lab_result");
        assert_eq!(kind_code(EntryKind::FamilyHistory), "family_history");
    }
}
