//! The lock that keeps two builds of one output folder apart.
//!
//! The lock file is never deleted, not even by a failed first build: a build
//! waiting on it would otherwise hold a lock on a file no longer there while
//! a third build made a new one and ran beside it. A build that gets the lock
//! still checks that the file it locked is the one at the path (someone may
//! have deleted the output folder meanwhile), and tries again if not.
//!
//! The lock file also holds the folder's token: a random word in the names
//! of make-feed's temporary files there, so that a leftover of a killed build
//! is told apart from any file a person could have put there. A second line,
//! `clean`, says that the last build to hold the lock ended without leaving
//! any: it is taken away, durably, before a build makes its first temporary
//! file, and written back once the build has published or removed them all,
//! so that only a build after a killed one has to look for leftovers.

use std::fs::{self, File, TryLockError};
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::error::{Diagnostic, Error, Result};

/// Held while a build writes into the folder.
pub(crate) const LOCK: &str = ".make-feed-lock";

/// How many times a lock file replaced under a waiting build is opened again.
const RETRIES: usize = 100;

/// An exclusive lock on `LOCK` in the output folder, held until dropped.
pub(crate) struct OutputLock {
    file: File,
    /// The folder's token (see the module's documentation).
    pub(crate) token: String,
    /// Whether the last build to hold the lock left no temporary file.
    pub(crate) clean: bool,
}

impl OutputLock {
    /// Locks `out_dir` (creating it), waiting (after telling `on_wait`)
    /// while another build holds it.
    pub(crate) fn acquire(out_dir: &Path, on_wait: &dyn Fn(&str)) -> Result<OutputLock> {
        let path = out_dir.join(LOCK);
        for _ in 0..RETRIES {
            fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
            // Opening a FIFO would wait forever, and a link could lead anywhere.
            if fs::symlink_metadata(&path).is_ok_and(|meta| !meta.is_file()) {
                return Err(Diagnostic::new(
                    &path,
                    "is not a regular file; make-feed keeps its lock there",
                )
                .help("move it away")
                .into());
            }
            let file = File::options()
                .create(true)
                .truncate(false)
                .read(true)
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
            if is_the_file_at(&file, &path) {
                let (token, clean) = token(&file).map_err(|e| Error::io(&path, e))?;
                return Ok(OutputLock { file, token, clean });
            }
            // Replaced while this build waited: lock the new one.
        }
        Err(Error::io(
            &path,
            std::io::Error::other("the lock file kept being replaced while waiting for it"),
        ))
    }

    /// Records, durably, that a build is about to make temporary files.
    pub(crate) fn begin_work(&mut self) -> std::io::Result<()> {
        self.file.set_len(TOKEN_LINE)?;
        if self.clean {
            self.file.sync_data()?;
            self.clean = false;
        }
        Ok(())
    }

    /// Records that the build left no temporary file (best effort: if it
    /// cannot, the next build looks for leftovers).
    pub(crate) fn end_work(&mut self) {
        let mut file = &self.file;
        let ended = file
            .seek(SeekFrom::Start(TOKEN_LINE))
            .and_then(|_| file.write_all(CLEAN));
        self.clean = ended.is_ok();
    }
}

/// True if `file` is the file now at `path` (and not one deleted or replaced).
fn is_the_file_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::symlink_metadata(path)) {
            (Ok(open), Ok(there)) => open.dev() == there.dev() && open.ino() == there.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.is_file()
    }
}

/// The length of the token's line: 16 digits and a newline.
const TOKEN_LINE: u64 = 17;
const CLEAN: &[u8] = b"clean\n";

/// The token recorded in the lock `file` (recording a new one if it has
/// none), and whether the last build left no temporary file.
fn token(mut file: &File) -> std::io::Result<(String, bool)> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0))?;
    // A lock file someone filled with something else is simply given a token.
    let _ = file.take(64).read_to_string(&mut text);
    let (token, rest) = text.split_once('\n').unwrap_or((&text, ""));
    if token.len() == 16 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok((token.to_string(), rest.as_bytes() == CLEAN));
    }
    let token = new_token();
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(format!("{token}\n").as_bytes())?;
    file.sync_all()?;
    Ok((token, false))
}

/// 16 random hexadecimal digits, from the standard library's random hash
/// keys (a fresh `RandomState` is seeded from the operating system).
fn new_token() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}
