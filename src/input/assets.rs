//! Files that articles link to: which of the site paths their bodies name
//! are files in the data folder that may be published.
//!
//! The output folder mirrors the data folder: an image that
//! `articles/2022/report.md` shows as `images/a.jpg` is read from
//! `feed-data/articles/2022/images/a.jpg` and published at
//! `public/articles/2022/images/a.jpg`, which is where the page's (and the
//! feeds') absolute URL points. Never the site's sources: `feed.toml`,
//! `templates/`, articles' Markdown, hidden files, or anything a symbolic
//! link leads to outside the data folder.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::site::TEMPLATES_DIR;
use crate::model::{is_safe_path, uri_component};

/// A file in the data folder that some article refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    /// The file to copy, with symbolic links resolved.
    pub(crate) source: PathBuf,
    /// The first article (by path) that refers to it.
    pub(crate) referrer: PathBuf,
}

/// A site path no file in the data folder backs: fine if the build writes
/// it, missing if not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unresolved {
    /// The first article (by path) that refers to it, and the line there.
    pub(crate) referrer: PathBuf,
    pub(crate) line: Option<usize>,
    /// How many articles refer to it.
    pub(crate) count: usize,
}

/// What a site path turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Asset(PathBuf),
    Unresolved,
}

/// Collects, across all articles (from many threads), the files they refer
/// to, looking each path up once.
pub(crate) struct Assets {
    data_dir: PathBuf,
    /// The data folder with symbolic links resolved, to keep links inside it.
    root: PathBuf,
    looked_up: Mutex<HashMap<String, Target>>,
    found: Mutex<BTreeMap<String, Asset>>,
    unresolved: Mutex<BTreeMap<String, Unresolved>>,
}

impl Assets {
    pub(crate) fn new(data_dir: &Path) -> Assets {
        Assets {
            data_dir: data_dir.to_path_buf(),
            root: fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf()),
            looked_up: Mutex::default(),
            found: Mutex::default(),
            unresolved: Mutex::default(),
        }
    }

    /// Notes that the file at `origin` refers to each of `paths` (site
    /// paths). `text` gives the file's text, asked for only to name the line
    /// of a path that is missing.
    pub(crate) fn note(&self, origin: &Path, text: &dyn Fn() -> String, paths: &[String]) {
        for path in paths {
            if self.note_known(origin, text, path) {
                continue;
            }
            // Seen for the first time (unless another thread adds it
            // meanwhile, whose entry then stays): looked up, added, noted.
            match self.target(path) {
                Target::Asset(source) => {
                    let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
                    found.entry(path.clone()).or_insert_with(|| Asset {
                        source,
                        referrer: origin.to_path_buf(),
                    });
                }
                Target::Unresolved => {
                    let mut unresolved = self
                        .unresolved
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    unresolved
                        .entry(path.clone())
                        .or_insert_with(|| Unresolved {
                            referrer: origin.to_path_buf(),
                            line: line_naming(&text(), path),
                            count: 0,
                        });
                }
            }
            self.note_known(origin, text, path);
        }
    }

    /// Notes that `origin` refers to `path`, if `path` is known (most are:
    /// every page links to the site's images); false if it is not.
    fn note_known(&self, origin: &Path, text: &dyn Fn() -> String, path: &str) -> bool {
        let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(asset) = found.get_mut(path) {
            if origin < asset.referrer.as_path() {
                asset.referrer = origin.to_path_buf();
            }
            return true;
        }
        drop(found);
        let mut unresolved = self
            .unresolved
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(entry) = unresolved.get_mut(path) else {
            return false;
        };
        if origin < entry.referrer.as_path() {
            entry.referrer = origin.to_path_buf();
            entry.line = line_naming(&text(), path);
        }
        entry.count += 1;
        true
    }

    fn target(&self, path: &str) -> Target {
        let mut looked_up = self
            .looked_up
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(target) = looked_up.get(path) {
            return target.clone();
        }
        let target = self.look_up(path);
        looked_up.insert(path.to_string(), target.clone());
        target
    }

    /// Paths come from rendered bodies and from pages' trailers (which a
    /// person could edit): each is checked here, whatever its origin.
    fn look_up(&self, path: &str) -> Target {
        if !is_safe_path(path) || is_source(path) {
            return Target::Unresolved;
        }
        // The file a symbolic link leads to must itself be publishable:
        // `img/a.png -> ../../feed.toml` is feed.toml.
        let Ok(real) = fs::canonicalize(self.data_dir.join(path)) else {
            return Target::Unresolved;
        };
        let Ok(inside) = real.strip_prefix(&self.root) else {
            return Target::Unresolved;
        };
        let inside: Vec<String> = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if !real.is_file() || is_source(&inside.join("/")) {
            return Target::Unresolved;
        }
        Target::Asset(real)
    }

    /// Every file found so far, by site path, and every path nothing backs;
    /// what is noted after starts afresh.
    pub(crate) fn take(&self) -> (BTreeMap<String, Asset>, BTreeMap<String, Unresolved>) {
        let found = std::mem::take(&mut *self.found.lock().unwrap_or_else(PoisonError::into_inner));
        let unresolved = std::mem::take(
            &mut *self
                .unresolved
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        (found, unresolved)
    }
}

/// True for files that make up the site's sources, which are never
/// published: `feed.toml`, templates, articles' Markdown, hidden files.
fn is_source(path: &str) -> bool {
    path == "feed.toml"
        || path.starts_with(&format!("{TEMPLATES_DIR}/"))
        || (path.starts_with("articles/") && path.ends_with(".md"))
        || path.split('/').any(|segment| segment.starts_with('.'))
}

/// The first line of an article's `text` that names the last part of
/// `path` (as written, or percent-encoded), for a missing file's message.
fn line_naming(text: &str, path: &str) -> Option<usize> {
    let name = path.rsplit('/').next()?;
    let encoded = uri_component(name);
    text.lines()
        .position(|line| line.contains(name) || line.contains(&encoded))
        .map(|index| index + 1)
}
