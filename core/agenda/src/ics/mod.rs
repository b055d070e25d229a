//! iCalendar (RFC 5545) import and export.
//!
//! [`import_ics`] reads the files written by Google Calendar, Outlook and
//! Exchange, Apple Calendar, Thunderbird, Nextcloud/SabreDAV, Evolution and
//! Zimbra; [`write_calendar`] writes events back so that importing the output
//! gives the same events.

pub mod contentline;
mod export;
mod import;
pub mod timezone;
pub mod value;

use thiserror::Error;

pub use export::{write_calendar, write_calendar_at};
pub use import::{EventError, ImportReport, ImportWarning, RejectedEvent, import_ics};

/// Error that makes a whole `.ics` file unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IcsError {
    #[error("iCalendar file is {size} bytes, larger than the {max}-byte limit")]
    TooLarge { size: usize, max: usize },
    #[error("line {line} of the iCalendar file is longer than {max} bytes once unfolded")]
    LineTooLong { line: usize, max: usize },
    #[error("line {line}: components are nested deeper than {max} levels")]
    TooDeep { line: usize, max: usize },
    #[error("iCalendar file has more than {max} components")]
    TooManyComponents { max: usize },
    #[error("file contains no iCalendar component (no BEGIN:VCALENDAR or BEGIN:VEVENT)")]
    NoCalendar,
    #[error("file is empty")]
    Empty,
    /// The file has no calendar and contains NUL bytes or bytes that are not
    /// UTF-8, as a binary file or UTF-16 text without a byte-order mark does.
    #[error("file is not UTF-8 or UTF-16 text")]
    NotText,
}
