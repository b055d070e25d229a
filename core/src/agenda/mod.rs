//! The agenda and the prevention calendar inside the vault.
//!
//! The calendar logic (iCalendar, recurrences, the French vaccination calendar,
//! prevention programmes) lives in the pure crate `carnet-agenda`, re-exported
//! here. This module stores its values and reads them back:
//!
//! - [`events`]: appointments and reminders per person, `.ics` import and export.
//! - [`family`]: a family `.ics` export cut back into one calendar per person.
//! - [`vaccinations`]: vaccinations recorded by hand and the doses due, computed
//!   from the birth date, the profile's imported vaccinations and those recorded.
//! - [`prevention`]: check-ups and prevention appointments with the user's
//!   decisions.
//!
//! Every stored value is also a sealed record of the record log, and every change
//! writes a journal row with ids and counts only.

pub mod events;
pub mod family;
pub mod prevention;
pub mod vaccinations;

pub use carnet_agenda::{Event, EventEnd, EventKind, EventTime, EventValidationError, Occurrence};
pub use carnet_agenda::{event, expand, ics, rule, vaccination};

pub use events::{
    AgendaImportSummary, AgendaItem, AgendaRejection, AgendaSkip, PERSON_PROPERTY,
    ics_file_error_message, new_uid, validation_message,
};
pub use vaccinations::RecordedVaccination;
