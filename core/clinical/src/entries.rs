//! Medical-profile entries found in documents and resources.
//!
//! Each entry kind mirrors a section of Mon espace santé's medical profile. Each has
//! a deterministic [`ProfileEntry::dedup_key`] built from the facts that identify it
//! (code, date, lot…), so the same vaccination read from a vaccination record and
//! from a vaccination note is recognised as one.

use serde::{Deserialize, Serialize};

use crate::model::{Actor, Code};
use crate::time::ClinicalTime;
use crate::units::MeasurementKind;

/// One fact for the medical profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProfileEntry {
    /// An administered vaccine.
    Vaccination(Vaccination),
    /// A vital sign or body measurement in Carnet's unit for its kind.
    Measurement(Measurement),
    /// A laboratory result.
    LabResult(LabResult),
    /// A medication taken, prescribed or dispensed.
    Treatment(Treatment),
    /// An allergy or intolerance.
    Allergy(Allergy),
    /// A problem, diagnosis or past condition.
    Condition(Condition),
    /// A condition in a relative.
    FamilyHistory(FamilyHistory),
}

/// The kind of a [`ProfileEntry`], for counting and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// [`ProfileEntry::Vaccination`].
    Vaccination,
    /// [`ProfileEntry::Measurement`].
    Measurement,
    /// [`ProfileEntry::LabResult`].
    LabResult,
    /// [`ProfileEntry::Treatment`].
    Treatment,
    /// [`ProfileEntry::Allergy`].
    Allergy,
    /// [`ProfileEntry::Condition`].
    Condition,
    /// [`ProfileEntry::FamilyHistory`].
    FamilyHistory,
}

impl EntryKind {
    /// Every kind, in profile order.
    pub const ALL: [EntryKind; 7] = [
        EntryKind::Vaccination,
        EntryKind::Measurement,
        EntryKind::LabResult,
        EntryKind::Treatment,
        EntryKind::Allergy,
        EntryKind::Condition,
        EntryKind::FamilyHistory,
    ];
}

impl ProfileEntry {
    /// Returns the entry's kind.
    pub fn kind(&self) -> EntryKind {
        match self {
            ProfileEntry::Vaccination(_) => EntryKind::Vaccination,
            ProfileEntry::Measurement(_) => EntryKind::Measurement,
            ProfileEntry::LabResult(_) => EntryKind::LabResult,
            ProfileEntry::Treatment(_) => EntryKind::Treatment,
            ProfileEntry::Allergy(_) => EntryKind::Allergy,
            ProfileEntry::Condition(_) => EntryKind::Condition,
            ProfileEntry::FamilyHistory(_) => EntryKind::FamilyHistory,
        }
    }

    /// Returns a key that is equal for two entries describing the same fact.
    ///
    /// The key is built from normalised identifying fields: codes (system ignored,
    /// because CIS, ATC and vendor systems coexist for the same vaccine), dates at
    /// day precision, lot numbers and values. Free text is lower-cased with
    /// whitespace collapsed.
    pub fn dedup_key(&self) -> String {
        match self {
            ProfileEntry::Vaccination(v) => format!(
                "vaccination|{}|{}|{}",
                code_key(&v.vaccine),
                day(v.date.as_ref()),
                normalise(v.lot_number.as_deref().unwrap_or(""))
            ),
            ProfileEntry::Measurement(m) => format!(
                "measurement|{}|{}|{}",
                m.kind.code(),
                m.time.as_ref().map(ClinicalTime::as_str).unwrap_or(""),
                format_number(m.value)
            ),
            ProfileEntry::LabResult(r) => format!(
                "lab|{}|{}|{}|{}",
                code_key(&r.analyte),
                r.time.as_ref().map(ClinicalTime::as_str).unwrap_or(""),
                normalise(r.value.as_deref().unwrap_or("")),
                normalise(r.unit.as_deref().unwrap_or(""))
            ),
            ProfileEntry::Treatment(t) => format!(
                "treatment|{}|{}|{}",
                code_key(&t.medication),
                day(t.start.as_ref()),
                normalise(t.dosage.as_deref().unwrap_or(""))
            ),
            ProfileEntry::Allergy(a) => format!("allergy|{}", code_key(&a.substance)),
            ProfileEntry::Condition(c) => {
                format!("condition|{}|{}", code_key(&c.code), day(c.onset.as_ref()))
            }
            ProfileEntry::FamilyHistory(f) => format!(
                "family|{}|{}",
                code_key(&f.relationship),
                code_key(&f.condition)
            ),
        }
    }
}

fn day(time: Option<&ClinicalTime>) -> &str {
    time.map(ClinicalTime::date).unwrap_or("")
}

/// Keys a code by its code value when present, else by its normalised display.
fn code_key(code: &Code) -> String {
    match (&code.code, &code.display) {
        (Some(code), _) => normalise(code),
        (None, Some(display)) => normalise(display),
        (None, None) => String::new(),
    }
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Formats a number with at most four decimals and no trailing zeros.
pub(crate) fn format_number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// An administered vaccine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vaccination {
    /// The vaccine (CIS, CVX, SNOMED CT…), with its display name.
    pub vaccine: Code,
    /// Other codes for the same vaccine (ATC class, CIP pack).
    pub translations: Vec<Code>,
    /// Administration date.
    pub date: Option<ClinicalTime>,
    /// Lot number.
    pub lot_number: Option<String>,
    /// Dose number in the series (rang de la vaccination).
    pub dose_number: Option<u32>,
    /// The professional who gave the vaccine.
    pub performer: Option<Box<Actor>>,
    /// Route, such as intramuscular.
    pub route: Option<Code>,
}

/// A body measurement or vital sign, converted to Carnet's unit for its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// The measured quantity.
    pub kind: MeasurementKind,
    /// The code the document used.
    pub code: Code,
    /// The value in [`MeasurementKind::ucum_unit`].
    pub value: f64,
    /// The UCUM unit of `value`.
    pub unit: String,
    /// The value as the document wrote it.
    pub original_value: String,
    /// The unit as the document wrote it.
    pub original_unit: Option<String>,
    /// When the measurement was taken.
    pub time: Option<ClinicalTime>,
}

/// A laboratory result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabResult {
    /// The analyte (LOINC when available).
    pub analyte: Code,
    /// The value as written: a number, a coded display or text.
    pub value: Option<String>,
    /// The value as a number, when it is one.
    pub numeric_value: Option<f64>,
    /// The UCUM unit, for quantities.
    pub unit: Option<String>,
    /// The reference range as text, such as `0.27-4.20 mUI/L`.
    pub reference_range: Option<String>,
    /// Interpretation (`N`, `H`, `L`…).
    pub interpretation: Option<Code>,
    /// When the specimen was taken or the result observed.
    pub time: Option<ClinicalTime>,
}

/// A medication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Treatment {
    /// The medication (CIS, ATC, RxNorm…).
    pub medication: Code,
    /// Dosage instructions as text.
    pub dosage: Option<String>,
    /// Start date.
    pub start: Option<ClinicalTime>,
    /// End date.
    pub end: Option<ClinicalTime>,
    /// Status, such as `active` or `completed`.
    pub status: Option<String>,
}

/// An allergy or intolerance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Allergy {
    /// The substance or class the patient reacts to.
    pub substance: Code,
    /// Reactions observed.
    pub reactions: Vec<Code>,
    /// Criticality or severity as the document gives it.
    pub severity: Option<String>,
    /// Onset.
    pub onset: Option<ClinicalTime>,
}

/// A problem or diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// The condition (CIM-10, SNOMED CT…).
    pub code: Code,
    /// Onset.
    pub onset: Option<ClinicalTime>,
    /// Resolution.
    pub abatement: Option<ClinicalTime>,
    /// Clinical status, such as `active` or `resolved`.
    pub status: Option<String>,
}

/// A condition in a relative.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FamilyHistory {
    /// The relative (HL7 RoleCode such as `MTH`, `FTH`).
    pub relationship: Code,
    /// The relative's condition.
    pub condition: Code,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vaccination_key_ignores_system() {
        let one = Vaccination {
            vaccine: Code {
                system: Some("1.2.250.1.213.2.3.1".into()),
                code: Some("68747507".into()),
                display: Some("VACCIN TETANIQUE".into()),
            },
            date: ClinicalTime::from_hl7("20090928"),
            lot_number: Some(" 4456672 ".into()),
            ..Vaccination::default()
        };
        let mut two = one.clone();
        two.vaccine.system = None;
        two.vaccine.display = Some("autre libellé".into());
        two.date = ClinicalTime::from_hl7("20090928094914+0100");
        two.lot_number = Some("4456672".into());
        assert_eq!(
            ProfileEntry::Vaccination(one).dedup_key(),
            ProfileEntry::Vaccination(two).dedup_key()
        );
    }

    #[test]
    fn number_format_trims_zeros() {
        assert_eq!(format_number(37.2), "37.2");
        assert_eq!(format_number(80.0), "80");
        assert_eq!(format_number(108.81406), "108.8141");
    }
}
