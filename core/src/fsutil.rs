//! File-system helpers for crash-safe writes.

use std::fs::File;
use std::path::Path;

use crate::error::VaultError;

/// Syncs a directory so that a rename or a new file in it survives a crash.
pub fn sync_dir(dir: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    {
        let handle = File::open(dir).map_err(|e| VaultError::io(dir, e))?;
        handle.sync_all().map_err(|e| VaultError::io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
