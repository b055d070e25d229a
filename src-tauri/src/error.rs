//! The error every command returns: an i18n key and its parameters, translated by the
//! front end into the user's language.
//!
//! A message never carries health content, passphrases or keys, only identifiers such
//! as a file name or a field name.

use std::collections::BTreeMap;

use serde::Serialize;

/// A command failure as the front end receives it: `{ "key": "error.…", "params": {…} }`.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{key}")]
pub struct CommandError {
    /// Catalogue key under `error.`, for example `error.passphrase_wrong`.
    pub key: String,
    /// Values substituted into the translated message, such as `{ "file": "scan.pdf" }`.
    pub params: BTreeMap<String, serde_json::Value>,
}

impl CommandError {
    /// Creates an error with no parameters.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            params: BTreeMap::new(),
        }
    }

    /// Adds one parameter for the translated message.
    pub fn with(mut self, name: &str, value: impl Into<serde_json::Value>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// Creates `error.not_ready`: the command exists in the contract, but its body is
    /// not wired to the vault yet.
    pub fn not_ready() -> Self {
        Self::new("error.not_ready")
    }

    /// Creates `error.vault_locked`, for a command that needs an unlocked vault.
    pub fn locked() -> Self {
        Self::new("error.vault_locked")
    }
}

/// Result type of every command.
pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_key_and_params() {
        let error = CommandError::new("error.import_unsupported").with("file", "scan.xyz");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["key"], "error.import_unsupported");
        assert_eq!(json["params"]["file"], "scan.xyz");
    }

    #[test]
    fn not_ready_has_empty_params() {
        let json = serde_json::to_value(CommandError::not_ready()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "key": "error.not_ready", "params": {} })
        );
    }
}
