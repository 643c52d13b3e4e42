//! Files that articles link to: finding the site's own URLs in a rendered
//! body, mapping them to files, and deciding which are assets to copy from
//! `feed-data/`, which are pages and feeds the build writes, and which are
//! missing.
//!
//! The output folder mirrors the data folder: an image that
//! `articles/2022/report.md` shows as `images/a.jpg` is read from
//! `feed-data/articles/2022/images/a.jpg` and published at
//! `public/articles/2022/images/a.jpg`, which is where the page's (and the
//! feeds') absolute URL points. Only files some article refers to are
//! copied, and never the site's sources: `feed.toml`, `templates/`, articles'
//! Markdown, or hidden files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use url::Url;

use crate::error::Diagnostic;
use crate::read::TEMPLATES_DIR;

/// The path below the output folder that `url` names, if it is on the site:
/// percent-decoded, without query or fragment; a folder means its
/// `index.html`. `None` for other sites and for paths no file can have.
pub fn site_path(url: &str, base: &Url) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(on_site(url, base)?)
        .decode_utf8()
        .ok()?;
    let mut path = decoded.into_owned();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    is_safe_path(&path).then_some(path)
}

/// The part of `url` below `base`, without query or fragment, as written.
fn on_site<'u>(url: &'u str, base: &Url) -> Option<&'u str> {
    let rest = url.strip_prefix(base.as_str())?;
    Some(&rest[..rest.find(['?', '#']).unwrap_or(rest.len())])
}

/// The site's own URLs in `html` (`href` and `src` attributes), as paths
/// below the output folder, each once, in order of appearance. A path no
/// file can have (`a//b`) is kept as it is, so that it is reported missing.
pub fn references(html: &str, base: &Url) -> Vec<String> {
    let mut found = Vec::new();
    // A set beside the list: an article may hold many thousands of links.
    let mut seen = HashSet::new();
    for attribute in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let Some(end) = rest.find('"') else { break };
            let value = unescape(&rest[..end]);
            let path =
                site_path(&value, base).or_else(|| on_site(&value, base).map(str::to_string));
            if let Some(path) = path {
                if seen.insert(path.clone()) {
                    found.push(path);
                }
            }
            rest = &rest[end..];
        }
    }
    found
}

/// Undoes the escaping an attribute value gets: the named references the
/// renderers write and numeric ones (`&#x27;`, `&#39;`).
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&end| end <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
                .and_then(|number| number.ok())
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// True for a path below the output folder that a file can have and the
/// manifest can list: no empty, `.` or `..` segment, no backslash, no
/// control character (a line break would split a manifest line).
fn is_safe_path(path: &str) -> bool {
    path.split('/').all(|segment| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && !segment.contains(|c: char| c == '\\' || c.is_control())
    })
}

/// True for files that make up the site's sources, which are never
/// published: `feed.toml`, templates, articles' Markdown, hidden files.
fn is_source(path: &str) -> bool {
    path == "feed.toml"
        || path.starts_with(&format!("{TEMPLATES_DIR}/"))
        || (path.starts_with("articles/") && path.ends_with(".md"))
        || path.split('/').any(|segment| segment.starts_with('.'))
}

/// What a site path turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A file in the data folder to publish.
    Asset(PathBuf),
    /// Not in the data folder: fine if the build writes it, missing if not.
    Unresolved,
}

/// Collects, across all articles (from many threads), the assets to copy
/// and the references nothing backs.
pub struct Assets {
    data_dir: PathBuf,
    /// The data folder with symbolic links resolved, to keep links inside it.
    root: PathBuf,
    looked_up: Mutex<HashMap<String, Target>>,
    /// Site path → the file to copy, and the first article (by path) that
    /// refers to it.
    found: Mutex<BTreeMap<String, (PathBuf, PathBuf)>>,
    /// Site path → the first article (by path) that refers to it, and how many do.
    unresolved: Mutex<BTreeMap<String, (PathBuf, usize)>>,
}

impl Assets {
    pub fn new(data_dir: &Path) -> Assets {
        Assets {
            data_dir: data_dir.to_path_buf(),
            root: fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf()),
            looked_up: Mutex::default(),
            found: Mutex::default(),
            unresolved: Mutex::default(),
        }
    }

    /// Notes that the article at `origin` refers to each of `paths`.
    pub fn note(&self, origin: &Path, paths: &[String]) {
        for path in paths {
            let target = {
                let mut looked_up = lock(&self.looked_up);
                match looked_up.get(path) {
                    Some(target) => target.clone(),
                    None => {
                        let target = self.look_up(path);
                        looked_up.insert(path.clone(), target.clone());
                        target
                    }
                }
            };
            match target {
                Target::Asset(source) => {
                    let mut found = lock(&self.found);
                    let (_, first) = found
                        .entry(path.clone())
                        .or_insert_with(|| (source, origin.to_path_buf()));
                    if origin < first.as_path() {
                        *first = origin.to_path_buf();
                    }
                }
                Target::Unresolved => {
                    let mut unresolved = lock(&self.unresolved);
                    let (first, count) = unresolved
                        .entry(path.clone())
                        .or_insert_with(|| (origin.to_path_buf(), 0));
                    if origin < first.as_path() {
                        *first = origin.to_path_buf();
                    }
                    *count += 1;
                }
            }
        }
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

    /// Where the file for site path `path` is in the data folder, as the
    /// user knows it (for messages).
    pub fn data_path(&self, path: &str) -> PathBuf {
        self.data_dir.join(path)
    }

    /// The files to copy (site path, source), sorted, and a warning for each
    /// one left out because the build writes that path, or a folder of that
    /// name or a file where a folder of its path would be (the build's own
    /// files win).
    pub fn to_copy(&self, produced: &HashSet<&str>) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
        let folders: HashSet<&str> = produced
            .iter()
            .flat_map(|path| path.match_indices('/').map(|(at, _)| &path[..at]))
            .collect();
        let mut copies = Vec::new();
        let mut warnings = Vec::new();
        for (path, (source, referrer)) in lock(&self.found).iter() {
            let clashes = produced.contains(path.as_str())
                || folders.contains(path.as_str())
                || path
                    .match_indices('/')
                    .any(|(at, _)| produced.contains(&path[..at]));
            if clashes {
                warnings.push(
                    Diagnostic::new(
                        self.data_path(path),
                        format!("is not published: make-feed writes its own {path} there"),
                    )
                    .help(format!(
                        "rename the file and its links (one is in {})",
                        referrer.display()
                    )),
                );
            } else {
                copies.push((path.clone(), source.clone()));
            }
        }
        (copies, warnings)
    }

    /// A warning for each referenced path that is neither a file in the data
    /// folder nor something the build writes.
    pub fn missing(&self, produced: &HashSet<&str>) -> Vec<Diagnostic> {
        let unresolved = lock(&self.unresolved);
        let mut by_article: BTreeMap<&Path, Vec<(&str, usize)>> = BTreeMap::new();
        for (path, (first, count)) in unresolved.iter() {
            if !produced.contains(path.as_str()) {
                by_article.entry(first).or_default().push((path, *count));
            }
        }
        let mut warnings = Vec::new();
        for (article, paths) in by_article {
            // Named one by one up to a point: an article with thousands of
            // broken links gets a summary, not thousands of lines.
            let text = fs::read_to_string(article).unwrap_or_default();
            for &(path, count) in paths.iter().take(MAX_MISSING_LISTED) {
                let others = match count {
                    1 => String::new(),
                    2 => " (and 1 other article)".to_string(),
                    n => format!(" (and {} other articles)", n - 1),
                };
                warnings.push(
                    Diagnostic::new(
                        article,
                        format!(
                            "refers to {path}{others}, which is not in {}",
                            self.data_dir.display()
                        ),
                    )
                    .maybe_line(line_naming(&text, path))
                    .help(format!(
                        "put the file at {} to publish it; the link is kept as it is",
                        self.data_path(path).display()
                    )),
                );
            }
            if let Some(&(first_unlisted, _)) = paths.get(MAX_MISSING_LISTED) {
                warnings.push(Diagnostic::new(
                    article,
                    format!(
                        "refers to {} more files that are not in {}, from {first_unlisted} on",
                        paths.len() - MAX_MISSING_LISTED,
                        self.data_dir.display()
                    ),
                ));
            }
        }
        warnings
    }
}

/// How many missing files one article's warnings name one by one.
const MAX_MISSING_LISTED: usize = 10;

/// The first line of an article's `text` that names the last part of
/// `path` (as written, or percent-encoded), for a missing file's message.
fn line_naming(text: &str, path: &str) -> Option<usize> {
    let name = path.rsplit('/').next()?;
    let encoded = crate::slug::uri_component(name);
    text.lines()
        .position(|line| line.contains(name) || line.contains(&encoded))
        .map(|index| index + 1)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.org/site/").unwrap()
    }

    #[test]
    fn site_paths_are_decoded_and_stop_at_query_and_fragment() {
        let base = base();
        let path = |url: &str| site_path(url, &base);
        assert_eq!(
            path("https://example.org/site/a/b.jpg?x=1#y").as_deref(),
            Some("a/b.jpg")
        );
        assert_eq!(
            path("https://example.org/site/%E6%89%BF.png").as_deref(),
            Some("承.png")
        );
        assert_eq!(
            path("https://example.org/site/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            path("https://example.org/site/d/").as_deref(),
            Some("d/index.html")
        );
        assert_eq!(path("https://example.org/other/a.jpg"), None);
        assert_eq!(path("https://example.org/site/a/%2e%2e/b"), None);
        assert_eq!(path("https://example.org/site/a%2F..%2F..%2Fb"), None);
    }

    #[test]
    fn references_come_from_href_and_src_once_each() {
        let html = r#"<p><a href="https://example.org/site/a.html?x=1&amp;y=2">a</a>
<img src="https://example.org/site/i.jpg" alt=""><a href="https://elsewhere.org/">b</a>
<a href="https://example.org/site/a.html">again</a></p>"#;
        assert_eq!(references(html, &base()), ["a.html", "i.jpg"]);
    }
}
