//! The crate's error type. Messages name the input and the failure, never file content.

use crate::sniff::Kind;

/// An extraction failure.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The input is larger than the extractor accepts.
    #[error("{input} is {size} bytes, above the limit of {limit} bytes")]
    TooLarge {
        input: &'static str,
        size: u64,
        limit: u64,
    },

    /// Bytes that claim to be UTF-8 (byte order mark, JSON, an XML declaration
    /// without another encoding, or earlier valid multi-byte sequences) are not.
    #[error("invalid UTF-8 sequence at byte offset {offset}")]
    InvalidUtf8 { offset: usize },

    /// A UTF-16 text (announced by its byte order mark) is truncated or contains an
    /// unpaired surrogate.
    #[error("invalid UTF-16 code unit at byte offset {offset}")]
    InvalidUtf16 { offset: usize },

    /// The bytes are binary data, not text in any supported encoding.
    #[error("not text: binary byte 0x{byte:02x} at byte offset {offset}")]
    NotText { offset: usize, byte: u8 },

    /// The PDF could not be parsed.
    #[error("invalid PDF: {0}")]
    InvalidPdf(String),

    /// A third-party parser panicked on this input; the panic was contained.
    #[error("{parser} parser failed on malformed input")]
    ParserPanicked { parser: &'static str },

    /// Extraction took longer than its time limit and was abandoned.
    #[error("{task} extraction timed out after {seconds} s")]
    TimedOut { task: &'static str, seconds: u64 },

    /// Too many earlier extractions are still running (for example stuck on hostile
    /// files after a time-out), so no new worker is started.
    #[error("{running} PDF extractions are still running; retry once they finish")]
    Busy { running: usize },

    /// The operating system refused to start a worker thread.
    #[error("could not start an extraction worker thread: {0}")]
    WorkerFailed(String),

    /// The image could not be decoded.
    #[error("invalid {kind:?} image: {message}")]
    InvalidImage { kind: Kind, message: String },

    /// The image header declares more pixels than the file size or the fixed cap
    /// allows.
    #[error(
        "image of {width}x{height} pixels is above the limit of {max_pixels} pixels for this file"
    )]
    ImageTooLarge {
        width: u32,
        height: u32,
        max_pixels: u64,
    },

    /// No pure-Rust decoder exists for this kind (HEIC/HEIF, PDF rendering). The
    /// vault shows "aperçu indisponible" instead of a thumbnail.
    #[error("no decoder available for {0:?}")]
    NoDecoder(Kind),

    /// The function does not handle this kind of content.
    #[error("{0:?} content is not supported here")]
    Unsupported(Kind),

    /// The e-mail could not be parsed as an RFC 5322 message.
    #[error("invalid e-mail: {0}")]
    InvalidEmail(&'static str),
}
