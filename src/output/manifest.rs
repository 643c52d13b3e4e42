//! The manifest: the list of files the last build wrote, one path a line,
//! sorted. It is what lets a build delete an output it no longer produces
//! while never touching a file make-feed did not write.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::Path;

use super::stager::TEMP_PREFIX;
use crate::error::{Error, Result};

/// The manifest's name in the output folder.
pub(crate) const MANIFEST: &str = ".make-feed-manifest";

/// The manifest's text as the last build left it (empty if there is none).
pub(crate) fn read(out_dir: &Path) -> String {
    fs::read_to_string(out_dir.join(MANIFEST)).unwrap_or_default()
}

/// The paths the last build wrote.
pub(crate) fn read_set(out_dir: &Path) -> HashSet<String> {
    read(out_dir).lines().map(str::to_string).collect()
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

/// Replaces the manifest with `text`, atomically.
pub(crate) fn write(out_dir: &Path, text: &str) -> Result<()> {
    let path = out_dir.join(MANIFEST);
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
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
    fn the_text_is_sorted_with_each_path_once() {
        assert_eq!(text(["b", "a/c", "b"]), "a/c\nb\n");
    }
}
