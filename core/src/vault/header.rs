//! The vault header: a small JSON file beside the database that describes how to unlock.
//!
//! It contains the format version, the Argon2id parameters and salt, and the vault key
//! wrapped three ways (by the passphrase, by the recovery kit, and by each remembered
//! device's secret). Nothing in it is secret. It is replaced atomically: written to a
//! temporary file, synced, renamed over the old one, and the directory synced.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use crate::crypto::kdf::KdfParams;
use crate::error::VaultError;

/// File name of the header inside a vault directory.
pub const HEADER_FILE: &str = "carnet-vault.json";
/// Value of the `format` field, which distinguishes a Carnet vault from other JSON files.
pub const FORMAT: &str = "carnet-vault";
/// Header format version written by this code.
pub const VERSION: u32 = 1;
/// Largest header accepted: a real one is about 1 KiB.
const MAX_HEADER_BYTES: u64 = 256 * 1024;

/// Key-derivation section of the header.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KdfSection {
    /// Always `argon2id`.
    pub algorithm: String,
    /// Argon2 version number: 19 is version 1.3.
    pub version: u32,
    #[serde(flatten)]
    pub params: KdfParams,
    /// Base64 salt.
    pub salt: String,
}

/// The vault key wrapped by one remembered device's secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceWrap {
    pub device_id: String,
    /// Base64 envelope.
    pub wrapped_key: String,
}

/// The whole header.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub vault_id: String,
    pub created_at: String,
    pub kdf: KdfSection,
    /// Vault key wrapped by the passphrase's key (base64 envelope).
    pub passphrase_wrap: String,
    /// Vault key wrapped by the recovery kit's key (base64 envelope).
    pub recovery_wrap: String,
    #[serde(default)]
    pub devices: Vec<DeviceWrap>,
}

impl Header {
    /// Path of the header inside `dir`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(HEADER_FILE)
    }

    /// Reads and checks the header of the vault in `dir`.
    pub fn read(dir: &Path) -> Result<Header, VaultError> {
        let path = Header::path(dir);
        let metadata = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if dir.join(crate::vault::db::DB_FILE).exists() {
                    return Err(VaultError::DamagedHeader {
                        path,
                        reason: "the header is missing but the vault database exists".into(),
                    });
                }
                return Err(VaultError::NotFound {
                    path: dir.to_path_buf(),
                });
            }
            Err(e) => return Err(VaultError::io(&path, e)),
        };
        if metadata.len() > MAX_HEADER_BYTES {
            return Err(VaultError::DamagedHeader {
                path,
                reason: "the file is far larger than a header".into(),
            });
        }
        let bytes = fs::read(&path).map_err(|e| VaultError::io(&path, e))?;
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| VaultError::DamagedHeader {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(VaultError::NotAVault { path });
        }
        let header: Header =
            serde_json::from_value(value).map_err(|e| VaultError::DamagedHeader {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        if header.version > VERSION {
            return Err(VaultError::NewerFormat {
                path,
                version: header.version,
            });
        }
        if header.kdf.algorithm != "argon2id" || header.kdf.version != 19 {
            return Err(VaultError::DamagedHeader {
                path,
                reason: "unknown key-derivation algorithm".into(),
            });
        }
        Ok(header)
    }

    /// Writes the header atomically.
    pub fn write(&self, dir: &Path) -> Result<(), VaultError> {
        let path = Header::path(dir);
        let tmp = dir.join(format!("{HEADER_FILE}.tmp"));
        let json = serde_json::to_vec_pretty(self).expect("a header always serialises");
        let mut file = File::create(&tmp).map_err(|e| VaultError::io(&tmp, e))?;
        file.write_all(&json).map_err(|e| VaultError::io(&tmp, e))?;
        file.sync_all().map_err(|e| VaultError::io(&tmp, e))?;
        drop(file);
        fs::rename(&tmp, &path).map_err(|e| VaultError::io(&path, e))?;
        crate::fsutil::sync_dir(dir)?;
        Ok(())
    }

    /// Decodes the salt.
    pub fn salt(&self) -> Result<Vec<u8>, VaultError> {
        self.decode(&self.kdf.salt, "salt")
    }

    /// Decodes a base64 field, reporting which one is damaged.
    pub fn decode(&self, field: &str, name: &str) -> Result<Vec<u8>, VaultError> {
        B64.decode(field).map_err(|_| VaultError::DamagedHeader {
            path: PathBuf::from(HEADER_FILE),
            reason: format!("field `{name}` is not valid base64"),
        })
    }

    /// Encodes bytes for a header field.
    pub fn encode(bytes: &[u8]) -> String {
        B64.encode(bytes)
    }
}
