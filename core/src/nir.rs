//! The NIR (*numéro d'inscription au répertoire*), which is the INS matricule.
//!
//! 13 characters then a 2-digit key: key = 97 − (number mod 97), where the Corsican
//! department codes 2A and 2B count as 19 and 18 (INSEE rule). The first digit is
//! the sex (1 or 2; 3, 4, 7 and 8 appear on temporary numbers).

use serde::{Deserialize, Serialize};

/// OID of the INS-NIR for real identities.
pub const INS_NIR_OID: &str = "1.2.250.1.213.1.4.8";
/// OID of the INS-NIR for test identities.
pub const INS_NIR_TEST_OID: &str = "1.2.250.1.213.1.4.10";

/// A validated NIR: 15 characters, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Nir(String);

/// Problem that makes a NIR invalid. Each maps to a catalogue key `nir.<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NirProblem {
    Length,
    Characters,
    Sex,
    Key { expected: u8 },
}

impl NirProblem {
    /// Returns a short English reason for logs and error values.
    pub fn reason(&self) -> String {
        match self {
            NirProblem::Length => "a NIR has 15 characters (13 digits and a 2-digit key)".into(),
            NirProblem::Characters => "only digits are allowed, with 2A or 2B for Corsica".into(),
            NirProblem::Sex => "the first digit must be 1 or 2 (or 3, 4, 7, 8)".into(),
            NirProblem::Key { expected } => {
                format!("the key does not match: expected {expected:02}")
            }
        }
    }
}

impl Nir {
    /// Validates a NIR typed with or without spaces.
    pub fn parse(input: &str) -> Result<Nir, NirProblem> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.len() != 15 || !compact.is_ascii() {
            return Err(NirProblem::Length);
        }
        let (body, key) = compact.split_at(13);
        let digits: String = match &body[5..7] {
            "2A" => format!("{}19{}", &body[..5], &body[7..]),
            "2B" => format!("{}18{}", &body[..5], &body[7..]),
            _ => body.to_string(),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !key.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NirProblem::Characters);
        }
        if !matches!(
            digits.as_bytes()[0],
            b'1' | b'2' | b'3' | b'4' | b'7' | b'8'
        ) {
            return Err(NirProblem::Sex);
        }
        let number: u64 = digits.parse().map_err(|_| NirProblem::Characters)?;
        let expected = (97 - number % 97) as u8;
        let given: u8 = key.parse().map_err(|_| NirProblem::Characters)?;
        if given != expected {
            return Err(NirProblem::Key { expected });
        }
        Ok(Nir(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_nirs_are_accepted() {
        // ANS test patient used in the CI-SIS examples.
        assert!(Nir::parse("279035121518989").is_ok());
        assert!(Nir::parse("2 79 03 51 215 189 89").is_ok());
    }

    #[test]
    fn corsican_departments_use_19_and_18() {
        // 1 85 05 2A 123 456, key computed with 2A → 19.
        let number: u64 = 1850519123456;
        let key = 97 - number % 97;
        assert!(Nir::parse(&format!("185052A123456{key:02}")).is_ok());
        let number_b: u64 = 1850518123456;
        let key_b = 97 - number_b % 97;
        assert!(Nir::parse(&format!("185052B123456{key_b:02}")).is_ok());
    }

    #[test]
    fn wrong_key_names_the_expected_one() {
        assert_eq!(
            Nir::parse("279035121518988"),
            Err(NirProblem::Key { expected: 89 })
        );
    }

    #[test]
    fn malformed_input_is_rejected() {
        assert_eq!(Nir::parse("12345"), Err(NirProblem::Length));
        assert_eq!(Nir::parse("2790351215189AB"), Err(NirProblem::Characters));
        assert_eq!(Nir::parse("579035121518989"), Err(NirProblem::Sex));
    }
}
