//! Deterministic mutations of the sample PDFs, photos and e-mail: every extractor
//! must return (an error is fine) without panicking, hanging or aborting.

mod common;

use carnet_extract::{ExtractError, Kind, extract_pdf, parse_email, sniff, thumbnail};
use common::fixture;

/// Xorshift64: a small deterministic generator, so failures reproduce.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// Returns a copy of `bytes` with a few bytes overwritten, a range duplicated or a
/// range removed, chosen by `random`.
fn mutate(bytes: &[u8], random: &mut Xorshift) -> Vec<u8> {
    let mut mutated = bytes.to_vec();
    match random.below(3) {
        0 => {
            for _ in 0..1 + random.below(8) {
                let index = random.below(mutated.len());
                mutated[index] = random.next() as u8;
            }
        }
        1 => {
            let start = random.below(mutated.len());
            let end = (start + random.below(512)).min(mutated.len());
            let copy = mutated[start..end].to_vec();
            let at = random.below(mutated.len());
            mutated.splice(at..at, copy);
        }
        _ => {
            let start = random.below(mutated.len());
            let end = (start + random.below(512)).min(mutated.len());
            mutated.drain(start..end);
        }
    }
    mutated
}

const ROUNDS: usize = 60;

#[test]
fn mutated_pdfs_return() {
    let mut random = Xorshift(0x5EED_CA4E_0001);
    for name in [
        "pdf/libreoffice-writer-trivial.pdf",
        "pdf/minimal-document_pdftex.pdf",
        "pdf/google-doc-document.pdf",
        "pdf/multicolumn.pdf",
        "pdf/issue-297_broken-xref_MALFORMED.pdf",
        "pdf/libreoffice-writer-password_ENCRYPTED.pdf",
    ] {
        let original = fixture(name);
        for round in 0..ROUNDS {
            let bytes = mutate(&original, &mut random);
            let _ = sniff(&bytes);
            let result = extract_pdf(&bytes);
            assert!(
                !matches!(
                    result,
                    Err(ExtractError::TimedOut { .. } | ExtractError::Busy { .. })
                ),
                "{name} round {round}: {result:?}"
            );
        }
    }
}

#[test]
fn mutated_jpegs_return() {
    let mut random = Xorshift(0x5EED_CA4E_0002);
    for name in [
        "images/DSCN0010_gps.jpg",
        "images/ianare_portrait_6_orient6.jpg",
    ] {
        let original = fixture(name);
        for _ in 0..ROUNDS / 2 {
            let bytes = mutate(&original, &mut random);
            let _ = thumbnail(&bytes, Kind::Jpeg, 64);
            let _ = carnet_extract::exif_summary(&bytes);
        }
    }
}

#[test]
fn mutated_email_returns() {
    let mut random = Xorshift(0x5EED_CA4E_0003);
    let original = fixture("email/lab-results.eml");
    for _ in 0..ROUNDS {
        let bytes = mutate(&original, &mut random);
        let _ = sniff(&bytes);
        let _ = parse_email(&bytes);
    }
}
