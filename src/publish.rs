//! Writing outputs so that a reader never sees a half-written file and a
//! failed build leaves the previous outputs exactly as they were.
//!
//! Every output is first written in full to a temporary file beside its
//! destination and flushed to disk; only when all of them are ready is each
//! renamed over its destination (a rename within one folder is atomic). An
//! output whose bytes have not changed is left alone, so its modification
//! time, and a web server's `Last-Modified` and `ETag`, stay put.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::render::Output;

/// Prefix of the temporary files; nothing else in the output uses it.
pub const TEMP_PREFIX: &str = ".make-feed-";

/// What publishing did to each output.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Published {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
}

pub fn publish(out_dir: &Path, outputs: &[Output]) -> Result<Published> {
    let mut staged = Vec::new();
    let mut published = Published::default();
    for output in outputs {
        let destination = out_dir.join(&output.path);
        if fs::read(&destination).is_ok_and(|old| old == output.bytes) {
            published.unchanged.push(destination);
            continue;
        }
        let folder = destination.parent().unwrap_or(out_dir);
        fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        let mut temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(folder)
            .map_err(|e| Error::io(folder, e))?;
        write_fully(&mut temp, &output.bytes).map_err(|e| Error::io(temp.path(), e))?;
        staged.push((temp, destination));
    }
    for (temp, destination) in staged {
        temp.persist(&destination)
            .map_err(|e| Error::io(&destination, e.error))?;
        published.written.push(destination);
    }
    sync_folder(out_dir);
    Ok(published)
}

fn write_fully(temp: &mut NamedTempFile, bytes: &[u8]) -> std::io::Result<()> {
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    // Temporary files are created private; outputs are for a web server.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}

/// Makes the renames durable. Best effort: not every platform can open a
/// folder for syncing.
fn sync_folder(folder: &Path) {
    if let Ok(handle) = fs::File::open(folder) {
        let _ = handle.sync_all();
    }
}
