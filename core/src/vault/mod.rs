//! A vault: a directory holding the header, the SQLCipher database and the chunks.
//!
//! Opening a vault takes an exclusive lock on `carnet.lock`, so a second process gets
//! [`VaultError::InUse`] instead of racing the first. Unlocking unwraps the vault key
//! from the header and proves it against the database before anything is written.
//! Dropping a [`Vault`] zeroises every key it holds and releases the lock.

pub mod chunks;
pub mod db;
pub mod header;

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use tracing::info;

use crate::crypto::kdf::{self, KdfParams};
use crate::crypto::recovery::RecoveryKit;
use crate::crypto::{Context, CryptoError, SecretKey};
use crate::error::VaultError;
use crate::hlc::{Clock, Stamp};
use crate::passphrase;

use chunks::ChunkStore;
use header::{DeviceWrap, Header, KdfSection};

/// Name of the lock file inside a vault directory.
pub const LOCK_FILE: &str = "carnet.lock";

/// How to unlock a vault.
pub enum Unlock<'a> {
    Passphrase(&'a str),
    RecoveryKit(&'a RecoveryKit),
    /// A remembered device: its id in the header and its secret from the keystore.
    Device {
        device_id: &'a str,
        secret: &'a SecretKey,
    },
}

/// An open, unlocked vault.
pub struct Vault {
    dir: PathBuf,
    header: Header,
    pub(crate) conn: Connection,
    vault_key: SecretKey,
    pub(crate) journal_key: SecretKey,
    pub(crate) chunks: ChunkStore,
    clock: Clock,
    spaces: HashMap<String, SecretKey>,
    _lock: File,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .field("vault_id", &self.header.vault_id)
            .finish()
    }
}

impl Vault {
    /// Returns whether `dir` contains a vault header.
    pub fn exists(dir: &Path) -> bool {
        Header::path(dir).exists()
    }

    /// Creates a vault in `dir` protected by `passphrase`, and returns it with its
    /// recovery kit, which the caller must show once.
    pub fn create(
        dir: &Path,
        passphrase: &str,
        params: KdfParams,
    ) -> Result<(Vault, RecoveryKit), VaultError> {
        passphrase::check(passphrase).into_result()?;
        prepare_new_dir(dir)?;
        let lock = acquire_lock(dir)?;

        let vault_key = SecretKey::generate()?;
        let kit = RecoveryKit::generate()?;
        let salt = kdf::generate_salt()?;
        let vault_id = uuid::Uuid::now_v7().to_string();

        let kek = kdf::derive_key(passphrase, &salt, params)?;
        let passphrase_wrap = kek.wrap(
            &Context::key_wrap("vault/passphrase", &vault_id),
            &vault_key,
        )?;
        let recovery_key = kit.wrapping_key(vault_id.as_bytes())?;
        let recovery_wrap =
            recovery_key.wrap(&Context::key_wrap("vault/recovery", &vault_id), &vault_key)?;

        let conn = db::open(
            &dir.join(db::DB_FILE),
            &vault_key.derive("carnet/v1/sqlcipher")?,
            true,
        )?;
        let header = Header {
            format: header::FORMAT.into(),
            version: header::VERSION,
            vault_id,
            created_at: chrono::Utc::now().to_rfc3339(),
            kdf: KdfSection {
                algorithm: "argon2id".into(),
                version: 19,
                params,
                salt: Header::encode(&salt),
            },
            passphrase_wrap: Header::encode(&passphrase_wrap),
            recovery_wrap: Header::encode(&recovery_wrap),
            devices: Vec::new(),
        };
        // The header is written last: until it exists, the directory is not a vault.
        header.write(dir)?;

        let mut vault = Vault::assemble(dir, header, conn, vault_key, lock)?;
        vault.journal("vault.create", "", "")?;
        info!(vault_id = %vault.header.vault_id, "vault created");
        Ok((vault, kit))
    }

    /// Unlocks the vault in `dir`.
    pub fn unlock(dir: &Path, how: Unlock<'_>) -> Result<Vault, VaultError> {
        let header = Header::read(dir)?;
        let lock = acquire_lock(dir)?;
        let vault_key = unwrap_vault_key(&header, &how)?;
        let conn = db::open(
            &dir.join(db::DB_FILE),
            &vault_key.derive("carnet/v1/sqlcipher")?,
            false,
        )?;
        let mut vault = Vault::assemble(dir, header, conn, vault_key, lock)?;
        vault.collect_garbage()?;
        info!(vault_id = %vault.header.vault_id, "vault unlocked");
        Ok(vault)
    }

    fn assemble(
        dir: &Path,
        header: Header,
        conn: Connection,
        vault_key: SecretKey,
        lock: File,
    ) -> Result<Vault, VaultError> {
        let journal_key = vault_key.derive("carnet/v1/journal")?;
        let chunks = ChunkStore::open(dir)?;

        let node = match meta_get(&conn, "node_id")? {
            Some(node) => node,
            None => {
                let node = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
                meta_set(&conn, "node_id", &node)?;
                node
            }
        };
        let last = meta_get(&conn, "last_stamp")?.and_then(|s| Stamp::parse(&s));
        let clock = Clock::new(&node, last.as_ref());

        Ok(Vault {
            dir: dir.to_path_buf(),
            header,
            conn,
            vault_key,
            journal_key,
            chunks,
            clock,
            spaces: HashMap::new(),
            _lock: lock,
        })
    }

    /// Returns the vault's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the vault's id, which names it in the OS keyring and on a sync server.
    pub fn id(&self) -> &str {
        &self.header.vault_id
    }

    /// Checks `passphrase` against the header without closing the vault, so that a
    /// change of passphrase can ask for the current one first.
    pub fn verify_passphrase(&self, passphrase: &str) -> Result<(), VaultError> {
        unwrap_vault_key(&self.header, &Unlock::Passphrase(passphrase)).map(|_| ())
    }

    /// Replaces the passphrase. Only the wrap of the vault key changes.
    pub fn change_passphrase(&mut self, new_passphrase: &str) -> Result<(), VaultError> {
        passphrase::check(new_passphrase).into_result()?;
        let salt = kdf::generate_salt()?;
        let params = self.header.kdf.params;
        let kek = kdf::derive_key(new_passphrase, &salt, params)?;

        let mut header = self.header.clone();
        header.kdf.salt = Header::encode(&salt);
        header.passphrase_wrap = Header::encode(&kek.wrap(
            &Context::key_wrap("vault/passphrase", &header.vault_id),
            &self.vault_key,
        )?);
        header.write(&self.dir)?;
        self.header = header;
        self.journal("vault.passphrase_change", "", "")?;
        Ok(())
    }

    /// Adds a remembered-device wrap of the vault key and returns the device id and
    /// the secret the caller stores in the OS keystore.
    pub fn remember_device(&mut self) -> Result<(String, SecretKey), VaultError> {
        let device_id = uuid::Uuid::now_v7().to_string();
        let secret = SecretKey::generate()?;
        let wrap = secret.wrap(
            &Context::key_wrap("vault/device", &device_id),
            &self.vault_key,
        )?;
        let mut header = self.header.clone();
        header.devices.push(DeviceWrap {
            device_id: device_id.clone(),
            wrapped_key: Header::encode(&wrap),
        });
        header.write(&self.dir)?;
        self.header = header;
        self.journal("vault.remember_device", &device_id, "")?;
        Ok((device_id, secret))
    }

    /// Removes every remembered-device wrap from the header.
    pub fn forget_devices(&mut self) -> Result<(), VaultError> {
        let mut header = self.header.clone();
        header.devices.clear();
        header.write(&self.dir)?;
        self.header = header;
        self.journal("vault.forget_devices", "", "")?;
        Ok(())
    }

    /// Returns the database connection, for diagnostics and tests. Writing through
    /// it bypasses the record log and the journal, so Carnet's own code never does.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs SQLite's integrity check on the database.
    pub fn integrity_problems(&self) -> Result<Vec<String>, VaultError> {
        db::integrity_problems(&self.conn)
    }

    /// Issues a stamp and remembers it, so stamps keep increasing across restarts.
    pub(crate) fn stamp(&mut self) -> Result<Stamp, VaultError> {
        let stamp = self.clock.now();
        meta_set(&self.conn, "last_stamp", stamp.as_str())?;
        Ok(stamp)
    }

    /// Creates a space with a fresh key in `tx` and returns its id and key.
    pub(crate) fn create_space(
        &self,
        tx: &rusqlite::Transaction<'_>,
    ) -> Result<(String, SecretKey), VaultError> {
        let id = uuid::Uuid::now_v7().to_string();
        let key = SecretKey::generate()?;
        let wrap = self
            .vault_key
            .wrap(&Context::key_wrap("space", &id), &key)?;
        tx.execute(
            "INSERT INTO spaces (id, key_wrap, created_at) VALUES (?1, ?2, ?3)",
            params![id, wrap, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok((id, key))
    }

    /// Returns the key of space `space_id`, unwrapped once and cached while unlocked.
    pub(crate) fn space_key(&mut self, space_id: &str) -> Result<SecretKey, VaultError> {
        if let Some(key) = self.spaces.get(space_id) {
            return Ok(key.clone());
        }
        let wrap: Vec<u8> = self.conn.query_row(
            "SELECT key_wrap FROM spaces WHERE id = ?1",
            [space_id],
            |r| r.get(0),
        )?;
        let key = self
            .vault_key
            .unwrap_key(&Context::key_wrap("space", space_id), &wrap)?;
        self.spaces.insert(space_id.to_string(), key.clone());
        Ok(key)
    }

    /// Removes chunk files that no document references (left by a crash).
    pub fn collect_garbage(&mut self) -> Result<usize, VaultError> {
        let mut stmt = self.conn.prepare("SELECT DISTINCT chunk FROM blobs")?;
        let referenced: HashSet<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        drop(stmt);
        let removed = self.chunks.collect_garbage(&referenced)?;
        if removed > 0 {
            info!(removed, "removed unreferenced chunks");
        }
        Ok(removed)
    }
}

fn unwrap_vault_key(header: &Header, how: &Unlock<'_>) -> Result<SecretKey, VaultError> {
    let id = &header.vault_id;
    match how {
        Unlock::Passphrase(passphrase) => {
            let kek = kdf::derive_key(passphrase, &header.salt()?, header.kdf.params)?;
            let wrap = header.decode(&header.passphrase_wrap, "passphrase_wrap")?;
            kek.unwrap_key(&Context::key_wrap("vault/passphrase", id), &wrap)
                .map_err(|e| match e {
                    CryptoError::Decrypt => VaultError::WrongPassphrase,
                    other => other.into(),
                })
        }
        Unlock::RecoveryKit(kit) => {
            let key = kit.wrapping_key(id.as_bytes())?;
            let wrap = header.decode(&header.recovery_wrap, "recovery_wrap")?;
            key.unwrap_key(&Context::key_wrap("vault/recovery", id), &wrap)
                .map_err(|e| match e {
                    CryptoError::Decrypt => VaultError::WrongRecoveryKit,
                    other => other.into(),
                })
        }
        Unlock::Device { device_id, secret } => {
            let entry = header
                .devices
                .iter()
                .find(|d| d.device_id == *device_id)
                .ok_or(VaultError::DeviceKeyRejected)?;
            let wrap = header.decode(&entry.wrapped_key, "devices")?;
            secret
                .unwrap_key(&Context::key_wrap("vault/device", device_id), &wrap)
                .map_err(|_| VaultError::DeviceKeyRejected)
        }
    }
}

/// Accepts an empty or missing directory, or the leftovers of a creation that crashed
/// before its header was written; refuses anything else.
fn prepare_new_dir(dir: &Path) -> Result<(), VaultError> {
    if Header::path(dir).exists() {
        return Err(VaultError::AlreadyExists {
            path: dir.to_path_buf(),
        });
    }
    if !dir.exists() {
        fs::create_dir_all(dir).map_err(|e| VaultError::io(dir, e))?;
        restrict_to_owner(dir)?;
        return Ok(());
    }
    if dir.join(db::DB_FILE).exists() {
        // A database without its header is a damaged vault, not a leftover: its data
        // may still be recovered with a copy of the header, so nothing is touched.
        return Err(VaultError::DamagedHeader {
            path: Header::path(dir),
            reason: "the header is missing but the vault database exists".into(),
        });
    }
    let entries = fs::read_dir(dir).map_err(|e| VaultError::io(dir, e))?;
    // Only the lock file and the header's temporary file may be left by an earlier
    // attempt; anything else means the folder is someone else's.
    let leftover = |name: &str| name == LOCK_FILE || name == format!("{}.tmp", header::HEADER_FILE);
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.iter().any(|n| !leftover(n)) {
        return Err(VaultError::DirectoryNotEmpty {
            path: dir.to_path_buf(),
        });
    }
    Ok(())
}

/// Makes a new vault directory readable by its owner only (0700 on Unix): the files
/// are encrypted, but their names, sizes and dates need not be visible to others.
fn restrict_to_owner(dir: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| VaultError::io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn acquire_lock(dir: &Path) -> Result<File, VaultError> {
    let path = dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| VaultError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(VaultError::InUse {
            path: dir.to_path_buf(),
        }),
        Err(TryLockError::Error(e)) => Err(VaultError::io(&path, e)),
    }
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>, VaultError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<(), VaultError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
        params![key, value],
    )?;
    Ok(())
}
