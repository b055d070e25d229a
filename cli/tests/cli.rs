//! The `carnet` command line as a user and a script drive it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASSPHRASE: &str = "cheval-agrafe-pile-correcte-1987";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

struct Env {
    _dir: tempfile::TempDir,
    vault: PathBuf,
    work: PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        let work = dir.path().to_path_buf();
        Env {
            _dir: dir,
            vault,
            work,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_carnet"));
        command
            .args(args)
            .env("CARNET_VAULT", &self.vault)
            .env("CARNET_PASSPHRASE", PASSPHRASE)
            .env("CARNET_INSECURE_TEST_KDF", "1")
            .env("CARNET_LANG", "fr")
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "carnet {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn initialised() -> Env {
        let env = Env::new();
        env.ok(&["init"]);
        env.ok(&[
            "person",
            "add",
            "--name",
            "Camille Martin",
            "--birth-date",
            "1986-04-12",
            "--sex",
            "F",
        ]);
        env
    }
}

#[test]
fn init_prints_kit_once_and_warns() {
    let env = Env::new();
    let output = env.run(&["init"]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stdout.contains("KIT DE RÉCUPÉRATION"));
    assert!(stderr.contains("vos données seront perdues"));
    let kit_line = stdout
        .lines()
        .find(|l| l.trim().len() == 47 && l.trim().matches('-').count() == 7);
    assert!(kit_line.is_some(), "no recovery kit line in {stdout}");
    assert!(!env.ok(&["log"]).contains(kit_line.unwrap().trim()));
}

#[test]
fn weak_passphrase_is_refused_with_reason() {
    let env = Env::new();
    let output = env
        .command(&["init"])
        .env("CARNET_PASSPHRASE", "azerty")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("au moins 12 caractères"), "{stderr}");
    assert!(!env.vault.join("carnet-vault.json").exists());
}

#[test]
fn passphrase_read_twice_from_stdin() {
    let env = Env::new();
    let mut child = env
        .command(&["init"])
        .env_remove("CARNET_PASSPHRASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSPHRASE}\n{PASSPHRASE}\n").as_bytes())
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    assert!(env.vault.join("carnet-vault.json").exists());
}

#[test]
fn invalid_ins_names_the_expected_key() {
    let env = Env::initialised();
    let output = env.run(&[
        "person",
        "add",
        "--name",
        "Léo Martin",
        "--birth-date",
        "2021-09-03",
        "--relation",
        "enfant",
        "--ins",
        "279035121518988",
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("attendue : 89"), "{stderr}");
    env.ok(&[
        "person",
        "add",
        "--name",
        "Léo Martin",
        "--birth-date",
        "2021-09-03",
        "--relation",
        "enfant",
        "--ins",
        "2 79 03 51 215 189 89",
    ]);
    let people = env.json(&["person", "list", "--json"]);
    assert_eq!(people.as_array().unwrap().len(), 2);
    assert_eq!(people[1]["ins"], "279035121518989");
    assert_eq!(people[1]["relation"], "enfant");
}

#[test]
fn direction_override_names_rejected() {
    let env = Env::initialised();
    let spoofed = "Bilan \u{202E}fdp.exe";
    let output = env.run(&[
        "person",
        "add",
        "--name",
        spoofed,
        "--birth-date",
        "2015-06-01",
        "--sex",
        "M",
    ]);
    assert!(!output.status.success());
    let id = import_one_pdf(&env);
    let edit = env.run(&["doc", "edit", &id, "--title", spoofed]);
    assert!(!edit.status.success());
    let listed = env.ok(&["person", "list"]);
    assert!(!listed.contains('\u{202E}'), "{listed}");
}

#[test]
fn import_folder_reports_each_file_and_goes_on() {
    let env = Env::initialised();
    let bad = fixtures().join("bad").join("xml");
    let pdf = fixtures().join("pdf");
    let output = env.run(&["import", bad.to_str().unwrap(), pdf.to_str().unwrap()]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rejected: Vec<&str> = stdout.lines().filter(|l| l.starts_with('✗')).collect();
    assert!(
        rejected
            .iter()
            .any(|l| l.contains("xxe_external_file.xml") && l.contains("DTD")),
        "{stdout}"
    );
    assert!(
        rejected
            .iter()
            .any(|l| l.contains("unclosed-element_truncated.xml")),
        "{stdout}"
    );
    assert!(stdout.contains("importés"), "{stdout}");
    assert!(env.json(&["list", "--json"]).as_array().unwrap().len() >= 6);
}

#[test]
fn import_all_rejected_fails() {
    let env = Env::initialised();
    let bad = fixtures().join("bad").join("xml");
    let output = env.run(&["import", bad.to_str().unwrap()]);
    assert!(!output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.lines().any(|l| l.starts_with('✗')), "{stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("Aucun fichier n'a été importé"), "{stderr}");
}

#[test]
fn search_show_extract_round_trip() {
    let env = Env::initialised();
    let pdf = fixtures().join("pdf").join("google-doc-document.pdf");
    env.ok(&["import", "--person", "Camille", pdf.to_str().unwrap()]);

    let hits = env.json(&["search", "BEAUTIFUL explicit", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 1);
    let id = hits[0]["document"]["id"].as_str().unwrap().to_string();
    let short = &id[id.len() - 8..];

    let shown = env.json(&["show", short, "--json"]);
    assert_eq!(shown["original_name"], "google-doc-document.pdf");
    assert_eq!(shown["text_status"], "extracted");

    let out = env.work.join("copie.pdf");
    env.ok(&["extract", short, "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&pdf).unwrap());
}

/// Imports `multicolumn.pdf` and returns its document id.
fn import_one_pdf(env: &Env) -> String {
    let pdf = fixtures().join("pdf").join("multicolumn.pdf");
    env.ok(&["import", pdf.to_str().unwrap()]);
    env.json(&["list", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn edit_then_delete_with_confirmation() {
    let env = Env::initialised();
    let id = import_one_pdf(&env);

    env.ok(&[
        "doc",
        "edit",
        &id,
        "--category",
        "biologie",
        "--title",
        "Bilan de mars",
        "--date",
        "2024-03-14",
    ]);
    let listed = env.json(&["list", "--category", "BIOLOGIE", "--json"]);
    assert_eq!(listed[0]["title"], "Bilan de mars");
    assert_eq!(listed[0]["date"], "2024-03-14");

    let bad_category = env.run(&["doc", "edit", &id, "--category", "n'importe quoi"]);
    assert!(!bad_category.status.success());

    // Without a "oui" on standard input nothing is deleted.
    env.ok(&["doc", "delete", &id]);
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 1);
    env.ok(&["doc", "delete", &id, "--yes"]);
    assert!(env.json(&["list", "--json"]).as_array().unwrap().is_empty());
}

#[test]
fn export_and_import_archive() {
    let env = Env::initialised();
    env.ok(&["import", fixtures().join("images").to_str().unwrap()]);
    let archive = env.work.join("export.zip");
    env.ok(&["export", "--out", archive.to_str().unwrap()]);

    let target = env.work.join("restored");
    let output = env
        .command(&["import-archive", archive.to_str().unwrap()])
        .env("CARNET_VAULT", &target)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored = env
        .command(&["list", "--json"])
        .env("CARNET_VAULT", &target)
        .output()
        .unwrap();
    let restored: serde_json::Value = serde_json::from_slice(&restored.stdout).unwrap();
    let original = env.json(&["list", "--json"]);
    assert_eq!(
        restored.as_array().unwrap().len(),
        original.as_array().unwrap().len()
    );
}

#[test]
fn journal_lists_and_verifies() {
    let env = Env::initialised();
    env.ok(&[
        "import",
        fixtures()
            .join("pdf")
            .join("multicolumn.pdf")
            .to_str()
            .unwrap(),
    ]);
    let log = env.ok(&["log"]);
    assert!(log.contains("document importé"), "{log}");
    let verified = env.ok(&["log", "--verify"]);
    assert!(verified.contains("Journal intègre"), "{verified}");
}

#[test]
fn wrong_passphrase_and_missing_vault_are_explained() {
    let env = Env::initialised();
    let output = env
        .command(&["list"])
        .env("CARNET_PASSPHRASE", "pas-la-bonne-phrase")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Phrase de passe incorrecte"));

    let english = env
        .command(&["list"])
        .env("CARNET_VAULT", env.work.join("nowhere"))
        .env("CARNET_LANG", "en")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&english.stderr).contains("No vault at"));
}

#[test]
fn recover_sets_a_new_passphrase_from_the_kit() {
    let env = Env::new();
    let stdout = env.ok(&["init"]);
    let kit = stdout
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 47 && l.matches('-').count() == 7)
        .unwrap()
        .to_string();
    let new = "nouvelle-phrase-de-passe-solide-2026";
    let output = env
        .command(&["recover"])
        .env("CARNET_RECOVERY_KIT", kit.to_lowercase())
        .env("CARNET_NEW_PASSPHRASE", new)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed = env
        .command(&["person", "list"])
        .env("CARNET_PASSPHRASE", new)
        .output()
        .unwrap();
    assert!(listed.status.success());
}

/// Runs `carnet` and returns its exit status code and standard error.
fn failure(output: Output) -> (Option<i32>, String) {
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn person_edit_changes_each_field() {
    let env = Env::initialised();
    let edited = env.json(&[
        "person",
        "edit",
        "Camille",
        "--name",
        "Camille Durand",
        "--birth-date",
        "1987-01-31",
        "--sex",
        "U",
        "--relation",
        "conjoint",
        "--ins",
        "2 88 05 75 123 456 70",
        "--json",
    ]);
    assert_eq!(edited["name"], "Camille Durand");
    assert_eq!(edited["birth_date"], "1987-01-31");
    assert_eq!(edited["sex"], "U");
    assert_eq!(edited["relation"], "conjoint");
    assert_eq!(edited["ins"], "288057512345670");

    let listed = env.json(&["person", "list", "--json"]);
    assert_eq!(listed[0], edited);

    let text = env.ok(&["person", "edit", "Camille Durand", "--clear-ins"]);
    assert!(
        text.starts_with("Personne modifiée : Camille Durand"),
        "{text}"
    );
    let listed = env.json(&["person", "list", "--json"]);
    assert_eq!(listed[0]["ins"], serde_json::Value::Null);
    assert_eq!(listed[0]["name"], "Camille Durand");

    let same = env.ok(&["person", "edit", "Camille Durand", "--sex", "U"]);
    assert!(
        same.contains("Rien n'a changé pour Camille Durand"),
        "{same}"
    );
}

#[test]
fn person_edit_rejections_change_nothing() {
    let env = Env::initialised();
    let before = env.json(&["person", "list", "--json"]);
    let cases: [(&[&str], &str); 5] = [
        (&["--ins", "279035121518988"], "attendue : 89"),
        (&["--birth-date", "2999-01-01"], "in the future"),
        (&["--birth-date", "12/03/1986"], "YYYY-MM-DD"),
        (&["--sex", "X"], "use F, M or U"),
        (
            &["--name", "Camille\u{7}"],
            "control or text-direction override characters",
        ),
    ];
    for (options, expected) in cases {
        // A valid new name goes with each rejected value, and is not written either.
        let mut args = vec!["person", "edit", "Camille"];
        if options[0] != "--name" {
            args.extend_from_slice(&["--name", "Camille Durand"]);
        }
        args.extend_from_slice(options);
        let (code, stderr) = failure(env.run(&args));
        assert_eq!(code, Some(1), "{options:?}: {stderr}");
        assert!(stderr.contains(expected), "{options:?}: {stderr}");
    }
    assert_eq!(env.json(&["person", "list", "--json"]), before);

    let (code, stderr) = failure(env.run(&["person", "edit", "Camille"]));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("--clear-ins"), "{stderr}");

    let (code, _) = failure(env.run(&[
        "person",
        "edit",
        "Camille",
        "--ins",
        "279035121518989",
        "--clear-ins",
    ]));
    assert_eq!(code, Some(2), "clap rejects --ins with --clear-ins");

    let (code, stderr) = failure(
        env.command(&["person", "edit", "Nobody", "--sex", "M"])
            .env("CARNET_LANG", "en")
            .output()
            .unwrap(),
    );
    assert_eq!(code, Some(1));
    assert!(stderr.contains("No person matches “Nobody”"), "{stderr}");
}

#[test]
fn person_edit_rejects_ins_of_another_person() {
    let env = Env::initialised();
    env.ok(&[
        "person",
        "add",
        "--name",
        "Léo Martin",
        "--birth-date",
        "2021-09-03",
        "--ins",
        "279035121518989",
    ]);
    let (code, stderr) =
        failure(env.run(&["person", "edit", "Camille", "--ins", "279035121518989"]));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("Léo Martin"), "{stderr}");
    let people = env.json(&["person", "list", "--json"]);
    assert_eq!(people[0]["ins"], serde_json::Value::Null);
}

#[test]
fn blood_group_set_show_and_clear() {
    let env = Env::initialised();
    let set = env.ok(&["profile", "blood-group", "Camille", "set", "ab-"]);
    assert_eq!(set.trim(), "Groupe sanguin de Camille Martin : AB-.");
    let shown = env.ok(&["profile", "show"]);
    assert!(shown.contains("Groupe sanguin : AB-"), "{shown}");
    let json = env.json(&["profile", "show", "--json"]);
    assert_eq!(json["blood_group"], "AB-");

    for loose in ["A pos", "O neg", "0+", "A"] {
        let (code, stderr) = failure(env.run(&["profile", "blood-group", "Camille", "set", loose]));
        assert_eq!(code, Some(1), "{loose}");
        assert!(
            stderr.contains("A+, A-, B+, B-, AB+, AB-, O+ or O-"),
            "{loose}: {stderr}"
        );
    }
    assert_eq!(
        env.json(&["profile", "show", "--json"])["blood_group"],
        "AB-"
    );

    let cleared = env
        .command(&["profile", "blood-group", "Camille", "clear"])
        .env("CARNET_LANG", "en")
        .output()
        .unwrap();
    assert!(cleared.status.success());
    assert_eq!(
        String::from_utf8(cleared.stdout).unwrap().trim(),
        "Blood group of Camille Martin cleared."
    );
    assert_eq!(
        env.json(&["profile", "show", "--json"])["blood_group"],
        serde_json::Value::Null
    );
}

/// Flips one byte in every chunk file of the vault, so that every stored content
/// fails its hash.
fn damage_every_chunk(vault: &Path) {
    let mut stack = vec![vault.join("chunks")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let mut bytes = std::fs::read(&path).unwrap();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x55;
            std::fs::write(&path, bytes).unwrap();
        }
    }
}

#[test]
fn export_skips_damaged_document_with_status_3() {
    let env = Env::initialised();
    let id = import_one_pdf(&env);
    damage_every_chunk(&env.vault);

    let archive = env.work.join("export.zip");
    let output = env.run(&["export", "--out", archive.to_str().unwrap()]);
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let (code, stderr) = failure(output);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stdout.contains("1 personnes, 0 documents"), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "Document {id} laissé hors de l'archive : son contenu est endommagé"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 document(s) laissé(s) hors de l'archive"),
        "{stderr}"
    );
    assert!(archive.is_file(), "the archive is written all the same");

    let again = env.work.join("export-en.zip");
    let output = env
        .command(&["export", "--out", again.to_str().unwrap()])
        .env("CARNET_LANG", "en")
        .output()
        .unwrap();
    let (code, stderr) = failure(output);
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains(&format!(
            "Document {id} left out of the archive: its content is damaged"
        )),
        "{stderr}"
    );
}

#[test]
fn export_help_documents_exit_status() {
    let help = env_help(&["export", "--help"]);
    assert!(help.contains("status 3"), "{help}");
    assert!(help.contains("manifest.json"), "{help}");
}

fn env_help(args: &[&str]) -> String {
    let output = Env::new().run(args);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}
