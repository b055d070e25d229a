//! Errors of the vault, with the message key a user interface shows for each.
//!
//! Every variant names the file or value concerned and never carries health data or
//! key material. [`VaultError::message`] gives the i18n key and parameters, so the
//! CLI and the app show the error in the user's language with what to do next.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::crypto::CryptoError;
use crate::i18n::Message;

/// Any failure of a vault operation.
#[derive(Debug, Error)]
pub enum VaultError {
    #[error("no vault at {path}")]
    NotFound { path: PathBuf },
    #[error("a vault already exists at {path}")]
    AlreadyExists { path: PathBuf },
    #[error("{path} is not empty and holds no Carnet vault")]
    DirectoryNotEmpty { path: PathBuf },
    #[error("{path} is not a Carnet vault header")]
    NotAVault { path: PathBuf },
    #[error("the vault header {path} is damaged: {reason}")]
    DamagedHeader { path: PathBuf, reason: String },
    #[error("the vault at {path} uses format version {version}, newer than this Carnet")]
    NewerFormat { path: PathBuf, version: u32 },
    #[error("the vault database {path} is damaged or not a Carnet database: {reason}")]
    DamagedDatabase { path: PathBuf, reason: String },
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("this recovery kit does not unlock the vault")]
    WrongRecoveryKit,
    #[error("the remembered device key no longer unlocks the vault")]
    DeviceKeyRejected,
    #[error("passphrase too weak")]
    WeakPassphrase { reasons: Vec<String> },
    #[error("the vault at {path} is open in another Carnet process")]
    InUse { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("no person matches `{query}`")]
    PersonNotFound { query: String },
    #[error("several people match `{query}`: {candidates}")]
    AmbiguousPerson { query: String, candidates: String },
    #[error("the vault has no one yet: add a person first")]
    NoPerson,
    #[error("no document with id `{id}`")]
    DocumentNotFound { id: String },
    #[error("invalid {field} `{value}`: {reason}")]
    InvalidInput {
        field: &'static str,
        value: String,
        reason: String,
    },
    #[error("invalid INS `{value}`: {}", problem.reason())]
    InvalidIns {
        value: String,
        problem: crate::nir::NirProblem,
    },
    #[error("operating system keyring: {0}")]
    Keyring(String),
    #[error("archive {path}: {reason}")]
    Archive { path: PathBuf, reason: String },
    #[error("stored data of document {id} is missing or damaged: {reason}")]
    DamagedContent { id: String, reason: String },
}

impl VaultError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        VaultError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The i18n message for this error: a key under `error.` and its parameters.
    pub fn message(&self) -> Message {
        use VaultError::*;
        let path = |p: &PathBuf| p.display().to_string();
        match self {
            NotFound { path: p } => Message::new("error.vault_not_found").with("path", path(p)),
            AlreadyExists { path: p } => Message::new("error.vault_exists").with("path", path(p)),
            DirectoryNotEmpty { path: p } => {
                Message::new("error.dir_not_empty").with("path", path(p))
            }
            NotAVault { path: p } => Message::new("error.not_a_vault").with("path", path(p)),
            DamagedHeader { path: p, reason } => Message::new("error.damaged_header")
                .with("path", path(p))
                .with("reason", reason),
            NewerFormat { path: p, version } => Message::new("error.newer_format")
                .with("path", path(p))
                .with("version", version),
            DamagedDatabase { path: p, reason } => Message::new("error.damaged_database")
                .with("path", path(p))
                .with("reason", reason),
            WrongPassphrase => Message::new("error.wrong_passphrase"),
            WrongRecoveryKit => Message::new("error.wrong_recovery_kit"),
            DeviceKeyRejected => Message::new("error.device_key_rejected"),
            WeakPassphrase { reasons } => {
                Message::new("error.weak_passphrase").with_keys("reasons", reasons)
            }
            InUse { path: p } => Message::new("error.vault_in_use").with("path", path(p)),
            Io { path: p, source } => Message::new("error.io")
                .with("path", path(p))
                .with("reason", source),
            Database(e) => Message::new("error.database").with("reason", e),
            Crypto(CryptoError::RecoveryKit(reason)) => {
                Message::new("error.invalid_recovery_kit").with("reason", reason)
            }
            Crypto(e) => Message::new("error.crypto").with("reason", e),
            PersonNotFound { query } => Message::new("error.person_not_found").with("query", query),
            AmbiguousPerson { query, candidates } => Message::new("error.person_ambiguous")
                .with("query", query)
                .with("candidates", candidates),
            NoPerson => Message::new("error.no_person"),
            DocumentNotFound { id } => Message::new("error.document_not_found").with("id", id),
            InvalidInput {
                field,
                value,
                reason,
            } => Message::new("error.invalid_input")
                .with("field", field)
                .with("value", value)
                .with("reason", reason),
            InvalidIns { value, problem } => {
                let reason = match problem {
                    crate::nir::NirProblem::Length => Message::new("nir.length"),
                    crate::nir::NirProblem::Characters => Message::new("nir.characters"),
                    crate::nir::NirProblem::Sex => Message::new("nir.sex"),
                    crate::nir::NirProblem::Key { expected } => {
                        Message::new("nir.key").with("expected", format!("{expected:02}"))
                    }
                };
                Message::new("error.invalid_ins")
                    .with("value", value)
                    .with_message("reason", reason)
            }
            Keyring(reason) => Message::new("error.keyring").with("reason", reason),
            Archive { path: p, reason } => Message::new("error.archive")
                .with("path", path(p))
                .with("reason", reason),
            DamagedContent { id, reason } => Message::new("error.damaged_content")
                .with("id", id)
                .with("reason", reason),
        }
    }
}
