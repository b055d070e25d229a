//! Compares Carnet's recurrence expansion with the Python package
//! `recurring-ical-events` on every fixture, over a two-year window that
//! starts on the earliest DTSTART of the file.
//!
//! The Python interpreter is named by `CARNET_PEER_PYTHON` and must have
//! `recurring-ical-events` installed. The test fails when the variable is
//! unset, so that a missing peer is never mistaken for a pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use carnet_agenda::event::EventTime;
use carnet_agenda::ics::import_ics;
use carnet_agenda::occurrences;
use chrono::{Duration, NaiveDate};
use serde_json::Value;

const WINDOW_DAYS: i64 = 730;

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for folder in [
        "ical.js",
        "ical4j",
        "icalendar-py",
        "ics-py",
        "synthetic",
        "bad",
    ] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ics") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn render(time: &EventTime) -> String {
    match time {
        EventTime::Date { date } => date.format("%Y-%m-%d").to_string(),
        EventTime::Floating { local } => local.format("%Y-%m-%dT%H:%M:%S").to_string(),
        _ => time
            .to_utc(chrono_tz::UTC)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    }
}

type Row = (String, String, Option<String>);

fn peer_rows(
    python: &str,
    file: &Path,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeSet<Row>, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peer/expand.py");
    let output = Command::new(python)
        .arg(&script)
        .arg(file)
        .arg(from.to_string())
        .arg(to.to_string())
        .output()
        .unwrap_or_else(|e| panic!("failed to run {python}: {e}"));
    assert!(
        output.status.success(),
        "peer script failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).expect("peer output is JSON");
    if let Some(error) = json.get("error") {
        return Err(error.to_string());
    }
    Ok(json
        .as_array()
        .expect("peer output is a list")
        .iter()
        .map(|row| {
            (
                row["uid"].as_str().unwrap().to_owned(),
                row["start"].as_str().unwrap().to_owned(),
                row["end"].as_str().map(str::to_owned),
            )
        })
        .collect())
}

#[test]
fn expansion_matches_recurring_ical_events() {
    let python = std::env::var("CARNET_PEER_PYTHON").unwrap_or_else(|_| {
        panic!(
            "CARNET_PEER_PYTHON is not set. Create a venv with \
             `python3 -m venv /path/venv && /path/venv/bin/pip install recurring-ical-events`, \
             then run `CARNET_PEER_PYTHON=/path/venv/bin/python cargo test -p carnet-agenda`."
        )
    });
    let mut compared = 0;
    for file in fixture_files() {
        let report = import_ics(&std::fs::read(&file).unwrap());
        let events = report
            .as_ref()
            .map(|r| r.events.clone())
            .unwrap_or_default();
        let from = events
            .iter()
            .map(|e| e.start.naive_local().date())
            .min()
            .unwrap_or(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        let to = from + Duration::days(WINDOW_DAYS);

        let peer = match peer_rows(&python, &file, from, to) {
            Ok(rows) => rows,
            Err(peer_error) => {
                // The peer cannot read the file; Carnet must then report a problem too.
                let reported = match &report {
                    Err(_) => true,
                    Ok(r) => !r.rejected.is_empty() || !r.warnings.is_empty(),
                };
                assert!(
                    reported,
                    "{}: peer failed ({peer_error}) but Carnet reported nothing",
                    file.display()
                );
                continue;
            }
        };
        let ends_known = peer.iter().all(|(_, _, end)| end.is_some());
        let ours: BTreeSet<Row> = occurrences(&events, from.into(), to.into())
            .iter()
            .map(|o| {
                // Carnet gives an event without UID a synthesized one; the peer prints "".
                let uid = if o.uid.starts_with("carnet-import-") {
                    String::new()
                } else {
                    o.uid.clone()
                };
                let end = ends_known.then(|| render(&o.end));
                (uid, render(&o.start), end)
            })
            .collect();
        assert_eq!(ours, peer, "{} window {from}..{to}", file.display());
        eprintln!("{}: {} occurrences agree", file.display(), ours.len());
        compared += 1;
    }
    assert!(compared > 15, "only {compared} fixtures compared");
}
