//! Measurement kinds, their LOINC codes and conversion to one UCUM unit per kind.
//!
//! The profile stores one unit per kind so that curves and comparisons never mix
//! pounds and kilograms. Codes follow Mon espace santé's measurement list (LOINC
//! 29463-7 weight, 8302-2 height, 8287-5 head circumference…) plus the common
//! variants found in US C-CDA and Synthea data.

use serde::{Deserialize, Serialize};

/// The quantity a measurement measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MeasurementKind {
    /// Body weight, kg.
    Weight,
    /// Body height or length, cm.
    Height,
    /// Head circumference, cm.
    HeadCircumference,
    /// Waist circumference, cm.
    WaistCircumference,
    /// Body temperature, °C (`Cel`).
    BodyTemperature,
    /// Systolic blood pressure, mm[Hg].
    SystolicBloodPressure,
    /// Diastolic blood pressure, mm[Hg].
    DiastolicBloodPressure,
    /// Blood glucose, mmol/L.
    Glucose,
    /// Glycated haemoglobin (HbA1c), %.
    GlycatedHemoglobin,
    /// Body mass index, kg/m2.
    BodyMassIndex,
    /// Heart rate, /min.
    HeartRate,
}

impl MeasurementKind {
    /// Recognises a measurement from its LOINC code.
    pub fn from_loinc(code: &str) -> Option<MeasurementKind> {
        let kind = match code {
            "29463-7" | "3141-9" | "8335-2" => MeasurementKind::Weight,
            "8302-2" | "8306-3" | "8308-9" | "3137-7" => MeasurementKind::Height,
            "8287-5" | "9843-4" => MeasurementKind::HeadCircumference,
            "8280-0" => MeasurementKind::WaistCircumference,
            "8310-5" | "8331-1" | "8332-9" | "8333-7" => MeasurementKind::BodyTemperature,
            "8480-6" => MeasurementKind::SystolicBloodPressure,
            "8462-4" => MeasurementKind::DiastolicBloodPressure,
            "2345-7" | "2339-0" | "15074-8" | "14749-6" | "41653-7" => MeasurementKind::Glucose,
            "4548-4" | "17856-6" | "4549-2" | "59261-8" => MeasurementKind::GlycatedHemoglobin,
            "39156-5" => MeasurementKind::BodyMassIndex,
            "8867-4" => MeasurementKind::HeartRate,
            _ => return None,
        };
        Some(kind)
    }

    /// Returns Mon espace santé's measure code, such as `WEIGHT`.
    pub fn code(self) -> &'static str {
        match self {
            MeasurementKind::Weight => "WEIGHT",
            MeasurementKind::Height => "HEIGHT",
            MeasurementKind::HeadCircumference => "HEAD_CIRCUMFERENCE",
            MeasurementKind::WaistCircumference => "WAIST_CIRCUMFERENCE",
            MeasurementKind::BodyTemperature => "BODY_TEMPERATURE",
            MeasurementKind::SystolicBloodPressure => "SYSTOLIC_BLOOD_PRESSURE",
            MeasurementKind::DiastolicBloodPressure => "DIASTOLIC_BLOOD_PRESSURE",
            MeasurementKind::Glucose => "GLUCOSE",
            MeasurementKind::GlycatedHemoglobin => "GLYCATED_HEMOGLOBIN",
            MeasurementKind::BodyMassIndex => "BODY_MASS_INDEX",
            MeasurementKind::HeartRate => "HEART_RATE",
        }
    }

    /// Returns the UCUM unit Carnet stores this kind in.
    pub fn ucum_unit(self) -> &'static str {
        match self {
            MeasurementKind::Weight => "kg",
            MeasurementKind::Height
            | MeasurementKind::HeadCircumference
            | MeasurementKind::WaistCircumference => "cm",
            MeasurementKind::BodyTemperature => "Cel",
            MeasurementKind::SystolicBloodPressure | MeasurementKind::DiastolicBloodPressure => {
                "mm[Hg]"
            }
            MeasurementKind::Glucose => "mmol/L",
            MeasurementKind::GlycatedHemoglobin => "%",
            MeasurementKind::BodyMassIndex => "kg/m2",
            MeasurementKind::HeartRate => "/min",
        }
    }

    /// Converts `value` expressed in `unit` (UCUM, or a common spelling of it) to
    /// [`Self::ucum_unit`]. Returns `None` for a unit this kind cannot be converted
    /// from, so that a wrong unit never yields a plausible-looking wrong number.
    pub fn convert(self, value: f64, unit: &str) -> Option<f64> {
        let unit = unit.trim();
        let folded = unit.to_ascii_lowercase();
        let converted =
            match self {
                MeasurementKind::Weight => match folded.as_str() {
                    "kg" => value,
                    "g" => value / 1000.0,
                    "[lb_av]" | "lb" | "lbs" => value * 0.453_592_37,
                    "[oz_av]" | "oz" => value * 0.028_349_523_125,
                    _ => return None,
                },
                MeasurementKind::Height
                | MeasurementKind::HeadCircumference
                | MeasurementKind::WaistCircumference => match folded.as_str() {
                    "cm" => value,
                    "m" => value * 100.0,
                    "mm" => value / 10.0,
                    "[in_i]" | "[in_us]" | "in" => value * 2.54,
                    "[ft_i]" | "[ft_us]" | "ft" => value * 30.48,
                    _ => return None,
                },
                MeasurementKind::BodyTemperature => match unit {
                    "Cel" | "°C" | "cel" | "C" => value,
                    "[degF]" | "°F" | "degF" | "F" => (value - 32.0) * 5.0 / 9.0,
                    "K" => value - 273.15,
                    _ => return None,
                },
                MeasurementKind::SystolicBloodPressure
                | MeasurementKind::DiastolicBloodPressure => match folded.as_str() {
                    "mm[hg]" | "mmhg" => value,
                    "cm[hg]" | "cmhg" => value * 10.0,
                    "kpa" => value * 7.500_615_75,
                    _ => return None,
                },
                // Glucose molar mass: 180.156 g/mol.
                MeasurementKind::Glucose => match folded.as_str() {
                    "mmol/l" => value,
                    "mg/dl" => value / 18.0156,
                    "g/l" => value * 1000.0 / 180.156,
                    _ => return None,
                },
                // IFCC (mmol/mol) to NGSP (%): % = 0.09148 × IFCC + 2.152.
                MeasurementKind::GlycatedHemoglobin => match folded.as_str() {
                    "%" => value,
                    "mmol/mol" => value * 0.09148 + 2.152,
                    _ => return None,
                },
                MeasurementKind::BodyMassIndex => match folded.as_str() {
                    "kg/m2" | "kg/m^2" | "kg/m²" => value,
                    _ => return None,
                },
                MeasurementKind::HeartRate => match folded.as_str() {
                    "/min" | "1/min" | "{beats}/min" | "{h.b.}/min" | "bpm" | "{beat}/min"
                    | "/mn" => value,
                    _ => return None,
                },
            };
        // Four decimals are far below measurement precision and keep values stable
        // across conversions for display and dedup keys.
        Some((converted * 10_000.0).round() / 10_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_imperial_units() {
        let weight = MeasurementKind::Weight.convert(239.9, "[lb_av]").unwrap();
        assert!((weight - 108.8168).abs() < 1e-3);
        let height = MeasurementKind::Height.convert(67.0, "[in_us]").unwrap();
        assert!((height - 170.18).abs() < 1e-9);
        let temperature = MeasurementKind::BodyTemperature
            .convert(99.0, "[degF]")
            .unwrap();
        assert!((temperature - 37.2222).abs() < 1e-3);
    }

    #[test]
    fn converts_glucose_to_mmol() {
        let glucose = MeasurementKind::Glucose.convert(1.0, "g/L").unwrap();
        assert!((glucose - 5.5508).abs() < 1e-3);
        let glucose = MeasurementKind::Glucose.convert(90.0, "mg/dL").unwrap();
        assert!((glucose - 4.9957).abs() < 1e-3);
    }

    #[test]
    fn rejects_incompatible_unit() {
        assert_eq!(MeasurementKind::Weight.convert(1.0, "cm"), None);
        assert_eq!(MeasurementKind::HeartRate.convert(1.0, "kg"), None);
    }
}
