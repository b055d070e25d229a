//! Documents: their metadata, listing, editing and deletion.

use chrono::NaiveDate;
use rusqlite::{Row, params, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Category;
use crate::error::VaultError;
use crate::records::{self, kind};
use crate::unicode::is_hidden_control;
use crate::vault::Vault;

/// Whether and how a document's text could be read for search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    /// Text was extracted and is searchable.
    Extracted,
    /// A PDF with no text layer (a scan): only its title is searchable.
    ImageOnly,
    /// A password-protected PDF: stored as is, text unread.
    Encrypted,
    /// An image: no text.
    Image,
    /// Too large to extract text from within the memory bound.
    TooLarge,
    /// The extractor failed on this file; it is stored as is.
    Unreadable,
    /// A format with no text to extract.
    None,
}

impl TextStatus {
    pub fn code(self) -> &'static str {
        match self {
            TextStatus::Extracted => "extracted",
            TextStatus::ImageOnly => "image_only",
            TextStatus::Encrypted => "encrypted",
            TextStatus::Image => "image",
            TextStatus::TooLarge => "too_large",
            TextStatus::Unreadable => "unreadable",
            TextStatus::None => "none",
        }
    }

    pub fn parse(code: &str) -> TextStatus {
        match code {
            "extracted" => TextStatus::Extracted,
            "image_only" => TextStatus::ImageOnly,
            "encrypted" => TextStatus::Encrypted,
            "image" => TextStatus::Image,
            "too_large" => TextStatus::TooLarge,
            "unreadable" => TextStatus::Unreadable,
            _ => TextStatus::None,
        }
    }
}

/// A document as listed.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    pub id: String,
    pub person_id: String,
    pub title: String,
    pub category: Category,
    pub date: Option<NaiveDate>,
    pub source: String,
    pub original_name: String,
    pub media_type: String,
    /// Content format detected at import: `pdf`, `jpeg`, `cda`, `fhir`, `text`…
    pub format: String,
    pub size: u64,
    pub text_status: TextStatus,
    pub pages: Option<u32>,
    pub imported_at: String,
    /// Format-specific metadata (provenance, DMP codes, authors), as imported.
    pub details: serde_json::Value,
}

pub(crate) const DOCUMENT_COLUMNS: &str = "d.id, d.person_id, d.title, d.category, d.doc_date, d.source, \
     d.original_name, d.media_type, d.format, d.size, d.text_status, d.pages, d.imported_at, d.details";

impl DocumentSummary {
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<DocumentSummary> {
        let category: String = row.get(3)?;
        let date: Option<String> = row.get(4)?;
        let status: String = row.get(10)?;
        let details: String = row.get(13)?;
        Ok(DocumentSummary {
            id: row.get(0)?,
            person_id: row.get(1)?,
            title: row.get(2)?,
            category: Category::parse(&category).unwrap_or(Category::Autres),
            date: date.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            source: row.get(5)?,
            original_name: row.get(6)?,
            media_type: row.get(7)?,
            format: row.get(8)?,
            size: row.get::<_, i64>(9)? as u64,
            text_status: TextStatus::parse(&status),
            pages: row.get(11)?,
            imported_at: row.get(12)?,
            details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
        })
    }
}

/// Filters for [`Vault::documents`]; `None` means any.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DocumentFilter {
    pub person_id: Option<String>,
    pub category: Option<Category>,
    pub source: Option<String>,
    pub year: Option<i32>,
}

/// Changes to a document's metadata; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DocumentEdit {
    pub title: Option<String>,
    pub category: Option<Category>,
    pub date: Option<NaiveDate>,
}

impl Vault {
    /// Lists documents, newest first (undated last), one page at a time.
    pub fn documents(
        &self,
        filter: &DocumentFilter,
        offset: usize,
        limit: usize,
    ) -> Result<(usize, Vec<DocumentSummary>), VaultError> {
        let mut clauses = Vec::new();
        let mut values: Vec<String> = Vec::new();
        if let Some(person) = &filter.person_id {
            values.push(person.clone());
            clauses.push(format!("d.person_id = ?{}", values.len()));
        }
        if let Some(category) = filter.category {
            values.push(category.code().to_string());
            clauses.push(format!("d.category = ?{}", values.len()));
        }
        if let Some(source) = &filter.source {
            values.push(source.clone());
            clauses.push(format!("d.source = ?{}", values.len()));
        }
        if let Some(year) = filter.year {
            values.push(format!("{year:04}"));
            clauses.push(format!("substr(d.doc_date, 1, 4) = ?{}", values.len()));
        }
        let where_clause = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };

        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM documents d {where_clause}"),
            params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents d {where_clause}
             ORDER BY d.doc_date IS NULL, d.doc_date DESC, d.imported_at DESC LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let items = stmt
            .query_map(params_from_iter(values.iter()), DocumentSummary::from_row)?
            .collect::<Result<_, _>>()?;
        Ok((total as usize, items))
    }

    /// One document by id or by a unique id suffix of at least 6 characters. Ids are
    /// UUIDv7, whose first digits are a timestamp shared by documents imported
    /// together, so the CLI shows and accepts the last 8 digits.
    pub fn document(&self, id: &str) -> Result<DocumentSummary, VaultError> {
        let not_found = || VaultError::DocumentNotFound { id: id.to_string() };
        if id.len() < 6 {
            return Err(not_found());
        }
        let sql = format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE d.id = ?1 OR d.id LIKE ?2 LIMIT 2"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let pattern = format!("%{}", id.replace(['%', '_'], ""));
        let found: Vec<DocumentSummary> = stmt
            .query_map(params![id, pattern], DocumentSummary::from_row)?
            .collect::<Result<_, _>>()?;
        match found.as_slice() {
            [one] => Ok(one.clone()),
            [first, ..] if first.id == id => Ok(first.clone()),
            _ => Err(not_found()),
        }
    }

    /// Changes a document's title, category or date.
    pub fn edit_document(
        &mut self,
        id: &str,
        edit: &DocumentEdit,
    ) -> Result<DocumentSummary, VaultError> {
        let document = self.document(id)?;
        let person = self.person(&document.person_id)?;
        let mut changes = Vec::new();
        if let Some(title) = &edit.title {
            let title = title.trim();
            if title.is_empty()
                || title.chars().count() > 300
                || title.chars().any(is_hidden_control)
            {
                return Err(VaultError::InvalidInput {
                    field: "title",
                    value: title.escape_default().to_string(),
                    reason: "a title has 1 to 300 characters and no control or text-direction override characters".into(),
                });
            }
            changes.push(("title", json!(title)));
        }
        if let Some(category) = edit.category {
            changes.push(("category", json!(category.code())));
        }
        if let Some(date) = edit.date {
            changes.push(("date", json!(date.format("%Y-%m-%d").to_string())));
        }
        if changes.is_empty() {
            return Ok(document);
        }

        let stamp = self.stamp()?;
        let space_key = self.space_key(&person.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        for (field, value) in &changes {
            let column = match *field {
                "title" => "title",
                "category" => "category",
                _ => "doc_date",
            };
            tx.execute(
                &format!("UPDATE documents SET {column} = ?2 WHERE id = ?1"),
                params![document.id, value.as_str()],
            )?;
        }
        if let Some(title) = &edit.title {
            tx.execute(
                "UPDATE documents_fts SET title = ?2 WHERE document_id = ?1",
                params![document.id, crate::search::fold_ligatures(title.trim())],
            )?;
        }
        records::write(
            &tx,
            &person.space_id,
            &space_key,
            &document.id,
            kind::DOCUMENT,
            &changes,
            &stamp,
        )?;
        tx.commit()?;
        let fields: Vec<&str> = changes.iter().map(|(f, _)| *f).collect();
        self.journal("document.edit", &document.id, &fields.join(","))?;
        self.document(&document.id)
    }

    /// Deletes a document: its metadata, index rows and chunks go, and its record
    /// becomes a tombstone so that the deletion can propagate.
    pub fn delete_document(&mut self, id: &str) -> Result<(), VaultError> {
        let document = self.document(id)?;
        let person = self.person(&document.person_id)?;
        let stamp = self.stamp()?;
        let space_key = self.space_key(&person.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "DELETE FROM documents_fts WHERE document_id = ?1",
            [&document.id],
        )?;
        crate::profile::unlink_document(&tx, &person, &space_key, &document.id, &stamp)?;
        tx.execute("DELETE FROM blobs WHERE document_id = ?1", [&document.id])?;
        tx.execute("DELETE FROM documents WHERE id = ?1", [&document.id])?;
        records::delete(
            &tx,
            &person.space_id,
            &space_key,
            &document.id,
            kind::DOCUMENT,
            &stamp,
        )?;
        tx.commit()?;
        self.journal("document.delete", &document.id, "")?;
        self.collect_garbage()?;
        Ok(())
    }
}
