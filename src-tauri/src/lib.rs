//! Carnet's Tauri shell: builds the app with its plugins, state and IPC commands.
//!
//! Commands stay thin: they validate input, call the vault library and map its errors
//! to [`error::CommandError`], which the front end translates. Keys never cross into
//! JavaScript.

pub mod commands;
pub mod error;
pub mod ipc;
pub mod state;

use state::AppState;

/// Builds and runs the app until its last window closes.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(AppState::default())
        .invoke_handler(tauri::generate_handler![
            commands::vault::app_status,
            commands::vault::vault_open_path,
            commands::vault::passphrase_check,
            commands::vault::vault_create,
            commands::vault::vault_unlock,
            commands::vault::vault_lock,
            commands::vault::vault_restore,
            commands::vault::vault_recover,
            commands::vault::passphrase_change,
            commands::device::vault_unlock_device,
            commands::people::people_list,
            commands::people::person_add,
            commands::people::person_update,
            commands::documents::documents_list,
            commands::documents::documents_search,
            commands::documents::document_get,
            commands::documents::document_content,
            commands::documents::document_thumbnail,
            commands::documents::document_html,
            commands::documents::document_update,
            commands::documents::document_delete,
            commands::documents::document_save_as,
            commands::import::import_files,
            commands::import::import_cancel,
            commands::profile::profile_get,
            commands::agenda::agenda_list,
            commands::agenda::vaccinations_due,
            commands::settings::settings_set,
            commands::settings::export_archive,
            commands::journal::journal_list,
            commands::journal::journal_verify,
        ])
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
