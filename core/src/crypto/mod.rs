//! Carnet's cryptography: the only module that touches key material.
//!
//! The construction, from the top:
//!
//! - A **passphrase** goes through Argon2id ([`kdf`]) to a key-encryption key that
//!   unwraps the **vault key**. The recovery kit ([`recovery`]) and a remembered
//!   device secret wrap the same vault key, so each can unlock alone.
//! - The vault key never encrypts data itself. HKDF-SHA256 derives purpose keys from
//!   it ([`SecretKey::derive`]): the SQLCipher database key, the journal MAC key.
//! - Each **space** (one per person) has a random space key wrapped by the vault key,
//!   and each record or document has a random content key wrapped by its space key.
//!   Revoking a member of a space later means rotating one space key, not the vault.
//! - Every ciphertext is an [`envelope`]: a version byte, an algorithm byte, a random
//!   96-bit nonce and ChaCha20-Poly1305 output. Its associated data is a [`Context`]
//!   that names the slot of the bytes: a record's space, id, kind and version, or a
//!   chunk's document, role and index. Ciphertext moved to another slot fails to open.
//!
//! Random 96-bit nonces are safe here because every key seals few messages: content
//! keys are per record or per document, and wrapping keys seal a handful of keys.
//!
//! Primitives live in [`hazmat`]; everything else in Carnet uses the types below.

pub mod hazmat;
pub mod kdf;
pub mod recovery;

use std::fmt;

use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop};

use hazmat::{KEY_LEN, NONCE_LEN, TAG_LEN};

/// Envelope format version written by this code.
pub const ENVELOPE_VERSION: u8 = 1;
/// Algorithm identifier for ChaCha20-Poly1305 (RFC 8439) inside an envelope.
pub const ALG_CHACHA20_POLY1305: u8 = 1;
const HEADER_LEN: usize = 2 + NONCE_LEN;

/// Errors of the cryptographic layer. None of them carries key or plaintext bytes.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CryptoError {
    /// The tag did not verify: wrong key, tampered bytes or wrong context.
    #[error("decryption failed: wrong key or damaged data")]
    Decrypt,
    /// The envelope is shorter than its header and tag.
    #[error("encrypted data is truncated ({len} bytes)")]
    Truncated { len: usize },
    /// The envelope was written by a newer or unknown format.
    #[error("unsupported envelope version {version}, algorithm {algorithm}")]
    UnsupportedEnvelope { version: u8, algorithm: u8 },
    /// The operating system's random generator failed.
    #[error("the system random generator is unavailable")]
    Random,
    /// Argon2 rejected its parameters.
    #[error("invalid key-derivation parameters: {0}")]
    KdfParams(String),
    /// The recovery kit does not decode or its checksum is wrong.
    #[error("invalid recovery kit: {0}")]
    RecoveryKit(&'static str),
}

/// A 256-bit symmetric key, zeroised on drop and never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct SecretKey([u8; KEY_LEN]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// Draws a new random key.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut bytes = [0u8; KEY_LEN];
        hazmat::fill_random(&mut bytes).map_err(|_| CryptoError::Random)?;
        Ok(Self(bytes))
    }

    /// Builds a key from raw bytes, for keys that come out of a KDF or an unwrap.
    pub(crate) fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// Derives an independent key for one purpose with HKDF-SHA256 (RFC 5869).
    /// `label` must be unique per purpose, such as `carnet/v1/sqlcipher`.
    pub fn derive(&self, label: &str) -> Result<SecretKey, CryptoError> {
        let mut out = [0u8; KEY_LEN];
        hazmat::hkdf_sha256(b"carnet", &self.0, label.as_bytes(), &mut out)
            .map_err(|_| CryptoError::Random)?;
        Ok(SecretKey(out))
    }

    /// Gives the raw bytes to code inside the crate that must pass them to a
    /// library (SQLCipher's `PRAGMA key`). Nothing may store or log them.
    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// Seals `plaintext` under this key, bound to `context`.
    pub fn seal(&self, context: &Context, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        envelope::seal(self, context, plaintext)
    }

    /// Opens an envelope sealed by [`SecretKey::seal`] with the same context.
    pub fn open(&self, context: &Context, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        envelope::open(self, context, sealed)
    }

    /// Like [`SecretKey::open`], decrypting in place in `sealed`.
    pub fn open_owned(&self, context: &Context, sealed: Vec<u8>) -> Result<Vec<u8>, CryptoError> {
        envelope::open_owned(self, context, sealed)
    }

    /// Wraps `key` under this key-encryption key.
    pub fn wrap(&self, context: &Context, key: &SecretKey) -> Result<Vec<u8>, CryptoError> {
        envelope::seal(self, context, &key.0)
    }

    /// Unwraps a key sealed by [`SecretKey::wrap`].
    pub fn unwrap_key(&self, context: &Context, wrapped: &[u8]) -> Result<SecretKey, CryptoError> {
        let mut plain = envelope::open(self, context, wrapped)?;
        if plain.len() != KEY_LEN {
            plain.zeroize();
            return Err(CryptoError::Decrypt);
        }
        let mut bytes = [0u8; KEY_LEN];
        bytes.copy_from_slice(&plain);
        plain.zeroize();
        Ok(SecretKey(bytes))
    }

    /// HMAC-SHA256 of `message` under this key.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        hazmat::hmac_sha256(&self.0, message)
    }
}

/// Associated data that binds a ciphertext to the slot it belongs in.
///
/// Built from a purpose label and length-prefixed parts, so that two different
/// part lists can never encode to the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context(Vec<u8>);

impl Context {
    /// Starts a context for one purpose, such as `record` or `chunk`.
    pub fn new(purpose: &str) -> Self {
        let mut context = Context(b"carnet/v1/".to_vec());
        context.push(purpose.as_bytes());
        context
    }

    /// Appends one part.
    pub fn part(mut self, part: impl AsRef<[u8]>) -> Self {
        self.push(part.as_ref());
        self
    }

    fn push(&mut self, part: &[u8]) {
        self.0.extend_from_slice(&(part.len() as u32).to_be_bytes());
        self.0.extend_from_slice(part);
    }

    /// Context of a record payload: its space, id, kind and version.
    pub fn record(space_id: &str, record_id: &str, kind: &str, version: i64) -> Self {
        Context::new("record")
            .part(space_id)
            .part(record_id)
            .part(kind)
            .part(version.to_be_bytes())
    }

    /// Context of one chunk of a document's content: its document, role and index.
    pub fn chunk(document_id: &str, role: &str, index: u32) -> Self {
        Context::new("chunk")
            .part(document_id)
            .part(role)
            .part(index.to_be_bytes())
    }

    /// Context of a wrapped key: what is wrapped and the id of its owner.
    pub fn key_wrap(what: &str, owner_id: &str) -> Self {
        Context::new("wrap").part(what).part(owner_id)
    }
}

/// The versioned envelope: `version ‖ algorithm ‖ nonce ‖ ciphertext ‖ tag`.
pub mod envelope {
    use super::*;

    /// Bytes an envelope adds to its plaintext.
    pub const OVERHEAD: usize = HEADER_LEN + TAG_LEN;

    /// Seals `plaintext` with a fresh random nonce.
    pub fn seal(
        key: &SecretKey,
        context: &Context,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        hazmat::fill_random(&mut nonce).map_err(|_| CryptoError::Random)?;

        // Header, then the plaintext encrypted in place, then the tag: one buffer.
        let mut out = Vec::with_capacity(plaintext.len() + OVERHEAD);
        out.push(ENVELOPE_VERSION);
        out.push(ALG_CHACHA20_POLY1305);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = hazmat::chacha20poly1305_seal_detached(
            &key.0,
            nonce,
            &context.0,
            &mut out[HEADER_LEN..],
        )
        .map_err(|_| CryptoError::Random)?;
        out.extend_from_slice(&tag);
        Ok(out)
    }

    /// Checks the header and tag, then returns the plaintext.
    pub fn open(key: &SecretKey, context: &Context, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        open_owned(key, context, sealed.to_vec())
    }

    /// Like [`open`], decrypting in the caller's buffer instead of a copy.
    pub fn open_owned(
        key: &SecretKey,
        context: &Context,
        mut sealed: Vec<u8>,
    ) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < OVERHEAD {
            return Err(CryptoError::Truncated { len: sealed.len() });
        }
        let (version, algorithm) = (sealed[0], sealed[1]);
        if version != ENVELOPE_VERSION || algorithm != ALG_CHACHA20_POLY1305 {
            return Err(CryptoError::UnsupportedEnvelope { version, algorithm });
        }

        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&sealed[2..HEADER_LEN]);
        let len = hazmat::chacha20poly1305_open_within(
            &key.0,
            nonce,
            &context.0,
            &mut sealed,
            HEADER_LEN,
        )
        .map_err(|_| CryptoError::Decrypt)?;
        sealed.truncate(len);
        Ok(sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trips_and_binds_context() {
        let key = SecretKey::generate().unwrap();
        let context = Context::record("space", "rec", "person", 1);
        let sealed = key.seal(&context, b"Jeanne").unwrap();
        assert_eq!(sealed[0], ENVELOPE_VERSION);
        assert_eq!(key.open(&context, &sealed).unwrap(), b"Jeanne");

        let moved = Context::record("space", "other", "person", 1);
        assert_eq!(key.open(&moved, &sealed), Err(CryptoError::Decrypt));
        let next_version = Context::record("space", "rec", "person", 2);
        assert_eq!(key.open(&next_version, &sealed), Err(CryptoError::Decrypt));
    }

    #[test]
    fn envelope_rejects_unknown_version_and_truncation() {
        let key = SecretKey::generate().unwrap();
        let context = Context::new("test");
        let mut sealed = key.seal(&context, b"x").unwrap();
        assert!(matches!(
            key.open(&context, &sealed[..10]),
            Err(CryptoError::Truncated { len: 10 })
        ));
        sealed[0] = 9;
        assert!(matches!(
            key.open(&context, &sealed),
            Err(CryptoError::UnsupportedEnvelope { version: 9, .. })
        ));
    }

    #[test]
    fn wrap_round_trips_and_wrong_key_fails() {
        let kek = SecretKey::generate().unwrap();
        let key = SecretKey::generate().unwrap();
        let context = Context::key_wrap("space", "s1");
        let wrapped = kek.wrap(&context, &key).unwrap();
        assert_eq!(kek.unwrap_key(&context, &wrapped).unwrap(), key);
        let other = SecretKey::generate().unwrap();
        assert_eq!(
            other.unwrap_key(&context, &wrapped),
            Err(CryptoError::Decrypt)
        );
    }

    #[test]
    fn context_parts_are_unambiguous() {
        assert_ne!(
            Context::new("a").part("bc"),
            Context::new("a").part("b").part("c")
        );
    }

    #[test]
    fn debug_hides_key_bytes() {
        let key = SecretKey::from_bytes([0xAB; KEY_LEN]);
        assert_eq!(format!("{key:?}"), "SecretKey(…)");
    }
}
