//! Agenda benchmark: `.ics` import of the largest fixture against a plain
//! line-unfolding pass over the same bytes (measured in the same run, so the
//! ratio holds on a noisy machine), and ten-year expansion of every recurring
//! fixture event.
//!
//! Run: `cargo bench -p carnet-agenda --bench agenda`

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use carnet_agenda::event::Event;
use carnet_agenda::ics::import_ics;
use carnet_agenda::occurrences;

const ROUNDS: usize = 31;
const FIXTURE_FOLDERS: [&str; 5] = ["ical.js", "ical4j", "icalendar-py", "ics-py", "synthetic"];

/// Baseline: split lines on CR/LF and join folded continuations, nothing else.
fn unfold_only(bytes: &[u8]) -> usize {
    let text = std::str::from_utf8(bytes).expect("fixture is UTF-8");
    let mut logical = String::new();
    let mut count = 0;
    for line in text.split(['\r', '\n']) {
        if let Some(rest) = line.strip_prefix([' ', '\t']) {
            logical.push_str(rest);
        } else if !line.is_empty() {
            if !logical.is_empty() {
                count += black_box(&logical).len();
            }
            logical.clear();
            logical.push_str(line);
        }
    }
    count + logical.len()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn fixtures_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every good fixture concatenated, repeated until the file reaches 1 MiB:
/// a file with many VCALENDARs from different exporters.
fn many_calendars() -> Vec<u8> {
    let mut one_round = Vec::new();
    for folder in FIXTURE_FOLDERS {
        let mut paths: Vec<_> = std::fs::read_dir(fixtures_root().join(folder))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "ics"))
            .collect();
        paths.sort();
        for path in paths {
            one_round.extend(std::fs::read(path).unwrap());
            one_round.extend(b"\r\n");
        }
    }
    let mut bytes = Vec::new();
    while bytes.len() < 1024 * 1024 {
        bytes.extend(&one_round);
    }
    bytes
}

fn bench_import(label: &str, bytes: &[u8]) {
    let mut import_times = Vec::new();
    let mut unfold_times = Vec::new();
    let mut events = 0;
    // Alternate the two passes so that both see the same machine state.
    for _ in 0..ROUNDS {
        let start = Instant::now();
        black_box(unfold_only(black_box(bytes)));
        unfold_times.push(start.elapsed());

        let start = Instant::now();
        let report = import_ics(black_box(bytes)).unwrap();
        import_times.push(start.elapsed());
        events = report.events.len();
    }
    let import = median(import_times);
    let unfold = median(unfold_times);
    let mib = bytes.len() as f64 / (1024.0 * 1024.0);
    println!("import {label}: {} bytes, {events} events", bytes.len());
    println!(
        "  import  median {:>9.3} ms  {:>8.1} MiB/s",
        import.as_secs_f64() * 1e3,
        mib / import.as_secs_f64()
    );
    println!(
        "  unfold  median {:>9.3} ms  {:>8.1} MiB/s",
        unfold.as_secs_f64() * 1e3,
        mib / unfold.as_secs_f64()
    );
    println!(
        "  ratio import / unfold: {:.2}",
        import.as_secs_f64() / unfold.as_secs_f64()
    );
}

fn recurring_fixture_events() -> Vec<Event> {
    let mut events = Vec::new();
    for folder in FIXTURE_FOLDERS {
        for entry in std::fs::read_dir(fixtures_root().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ics") {
                let report = import_ics(&std::fs::read(&path).unwrap()).unwrap();
                events.extend(report.events.into_iter().filter(Event::is_recurring));
            }
        }
    }
    events
}

fn bench_expansion() {
    let events = recurring_fixture_events();
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        total = 0;
        for event in &events {
            let from = event.start.naive_local();
            let to = from + chrono::Duration::days(3653);
            total += black_box(occurrences(std::slice::from_ref(event), from, to)).len();
        }
        times.push(start.elapsed());
    }
    let time = median(times);
    println!(
        "expand {} recurring fixture events over ten years: {total} occurrences",
        events.len()
    );
    println!(
        "  median {:>9.3} ms  {:>8.0} occurrences/s",
        time.as_secs_f64() * 1e3,
        total as f64 / time.as_secs_f64()
    );
}

fn main() {
    let emoji = std::fs::read(fixtures_root().join("ics-py/utf-8-emoji.ics")).unwrap();
    bench_import("ics-py/utf-8-emoji.ics", &emoji);
    bench_import("all fixtures concatenated to 1 MiB", &many_calendars());
    bench_expansion();
}
