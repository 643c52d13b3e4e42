//! The lock that keeps two builds of one output folder apart.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::error::{Error, Result};

/// Held while a build writes into the folder.
pub(crate) const LOCK: &str = ".make-feed-lock";

/// An exclusive lock on `LOCK` in the output folder, held until dropped.
pub(crate) struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Locks `out_dir`, waiting (after telling `on_wait`) while another
    /// build holds it.
    pub(crate) fn acquire(out_dir: &Path, on_wait: &dyn Fn(&str)) -> Result<OutputLock> {
        let path = out_dir.join(LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                on_wait(&format!(
                    "another make-feed is building into {}; waiting for it to finish",
                    out_dir.display()
                ));
                file.lock().map_err(|e| Error::io(&path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        Ok(OutputLock { _file: file })
    }
}
