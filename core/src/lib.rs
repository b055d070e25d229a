//! Carnet's core: the encrypted family health vault.
//!
//! A [`Vault`] is a directory with a small header, a SQLCipher database and sealed
//! content chunks (see [`vault`]). All key handling lives in [`crypto`]. Files enter
//! through [`import`], leave through [`archive`] (the open-format export) and are
//! found again with [`search`]. Every change is written to the encrypted record log
//! ([`records`]) that sync will exchange, and to the hash-chained [`journal`].
//!
//! Nothing here is desktop-only, so the same crate serves the CLI, the desktop app
//! and the mobile builds.

pub mod agenda;
pub mod archive;
pub mod blood_group;
pub mod content;
pub mod crypto;
pub mod documents;
pub mod error;
pub mod fsutil;
pub mod hlc;
pub mod i18n;
pub mod import;
pub mod journal;
pub mod keystore;
pub mod nir;
pub mod passphrase;
pub mod people;
pub mod profile;
pub mod records;
pub mod search;
pub mod unicode;
pub mod vault;

pub use blood_group::BloodGroup;
pub use carnet_clinical as clinical;
pub use carnet_clinical::Category;
pub use crypto::kdf::KdfParams;
pub use crypto::recovery::RecoveryKit;
pub use documents::{DocumentEdit, DocumentFilter, DocumentSummary, TextStatus};
pub use error::VaultError;
pub use i18n::{Lang, Message};
pub use import::{ImportOptions, ImportProgress, ImportSummary, Outcome};
pub use people::{NewPerson, Person, PersonEdit, Relation, Sex};
pub use profile::{MeasureKind, Profile, SourcedEntry};
pub use search::SearchHit;
pub use vault::{Unlock, Vault};
