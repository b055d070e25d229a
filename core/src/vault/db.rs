//! The SQLCipher database: opening it with a raw key, and its migrations.
//!
//! The key is 256 raw bits given as `PRAGMA key = "x'…'"`, so SQLCipher's own
//! PBKDF2 stays off the unlock path (Argon2id has already run). The database runs in
//! WAL mode with `synchronous = FULL`, so a committed transaction survives a crash of
//! the process or of the machine, and with foreign keys enforced.
//!
//! Tables come in two groups. `records` is the encrypted record log that sync will
//! exchange: one sealed, versioned payload per record. The other tables are the local
//! projection that queries and full-text search read; they are rebuilt from the
//! records and never leave the device.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use crate::crypto::SecretKey;
use crate::error::VaultError;

/// File name of the database inside a vault directory.
pub const DB_FILE: &str = "carnet.db";

/// Schema migrations, applied in order; `PRAGMA user_version` counts those applied.
/// Append only: an applied migration never changes.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    -- One space per person; the space key is wrapped by the vault key.
    CREATE TABLE spaces (
        id          TEXT PRIMARY KEY,
        key_wrap    BLOB NOT NULL,
        key_version INTEGER NOT NULL DEFAULT 1,
        created_at  TEXT NOT NULL
    );

    -- The record log that sync exchanges. `payload` is an envelope sealed with the
    -- record's content key, which `key_wrap` holds wrapped by the space key.
    CREATE TABLE records (
        id         TEXT PRIMARY KEY,
        space_id   TEXT NOT NULL REFERENCES spaces(id),
        kind       TEXT NOT NULL,
        version    INTEGER NOT NULL,
        key_wrap   BLOB NOT NULL,
        payload    BLOB NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0,
        stamp      TEXT NOT NULL,
        synced_seq INTEGER
    );
    CREATE INDEX records_by_space ON records(space_id, kind);

    CREATE TABLE people (
        id         TEXT PRIMARY KEY,
        space_id   TEXT NOT NULL UNIQUE REFERENCES spaces(id),
        name       TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        sex        TEXT NOT NULL,
        relation   TEXT NOT NULL,
        ins        TEXT,
        created_at TEXT NOT NULL
    );

    CREATE TABLE documents (
        id             TEXT PRIMARY KEY,
        person_id      TEXT NOT NULL REFERENCES people(id),
        title          TEXT NOT NULL,
        category       TEXT NOT NULL,
        doc_date       TEXT,
        source         TEXT NOT NULL,
        original_name  TEXT NOT NULL,
        media_type     TEXT NOT NULL,
        format         TEXT NOT NULL,
        size           INTEGER NOT NULL,
        content_sha256 TEXT NOT NULL,
        content_key    BLOB NOT NULL,
        text_status    TEXT NOT NULL,
        pages          INTEGER,
        details        TEXT NOT NULL DEFAULT '{}',
        imported_at    TEXT NOT NULL
    );
    CREATE UNIQUE INDEX documents_dedup ON documents(person_id, content_sha256);
    CREATE INDEX documents_by_date ON documents(person_id, doc_date DESC);

    -- Sealed chunks of a document's content by role: `original`, `thumbnail`,
    -- `html`, `attachment/<n>`. A chunk file is named by the hash of its ciphertext.
    CREATE TABLE blobs (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        role        TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        chunk       TEXT NOT NULL,
        plain_len   INTEGER NOT NULL,
        PRIMARY KEY (document_id, role, seq)
    );
    CREATE INDEX blobs_by_chunk ON blobs(chunk);

    -- Full-text index over titles and extracted text. unicode61 with
    -- remove_diacritics 2 folds case and French accents ("électro" = "ELECTRO").
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        document_id UNINDEXED,
        title,
        body,
        tokenize = "unicode61 remove_diacritics 2"
    );

    -- Structured medical-profile entries (vaccinations, measurements, lab results,
    -- treatments, allergies, conditions), one row per fact, with its sources.
    CREATE TABLE profile_entries (
        id         TEXT PRIMARY KEY,
        person_id  TEXT NOT NULL REFERENCES people(id),
        kind       TEXT NOT NULL,
        dedup_key  TEXT NOT NULL,
        occurred   TEXT,
        data       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (person_id, kind, dedup_key)
    );
    CREATE TABLE entry_sources (
        entry_id    TEXT NOT NULL REFERENCES profile_entries(id) ON DELETE CASCADE,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        PRIMARY KEY (entry_id, document_id)
    );

    -- Agenda events and prevention suggestions' states, per person.
    CREATE TABLE agenda_events (
        id         TEXT PRIMARY KEY,
        person_id  TEXT NOT NULL REFERENCES people(id),
        uid        TEXT NOT NULL,
        starts_at  TEXT,
        data       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (person_id, uid)
    );

    -- The hash-chained journal: each row's MAC covers the previous row's MAC.
    CREATE TABLE journal (
        seq     INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail  TEXT NOT NULL,
        mac     TEXT NOT NULL
    );
    "#,
    // 2: vaccinations recorded by hand and decisions on prevention suggestions.
    r#"
    -- A vaccination typed by the user, not read from a document. `vaccine` is the
    -- code or brand name as typed; `id` is also its record id.
    CREATE TABLE vaccinations_recorded (
        id         TEXT PRIMARY KEY,
        person_id  TEXT NOT NULL REFERENCES people(id),
        vaccine    TEXT NOT NULL,
        given_on   TEXT NOT NULL,
        lot        TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX vaccinations_recorded_by_person ON vaccinations_recorded(person_id, given_on);

    -- The latest decision per prevention suggestion (planned, done, dismissed) as
    -- JSON; `id` is also its record id.
    CREATE TABLE prevention_decisions (
        id            TEXT NOT NULL UNIQUE,
        person_id     TEXT NOT NULL REFERENCES people(id),
        suggestion_id TEXT NOT NULL,
        decision      TEXT NOT NULL,
        decided_at    TEXT NOT NULL,
        PRIMARY KEY (person_id, suggestion_id)
    );
    "#,
    // 3: the blood group typed by the user.
    r#"
    -- One row per person; `value` (`A+` … `O-`) is NULL once cleared. `id` is also
    -- its record id, kept across set and clear so that both write one record.
    CREATE TABLE blood_groups (
        person_id  TEXT PRIMARY KEY REFERENCES people(id),
        id         TEXT NOT NULL UNIQUE,
        value      TEXT,
        updated_at TEXT NOT NULL
    );
    "#,
];

/// Opens the database at `path` with `key`, checks that the key fits, and applies
/// pending migrations. Creates the file when `create` is set.
pub fn open(path: &Path, key: &SecretKey, create: bool) -> Result<Connection, VaultError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(false)
    {
        // SQLite would take an empty file for a new database and hand back an empty
        // vault, hiding the loss of every record.
        return Err(VaultError::DamagedDatabase {
            path: path.to_path_buf(),
            reason: "the file is empty".into(),
        });
    } else if !path.exists() {
        return Err(VaultError::DamagedDatabase {
            path: path.to_path_buf(),
            reason: "the file is missing".into(),
        });
    }
    let conn = Connection::open_with_flags(path, flags)?;

    let pragma = Zeroizing::new(format!(
        "PRAGMA key = \"x'{}'\";",
        hex::encode(key.expose())
    ));
    conn.execute_batch(&pragma)?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;

    // The first read is where a wrong key or a foreign file shows up.
    let check: Result<i64, _> =
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0));
    if let Err(e) = check {
        return Err(VaultError::DamagedDatabase {
            path: path.to_path_buf(),
            reason: e.to_string(),
        });
    }

    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )?;
    migrate(&conn, path, create)?;
    Ok(conn)
}

fn migrate(conn: &Connection, path: &Path, create: bool) -> Result<(), VaultError> {
    let applied: usize =
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if applied == 0 && !create {
        return Err(VaultError::DamagedDatabase {
            path: path.to_path_buf(),
            reason: "the database holds no Carnet tables".into(),
        });
    }
    if applied > MIGRATIONS.len() {
        return Err(VaultError::NewerFormat {
            path: path.to_path_buf(),
            version: applied as u32,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", index + 1))?;
        tx.commit()?;
    }
    Ok(())
}

/// Runs SQLite's integrity check and returns its findings (empty when sound).
pub fn integrity_problems(conn: &Connection) -> Result<Vec<String>, VaultError> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}
