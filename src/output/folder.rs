//! A folder held open, so that a `stat` of a path below it looks up only
//! the names below it: a rebuild looks at every article and every output,
//! and walking the folder's own path again for each was a third of that.

use std::io;
use std::path::{Path, PathBuf};

use crate::model::Stamp;

/// What stands at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Nothing,
    /// A regular file (not a link to one, unless links are followed).
    File,
    Folder,
    Link,
    /// A FIFO, a socket or a device.
    Special,
}

impl Found {
    /// What a message calls it.
    pub(crate) fn described(self) -> &'static str {
        match self {
            Found::Nothing => "nothing",
            Found::File => "a file",
            Found::Folder => "a folder",
            Found::Link => "a symbolic link",
            Found::Special => "a FIFO, socket or device, not a regular file",
        }
    }
}

/// A folder, open where the platform allows it (if it cannot be opened,
/// paths below it are looked up whole, as they would be anyway).
pub(crate) struct OpenFolder {
    path: PathBuf,
    #[cfg(unix)]
    handle: Option<rustix::fd::OwnedFd>,
}

impl OpenFolder {
    pub(crate) fn open(path: &Path) -> OpenFolder {
        OpenFolder {
            path: path.to_path_buf(),
            #[cfg(unix)]
            handle: {
                use rustix::fs::{Mode, OFlags};
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(path, flags, Mode::empty()).ok()
            },
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// What stands at `relative` (a path below the folder), and its stamp
    /// if anything does; a symbolic link there is followed if `follow`.
    pub(crate) fn stat(&self, relative: &str, follow: bool) -> io::Result<(Found, Option<Stamp>)> {
        #[cfg(unix)]
        if let Some(handle) = &self.handle {
            use rustix::fs::{statat, AtFlags, FileType};
            let flags = if follow {
                AtFlags::empty()
            } else {
                AtFlags::SYMLINK_NOFOLLOW
            };
            let stat = match statat(handle, relative, flags) {
                Ok(stat) => stat,
                Err(rustix::io::Errno::NOENT) => return Ok((Found::Nothing, None)),
                Err(errno) => return Err(errno.into()),
            };
            let found = match FileType::from_raw_mode(stat.st_mode) {
                FileType::RegularFile => Found::File,
                FileType::Directory => Found::Folder,
                FileType::Symlink => Found::Link,
                _ => Found::Special,
            };
            return Ok((found, Some(Stamp::of_stat(&stat))));
        }
        let path = self.path.join(relative);
        let meta = if follow {
            std::fs::metadata(&path)
        } else {
            std::fs::symlink_metadata(&path)
        };
        let meta = match meta {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Found::Nothing, None)),
            Err(e) => return Err(e),
        };
        let kind = meta.file_type();
        let found = if kind.is_symlink() {
            Found::Link
        } else if kind.is_dir() {
            Found::Folder
        } else if kind.is_file() {
            Found::File
        } else {
            Found::Special
        };
        Ok((found, Some(Stamp::of(&meta))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_stands_below_an_open_folder_is_told_as_by_its_whole_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.txt"), "abc").unwrap();
        let folder = OpenFolder::open(dir.path());
        let (found, stamp) = folder.stat("sub/a.txt", false).unwrap();
        let meta = std::fs::metadata(dir.path().join("sub/a.txt")).unwrap();
        assert_eq!((found, stamp), (Found::File, Some(Stamp::of(&meta))));
        assert_eq!(folder.stat("sub", false).unwrap().0, Found::Folder);
        assert_eq!(folder.stat("none", false).unwrap(), (Found::Nothing, None));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("sub/a.txt", dir.path().join("link")).unwrap();
            assert_eq!(folder.stat("link", false).unwrap().0, Found::Link);
            assert_eq!(folder.stat("link", true).unwrap(), (found, stamp));
        }
    }
}
