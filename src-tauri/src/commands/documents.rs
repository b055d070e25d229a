//! Documents: listing, search, viewing, editing, deletion and saving a copy.

use tauri::ipc::Response;

use crate::error::{CommandError, CommandResult};
use crate::ipc::{DocumentDetail, DocumentFilter, DocumentPage, SearchHit};

/// Largest page `documents_list` returns, so one call never copies the whole vault.
pub const MAX_PAGE: u32 = 500;

/// Lists documents matching `filter` by category and then newest first, from `offset`.
#[tauri::command]
pub fn documents_list(
    filter: DocumentFilter,
    offset: u64,
    limit: u32,
) -> CommandResult<DocumentPage> {
    if limit > MAX_PAGE {
        return Err(CommandError::new("error.invalid_argument").with("name", "limit"));
    }
    let _ = (filter, offset);
    Err(CommandError::not_ready())
}

/// Searches titles and extracted text; snippets mark matches between U+E000 and U+E001.
#[tauri::command]
pub fn documents_search(query: String, limit: u32) -> CommandResult<Vec<SearchHit>> {
    let _ = (query, limit);
    Err(CommandError::not_ready())
}

/// Returns a document's metadata, provenance and structured entries.
#[tauri::command]
pub fn document_get(id: String) -> CommandResult<DocumentDetail> {
    let _ = id;
    Err(CommandError::not_ready())
}

/// Returns the original bytes, sent as a raw IPC response rather than a JSON array.
#[tauri::command]
pub async fn document_content(id: String) -> CommandResult<Response> {
    let _ = id;
    Err(CommandError::not_ready())
}

/// Returns a small PNG preview, or an empty response when there is none.
#[tauri::command]
pub async fn document_thumbnail(id: String) -> CommandResult<Response> {
    let _ = id;
    Err(CommandError::not_ready())
}

/// Returns the sanitised HTML rendering of a CDA level 3 document, or `None`.
#[tauri::command]
pub fn document_html(id: String) -> CommandResult<Option<String>> {
    let _ = id;
    Err(CommandError::not_ready())
}

/// Changes the title, category or date of a document.
#[tauri::command]
pub fn document_update(
    id: String,
    title: Option<String>,
    category: Option<String>,
    date: Option<String>,
) -> CommandResult<()> {
    let _ = (id, title, category, date);
    Err(CommandError::not_ready())
}

/// Deletes a document (a tombstone that sync propagates).
#[tauri::command]
pub fn document_delete(id: String) -> CommandResult<()> {
    let _ = id;
    Err(CommandError::not_ready())
}

/// Writes the original file to `path`, chosen by the user in a save dialog.
#[tauri::command]
pub async fn document_save_as(id: String, path: String) -> CommandResult<()> {
    let _ = (id, path);
    Err(CommandError::not_ready())
}
