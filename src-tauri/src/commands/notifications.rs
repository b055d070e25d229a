//! The notification settings: on or off, and whether they show details.

use serde::Serialize;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Result of `notifications_get` and `notifications_set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettings {
    pub enabled: bool,
    /// Show the person, the event title and the vaccines; off by default,
    /// because notifications show on lock screens.
    pub show_details: bool,
}

fn current(state: &AppState) -> NotificationSettings {
    let settings = state.settings();
    NotificationSettings {
        enabled: settings.notifications,
        show_details: settings.notification_details,
    }
}

/// Returns the notification settings.
#[tauri::command]
pub fn notifications_get(state: State<'_, AppState>) -> NotificationSettings {
    current(&state)
}

/// Changes the notification settings and saves them to the settings file.
#[tauri::command]
pub fn notifications_set(
    state: State<'_, AppState>,
    enabled: Option<bool>,
    show_details: Option<bool>,
) -> CommandResult<NotificationSettings> {
    state.touch();
    {
        let mut settings = state
            .settings
            .lock()
            .map_err(|_| CommandError::new("error.internal"))?;
        if let Some(enabled) = enabled {
            settings.notifications = enabled;
        }
        if let Some(show_details) = show_details {
            settings.notification_details = show_details;
        }
        super::settings::save(&state, &settings)?;
    }
    Ok(current(&state))
}
