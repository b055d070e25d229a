//! "Remember this device": the device secret in the operating system's keystore.
//!
//! The keystore entry is named after the vault id and contains `<device id>:<secret in
//! hex>`; the vault header contains the vault key wrapped by that secret. When no
//! keystore answers (no Secret Service on a headless Linux, a locked keychain), the
//! caller falls back to the passphrase and says why; the vault key is never stored
//! in the clear anywhere.

use zeroize::Zeroizing;

use crate::crypto::SecretKey;
use crate::error::VaultError;

/// Service name of Carnet's keystore entries.
pub const SERVICE: &str = "carnet";

fn user(vault_id: &str) -> String {
    format!("vault-{vault_id}")
}

/// Stores a device secret for `vault_id`.
#[cfg(feature = "os-keyring")]
pub fn store(vault_id: &str, device_id: &str, secret: &SecretKey) -> Result<(), VaultError> {
    let entry = keyring::Entry::new(SERVICE, &user(vault_id))
        .map_err(|e| VaultError::Keyring(e.to_string()))?;
    let value = Zeroizing::new(format!("{device_id}:{}", hex::encode(secret.expose())));
    entry
        .set_password(&value)
        .map_err(|e| VaultError::Keyring(e.to_string()))?;
    // Some backends accept a write they cannot read back (a session keyring with no
    // permission): check, so that the user is not shown that the device is remembered.
    match load(vault_id)? {
        Some((id, _)) if id == device_id => Ok(()),
        _ => Err(VaultError::Keyring(
            "the keystore accepted the secret but does not return it".into(),
        )),
    }
}

/// Loads the device id and secret for `vault_id`, if one is stored.
#[cfg(feature = "os-keyring")]
pub fn load(vault_id: &str) -> Result<Option<(String, SecretKey)>, VaultError> {
    let entry = keyring::Entry::new(SERVICE, &user(vault_id))
        .map_err(|e| VaultError::Keyring(e.to_string()))?;
    let value = match entry.get_password() {
        Ok(value) => Zeroizing::new(value),
        Err(keyring::Error::NoEntry) => return Ok(None),
        Err(e) => return Err(VaultError::Keyring(e.to_string())),
    };
    let Some((device_id, secret_hex)) = value.split_once(':') else {
        return Err(VaultError::Keyring(
            "the stored entry is not in Carnet's format".into(),
        ));
    };
    let bytes = Zeroizing::new(
        hex::decode(secret_hex)
            .map_err(|_| VaultError::Keyring("the stored secret is not hex".into()))?,
    );
    let array: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| VaultError::Keyring("the stored secret has the wrong length".into()))?;
    Ok(Some((device_id.to_string(), SecretKey::from_bytes(array))))
}

/// Removes the device secret for `vault_id`, if any.
#[cfg(feature = "os-keyring")]
pub fn forget(vault_id: &str) -> Result<(), VaultError> {
    let entry = keyring::Entry::new(SERVICE, &user(vault_id))
        .map_err(|e| VaultError::Keyring(e.to_string()))?;
    match entry.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(VaultError::Keyring(e.to_string())),
    }
}

#[cfg(not(feature = "os-keyring"))]
pub fn store(_vault_id: &str, _device_id: &str, _secret: &SecretKey) -> Result<(), VaultError> {
    Err(VaultError::Keyring(
        "this build has no keystore support".into(),
    ))
}

#[cfg(not(feature = "os-keyring"))]
pub fn load(_vault_id: &str) -> Result<Option<(String, SecretKey)>, VaultError> {
    Ok(None)
}

#[cfg(not(feature = "os-keyring"))]
pub fn forget(_vault_id: &str) -> Result<(), VaultError> {
    Ok(())
}
