//! The IPC commands end to end on a real encrypted vault, through Tauri's mock
//! runtime: each call goes through the same invoke handler as the window's.

use std::path::{Path, PathBuf};

use carnet_app_lib::state::AppState;
use carnet_core::KdfParams;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

const PASSPHRASE: &str = "lampe-orage-cerise-velours-42";
const PDF_FIXTURE: &str = "tests/fixtures/pdf/libreoffice-writer-trivial.pdf";
/// A NIR whose control key is wrong: the key of `2 84 05 75 115 423` is 54, not 99.
const BAD_INS: &str = "284057511542399";

struct Harness {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
    vault_dir: PathBuf,
}

impl Harness {
    fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let vault_dir = dir.path().join("vault");
        let state = AppState::new(vault_dir.clone(), None, KdfParams::INSECURE_FOR_TESTS);
        let app = carnet_app_lib::with_commands(mock_builder(), state)
            .build(mock_context(noop_assets()))
            .unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Harness {
            app,
            window,
            _dir: dir,
            vault_dir,
        }
    }

    fn call_raw(&self, cmd: &str, args: Value) -> Result<InvokeResponseBody, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_raw(cmd, args)
            .map(|body| body.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|error| panic!("{cmd} failed with {error}"))
    }

    fn error_key(&self, cmd: &str, args: Value) -> String {
        match self.call(cmd, args) {
            Ok(value) => panic!("{cmd} succeeded with {value}"),
            Err(error) => error["key"].as_str().unwrap().to_owned(),
        }
    }

    /// Creates the vault, adds one person and returns the person's id.
    fn vault_with_person(&self) -> String {
        self.ok(
            "vault_create",
            json!({ "passphrase": PASSPHRASE, "remember": false }),
        );
        let person = self.ok(
            "person_add",
            json!({ "person": {
                "name": "Camille Martin",
                "birthDate": "1986-04-12",
                "sex": "female",
                "relation": "titulaire"
            }}),
        );
        person["id"].as_str().unwrap().to_owned()
    }
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(PDF_FIXTURE)
}

#[test]
fn status_before_any_vault() {
    let harness = Harness::new();
    let status = harness.ok("app_status", json!({}));
    assert_eq!(status["vaultExists"], false);
    assert_eq!(status["unlocked"], false);
    assert_eq!(
        status["vaultPath"],
        harness.vault_dir.display().to_string().as_str()
    );
}

#[test]
fn create_rejects_weak_passphrase() {
    let harness = Harness::new();
    let error = harness
        .call(
            "vault_create",
            json!({ "passphrase": "court", "remember": false }),
        )
        .unwrap_err();
    assert_eq!(error["key"], "error.weak_passphrase");
    let reasons = error["params"]["reasons"].as_str().unwrap();
    assert!(!reasons.is_empty());
    assert!(!reasons.contains("passphrase."), "untranslated: {reasons}");
}

#[test]
fn passphrase_check_scores() {
    let harness = Harness::new();
    let weak = harness.ok("passphrase_check", json!({ "passphrase": "motdepasse" }));
    assert_eq!(weak["acceptable"], false);
    assert!(!weak["reasons"].as_array().unwrap().is_empty());
    let strong = harness.ok("passphrase_check", json!({ "passphrase": PASSPHRASE }));
    assert_eq!(strong["acceptable"], true);
}

#[test]
fn create_returns_recovery_kit_once() {
    let harness = Harness::new();
    let created = harness.ok(
        "vault_create",
        json!({ "passphrase": PASSPHRASE, "remember": false }),
    );
    assert!(!created["recoveryKit"].as_str().unwrap().is_empty());
    let status = harness.ok("app_status", json!({}));
    assert_eq!(status["vaultExists"], true);
    assert_eq!(status["unlocked"], true);
}

#[test]
fn unlock_wrong_then_right_passphrase() {
    let harness = Harness::new();
    harness.vault_with_person();
    harness.ok("vault_lock", json!({}));

    let key = harness.error_key(
        "vault_unlock",
        json!({ "passphrase": "pas-la-bonne-phrase-du-tout", "remember": false }),
    );
    assert_eq!(key, "error.wrong_passphrase");

    harness.ok(
        "vault_unlock",
        json!({ "passphrase": PASSPHRASE, "remember": false }),
    );
    let people = harness.ok("people_list", json!({}));
    assert_eq!(people.as_array().unwrap().len(), 1);
    assert_eq!(people[0]["name"], "Camille Martin");
    assert_eq!(people[0]["sex"], "female");
    assert_eq!(people[0]["birthDate"], "1986-04-12");
}

#[test]
fn person_add_rejects_bad_ins() {
    let harness = Harness::new();
    harness.vault_with_person();
    let error = harness
        .call(
            "person_add",
            json!({ "person": {
                "name": "Léo Martin",
                "birthDate": "2021-09-03",
                "sex": "male",
                "relation": "enfant",
                "ins": BAD_INS
            }}),
        )
        .unwrap_err();
    assert_eq!(error["key"], "error.invalid_ins");
    assert_eq!(error["params"]["value"], BAD_INS);
    assert!(error["params"]["reason"].as_str().is_some());
}

#[test]
fn person_add_rejects_bad_date() {
    let harness = Harness::new();
    harness.vault_with_person();
    let error = harness
        .call(
            "person_add",
            json!({ "person": {
                "name": "Léo Martin",
                "birthDate": "03/09/2021",
                "sex": "male",
                "relation": "enfant"
            }}),
        )
        .unwrap_err();
    assert_eq!(error["key"], "error.invalid_argument");
    assert_eq!(error["params"]["name"], "birthDate");
}

#[test]
fn import_forces_other_patient_document() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let note = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/clinical/tests/fixtures/cda/fr-ans/VAC-NOTE_2023.01.xml");
    let paths = json!([note.display().to_string()]);

    let refused = harness.ok(
        "import_files",
        json!({ "paths": paths, "personId": person_id }),
    );
    assert_eq!(refused["imported"], 0);
    let rejection = &refused["rejected"][0];
    assert_eq!(rejection["reason"]["key"], "import.patient_mismatch");
    assert_eq!(rejection["forcePath"], note.display().to_string().as_str());

    let forced = harness.ok(
        "import_files",
        json!({ "paths": [rejection["forcePath"]], "personId": person_id, "force": true }),
    );
    assert_eq!(forced["imported"], 1);
    assert_eq!(forced["rejected"].as_array().unwrap().len(), 0);
}

#[test]
fn import_search_and_read_pdf() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let path = fixture();

    let summary = harness.ok(
        "import_files",
        json!({ "paths": [path.display().to_string()], "personId": person_id }),
    );
    assert_eq!(summary["imported"], 1);
    assert_eq!(summary["cancelled"], false);

    let again = harness.ok(
        "import_files",
        json!({ "paths": [path.display().to_string()], "personId": person_id }),
    );
    assert_eq!(again["duplicates"], 1);

    let hits = harness.ok(
        "documents_search",
        json!({ "query": "consetetur", "limit": 10 }),
    );
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 1);
    let snippet = hits[0]["snippet"].as_str().unwrap();
    assert!(snippet.contains('\u{E000}'), "no match marker in {snippet}");
    let id = hits[0]["document"]["id"].as_str().unwrap().to_owned();

    let page = harness.ok(
        "documents_list",
        json!({ "filter": { "personId": person_id }, "offset": 0, "limit": 50 }),
    );
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["mediaType"], "application/pdf");
    assert_eq!(page["items"][0]["textStatus"], "extracted");

    let detail = harness.ok("document_get", json!({ "id": id }));
    assert_eq!(
        detail["provenance"]["fileName"],
        "libreoffice-writer-trivial.pdf"
    );
    assert_eq!(detail["provenance"]["sha256"].as_str().unwrap().len(), 64);

    let original = std::fs::read(&path).unwrap();
    match harness.call_raw("document_content", json!({ "id": id })) {
        Ok(InvokeResponseBody::Raw(bytes)) => assert_eq!(bytes, original),
        other => panic!("document_content returned {other:?}"),
    }

    let copy = harness.vault_dir.with_file_name("copie.pdf");
    harness.ok(
        "document_save_as",
        json!({ "id": id, "path": copy.display().to_string() }),
    );
    assert_eq!(std::fs::read(&copy).unwrap(), original);

    let html = harness.ok("document_html", json!({ "id": id }));
    assert_eq!(html, Value::Null);
}

#[test]
fn update_and_delete_document() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    harness.ok(
        "import_files",
        json!({ "paths": [fixture().display().to_string()], "personId": person_id }),
    );
    let page = harness.ok(
        "documents_list",
        json!({ "filter": {}, "offset": 0, "limit": 10 }),
    );
    let id = page["items"][0]["id"].as_str().unwrap().to_owned();

    harness.ok(
        "document_update",
        json!({ "id": id, "title": "Bilan sanguin", "category": "BIOLOGIE", "date": "2025-11-28" }),
    );
    let detail = harness.ok("document_get", json!({ "id": id }));
    assert_eq!(detail["title"], "Bilan sanguin");
    assert_eq!(detail["category"], "BIOLOGIE");
    assert_eq!(detail["date"], "2025-11-28");

    let key = harness.error_key(
        "document_update",
        json!({ "id": id, "category": "PAS_UNE_CATEGORIE" }),
    );
    assert_eq!(key, "error.invalid_argument");

    harness.ok("document_delete", json!({ "id": id }));
    assert_eq!(
        harness.error_key("document_get", json!({ "id": id })),
        "error.document_not_found"
    );
}

#[test]
fn list_rejects_oversized_page() {
    let harness = Harness::new();
    harness.vault_with_person();
    let key = harness.error_key(
        "documents_list",
        json!({ "filter": {}, "offset": 0, "limit": 100_000 }),
    );
    assert_eq!(key, "error.invalid_argument");
}

#[test]
fn journal_lists_newest_first_and_verifies() {
    let harness = Harness::new();
    harness.vault_with_person();
    let entries = harness.ok("journal_list", json!({ "offset": 0, "limit": 10 }));
    let entries = entries.as_array().unwrap();
    assert!(entries.len() >= 2);
    assert!(entries[0]["seq"].as_u64() > entries[1]["seq"].as_u64());
    assert_eq!(entries[0]["action"], "action.person.add");
    assert_eq!(entries[1]["action"], "action.vault.create");
    let check = harness.ok("journal_verify", json!({}));
    assert_eq!(check["ok"], true);
}

#[test]
fn profile_and_vaccinations_due() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let profile = harness.ok("profile_get", json!({ "personId": person_id }));
    assert_eq!(profile["allergies"], json!([]));
    assert_eq!(profile["bloodGroup"], Value::Null);

    let due = harness.ok(
        "vaccinations_due",
        json!({ "personId": person_id, "at": "2026-12-04" }),
    );
    for dose in due.as_array().unwrap() {
        assert!(dose["labelKey"].as_str().unwrap().starts_with("agenda."));
        assert_eq!(dose["personId"], person_id.as_str());
    }

    let events = harness.ok(
        "agenda_list",
        json!({ "from": "2026-01-01", "to": "2026-12-31" }),
    );
    assert_eq!(events, json!([]));
}

#[test]
fn commands_fail_once_locked() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    harness.ok("vault_lock", json!({}));

    let locked = "error.vault_locked";
    assert_eq!(harness.error_key("people_list", json!({})), locked);
    assert_eq!(
        harness.error_key("documents_search", json!({ "query": "lorem", "limit": 5 })),
        locked
    );
    assert_eq!(
        harness.error_key(
            "documents_list",
            json!({ "filter": {}, "offset": 0, "limit": 10 })
        ),
        locked
    );
    assert_eq!(
        harness.error_key(
            "import_files",
            json!({ "paths": [fixture().display().to_string()], "personId": person_id })
        ),
        locked
    );
    assert_eq!(harness.error_key("journal_verify", json!({})), locked);
}

#[test]
fn export_then_restore_in_new_vault() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    harness.ok(
        "import_files",
        json!({ "paths": [fixture().display().to_string()], "personId": person_id }),
    );
    let archive = harness.vault_dir.with_file_name("export.zip");
    harness.ok(
        "export_archive",
        json!({ "path": archive.display().to_string() }),
    );
    assert!(archive.is_file());

    let other = Harness::new();
    let restored = other.ok(
        "vault_restore",
        json!({ "archivePath": archive.display().to_string(), "passphrase": PASSPHRASE }),
    );
    assert_eq!(restored["people"], 1);
    assert_eq!(restored["documents"], 1);
    assert!(!restored["recoveryKit"].as_str().unwrap().is_empty());
}

#[test]
fn settings_are_validated() {
    let harness = Harness::new();
    harness.ok(
        "settings_set",
        json!({ "language": "en", "autoLockMinutes": 10 }),
    );
    let status = harness.ok("app_status", json!({}));
    assert_eq!(status["language"], "en");
    assert_eq!(status["autoLockMinutes"], 10);
    assert_eq!(
        harness.error_key("settings_set", json!({ "autoLockMinutes": 0 })),
        "error.auto_lock_range"
    );
}

/// Adds a person from its IPC fields and returns the id.
fn add_person(harness: &Harness, person: Value) -> String {
    let added = harness.ok("person_add", json!({ "person": person }));
    added["id"].as_str().unwrap().to_owned()
}

fn cda_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cda")
        .join(name)
        .display()
        .to_string()
}

/// Imports one file for `person_id` and returns the new document's id.
fn import_one(harness: &Harness, path: &str, person_id: &str) -> String {
    let before = document_ids(harness);
    let summary = harness.ok(
        "import_files",
        json!({ "paths": [path], "personId": person_id }),
    );
    assert_eq!(summary["imported"], 1, "import of {path}: {summary}");
    let mut added: Vec<String> = document_ids(harness)
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(added.len(), 1);
    added.remove(0)
}

fn document_ids(harness: &Harness) -> Vec<String> {
    let page = harness.ok(
        "documents_list",
        json!({ "filter": {}, "offset": 0, "limit": 500 }),
    );
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn level_one_cda_shows_embedded_pdf() {
    let harness = Harness::new();
    harness.vault_with_person();
    // The patient of the HL7 example, so that the import is not rejected as
    // another person's document.
    let henry = add_person(
        &harness,
        json!({ "name": "Henry Levin", "birthDate": "1953-03-02", "sex": "male", "relation": "parent" }),
    );
    let id = import_one(
        &harness,
        &cda_fixture("Unstructured_Document_embed.xml"),
        &henry,
    );

    match harness.call_raw("document_content", json!({ "id": id })) {
        Ok(InvokeResponseBody::Raw(bytes)) => assert!(bytes.starts_with(b"%PDF-")),
        other => panic!("document_content returned {other:?}"),
    }

    // Saving a copy writes the original CDA file, not the embedded PDF.
    let copy = harness.vault_dir.with_file_name("copie.xml");
    harness.ok(
        "document_save_as",
        json!({ "id": id, "path": copy.display().to_string() }),
    );
    let original = std::fs::read(cda_fixture("Unstructured_Document_embed.xml")).unwrap();
    assert_eq!(std::fs::read(&copy).unwrap(), original);
}

#[test]
fn level_three_cda_has_html_and_entries() {
    let harness = Harness::new();
    harness.vault_with_person();
    // The INS of the ANS example's patient, which the import matches.
    let patient = add_person(
        &harness,
        json!({
            "name": "Patiente Exemple",
            "birthDate": "1979-03-01",
            "sex": "female",
            "relation": "autre",
            "ins": "279035121518989"
        }),
    );
    let id = import_one(&harness, &cda_fixture("VAC-NOTE_2023.01.xml"), &patient);

    let html = harness.ok("document_html", json!({ "id": id }));
    let html = html.as_str().expect("a level-3 CDA has an HTML rendering");
    assert!(!html.is_empty());
    assert!(!html.contains("<script"));

    let detail = harness.ok("document_get", json!({ "id": id }));
    let entries = detail["entries"].as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["resourceType"] == "Immunization"),
        "no Immunization in {entries:?}"
    );
    assert!(!detail["authors"].as_array().unwrap().is_empty());

    let profile = harness.ok("profile_get", json!({ "personId": patient }));
    assert!(!profile["vaccinations"].as_array().unwrap().is_empty());
}

#[test]
fn import_sends_progress_events() {
    use std::sync::{Arc, Mutex};
    use tauri::Listener;

    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = received.clone();
    harness.window.listen_any("import-progress", move |event| {
        sink.lock()
            .unwrap()
            .push(serde_json::from_str(event.payload()).unwrap());
    });

    harness.ok(
        "import_files",
        json!({ "paths": [fixture().display().to_string()], "personId": person_id }),
    );

    let received = received.lock().unwrap();
    assert!(!received.is_empty());
    let last = received.last().unwrap();
    assert_eq!(last["total"], 1);
    assert_eq!(last["done"], 1);
    let first = &received[0];
    assert_eq!(first["file"], "libreoffice-writer-trivial.pdf");
}

#[test]
fn passphrase_change_checks_current() {
    let harness = Harness::new();
    harness.vault_with_person();
    let next = "nouvelle-phrase-tilleul-93-ardoise";

    let key = harness.error_key(
        "passphrase_change",
        json!({ "current": "pas-la-bonne-phrase-du-tout", "next": next }),
    );
    assert_eq!(key, "error.wrong_passphrase");
    // A wrong current passphrase leaves the vault open.
    harness.ok("people_list", json!({}));

    harness.ok(
        "passphrase_change",
        json!({ "current": PASSPHRASE, "next": next }),
    );
    harness.ok("vault_lock", json!({}));
    assert_eq!(
        harness.error_key(
            "vault_unlock",
            json!({ "passphrase": PASSPHRASE, "remember": false })
        ),
        "error.wrong_passphrase"
    );
    harness.ok(
        "vault_unlock",
        json!({ "passphrase": next, "remember": false }),
    );
}

#[test]
fn recovery_kit_sets_new_passphrase() {
    let harness = Harness::new();
    let created = harness.ok(
        "vault_create",
        json!({ "passphrase": PASSPHRASE, "remember": false }),
    );
    let kit = created["recoveryKit"].as_str().unwrap().to_owned();
    harness.ok("vault_lock", json!({}));
    let next = "nouvelle-phrase-tilleul-93-ardoise";

    let key = harness.error_key(
        "vault_recover",
        json!({ "recoveryKit": "pas un kit", "next": next }),
    );
    assert!(key.contains("recovery_kit"), "unexpected key {key}");

    harness.ok("vault_recover", json!({ "recoveryKit": kit, "next": next }));
    assert_eq!(harness.ok("people_list", json!({})), json!([]));
    harness.ok("vault_lock", json!({}));
    harness.ok(
        "vault_unlock",
        json!({ "passphrase": next, "remember": false }),
    );
}

#[test]
fn device_unlock_without_secret_fails() {
    let harness = Harness::new();
    harness.vault_with_person();
    harness.ok("vault_lock", json!({}));
    // Depending on the machine, the keystore is unreachable or has no entry for
    // this new vault. Both keys tell the front end to ask for the passphrase.
    let key = harness.error_key("vault_unlock_device", json!({}));
    assert!(
        key == "error.keyring" || key == "error.device_key_rejected",
        "unexpected key {key}"
    );
    assert_eq!(
        harness.error_key("people_list", json!({})),
        "error.vault_locked"
    );
}

#[test]
fn open_path_rejects_missing_vault() {
    let harness = Harness::new();
    let missing = harness.vault_dir.with_file_name("absent");
    let key = harness.error_key(
        "vault_open_path",
        json!({ "path": missing.display().to_string() }),
    );
    assert_eq!(key, "error.vault_not_found");
}

#[test]
fn agenda_lists_expanded_occurrences() {
    use tauri::Manager;

    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    // The app has no command that adds events yet, so the test stores them through
    // the vault the app holds.
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Carnet//tests//FR\r\n\
BEGIN:VEVENT\r\nUID:kine-1@carnet.test\r\nDTSTAMP:20261101T080000Z\r\n\
DTSTART;TZID=Europe/Paris:20261202T093000\r\nDURATION:PT30M\r\n\
RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Kinésithérapie\r\nLOCATION:Cabinet Lafayette\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n";
    harness
        .app
        .state::<AppState>()
        .with_vault(|vault| vault.import_ics(&person_id, ics.as_bytes()))
        .unwrap();

    let events = harness.ok(
        "agenda_list",
        json!({ "personId": person_id, "from": "2026-12-01", "to": "2026-12-31" }),
    );
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["title"], "Kinésithérapie");
    assert_eq!(events[0]["start"], "2026-12-02T09:30:00");
    assert_eq!(events[0]["end"], "2026-12-02T10:00:00");
    assert_eq!(events[0]["allDay"], false);
    assert_eq!(events[0]["location"], "Cabinet Lafayette");
    assert_eq!(events[2]["start"], "2026-12-16T09:30:00");
    assert_ne!(events[0]["id"], events[1]["id"]);

    let key = harness.error_key(
        "agenda_list",
        json!({ "from": "décembre", "to": "2026-12-31" }),
    );
    assert_eq!(key, "error.invalid_argument");
}

#[test]
fn photo_has_thumbnail_pdf_has_none() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let photo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/images/Landscape_6_orient6.jpg")
        .display()
        .to_string();
    let photo_id = import_one(&harness, &photo, &person_id);
    match harness.call_raw("document_thumbnail", json!({ "id": photo_id })) {
        Ok(InvokeResponseBody::Raw(bytes)) => {
            assert!(!bytes.is_empty());
            assert!(bytes.len() < 352_727, "{} bytes", bytes.len());
        }
        other => panic!("document_thumbnail returned {other:?}"),
    }

    let pdf_id = import_one(&harness, &fixture().display().to_string(), &person_id);
    match harness.call_raw("document_thumbnail", json!({ "id": pdf_id })) {
        Ok(InvokeResponseBody::Raw(bytes)) => assert!(bytes.is_empty()),
        other => panic!("document_thumbnail returned {other:?}"),
    }
}

/// Returns the form of a weekly speech therapy appointment with two alarms,
/// four times from Monday 2026-03-23, the week of the switch to summer time.
fn weekly_form(person_id: &str) -> Value {
    json!({
        "personId": person_id,
        "title": "Orthophoniste",
        "allDay": false,
        "start": "2026-03-23T09:30",
        "end": "2026-03-23T10:15",
        "kind": "appointment",
        "practitioner": "Mme Leroy",
        "specialty": "Orthophonie",
        "address": "12 rue des Lilas, Paris",
        "notes": "Apporter le bilan",
        "alarms": [30, 1440],
        "recurrence": { "frequency": "weekly", "count": 4 }
    })
}

fn list_march_april(harness: &Harness) -> Vec<Value> {
    harness
        .ok(
            "agenda_list",
            json!({ "from": "2026-03-01", "to": "2026-04-30" }),
        )
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn event_create_get_and_list() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let created = harness.ok("event_create", json!({ "event": weekly_form(&person_id) }));
    let uid = created["uid"].as_str().unwrap().to_owned();
    assert_eq!(created["personId"], person_id.as_str());

    let events = list_march_april(&harness);
    assert_eq!(events.len(), 4);
    assert_eq!(events[0]["uid"], uid.as_str());
    assert_eq!(events[0]["kind"], "appointment");
    assert_eq!(events[0]["recurrenceId"], "2026-03-23T09:30:00");
    // After the switch to summer time the appointment keeps its wall-clock hour.
    assert_eq!(events[1]["start"], "2026-03-30T09:30:00");
    assert_eq!(events[0]["location"], "12 rue des Lilas, Paris");

    let detail = harness.ok("event_get", json!({ "personId": person_id, "uid": uid }));
    assert_eq!(detail["title"], "Orthophoniste");
    assert_eq!(detail["start"], "2026-03-23T09:30");
    assert_eq!(detail["end"], "2026-03-23T10:15");
    assert_eq!(detail["practitioner"], "Mme Leroy");
    assert_eq!(detail["specialty"], "Orthophonie");
    assert_eq!(detail["notes"], "Apporter le bilan");
    assert_eq!(detail["alarms"], json!([30, 1440]));
    assert_eq!(
        detail["recurrence"],
        json!({ "frequency": "weekly", "count": 4 })
    );
    assert_eq!(detail["customRecurrence"], false);

    let missing = harness.error_key(
        "event_get",
        json!({ "personId": person_id, "uid": "absent@carnet" }),
    );
    assert_eq!(missing, "error.event_not_found");
}

#[test]
fn event_form_errors_name_field() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let mut backwards = weekly_form(&person_id);
    backwards["end"] = json!("2026-03-23T09:00");
    let error = harness
        .call("event_create", json!({ "event": backwards }))
        .unwrap_err();
    assert_eq!(error["key"], "error.event_end_before_start");
    assert_eq!(error["params"]["field"], "end");

    let mut untitled = weekly_form(&person_id);
    untitled["title"] = json!("  ");
    let error = harness
        .call("event_create", json!({ "event": untitled }))
        .unwrap_err();
    assert_eq!(error["params"]["field"], "title");

    let mut stranger = weekly_form(&person_id);
    stranger["personId"] = json!("nobody");
    assert_eq!(
        harness.error_key("event_create", json!({ "event": stranger })),
        "error.person_not_found"
    );
    assert!(list_march_april(&harness).is_empty());
}

#[test]
fn event_update_edits_and_moves() {
    let harness = Harness::new();
    let parent = harness.vault_with_person();
    let child = add_person(
        &harness,
        json!({ "name": "Léo Martin", "birthDate": "2023-03-14", "sex": "male", "relation": "enfant" }),
    );
    let uid = harness.ok("event_create", json!({ "event": weekly_form(&parent) }))["uid"]
        .as_str()
        .unwrap()
        .to_owned();

    // An override moves the second session to 11:00; it moves with the series.
    {
        use carnet_core::agenda::{Event, EventTime};
        use tauri::Manager;

        let second = chrono::NaiveDate::from_ymd_opt(2026, 3, 30).unwrap();
        let mut moved = Event::appointment(uid.clone(), second.and_hms_opt(11, 0, 0).unwrap(), 45);
        moved.recurrence_id = Some(EventTime::paris(second.and_hms_opt(9, 30, 0).unwrap()));
        harness
            .app
            .state::<AppState>()
            .with_vault(|vault| vault.add_event(&parent, moved))
            .unwrap();
    }

    let mut edited = weekly_form(&child);
    edited["title"] = json!("Orthophonie de Léo");
    edited["alarms"] = json!([15]);
    edited["recurrence"] = json!({ "frequency": "weekly", "until": "2026-04-06" });
    harness.ok(
        "event_update",
        json!({ "personId": parent, "uid": uid, "event": edited }),
    );

    let events = list_march_april(&harness);
    assert_eq!(events.len(), 3, "until 2026-04-06 included");
    assert!(events.iter().all(|e| e["personId"] == child.as_str()));
    assert_eq!(
        events[1]["start"], "2026-03-30T11:00:00",
        "the override moved too"
    );
    assert_eq!(events[0]["title"], "Orthophonie de Léo");
    let detail = harness.ok("event_get", json!({ "personId": child, "uid": uid }));
    assert_eq!(detail["alarms"], json!([15]));
    assert_eq!(detail["recurrence"]["until"], "2026-04-06");
    assert_eq!(
        harness.error_key("event_get", json!({ "personId": parent, "uid": uid })),
        "error.event_not_found"
    );
}

#[test]
fn event_delete_occurrence_then_series() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let uid = harness.ok("event_create", json!({ "event": weekly_form(&person_id) }))["uid"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = list_march_april(&harness)[1]["recurrenceId"]
        .as_str()
        .unwrap()
        .to_owned();

    harness.ok(
        "event_delete",
        json!({ "personId": person_id, "uid": uid, "occurrence": second }),
    );
    let starts: Vec<Value> = list_march_april(&harness)
        .iter()
        .map(|e| e["start"].clone())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-03-23T09:30:00",
            "2026-04-06T09:30:00",
            "2026-04-13T09:30:00"
        ]
    );
    assert_eq!(
        harness.error_key(
            "event_delete",
            json!({ "personId": person_id, "uid": uid, "occurrence": "2026-03-25T09:30:00" })
        ),
        "error.event_not_found"
    );

    harness.ok("event_delete", json!({ "personId": person_id, "uid": uid }));
    assert!(list_march_april(&harness).is_empty());
    assert_eq!(
        harness.error_key("event_delete", json!({ "personId": person_id, "uid": uid })),
        "error.event_not_found"
    );
}

#[test]
fn agenda_import_counts_rejections() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Carnet//tests//FR\r\n\
BEGIN:VEVENT\r\nUID:dentiste@carnet.test\r\nDTSTAMP:20261101T080000Z\r\n\
DTSTART;TZID=Europe/Paris:20260415T140000\r\nDURATION:PT30M\r\nSUMMARY:Dentiste\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:sans-debut@carnet.test\r\nSUMMARY:Sans date\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let path = harness.vault_dir.with_file_name("rendez-vous.ics");
    std::fs::write(&path, ics).unwrap();

    let summary = harness.ok(
        "agenda_import",
        json!({ "personId": person_id, "path": path.display().to_string() }),
    );
    assert_eq!(summary["imported"], 1);
    assert_eq!(summary["updated"], 0);
    let rejected = summary["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        rejected[0]["reason"]["key"],
        "agenda.import.error.missing_start"
    );
    assert_eq!(list_march_april(&harness)[0]["title"], "Dentiste");

    let again = harness.ok(
        "agenda_import",
        json!({ "personId": person_id, "path": path.display().to_string() }),
    );
    assert_eq!(again["imported"], 0);
    assert_eq!(again["updated"], 1);

    let text = harness.vault_dir.with_file_name("notes.ics");
    std::fs::write(&text, "pas un calendrier").unwrap();
    let error = harness
        .call(
            "agenda_import",
            json!({ "personId": person_id, "path": text.display().to_string() }),
        )
        .unwrap_err();
    assert_eq!(error["key"], "error.agenda_file_invalid");
    assert_eq!(error["params"]["file"], "notes.ics");
    let reason = error["params"]["reason"].as_str().unwrap();
    assert!(reason.contains("calendrier"), "{reason}");
}

#[test]
fn prevention_plan_done_dismiss() {
    let harness = Harness::new();
    harness.vault_with_person();
    let child = add_person(
        &harness,
        json!({ "name": "Léo Martin", "birthDate": "2023-03-14", "sex": "male", "relation": "enfant" }),
    );
    let list = |at: &str| {
        harness
            .ok("prevention_list", json!({ "personId": child, "at": at }))
            .as_array()
            .unwrap()
            .clone()
    };
    let find = |items: &[Value], id: &str| items.iter().find(|s| s["id"] == id).unwrap().clone();

    let before = list("2026-03-20");
    let checkup = find(&before, "checkup-3y");
    assert_eq!(checkup["state"], "open");
    assert_eq!(checkup["mandatory"], true);
    assert_eq!(checkup["labelKey"], "agenda.suggestion.checkup-3y");

    harness.ok(
        "prevention_decide",
        json!({ "personId": child, "suggestionId": "checkup-3y", "decision": "plan", "on": "2026-04-02" }),
    );
    let planned = find(&list("2026-03-20"), "checkup-3y");
    assert_eq!(planned["state"], "planned");
    assert_eq!(planned["on"], "2026-04-02");

    harness.ok(
        "prevention_decide",
        json!({ "personId": child, "suggestionId": "checkup-3y", "decision": "done", "on": "2026-04-02" }),
    );
    assert_eq!(find(&list("2026-04-03"), "checkup-3y")["state"], "done");

    harness.ok(
        "prevention_decide",
        json!({ "personId": child, "suggestionId": "mtdents-3y", "decision": "dismiss" }),
    );
    assert_eq!(
        find(&list("2026-04-03"), "mtdents-3y")["state"],
        "dismissed"
    );

    assert_eq!(
        harness.error_key(
            "prevention_decide",
            json!({ "personId": child, "suggestionId": "checkup-3y", "decision": "plan" })
        ),
        "error.invalid_argument"
    );
}

#[test]
fn notification_settings_default_to_hidden_details() {
    let harness = Harness::new();
    let settings = harness.ok("notifications_get", json!({}));
    assert_eq!(settings, json!({ "enabled": true, "showDetails": false }));
    let changed = harness.ok(
        "notifications_set",
        json!({ "enabled": false, "showDetails": true }),
    );
    assert_eq!(changed, json!({ "enabled": false, "showDetails": true }));
    assert_eq!(harness.ok("notifications_get", json!({})), changed);
}

#[test]
fn agenda_commands_fail_once_locked() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    harness.ok("vault_lock", json!({}));
    let locked = "error.vault_locked";
    assert_eq!(
        harness.error_key("event_create", json!({ "event": weekly_form(&person_id) })),
        locked
    );
    assert_eq!(
        harness.error_key("event_get", json!({ "personId": person_id, "uid": "x" })),
        locked
    );
    assert_eq!(
        harness.error_key(
            "prevention_list",
            json!({ "personId": person_id, "at": "2026-03-20" })
        ),
        locked
    );
}

#[test]
fn person_update_replaces_fields() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let updated = harness.ok(
        "person_update",
        json!({ "id": person_id, "person": {
            "name": "Camille Durand",
            "birthDate": "1987-01-31",
            "sex": "unknown",
            "relation": "conjoint",
            "ins": "288057512345670"
        }}),
    );
    assert_eq!(updated["id"], person_id.as_str());
    assert_eq!(updated["name"], "Camille Durand");
    assert_eq!(updated["birthDate"], "1987-01-31");
    assert_eq!(updated["sex"], "unknown");
    assert_eq!(updated["relation"], "conjoint");
    assert_eq!(updated["ins"], "288057512345670");
    assert_eq!(harness.ok("people_list", json!({}))[0], updated);

    // Sent without an INS, the person loses it.
    let cleared = harness.ok(
        "person_update",
        json!({ "id": person_id, "person": {
            "name": "Camille Durand",
            "birthDate": "1987-01-31",
            "sex": "unknown",
            "relation": "conjoint"
        }}),
    );
    assert_eq!(cleared.get("ins"), None);
}

#[test]
fn person_update_rejects_and_keeps_person() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let before = harness.ok("people_list", json!({}));
    let error = harness
        .call(
            "person_update",
            json!({ "id": person_id, "person": {
                "name": "Camille Durand",
                "birthDate": "1986-04-12",
                "sex": "female",
                "relation": "titulaire",
                "ins": BAD_INS
            }}),
        )
        .unwrap_err();
    assert_eq!(error["key"], "error.invalid_ins");
    assert_eq!(error["params"]["value"], BAD_INS);

    let missing = harness.error_key(
        "person_update",
        json!({ "id": "no-such-person", "person": {
            "name": "Camille Durand",
            "birthDate": "1986-04-12",
            "sex": "female",
            "relation": "titulaire"
        }}),
    );
    assert_eq!(missing, "error.person_not_found");
    assert_eq!(harness.ok("people_list", json!({})), before);
}

#[test]
fn blood_group_set_and_clear() {
    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    harness.ok(
        "blood_group_set",
        json!({ "personId": person_id, "group": "O-" }),
    );
    let profile = harness.ok("profile_get", json!({ "personId": person_id }));
    assert_eq!(profile["bloodGroup"], "O-");

    let error = harness
        .call(
            "blood_group_set",
            json!({ "personId": person_id, "group": "O neg" }),
        )
        .unwrap_err();
    assert_eq!(error["key"], "error.invalid_input");
    assert_eq!(error["params"]["field"], "blood group");
    let profile = harness.ok("profile_get", json!({ "personId": person_id }));
    assert_eq!(profile["bloodGroup"], "O-");

    harness.ok(
        "blood_group_set",
        json!({ "personId": person_id, "group": null }),
    );
    let profile = harness.ok("profile_get", json!({ "personId": person_id }));
    assert_eq!(profile["bloodGroup"], Value::Null);
}

#[test]
fn export_sends_progress_and_summary() {
    use std::sync::{Arc, Mutex};
    use tauri::Listener;

    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    harness.ok(
        "import_files",
        json!({ "paths": [fixture().display().to_string()], "personId": person_id }),
    );
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = received.clone();
    harness.window.listen_any("export-progress", move |event| {
        sink.lock()
            .unwrap()
            .push(serde_json::from_str(event.payload()).unwrap());
    });

    // A cancellation requested before the export starts does not stop it.
    harness.ok("export_cancel", json!({}));
    let archive = harness.vault_dir.with_file_name("export.zip");
    let summary = harness.ok(
        "export_archive",
        json!({ "path": archive.display().to_string() }),
    );
    assert_eq!(summary["people"], 1);
    assert_eq!(summary["documents"], 1);
    assert_eq!(summary["skipped"], json!([]));
    assert_eq!(summary["cancelled"], false);
    assert!(archive.is_file());

    let received = received.lock().unwrap();
    assert_eq!(received.len(), 2, "{received:?}");
    assert_eq!(received[0]["done"], 0);
    assert_eq!(received[1]["done"], 1);
    assert_eq!(received[1]["total"], 1);
    assert_eq!(received[1]["bytesDone"], received[1]["bytesTotal"]);
    assert!(received[1]["bytesTotal"].as_u64().unwrap() > 0);
}

#[test]
fn export_cancel_stops_after_current_document() {
    use std::sync::{Arc, Mutex};
    use tauri::Listener;

    let harness = Harness::new();
    let person_id = harness.vault_with_person();
    let image =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images/Landscape_6_orient6.jpg");
    harness.ok(
        "import_files",
        json!({
            "paths": [fixture().display().to_string(), image.display().to_string()],
            "personId": person_id
        }),
    );

    // The first export's event for its first document cancels through the command
    // itself, as the Cancel button does while the export runs.
    let done: Arc<Mutex<Vec<u64>>> = Arc::default();
    let sink = done.clone();
    let window = harness.window.clone();
    let cancel_once = Arc::new(std::sync::atomic::AtomicBool::new(true));
    harness.window.listen_any("export-progress", move |event| {
        let payload: Value = serde_json::from_str(event.payload()).unwrap();
        let count = payload["done"].as_u64().unwrap();
        sink.lock().unwrap().push(count);
        if count == 1 && cancel_once.swap(false, std::sync::atomic::Ordering::SeqCst) {
            let response = get_ipc_response(
                &window,
                InvokeRequest {
                    cmd: "export_cancel".into(),
                    callback: CallbackFn(0),
                    error: CallbackFn(1),
                    url: "tauri://localhost".parse().unwrap(),
                    body: InvokeBody::Json(json!({})),
                    headers: Default::default(),
                    invoke_key: INVOKE_KEY.to_string(),
                },
            );
            assert!(response.is_ok());
        }
    });

    let folder = harness.vault_dir.with_file_name("exports");
    std::fs::create_dir(&folder).unwrap();
    let archive = folder.join("export.zip");
    let summary = harness.ok(
        "export_archive",
        json!({ "path": archive.display().to_string() }),
    );
    assert_eq!(summary["cancelled"], true);
    assert_eq!(*done.lock().unwrap(), [0, 1]);
    done.lock().unwrap().clear();
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        0,
        "a file was left"
    );

    // The vault is intact: a new export writes both documents.
    let summary = harness.ok(
        "export_archive",
        json!({ "path": archive.display().to_string() }),
    );
    assert_eq!(summary["cancelled"], false);
    assert_eq!(summary["documents"], 2);
    assert_eq!(*done.lock().unwrap(), [0, 1, 2]);
}
