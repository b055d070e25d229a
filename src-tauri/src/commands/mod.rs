//! IPC commands, one module per group of the contract in `ui/src/lib/api.ts`.
//!
//! TODO: the bodies that return `error.not_ready` are wired to carnet-core when its
//! vault API lands.

pub mod agenda;
pub mod device;
pub mod documents;
pub mod import;
pub mod journal;
pub mod people;
pub mod profile;
pub mod settings;
pub mod vault;
