//! Expanding the paths given to an import into a list of files.

use std::fs;
use std::path::{Path, PathBuf};

/// Walks `paths` recursively in name order. Returns the regular files found and the
/// paths that could not be read. Symbolic links to directories are not followed, so
/// a link cycle cannot make the walk loop.
pub(super) fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, std::io::Error)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        visit(path, true, &mut files, &mut errors);
    }
    (files, errors)
}

fn visit(
    path: &Path,
    top: bool,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<(PathBuf, std::io::Error)>,
) {
    let metadata = if top {
        fs::metadata(path)
    } else {
        fs::symlink_metadata(path)
    };
    let metadata = match metadata {
        Ok(m) => m,
        Err(e) => {
            errors.push((path.to_path_buf(), e));
            return;
        }
    };
    if metadata.is_file() {
        files.push(path.to_path_buf());
        return;
    }
    if metadata.file_type().is_symlink() {
        // A link inside a walked folder: follow it only when it names a file.
        if fs::metadata(path).map(|m| m.is_file()).unwrap_or(false) {
            files.push(path.to_path_buf());
        }
        return;
    }
    if !metadata.is_dir() {
        return;
    }
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push((path.to_path_buf(), e));
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    children.sort();
    for child in children {
        let hidden = child
            .file_name()
            .map(|n| n.to_string_lossy().starts_with('.'))
            .unwrap_or(false);
        if !hidden {
            visit(&child, false, files, errors);
        }
    }
}
