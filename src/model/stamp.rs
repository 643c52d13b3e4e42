//! What `stat` says of a file: enough to tell that it changed without
//! reading it.

use std::fs;

/// What `stat` says of a file, as far as telling a change goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(crate) size: u64,
    /// Nanoseconds since the epoch.
    pub(crate) modified: i64,
    /// The inode's change time, in nanoseconds: no one can set it, and
    /// any write, rename or change of the times sets it to the present.
    pub(crate) changed: i64,
    pub(crate) inode: u64,
    pub(crate) device: u64,
}

impl Stamp {
    #[cfg(unix)]
    pub(crate) fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let nanos = |s: i64, ns: i64| s.saturating_mul(1_000_000_000).saturating_add(ns);
        Stamp {
            size: meta.size(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        }
    }

    /// Elsewhere the index is never used ([`Stamp::racy`] is always true).
    #[cfg(not(unix))]
    pub(crate) fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            size: meta.len(),
            modified: 0,
            changed: 0,
            inode: 0,
            device: 0,
        }
    }

    /// Whether the file may have changed since `began` (nanoseconds)
    /// without its stamp showing it.
    pub(crate) fn racy(&self, began: i64) -> bool {
        self.modified >= began || self.changed >= began || !cfg!(unix)
    }
}
