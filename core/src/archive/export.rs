//! Writing the export archive.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use tracing::warn;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{
    AGENDA_DIR, BUNDLE_PATH, FORMAT, MANIFEST_PATH, Manifest, ManifestFile, PREVENTION_DIR,
    SkipReason, SkippedDocument, VERSION, fhir, safe_component,
};
use crate::documents::{DocumentFilter, DocumentSummary};
use crate::error::VaultError;
use crate::vault::Vault;

/// Counts of an export.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    pub people: usize,
    /// Documents written to the archive.
    pub documents: usize,
    /// Bytes of the originals written.
    pub bytes: u64,
    /// Documents left out because their content is missing or damaged; the
    /// manifest lists them too.
    pub skipped: Vec<SkippedDocument>,
    /// The export stopped at the cancellation flag and wrote no archive.
    pub cancelled: bool,
}

/// Progress of an export, reported before the first document and after each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ExportProgress {
    /// Documents written or skipped so far.
    pub done: usize,
    pub total: usize,
    /// Sum of the sizes of the documents done so far, in bytes.
    pub bytes_done: u64,
    /// Sum of the sizes of every document, in bytes.
    pub bytes_total: u64,
}

/// Scratch state of one export: the counts and the caller's callbacks.
struct Run<'a> {
    cancel: &'a AtomicBool,
    progress: &'a mut dyn FnMut(ExportProgress),
    state: ExportProgress,
}

/// A writer that hashes what passes through it.
struct Hashing<'a, W: Write> {
    inner: &'a mut W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Vault {
    /// Writes the whole vault to a new archive at `out`, with no progress report
    /// and no cancellation. See [`Vault::export_archive_with`].
    pub fn export_archive(&mut self, out: &Path) -> Result<ExportSummary, VaultError> {
        self.export_archive_with(out, &AtomicBool::new(false), &mut |_| {})
    }

    /// Writes the whole vault to a new archive at `out`, calling `progress` before
    /// the first document and after each one. The archive is written to a temporary
    /// name and renamed, so a failed or cancelled export leaves no file behind.
    ///
    /// A document whose content is missing or damaged is left out and listed in
    /// [`ExportSummary::skipped`] and in the manifest; the export goes on. When
    /// `cancel` is set, the export stops before the next document (or, once every
    /// document is done, before the agendas and the bundle), removes its temporary
    /// file and returns a summary with `cancelled` set.
    pub fn export_archive_with(
        &mut self,
        out: &Path,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(ExportProgress),
    ) -> Result<ExportSummary, VaultError> {
        if out.exists() {
            return Err(VaultError::Archive {
                path: out.to_path_buf(),
                reason: "the file already exists; choose another name".into(),
            });
        }
        let tmp = out.with_extension("carnet-export.tmp");
        let file = File::create(&tmp).map_err(|e| VaultError::io(&tmp, e))?;
        let mut run = Run {
            cancel,
            progress,
            state: ExportProgress {
                done: 0,
                total: 0,
                bytes_done: 0,
                bytes_total: 0,
            },
        };
        let result = self.write_archive(BufWriter::new(file), out, &mut run);
        let summary = match result {
            Ok(summary) if !summary.cancelled => summary,
            Ok(cancelled) => {
                let _ = fs::remove_file(&tmp);
                self.journal("export.cancel", "", "")?;
                return Ok(cancelled);
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        };
        if let Err(e) = fs::rename(&tmp, out) {
            let _ = fs::remove_file(&tmp);
            return Err(VaultError::io(out, e));
        }
        let skipped: Vec<&str> = summary.skipped.iter().map(|s| s.id.as_str()).collect();
        self.journal(
            "export",
            "",
            &format!(
                "people={} documents={} skipped={}",
                summary.people,
                summary.documents,
                skipped.join(",")
            ),
        )?;
        Ok(summary)
    }

    fn write_archive(
        &mut self,
        file: BufWriter<File>,
        out: &Path,
        run: &mut Run<'_>,
    ) -> Result<ExportSummary, VaultError> {
        let io_error = |e: std::io::Error| VaultError::io(out, e);
        let mut zip = ZipWriter::new(file);
        let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);

        let people = self.people()?;
        let (_, documents) = self.documents(&DocumentFilter::default(), 0, usize::MAX >> 1)?;
        let mut entries = Vec::new();
        let mut files = Vec::new();
        let mut bytes = 0u64;

        for person in &people {
            entries.push(json!({ "fullUrl": format!("urn:uuid:{}", person.id), "resource": fhir::patient(person) }));
            if let Some((id, Some(group))) = self.stored_blood_group(&person.id)? {
                entries.push(json!({
                    "fullUrl": format!("urn:uuid:{id}"),
                    "resource": fhir::blood_group_observation(&id, person, group),
                }));
            }
            for vaccination in self.recorded_vaccinations(&person.id)? {
                entries.push(json!({
                    "fullUrl": format!("urn:uuid:{}", vaccination.id),
                    "resource": fhir::recorded_immunization(&vaccination, &person.id),
                }));
            }
        }
        run.state.total = documents.len();
        run.state.bytes_total = documents.iter().map(|d| d.size).sum();
        (run.progress)(run.state);
        let mut skipped = Vec::new();
        let mut written = 0;
        let cancelled = || ExportSummary {
            cancelled: true,
            ..ExportSummary::default()
        };
        for document in &documents {
            if run.cancel.load(Ordering::SeqCst) {
                return Ok(cancelled());
            }
            match self.write_original(&mut zip, document, out)? {
                Ok((path, sha256, size)) => {
                    bytes += size;
                    written += 1;
                    entries.push(json!({
                        "fullUrl": format!("urn:uuid:{}", document.id),
                        "resource": fhir::document_reference(document, &sha256, &path),
                    }));
                    files.push(ManifestFile { path, sha256, size });
                }
                Err(skip) => {
                    warn!(document_id = %document.id, reason = ?skip.reason, "document left out of the export");
                    skipped.push(skip);
                }
            }
            run.state.done += 1;
            run.state.bytes_done += document.size;
            (run.progress)(run.state);
        }
        if run.cancel.load(Ordering::SeqCst) {
            return Ok(cancelled());
        }

        // Each person's agenda as iCalendar, the open format every calendar reads.
        for person in &people {
            if self.stored_events(Some(&person.id))?.is_empty() {
                continue;
            }
            let calendar = self.export_ics(Some(&person.id))?;
            let path = format!("{AGENDA_DIR}/{}.ics", person.id);
            zip.start_file(path.as_str(), deflated)
                .map_err(|e| zip_error(out, e))?;
            zip.write_all(calendar.as_bytes()).map_err(io_error)?;
            files.push(ManifestFile {
                path,
                sha256: hex::encode(Sha256::digest(calendar.as_bytes())),
                size: calendar.len() as u64,
            });
        }

        // Decisions on the prevention suggestions, which no open format describes.
        for person in &people {
            let decisions = self.suggestion_decisions(&person.id)?;
            if decisions.is_empty() {
                continue;
            }
            let bytes = serde_json::to_vec_pretty(&decisions).expect("decisions always serialise");
            let path = format!("{PREVENTION_DIR}/{}.json", person.id);
            zip.start_file(path.as_str(), deflated)
                .map_err(|e| zip_error(out, e))?;
            zip.write_all(&bytes).map_err(io_error)?;
            files.push(ManifestFile {
                path,
                sha256: hex::encode(Sha256::digest(&bytes)),
                size: bytes.len() as u64,
            });
        }

        let bundle = json!({
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": chrono::Utc::now().to_rfc3339(),
            "entry": entries,
        });
        let bundle_bytes = serde_json::to_vec_pretty(&bundle).expect("a bundle always serialises");
        zip.start_file(BUNDLE_PATH, deflated)
            .map_err(|e| zip_error(out, e))?;
        zip.write_all(&bundle_bytes).map_err(io_error)?;
        files.push(ManifestFile {
            path: BUNDLE_PATH.into(),
            sha256: hex::encode(Sha256::digest(&bundle_bytes)),
            size: bundle_bytes.len() as u64,
        });

        let manifest = Manifest {
            format: FORMAT.into(),
            version: VERSION,
            created_at: chrono::Utc::now().to_rfc3339(),
            generator: format!("Carnet {}", env!("CARGO_PKG_VERSION")),
            people: people.len(),
            documents: written,
            files,
            skipped: skipped.clone(),
        };
        zip.start_file(MANIFEST_PATH, deflated)
            .map_err(|e| zip_error(out, e))?;
        zip.write_all(&serde_json::to_vec_pretty(&manifest).expect("a manifest always serialises"))
            .map_err(io_error)?;

        let mut inner = zip.finish().map_err(|e| zip_error(out, e))?;
        inner.flush().map_err(io_error)?;
        inner.get_ref().sync_all().map_err(io_error)?;
        Ok(ExportSummary {
            people: people.len(),
            documents: written,
            bytes,
            skipped,
            cancelled: false,
        })
    }

    /// Copies one document's original into the archive and returns its path, its
    /// SHA-256 and its size. When its content is missing or damaged, it removes the
    /// partial entry and returns the skip instead. Other failures, such as a write
    /// error on the archive or a database error, end the export.
    fn write_original(
        &mut self,
        zip: &mut ZipWriter<BufWriter<File>>,
        document: &DocumentSummary,
        out: &Path,
    ) -> Result<Result<(String, String, u64), SkippedDocument>, VaultError> {
        let skip = |reason: SkipReason, detail: String| SkippedDocument {
            id: document.id.clone(),
            reason,
            detail,
        };
        let chunks = self.chunk_names(&document.id, "original")?;
        if chunks.is_empty() && document.size > 0 {
            return Ok(Err(skip(SkipReason::Missing, "no stored content".into())));
        }
        if let Some(absent) = chunks.iter().find(|name| !self.chunks.contains(name)) {
            return Ok(Err(skip(
                SkipReason::Missing,
                format!("chunk {absent} is missing"),
            )));
        }

        let path = format!(
            "files/{}/{}",
            document.id,
            safe_component(&document.original_name)
        );
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .large_file(true);
        zip.start_file(path.as_str(), options)
            .map_err(|e| zip_error(out, e))?;
        let mut hashing = Hashing {
            inner: &mut *zip,
            hasher: Sha256::new(),
            size: 0,
        };
        let read = self.read_role(&document.id, "original", &mut hashing);
        let sha256 = hex::encode(hashing.hasher.finalize_reset());
        let size = hashing.size;
        let problem = match read {
            Ok(_) if size == document.size => None,
            Ok(_) => Some(format!(
                "the stored content has {size} bytes instead of {}",
                document.size
            )),
            Err(VaultError::DamagedContent { reason, .. }) => Some(reason),
            Err(other) => return Err(other),
        };
        match problem {
            None => Ok(Ok((path, sha256, size))),
            Some(detail) => {
                // NOTE: the chunks copied before the damaged one stay in the file as
                // unreferenced bytes. zip 2.6 writes the central directory after
                // them, so the archive stays valid, but it is that much larger.
                zip.abort_file().map_err(|e| zip_error(out, e))?;
                Ok(Err(skip(SkipReason::Damaged, detail)))
            }
        }
    }
}

fn zip_error(out: &Path, error: zip::result::ZipError) -> VaultError {
    VaultError::Archive {
        path: out.to_path_buf(),
        reason: error.to_string(),
    }
}
