//! Desktop entry point of the Carnet app; the mobile builds enter through
//! `carnet_app_lib::run` directly.

// Keeps Windows release builds from opening a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    carnet_app_lib::run();
}
