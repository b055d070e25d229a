//! Generates the Tauri context (config, capabilities, app command permissions) and
//! sets the Linux link flags of the app binary.

/// Every IPC command of the app. tauri-build generates an `allow-<command>` permission
/// for each one, and the capability files grant exactly these.
const COMMANDS: &[&str] = &[
    "app_status",
    "vault_open_path",
    "passphrase_check",
    "vault_create",
    "vault_unlock",
    "vault_unlock_device",
    "vault_lock",
    "activity_report",
    "vault_restore",
    "vault_recover",
    "passphrase_change",
    "people_list",
    "person_add",
    "person_update",
    "documents_list",
    "documents_search",
    "document_get",
    "document_content",
    "document_thumbnail",
    "document_html",
    "document_update",
    "document_delete",
    "document_save_as",
    "import_files",
    "import_cancel",
    "profile_get",
    "blood_group_set",
    "agenda_list",
    "vaccinations_due",
    "event_get",
    "event_create",
    "event_update",
    "event_delete",
    "agenda_import",
    "prevention_list",
    "prevention_decide",
    "notifications_get",
    "notifications_set",
    "export_archive",
    "export_cancel",
    "journal_list",
    "journal_verify",
    "settings_set",
];

fn main() {
    // The binary links a bundled SQLCipher (through carnet-core). Without this flag GNU ld
    // exports its `sqlite3_*` symbols, and WebKitGTK's own calls into the system libsqlite3
    // would resolve to the SQLCipher copy inside the UI process.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    }

    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed to generate the app context");
}
