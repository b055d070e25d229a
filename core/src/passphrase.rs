//! Passphrase policy: what `carnet init` and the app accept.
//!
//! A passphrase must have at least [`MIN_CHARS`] characters and a zxcvbn score of at
//! least 3 ("safely unguessable: moderate protection from offline slow-hash
//! scenario", in zxcvbn's own scale). Argon2id makes each guess slow, but a vault
//! file can be copied and attacked offline for years, so the bar is the offline one.
//! Reasons are catalogue keys, shown in the user's language.

use serde::Serialize;

use crate::error::VaultError;

/// Minimum length in characters (Unicode scalar values).
pub const MIN_CHARS: usize = 12;
/// Minimum zxcvbn score, on its 0–4 scale.
pub const MIN_SCORE: u8 = 3;

/// The verdict on a candidate passphrase.
#[derive(Debug, Clone, Serialize)]
pub struct Strength {
    /// zxcvbn score, 0 (too guessable) to 4 (very unguessable).
    pub score: u8,
    pub acceptable: bool,
    /// Catalogue keys of the reasons it is refused (empty when acceptable).
    pub reasons: Vec<String>,
}

impl Strength {
    /// Turns a refusal into [`VaultError::WeakPassphrase`].
    pub fn into_result(self) -> Result<(), VaultError> {
        if self.acceptable {
            Ok(())
        } else {
            Err(VaultError::WeakPassphrase {
                reasons: self.reasons,
            })
        }
    }
}

/// Rates `candidate`.
pub fn check(candidate: &str) -> Strength {
    let mut reasons = Vec::new();
    let length = candidate.chars().count();
    if length < MIN_CHARS {
        reasons.push("passphrase.too_short".to_string());
    }
    let score = if candidate.is_empty() {
        0
    } else {
        let estimate = zxcvbn::zxcvbn(candidate, &["carnet", "sante", "santé"]);
        u8::from(estimate.score())
    };
    if score < MIN_SCORE {
        reasons.push("passphrase.too_guessable".to_string());
        if candidate.chars().all(|c| c.is_ascii_digit()) && !candidate.is_empty() {
            reasons.push("passphrase.only_digits".to_string());
        }
        reasons.push("passphrase.hint".to_string());
    }
    Strength {
        score,
        acceptable: reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_common_passphrases_are_refused() {
        let weak = check("password");
        assert!(!weak.acceptable);
        assert!(weak.reasons.contains(&"passphrase.too_short".to_string()));
        assert!(!check("123456789012345").acceptable);
        assert!(!check("").acceptable);
    }

    #[test]
    fn long_random_passphrase_is_accepted() {
        let strong = check("cheval-agrafe-pile-correcte-1987");
        assert!(strong.acceptable, "reasons: {:?}", strong.reasons);
        assert!(strong.score >= MIN_SCORE);
    }
}
