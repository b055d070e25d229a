//! Document contents: streaming bytes into sealed chunks and back.
//!
//! A document's content key is random, wrapped by its space key and stored in the
//! `documents` row. Each role of a document (`original`, `thumbnail`, `html`,
//! `attachment/<n>`) is cut into chunks of [`CHUNK_SIZE`] bytes. Chunk `i` is sealed
//! under the content key with the context (document id, role, i), so a chunk that is
//! reordered or moved between documents or roles fails to open.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::mpsc::SyncSender;

use rusqlite::{Transaction, params};
use sha2::{Digest, Sha256};

use crate::crypto::{Context, SecretKey};
use crate::error::VaultError;
use crate::vault::Vault;
use crate::vault::chunks::{self, CHUNK_SIZE};

/// Location of one chunk of a role.
#[derive(Debug, Clone)]
pub(crate) struct ChunkRef {
    pub seq: u32,
    pub name: String,
    pub plain_len: usize,
}

/// A role's chunks after sealing, with the SHA-256 and size of the plaintext.
#[derive(Debug, Clone)]
pub(crate) struct SealedRole {
    pub role: String,
    pub chunks: Vec<ChunkRef>,
    pub sha256: [u8; 32],
    pub size: u64,
}

impl Vault {
    /// Seals everything `reader` yields as role `role` of document `document_id`.
    /// Chunks are durable on return except for their directory entries, which
    /// [`Vault::sync_chunks`] makes durable before the referencing commit.
    pub(crate) fn seal_role(
        &mut self,
        document_id: &str,
        role: &str,
        content_key: &SecretKey,
        reader: &mut dyn Read,
    ) -> Result<SealedRole, VaultError> {
        // Reading, hashing and sealing run on this thread while a second thread writes
        // and syncs the sealed chunks, so disk waits overlap with the CPU work.
        let root = self.chunks.root().to_path_buf();
        let (produced, written) = std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
            let writer = scope.spawn(move || -> Result<Vec<(String, PathBuf)>, VaultError> {
                let mut written = Vec::new();
                for sealed in receiver {
                    written.push(chunks::write_chunk(&root, &sealed)?);
                }
                Ok(written)
            });
            let produced = produce_chunks(document_id, role, content_key, reader, &sender);
            drop(sender);
            let written = writer
                .join()
                .expect("the chunk writer thread does not panic");
            (produced, written)
        });
        // A writer failure closes the channel and stops the producer early, so it is
        // the error to report when both fail.
        let written = written?;
        let (sha256, size, lengths) = produced?;

        let mut chunks = Vec::with_capacity(written.len());
        for (seq, ((name, dir), plain_len)) in written.into_iter().zip(lengths).enumerate() {
            self.chunks.mark_touched(dir);
            chunks.push(ChunkRef {
                seq: seq as u32,
                name,
                plain_len,
            });
        }
        Ok(SealedRole {
            role: role.to_string(),
            chunks,
            sha256,
            size,
        })
    }

    /// Removes the chunks of a role that will not be committed (a duplicate found
    /// after a streaming seal, a rejected file).
    pub(crate) fn discard_role(&mut self, sealed: &SealedRole) -> Result<(), VaultError> {
        for chunk in &sealed.chunks {
            self.chunks.remove(&chunk.name)?;
        }
        Ok(())
    }

    /// Makes the directory entries of every chunk written so far durable.
    pub(crate) fn sync_chunks(&mut self) -> Result<(), VaultError> {
        self.chunks.sync_dirs()
    }

    /// Writes the `blobs` rows of a sealed role.
    pub(crate) fn insert_blobs(
        tx: &Transaction<'_>,
        document_id: &str,
        sealed: &SealedRole,
    ) -> Result<(), VaultError> {
        for chunk in &sealed.chunks {
            tx.execute(
                "INSERT INTO blobs (document_id, role, seq, chunk, plain_len) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![document_id, sealed.role, chunk.seq, chunk.name, chunk.plain_len as i64],
            )?;
        }
        Ok(())
    }

    /// Returns whether document `document_id` has content for `role`.
    pub fn has_role(&self, document_id: &str, role: &str) -> Result<bool, VaultError> {
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM blobs WHERE document_id = ?1 AND role = ?2",
            params![document_id, role],
            |r| r.get(0),
        )?;
        Ok(count > 0)
    }

    /// Decrypts role `role` of a document into `out`, chunk by chunk.
    pub fn read_role(
        &mut self,
        document_id: &str,
        role: &str,
        out: &mut dyn Write,
    ) -> Result<u64, VaultError> {
        let (space_id, wrapped): (String, Vec<u8>) = self
            .conn
            .query_row(
                "SELECT p.space_id, d.content_key FROM documents d JOIN people p ON p.id = d.person_id WHERE d.id = ?1",
                [document_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|_| VaultError::DocumentNotFound { id: document_id.to_string() })?;
        let space_key = self.space_key(&space_id)?;
        let content_key =
            space_key.unwrap_key(&Context::key_wrap("content", document_id), &wrapped)?;

        let mut stmt = self
            .conn
            .prepare("SELECT seq, chunk, plain_len FROM blobs WHERE document_id = ?1 AND role = ?2 ORDER BY seq")?;
        let chunks: Vec<(u32, String, i64)> = stmt
            .query_map(params![document_id, role], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        drop(stmt);

        let mut written = 0u64;
        for (expected, (seq, name, plain_len)) in chunks.iter().enumerate() {
            if *seq as usize != expected {
                return Err(VaultError::DamagedContent {
                    id: document_id.to_string(),
                    reason: "missing chunk".into(),
                });
            }
            let sealed = self
                .chunks
                .get(name)
                .map_err(|e| VaultError::DamagedContent {
                    id: document_id.to_string(),
                    reason: format!("chunk {name}: {e}"),
                })?;
            let plain = content_key
                .open_owned(&Context::chunk(document_id, role, *seq), sealed)
                .map_err(|e| VaultError::DamagedContent {
                    id: document_id.to_string(),
                    reason: e.to_string(),
                })?;
            if plain.len() as i64 != *plain_len {
                return Err(VaultError::DamagedContent {
                    id: document_id.to_string(),
                    reason: "chunk length".into(),
                });
            }
            out.write_all(&plain)
                .map_err(|e| VaultError::io(std::path::Path::new("output"), e))?;
            written += plain.len() as u64;
        }
        Ok(written)
    }

    /// Decrypts every stored role of every document and returns the documents that
    /// fail, with the reason. SQLite's integrity check cannot see chunk files.
    pub fn verify_contents(&mut self) -> Result<Vec<(String, String)>, VaultError> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT document_id, role FROM blobs ORDER BY document_id")?;
        let roles: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        drop(stmt);
        let mut damaged = Vec::new();
        for (document_id, role) in roles {
            if let Err(e) = self.read_role(&document_id, &role, &mut std::io::sink()) {
                damaged.push((document_id, format!("{role}: {e}")));
            }
        }
        Ok(damaged)
    }

    /// Lists the chunk names of one role of a document, in order.
    pub(crate) fn chunk_names(
        &self,
        document_id: &str,
        role: &str,
    ) -> Result<Vec<String>, VaultError> {
        let mut stmt = self
            .conn
            .prepare("SELECT chunk FROM blobs WHERE document_id = ?1 AND role = ?2 ORDER BY seq")?;
        let names = stmt
            .query_map(params![document_id, role], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(names)
    }

    /// Decrypts a whole role into memory; for small roles (thumbnails, HTML).
    pub fn read_role_to_vec(
        &mut self,
        document_id: &str,
        role: &str,
    ) -> Result<Vec<u8>, VaultError> {
        let mut out = Vec::new();
        self.read_role(document_id, role, &mut out)?;
        Ok(out)
    }
}

/// Reads, hashes and seals `reader` chunk by chunk, sending each sealed chunk to the
/// writer. Returns the plaintext SHA-256, its size and each chunk's plaintext length.
fn produce_chunks(
    document_id: &str,
    role: &str,
    content_key: &SecretKey,
    reader: &mut dyn Read,
    sender: &SyncSender<Vec<u8>>,
) -> Result<([u8; 32], u64, Vec<usize>), VaultError> {
    let mut hasher = Sha256::new();
    let mut lengths = Vec::new();
    let mut size = 0u64;
    let mut buffer = vec![0u8; CHUNK_SIZE];
    let mut seq = 0u32;
    loop {
        let filled = read_full(reader, &mut buffer).map_err(|e| VaultError::Io {
            path: document_id.into(),
            source: e,
        })?;
        if filled == 0 && seq > 0 {
            break;
        }
        let plain = &buffer[..filled];
        hasher.update(plain);
        size += filled as u64;
        let sealed = content_key.seal(&Context::chunk(document_id, role, seq), plain)?;
        if sender.send(sealed).is_err() {
            // The writer stopped on an error, which the caller reports.
            break;
        }
        lengths.push(filled);
        seq += 1;
        if filled < CHUNK_SIZE {
            break;
        }
    }
    Ok((hasher.finalize().into(), size, lengths))
}

/// Reads until `buffer` is full or the reader ends; returns the bytes read.
fn read_full(reader: &mut dyn Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
