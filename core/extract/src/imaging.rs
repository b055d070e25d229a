//! Thumbnails and EXIF capture dates for photos and scans.
//!
//! Thumbnails are decoded with the `image` crate under strict limits, turned upright
//! from the EXIF orientation (a phone photo of a prescription is usually stored
//! sideways with Orientation 6), scaled down and re-encoded. The new file carries no
//! metadata at all, so no GPS position leaves the original.

use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use chrono::{FixedOffset, NaiveDate, NaiveDateTime};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};

use crate::{ExtractError, Kind};

/// Largest image decoded, in pixels (100 megapixels, above any phone camera).
pub const MAX_PIXELS: u64 = 100_000_000;

/// Pixels allowed per byte of input above [`MIN_PIXEL_ALLOWANCE`], so that a tiny file
/// that declares huge dimensions is rejected before the decoder allocates for them.
/// Real images stay below it. A blank A4 page at 300 dpi written by ImageMagick 6.9
/// measures 255 pixels per byte as JPEG and 1193 as PNG. The ceiling for a 1-bit PNG
/// is about 8256 (deflate's 1032:1 limit times 8 pixels per byte), hence 8192.
const MAX_PIXELS_PER_BYTE: u64 = 8192;

/// Pixels any image may have whatever its file size (4 megapixels).
const MIN_PIXEL_ALLOWANCE: u64 = 4_000_000;

/// Largest allocation the decoder may make, in bytes.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// Largest side accepted for `max_side_px`.
const MAX_THUMBNAIL_SIDE: u32 = 4096;

/// JPEG quality of thumbnails of opaque images.
const JPEG_QUALITY: u8 = 80;

/// A scaled-down, upright copy of an image, without metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// The encoded thumbnail: JPEG for opaque images, PNG when there is transparency.
    pub bytes: Vec<u8>,
    /// `image/jpeg` or `image/png`.
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The EXIF facts the vault keeps. Location and camera details are deliberately
/// left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExifSummary {
    /// When the picture was taken, in the camera's local time (`DateTimeOriginal`,
    /// else `DateTimeDigitized`, else `DateTime`).
    pub captured_at: Option<NaiveDateTime>,
    /// The offset of `captured_at` from UTC in seconds, when the camera recorded it
    /// (`OffsetTimeOriginal`).
    pub utc_offset_seconds: Option<i32>,
}

/// Makes a thumbnail whose longer side is at most `max_side_px` pixels, with the EXIF
/// orientation applied. An image smaller than that keeps its size.
///
/// Errors:
/// - [`ExtractError::NoDecoder`] for HEIF and PDF, which have no pure-Rust decoder
///   or renderer;
/// - [`ExtractError::Unsupported`] for kinds that are not images;
/// - [`ExtractError::ImageTooLarge`] when the header declares more than
///   [`MAX_PIXELS`], or more than 8192 pixels per byte of file above 4 megapixels;
/// - [`ExtractError::InvalidImage`] for data the decoder rejects.
pub fn thumbnail(bytes: &[u8], kind: Kind, max_side_px: u32) -> Result<Thumbnail, ExtractError> {
    panic::catch_unwind(AssertUnwindSafe(|| {
        make_thumbnail(bytes, kind, max_side_px)
    }))
    .unwrap_or(Err(ExtractError::ParserPanicked { parser: "image" }))
}

fn make_thumbnail(bytes: &[u8], kind: Kind, max_side_px: u32) -> Result<Thumbnail, ExtractError> {
    let format = match kind {
        Kind::Jpeg => ImageFormat::Jpeg,
        Kind::Png => ImageFormat::Png,
        Kind::Tiff => ImageFormat::Tiff,
        Kind::Gif => ImageFormat::Gif,
        Kind::WebP => ImageFormat::WebP,
        Kind::Heif | Kind::Pdf => return Err(ExtractError::NoDecoder(kind)),
        other => return Err(ExtractError::Unsupported(other)),
    };
    let invalid = |error: image::ImageError| ExtractError::InvalidImage {
        kind,
        message: error.to_string(),
    };

    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(invalid)?;

    let (width, height) = decoder.dimensions();
    let max_pixels = pixel_allowance(bytes.len());
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(ExtractError::ImageTooLarge {
            width,
            height,
            max_pixels,
        });
    }
    // A missing or unreadable orientation means the pixels are stored upright.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(invalid)?;

    // Scaling first and rotating the small result gives the same image as the other
    // order, because the bound is square, and costs less.
    let side = max_side_px.clamp(1, MAX_THUMBNAIL_SIDE);
    let mut image = if image.width() > side || image.height() > side {
        image.thumbnail(side, side)
    } else {
        image
    };
    image.apply_orientation(orientation);
    encode(image).map_err(invalid)
}

/// Returns how many pixels a file of `file_len` bytes may declare.
fn pixel_allowance(file_len: usize) -> u64 {
    (file_len as u64)
        .saturating_mul(MAX_PIXELS_PER_BYTE)
        .clamp(MIN_PIXEL_ALLOWANCE, MAX_PIXELS)
}

/// Encodes without any metadata: the encoders of `image` 0.25 write none unless asked.
fn encode(image: DynamicImage) -> Result<Thumbnail, image::ImageError> {
    let (width, height) = (image.width(), image.height());
    let mut bytes = Vec::new();
    let media_type = if image.color().has_alpha() {
        image
            .to_rgba8()
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)?;
        "image/png"
    } else {
        let rgb = image.to_rgb8();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
        rgb.write_with_encoder(encoder)?;
        "image/jpeg"
    };
    Ok(Thumbnail {
        bytes,
        media_type,
        width,
        height,
    })
}

/// Reads the capture date from the EXIF data of a JPEG, TIFF, PNG, WebP or HEIF
/// file. Returns an empty summary when there is no EXIF data or no valid date.
pub fn exif_summary(bytes: &[u8]) -> ExifSummary {
    panic::catch_unwind(|| read_exif_summary(bytes)).unwrap_or_default()
}

fn read_exif_summary(bytes: &[u8]) -> ExifSummary {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return ExifSummary::default();
    };
    let date_tags = [
        exif::Tag::DateTimeOriginal,
        exif::Tag::DateTimeDigitized,
        exif::Tag::DateTime,
    ];
    let captured_at = date_tags.iter().find_map(|&tag| {
        let field = exif.get_field(tag, exif::In::PRIMARY)?;
        match &field.value {
            exif::Value::Ascii(values) => parse_exif_datetime(values.first()?),
            _ => None,
        }
    });
    let utc_offset_seconds = captured_at.and_then(|_| {
        let field = exif.get_field(exif::Tag::OffsetTimeOriginal, exif::In::PRIMARY)?;
        let offset = match &field.value {
            exif::Value::Ascii(values) => parse_exif_offset(values.first()?)?,
            _ => return None,
        };
        Some(offset.local_minus_utc())
    });
    ExifSummary {
        captured_at,
        utc_offset_seconds,
    }
}

/// Parses `YYYY:MM:DD HH:MM:SS`, the EXIF 2.3 date format.
fn parse_exif_datetime(bytes: &[u8]) -> Option<NaiveDateTime> {
    let text = std::str::from_utf8(bytes).ok()?.trim_end_matches('\0');
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )?;
    date.and_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)
}

/// Parses `+HH:MM` or `-HH:MM`.
fn parse_exif_offset(bytes: &[u8]) -> Option<FixedOffset> {
    let text = std::str::from_utf8(bytes).ok()?.trim_end_matches('\0');
    let sign = match text.get(..1)? {
        "+" => 1,
        "-" => -1,
        _ => return None,
    };
    let hours: i32 = text.get(1..3)?.parse().ok()?;
    let minutes: i32 = text.get(4..6)?.parse().ok()?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_date_parses() {
        let date = parse_exif_datetime(b"2008:10:22 16:28:39").unwrap();
        assert_eq!(date.to_string(), "2008-10-22 16:28:39");
    }

    #[test]
    fn blank_exif_date_is_none() {
        assert!(parse_exif_datetime(b"    :  :     :  :  ").is_none());
        assert!(parse_exif_datetime(b"0000:00:00 00:00:00").is_none());
    }

    #[test]
    fn exif_offset_parses() {
        assert_eq!(
            parse_exif_offset(b"+02:00").unwrap().local_minus_utc(),
            7200
        );
        assert_eq!(
            parse_exif_offset(b"-05:30").unwrap().local_minus_utc(),
            -19800
        );
    }

    #[test]
    fn pixel_allowance_grows_with_file_size() {
        assert_eq!(pixel_allowance(0), MIN_PIXEL_ALLOWANCE);
        assert_eq!(pixel_allowance(100), MIN_PIXEL_ALLOWANCE);
        assert_eq!(pixel_allowance(5_000), 40_960_000);
        assert_eq!(pixel_allowance(usize::MAX), MAX_PIXELS);
    }

    #[test]
    fn heif_has_no_decoder() {
        let result = thumbnail(b"\0\0\0\x18ftypheic", Kind::Heif, 256);
        assert!(matches!(result, Err(ExtractError::NoDecoder(Kind::Heif))));
    }

    #[test]
    fn text_is_unsupported() {
        let result = thumbnail(b"hello", Kind::Text, 256);
        assert!(matches!(result, Err(ExtractError::Unsupported(Kind::Text))));
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
        chunk.extend_from_slice(kind);
        chunk.extend_from_slice(data);
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        chunk.extend_from_slice(&crc32(&crc_input).to_be_bytes());
        chunk
    }

    #[test]
    fn absurd_png_dimensions_rejected() {
        // A PNG whose header declares 100000 x 100000 RGB pixels, with a tiny IDAT.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let ihdr = [
            0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0,
        ];
        png.extend(png_chunk(b"IHDR", &ihdr));
        png.extend(png_chunk(b"IDAT", b"\x78\x9c\x03\x00\x00\x00\x00\x01"));
        png.extend(png_chunk(b"IEND", b""));
        let result = thumbnail(&png, Kind::Png, 256);
        assert!(
            matches!(
                result,
                Err(ExtractError::ImageTooLarge {
                    width: 100_000,
                    height: 100_000,
                    ..
                })
            ),
            "{result:?}"
        );
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
