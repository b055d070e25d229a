//! Throughput of PDF text extraction and JPEG thumbnails over the test fixtures.
//!
//! Run with `cargo bench -p carnet-extract`. Each figure comes with a baseline
//! measured in the same run, because shared machines are noisy. PDF extraction is
//! compared with `lopdf` loading the same file. A thumbnail is compared with a plain
//! decode of the same JPEG by the `image` crate.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use carnet_extract::{Kind, extract_pdf, thumbnail};

/// Minimum time spent on each measurement.
const MEASURE_FOR: Duration = Duration::from_secs(2);

const PDFS: [&str; 5] = [
    "pdf/libreoffice-writer-trivial.pdf",
    "pdf/minimal-document_pdftex.pdf",
    "pdf/google-doc-document.pdf",
    "pdf/multicolumn.pdf",
    "pdf/grayscale-image_IMAGE-ONLY.pdf",
];

const JPEGS: [&str; 4] = [
    "images/DSCN0010_gps.jpg",
    "images/Landscape_6_orient6.jpg",
    "images/Portrait_8_orient8.jpg",
    "images/ianare_portrait_6_orient6.jpg",
];

fn main() {
    pdf_throughput();
    thumbnail_speed();
}

fn fixture(relative: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Runs `work` repeatedly for at least [`MEASURE_FOR`] and returns the mean time of
/// one run.
fn mean_time(mut work: impl FnMut()) -> Duration {
    work();
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < MEASURE_FOR {
        work();
        runs += 1;
    }
    start.elapsed() / runs
}

fn pdf_throughput() {
    println!("PDF text extraction (extract_pdf, default limits)");
    println!(
        "{:<40} {:>5} {:>12} {:>12} {:>14}",
        "file", "pages", "ms/file", "pages/s", "x lopdf load"
    );
    let mut total_pages = 0u64;
    let mut total_time = Duration::ZERO;
    for name in PDFS {
        let bytes = fixture(name);
        let pages = u64::from(extract_pdf(&bytes).unwrap().page_count.unwrap());
        let extract = mean_time(|| {
            black_box(extract_pdf(black_box(&bytes)).unwrap());
        });
        let load = mean_time(|| {
            black_box(lopdf::Document::load_mem(black_box(&bytes)).ok());
        });
        total_pages += pages;
        total_time += extract;
        println!(
            "{:<40} {:>5} {:>12.2} {:>12.0} {:>14.1}",
            name.trim_start_matches("pdf/"),
            pages,
            extract.as_secs_f64() * 1e3,
            pages as f64 / extract.as_secs_f64(),
            extract.as_secs_f64() / load.as_secs_f64(),
        );
    }
    println!(
        "all files: {total_pages} pages in {:.2} ms, {:.0} pages/s\n",
        total_time.as_secs_f64() * 1e3,
        total_pages as f64 / total_time.as_secs_f64()
    );
}

fn thumbnail_speed() {
    println!("JPEG thumbnails (thumbnail, longer side 256 px, EXIF orientation applied)");
    println!(
        "{:<40} {:>6} {:>12} {:>10} {:>14}",
        "file", "MP", "ms/image", "ms/MP", "x plain decode"
    );
    for name in JPEGS {
        let bytes = fixture(name);
        let image = image::load_from_memory(&bytes).unwrap();
        let megapixels = f64::from(image.width()) * f64::from(image.height()) / 1e6;
        let thumb = mean_time(|| {
            black_box(thumbnail(black_box(&bytes), Kind::Jpeg, 256).unwrap());
        });
        let decode = mean_time(|| {
            black_box(image::load_from_memory(black_box(&bytes)).unwrap());
        });
        println!(
            "{:<40} {:>6.2} {:>12.2} {:>10.2} {:>14.2}",
            name.trim_start_matches("images/"),
            megapixels,
            thumb.as_secs_f64() * 1e3,
            thumb.as_secs_f64() * 1e3 / megapixels,
            thumb.as_secs_f64() / decode.as_secs_f64(),
        );
    }
}
