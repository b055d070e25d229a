//! Vault benchmarks, each printed with a baseline measured in the same run.
//!
//! - import of a large binary file against SHA-256 + ChaCha20-Poly1305 sealing of the
//!   same bytes in chunks of the vault's chunk size (the work import cannot avoid), and read-back against
//!   opening those chunks;
//! - PDF import with text extraction, in pages per second;
//! - search latency (p50, p95) over 10,000 documents of about 4 KiB of text;
//! - unlock time with the default Argon2id parameters;
//! - peak resident memory while importing one 200 MB file, in a child process.
//!
//! Run with `cargo bench -p carnet-core --bench vault`. `CARNET_BENCH_DOCS` changes
//! the number of search documents, `CARNET_BENCH_BIG_MB` the size of the large file,
//! and `CARNET_BENCH_ONLY=large,pdf,search,unlock,memory` picks sections.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use carnet_core::crypto::{Context, SecretKey};
use carnet_core::import::{ImportOptions, KnownMetadata};
use carnet_core::{KdfParams, NewPerson, Relation, Sex, Unlock, Vault};
use sha2::{Digest, Sha256};

const PASSPHRASE: &str = "cheval-agrafe-pile-correcte-1987";
const MIB: f64 = 1024.0 * 1024.0;

fn main() {
    if let Ok(path) = std::env::var("CARNET_BENCH_CHILD_IMPORT") {
        child_import(Path::new(&path));
        return;
    }
    // `cargo bench` passes `--bench`; nothing else is expected.
    let work = tempfile::tempdir().unwrap();
    println!(
        "Carnet vault benchmarks ({} cores)",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!();
    let only = std::env::var("CARNET_BENCH_ONLY").unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only.split(',').any(|n| n == name);
    if wanted("large") {
        large_file(work.path());
    }
    if wanted("pdf") {
        pdf_pages(work.path());
    }
    if wanted("search") {
        search(work.path());
    }
    if wanted("unlock") {
        unlock(work.path());
    }
    if wanted("memory") {
        peak_memory(work.path());
    }
}

fn new_vault(dir: &Path, params: KdfParams) -> (Vault, String) {
    let (mut vault, _) = Vault::create(dir, PASSPHRASE, params).unwrap();
    let person = vault
        .add_person(NewPerson {
            name: "Camille Martin".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1986, 4, 12).unwrap(),
            sex: Sex::Female,
            relation: Relation::Titulaire,
            ins: None,
        })
        .unwrap();
    (vault, person.id)
}

fn random_file(path: &Path, size: usize) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut block = vec![0u8; 1 << 20];
    let mut written = 0;
    while written < size {
        for chunk in block.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
        }
        let n = block.len().min(size - written);
        file.write_all(&block[..n]).unwrap();
        written += n;
    }
    file.flush().unwrap();
}

fn large_file(work: &Path) {
    let size = 256usize << 20;
    let path = work.join("scan.bin");
    random_file(&path, size);
    let bytes = std::fs::read(&path).unwrap();

    // Baseline: hash + seal the same bytes in chunks of the vault's size, in memory.
    let key = SecretKey::generate().unwrap();
    let started = Instant::now();
    let mut hasher = Sha256::new();
    let mut sealed = Vec::new();
    for (i, chunk) in bytes
        .chunks(carnet_core::vault::chunks::CHUNK_SIZE)
        .enumerate()
    {
        hasher.update(chunk);
        sealed.push(
            key.seal(&Context::chunk("doc", "original", i as u32), chunk)
                .unwrap(),
        );
    }
    std::hint::black_box(hasher.finalize());
    let seal_time = started.elapsed();
    let started = Instant::now();
    for (i, chunk) in sealed.iter().enumerate() {
        std::hint::black_box(
            key.open(&Context::chunk("doc", "original", i as u32), chunk)
                .unwrap(),
        );
    }
    let open_time = started.elapsed();

    // Second baseline: the disk. Write the sealed chunks as files, each synced, as
    // the vault must; an import cannot be faster than this on the same disk.
    let disk_dir = work.join("disk-baseline");
    std::fs::create_dir_all(&disk_dir).unwrap();
    let started = Instant::now();
    for (i, chunk) in sealed.iter().enumerate() {
        let mut file = std::fs::File::create(disk_dir.join(i.to_string())).unwrap();
        file.write_all(chunk).unwrap();
        file.sync_all().unwrap();
    }
    let disk_time = started.elapsed();
    std::fs::remove_dir_all(&disk_dir).unwrap();
    drop(sealed);
    drop(bytes);

    let (mut vault, person_id) = new_vault(&work.join("large"), KdfParams::INSECURE_FOR_TESTS);
    let options = ImportOptions {
        person_id,
        source: "import".into(),
        force: false,
    };
    let started = Instant::now();
    let summary = vault
        .import_paths(
            std::slice::from_ref(&path),
            &options,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    let import_time = started.elapsed();
    assert_eq!(summary.imported, 1);
    let id = vault.documents(&Default::default(), 0, 1).unwrap().1[0]
        .id
        .clone();
    let started = Instant::now();
    vault
        .read_role(&id, "original", &mut std::io::sink())
        .unwrap();
    let read_time = started.elapsed();

    let rate = |d: Duration| size as f64 / MIB / d.as_secs_f64();
    println!("Large binary document ({} MiB)", size >> 20);
    println!("  baseline hash+seal       {:>8.1} MiB/s", rate(seal_time));
    println!("  baseline synced writes   {:>8.1} MiB/s", rate(disk_time));
    println!(
        "  import (file → vault)    {:>8.1} MiB/s   ratio {:.2}× of hash+seal (target ≥ 0.5×), {:.2}× of synced writes",
        rate(import_time),
        seal_time.as_secs_f64() / import_time.as_secs_f64(),
        disk_time.as_secs_f64() / import_time.as_secs_f64()
    );
    println!("  baseline open            {:>8.1} MiB/s", rate(open_time));
    println!(
        "  read back (vault → sink) {:>8.1} MiB/s   ratio {:.2}× (target ≥ 0.5×)",
        rate(read_time),
        open_time.as_secs_f64() / read_time.as_secs_f64()
    );
    println!();
    std::fs::remove_file(&path).unwrap();
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pdf")
}

fn pdf_pages(work: &Path) {
    let (mut vault, person_id) = new_vault(&work.join("pdf"), KdfParams::INSECURE_FOR_TESTS);
    let options = ImportOptions {
        person_id,
        source: "import".into(),
        force: false,
    };
    let started = Instant::now();
    vault
        .import_paths(
            &[fixtures()],
            &options,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    let elapsed = started.elapsed();
    let (count, documents) = vault.documents(&Default::default(), 0, 100).unwrap();
    let pages: u32 = documents.iter().filter_map(|d| d.pages).sum();
    println!("PDF import with text extraction ({count} files, {pages} pages)");
    println!(
        "  {:.1} pages/s, {:.1} files/s",
        pages as f64 / elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64()
    );
    println!();
}

include!("../../benches/corpus.rs");

fn search(work: &Path) {
    let documents: usize = std::env::var("CARNET_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let (mut vault, person_id) = new_vault(&work.join("search"), KdfParams::INSECURE_FOR_TESTS);
    let options = ImportOptions {
        person_id,
        source: "import".into(),
        force: false,
    };
    let mut corpus = Corpus::new(42);
    let started = Instant::now();
    for i in 0..documents {
        let text = corpus.document(4096);
        vault
            .import_bytes(
                &format!("note-{i}.txt"),
                text.as_bytes(),
                &options,
                &KnownMetadata::default(),
            )
            .unwrap();
    }
    let fill = started.elapsed();

    let queries = [
        "hémoglobine glyquée",
        "vaccination rappel",
        "amoxicilline otite",
        "echographie",
        "créat",
        "tension arterielle",
    ];
    let mut latencies = Vec::new();
    for round in 0..20 {
        for query in queries {
            let started = Instant::now();
            let hits = vault.search(query, None, 20).unwrap();
            latencies.push(started.elapsed());
            if round == 0 {
                assert!(!hits.is_empty(), "{query}");
            }
        }
    }
    latencies.sort();
    let percentile = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "Search over {documents} documents of ~4 KiB text (filled in {:.1} s, {:.0} documents/s)",
        fill.as_secs_f64(),
        documents as f64 / fill.as_secs_f64()
    );
    println!(
        "  {} queries: p50 {:.2} ms, p95 {:.2} ms (target ≤ 20 ms), max {:.2} ms",
        latencies.len(),
        percentile(0.5).as_secs_f64() * 1e3,
        percentile(0.95).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
    println!();
}

fn unlock(work: &Path) {
    let dir = work.join("unlock");
    let (vault, _) = new_vault(&dir, KdfParams::DEFAULT);
    drop(vault);
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let vault = Vault::unlock(&dir, Unlock::Passphrase(PASSPHRASE)).unwrap();
        times.push(started.elapsed());
        drop(vault);
    }
    times.sort();
    let p = KdfParams::DEFAULT;
    println!(
        "Unlock with default Argon2id (m = {} MiB, t = {}, p = {})",
        p.memory_kib / 1024,
        p.iterations,
        p.parallelism
    );
    println!(
        "  median {:.3} s over 5 unlocks (intent 0.3–1 s)",
        times[2].as_secs_f64()
    );
    println!();
}

fn peak_memory(work: &Path) {
    let megabytes: usize = std::env::var("CARNET_BENCH_BIG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let path = work.join("big.bin");
    random_file(&path, megabytes << 20);
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .env("CARNET_BENCH_CHILD_IMPORT", &path)
        .env("CARNET_BENCH_WORK", work)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    println!("Import of one {megabytes} MB file in a fresh process");
    println!("  {} (target < 150 MB)", report.trim());
    std::fs::remove_file(&path).unwrap();
}

fn child_import(path: &Path) {
    let work = PathBuf::from(std::env::var("CARNET_BENCH_WORK").unwrap());
    let (mut vault, person_id) = new_vault(&work.join("memory"), KdfParams::INSECURE_FOR_TESTS);
    let options = ImportOptions {
        person_id,
        source: "import".into(),
        force: false,
    };
    vault
        .import_paths(
            &[path.to_path_buf()],
            &options,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unknown");
    println!(
        "peak resident memory {}",
        peak.trim_start_matches("VmHWM:").trim()
    );
}
