//! Writing the export archive.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{
    AGENDA_DIR, BUNDLE_PATH, FORMAT, MANIFEST_PATH, Manifest, ManifestFile, VERSION, fhir,
    safe_component,
};
use crate::documents::DocumentFilter;
use crate::error::VaultError;
use crate::vault::Vault;

/// Counts of an export.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub people: usize,
    pub documents: usize,
    pub bytes: u64,
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
    /// Writes the whole vault to a new archive at `out`. The archive is written to a
    /// temporary name and renamed, so a failed export leaves no partial file.
    pub fn export_archive(&mut self, out: &Path) -> Result<ExportSummary, VaultError> {
        let archive_error = |reason: String| VaultError::Archive {
            path: out.to_path_buf(),
            reason,
        };
        if out.exists() {
            return Err(archive_error(
                "the file already exists; choose another name".into(),
            ));
        }
        let tmp = out.with_extension("carnet-export.tmp");
        let file = File::create(&tmp).map_err(|e| VaultError::io(&tmp, e))?;
        let result = self.write_archive(BufWriter::new(file), out);
        match result {
            Ok(summary) => {
                fs::rename(&tmp, out).map_err(|e| VaultError::io(out, e))?;
                self.journal(
                    "export",
                    "",
                    &format!("people={} documents={}", summary.people, summary.documents),
                )?;
                Ok(summary)
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    fn write_archive(
        &mut self,
        file: BufWriter<File>,
        out: &Path,
    ) -> Result<ExportSummary, VaultError> {
        let zip_error = |e: zip::result::ZipError| VaultError::Archive {
            path: out.to_path_buf(),
            reason: e.to_string(),
        };
        let io_error = |e: std::io::Error| VaultError::io(out, e);
        let mut zip = ZipWriter::new(file);
        let stored = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .large_file(true);
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
        }
        for document in &documents {
            let path = format!(
                "files/{}/{}",
                document.id,
                safe_component(&document.original_name)
            );
            zip.start_file(path.as_str(), stored).map_err(zip_error)?;
            let mut hashing = Hashing {
                inner: &mut zip,
                hasher: Sha256::new(),
                size: 0,
            };
            self.read_role(&document.id, "original", &mut hashing)?;
            let sha256 = hex::encode(hashing.hasher.finalize_reset());
            let size = hashing.size;
            bytes += size;
            files.push(ManifestFile {
                path: path.clone(),
                sha256: sha256.clone(),
                size,
            });
            entries.push(json!({
                "fullUrl": format!("urn:uuid:{}", document.id),
                "resource": fhir::document_reference(document, &sha256, &path),
            }));
        }

        // Each person's agenda as iCalendar, the open format every calendar reads.
        for person in &people {
            if self.stored_events(Some(&person.id))?.is_empty() {
                continue;
            }
            let calendar = self.export_ics(Some(&person.id))?;
            let path = format!("{AGENDA_DIR}/{}.ics", person.id);
            zip.start_file(path.as_str(), deflated).map_err(zip_error)?;
            zip.write_all(calendar.as_bytes()).map_err(io_error)?;
            files.push(ManifestFile {
                path,
                sha256: hex::encode(Sha256::digest(calendar.as_bytes())),
                size: calendar.len() as u64,
            });
        }

        let bundle = json!({
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": chrono::Utc::now().to_rfc3339(),
            "entry": entries,
        });
        let bundle_bytes = serde_json::to_vec_pretty(&bundle).expect("a bundle always serialises");
        zip.start_file(BUNDLE_PATH, deflated).map_err(zip_error)?;
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
            documents: documents.len(),
            files,
        };
        zip.start_file(MANIFEST_PATH, deflated).map_err(zip_error)?;
        zip.write_all(&serde_json::to_vec_pretty(&manifest).expect("a manifest always serialises"))
            .map_err(io_error)?;

        let mut inner = zip.finish().map_err(zip_error)?;
        inner.flush().map_err(io_error)?;
        inner.get_ref().sync_all().map_err(io_error)?;
        Ok(ExportSummary {
            people: people.len(),
            documents: documents.len(),
            bytes,
        })
    }
}
