//! The French vaccination calendar and the engine that compares it with a
//! person's recorded vaccinations.
//!
//! - [`calendar`]: the yearly calendar as data (`data/calendrier-vaccinal-<year>.json`).
//! - [`engine`]: [`evaluate`] returns, per antigen and dose, whether it is
//!   done, due, overdue, upcoming or missed.
//! - [`codes`]: maps vaccine codes (ATC J07, CVX, SNOMED CT, brand names)
//!   found in CDA and FHIR imports to antigens.

pub mod calendar;
pub mod codes;
pub mod engine;

use serde::{Deserialize, Serialize};

pub use calendar::{Age, CalendarError, DoseKind, DoseRule, VaccinationCalendar};
pub use codes::{CodeSystem, antigens_for_code};
pub use engine::{DoseState, DoseStatus, UncountedDose, VaccinationRecord, evaluate};

/// A disease a vaccine protects against; a combined vaccine covers several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Antigen {
    Diphtheria,
    Tetanus,
    Pertussis,
    Polio,
    Hib,
    HepatitisB,
    HepatitisA,
    Pneumococcus,
    MeningococcusC,
    MeningococcusAcwy,
    MeningococcusB,
    Measles,
    Mumps,
    Rubella,
    Varicella,
    Rotavirus,
    Hpv,
    Influenza,
    Covid19,
    Zoster,
    Rsv,
    Tuberculosis,
}

impl Antigen {
    /// Key suffix of the antigen's label in the i18n catalogue (`agenda.antigen.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Antigen::Diphtheria => "diphtheria",
            Antigen::Tetanus => "tetanus",
            Antigen::Pertussis => "pertussis",
            Antigen::Polio => "polio",
            Antigen::Hib => "hib",
            Antigen::HepatitisB => "hepatitis_b",
            Antigen::HepatitisA => "hepatitis_a",
            Antigen::Pneumococcus => "pneumococcus",
            Antigen::MeningococcusC => "meningococcus_c",
            Antigen::MeningococcusAcwy => "meningococcus_acwy",
            Antigen::MeningococcusB => "meningococcus_b",
            Antigen::Measles => "measles",
            Antigen::Mumps => "mumps",
            Antigen::Rubella => "rubella",
            Antigen::Varicella => "varicella",
            Antigen::Rotavirus => "rotavirus",
            Antigen::Hpv => "hpv",
            Antigen::Influenza => "influenza",
            Antigen::Covid19 => "covid19",
            Antigen::Zoster => "zoster",
            Antigen::Rsv => "rsv",
            Antigen::Tuberculosis => "tuberculosis",
        }
    }
}
