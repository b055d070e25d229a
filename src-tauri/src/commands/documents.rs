//! Documents: listing, search, viewing, editing, deletion and saving a copy.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use carnet_core::{Category, DocumentEdit, Vault, VaultError};
use chrono::NaiveDate;
use tauri::ipc::Response;
use tauri::{AppHandle, Runtime};

use super::blocking;
use super::convert::{document_detail, document_summary};
use crate::error::{CommandError, CommandResult};
use crate::ipc::{DocumentDetail, DocumentFilter, DocumentPage, SearchHit};

/// Largest page `documents_list` returns, so one call never copies the whole vault.
pub const MAX_PAGE: u32 = 500;

/// Role of the original file of every document.
const ORIGINAL_ROLE: &str = "original";

/// Lists documents matching `filter`, newest first, from `offset`.
#[tauri::command]
pub async fn documents_list<R: Runtime>(
    app: AppHandle<R>,
    filter: DocumentFilter,
    offset: u64,
    limit: u32,
) -> CommandResult<DocumentPage> {
    if limit > MAX_PAGE {
        return Err(CommandError::new("error.invalid_argument").with("name", "limit"));
    }
    let category = match filter.category.as_deref() {
        Some(code) => Some(parse_category(code)?),
        None => None,
    };
    let filter = carnet_core::DocumentFilter {
        person_id: filter.person_id,
        category,
        source: filter.source,
        year: filter.year,
    };
    blocking(&app, move |_, state| {
        state.with_vault(|vault| {
            let (total, items) = vault.documents(&filter, offset as usize, limit as usize)?;
            Ok(DocumentPage {
                total: total as u64,
                items: items.iter().map(document_summary).collect(),
            })
        })
    })
    .await
}

/// Searches titles and extracted text; snippets mark matches between U+E000 and U+E001.
#[tauri::command]
pub async fn documents_search<R: Runtime>(
    app: AppHandle<R>,
    query: String,
    limit: u32,
) -> CommandResult<Vec<SearchHit>> {
    let limit = limit.min(MAX_PAGE) as usize;
    blocking(&app, move |_, state| {
        state.with_vault(|vault| {
            Ok(vault
                .search(&query, None, limit)?
                .into_iter()
                .map(|hit| SearchHit {
                    document: document_summary(&hit.document),
                    snippet: hit.snippet,
                    score: hit.score,
                })
                .collect())
        })
    })
    .await
}

/// Returns a document's metadata, provenance and structured entries.
#[tauri::command]
pub async fn document_get<R: Runtime>(
    app: AppHandle<R>,
    id: String,
) -> CommandResult<DocumentDetail> {
    blocking(&app, move |_, state| {
        state.with_vault(|vault| document_detail(vault, &id))
    })
    .await
}

/// Returns the bytes to display, sent as a raw IPC response rather than a JSON
/// array: the original file, or for a level-1 CDA the embedded file it wraps.
#[tauri::command]
pub async fn document_content<R: Runtime>(
    app: AppHandle<R>,
    id: String,
) -> CommandResult<Response> {
    blocking(&app, move |_, state| {
        state.with_vault(|vault| {
            let document = vault.document(&id)?;
            let role = viewable_role(vault, &document)?;
            vault.read_role_to_vec(&document.id, &role)
        })
    })
    .await
    .map(Response::new)
}

/// Returns the role shown in place of the original: `details.viewable` when the
/// document names one that exists (the file embedded in a level-1 CDA), else the original.
fn viewable_role(
    vault: &Vault,
    document: &carnet_core::DocumentSummary,
) -> Result<String, VaultError> {
    if let Some(role) = document.details.get("viewable").and_then(|v| v.as_str())
        && role.starts_with("attachment/")
        && vault.has_role(&document.id, role)?
    {
        return Ok(role.to_owned());
    }
    Ok(ORIGINAL_ROLE.to_owned())
}

/// Returns a small preview image, or an empty response when there is none.
#[tauri::command]
pub async fn document_thumbnail<R: Runtime>(
    app: AppHandle<R>,
    id: String,
) -> CommandResult<Response> {
    read_optional_role(app, id, "thumbnail")
        .await
        .map(|bytes| Response::new(bytes.unwrap_or_default()))
}

/// Returns the sanitised HTML rendering of a CDA level 3 document, or `None`.
#[tauri::command]
pub async fn document_html<R: Runtime>(
    app: AppHandle<R>,
    id: String,
) -> CommandResult<Option<String>> {
    let bytes = read_optional_role(app, id, "html").await?;
    Ok(bytes.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
}

/// Reads role `role` of document `id`, or `None` when the document has no such role.
async fn read_optional_role<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    role: &'static str,
) -> CommandResult<Option<Vec<u8>>> {
    blocking(&app, move |_, state| {
        state.with_vault(|vault| {
            let document = vault.document(&id)?;
            if !vault.has_role(&document.id, role)? {
                return Ok(None);
            }
            vault.read_role_to_vec(&document.id, role).map(Some)
        })
    })
    .await
}

/// Changes the title, category or date of a document.
#[tauri::command]
pub async fn document_update<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    title: Option<String>,
    category: Option<String>,
    date: Option<String>,
) -> CommandResult<()> {
    let category = match category.as_deref() {
        Some(code) => Some(parse_category(code)?),
        None => None,
    };
    let date = match date.as_deref() {
        Some(text) => Some(
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| CommandError::new("error.invalid_argument").with("name", "date"))?,
        ),
        None => None,
    };
    let edit = DocumentEdit {
        title,
        category,
        date,
    };
    blocking(&app, move |_, state| {
        state.with_vault(|vault| vault.edit_document(&id, &edit).map(|_| ()))
    })
    .await
}

/// Deletes a document (a tombstone that sync propagates).
#[tauri::command]
pub async fn document_delete<R: Runtime>(app: AppHandle<R>, id: String) -> CommandResult<()> {
    blocking(&app, move |_, state| {
        state.with_vault(|vault| vault.delete_document(&id))
    })
    .await
}

/// Writes the original file to `path`, chosen by the user in a save dialog. The
/// content is decrypted chunk by chunk straight into the file; a failed write
/// removes the partial file.
#[tauri::command]
pub async fn document_save_as<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    path: String,
) -> CommandResult<()> {
    blocking(&app, move |_, state| {
        let path = PathBuf::from(path);
        state.with_vault(|vault| {
            let document = vault.document(&id)?;
            let file = File::create(&path).map_err(|error| VaultError::io(&path, error))?;
            let mut out = BufWriter::new(file);
            let written = vault
                .read_role(&document.id, ORIGINAL_ROLE, &mut out)
                .and_then(|_| out.flush().map_err(|error| VaultError::io(&path, error)));
            if written.is_err() {
                drop(out);
                let _ = std::fs::remove_file(&path);
            }
            written
        })
    })
    .await
}

/// Parses a Mon espace santé category code such as `BIOLOGIE`.
fn parse_category(code: &str) -> CommandResult<Category> {
    Category::parse(code)
        .ok_or_else(|| CommandError::new("error.invalid_argument").with("name", "category"))
}
