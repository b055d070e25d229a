//! What every command needs: the language, the vault path, and how to unlock.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result, anyhow};
use carnet_core::i18n::{Lang, Message, tr};
use carnet_core::{KdfParams, Unlock, Vault, VaultError, keystore};
use zeroize::Zeroizing;

/// Environment variable holding the passphrase for scripts.
pub const PASSPHRASE_ENV: &str = "CARNET_PASSPHRASE";
/// Environment variable holding the new passphrase for `passphrase change` and `recover`.
pub const NEW_PASSPHRASE_ENV: &str = "CARNET_NEW_PASSPHRASE";
/// Environment variable holding the recovery kit for `recover` in scripts.
pub const RECOVERY_KIT_ENV: &str = "CARNET_RECOVERY_KIT";
/// Test-only: create vaults with cheap Argon2id parameters. Never set it for a real vault.
pub const WEAK_KDF_ENV: &str = "CARNET_INSECURE_TEST_KDF";

pub struct Ctx {
    pub lang: Lang,
    pub vault_dir: PathBuf,
}

impl Ctx {
    pub fn new(vault: Option<PathBuf>, lang: Option<String>) -> Result<Ctx> {
        let parsed = lang.as_deref().and_then(Lang::parse);
        if let (Some(requested), None) = (&lang, parsed) {
            // Said in both languages, since neither could be chosen from the request.
            eprintln!(
                "Langue « {requested} » non prise en charge : fr ou en. / Language “{requested}” is not supported: fr or en."
            );
        }
        let lang = parsed.unwrap_or_else(Lang::from_env);
        let vault_dir = match vault {
            Some(dir) => dir,
            None => dirs::data_dir()
                .ok_or_else(|| anyhow!(tr(lang, "cli.no_data_dir")))?
                .join("carnet")
                .join("vault"),
        };
        Ok(Ctx { lang, vault_dir })
    }

    /// Translates a key.
    pub fn t(&self, key: &str) -> String {
        tr(self.lang, key)
    }

    /// Renders a message.
    pub fn m(&self, message: &Message) -> String {
        message.render(self.lang)
    }

    /// Turns a vault error into a user-facing error in the user's language.
    pub fn fail(&self, error: VaultError) -> anyhow::Error {
        anyhow!(self.m(&error.message()))
    }

    /// Argon2id parameters for a new vault.
    pub fn kdf_params(&self) -> KdfParams {
        if std::env::var_os(WEAK_KDF_ENV).is_some() {
            eprintln!("{}", self.t("cli.weak_kdf_warning"));
            KdfParams::INSECURE_FOR_TESTS
        } else {
            KdfParams::DEFAULT
        }
    }

    /// Unlocks the vault: `CARNET_PASSPHRASE`, else the remembered device secret,
    /// else a passphrase prompt.
    pub fn open(&self) -> Result<Vault> {
        if !Vault::exists(&self.vault_dir) {
            return Err(self.fail(VaultError::NotFound {
                path: self.vault_dir.clone(),
            }));
        }
        if let Ok(passphrase) = std::env::var(PASSPHRASE_ENV) {
            let passphrase = Zeroizing::new(passphrase);
            return Vault::unlock(&self.vault_dir, Unlock::Passphrase(&passphrase))
                .map_err(|e| self.fail(e));
        }
        if let Some(vault) = self.try_device_unlock() {
            return Ok(vault);
        }
        let passphrase = self.read_secret(&self.t("cli.prompt_passphrase"))?;
        Vault::unlock(&self.vault_dir, Unlock::Passphrase(&passphrase)).map_err(|e| self.fail(e))
    }

    fn try_device_unlock(&self) -> Option<Vault> {
        let header = carnet_core::vault::header::Header::read(&self.vault_dir).ok()?;
        if header.devices.is_empty() {
            return None;
        }
        match keystore::load(&header.vault_id) {
            Ok(Some((device_id, secret))) => {
                match Vault::unlock(
                    &self.vault_dir,
                    Unlock::Device {
                        device_id: &device_id,
                        secret: &secret,
                    },
                ) {
                    Ok(vault) => Some(vault),
                    Err(e) => {
                        eprintln!("{}", self.m(&e.message()));
                        None
                    }
                }
            }
            Ok(None) => None,
            Err(e) => {
                eprintln!("{}", self.m(&e.message()));
                None
            }
        }
    }

    /// Reads a secret from the terminal without echo, or one line of standard input
    /// when it is not a terminal (scripts).
    pub fn read_secret(&self, prompt: &str) -> Result<Zeroizing<String>> {
        if std::io::stdin().is_terminal() {
            let value = rpassword::prompt_password(prompt).context(self.t("cli.prompt_failed"))?;
            return Ok(Zeroizing::new(value));
        }
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context(self.t("cli.prompt_failed"))?;
        if line.is_empty() {
            return Err(anyhow!(self.t("cli.no_passphrase")));
        }
        let trimmed = line.trim_end_matches(['\n', '\r']).to_string();
        Ok(Zeroizing::new(trimmed))
    }

    /// Asks a yes/no question; only an explicit yes counts.
    pub fn confirm(&self, question: &str) -> Result<bool> {
        eprint!("{question} ");
        std::io::stderr().flush().ok();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let answer = line.trim().to_lowercase();
        Ok(matches!(answer.as_str(), "o" | "oui" | "y" | "yes"))
    }
}
