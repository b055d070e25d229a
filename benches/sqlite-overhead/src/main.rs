//! One run of the record workload; prints `name seconds` lines.
//!
//! The workload mirrors Carnet's `documents` table and FTS5 index: 10,000 document
//! rows with about 4 KiB of extracted text each, inserted one transaction per
//! document (as imports commit), then listing a page of 50 newest documents 200
//! times, then 200 full-text queries over the corpus of `benches/corpus.rs`. With `cipher`, the database is keyed with a raw
//! 256-bit key as Carnet does; WAL, `synchronous = FULL` and a 32 MiB page cache
//! in both builds, as Carnet opens its database.

use std::time::Instant;

use rusqlite::{Connection, params};

include!("../../corpus.rs");

fn main() {
    let documents: usize = std::env::args().nth(1).and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("bench.db")).unwrap();
    if cfg!(feature = "cipher") {
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", "42".repeat(32))).unwrap();
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -32768;
         CREATE TABLE documents (id TEXT PRIMARY KEY, person_id TEXT NOT NULL, title TEXT NOT NULL,
             category TEXT NOT NULL, doc_date TEXT, details TEXT NOT NULL);
         CREATE INDEX documents_by_date ON documents(person_id, doc_date DESC);
         CREATE VIRTUAL TABLE documents_fts USING fts5(document_id UNINDEXED, title, body,
             tokenize = \"unicode61 remove_diacritics 2\");",
    )
    .unwrap();

    let mut corpus = Corpus::new(7);
    let started = Instant::now();
    for i in 0..documents {
        let text = corpus.document(4096);
        let id = format!("{i:08}");
        let date = format!("20{:02}-{:02}-{:02}", i % 25, i % 12 + 1, i % 28 + 1);
        let tx = conn.unchecked_transaction().unwrap();
        tx.execute(
            "INSERT INTO documents VALUES (?1, 'p1', ?2, 'BIOLOGIE', ?3, '{}')",
            params![id, format!("Compte rendu {i}"), date],
        )
        .unwrap();
        tx.execute("INSERT INTO documents_fts VALUES (?1, ?2, ?3)", params![id, format!("Compte rendu {i}"), text])
            .unwrap();
        tx.commit().unwrap();
    }
    println!("insert {:.4}", started.elapsed().as_secs_f64());

    let started = Instant::now();
    for page in 0..200 {
        let mut stmt = conn
            .prepare_cached("SELECT id, title, category, doc_date FROM documents WHERE person_id = 'p1' ORDER BY doc_date DESC LIMIT 50 OFFSET ?1")
            .unwrap();
        let rows: Vec<String> = stmt.query_map([(page * 50 % documents) as i64], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        std::hint::black_box(rows);
    }
    println!("list_page {:.4}", started.elapsed().as_secs_f64());

    let queries = ["\"hémoglobine\"* \"glyquée\"*", "\"vaccination\"* \"rappel\"*", "\"echographie\"*", "\"créat\"*", "\"amoxicilline\"* \"otite\"*"];
    let started = Instant::now();
    for round in 0..200 {
        let mut stmt = conn
            .prepare_cached(
                "SELECT d.id, snippet(documents_fts, 2, '[', ']', '…', 16), bm25(documents_fts, 0.0, 10.0, 1.0) AS s
                 FROM documents_fts JOIN documents d ON d.id = documents_fts.document_id
                 WHERE documents_fts MATCH ?1 ORDER BY s LIMIT 20",
            )
            .unwrap();
        let rows: Vec<String> =
            stmt.query_map([queries[round % queries.len()]], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        std::hint::black_box(rows);
    }
    println!("fts_query {:.4}", started.elapsed().as_secs_f64());
}
