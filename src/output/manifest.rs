//! The manifest: the list of files the last build wrote, one path a line,
//! sorted. It is what lets a build delete an output it no longer produces
//! while never touching a file make-feed did not write.

use std::fs;
use std::io::Write;
use std::path::Path;

use rustc_hash::FxHashSet;

use crate::error::{Diagnostic, Error, Result};

/// The manifest's name in the output folder.
pub(crate) const MANIFEST: &str = ".make-feed-manifest";

/// The manifest's text as the last build left it (empty if there is none).
/// Anything but a regular file there is an error: make-feed cannot tell
/// which files are its own.
pub(crate) fn read(out_dir: &Path) -> Result<String> {
    let path = out_dir.join(MANIFEST);
    match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(Error::io(&path, e)),
        Ok(meta) if !meta.is_file() => return Err(Diagnostic::new(
            &path,
            "is not a regular file, so make-feed cannot tell which files in the folder it wrote",
        )
        .help("move it away; make-feed then writes only where nothing stands")
        .into()),
        Ok(_) => {}
    }
    // A manifest no build wrote (not UTF-8) lists nothing.
    Ok(fs::read_to_string(&path).unwrap_or_default())
}

/// The paths a manifest lists, for lookups.
#[derive(Debug, Default)]
pub(crate) struct Listed {
    paths: FxHashSet<Box<str>>,
}

impl Listed {
    pub(crate) fn new(text: &str) -> Listed {
        Listed {
            paths: text
                .split('\n')
                .filter(|line| !line.is_empty())
                .map(Box::from)
                .collect(),
        }
    }

    pub(crate) fn contains(&self, path: &str) -> bool {
        self.paths.contains(path)
    }
}

/// The manifest's text for `paths`: sorted, one a line.
pub(crate) fn text<'p>(paths: impl IntoIterator<Item = &'p str>) -> String {
    let mut paths: Vec<&str> = paths.into_iter().collect();
    paths.sort_unstable();
    paths.dedup();
    let mut text = String::with_capacity(paths.iter().map(|p| p.len() + 1).sum());
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// Replaces the manifest with `text`, atomically, through a temporary file
/// whose name starts with `temp_prefix`.
pub(crate) fn write(out_dir: &Path, text: &str, temp_prefix: &str) -> Result<()> {
    let path = out_dir.join(MANIFEST);
    let mut temp = tempfile::Builder::new()
        .prefix(temp_prefix)
        .tempfile_in(out_dir)
        .map_err(|e| Error::io(out_dir, e))?;
    temp.as_file_mut()
        .write_all(text.as_bytes())
        .and_then(|()| {
            // Temporary files are created private; outputs are for a web server.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                temp.as_file()
                    .set_permissions(fs::Permissions::from_mode(0o644))?;
            }
            temp.as_file().sync_all()
        })
        .map_err(|e| Error::io(&path, e))?;
    temp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
    Ok(())
}

/// A manifest line make-feed may delete: a relative path that stays inside
/// the output folder, whatever the manifest was edited to say.
pub(crate) fn is_own_output(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_outside_the_folder_are_never_deleted() {
        assert!(is_own_output("archive/rss-1.xml"));
        assert!(!is_own_output("../secret"));
        assert!(!is_own_output("/etc/passwd"));
        assert!(!is_own_output("a/../../b"));
        assert!(!is_own_output(""));
    }

    #[test]
    fn listed_paths_are_found_in_any_order() {
        let listed = Listed::new("b\na/c\nrss.xml");
        assert!(listed.contains("a/c") && listed.contains("b") && listed.contains("rss.xml"));
        assert!(!listed.contains("a") && !listed.contains(""));
    }

    #[test]
    fn the_text_is_sorted_with_each_path_once() {
        assert_eq!(text(["b", "a/c", "b"]), "a/c\nb\n");
    }
}
