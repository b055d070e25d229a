//! Import throughput and peak heap of `carnet-clinical`, printed as plain figures.
//!
//! Run with `cargo bench -p carnet-clinical`. It measures:
//! - FHIR resources per second importing the largest Synthea bundle, against
//!   `serde_json::from_slice::<serde_json::Value>` of the same bytes in the same run;
//! - CDA documents per second over every CDA fixture;
//! - the peak heap growth while importing the ~4 MB bundle, with a counting
//!   global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Wraps the system allocator to track live and peak heap bytes.
struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwards the caller's layout unchanged to the system allocator.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as `GlobalAlloc::realloc`, forwarded unchanged.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size > layout.size() {
                let grown = new_size - layout.size();
                let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const ROUNDS: usize = 7;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time_rounds(mut run: impl FnMut()) -> Duration {
    run();
    let samples = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn cda_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            cda_files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "SOURCES.md") {
            out.push(path);
        }
    }
}

fn main() {
    let bundle_path = fixtures().join("fhir/synthea/Fletcher_Hyatt_fe0562b5.json");
    let bundle = std::fs::read(&bundle_path).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&bundle).unwrap();
    let resources = value["entry"].as_array().map_or(0, Vec::len);
    drop(value);

    let import_time = time_rounds(|| {
        let import = carnet_clinical::parse(&bundle).unwrap();
        std::hint::black_box(import);
    });
    let value_time = time_rounds(|| {
        let value: serde_json::Value = serde_json::from_slice(&bundle).unwrap();
        std::hint::black_box(value);
    });
    let import_rate = resources as f64 / import_time.as_secs_f64();
    let value_rate = resources as f64 / value_time.as_secs_f64();
    println!(
        "FHIR bundle {} ({} bytes, {resources} resources)",
        bundle_path.file_name().unwrap().to_string_lossy(),
        bundle.len()
    );
    println!(
        "  carnet_clinical::parse: median {:.1} ms, {import_rate:.0} resources/s",
        import_time.as_secs_f64() * 1e3
    );
    println!(
        "  serde_json::Value:      median {:.1} ms, {value_rate:.0} resources/s",
        value_time.as_secs_f64() * 1e3
    );
    println!("  ratio parse/Value: {:.2}x", import_rate / value_rate);

    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let import = carnet_clinical::parse(&bundle).unwrap();
    let peak_growth = PEAK.load(Ordering::Relaxed) - baseline;
    let retained = LIVE.load(Ordering::Relaxed) - baseline;
    drop(import);
    println!(
        "  peak heap during parse: {:.1} MB above the input ({:.2}x the file size); \
         result keeps {:.1} MB",
        peak_growth as f64 / 1e6,
        peak_growth as f64 / bundle.len() as f64,
        retained as f64 / 1e6
    );

    let mut files = Vec::new();
    cda_files(&fixtures().join("cda"), &mut files);
    let documents: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let total_bytes: usize = documents.iter().map(Vec::len).sum();
    let cda_time = time_rounds(|| {
        for bytes in &documents {
            let import = carnet_clinical::parse(bytes).unwrap();
            std::hint::black_box(import);
        }
    });
    println!(
        "CDA fixtures ({} documents, {:.1} MB)",
        documents.len(),
        total_bytes as f64 / 1e6
    );
    println!(
        "  median {:.1} ms per pass, {:.0} documents/s, {:.1} MB/s",
        cda_time.as_secs_f64() * 1e3,
        documents.len() as f64 / cda_time.as_secs_f64(),
        total_bytes as f64 / 1e6 / cda_time.as_secs_f64()
    );
}
