//! One module per group of commands.

pub mod agenda;
pub mod demo;
pub mod documents;
pub mod init;
pub mod journal;
pub mod keys;
pub mod people;
pub mod profile;
pub mod transfer;
