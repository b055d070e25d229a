//! Content lines and the component tree of an iCalendar stream (RFC 5545 §3.1).
//!
//! This layer has no notion of events. It strips a UTF-8 byte-order mark,
//! accepts CRLF, LF or lone CR line ends, unfolds continuation lines on bytes
//! before decoding them, splits
//! each line into name, parameters and raw value, and nests `BEGIN`/`END`
//! blocks. A malformed line is kept on its component as a [`LineIssue`] so the
//! importer can reject only the event that contains it. Input size, line
//! length, nesting depth and component count are bounded so a hostile file
//! cannot exhaust memory or the stack.

use super::IcsError;

/// Largest accepted `.ics` input, in bytes.
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;
/// Largest unfolded content line, in bytes.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
/// Deepest accepted component nesting (VCALENDAR > VEVENT > VALARM is 3).
pub const MAX_DEPTH: usize = 8;
/// Largest number of components in one file.
pub const MAX_COMPONENTS: usize = 200_000;

/// One property: upper-cased name, parameters in file order, raw (still escaped) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    pub params: Vec<(String, Vec<String>)>,
    pub value: String,
    /// 1-based line number of the first physical line.
    pub line: usize,
}

impl Property {
    /// Returns the first value of parameter `name` (case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, values)| values.first().map(String::as_str))
    }
}

/// A content line that could not be split into name, parameters and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIssue {
    pub line: usize,
    pub reason: String,
}

/// A `BEGIN:NAME` … `END:NAME` block with its properties and sub-components.
#[derive(Debug, Clone, Default)]
pub struct Component {
    pub name: String,
    pub line: usize,
    pub properties: Vec<Property>,
    pub children: Vec<Component>,
    pub issues: Vec<LineIssue>,
    /// False when the file ended before the matching `END`.
    pub closed: bool,
}

impl Component {
    /// Returns the first property called `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Iterates over every property called `name`.
    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> {
        self.properties.iter().filter(move |p| p.name == name)
    }
}

/// Result of splitting a stream: top-level components plus problems found
/// outside any component.
#[derive(Debug, Default)]
pub struct Stream {
    pub components: Vec<Component>,
    pub issues: Vec<LineIssue>,
}

/// Text encoding in which [`decode_lines`] read a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-16 with a byte-order mark, as some Windows tools write.
    Utf16,
    /// No line was UTF-8 with an accent, and some were not UTF-8 at all, so
    /// every byte was read as one Latin-1 character.
    Latin1,
}

/// Logical lines of a file, with how its bytes were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedLines {
    /// Each logical line with the number of its first physical line.
    pub lines: Vec<(usize, String)>,
    pub encoding: Encoding,
    /// Lines of a UTF-8 file where bytes that are not UTF-8 were replaced
    /// with U+FFFD.
    pub replaced: Vec<usize>,
}

/// Unfolds a file on bytes, then decodes each logical line, because RFC 5545
/// §3.1 lets a fold split a multi-byte UTF-8 character.
///
/// A UTF-8 byte-order mark is stripped and a UTF-16 file with a byte-order
/// mark is converted first. When some lines are not UTF-8, the file is read as
/// Latin-1 if no line is UTF-8 with a non-ASCII character. Otherwise each
/// invalid byte is replaced with U+FFFD in its own line only, and the line is
/// listed in [`DecodedLines::replaced`], so one stray byte costs no event.
pub fn decode_lines(bytes: &[u8]) -> Result<DecodedLines, IcsError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(IcsError::TooLarge {
            size: bytes.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IcsError::Empty);
    }
    let converted;
    let (bytes, mut encoding) = match utf16_to_utf8(bytes) {
        Some(text) => {
            converted = text?;
            (converted.as_bytes(), Encoding::Utf16)
        }
        None => (
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
            Encoding::Utf8,
        ),
    };

    let raw = unfold_bytes(bytes)?;
    let is_utf8: Vec<bool> = raw
        .iter()
        .map(|(_, line)| std::str::from_utf8(line).is_ok())
        .collect();
    let any_invalid = is_utf8.contains(&false);
    let any_accented_utf8 = raw
        .iter()
        .zip(&is_utf8)
        .any(|((_, line), valid)| *valid && !line.is_ascii());
    if any_invalid && !any_accented_utf8 {
        encoding = Encoding::Latin1;
    }

    let mut replaced = Vec::new();
    let mut lines = Vec::with_capacity(raw.len());
    for ((number, line), valid) in raw.into_iter().zip(is_utf8) {
        let text = if valid {
            String::from_utf8(line).expect("checked as UTF-8 above")
        } else if encoding == Encoding::Latin1 {
            line.iter().map(|&b| char::from(b)).collect()
        } else {
            replaced.push(number);
            String::from_utf8_lossy(&line).into_owned()
        };
        lines.push((number, text));
    }
    Ok(DecodedLines {
        lines,
        encoding,
        replaced,
    })
}

/// Converts a file that starts with a UTF-16 byte-order mark to UTF-8.
/// Returns `None` for a file without one.
fn utf16_to_utf8(bytes: &[u8]) -> Option<Result<String, IcsError>> {
    let little_endian = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..]
        .chunks(2)
        .map(|pair| match (pair, little_endian) {
            ([low, high], true) => u16::from_le_bytes([*low, *high]),
            ([high, low], false) => u16::from_be_bytes([*high, *low]),
            // An odd trailing byte cannot be UTF-16, so it decodes as U+FFFD.
            _ => 0xFFFD,
        });
    let text: Result<String, _> = char::decode_utf16(units).collect();
    Some(text.map_err(|_| IcsError::NotText))
}

/// Unfolds text into logical lines, each with the number of its first
/// physical line. Blank lines are dropped.
pub fn unfold(text: &str) -> Result<Vec<(usize, String)>, IcsError> {
    Ok(unfold_bytes(text.as_bytes())?
        .into_iter()
        .map(|(number, line)| {
            // Lines are split and joined at ASCII bytes, so valid UTF-8 stays valid.
            let line = String::from_utf8(line).expect("unfolding keeps UTF-8 valid");
            (number, line)
        })
        .collect())
}

/// Unfolds physical lines into logical lines of bytes, each with the number
/// of its first physical line. Blank lines are dropped.
fn unfold_bytes(bytes: &[u8]) -> Result<Vec<(usize, Vec<u8>)>, IcsError> {
    let mut lines: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut current: Option<(usize, Vec<u8>)> = None;
    for (index, physical) in physical_lines(bytes).enumerate() {
        let number = index + 1;
        if let Some((&(b' ' | b'\t'), rest)) = physical.split_first()
            && let Some((_, logical)) = current.as_mut()
        {
            if logical.len() + rest.len() > MAX_LINE_BYTES {
                return Err(IcsError::LineTooLong {
                    line: number,
                    max: MAX_LINE_BYTES,
                });
            }
            logical.extend_from_slice(rest);
            continue;
        }
        // A new line, or a continuation with no line before it, which is kept as a line.
        if let Some(done) = current.take() {
            lines.push(done);
        }
        if physical.iter().all(|&b| b == b' ' || b == b'\t') {
            continue;
        }
        if physical.len() > MAX_LINE_BYTES {
            return Err(IcsError::LineTooLong {
                line: number,
                max: MAX_LINE_BYTES,
            });
        }
        current = Some((number, physical.to_vec()));
    }
    if let Some(done) = current {
        lines.push(done);
    }
    Ok(lines)
}

/// Splits on CRLF, LF or a lone CR.
fn physical_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.iter().position(|&b| b == b'\r' || b == b'\n') {
            Some(at) => {
                let line = &rest[..at];
                let skip = if rest[at..].starts_with(b"\r\n") {
                    2
                } else {
                    1
                };
                rest = &rest[at + skip..];
                Some(line)
            }
            None => {
                let line = rest;
                rest = &[];
                Some(line)
            }
        }
    })
}

/// Splits one logical line into a [`Property`].
pub fn parse_line(number: usize, line: &str) -> Result<Property, LineIssue> {
    let issue = |reason: &str| LineIssue {
        line: number,
        reason: reason.to_owned(),
    };
    if line.chars().any(|c| c.is_control() && c != '\t') {
        return Err(issue("control character in content line"));
    }
    let name_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(line.len());
    if name_end == 0 {
        return Err(issue("missing property name"));
    }
    let name = line[..name_end].to_ascii_uppercase();
    let mut rest = &line[name_end..];
    let mut params = Vec::new();
    loop {
        if let Some(value) = rest.strip_prefix(':') {
            return Ok(Property {
                name,
                params,
                value: value.to_owned(),
                line: number,
            });
        }
        let Some(after_semicolon) = rest.strip_prefix(';') else {
            return Err(issue("missing ':' before the property value"));
        };
        let key_end = after_semicolon
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after_semicolon.len());
        if key_end == 0 {
            return Err(issue("empty property parameter"));
        }
        let key = after_semicolon[..key_end].to_ascii_uppercase();
        let Some(mut values_text) = after_semicolon[key_end..].strip_prefix('=') else {
            return Err(issue("property parameter without '='"));
        };
        let mut values = Vec::new();
        loop {
            let (value, remaining) = if let Some(quoted) = values_text.strip_prefix('"') {
                let close = quoted
                    .find('"')
                    .ok_or_else(|| issue("unterminated quoted parameter value"))?;
                (&quoted[..close], &quoted[close + 1..])
            } else {
                let end = values_text
                    .find([';', ':', ','])
                    .unwrap_or(values_text.len());
                (&values_text[..end], &values_text[end..])
            };
            values.push(value.to_owned());
            match remaining.strip_prefix(',') {
                Some(next) => values_text = next,
                None => {
                    rest = remaining;
                    break;
                }
            }
        }
        params.push((key, values));
    }
}

/// Parses a whole stream into top-level components.
pub fn parse_stream(text: &str) -> Result<Stream, IcsError> {
    parse_lines(unfold(text)?)
}

/// Parses unfolded logical lines into top-level components.
pub fn parse_lines(lines: Vec<(usize, String)>) -> Result<Stream, IcsError> {
    let mut stream = Stream::default();
    let mut stack: Vec<Component> = Vec::new();
    let mut component_count = 0usize;

    for (number, line) in lines {
        let property = match parse_line(number, &line) {
            Ok(property) => property,
            Err(issue) => {
                match stack.last_mut() {
                    Some(open) => open.issues.push(issue),
                    None => stream.issues.push(issue),
                }
                continue;
            }
        };
        match property.name.as_str() {
            "BEGIN" => {
                if stack.len() >= MAX_DEPTH {
                    return Err(IcsError::TooDeep {
                        line: number,
                        max: MAX_DEPTH,
                    });
                }
                component_count += 1;
                if component_count > MAX_COMPONENTS {
                    return Err(IcsError::TooManyComponents {
                        max: MAX_COMPONENTS,
                    });
                }
                stack.push(Component {
                    name: property.value.trim().to_ascii_uppercase(),
                    line: number,
                    ..Component::default()
                });
            }
            "END" => {
                let name = property.value.trim().to_ascii_uppercase();
                let Some(position) = stack.iter().rposition(|c| c.name == name) else {
                    stream.issues.push(LineIssue {
                        line: number,
                        reason: format!("END:{name} without a matching BEGIN"),
                    });
                    continue;
                };
                // Components opened after the matching BEGIN were never closed.
                while stack.len() > position + 1 {
                    let unclosed = stack.pop().expect("stack is longer than position + 1");
                    attach(&mut stack, &mut stream, unclosed);
                }
                let mut done = stack.pop().expect("position is a valid index");
                done.closed = true;
                attach(&mut stack, &mut stream, done);
            }
            _ => match stack.last_mut() {
                Some(open) => open.properties.push(property),
                None => stream.issues.push(LineIssue {
                    line: number,
                    reason: format!("property {} outside any component", property.name),
                }),
            },
        }
    }
    while let Some(unclosed) = stack.pop() {
        attach(&mut stack, &mut stream, unclosed);
    }
    Ok(stream)
}

fn attach(stack: &mut [Component], stream: &mut Stream, component: Component) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(component),
        None => stream.components.push(component),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfold_handles_every_line_end() {
        let text = "A:1\r\n b\nB:2\rC:3\r\n\tc\n\n";
        let lines = unfold(text).unwrap();
        assert_eq!(
            lines,
            vec![
                (1, "A:1b".to_owned()),
                (3, "B:2".to_owned()),
                (4, "C:3c".to_owned())
            ]
        );
    }

    #[test]
    fn parse_line_splits_quoted_params() {
        let p = parse_line(
            1,
            "DTSTART;TZID=\"Canberra, Melbourne, Sydney\":20090310T093000",
        )
        .unwrap();
        assert_eq!(p.name, "DTSTART");
        assert_eq!(p.param("tzid"), Some("Canberra, Melbourne, Sydney"));
        assert_eq!(p.value, "20090310T093000");
    }

    #[test]
    fn parse_line_keeps_colons_in_value() {
        let p = parse_line(1, "URL;X-A=b,c:http://example.org/x").unwrap();
        assert_eq!(p.params, vec![("X-A".into(), vec!["b".into(), "c".into()])]);
        assert_eq!(p.value, "http://example.org/x");
    }

    #[test]
    fn parse_line_rejects_empty_parameter() {
        let err = parse_line(4, "DTSTART;;VALUE=DATE-TIME:20140409T093000").unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("empty property parameter"));
    }

    #[test]
    fn parse_line_rejects_control_characters() {
        assert!(parse_line(1, "TZID:S\u{c}\u{c}").is_err());
    }

    #[test]
    fn parse_line_rejects_missing_colon() {
        assert!(parse_line(1, "ORGANIZER;CN=Sixt SE").is_err());
    }

    #[test]
    fn stream_nests_and_closes_components() {
        let stream =
            parse_stream("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nEND:VEVENT\nEND:VCALENDAR\n")
                .unwrap();
        assert_eq!(stream.components.len(), 1);
        let calendar = &stream.components[0];
        assert!(calendar.closed);
        assert_eq!(calendar.children[0].name, "VEVENT");
        assert_eq!(calendar.children[0].property("UID").unwrap().value, "a");
    }

    #[test]
    fn stream_marks_truncated_components() {
        let stream = parse_stream("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VEVENT\n").unwrap();
        assert!(!stream.components[0].closed);
        assert!(stream.components[0].children[0].closed);
    }

    #[test]
    fn stream_rejects_deep_nesting() {
        let text = "BEGIN:X\n".repeat(MAX_DEPTH + 1);
        assert!(matches!(parse_stream(&text), Err(IcsError::TooDeep { .. })));
    }

    #[test]
    fn decode_strips_bom_and_falls_back_to_latin1() {
        let bom = decode_lines(b"\xEF\xBB\xBFA:1").unwrap();
        assert_eq!(bom.lines, vec![(1, "A:1".to_owned())]);
        assert_eq!(bom.encoding, Encoding::Utf8);
        let latin1 = decode_lines(b"A:caf\xE9").unwrap();
        assert_eq!(latin1.lines, vec![(1, "A:café".to_owned())]);
        assert_eq!(latin1.encoding, Encoding::Latin1);
    }

    #[test]
    fn fold_inside_utf8_character_is_restored() {
        let decoded = decode_lines(b"SUMMARY:P\xC3\r\n \xA9diatre\r\nB:\xC3\xA9").unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(decoded.lines[0], (1, "SUMMARY:Pédiatre".to_owned()));
        assert!(decoded.replaced.is_empty());
    }

    #[test]
    fn stray_byte_replaced_in_its_line_only() {
        let decoded = decode_lines(b"A:\xC3\x89cho\nB:Caf\xE9\nC:ok").unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(decoded.lines[0].1, "A:Écho");
        assert_eq!(decoded.lines[1].1, "B:Caf\u{FFFD}");
        assert_eq!(decoded.replaced, vec![2]);
    }

    #[test]
    fn utf16_with_bom_is_converted() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "A:é\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode_lines(&bytes).unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf16);
        assert_eq!(decoded.lines, vec![(1, "A:é".to_owned())]);
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(decode_lines(b"").unwrap_err(), IcsError::Empty);
        assert_eq!(decode_lines(b" \r\n\t").unwrap_err(), IcsError::Empty);
    }
}
