//! Rebuilds the cross-reference table of a PDF whose table `lopdf` rejects.
//!
//! `lopdf` 0.42 reads the table strictly: entries must be exactly 20 bytes and
//! `startxref` must point at it. Many real files break this (19-byte entries, offsets
//! shifted by a text-mode transfer) and other readers recover by scanning for objects.
//! This module does the same: it finds every `N G obj` header, writes a new table and
//! trailer after the original bytes, and lets `lopdf` read the result. Objects inside
//! object streams are not found this way, so a file that relies on them recovers
//! only partly.
//!
//! [`recover_stream_data`] similarly refills streams whose `/Length` is wrong.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, Stream};

/// Largest object number accepted in a rebuilt table. The table has one 20-byte
/// entry per number up to the largest, so this bounds it at 20 MiB whatever
/// object numbers the file claims.
const MAX_OBJECT_NUMBER: u32 = 1_000_000;

/// Returns the file with a rebuilt cross-reference table and trailer appended, or
/// `None` when no object or no catalog can be found.
pub(crate) fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
    let objects = find_objects(bytes);
    let max_number = objects.iter().map(|object| object.number).max()?;
    let root = trailer_reference(bytes, b"/Root").or_else(|| find_catalog(bytes, &objects))?;
    let info = trailer_reference(bytes, b"/Info");

    // Later definitions of an object number replace earlier ones, as in an
    // incremental update.
    let mut table = vec![None; max_number as usize + 1];
    for object in &objects {
        table[object.number as usize] = Some((object.offset, object.generation));
    }

    let mut repaired = bytes.to_vec();
    repaired.extend_from_slice(b"\n");
    let xref_offset = repaired.len();
    repaired.extend_from_slice(format!("xref\n0 {}\n", table.len()).as_bytes());
    for (number, entry) in table.iter().enumerate() {
        let line = match entry {
            Some((offset, generation)) => format!("{offset:010} {generation:05} n\r\n"),
            None if number == 0 => "0000000000 65535 f\r\n".to_owned(),
            None => "0000000000 00000 f\r\n".to_owned(),
        };
        repaired.extend_from_slice(line.as_bytes());
    }
    let mut extra = String::new();
    if let Some((number, generation)) = info {
        extra.push_str(&format!(" /Info {number} {generation} R"));
    }
    // An encrypted file needs its encryption dictionary and its file identifier,
    // which keys the decryption.
    if let Some((number, generation)) = trailer_reference(bytes, b"/Encrypt") {
        extra.push_str(&format!(" /Encrypt {number} {generation} R"));
        if let Some(id) = trailer_array(bytes, b"/ID") {
            extra.push_str(" /ID ");
            extra.push_str(&id);
        }
    }
    let trailer = format!(
        "trailer\n<< /Size {} /Root {} {} R{extra} >>\nstartxref\n{xref_offset}\n%%EOF\n",
        table.len(),
        root.0,
        root.1,
    );
    repaired.extend_from_slice(trailer.as_bytes());
    Some(repaired)
}

/// Refills streams that `lopdf` loaded without their data because `/Length` is
/// wrong. `lopdf` then keeps either an empty stream or only the stream dictionary.
/// The data is taken from the raw file, between the `stream` and `endstream`
/// keywords of that object.
///
/// Real streams do not overlap, so the recovered data is bounded by the file size in
/// total; recovery stops once that bound is reached.
pub(crate) fn recover_stream_data(document: &mut Document, bytes: &[u8]) {
    let has_length = |dict: &Dictionary| {
        dict.get(b"Length")
            .and_then(Object::as_i64)
            .is_ok_and(|n| n > 0)
    };
    let lost_data = |object: &Object| match object {
        Object::Stream(stream) => stream.content.is_empty() && has_length(&stream.dict),
        Object::Dictionary(dict) => has_length(dict),
        _ => false,
    };
    if !document.objects.values().any(lost_data) {
        return;
    }

    let headers = find_objects(bytes);
    let offsets: HashMap<(u32, u16), usize> = headers
        .iter()
        .map(|object| ((object.number, object.generation), object.offset))
        .collect();
    let mut starts: Vec<usize> = headers.iter().map(|object| object.offset).collect();
    starts.sort_unstable();

    let mut recovered_total = 0;
    for (id, object) in document.objects.iter_mut() {
        if !lost_data(object) {
            continue;
        }
        let Some(&offset) = offsets.get(id) else {
            continue;
        };
        // An object ends where the next one starts, which keeps every search below
        // within the object and the whole pass linear in the file size.
        let end = starts
            .get(starts.partition_point(|&start| start <= offset))
            .copied()
            .unwrap_or(bytes.len());
        let Some(data) = raw_stream_data(&bytes[offset..end]) else {
            continue;
        };
        recovered_total += data.len();
        if recovered_total > bytes.len() {
            return;
        }
        match object {
            Object::Stream(stream) => stream.set_content(data.to_vec()),
            Object::Dictionary(dict) => {
                *object = Object::Stream(Stream::new(std::mem::take(dict), data.to_vec()));
            }
            _ => {}
        }
    }
}

/// Returns the bytes between `stream` and `endstream` of the raw object, without the
/// end-of-line markers around them.
fn raw_stream_data(object: &[u8]) -> Option<&[u8]> {
    let object_end = find(object, b"endobj").unwrap_or(object.len());
    let object = &object[..object_end];
    let keyword = find(object, b"stream")? + b"stream".len();
    let data = match &object[keyword..] {
        [b'\r', b'\n', rest @ ..] | [b'\n', rest @ ..] | [b'\r', rest @ ..] => rest,
        _ => return None,
    };
    let end = rfind(data, b"endstream")?;
    let data = &data[..end];
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    Some(data.strip_suffix(b"\r").unwrap_or(data))
}

#[derive(Debug, Clone, Copy)]
struct ObjectHeader {
    number: u32,
    generation: u16,
    offset: usize,
}

/// Finds every `N G obj` header that starts a line or follows whitespace.
fn find_objects(bytes: &[u8]) -> Vec<ObjectHeader> {
    let mut objects = Vec::new();
    let mut from = 0;
    while let Some(found) = find(&bytes[from..], b"obj") {
        let keyword = from + found;
        from = keyword + 3;
        if let Some(header) = parse_header_before(bytes, keyword) {
            objects.push(header);
        }
    }
    objects
}

/// Parses `N G ` immediately before the `obj` keyword at `keyword`.
fn parse_header_before(bytes: &[u8], keyword: usize) -> Option<ObjectHeader> {
    let before = &bytes[..keyword];
    let (generation, rest) = take_number_backwards(before.trim_ascii_end())?;
    let (number, rest) = take_number_backwards(rest.trim_ascii_end())?;
    if !rest.is_empty() && !rest.last()?.is_ascii_whitespace() {
        return None;
    }
    let number: u32 = number.parse().ok()?;
    let generation: u16 = generation.parse().ok()?;
    if number == 0 || number > MAX_OBJECT_NUMBER {
        return None;
    }
    Some(ObjectHeader {
        number,
        generation,
        offset: rest.len(),
    })
}

/// Splits trailing ASCII digits (at most 10) off `bytes`.
fn take_number_backwards(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let digits = bytes
        .iter()
        .rev()
        .take(11)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 10 {
        return None;
    }
    let (rest, number) = bytes.split_at(bytes.len() - digits);
    Some((std::str::from_utf8(number).ok()?, rest))
}

/// Reads `key N G R` from the last `trailer` dictionary of the file.
fn trailer_reference(bytes: &[u8], key: &[u8]) -> Option<(u32, u16)> {
    let trailer = rfind(bytes, b"trailer")?;
    let dictionary = &bytes[trailer..bytes.len().min(trailer + 4096)];
    let at = find(dictionary, key)? + key.len();
    parse_reference(&dictionary[at..])
}

/// Copies the array value of `key`, brackets included, from the last `trailer`
/// dictionary, when it is short ASCII text such as a file identifier.
fn trailer_array(bytes: &[u8], key: &[u8]) -> Option<String> {
    let trailer = rfind(bytes, b"trailer")?;
    let dictionary = &bytes[trailer..bytes.len().min(trailer + 4096)];
    let at = find(dictionary, key)? + key.len();
    let value = dictionary[at..].trim_ascii_start();
    if !value.starts_with(b"[") {
        return None;
    }
    let end = value.iter().take(512).position(|&b| b == b']')?;
    let array = std::str::from_utf8(&value[..=end]).ok()?;
    array.is_ascii().then(|| array.to_owned())
}

/// Parses ` N G R` at the start of `bytes`.
fn parse_reference(bytes: &[u8]) -> Option<(u32, u16)> {
    let text = std::str::from_utf8(&bytes[..bytes.len().min(32)]).ok()?;
    let mut parts = text.split_ascii_whitespace();
    let number = parts.next()?.parse().ok()?;
    let generation = parts.next()?.parse().ok()?;
    (parts.next()?.starts_with('R')).then_some((number, generation))
}

/// Finds the object whose dictionary declares `/Type /Catalog`. The last one wins,
/// as in an incremental update.
fn find_catalog(bytes: &[u8], objects: &[ObjectHeader]) -> Option<(u32, u16)> {
    let mut by_offset: Vec<&ObjectHeader> = objects.iter().collect();
    by_offset.sort_unstable_by_key(|object| object.offset);

    memchr::memmem::find_iter(bytes, b"/Catalog")
        .filter(|&at| bytes[..at].trim_ascii_end().ends_with(b"/Type"))
        .filter_map(|at| {
            let index = by_offset.partition_point(|object| object.offset < at);
            let object = by_offset.get(index.checked_sub(1)?)?;
            Some((object.number, object.generation))
        })
        .last()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_with_offsets() {
        let bytes = b"%PDF-1.1\n1 0 obj\n<< /Type /Catalog >>\nendobj\n12 3 obj\n(x)\nendobj\n";
        let objects = find_objects(bytes);
        assert_eq!(objects.len(), 2);
        assert_eq!((objects[0].number, objects[0].offset), (1, 9));
        assert_eq!((objects[1].number, objects[1].generation), (12, 3));
        assert_eq!(
            &bytes[objects[1].offset..objects[1].offset + 8],
            b"12 3 obj"
        );
    }

    #[test]
    fn endobj_is_not_a_header() {
        assert!(find_objects(b"(text) endobj").is_empty());
    }

    #[test]
    fn huge_object_numbers_are_ignored() {
        assert!(find_objects(b"\n99999999 0 obj\n<<>>\nendobj\n").is_empty());
    }

    #[test]
    fn catalog_found_without_trailer() {
        let bytes = b"1 0 obj\n<< /Type /Pages >>\nendobj\n2 0 obj\n<</Type/Catalog /Pages 1 0 R>>\nendobj\n";
        assert_eq!(find_catalog(bytes, &find_objects(bytes)), Some((2, 0)));
    }

    #[test]
    fn file_identifier_read_from_trailer() {
        let bytes = b"trailer\n<< /Root 1 0 R /ID [<0A1B> <0A1B>] >>";
        assert_eq!(
            trailer_array(bytes, b"/ID").as_deref(),
            Some("[<0A1B> <0A1B>]")
        );
        assert_eq!(trailer_array(b"trailer << /ID 5 >>", b"/ID"), None);
    }

    #[test]
    fn root_read_from_trailer() {
        assert_eq!(
            trailer_reference(b"trailer\n<< /Size 3 /Root 7 0 R >>", b"/Root"),
            Some((7, 0))
        );
    }
}
