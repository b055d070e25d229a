//! Collects the characters `pdf-extract` reports into plain text, inserting spaces
//! and line breaks from glyph positions, and stops at a size budget or when the
//! caller cancels.

use std::sync::atomic::{AtomicBool, Ordering};

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// The reason collection stopped before the end of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    TextLimit,
    Cancelled,
}

/// The position of the previous glyph on the page, in page space.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    baseline: f64,
    start: f64,
    /// Right edge, or `None` when the font gave no width for the glyph. Some CID
    /// fonts (Google Docs exports) come out of `pdf-extract` with zero widths.
    end: Option<f64>,
}

pub(crate) struct TextCollector<'a> {
    pub(crate) text: String,
    max_bytes: usize,
    cancel: &'a AtomicBool,
    pub(crate) stopped: Option<Stop>,
    previous: Option<Glyph>,
}

impl<'a> TextCollector<'a> {
    pub(crate) fn new(max_bytes: usize, cancel: &'a AtomicBool) -> Self {
        TextCollector {
            text: String::new(),
            max_bytes,
            cancel,
            stopped: None,
            previous: None,
        }
    }

    /// Starts a new page in the output: pages are separated by a form feed, as
    /// `pdftotext` does.
    pub(crate) fn start_page(&mut self, first: bool) {
        if !first {
            self.push("\n\u{0C}");
        }
        self.previous = None;
    }

    fn push(&mut self, piece: &str) -> bool {
        if self.text.len() + piece.len() > self.max_bytes {
            self.stopped = Some(Stop::TextLimit);
            return false;
        }
        self.text.push_str(piece);
        true
    }

    fn halt(&self) -> Result<(), OutputError> {
        Err(OutputError::FormatError(std::fmt::Error))
    }
}

impl OutputDev for TextCollector<'_> {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        if self.cancel.load(Ordering::Relaxed) {
            self.stopped = Some(Stop::Cancelled);
            return self.halt();
        }

        // The text rendering matrix maps glyph space to the page; its determinant
        // gives the scale of the font on the page.
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size * scale).abs().max(f64::EPSILON);
        let (x, y) = (trm.m31, trm.m32);

        if let Some(previous) = self.previous {
            let separator = if (y - previous.baseline).abs() > size * 0.5 {
                Some("\n")
            } else {
                // Without a known width, only a jump of more than a wide glyph
                // counts as a word gap.
                let gap_start = previous.end.unwrap_or(previous.start + size * 1.2);
                (x > gap_start + size * 0.15).then_some(" ")
            };
            if let Some(separator) = separator
                && !self.text.ends_with([' ', '\n'])
                && !self.push(separator)
            {
                return self.halt();
            }
        }
        let repeated_blank = char.trim().is_empty() && self.text.ends_with([' ', '\n']);
        if !repeated_blank && !self.push(char) {
            return self.halt();
        }
        self.previous = Some(Glyph {
            baseline: y,
            start: x,
            end: (width > 0.0).then_some(x + width * size),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
