//! The recovery kit: a printable secret that unlocks the vault without the passphrase.
//!
//! The kit contains 160 random bits and a 40-bit checksum (the first five bytes of their
//! SHA-256), written as 40 characters of RFC 4648 base32 in eight groups of five. The
//! checksum catches typing mistakes before an unlock is attempted. Because the secret
//! is uniformly random and long, it needs no slow KDF: HKDF turns it into the key that
//! wraps the vault key.

use data_encoding::BASE32_NOPAD;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{CryptoError, SecretKey, hazmat};

const SECRET_LEN: usize = 20;
const CHECK_LEN: usize = 5;
const GROUP: usize = 5;

/// A recovery kit's text, such as `ABCDE-FGHIJ-…`. Zeroised on drop.
pub struct RecoveryKit(Zeroizing<String>);

impl std::fmt::Debug for RecoveryKit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKit(…)")
    }
}

impl RecoveryKit {
    /// Draws a new kit.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut raw = Zeroizing::new([0u8; SECRET_LEN + CHECK_LEN]);
        hazmat::fill_random(&mut raw[..SECRET_LEN]).map_err(|_| CryptoError::Random)?;
        let check = Sha256::digest(&raw[..SECRET_LEN]);
        raw[SECRET_LEN..].copy_from_slice(&check[..CHECK_LEN]);

        Ok(RecoveryKit::from_raw(&raw[..]))
    }

    /// Reads a kit typed by a person: case, spaces and dashes do not matter.
    pub fn parse(text: &str) -> Result<Self, CryptoError> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        let raw =
            Zeroizing::new(BASE32_NOPAD.decode(cleaned.as_bytes()).map_err(|_| {
                CryptoError::RecoveryKit("it contains characters outside A–Z and 2–7")
            })?);
        if raw.len() != SECRET_LEN + CHECK_LEN {
            return Err(CryptoError::RecoveryKit("it must have 40 characters"));
        }
        let check = Sha256::digest(&raw[..SECRET_LEN]);
        if check[..CHECK_LEN] != raw[SECRET_LEN..] {
            return Err(CryptoError::RecoveryKit(
                "its checksum does not match: check for a typing mistake",
            ));
        }
        Ok(RecoveryKit::from_raw(&raw))
    }

    fn from_raw(raw: &[u8]) -> Self {
        let encoded = Zeroizing::new(BASE32_NOPAD.encode(raw));
        let mut grouped = String::with_capacity(encoded.len() + encoded.len() / GROUP);
        for (i, c) in encoded.chars().enumerate() {
            if i > 0 && i % GROUP == 0 {
                grouped.push('-');
            }
            grouped.push(c);
        }
        RecoveryKit(Zeroizing::new(grouped))
    }

    /// Returns the text to show or print, once.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Derives the key that wraps the vault key. `salt` is the vault id, fixed for
    /// the vault's life, so a passphrase change leaves the kit valid.
    pub fn wrapping_key(&self, salt: &[u8]) -> Result<SecretKey, CryptoError> {
        let cleaned: Zeroizing<String> =
            Zeroizing::new(self.0.chars().filter(|c| *c != '-').collect());
        let raw = Zeroizing::new(
            BASE32_NOPAD
                .decode(cleaned.as_bytes())
                .map_err(|_| CryptoError::RecoveryKit("it does not decode"))?,
        );
        let mut out = [0u8; 32];
        hazmat::hkdf_sha256(
            salt,
            &raw[..SECRET_LEN],
            b"carnet/v1/recovery-kit",
            &mut out,
        )
        .map_err(|_| CryptoError::Random)?;
        Ok(SecretKey::from_bytes(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_kit_parses_back_to_same_key() {
        let kit = RecoveryKit::generate().unwrap();
        assert_eq!(kit.as_str().len(), 40 + 7);
        let typed = kit.as_str().to_lowercase().replace('-', " ");
        let parsed = RecoveryKit::parse(&typed).unwrap();
        assert_eq!(
            parsed.wrapping_key(b"salt").unwrap(),
            kit.wrapping_key(b"salt").unwrap()
        );
    }

    #[test]
    fn typing_mistake_is_caught_by_checksum() {
        let kit = RecoveryKit::generate().unwrap();
        let mut chars: Vec<char> = kit.as_str().chars().collect();
        chars[0] = if chars[0] == 'A' { 'B' } else { 'A' };
        let typed: String = chars.into_iter().collect();
        assert!(matches!(
            RecoveryKit::parse(&typed),
            Err(CryptoError::RecoveryKit(_))
        ));
    }

    #[test]
    fn wrong_length_is_rejected() {
        assert!(RecoveryKit::parse("ABCDE-FGHIJ").is_err());
    }
}
