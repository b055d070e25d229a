//! Thumbnails and EXIF dates on real photos with EXIF orientation and GPS tags.

mod common;

use std::io::Cursor;

use carnet_extract::{ExtractError, Kind, exif_summary, sniff, thumbnail};
use common::fixture;

/// Width and height of the pixels as stored, before any orientation.
fn stored_dimensions(bytes: &[u8]) -> (u32, u32) {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap()
}

#[test]
fn orientation_6_and_8_swap_sides() {
    for name in [
        "images/Landscape_6_orient6.jpg",
        "images/Portrait_8_orient8.jpg",
        "images/ianare_portrait_6_orient6.jpg",
    ] {
        let bytes = fixture(name);
        let (width, height) = stored_dimensions(&bytes);
        let thumb = thumbnail(&bytes, Kind::Jpeg, 4096).unwrap();
        assert_eq!((thumb.width, thumb.height), (height, width), "{name}");
    }
}

#[test]
fn known_stored_and_upright_sizes() {
    let bytes = fixture("images/Landscape_6_orient6.jpg");
    assert_eq!(stored_dimensions(&bytes), (1200, 1800));
    let thumb = thumbnail(&bytes, Kind::Jpeg, 256).unwrap();
    assert_eq!((thumb.width, thumb.height), (256, 171));
    assert_eq!(thumb.media_type, "image/jpeg");
}

#[test]
fn thumbnail_is_a_decodable_jpeg() {
    let thumb = thumbnail(&fixture("images/Portrait_8_orient8.jpg"), Kind::Jpeg, 200).unwrap();
    assert_eq!(sniff(&thumb.bytes), Kind::Jpeg);
    assert_eq!(stored_dimensions(&thumb.bytes), (thumb.width, thumb.height));
    assert_eq!((thumb.width, thumb.height), (133, 200));
}

#[test]
fn gps_photo_thumbnail_has_no_exif() {
    let original = fixture("images/DSCN0010_gps.jpg");
    // The original does carry GPS data, so the check below is meaningful.
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(&original))
        .unwrap();
    assert!(
        exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some()
    );

    let thumb = thumbnail(&original, Kind::Jpeg, 320).unwrap();
    assert!(
        exif::Reader::new()
            .read_from_container(&mut Cursor::new(&thumb.bytes))
            .is_err()
    );
    assert!(!contains(&thumb.bytes, b"Exif\0\0"));
    assert!(!contains(&thumb.bytes, b"GPS"));
    assert!(!contains(&thumb.bytes, b"NIKON"));
    assert!(!contains(&thumb.bytes, &[0xFF, 0xE1]), "no APP1 segment");
}

#[test]
fn exif_summary_gives_capture_date_only() {
    let summary = exif_summary(&fixture("images/DSCN0010_gps.jpg"));
    assert_eq!(
        summary.captured_at.unwrap().to_string(),
        "2008-10-22 16:28:39"
    );
    assert_eq!(summary.utc_offset_seconds, None);
}

#[test]
fn exif_summary_of_non_image_is_empty() {
    assert_eq!(exif_summary(b"not an image"), Default::default());
}

#[test]
fn other_formats_round_trip() {
    let source = image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(40, 20, |x, y| {
        image::Rgba([x as u8 * 6, y as u8 * 12, 0, if x < 20 { 255 } else { 128 }])
    }));
    for (format, kind) in [
        (image::ImageFormat::Png, Kind::Png),
        (image::ImageFormat::Tiff, Kind::Tiff),
        (image::ImageFormat::Gif, Kind::Gif),
        (image::ImageFormat::WebP, Kind::WebP),
    ] {
        let mut encoded = Vec::new();
        source
            .write_to(&mut Cursor::new(&mut encoded), format)
            .unwrap();
        assert_eq!(sniff(&encoded), kind);
        let thumb = thumbnail(&encoded, kind, 10).unwrap();
        assert_eq!((thumb.width, thumb.height), (10, 5), "{kind:?}");
    }
}

#[test]
fn transparent_image_gives_png() {
    let source = image::DynamicImage::ImageRgba8(image::RgbaImage::new(8, 8));
    let mut encoded = Vec::new();
    source
        .write_to(&mut Cursor::new(&mut encoded), image::ImageFormat::Png)
        .unwrap();
    let thumb = thumbnail(&encoded, Kind::Png, 64).unwrap();
    assert_eq!(thumb.media_type, "image/png");
    assert_eq!(sniff(&thumb.bytes), Kind::Png);
}

#[test]
fn truncated_jpeg_does_not_panic() {
    let bytes = fixture("images/DSCN0010_gps.jpg");
    for cut in [2, 100, 1000, bytes.len() / 2] {
        let _ = thumbnail(&bytes[..cut], Kind::Jpeg, 128);
    }
}

#[test]
fn wrong_kind_is_an_image_error() {
    let result = thumbnail(&fixture("images/DSCN0010_gps.jpg"), Kind::Png, 128);
    assert!(
        matches!(
            result,
            Err(ExtractError::InvalidImage {
                kind: Kind::Png,
                ..
            })
        ),
        "{result:?}"
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
