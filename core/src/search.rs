//! Full-text search over titles and extracted text.
//!
//! The index is an FTS5 table with the `unicode61` tokenizer and
//! `remove_diacritics 2`, so case and French accents are folded on both sides:
//! `hemoglobine` finds "Hémoglobine". Each word of the query must match (AND), as a
//! prefix, so that "vacc" finds "vaccination". Results are ranked by BM25 with the
//! title weighted ten times the body.

use rusqlite::params;
use serde::Serialize;

use crate::documents::{DOCUMENT_COLUMNS, DocumentSummary};
use crate::error::VaultError;
use crate::vault::Vault;

/// Marks the start of a match in a snippet (a private-use character, so it never
/// collides with document text and the UI can style it without parsing HTML).
pub const MATCH_START: char = '\u{E000}';
/// Marks the end of a match in a snippet.
pub const MATCH_END: char = '\u{E001}';

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub document: DocumentSummary,
    /// Context around the matches, with [`MATCH_START`]/[`MATCH_END`] markers.
    pub snippet: String,
    /// BM25 score; lower is better, as SQLite reports it.
    pub score: f64,
}

/// Spells out the ligatures œ and æ ("cœur" → "coeur"), which unicode61 does not
/// fold, so that a query typed without them still matches. Applied to indexed text
/// and to queries alike; snippets therefore show the spelled-out form.
pub fn fold_ligatures(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['œ', 'Œ', 'æ', 'Æ']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            other => out.push(other),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Turns free text into an FTS5 query: each word quoted (so FTS5 operators typed by
/// the user are plain words) and made a prefix.
pub fn to_fts_query(query: &str) -> Option<String> {
    let folded = fold_ligatures(query);
    let terms: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

impl Vault {
    /// Searches every document, optionally for one person, best match first.
    pub fn search(
        &self,
        query: &str,
        person_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SearchHit>, VaultError> {
        let Some(fts_query) = to_fts_query(query) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT {DOCUMENT_COLUMNS},
                    snippet(documents_fts, 2, char(57344), char(57345), '…', 16),
                    snippet(documents_fts, 1, char(57344), char(57345), '…', 16),
                    bm25(documents_fts, 0.0, 10.0, 1.0) AS score
             FROM documents_fts JOIN documents d ON d.id = documents_fts.document_id
             WHERE documents_fts MATCH ?1 AND (?2 IS NULL OR d.person_id = ?2)
             ORDER BY score LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let hits = stmt
            .query_map(params![fts_query, person_id, limit as i64], |row| {
                let body: String = row.get(14)?;
                let title: String = row.get(15)?;
                let snippet = if body.contains(MATCH_START) {
                    body
                } else {
                    title
                };
                Ok(SearchHit {
                    document: DocumentSummary::from_row(row)?,
                    snippet,
                    score: row.get(16)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_words_are_quoted_prefixes() {
        assert_eq!(
            to_fts_query("hémoglobine glyquée").unwrap(),
            "\"hémoglobine\"* \"glyquée\"*"
        );
        assert_eq!(
            to_fts_query("NEAR(a b) OR \"x").unwrap(),
            "\"NEAR\"* \"a\"* \"b\"* \"OR\"* \"x\"*"
        );
        assert_eq!(to_fts_query("  ;; "), None);
        assert_eq!(to_fts_query("cœur").unwrap(), "\"coeur\"*");
    }
}
