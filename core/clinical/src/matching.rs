//! Whether a document's patient is a given person of the family vault.
//!
//! The INS decides when both sides have one. Otherwise the birth date and names
//! are compared after folding case and accents. A family name may differ (birth
//! name against used name), so the same birth date with one given or family name
//! in common is a match.

use serde::{Deserialize, Serialize};

use crate::model::Patient;
use crate::time::ClinicalTime;

/// The person to compare against: a vault member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonQuery {
    /// The member's matricule INS, if known.
    pub ins: Option<String>,
    /// Family names (birth name and used name).
    pub family_names: Vec<String>,
    /// Given names.
    pub given_names: Vec<String>,
    /// Birth date as `YYYY-MM-DD`.
    pub birth_date: Option<String>,
}

/// The outcome of [`match_patient`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PatientMatch {
    /// The document is about this person.
    Matches,
    /// The document is about someone else, described here.
    DoesNotMatch {
        /// The document patient's names, "Given Family".
        names: Vec<String>,
        /// The document patient's birth date.
        birth_date: Option<ClinicalTime>,
    },
    /// Not enough information on either side to decide.
    Unknown,
}

/// Compares a document's patient with a vault member.
pub fn match_patient(person: &PersonQuery, patient: Option<&Patient>) -> PatientMatch {
    let Some(patient) = patient else {
        return PatientMatch::Unknown;
    };
    let mismatch = || PatientMatch::DoesNotMatch {
        names: patient.names.iter().map(|n| n.display()).collect(),
        birth_date: patient.birth_date.clone(),
    };
    if let (Some(expected), Some(found)) = (&person.ins, &patient.ins) {
        return if compact(expected) == compact(&found.value) {
            PatientMatch::Matches
        } else {
            mismatch()
        };
    }
    let family: Vec<String> = patient
        .names
        .iter()
        .flat_map(|n| n.family.iter())
        .map(|n| fold(n))
        .collect();
    let given: Vec<String> = patient
        .names
        .iter()
        .flat_map(|n| n.given.iter())
        .flat_map(|n| n.split([' ', ',']).map(fold).collect::<Vec<_>>())
        .filter(|n| !n.is_empty())
        .collect();
    let shares = |query: &[String], found: &[String]| {
        query
            .iter()
            .flat_map(|n| n.split([' ', ',']).map(fold).collect::<Vec<_>>())
            .any(|n| !n.is_empty() && found.contains(&n))
    };
    let family_shared = shares(&person.family_names, &family);
    let given_shared = shares(&person.given_names, &given);
    let names_known = !family.is_empty() && !person.family_names.is_empty();

    match (&person.birth_date, &patient.birth_date) {
        (Some(expected), Some(found)) => {
            if expected.trim() != found.date() {
                mismatch()
            } else if family_shared || given_shared {
                PatientMatch::Matches
            } else if names_known {
                mismatch()
            } else {
                PatientMatch::Unknown
            }
        }
        _ if names_known && !family_shared && !given_shared => mismatch(),
        _ => PatientMatch::Unknown,
    }
}

fn compact(ins: &str) -> String {
    ins.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Upper-cases and removes the accents French names carry.
fn fold(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'A',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'î' | 'ï' | 'Î' | 'Ï' => 'I',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'O',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'U',
            'ç' | 'Ç' => 'C',
            '-' | '\'' => ' ',
            other => other.to_ascii_uppercase(),
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identifier, PersonName};

    fn patient() -> Patient {
        Patient {
            identifiers: vec![Identifier {
                system: Some("1.2.250.1.213.1.4.10".into()),
                value: "279035121518989".into(),
            }],
            names: vec![PersonName {
                family: vec!["PAT-TROIS".into()],
                given: vec!["Dominique".into()],
                ..PersonName::default()
            }],
            birth_date: ClinicalTime::from_hl7("19790328"),
            ..Patient::default()
        }
        .finish()
    }

    #[test]
    fn ins_decides() {
        let person = PersonQuery {
            ins: Some("279035121518989".into()),
            ..PersonQuery::default()
        };
        assert_eq!(
            match_patient(&person, Some(&patient())),
            PatientMatch::Matches
        );
        let other = PersonQuery {
            ins: Some("180000000000000".into()),
            ..PersonQuery::default()
        };
        assert!(matches!(
            match_patient(&other, Some(&patient())),
            PatientMatch::DoesNotMatch { .. }
        ));
    }

    #[test]
    fn names_and_birth_date() {
        let person = PersonQuery {
            family_names: vec!["Pat Trois".into()],
            given_names: vec!["DOMINIQUE".into()],
            birth_date: Some("1979-03-28".into()),
            ..PersonQuery::default()
        };
        assert_eq!(
            match_patient(&person, Some(&patient())),
            PatientMatch::Matches
        );
        let sibling = PersonQuery {
            birth_date: Some("2012-01-05".into()),
            ..person.clone()
        };
        let outcome = match_patient(&sibling, Some(&patient()));
        assert_eq!(
            outcome,
            PatientMatch::DoesNotMatch {
                names: vec!["Dominique PAT-TROIS".into()],
                birth_date: ClinicalTime::from_hl7("19790328"),
            }
        );
        assert_eq!(match_patient(&person, None), PatientMatch::Unknown);
    }
}
