//! Importing files into the vault: one entry point, one analyser per format.
//!
//! [`Vault::import_paths`] walks files and folders and imports each file on its own,
//! so one bad file never stops the others and never leaves anything half-written:
//!
//! 1. hash the bytes and stop if the person already has this exact file;
//! 2. identify the format from the content ([`carnet_extract::sniff`]), never the
//!    extension, and run that format's analyser (`pdf`, `image`, `text`, `email`,
//!    `clinical`…). The analyser returns the text to index, a thumbnail, a
//!    suggested title, date and category, or the reason the file is rejected. A
//!    clinical document whose patient is someone else is rejected here unless the
//!    import is forced;
//! 3. seal the original (streamed again from disk, so memory stays flat for any
//!    size), the thumbnail and any rendering into chunks, and sync them;
//! 4. commit the document row, its chunk list, its search entry, its record and its
//!    medical-profile entries in one transaction, then append to the journal.
//!
//! A crash before step 4 commits leaves only unreferenced chunks, removed at the next
//! unlock; after it, the document is whole.

mod analyze;
mod clinical;
mod email;
mod image;
mod pdf;
mod text;
mod walk;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use thiserror::Error;
use tracing::{debug, warn};

use crate::Category;
use crate::crypto::{Context, SecretKey};
use crate::error::VaultError;
use crate::i18n::Message;
use crate::people::Person;
use crate::records::{self, kind};
use crate::unicode::is_hidden_control;
use crate::vault::Vault;

pub use analyze::Analysis;

/// Files larger than this are stored without text extraction or thumbnail, so that
/// analysis never keeps more than this in memory.
pub const ANALYZE_LIMIT: u64 = 64 * 1024 * 1024;

/// Reason one file was not imported. Each variant names the problem, never the content.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Unreadable(#[source] std::io::Error),
    #[error("the file is empty")]
    Empty,
    #[error("invalid {format}: {reason}")]
    Malformed {
        format: &'static str,
        reason: String,
    },
    #[error("the file changed while it was being imported")]
    Changed,
    #[error("unsupported {format}: {reason}")]
    Unsupported {
        format: &'static str,
        reason: String,
    },
    /// The document's patient is not the person it is imported into. The names and
    /// birth date the document gives go to the user's message only, never to logs.
    #[error("the document's patient is not the person it is imported into")]
    PatientMismatch { names: String, birth_date: String },
}

impl ImportError {
    /// Returns the i18n message for this problem.
    pub fn message(&self) -> Message {
        match self {
            ImportError::Unreadable(e) => Message::new("import.unreadable").with("reason", e),
            ImportError::Empty => Message::new("import.empty"),
            ImportError::Malformed { format, reason } => Message::new("import.malformed")
                .with("format", format)
                .with("reason", reason),
            ImportError::Changed => Message::new("import.changed"),
            ImportError::Unsupported { format, reason } => Message::new("import.unsupported")
                .with("format", format)
                .with("reason", reason),
            ImportError::PatientMismatch { names, birth_date } => {
                Message::new("import.patient_mismatch")
                    .with("names", names)
                    .with("birth_date", birth_date)
            }
        }
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The person whose record receives the documents.
    pub person_id: String,
    /// Provenance recorded on each document: `import`, `email`, `restore`, `dmp`.
    pub source: String,
    /// Files a clinical document whose patient is someone else instead of rejecting
    /// it; the journal row then records `patient_mismatch_forced`.
    pub force: bool,
}

/// Result of importing one file.
#[derive(Debug, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Imported {
        document_id: String,
        title: String,
        category: Category,
        /// Medical-profile entries the document carried (CDA, FHIR), new or known.
        #[serde(skip_serializing_if = "is_zero")]
        profile_entries: usize,
        /// FHIR resources Carnet does not model, per `resourceType`.
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        unmodelled: BTreeMap<String, usize>,
    },
    Duplicate {
        document_id: String,
    },
    Rejected {
        message: Message,
        #[serde(skip)]
        reason: String,
    },
    /// A container (an e-mail) whose parts were imported one by one.
    Container {
        parts: Vec<FileReport>,
    },
}

/// One file's outcome, with the path as the user gave it.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Totals over an import.
#[derive(Debug, Default, Serialize)]
pub struct ImportSummary {
    pub imported: usize,
    pub duplicates: usize,
    pub rejected: usize,
    pub cancelled: bool,
    /// Medical-profile entries read from the imported documents.
    pub profile_entries: usize,
    /// FHIR resources not modelled by Carnet, per `resourceType`, over all files.
    pub unmodelled: BTreeMap<String, usize>,
    pub files: Vec<FileReport>,
}

impl ImportSummary {
    fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Imported {
                profile_entries,
                unmodelled,
                ..
            } => {
                self.imported += 1;
                self.profile_entries += profile_entries;
                for (resource_type, count) in unmodelled {
                    *self.unmodelled.entry(resource_type.clone()).or_insert(0) += count;
                }
            }
            Outcome::Duplicate { .. } => self.duplicates += 1,
            Outcome::Rejected { .. } => self.rejected += 1,
            Outcome::Container { parts } => parts.iter().for_each(|p| self.count(&p.outcome)),
        }
    }
}

/// Progress of a running import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
    pub file: String,
}

/// Metadata that overrides what analysis finds, for restores and DMP fetches.
#[derive(Debug, Clone, Default)]
pub struct KnownMetadata {
    pub document_id: Option<String>,
    pub title: Option<String>,
    pub category: Option<Category>,
    pub date: Option<NaiveDate>,
    pub details: Option<serde_json::Value>,
}

/// Bytes to import and where they came from.
pub(crate) enum Incoming<'a> {
    File(&'a Path),
    /// A file whose original name differs from its path (a staged restore).
    NamedFile {
        path: &'a Path,
        name: &'a str,
    },
    Bytes {
        name: String,
        bytes: &'a [u8],
    },
}

impl Incoming<'_> {
    fn name(&self) -> String {
        match self {
            Incoming::File(path) => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Incoming::NamedFile { name, .. } => name.to_string(),
            Incoming::Bytes { name, .. } => name.clone(),
        }
    }

    fn size(&self) -> Result<u64, ImportError> {
        match self {
            Incoming::File(path) | Incoming::NamedFile { path, .. } => Ok(std::fs::metadata(path)
                .map_err(ImportError::Unreadable)?
                .len()),
            Incoming::Bytes { bytes, .. } => Ok(bytes.len() as u64),
        }
    }

    fn open(&self) -> Result<Box<dyn Read + '_>, ImportError> {
        match self {
            Incoming::File(path) | Incoming::NamedFile { path, .. } => {
                Ok(Box::new(File::open(path).map_err(ImportError::Unreadable)?))
            }
            Incoming::Bytes { bytes, .. } => Ok(Box::new(Cursor::new(*bytes))),
        }
    }
}

impl Vault {
    /// Imports files and folders (recursively) into one person's record.
    /// `progress` is called before each file; setting `cancel` stops between files.
    pub fn import_paths(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<ImportSummary, VaultError> {
        let person = self.person(&options.person_id)?;
        let (files, unreadable) = walk::collect_files(paths);
        let mut summary = ImportSummary::default();
        for (path, error) in unreadable {
            let outcome = rejected(ImportError::Unreadable(error));
            summary.count(&outcome);
            summary.files.push(FileReport {
                path: path.display().to_string(),
                outcome,
            });
        }

        let total = files.len();
        for (done, path) in files.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                summary.cancelled = true;
                break;
            }
            progress(&ImportProgress {
                done,
                total,
                file: path.display().to_string(),
            });
            let outcome = self.import_one(
                &person,
                Incoming::File(path),
                options,
                &KnownMetadata::default(),
            )?;
            summary.count(&outcome);
            summary.files.push(FileReport {
                path: path.display().to_string(),
                outcome,
            });
        }
        if !summary.cancelled {
            progress(&ImportProgress {
                done: total,
                total,
                file: String::new(),
            });
        }
        self.journal(
            "import",
            &person.id,
            &format!(
                "imported={} duplicates={} rejected={}",
                summary.imported, summary.duplicates, summary.rejected
            ),
        )?;
        Ok(summary)
    }

    /// Imports in-memory bytes as one document (restores, DMP fetches, attachments).
    pub fn import_bytes(
        &mut self,
        name: &str,
        bytes: &[u8],
        options: &ImportOptions,
        known: &KnownMetadata,
    ) -> Result<Outcome, VaultError> {
        let person = self.person(&options.person_id)?;
        self.import_one(
            &person,
            Incoming::Bytes {
                name: name.to_string(),
                bytes,
            },
            options,
            known,
        )
    }

    /// Imports a file stored under a temporary path with its original name.
    pub(crate) fn import_staged(
        &mut self,
        path: &Path,
        name: &str,
        options: &ImportOptions,
        known: &KnownMetadata,
    ) -> Result<Outcome, VaultError> {
        let person = self.person(&options.person_id)?;
        self.import_one(&person, Incoming::NamedFile { path, name }, options, known)
    }

    /// Imports one file. Problems with the file become [`Outcome::Rejected`]; only
    /// failures of the vault itself are errors.
    fn import_one(
        &mut self,
        person: &Person,
        incoming: Incoming<'_>,
        options: &ImportOptions,
        known: &KnownMetadata,
    ) -> Result<Outcome, VaultError> {
        match self.try_import_one(person, &incoming, options, known) {
            Ok(outcome) => Ok(outcome),
            Err(Failure::File(problem)) => {
                debug!(problem = %problem, "file rejected");
                Ok(rejected(problem))
            }
            Err(Failure::Vault(error)) => Err(error),
        }
    }

    fn try_import_one(
        &mut self,
        person: &Person,
        incoming: &Incoming<'_>,
        options: &ImportOptions,
        known: &KnownMetadata,
    ) -> Result<Outcome, Failure> {
        // 1. Read a file small enough to analyse once, into memory; hash it. A larger
        //    file is hashed while it is sealed, in one streaming pass.
        let name = incoming.name();
        let size = incoming.size()?;
        if size == 0 {
            return Err(ImportError::Empty.into());
        }
        let document_id = known
            .document_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        let content_key = SecretKey::generate().map_err(VaultError::from)?;
        let whole = if size <= ANALYZE_LIMIT {
            Some(read_all(&mut *incoming.open()?, size)?)
        } else {
            None
        };
        let (sha256, sealed_original) = match &whole {
            Some(bytes) => (Sha256::digest(bytes).into(), None),
            None => {
                let sealed = self.seal_role(
                    &document_id,
                    "original",
                    &content_key,
                    &mut *incoming.open()?,
                )?;
                (sealed.sha256, Some(sealed))
            }
        };

        // 2. Stop on a duplicate.
        let sha_hex = hex::encode(sha256);
        let existing: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM documents WHERE person_id = ?1 AND content_sha256 = ?2",
                params![person.id, sha_hex],
                |r| r.get(0),
            )
            .optional()
            .map_err(VaultError::from)?;
        if let Some(document_id) = existing {
            if let Some(sealed) = &sealed_original {
                self.discard_role(sealed)?;
            }
            return Ok(Outcome::Duplicate { document_id });
        }

        // 3. Identify and analyse, holding at most ANALYZE_LIMIT bytes.
        let head = match &whole {
            Some(bytes) => bytes[..bytes.len().min(carnet_extract::SNIFF_LEN)].to_vec(),
            None => read_head(&mut *incoming.open()?)?,
        };
        let kind = carnet_extract::sniff(&head);
        let analysis = match &whole {
            Some(bytes) => analyze::analyze(kind, bytes, &name)?,
            None => Analysis::too_large(kind),
        };

        if let Some(parts) = analysis.parts {
            return self
                .import_parts(person, &name, parts, options)
                .map_err(Failure::Vault);
        }
        let patient_mismatch = clinical::check_patient(person, analysis.patient.as_ref());
        let mismatch_forced = match patient_mismatch {
            Some(problem) if !options.force => {
                if let Some(sealed) = &sealed_original {
                    self.discard_role(sealed)?;
                }
                return Err(problem.into());
            }
            Some(_) => true,
            None => false,
        };

        // 4. Seal the original (unless already sealed) and the derived roles.
        let space_key = self.space_key(&person.space_id)?;
        let original = match (sealed_original, &whole) {
            (Some(sealed), _) => sealed,
            (None, Some(bytes)) => self.seal_role(
                &document_id,
                "original",
                &content_key,
                &mut bytes.as_slice(),
            )?,
            (None, None) => unreachable!("a file is either read whole or sealed while streaming"),
        };
        drop(whole);
        let mut roles = vec![original];
        if let Some(thumbnail) = &analysis.thumbnail {
            roles.push(self.seal_role(
                &document_id,
                "thumbnail",
                &content_key,
                &mut thumbnail.as_slice(),
            )?);
        }
        if let Some(html) = &analysis.html {
            roles.push(self.seal_role(&document_id, "html", &content_key, &mut html.as_bytes())?);
        }
        for (index, attachment) in analysis.attachments.iter().enumerate() {
            let role = format!("attachment/{index}");
            roles.push(self.seal_role(
                &document_id,
                &role,
                &content_key,
                &mut attachment.bytes.as_slice(),
            )?);
        }
        self.sync_chunks()?;

        // 4. Commit everything that references the chunks.
        let title = known
            .title
            .clone()
            .or(analysis.title.clone())
            .map(|t| without_controls(&t))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| title_from_name(&name));
        let category = known.category.unwrap_or(analysis.category);
        let date = known.date.or(analysis.date);
        let mut details = analysis.details.clone();
        if let Some(extra) = &known.details {
            merge_json(&mut details, extra);
        }
        if mismatch_forced {
            merge_json(
                &mut details,
                &serde_json::json!({ "patient_mismatch_forced": true }),
            );
        }
        let wrapped_key = space_key
            .wrap(&Context::key_wrap("content", &document_id), &content_key)
            .map_err(VaultError::from)?;
        let date_text = date.map(|d| d.format("%Y-%m-%d").to_string());
        let stamp = self.stamp()?;
        let imported_at = chrono::Utc::now().to_rfc3339();

        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(VaultError::from)?;
        tx.execute(
            "INSERT INTO documents (id, person_id, title, category, doc_date, source, original_name, media_type,
                 format, size, content_sha256, content_key, text_status, pages, details, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                document_id,
                person.id,
                title,
                category.code(),
                date_text,
                options.source,
                name,
                analysis.media_type,
                analysis.format,
                size as i64,
                sha_hex,
                wrapped_key,
                analysis.text_status.code(),
                analysis.pages,
                details.to_string(),
                imported_at,
            ],
        )
        .map_err(VaultError::from)?;
        for role in &roles {
            Vault::insert_blobs(&tx, &document_id, role)?;
        }
        tx.execute(
            "INSERT INTO documents_fts (document_id, title, body) VALUES (?1, ?2, ?3)",
            params![
                document_id,
                crate::search::fold_ligatures(&title),
                crate::search::fold_ligatures(analysis.text.as_deref().unwrap_or(""))
            ],
        )
        .map_err(VaultError::from)?;
        let role_list: Vec<serde_json::Value> = roles
            .iter()
            .map(|r| json!({ "role": r.role, "size": r.size, "chunks": r.chunks.iter().map(|c| c.name.clone()).collect::<Vec<_>>() }))
            .collect();
        records::write(
            &tx,
            &person.space_id,
            &space_key,
            &document_id,
            kind::DOCUMENT,
            &[
                ("person_id", json!(person.id)),
                ("title", json!(title)),
                ("category", json!(category.code())),
                ("date", json!(date_text)),
                ("source", json!(options.source)),
                ("original_name", json!(name)),
                ("media_type", json!(analysis.media_type)),
                ("format", json!(analysis.format)),
                ("sha256", json!(sha_hex)),
                ("content_key", json!(hex::encode(&wrapped_key))),
                ("roles", json!(role_list)),
                ("details", details.clone()),
            ],
            &stamp,
        )?;
        crate::profile::link_entries(
            &tx,
            person,
            &space_key,
            &document_id,
            &analysis.entries,
            &stamp,
        )?;
        tx.commit().map_err(VaultError::from)?;
        let mut detail = format!("format={} size={size}", analysis.format);
        if mismatch_forced {
            detail.push_str(" patient_mismatch_forced");
        }
        self.journal("document.import", &document_id, &detail)?;
        Ok(Outcome::Imported {
            document_id,
            title,
            category,
            profile_entries: analysis.entries.len(),
            unmodelled: analysis.unmodelled.clone(),
        })
    }

    fn import_parts(
        &mut self,
        person: &Person,
        container: &str,
        parts: analyze::Parts,
        options: &ImportOptions,
    ) -> Result<Outcome, VaultError> {
        let mut reports = Vec::new();
        if parts.items.is_empty() {
            warn!("container had no importable part");
        }
        for part in parts.items {
            let known = KnownMetadata {
                details: Some(parts.provenance.clone()),
                date: parts.date,
                ..Default::default()
            };
            let part_options = ImportOptions {
                person_id: options.person_id.clone(),
                source: parts.source.to_string(),
                force: options.force,
            };
            let outcome = self.import_one(
                person,
                Incoming::Bytes {
                    name: part.name.clone(),
                    bytes: &part.bytes,
                },
                &part_options,
                &known,
            )?;
            reports.push(FileReport {
                path: format!("{container} › {}", part.name),
                outcome,
            });
        }
        Ok(Outcome::Container { parts: reports })
    }
}

/// Either a problem with the file (reported, import goes on) or with the vault.
enum Failure {
    File(ImportError),
    Vault(VaultError),
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Self {
        Failure::File(e)
    }
}

impl From<VaultError> for Failure {
    fn from(e: VaultError) -> Self {
        Failure::Vault(e)
    }
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

fn rejected(problem: ImportError) -> Outcome {
    Outcome::Rejected {
        message: problem.message(),
        reason: problem.to_string(),
    }
}

fn read_all(reader: &mut dyn Read, size: u64) -> Result<Vec<u8>, ImportError> {
    let mut bytes = Vec::with_capacity(size as usize);
    reader
        .take(ANALYZE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(ImportError::Unreadable)?;
    if bytes.len() as u64 != size {
        return Err(ImportError::Changed);
    }
    Ok(bytes)
}

fn read_head(reader: &mut dyn Read) -> Result<Vec<u8>, ImportError> {
    let mut head = Vec::with_capacity(carnet_extract::SNIFF_LEN);
    reader
        .take(carnet_extract::SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .map_err(ImportError::Unreadable)?;
    Ok(head)
}

/// Replaces control characters (terminal escapes, line breaks) and text-direction
/// overrides in a title taken from a document with spaces, so that a title is safe to show anywhere.
fn without_controls(text: &str) -> String {
    text.chars()
        .map(|c| if is_hidden_control(c) { ' ' } else { c })
        .collect()
}

/// Builds a readable title from a file name: no extension, separators as spaces.
fn title_from_name(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c == '_' || c == '-' || is_hidden_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if trimmed.is_empty() {
        "Document".to_string()
    } else {
        trimmed.chars().take(200).collect()
    }
}

fn merge_json(target: &mut serde_json::Value, extra: &serde_json::Value) {
    match (target.as_object_mut(), extra.as_object()) {
        (Some(target), Some(extra)) => {
            for (k, v) in extra {
                target.insert(k.clone(), v.clone());
            }
        }
        _ => *target = extra.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_from_name_drops_extension_and_separators() {
        assert_eq!(
            title_from_name("compte_rendu-IRM.2024.pdf"),
            "compte rendu IRM.2024"
        );
        assert_eq!(title_from_name(".pdf"), ".pdf");
        assert_eq!(title_from_name(""), "Document");
        assert_eq!(title_from_name("a\u{1b}[2Jb.txt"), "a [2Jb");
    }
}
