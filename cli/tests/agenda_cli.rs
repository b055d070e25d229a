//! `carnet agenda`, `carnet vaccinations due|record` and `carnet prevention` run
//! as a user and a script would, on a fresh vault.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASSPHRASE: &str = "cheval-agrafe-pile-correcte-1987";

fn agenda_fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/agenda/tests/fixtures")
        .join(relative)
}

struct Env {
    dir: tempfile::TempDir,
    vault: PathBuf,
}

impl Env {
    /// Creates a vault with one child born on 2025-03-10.
    fn with_child() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        let env = Env { dir, vault };
        env.ok(&["init"]);
        env.ok(&[
            "person",
            "add",
            "--name",
            "Noé Martin",
            "--birth-date",
            "2025-03-10",
            "--sex",
            "M",
            "--relation",
            "enfant",
        ]);
        env
    }

    /// Adds the account holder, Claire Martin, born on 1980-02-01.
    fn add_parent(&self) {
        self.ok(&[
            "person",
            "add",
            "--name",
            "Claire Martin",
            "--birth-date",
            "1980-02-01",
            "--sex",
            "F",
            "--relation",
            "titulaire",
        ]);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_carnet"))
            .args(args)
            .env("CARNET_VAULT", &self.vault)
            .env("CARNET_PASSPHRASE", PASSPHRASE)
            .env("CARNET_INSECURE_TEST_KDF", "1")
            .env("CARNET_LANG", "fr")
            .stdin(Stdio::null())
            .output()
            .unwrap()
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

    /// Records a Bexsero (MenB) dose given on `date` (YYYY-MM-DD).
    fn record_bexsero(&self, date: &str) -> String {
        self.ok(&[
            "vaccinations",
            "record",
            "--vaccine",
            "Bexsero",
            "--date",
            date,
        ])
    }

    /// Runs a command that must fail and returns its error output.
    fn fail(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(!output.status.success(), "carnet {args:?} succeeded");
        String::from_utf8(output.stderr).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

#[test]
fn import_export_and_reimport() {
    let env = Env::with_child();
    let file = agenda_fixture("synthetic/carnet_cases.ics");
    let file = file.to_str().unwrap();

    let first = env.json(&["agenda", "import", file, "--json"]);
    let imported = first["imported"].as_u64().unwrap();
    assert!(imported > 0);
    let second = env.json(&["agenda", "import", file, "--json"]);
    assert_eq!(second["imported"], 0);
    assert_eq!(second["updated"].as_u64().unwrap(), imported);

    let out = env.path("famille.ics");
    let printed = env.ok(&["agenda", "export", "--out", out.to_str().unwrap()]);
    assert!(printed.contains("événements écrits"), "{printed}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("X-CARNET-PERSON:"));
    let again = env.json(&["agenda", "import", out.to_str().unwrap(), "--json"]);
    assert_eq!(again["imported"], 0);
    assert_eq!(again["rejected"].as_array().unwrap().len(), 0);

    let overwrite = env.run(&["agenda", "export", "--out", out.to_str().unwrap()]);
    assert!(!overwrite.status.success(), "export overwrote a file");
}

#[test]
fn broken_file_lists_rejected_events() {
    let env = Env::with_child();
    let good = std::fs::read_to_string(agenda_fixture("synthetic/carnet_cases.ics")).unwrap();
    let broken = "BEGIN:VEVENT\r\nUID:no-start@test\r\nSUMMARY:x\r\nEND:VEVENT\r\n\
                  BEGIN:VEVENT\r\nUID:bad-date@test\r\nDTSTART:2025-13-45\r\nEND:VEVENT\r\n";
    let path = env.path("cassé.ics");
    std::fs::write(
        &path,
        good.replace("END:VCALENDAR", &format!("{broken}END:VCALENDAR")),
    )
    .unwrap();

    let printed = env.ok(&["agenda", "import", path.to_str().unwrap()]);

    assert!(printed.contains("ignorés : 2"), "{printed}");
    let prefix = format!("{}, ligne ", path.display());
    let rejected: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with(&prefix) && l.contains("événement ignoré"))
        .collect();
    assert_eq!(rejected.len(), 2, "{printed}");
    assert!(printed.contains("DTSTART"), "{printed}");
}

#[test]
fn unreadable_file_fails_in_french() {
    let env = Env::with_child();
    let path = env.path("notes.ics");
    std::fs::write(&path, "pas un calendrier").unwrap();
    let stderr = env.fail(&["agenda", "import", path.to_str().unwrap()]);
    assert!(stderr.contains("aucun calendrier"), "{stderr}");
}

#[test]
fn add_list_delete() {
    let env = Env::with_child();
    let added = env.json(&[
        "agenda",
        "add",
        "--title",
        "Pédiatre",
        "--start",
        "2025-06-10 09:30",
        "--minutes",
        "20",
        "--practitioner",
        "Dr Exemple",
        "--rrule",
        "FREQ=MONTHLY;COUNT=3",
        "--alarm-minutes",
        "60",
        "--json",
    ]);
    let uid = added["uid"].as_str().unwrap().to_string();

    let listed = env.ok(&[
        "agenda",
        "list",
        "--from",
        "2025-06-01",
        "--to",
        "2025-09-30",
    ]);
    assert_eq!(listed.matches("Pédiatre").count(), 3, "{listed}");
    assert!(listed.contains("2025-07-10 09:30–09:50"), "{listed}");
    let items = env.json(&[
        "agenda",
        "list",
        "--from",
        "2025-06-01",
        "--to",
        "2025-06-30",
        "--json",
    ]);
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["event"]["alarms"].as_array().unwrap().len(), 1);

    let bad = env.run(&["agenda", "add", "--title", "x", "--start", "10/06/2025"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("AAAA-MM-JJ"));

    env.ok(&["agenda", "delete", &uid]);
    let listed = env.ok(&[
        "agenda",
        "list",
        "--from",
        "2025-06-01",
        "--to",
        "2025-09-30",
    ]);
    assert!(listed.contains("Aucun rendez-vous"), "{listed}");
    assert!(!env.run(&["agenda", "delete", &uid]).status.success());
}

#[test]
fn reversed_window_rejected() {
    let env = Env::with_child();
    let output = env.run(&[
        "agenda",
        "list",
        "--from",
        "2026-05-01",
        "--to",
        "2026-04-01",
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("inversez --from et --to"), "{stderr}");
}

#[test]
fn until_before_start_rejected() {
    let env = Env::with_child();
    let output = env.run(&[
        "agenda",
        "add",
        "--title",
        "Kinésithérapie",
        "--start",
        "2026-05-04 09:00",
        "--rrule",
        "FREQ=WEEKLY;UNTIL=20260401T000000Z",
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("UNTIL"), "{stderr}");
    let listed = env.ok(&["agenda", "list", "--from", "2026-05-01"]);
    assert!(listed.contains("Aucun rendez-vous"), "{listed}");
}

#[test]
fn endless_secondly_event_rejected() {
    let env = Env::with_child();
    let file = env.path("secondly.ics");
    std::fs::write(
        &file,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
         BEGIN:VEVENT\r\nUID:every-second\r\nDTSTAMP:20250101T000000Z\r\n\
         DTSTART:20250101T090000\r\nRRULE:FREQ=SECONDLY\r\nSUMMARY:x\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20250101T000000Z\r\n\
         DTSTART:20250101T090000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:y\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n",
    )
    .unwrap();
    let summary = env.json(&["agenda", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(summary["imported"], 1, "{summary}");
    let rejected = summary["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1, "{summary}");
    assert_eq!(rejected[0]["uid"], "every-second", "{summary}");
}

#[test]
fn adult_due_hides_missed_doses() {
    let env = Env::with_child();
    env.add_parent();
    let args = [
        "vaccinations",
        "due",
        "--person",
        "Claire",
        "--at",
        "2026-01-15",
        "--json",
    ];
    let shown = env.json(&args);
    let shown = shown.as_array().unwrap();
    assert!(!shown.is_empty());
    assert!(
        shown.iter().all(|r| r["state"]["state"] != "missed"),
        "{shown:?}"
    );

    let mut all_args = args.to_vec();
    all_args.push("--all");
    let all = env.json(&all_args);
    let missed = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["state"]["state"] == "missed")
        .count();
    assert!(missed > 0, "{all}");
}

#[test]
fn vaccinations_due_then_recorded() {
    let env = Env::with_child();
    let printed = env.ok(&["vaccinations", "due", "--at", "2025-06-01"]);
    let menb = printed
        .lines()
        .find(|l| l.contains("Méningocoque B") && l.contains("Dose 1"))
        .unwrap_or_else(|| panic!("no MenB dose 1 in {printed}"));
    assert!(menb.contains("2025-06-10"), "{menb}");
    assert!(menb.contains("à venir"), "{menb}");

    env.ok(&[
        "vaccinations",
        "record",
        "--vaccine",
        "Bexsero",
        "--date",
        "2025-06-10",
        "--lot",
        "AB1234",
    ]);
    let rows = env.json(&["vaccinations", "due", "--at", "2025-06-15", "--json"]);
    let menb = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["antigen"] == "meningococcus_b" && r["dose"] == 1)
        .unwrap();
    assert_eq!(menb["state"]["state"], "done");
    assert_eq!(menb["antigen_label"], "Méningocoque B");

    // Without a subcommand, `vaccinations` lists the one recorded by hand too.
    let listed = env.ok(&["vaccinations"]);
    let line = listed
        .lines()
        .find(|l| l.contains("Bexsero"))
        .unwrap_or_else(|| panic!("no Bexsero line in {listed}"));
    assert!(line.contains("2025-06-10"), "{line}");
    assert!(line.contains("lot AB1234"), "{line}");
    assert!(line.contains("saisie manuelle"), "{line}");
    let rows = env.json(&["vaccinations", "--json"]);
    assert_eq!(rows[0]["origin"], "recorded", "{rows}");
    assert_eq!(rows[0]["vaccine"], "Bexsero", "{rows}");
}

#[test]
fn delete_finds_the_holder() {
    let env = Env::with_child();
    env.add_parent();
    let added = env.json(&[
        "agenda",
        "add",
        "--person",
        "Noé",
        "--title",
        "Vaccin",
        "--start",
        "2026-06-10 09:30",
        "--json",
    ]);
    let uid = added["uid"].as_str().unwrap();

    let deleted = env.ok(&["agenda", "delete", uid]);
    assert!(deleted.contains("Noé Martin"), "{deleted}");
    let again = env.fail(&["agenda", "delete", uid]);
    assert!(again.contains("Aucun agenda"), "{again}");
}

#[test]
fn family_export_imports_per_person() {
    let env = Env::with_child();
    env.add_parent();
    let child = env.json(&[
        "agenda",
        "add",
        "--person",
        "Noé",
        "--title",
        "Pédiatre",
        "--start",
        "2026-06-10 09:30",
        "--json",
    ]);
    let adult = env.json(&[
        "agenda",
        "add",
        "--person",
        "Claire",
        "--title",
        "Dentiste",
        "--start",
        "2026-06-11 14:00",
        "--json",
    ]);
    let family = env.path("famille.ics");
    env.ok(&["agenda", "export", "--out", family.to_str().unwrap()]);
    for added in [&child, &adult] {
        env.ok(&["agenda", "delete", added["uid"].as_str().unwrap()]);
    }

    let summary = env.json(&["agenda", "import", family.to_str().unwrap(), "--json"]);
    assert_eq!(summary["imported"], 2, "{summary}");
    let items = env.json(&[
        "agenda",
        "list",
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-30",
        "--json",
    ]);
    let holder = |title: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["event"]["summary"] == title)
            .unwrap_or_else(|| panic!("no {title} in {items}"))["person_id"]
            .clone()
    };
    assert_eq!(holder("Pédiatre"), child["person_id"]);
    assert_eq!(holder("Dentiste"), adult["person_id"]);
}

#[test]
fn export_to_standard_output() {
    let env = Env::with_child();
    env.ok(&[
        "agenda",
        "add",
        "--title",
        "Pédiatre",
        "--start",
        "2026-06-10 09:30",
    ]);
    let printed = env.ok(&["agenda", "export", "--out", "-"]);
    assert!(printed.starts_with("BEGIN:VCALENDAR\r\n"), "{printed}");
    assert!(printed.contains("SUMMARY:Pédiatre"), "{printed}");
    assert!(!env.path("-").exists());
}

#[test]
fn decision_dates_checked() {
    let env = Env::with_child();
    let before_birth = env.fail(&["prevention", "plan", "checkup-9m", "--on", "2024-01-01"]);
    assert!(before_birth.contains("2024-01-01"), "{before_birth}");
    let future = env.fail(&["prevention", "done", "checkup-9m", "--on", "2099-01-01"]);
    assert!(future.contains("2099-01-01"), "{future}");
}

#[test]
fn prevention_decisions_persist() {
    let env = Env::with_child();
    let listed = env.ok(&["prevention", "--at", "2025-12-01"]);
    assert!(listed.contains("checkup-9m"), "{listed}");

    env.ok(&["prevention", "plan", "checkup-9m", "--on", "2025-12-05"]);
    env.ok(&["prevention", "dismiss", "checkup-8d"]);
    assert!(
        !env.run(&["prevention", "done", "no-such-id"])
            .status
            .success()
    );

    let rows = env.json(&["prevention", "--at", "2025-12-01", "--json"]);
    let state = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(state("checkup-9m")["state"], "planned");
    assert_eq!(state("checkup-9m")["on"], "2025-12-05");
    assert_eq!(state("checkup-8d")["state"], "dismissed");
    let text = env.ok(&["prevention", "--at", "2025-12-01"]);
    assert!(text.contains("prévu le 2025-12-05"), "{text}");
}

#[test]
fn file_errors_give_cause_and_next_step() {
    let env = Env::with_child();
    let cases: [(&str, Vec<u8>, &str, &str); 4] = [
        ("vide.ics", Vec::new(), "est vide", "Exportez de nouveau"),
        (
            "binaire.ics",
            b"\x00\x01\x02\xFF\xFEbinaire".to_vec(),
            "pas du texte UTF-8 ou UTF-16",
            "en UTF-8",
        ),
        (
            "notes.ics",
            b"Rendez-vous lundi".to_vec(),
            "aucun calendrier",
            "Choisissez le fichier .ics",
        ),
        (
            "profond.ics",
            "BEGIN:VCALENDAR\r\n".repeat(20).into_bytes(),
            "plus de 8 niveaux",
            "Exportez de nouveau",
        ),
    ];
    for (name, bytes, cause, next_step) in cases {
        let path = env.path(name);
        std::fs::write(&path, bytes).unwrap();
        let stderr = env.fail(&["agenda", "import", path.to_str().unwrap()]);
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(cause), "{name}: {stderr}");
        assert!(stderr.contains(next_step), "{name}: {stderr}");
    }
}

#[test]
fn too_large_file_names_the_limit() {
    let env = Env::with_child();
    let path = env.path("grand.ics");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(40 * 1024 * 1024).unwrap();

    let stderr = env.fail(&["--lang", "en", "agenda", "import", path.to_str().unwrap()]);

    assert!(stderr.contains("the file is 40 MiB"), "{stderr}");
    assert!(stderr.contains("32 MiB limit"), "{stderr}");
    assert!(stderr.contains("several smaller files"), "{stderr}");
}

#[test]
fn huge_duration_rejected_then_list_works() {
    let env = Env::with_child();
    let file = agenda_fixture("hostile/dur_huge.ics");
    let file = file.to_str().unwrap();

    let printed = env.ok(&["agenda", "import", file]);

    assert!(printed.contains("ignorés : 1"), "{printed}");
    assert!(printed.contains(&format!("{file}, ligne 3")), "{printed}");
    assert!(printed.contains("DURATION"), "{printed}");
    let listed = env.ok(&[
        "agenda",
        "list",
        "--from",
        "2026-12-31",
        "--to",
        "2027-01-02",
    ]);
    assert!(!listed.contains("long"), "{listed}");
}

#[test]
fn older_version_skipped_and_cancel_hides() {
    let env = Env::with_child();
    let newer = agenda_fixture("hostile/seq3.ics");
    let older = agenda_fixture("hostile/seq1.ics");
    let cancel = agenda_fixture("hostile/seq_cancel.ics");
    let list_first_of_august = || {
        env.ok(&[
            "agenda",
            "list",
            "--from",
            "2027-08-01",
            "--to",
            "2027-08-01",
        ])
    };
    env.ok(&["agenda", "import", newer.to_str().unwrap()]);

    let printed = env.ok(&["agenda", "import", older.to_str().unwrap()]);

    assert!(printed.contains("mis à jour : 0"), "{printed}");
    assert!(printed.contains("non mis à jour"), "{printed}");
    assert!(printed.contains("SEQUENCE 1"), "{printed}");
    let listed = list_first_of_august();
    assert!(listed.contains("15:00"), "{listed}");
    assert!(listed.contains("nouvelle heure"), "{listed}");

    env.ok(&["agenda", "import", cancel.to_str().unwrap()]);
    let listed = list_first_of_august();
    assert!(!listed.contains("Dentiste"), "{listed}");
}

#[test]
fn vaccination_delete_and_uncounted_notes() {
    let env = Env::with_child();
    // Noé is born on 2025-03-10: MenB counts from 2 months (2025-05-10).
    env.record_bexsero("2025-04-21");
    let printed = env.ok(&["vaccinations", "due", "--at", "2025-09-01"]);
    let menb = printed
        .lines()
        .find(|l| l.contains("Méningocoque B") && l.contains("Dose 1"))
        .unwrap_or_else(|| panic!("no MenB dose 1 in {printed}"));
    assert!(menb.contains("en retard"), "{menb}");
    assert!(
        menb.contains("dose du 2025-04-21 non comptée : donnée avant l'âge minimum"),
        "{menb}"
    );

    let rows = env.json(&["vaccinations", "--json"]);
    let id = rows[0]["id"].as_str().unwrap().to_owned();
    let deleted = env.ok(&["vaccinations", "delete", &id]);
    assert!(deleted.contains("supprimée"), "{deleted}");
    let rows = env.json(&["vaccinations", "--json"]);
    assert!(rows.as_array().unwrap().is_empty(), "{rows}");
    let log = env.ok(&["log"]);
    assert!(log.contains("vaccination supprimée"), "{log}");

    let stderr = env.fail(&["vaccinations", "delete", &id]);
    assert!(stderr.contains("carnet vaccinations --json"), "{stderr}");
}

#[test]
fn too_soon_dose_noted_in_due() {
    let env = Env::with_child();
    // Dose 2 counts from 4 months (2025-07-10), but also 28 days after dose 1.
    let first = env.record_bexsero("2025-07-15");
    assert!(!first.contains("déjà"), "{first}");
    let twice = env.record_bexsero("2025-07-15");
    assert!(
        twice.contains(
            "Une vaccination contre les mêmes maladies est déjà enregistrée le 2025-07-15"
        ),
        "{twice}"
    );
    assert!(twice.contains("carnet vaccinations delete "), "{twice}");
    env.record_bexsero("2025-07-20");
    let printed = env.ok(&["vaccinations", "due", "--at", "2025-09-01"]);
    let menb: Vec<&str> = printed
        .lines()
        .filter(|l| l.contains("Méningocoque B"))
        .collect();
    assert!(menb[0].contains("fait 2025-07-15"), "{printed}");
    assert!(!menb[1].contains("fait"), "{printed}");
    assert!(
        menb[1].contains(
            "dose du 2025-07-20 non comptée : moins de l'intervalle minimum après celle \
             du 2025-07-15, compte à partir du 2025-08-12"
        ),
        "{printed}"
    );
}
