//! Content-addressed storage of sealed chunks beside the database.
//!
//! A document's content is cut into chunks of [`CHUNK_SIZE`] bytes, each sealed on
//! its own and written to `chunks/<first two hex digits>/<sha256 of ciphertext>`.
//! Naming by the ciphertext hash lets sync upload and deduplicate chunks without
//! reading them. Locally, the AEAD tag already rejects a damaged chunk when it is
//! opened, so plain reads skip the hash.
//!
//! Crash safety: a chunk is written to a temporary name, synced and renamed; the
//! directories are synced by [`ChunkStore::sync_dirs`] before the transaction that
//! references the chunks commits. A crash in between leaves unreferenced chunks,
//! which [`ChunkStore::collect_garbage`] removes at the next unlock.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::VaultError;
use crate::fsutil::sync_dir;

/// Plaintext bytes per chunk. 4 MiB keeps memory flat for any file size while
/// keeping the per-chunk cost (28 bytes, one file and one fsync) small. With 1 MiB
/// chunks, imports of large files were slower (docs/benchmarks.md).
pub const CHUNK_SIZE: usize = 4 * 1024 * 1024;
/// Directory of chunks inside a vault.
pub const CHUNKS_DIR: &str = "chunks";

/// The chunk directory of one vault.
#[derive(Debug)]
pub struct ChunkStore {
    root: PathBuf,
    touched: BTreeSet<PathBuf>,
}

impl ChunkStore {
    /// Opens (and creates if needed) the chunk directory of the vault in `vault_dir`.
    pub fn open(vault_dir: &Path) -> Result<Self, VaultError> {
        let root = vault_dir.join(CHUNKS_DIR);
        fs::create_dir_all(&root).map_err(|e| VaultError::io(&root, e))?;
        Ok(ChunkStore {
            root,
            touched: BTreeSet::new(),
        })
    }

    /// Returns whether the chunk file `name` is present; its content is not checked.
    /// A name that is not 64 hex digits names no chunk.
    pub fn contains(&self, name: &str) -> bool {
        name.len() == 64
            && name.bytes().all(|b| b.is_ascii_hexdigit())
            && self.path_of(name).is_file()
    }

    fn path_of(&self, name: &str) -> PathBuf {
        chunk_path(&self.root, name)
    }

    /// Writes a sealed chunk and returns its name. Writing a chunk that exists is a
    /// no-op, which is what deduplication by ciphertext hash means.
    pub fn put(&mut self, sealed: &[u8]) -> Result<String, VaultError> {
        let (name, dir) = write_chunk(&self.root, sealed)?;
        self.touched.insert(dir);
        Ok(name)
    }

    /// Returns the chunk directory, for a writer thread that calls [`write_chunk`].
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Records a directory that [`write_chunk`] wrote into, so that
    /// [`ChunkStore::sync_dirs`] syncs it.
    pub fn mark_touched(&mut self, dir: PathBuf) {
        self.touched.insert(dir);
    }

    /// Makes every chunk written since the last call durable.
    pub fn sync_dirs(&mut self) -> Result<(), VaultError> {
        for dir in std::mem::take(&mut self.touched) {
            sync_dir(&dir)?;
        }
        sync_dir(&self.root)
    }

    /// Deletes one chunk file; a missing file is not an error.
    pub fn remove(&mut self, name: &str) -> Result<(), VaultError> {
        let path = self.path_of(name);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(VaultError::io(&path, e)),
        }
    }

    /// Reads a chunk. Its integrity is checked by the AEAD tag when the caller opens
    /// it; [`ChunkStore::get_verified`] also checks the content against the name.
    pub fn get(&self, name: &str) -> Result<Vec<u8>, VaultError> {
        self.read_chunk(name)
    }

    /// Reads a chunk and checks that its content still matches its name, for callers
    /// that pass the sealed bytes on without opening them.
    pub fn get_verified(&self, name: &str) -> Result<Vec<u8>, VaultError> {
        let bytes = self.read_chunk(name)?;
        if hex::encode(Sha256::digest(&bytes)) != name {
            return Err(VaultError::DamagedContent {
                id: name.to_string(),
                reason: "chunk hash mismatch".into(),
            });
        }
        Ok(bytes)
    }

    fn read_chunk(&self, name: &str) -> Result<Vec<u8>, VaultError> {
        if name.len() != 64 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VaultError::DamagedContent {
                id: name.to_string(),
                reason: "invalid chunk name".into(),
            });
        }
        let path = self.path_of(name);
        let bytes = fs::read(&path).map_err(|e| VaultError::DamagedContent {
            id: name.to_string(),
            reason: format!("chunk unreadable: {e}"),
        })?;
        if hex::encode(Sha256::digest(&bytes)) != name {
            return Err(VaultError::DamagedContent {
                id: name.to_string(),
                reason: "chunk hash mismatch".into(),
            });
        }
        Ok(bytes)
    }

    /// Deletes chunk files (and leftover temporary files) not in `referenced`.
    /// Returns how many files were removed.
    pub fn collect_garbage(&self, referenced: &HashSet<String>) -> Result<usize, VaultError> {
        let mut removed = 0;
        let entries = fs::read_dir(&self.root).map_err(|e| VaultError::io(&self.root, e))?;
        for sub in entries.flatten() {
            let sub_path = sub.path();
            if !sub_path.is_dir() {
                continue;
            }
            let files = fs::read_dir(&sub_path).map_err(|e| VaultError::io(&sub_path, e))?;
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().to_string();
                if !referenced.contains(&name) {
                    let path = file.path();
                    fs::remove_file(&path).map_err(|e| VaultError::io(&path, e))?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

fn chunk_path(root: &Path, name: &str) -> PathBuf {
    root.join(&name[..2]).join(name)
}

/// Writes one sealed chunk under `root` (temporary name, sync, rename) and returns
/// its name and the directory whose entry still needs a sync.
pub fn write_chunk(root: &Path, sealed: &[u8]) -> Result<(String, PathBuf), VaultError> {
    let name = hex::encode(Sha256::digest(sealed));
    let path = chunk_path(root, &name);
    let dir = path
        .parent()
        .expect("a chunk path has a parent")
        .to_path_buf();
    if path.exists() {
        return Ok((name, dir));
    }
    fs::create_dir_all(&dir).map_err(|e| VaultError::io(&dir, e))?;

    let tmp = dir.join(format!("{name}.tmp"));
    let mut file = File::create(&tmp).map_err(|e| VaultError::io(&tmp, e))?;
    file.write_all(sealed)
        .map_err(|e| VaultError::io(&tmp, e))?;
    file.sync_all().map_err(|e| VaultError::io(&tmp, e))?;
    drop(file);
    fs::rename(&tmp, &path).map_err(|e| VaultError::io(&path, e))?;
    Ok((name, dir))
}
