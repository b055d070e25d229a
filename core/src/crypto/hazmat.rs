//! Raw primitives from `ring`, with no policy attached.
//!
//! Nothing outside [`crate::crypto`] calls this module. Callers here must supply
//! unique nonces and correct associated data themselves; the safe layer in
//! `crypto/mod.rs` does that for the rest of Carnet.

use ring::aead::{self, Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};

/// Key length of ChaCha20-Poly1305 (RFC 8439 §2.8).
pub const KEY_LEN: usize = 32;
/// Nonce length of ChaCha20-Poly1305 (RFC 8439 §2.8).
pub const NONCE_LEN: usize = 12;
/// Authentication tag length of ChaCha20-Poly1305 (RFC 8439 §2.8).
pub const TAG_LEN: usize = 16;

/// The primitive failed: a bad tag on open, or the system RNG is unavailable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrimitiveError;

/// Fills `out` from the operating system's CSPRNG.
pub fn fill_random(out: &mut [u8]) -> Result<(), PrimitiveError> {
    SystemRandom::new().fill(out).map_err(|_| PrimitiveError)
}

/// Encrypts `in_out` in place under `key` and `nonce`, then appends the tag.
pub fn chacha20poly1305_seal(
    key: &[u8; KEY_LEN],
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    in_out: &mut Vec<u8>,
) -> Result<(), PrimitiveError> {
    let key =
        LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).map_err(|_| PrimitiveError)?);
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad), in_out)
        .map_err(|_| PrimitiveError)
}

/// Encrypts `in_out` in place under `key` and `nonce` and returns the tag, so that a
/// caller can seal a plaintext already placed after its own header without copying.
pub fn chacha20poly1305_seal_detached(
    key: &[u8; KEY_LEN],
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    in_out: &mut [u8],
) -> Result<[u8; TAG_LEN], PrimitiveError> {
    let key =
        LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).map_err(|_| PrimitiveError)?);
    let tag = key
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad), in_out)
        .map_err(|_| PrimitiveError)?;
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(tag.as_ref());
    Ok(out)
}

/// Checks the tag of `in_out[skip..]` (ciphertext then tag) and decrypts it in place,
/// moving the plaintext to the start of `in_out`; returns the plaintext length.
pub fn chacha20poly1305_open_within(
    key: &[u8; KEY_LEN],
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    in_out: &mut [u8],
    skip: usize,
) -> Result<usize, PrimitiveError> {
    let key =
        LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).map_err(|_| PrimitiveError)?);
    let plain = key
        .open_within(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            in_out,
            skip..,
        )
        .map_err(|_| PrimitiveError)?;
    Ok(plain.len())
}

/// Checks the tag and decrypts `in_out` in place; returns the plaintext length.
pub fn chacha20poly1305_open(
    key: &[u8; KEY_LEN],
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    in_out: &mut [u8],
) -> Result<usize, PrimitiveError> {
    let key =
        LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).map_err(|_| PrimitiveError)?);
    let plain = key
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(aad), in_out)
        .map_err(|_| PrimitiveError)?;
    Ok(plain.len())
}

/// HKDF-SHA256 extract-and-expand (RFC 5869) into `out`.
pub fn hkdf_sha256(
    salt: &[u8],
    ikm: &[u8],
    info: &[u8],
    out: &mut [u8],
) -> Result<(), PrimitiveError> {
    struct Len(usize);
    impl hkdf::KeyType for Len {
        fn len(&self) -> usize {
            self.0
        }
    }
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(ikm);
    let info = [info];
    let okm = prk
        .expand(&info, Len(out.len()))
        .map_err(|_| PrimitiveError)?;
    okm.fill(out).map_err(|_| PrimitiveError)
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let tag = ring::hmac::sign(&key, message);
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    out
}

/// Re-exported so that tests of the safe layer can name the algorithm.
pub use aead::Algorithm;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_round_trips() {
        let key = [7u8; KEY_LEN];
        let mut data = b"bonjour".to_vec();
        chacha20poly1305_seal(&key, [1; NONCE_LEN], b"ad", &mut data).unwrap();
        assert_eq!(data.len(), 7 + TAG_LEN);
        let len = chacha20poly1305_open(&key, [1; NONCE_LEN], b"ad", &mut data).unwrap();
        assert_eq!(&data[..len], b"bonjour");
    }

    #[test]
    fn open_rejects_other_associated_data() {
        let key = [7u8; KEY_LEN];
        let mut data = b"bonjour".to_vec();
        chacha20poly1305_seal(&key, [1; NONCE_LEN], b"ad", &mut data).unwrap();
        assert!(chacha20poly1305_open(&key, [1; NONCE_LEN], b"other", &mut data).is_err());
    }

    #[test]
    fn hkdf_matches_rfc5869_case_1() {
        // RFC 5869 appendix A.1.
        let ikm = [0x0bu8; 22];
        let salt: Vec<u8> = (0x00..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        let mut okm = [0u8; 42];
        hkdf_sha256(&salt, &ikm, &info, &mut okm).unwrap();
        assert_eq!(
            hex::encode(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
    }
}
