//! Carnet's Tauri shell: builds the app with its plugins, state and IPC commands.
//!
//! Commands stay thin: they validate input, call the vault library and map its errors
//! to [`error::CommandError`], which the front end translates. Keys never cross into
//! JavaScript.

pub mod autolock;
pub mod commands;
pub mod demo;
pub mod error;
pub mod ipc;
pub mod notifications;
pub mod state;

use state::AppState;
use tauri::{Builder, Runtime};

/// Adds the state and every IPC command to `builder`; shared by the app and the tests.
pub fn with_commands<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::vault::app_status,
            commands::vault::vault_open_path,
            commands::vault::passphrase_check,
            commands::vault::vault_create,
            commands::vault::vault_unlock,
            commands::vault::vault_lock,
            commands::vault::activity_report,
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
            commands::profile::blood_group_set,
            commands::agenda::agenda_list,
            commands::agenda::vaccinations_due,
            commands::events::event_get,
            commands::events::event_create,
            commands::events::event_update,
            commands::events::event_delete,
            commands::events::agenda_import,
            commands::prevention::prevention_list,
            commands::prevention::prevention_decide,
            commands::notifications::notifications_get,
            commands::notifications::notifications_set,
            commands::settings::settings_set,
            commands::settings::export_archive,
            commands::settings::export_cancel,
            commands::journal::journal_list,
            commands::journal::journal_verify,
        ])
}

/// Builds and runs the app until its last window closes. With `--demo` or
/// `CARNET_DEMO=1`, it opens the demo vault first (see [`demo`]).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let state = if demo::requested() {
        match demo::prepare() {
            Ok(state) => state,
            Err(error) => {
                eprintln!("{error}");
                std::process::exit(1);
            }
        }
    } else {
        AppState::default()
    };
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            autolock::start(app.handle().clone());
            notifications::start(app.handle().clone());
            Ok(())
        });
    with_commands(builder, state)
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
