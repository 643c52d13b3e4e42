//! What `stat` says of a file: enough to tell that it changed without
//! reading it.

use std::fs;

/// Where the last build's index holds a record that a build found to be
/// still true as it stands, so that the next index can take it as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recorded(pub(crate) usize);

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
    /// The change time of a file about to be renamed into place, which the
    /// rename sets.
    pub(crate) const PENDING: i64 = i64::MIN;

    /// The stamp of a file about to be renamed into place: all but its
    /// change time, which the rename sets.
    pub(crate) fn pending(meta: &fs::Metadata) -> Stamp {
        Stamp {
            changed: Stamp::PENDING,
            ..Stamp::of(meta)
        }
    }

    /// Whether it was recorded before its file had its last change time.
    pub(crate) fn is_pending(&self) -> bool {
        self.changed == Stamp::PENDING
    }

    /// Whether the file whose stamp is `now` is still the one recorded as
    /// `self`. A pending stamp is taken when all but the change time agree
    /// and the file changed last before `settled` (when the index that
    /// recorded it was written, after the rename; a file system whose clock
    /// ticks coarsely may give both the same time, and then it is not).
    pub(crate) fn still(&self, now: &Stamp, settled: i64) -> bool {
        if self.changed == Stamp::PENDING {
            Stamp {
                changed: now.changed,
                ..*self
            } == *now
                && now.changed < settled
        } else {
            self == now
        }
    }

    /// The stamp of what `stat` gave.
    #[cfg(unix)]
    #[allow(clippy::unnecessary_cast)] // the fields' types differ by platform
    pub(crate) fn of_stat(stat: &rustix::fs::Stat) -> Stamp {
        let nanos = |s: i64, ns: i64| s.saturating_mul(1_000_000_000).saturating_add(ns);
        Stamp {
            size: stat.st_size as u64,
            modified: nanos(stat.st_mtime as i64, stat.st_mtime_nsec as i64),
            changed: nanos(stat.st_ctime as i64, stat.st_ctime_nsec as i64),
            inode: stat.st_ino as u64,
            device: stat.st_dev as u64,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_stamp_holds_only_for_a_file_changed_before_its_index() {
        let file = Stamp {
            size: 10,
            modified: 100,
            changed: 150,
            inode: 7,
            device: 1,
        };
        let pending = Stamp {
            changed: Stamp::PENDING,
            ..file
        };
        assert!(pending.still(&file, 151));
        assert!(!pending.still(&file, 150), "changed in the index's tick");
        assert!(!pending.still(&file, 149), "changed after the index");
        assert!(!pending.still(&Stamp { inode: 8, ..file }, 151));
        assert!(file.still(&file, 0));
        assert!(!file.still(
            &Stamp {
                changed: 151,
                ..file
            },
            i64::MAX
        ));
    }
}
