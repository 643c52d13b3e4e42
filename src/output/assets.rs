//! Which referenced files a build publishes, once every page and feed is
//! staged: the build's own outputs win over a data file of the same path,
//! and a path that nothing backs is reported missing.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::input::{Asset, Unresolved};

/// How many missing files one article's warnings name one by one.
const MAX_MISSING_LISTED: usize = 10;

/// The files to copy (site path, source), sorted, and a warning for each one
/// left out because the build writes that path, or a folder of that name, or
/// a file where a folder of its path would be (`data_dir` is the data
/// folder, for messages).
pub(crate) fn to_copy(
    found: &BTreeMap<String, Asset>,
    produced: &HashSet<&str>,
    data_dir: &Path,
) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let folders: HashSet<&str> = produced
        .iter()
        .flat_map(|path| path.match_indices('/').map(|(at, _)| &path[..at]))
        .collect();
    let mut copies = Vec::new();
    let mut warnings = Vec::new();
    for (path, asset) in found {
        let clashes = produced.contains(path.as_str())
            || folders.contains(path.as_str())
            || path
                .match_indices('/')
                .any(|(at, _)| produced.contains(&path[..at]));
        if clashes {
            warnings.push(
                Diagnostic::new(
                    data_dir.join(path),
                    format!("is not published: make-feed writes its own {path} there"),
                )
                .help(format!(
                    "rename the file and its links (one is in {})",
                    asset.referrer.display()
                )),
            );
        } else {
            copies.push((path.clone(), asset.source.clone()));
        }
    }
    (copies, warnings)
}

/// A warning for each referenced path that is neither a file in the data
/// folder (`data_dir`) nor something the build writes.
pub(crate) fn missing(
    unresolved: &BTreeMap<String, Unresolved>,
    produced: &HashSet<&str>,
    data_dir: &Path,
) -> Vec<Diagnostic> {
    let mut by_article: BTreeMap<&Path, Vec<(&str, &Unresolved)>> = BTreeMap::new();
    for (path, reference) in unresolved {
        if !produced.contains(path.as_str()) {
            by_article
                .entry(&reference.referrer)
                .or_default()
                .push((path, reference));
        }
    }
    let mut warnings = Vec::new();
    for (article, paths) in by_article {
        // Named one by one up to a point: an article with thousands of
        // broken links gets a summary, not thousands of lines.
        for &(path, reference) in paths.iter().take(MAX_MISSING_LISTED) {
            let others = match reference.count {
                1 => String::new(),
                2 => " (and 1 other article)".to_string(),
                n => format!(" (and {} other articles)", n - 1),
            };
            warnings.push(
                Diagnostic::new(
                    article,
                    format!(
                        "refers to {path}{others}, which is not in {}",
                        data_dir.display()
                    ),
                )
                .maybe_line(reference.line)
                .help(format!(
                    "put the file at {} to publish it; the link is kept as it is",
                    data_dir.join(path).display()
                )),
            );
        }
        if let Some(&(first_unlisted, _)) = paths.get(MAX_MISSING_LISTED) {
            warnings.push(Diagnostic::new(
                article,
                format!(
                    "refers to {} more files that are not in {}, from {first_unlisted} on",
                    paths.len() - MAX_MISSING_LISTED,
                    data_dir.display()
                ),
            ));
        }
    }
    warnings
}
