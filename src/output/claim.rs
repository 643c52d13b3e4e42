//! What make-feed may write in the output folder: the checks every path
//! passes before a build stages anything there, so that no rename can fail
//! half way through publishing and no file make-feed did not write is ever
//! replaced.
//!
//! A path may be written when its name is one file systems take (each part
//! at most [`MAX_NAME`] bytes, no control characters), every folder on the
//! way is a real folder (not a symbolic link, which could lead out of the
//! output folder, and not a file), and what stands at the path is nothing,
//! or a regular file that the last build's manifest lists.

use std::collections::HashSet;
use std::sync::Mutex;

use super::folder::{Found, OpenFolder};
use super::locked;
use super::manifest::Listed;
use crate::error::Diagnostic;
use crate::model::Stamp;

/// The longest file name (one part of a path), in bytes, that common file
/// systems take (ext4, APFS, NTFS in UTF-16 units, which UTF-8 bytes bound).
pub(crate) const MAX_NAME: usize = 255;

/// The longest path below the output folder, in bytes; Linux's limit for a
/// whole path is 4096, and the output folder's own path comes first.
pub(crate) const MAX_PATH: usize = 3072;

/// Why the name `path` (a site path) cannot be a file's, if it cannot.
pub(crate) fn name_problem(path: &str) -> Option<String> {
    if path.len() > MAX_PATH {
        return Some(format!(
            "the path is {} bytes long; make-feed writes paths of at most {MAX_PATH}",
            path.len()
        ));
    }
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Some(format!("{part:?} cannot be part of a path"));
        }
        if part.len() > MAX_NAME {
            return Some(format!(
                "a name in it is {} bytes long; file systems take at most {MAX_NAME}",
                part.len()
            ));
        }
        if part.chars().any(char::is_control) {
            return Some("a name in it holds a control character".to_string());
        }
    }
    None
}

/// Checks that make-feed may write `path` (a site path) below `out`:
/// `previous` lists what the last build wrote, `real_folders` the folders
/// already found to be real ones (and is added to; locked only to look up
/// and add, so that threads checking paths at once `stat` in parallel).
/// Gives the stamp of the file the last build wrote there, if one is there.
pub(crate) fn check(
    out: &OpenFolder,
    path: &str,
    previous: &Listed,
    real_folders: &Mutex<HashSet<String>>,
) -> Result<Option<Stamp>, Diagnostic> {
    let out_dir = out.path();
    // Only messages name the whole path.
    let shown = || out_dir.join(path);
    if let Some(problem) = name_problem(path) {
        return Err(Diagnostic::new(
            shown(),
            format!("cannot be written: {problem}"),
        ));
    }
    for (at, _) in path.match_indices('/') {
        let folder = &path[..at];
        if locked(real_folders).contains(folder) {
            continue;
        }
        let there = out_dir.join(folder);
        match out
            .stat(folder, false)
            .map_err(|e| Diagnostic::new(&there, e.to_string()))?
            .0
        {
            Found::Folder => {
                locked(real_folders).insert(folder.to_string());
            }
            // Made when staging; nothing below it can be there either.
            Found::Nothing => return Ok(None),
            other => {
                return Err(Diagnostic::new(
                    shown(),
                    format!(
                        "cannot be written: {} is {}{}",
                        there.display(),
                        other.described(),
                        if other == Found::Link {
                            ", and make-feed never writes through one"
                        } else {
                            ""
                        }
                    ),
                )
                .help(format!(
                    "move {} away; make-feed needs a folder there",
                    there.display()
                )))
            }
        }
    }
    match out
        .stat(path, false)
        .map_err(|e| Diagnostic::new(shown(), e.to_string()))?
    {
        (Found::Nothing, _) => Ok(None),
        (Found::File, stamp) if previous.contains(path) => Ok(stamp),
        (Found::File, _) => Err(Diagnostic::new(
            shown(),
            "is a file make-feed did not write (the last build's .make-feed-manifest does not list it); it is never replaced",
        )
        .help("move it away, or rename what it clashes with")),
        (other, _) => Err(Diagnostic::new(
            shown(),
            format!("is {}, where make-feed writes a file", other.described()),
        )
        .help("move it away")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_file_systems_refuse_are_found() {
        assert_eq!(name_problem("articles/a.html"), None);
        assert!(name_problem(&format!("articles/{}.html", "a".repeat(260))).is_some());
        assert!(name_problem("a/\u{1}b").is_some());
        assert!(name_problem("a//b").is_some());
    }
}
