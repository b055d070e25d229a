//! Every command the app registers is also declared in `build.rs` (so that
//! tauri-build generates its `allow-` permission) and granted in
//! `permissions/carnet-ui.toml`. A command missing from either is refused at
//! run time with "not allowed", which the command tests cannot see, because they
//! call commands without the permission layer.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

/// Names in `generate_handler![commands::group::name, …]` of src/lib.rs.
fn registered() -> BTreeSet<String> {
    let source = read("src/lib.rs");
    let start = source.find("generate_handler![").unwrap();
    let end = start + source[start..].find(']').unwrap();
    source[start..end]
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty() && !name.contains('['))
        .map(str::to_owned)
        .collect()
}

/// Names quoted in the `COMMANDS` array of build.rs.
fn declared() -> BTreeSet<String> {
    let source = read("build.rs");
    let start = source.find("const COMMANDS").unwrap();
    let end = start + source[start..].find("];").unwrap();
    source[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Commands granted by `allow-<name>` entries of the permission set, with
/// dashes turned back into underscores.
fn granted() -> BTreeSet<String> {
    read("permissions/carnet-ui.toml")
        .split('"')
        .filter_map(|token| token.strip_prefix("allow-"))
        .map(|name| name.replace('-', "_"))
        .collect()
}

#[test]
fn build_declares_every_registered_command() {
    let registered = registered();
    assert!(registered.len() > 30, "{registered:?}");
    assert_eq!(declared(), registered);
}

#[test]
fn permission_set_grants_every_command() {
    assert_eq!(granted(), registered());
}
