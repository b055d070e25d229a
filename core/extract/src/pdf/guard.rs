//! Checks and rewrites that make a PDF safe to hand to `pdf-extract` 0.12, whose
//! failure modes on hostile files are not all catchable:
//! - unbounded `FlateDecode` inflation (a few KiB can inflate to GiBs) exhausts
//!   memory, so non-image streams are inflated once into a counting sink first;
//! - a `Parent` cycle in the page tree or a form XObject that draws itself recurses
//!   without end and overflows the stack, which aborts the process;
//! - image XObjects are run as content streams by `pdf-extract`'s `Do` handler, which
//!   inflates every scanned page and then panics on the pixel data, losing the text
//!   of the whole page. Their data is emptied, because no text lies in it.

use std::collections::HashSet;

use flate2::{Decompress, FlushDecompress, Status};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::ExtractError;

/// Maximum depth of form XObjects drawing form XObjects.
const MAX_FORM_DEPTH: usize = 16;

/// Maximum number of form XObject invocations over the extracted pages. This bounds
/// `pdf-extract`'s work on forms that each draw another form many times.
const MAX_FORM_INVOCATIONS: usize = 20_000;

/// Maximum length of a `Parent` chain from a page to the page tree root.
const MAX_PAGE_TREE_DEPTH: usize = 64;

/// How far before a `stream` keyword the raw scan looks for its dictionary. Stream
/// dictionaries are short; a longer one is treated as not declaring an image.
const DICTIONARY_WINDOW: usize = 4 * 1024;

/// Inflates every `FlateDecode` stream of the raw file that is not an image into a
/// counting sink, and fails when their total exceeds `budget` bytes. This runs before
/// `lopdf` loads the file, because `lopdf` inflates object streams while loading.
///
/// Streams are found by their `stream` keyword, so the scan also covers streams that
/// a broken cross-reference table hides. Encrypted streams do not inflate here.
/// NOTE: a file that opens with the empty user password is decrypted by `lopdf` at
/// load time; its object streams are inflated without this bound.
pub(crate) fn check_raw_inflation(bytes: &[u8], budget: u64) -> Result<(), ExtractError> {
    let mut inflater = Decompress::new(true);
    let mut scratch = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    let mut from = 0;
    while let Some(found) = find(&bytes[from..], b"stream") {
        let keyword = from + found;
        from = keyword + b"stream".len();
        let data_start = match &bytes[from..] {
            [b'\r', b'\n', ..] => from + 2,
            [b'\n', ..] | [b'\r', ..] => from + 1,
            _ => continue,
        };
        if keyword >= 3 && &bytes[keyword - 3..keyword] == b"end" {
            continue;
        }
        if is_image_dictionary(&bytes[keyword.saturating_sub(DICTIONARY_WINDOW)..keyword]) {
            continue;
        }
        inflater.reset(true);
        total += inflated_len(
            &mut inflater,
            &mut scratch,
            &bytes[data_start..],
            budget - total + 1,
        );
        if total > budget {
            return Err(ExtractError::InvalidPdf(format!(
                "compressed streams inflate to more than {budget} bytes"
            )));
        }
    }
    Ok(())
}

/// Returns whether the dictionary that ends a window of raw bytes (the text after the last
/// `obj` keyword) declares `/Subtype /Image`.
fn is_image_dictionary(window: &[u8]) -> bool {
    let Some(index) = rfind(window, b"obj") else {
        return false;
    };
    let dictionary = &window[index..];
    let compact: Vec<u8> = dictionary
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    find(&compact, b"/Subtype/Image").is_some()
}

/// Returns how many bytes a zlib stream at the start of `data` inflates to, stopping
/// once `limit` is reached. Data that is not zlib counts as zero. `inflater` must be
/// freshly reset; `scratch` receives the discarded output.
fn inflated_len(inflater: &mut Decompress, scratch: &mut [u8], data: &[u8], limit: u64) -> u64 {
    loop {
        let consumed = inflater.total_in() as usize;
        let before_out = inflater.total_out();
        let status = inflater.decompress(&data[consumed..], scratch, FlushDecompress::None);
        let progressed =
            inflater.total_in() as usize > consumed || inflater.total_out() > before_out;
        match status {
            Ok(Status::StreamEnd) => return inflater.total_out(),
            Ok(_) if progressed && inflater.total_out() < limit => continue,
            Ok(_) => return inflater.total_out(),
            Err(_) => return inflater.total_out(),
        }
    }
}

/// Empties the data of every image XObject and returns whether there was any.
pub(crate) fn strip_images(document: &mut Document) -> bool {
    let mut found = false;
    for object in document.objects.values_mut() {
        if let Object::Stream(stream) = object
            && is_image(stream)
        {
            found = true;
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(Vec::new());
        }
    }
    found
}

fn is_image(stream: &Stream) -> bool {
    matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(name)) if name == b"Image")
}

/// Returns the resources a page inherits, and fails on a `Parent` cycle or an
/// over-long chain, which would send `pdf-extract`'s inheritance lookup into
/// endless recursion.
pub(crate) fn page_resources(
    document: &Document,
    page: ObjectId,
) -> Result<Option<&Dictionary>, ExtractError> {
    let mut seen = HashSet::new();
    let mut current = page;
    let mut resources = None;
    loop {
        if !seen.insert(current) || seen.len() > MAX_PAGE_TREE_DEPTH {
            return Err(ExtractError::InvalidPdf(format!(
                "page tree above object {} has a Parent cycle or is deeper than {MAX_PAGE_TREE_DEPTH}",
                page.0
            )));
        }
        let Ok(node) = document.get_dictionary(current) else {
            return Ok(resources);
        };
        if resources.is_none() {
            resources = node
                .get(b"Resources")
                .ok()
                .and_then(|object| document.dereference(object).ok())
                .and_then(|(_, object)| object.as_dict().ok());
        }
        match node.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => current = parent,
            Err(_) => return Ok(resources),
        }
    }
}

/// Fails when the page's content draws form XObjects nested deeper than
/// [`MAX_FORM_DEPTH`] (which includes a form drawing itself) or when the pages
/// checked so far invoke forms more than [`MAX_FORM_INVOCATIONS`] times in total.
/// `invocations` carries the running count across pages.
pub(crate) fn check_forms(
    document: &Document,
    page: ObjectId,
    resources: Option<&Dictionary>,
    invocations: &mut usize,
) -> Result<(), ExtractError> {
    let Ok(content) = document.get_page_content(page) else {
        return Ok(());
    };
    visit_content(document, &content, resources, 0, invocations)
}

fn visit_content(
    document: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    depth: usize,
    invocations: &mut usize,
) -> Result<(), ExtractError> {
    // A content stream that does not parse makes `pdf-extract` fail on that page,
    // which the caller contains; there is nothing to check here.
    let Ok(content) = Content::decode(content) else {
        return Ok(());
    };
    for operation in content.operations.iter().filter(|op| op.operator == "Do") {
        let Some(form) = operation
            .operands
            .first()
            .and_then(|name| name.as_name().ok())
            .and_then(|name| lookup_xobject(document, resources?, name))
            .filter(|stream| is_form(stream))
        else {
            continue;
        };

        *invocations += 1;
        if *invocations > MAX_FORM_INVOCATIONS {
            return Err(ExtractError::InvalidPdf(format!(
                "form XObjects are invoked more than {MAX_FORM_INVOCATIONS} times"
            )));
        }
        if depth + 1 > MAX_FORM_DEPTH {
            return Err(ExtractError::InvalidPdf(format!(
                "form XObjects are nested deeper than {MAX_FORM_DEPTH} levels"
            )));
        }

        let form_resources = form
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|object| document.dereference(object).ok())
            .and_then(|(_, object)| object.as_dict().ok())
            .or(resources);
        let data = form
            .decompressed_content()
            .unwrap_or_else(|_| form.content.clone());
        visit_content(document, &data, form_resources, depth + 1, invocations)?;
    }
    Ok(())
}

fn lookup_xobject<'a>(
    document: &'a Document,
    resources: &'a Dictionary,
    name: &[u8],
) -> Option<&'a Stream> {
    let xobjects = resources.get(b"XObject").ok()?;
    let (_, xobjects) = document.dereference(xobjects).ok()?;
    let entry = xobjects.as_dict().ok()?.get(name).ok()?;
    let (_, entry) = document.dereference(entry).ok()?;
    entry.as_stream().ok()
}

fn is_form(stream: &Stream) -> bool {
    matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(name)) if name == b"Form")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(haystack, needle)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::ZlibEncoder;

    use super::*;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn raw_stream(dictionary: &str, data: &[u8]) -> Vec<u8> {
        let mut pdf = format!("1 0 obj\n{dictionary}\nstream\n").into_bytes();
        pdf.extend_from_slice(data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        pdf
    }

    #[test]
    fn inflation_within_budget_passes() {
        let pdf = raw_stream("<< /Filter /FlateDecode >>", &zlib(&[b'a'; 10_000]));
        assert!(check_raw_inflation(&pdf, 10_000).is_ok());
    }

    #[test]
    fn inflation_bomb_is_rejected() {
        let pdf = raw_stream("<< /Filter /FlateDecode >>", &zlib(&vec![0u8; 4_000_000]));
        let error = check_raw_inflation(&pdf, 1_000_000).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("inflate to more than 1000000 bytes"),
            "{error}"
        );
    }

    #[test]
    fn image_streams_are_not_counted() {
        let dictionary = "<< /Type /XObject /Subtype /Image /Filter /FlateDecode >>";
        let pdf = raw_stream(dictionary, &zlib(&vec![0u8; 4_000_000]));
        assert!(check_raw_inflation(&pdf, 1_000_000).is_ok());
    }

    #[test]
    fn non_zlib_data_counts_zero() {
        let mut inflater = Decompress::new(true);
        let mut scratch = vec![0u8; 1024];
        let data = b"\xFF\xD8\xFF\xE0 jpeg data";
        assert_eq!(inflated_len(&mut inflater, &mut scratch, data, 1000), 0);
    }

    #[test]
    fn many_stream_keywords_are_scanned() {
        // A hundred thousand stream keywords without any object around them.
        let pdf = b"stream\n".repeat(100_000);
        assert!(check_raw_inflation(&pdf, 1_000_000).is_ok());
    }
}
