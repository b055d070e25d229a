//! The error every command returns: an i18n key and its parameters, translated by the
//! front end into the user's language.
//!
//! A message never carries health content, passphrases or keys, only identifiers such
//! as a file name or a field name.

use std::collections::BTreeMap;

use carnet_core::VaultError;
use carnet_core::i18n::{self, Lang, Message};
use serde::Serialize;

/// A command failure as the front end receives it: `{ "key": "error.…", "params": {…} }`.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{key}")]
pub struct CommandError {
    /// Catalogue key under `error.`, for example `error.wrong_passphrase`.
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

impl CommandError {
    /// Converts a carnet-core message. Parameters that are lists of keys or nested
    /// messages (the reasons a passphrase is weak, the INS problem) are rendered in
    /// `lang`, because the front end substitutes only strings and numbers.
    pub fn from_message(message: &Message, lang: Lang) -> Self {
        let mut error = Self::new(message.key.clone());
        for (name, value) in &message.params {
            error = error.with(name, value.clone());
        }
        for (name, keys) in &message.key_lists {
            let rendered: Vec<String> = keys.iter().map(|key| i18n::tr(lang, key)).collect();
            error = error.with(name, rendered.join(" "));
        }
        for (name, nested) in &message.nested {
            error = error.with(name, nested.render(lang));
        }
        error
    }

    /// Converts a vault error, rendering nested parameters in `lang`.
    pub fn from_vault(error: &VaultError, lang: Lang) -> Self {
        Self::from_message(&error.message(), lang)
    }
}

impl From<VaultError> for CommandError {
    fn from(error: VaultError) -> Self {
        Self::from_vault(&error, Lang::Fr)
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
    fn vault_error_keeps_key_and_renders_nested_reason() {
        let error = CommandError::from_vault(
            &VaultError::InvalidIns {
                value: "123".to_owned(),
                problem: carnet_core::nir::NirProblem::Length,
            },
            Lang::En,
        );
        assert_eq!(error.key, "error.invalid_ins");
        assert_eq!(error.params["value"], "123");
        let reason = error.params["reason"].as_str().unwrap();
        assert!(!reason.is_empty());
        assert_ne!(reason, "nir.length");
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
