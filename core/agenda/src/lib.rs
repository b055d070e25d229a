//! Agenda and prevention calendar for Carnet.
//!
//! - [`ics`]: iCalendar import and export ([`ics::import_ics`], [`ics::write_calendar`]).
//! - [`event`]: the stored event model (appointments and reminders).
//! - [`expand`]: recurrence expansion ([`expand::occurrences`]).
//! - [`vaccination`]: the French vaccination calendar as yearly data and the
//!   engine that computes which doses are done, due, overdue or upcoming.
//! - [`prevention`]: compulsory child check-ups and national prevention
//!   appointments, returned as suggestions with stable ids.
//!
//! The crate is pure: no storage, no I/O beyond the data compiled into it,
//! and no clock read except the DTSTAMP of `ics::write_calendar`.

pub mod event;
pub mod expand;
pub mod ics;
pub mod prevention;
pub mod rule;
pub mod vaccination;

pub use event::{Event, EventEnd, EventKind, EventTime, EventValidationError};
pub use expand::{Occurrence, occurrences};
