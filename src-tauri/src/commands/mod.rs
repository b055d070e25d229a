//! IPC commands, one module per group of the contract in `ui/src/lib/api.ts`.
//!
//! Every command that touches the vault runs on a blocking thread through
//! [`blocking`], so a long import or an Argon2id derivation never stalls the window's
//! event loop, and commands waiting for the vault mutex wait off the main thread.

pub mod agenda;
pub mod convert;
pub mod device;
pub mod documents;
pub mod event_form;
pub mod events;
pub mod import;
pub mod journal;
pub mod notifications;
pub mod people;
pub mod prevention;
pub mod profile;
pub mod settings;
pub mod vault;

use tauri::{AppHandle, Manager, Runtime};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Name of the event sent when the vault locks itself, so the front end clears its screens.
pub const VAULT_LOCKED_EVENT: &str = "vault-locked";

/// Runs `work` with the app state on a blocking thread and returns its result.
pub async fn blocking<R, T, F>(app: &AppHandle<R>, work: F) -> CommandResult<T>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&AppHandle<R>, &AppState) -> CommandResult<T> + Send + 'static,
{
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        state.touch();
        work(&app, &state)
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "a command's blocking task failed");
        CommandError::new("error.internal")
    })?
}
