//! The encrypted record log: what sync will exchange.
//!
//! A record is a last-writer-wins map: each field holds a JSON value and the stamp
//! of the write that set it. Writing a record merges the changed fields into the
//! stored map, bumps its version and seals the whole map with the record's content
//! key, bound to (space, id, kind, version). A deletion keeps the record as a
//! tombstone with an empty map, so that it can propagate.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::crypto::{Context, SecretKey};
use crate::error::VaultError;
use crate::hlc::Stamp;

/// Kinds of record stored in the log.
pub mod kind {
    pub const PERSON: &str = "person";
    pub const DOCUMENT: &str = "document";
    pub const ENTRY: &str = "entry";
    pub const EVENT: &str = "event";
    pub const VACCINATION: &str = "vaccination";
    pub const PREVENTION_DECISION: &str = "prevention_decision";
    pub const BLOOD_GROUP: &str = "blood_group";
}

/// One field of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub value: Value,
    pub stamp: Stamp,
}

/// The decrypted content of a record.
pub type FieldMap = BTreeMap<String, Field>;

/// Writes `changes` to record `id`, creating it if needed, in transaction `tx`.
///
/// `space_key` wraps a new record's content key; an existing record keeps its key.
pub fn write(
    tx: &Transaction<'_>,
    space_id: &str,
    space_key: &SecretKey,
    id: &str,
    kind: &str,
    changes: &[(&str, Value)],
    stamp: &Stamp,
) -> Result<(), VaultError> {
    let existing = read_raw(tx, id)?;
    let (version, key_wrap, mut fields) = match existing {
        Some(raw) => {
            let key = space_key.unwrap_key(&Context::key_wrap("record", id), &raw.key_wrap)?;
            let fields = open_fields(&key, space_id, id, kind, raw.version, &raw.payload)?;
            (raw.version + 1, raw.key_wrap, fields)
        }
        None => {
            let key = SecretKey::generate()?;
            let wrap = space_key.wrap(&Context::key_wrap("record", id), &key)?;
            (1, wrap, FieldMap::new())
        }
    };

    for (name, value) in changes {
        fields.insert(
            (*name).to_string(),
            Field {
                value: value.clone(),
                stamp: stamp.clone(),
            },
        );
    }

    let key = space_key.unwrap_key(&Context::key_wrap("record", id), &key_wrap)?;
    let plain = serde_json::to_vec(&fields).expect("field maps always serialise");
    let payload = key.seal(&Context::record(space_id, id, kind, version), &plain)?;
    tx.execute(
        "INSERT INTO records (id, space_id, kind, version, key_wrap, payload, deleted, stamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)
         ON CONFLICT(id) DO UPDATE SET version = ?4, payload = ?6, deleted = 0, stamp = ?7",
        params![
            id,
            space_id,
            kind,
            version,
            key_wrap,
            payload,
            stamp.as_str()
        ],
    )?;
    Ok(())
}

/// Turns record `id` into a tombstone: an empty sealed map flagged deleted.
pub fn delete(
    tx: &Transaction<'_>,
    space_id: &str,
    space_key: &SecretKey,
    id: &str,
    kind: &str,
    stamp: &Stamp,
) -> Result<(), VaultError> {
    let Some(raw) = read_raw(tx, id)? else {
        return Ok(());
    };
    let key = space_key.unwrap_key(&Context::key_wrap("record", id), &raw.key_wrap)?;
    let version = raw.version + 1;
    let payload = key.seal(&Context::record(space_id, id, kind, version), b"{}")?;
    tx.execute(
        "UPDATE records SET version = ?2, payload = ?3, deleted = 1, stamp = ?4 WHERE id = ?1",
        params![id, version, payload, stamp.as_str()],
    )?;
    Ok(())
}

/// Reads and decrypts record `id`.
pub fn read(
    conn: &rusqlite::Connection,
    space_key: &SecretKey,
    id: &str,
) -> Result<Option<(FieldMap, bool)>, VaultError> {
    let Some(raw) = read_raw(conn, id)? else {
        return Ok(None);
    };
    let key = space_key.unwrap_key(&Context::key_wrap("record", id), &raw.key_wrap)?;
    let fields = open_fields(
        &key,
        &raw.space_id,
        id,
        &raw.kind,
        raw.version,
        &raw.payload,
    )?;
    Ok(Some((fields, raw.deleted)))
}

struct RawRecord {
    space_id: String,
    kind: String,
    version: i64,
    key_wrap: Vec<u8>,
    payload: Vec<u8>,
    deleted: bool,
}

fn read_raw(conn: &rusqlite::Connection, id: &str) -> Result<Option<RawRecord>, VaultError> {
    let raw = conn
        .query_row(
            "SELECT space_id, kind, version, key_wrap, payload, deleted FROM records WHERE id = ?1",
            [id],
            |r| {
                Ok(RawRecord {
                    space_id: r.get(0)?,
                    kind: r.get(1)?,
                    version: r.get(2)?,
                    key_wrap: r.get(3)?,
                    payload: r.get(4)?,
                    deleted: r.get::<_, i64>(5)? != 0,
                })
            },
        )
        .optional()?;
    Ok(raw)
}

fn open_fields(
    key: &SecretKey,
    space_id: &str,
    id: &str,
    kind: &str,
    version: i64,
    payload: &[u8],
) -> Result<FieldMap, VaultError> {
    let plain = key.open(&Context::record(space_id, id, kind, version), payload)?;
    serde_json::from_slice(&plain).map_err(|e| VaultError::DamagedContent {
        id: id.to_string(),
        reason: e.to_string(),
    })
}
