//! Reading `feed-data/`: the only module that reads input files. It never
//! formats output.
//!
//! A build reads in two passes so that memory does not grow with the archive:
//! [`scan_articles`] checks every article's front matter (in parallel) and keeps only
//! what ordering and planning need, an [`Article`]; [`load_entry`] later
//! reads back, in full, just the articles that are written.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::article::{self, Location};
use crate::config;
use crate::error::{line_of, Diagnostic, Error, Result};
use crate::model::{Channel, Entry, SiteTemplate};
use crate::slug::uri_component;
use crate::text::{removal_warning, strip_xml_unsafe};

/// Every article of a site, newest first, as much as planning needs.
#[derive(Debug)]
pub struct Catalog {
    pub channel: Channel,
    articles_dir: PathBuf,
    /// How many articles the site has.
    pub total: usize,
    /// Newest first; ties broken by id. Without archives, only the articles
    /// some feed holds.
    pub articles: Vec<Article>,
    /// Category names; [`Article::categories`] holds indices into it.
    pub categories: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// What a build keeps of each article until it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub path: PathBuf,
    /// Changes whenever the file's text or place does ([`Source::fingerprint`]).
    pub fingerprint: u64,
    pub id: Box<str>,
    pub slug: Box<str>,
    pub published: DateTime<FixedOffset>,
    /// `updated`, or else `published`.
    pub updated: DateTime<FixedOffset>,
    pub categories: Box<[u32]>,
}

/// One file's front matter, its fingerprint and the warnings met reading it.
type Scanned = Result<(article::Head, u64, Vec<Diagnostic>)>;

/// How many files are read in parallel before their results are merged, which
/// bounds what is held at once.
const CHUNK: usize = 2048;

/// Reads `data_dir/feed.toml`.
pub fn channel(data_dir: &Path) -> Result<(Channel, Vec<Diagnostic>)> {
    let mut warnings = Vec::new();
    let feed_toml = data_dir.join("feed.toml");
    if !feed_toml.is_file() {
        return Err(Diagnostic::new(&feed_toml, "not found")
            .help(format!(
                "make-feed reads a folder holding feed.toml and articles/; is {} that folder? (--data chooses another)",
                data_dir.display()
            ))
            .into());
    }
    let text = read_text(&feed_toml, &mut warnings)?;
    let channel = config::parse_channel(&text, &feed_toml, &mut warnings)?;
    Ok((channel, warnings))
}

/// The folder below the data folder whose files replace the built-in templates.
pub const TEMPLATES_DIR: &str = "templates";

/// The site's own templates: the `.html` files and `style.css` in
/// `data_dir/templates/`, sorted by name.
pub fn templates(data_dir: &Path) -> Result<(Vec<SiteTemplate>, Vec<Diagnostic>)> {
    let mut templates = Vec::new();
    let mut warnings = Vec::new();
    let dir = data_dir.join(TEMPLATES_DIR);
    if !dir.is_dir() {
        return Ok((templates, warnings));
    }
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io(&dir, e))?;
    files.sort_by_key(|file| file.file_name());
    for file in files {
        let path = file.path();
        let name = file.file_name().to_string_lossy().into_owned();
        let wanted = (name.ends_with(".html") || name == "style.css")
            && !name.starts_with('.')
            && path.is_file();
        if !wanted {
            warnings.push(
                Diagnostic::new(&path, "is not a template make-feed uses; ignored").help(
                    "templates/ holds base.html, page.html, index.html, style.css and .html files they include",
                ),
            );
            continue;
        }
        let inside = fs::canonicalize(&path)
            .ok()
            .zip(fs::canonicalize(data_dir).ok())
            .is_some_and(|(real, root)| real.starts_with(root));
        if !inside {
            return Err(Diagnostic::new(
                &path,
                "is a symbolic link to a file outside the data folder",
            )
            .help("copy the template into templates/ instead of linking to it")
            .into());
        }
        let text = read_text(&path, &mut warnings)?;
        templates.push(SiteTemplate { name, text, path });
    }
    Ok((templates, warnings))
}

/// One article file as read: its text, where it is, and a fingerprint of
/// both that changes whenever either does.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub text: &'a str,
    pub at: Location<'a>,
    pub fingerprint: u64,
}

/// Checks an article and returns what planning needs. The build's version
/// also renders the article's page while the text is at hand.
pub type ReadArticle<'a> =
    dyn Fn(Source<'_>, &Channel, &mut Vec<Diagnostic>) -> Result<article::Head> + Sync + 'a;

/// Reads every `data_dir/articles/**/*.md` with `read_article`.
///
/// Files are read in whatever order the file system lists them, in parallel;
/// nothing that comes out depends on that order (entries are sorted by date
/// and id, and of several bad files the first by path is reported). Unless
/// archives are on, only articles that some feed will hold are kept: the
/// newest `limit` overall and in each category.
pub fn scan_articles(
    data_dir: &Path,
    channel: Channel,
    mut warnings: Vec<Diagnostic>,
    progress: &ProgressBar,
    read_article: &ReadArticle<'_>,
) -> Result<Catalog> {
    let articles_dir = data_dir.join("articles");
    if !articles_dir.is_dir() {
        return Err(Diagnostic::new(&articles_dir, "not found")
            .help("put one Markdown file per article in it, e.g. articles/my-first-post.md")
            .into());
    }
    if !progress.is_hidden() {
        progress.set_length(article_files(&articles_dir).count() as u64);
    }
    progress.set_message("reading articles");

    let mut selection = Selection {
        limit: channel.limit,
        keep_all: channel.archive_page_size.is_some(),
        articles: Vec::new(),
    };
    let mut categories = Interner::default();
    let mut slugs = Seen::default();
    let mut ids = Seen::default();
    let mut first_error: Option<(PathBuf, Error)> = None;
    let mut total = 0;
    let mut files = article_files(&articles_dir);
    loop {
        let chunk: Vec<Result<PathBuf>> = files.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let scanned: Vec<(PathBuf, Scanned)> = chunk
            .into_par_iter()
            .map(|path| {
                let path = match path {
                    Ok(path) => path,
                    Err(error) => return (articles_dir.clone(), Err(error)),
                };
                let mut warnings = Vec::new();
                let result = (|| -> Result<(article::Head, u64)> {
                    let text = read_text(&path, &mut warnings)?;
                    let at = location(&articles_dir, &path);
                    let fingerprint = fingerprint(&[&at.folder, &at.stem, &text]);
                    let source = Source {
                        text: &text,
                        at: at.get(),
                        fingerprint,
                    };
                    Ok((read_article(source, &channel, &mut warnings)?, fingerprint))
                })()
                .map(|(head, fingerprint)| (head, fingerprint, warnings));
                (path, result)
            })
            .collect();
        progress.inc(scanned.len() as u64);
        for (path, result) in scanned {
            let (head, fingerprint, more_warnings) = match result {
                Ok(ok) => ok,
                Err(error) => {
                    if first_error.as_ref().is_none_or(|(first, _)| path < *first) {
                        first_error = Some((path, error));
                    }
                    continue;
                }
            };
            total += 1;
            warnings.extend(more_warnings);
            slugs.insert(&head.slug);
            ids.insert(&head.id);
            selection.articles.push(Article {
                path,
                fingerprint,
                id: head.id.into(),
                slug: head.slug.into(),
                updated: head.updated.unwrap_or(head.published),
                published: head.published,
                categories: head
                    .categories
                    .iter()
                    .map(|name| categories.intern(name))
                    .collect(),
            });
        }
        selection.prune(categories.names.len());
    }
    drop(files);

    if let Some((_, error)) = first_error {
        return Err(error);
    }
    if total == 0 {
        return Err(Diagnostic::new(&articles_dir, "holds no articles (*.md files)")
            .help("add one, e.g. articles/my-first-post.md with title and published in its front matter")
            .into());
    }
    for (seen, field) in [(&slugs, "slug"), (&ids, "id")] {
        if seen.repeated {
            find_duplicate(&articles_dir, &channel, field)?;
        }
    }
    selection.keep_all = true;
    selection.prune(categories.names.len());
    Ok(Catalog {
        channel,
        articles_dir,
        total,
        articles: selection.articles,
        categories: categories.names,
        warnings,
    })
}

/// The articles a build may write, newest first.
struct Selection {
    limit: usize,
    keep_all: bool,
    articles: Vec<Article>,
}

impl Selection {
    /// Sorts, and unless every article is kept, drops those that are in
    /// neither the newest `limit` overall nor the newest `limit` of any of
    /// their categories: they can never come back into a feed.
    fn prune(&mut self, category_count: usize) {
        self.articles
            .sort_unstable_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
        if self.keep_all {
            return;
        }
        let limit = self.limit;
        let mut in_main = 0;
        let mut in_category = vec![0usize; category_count];
        self.articles.retain(|article| {
            let mut keep = in_main < limit;
            in_main += 1;
            for &category in article.categories.iter() {
                let count = &mut in_category[category as usize];
                keep |= *count < limit;
                *count += 1;
            }
            keep
        });
    }
}

/// Hashes of the slugs or ids seen so far: a few bytes per article, where
/// keeping the strings would grow with the archive.
#[derive(Default)]
struct Seen {
    hashes: HashSet<u64>,
    repeated: bool,
}

impl Seen {
    fn insert(&mut self, value: &str) {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        value.hash(&mut hasher);
        self.repeated |= !self.hashes.insert(hasher.finish());
    }
}

/// Finds the two articles (first by path) that share a slug or id, once a
/// repeated hash says there may be some. Rare, so a second pass is fine.
fn find_duplicate(articles_dir: &Path, channel: &Channel, field: &str) -> Result<()> {
    let mut paths: Vec<PathBuf> = article_files(articles_dir).collect::<Result<_>>()?;
    paths.sort();
    let values: Vec<String> = paths
        .par_iter()
        .map(|path| {
            let text = read_text(path, &mut Vec::new())?;
            let head = article::scan_article(
                &text,
                location(articles_dir, path).get(),
                channel,
                &mut Vec::new(),
            )?;
            Ok(if field == "slug" { head.slug } else { head.id })
        })
        .collect::<Result<_>>()?;
    let mut first: HashMap<&str, &Path> = HashMap::with_capacity(values.len());
    for (value, path) in values.iter().zip(&paths) {
        if let Some(earlier) = first.insert(value, path) {
            return Err(Diagnostic::new(
                path,
                format!("{value:?} is already used by {}", earlier.display()),
            )
            .field(field)
            .help(format!(
                "every article needs its own {field}; set `{field}` in one of them"
            ))
            .into());
        }
    }
    Ok(())
}

/// Reads an article back in full, body rendered.
pub fn load_entry(catalog: &Catalog, article: &Article) -> Result<(Entry, Vec<Diagnostic>)> {
    let mut warnings = Vec::new();
    let text = read_text(&article.path, &mut warnings)?;
    let at = location(&catalog.articles_dir, &article.path);
    // What is written must be what was planned (and fingerprinted).
    if fingerprint(&[&at.folder, &at.stem, &text]) != article.fingerprint {
        return Err(
            Diagnostic::new(&article.path, "changed while make-feed was building")
                .help("build again once the file is saved")
                .into(),
        );
    }
    let entry = article::parse_article(&text, at.get(), &catalog.channel, &mut warnings)?;
    Ok((entry, warnings))
}

/// The parts of an article's path that name it: its folder below
/// `articles/` and its stem.
struct OwnedLocation<'p> {
    path: &'p Path,
    folder: String,
    stem: String,
}

impl OwnedLocation<'_> {
    fn get(&self) -> Location<'_> {
        Location {
            path: self.path,
            folder: &self.folder,
            stem: &self.stem,
        }
    }
}

fn location<'p>(articles_dir: &Path, path: &'p Path) -> OwnedLocation<'p> {
    let relative = path.strip_prefix(articles_dir).unwrap_or(path);
    let folder: String = relative
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .map(|c| format!("{}/", uri_component(&c.as_os_str().to_string_lossy())))
        .collect();
    OwnedLocation {
        path,
        folder: format!("articles/{folder}"),
        stem: path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
    }
}

/// Every `*.md` below `dir`, in the order the file system lists them. A
/// symbolic link is followed only to a file inside `dir`.
fn article_files(dir: &Path) -> impl Iterator<Item = Result<PathBuf>> + '_ {
    let root = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    walkdir::WalkDir::new(dir)
        .into_iter()
        // Hidden files and folders (`.drafts/`, an editor's `.a.md.swp`)
        // are not articles, as for most site generators.
        .filter_entry(|item| {
            item.depth() == 0 || !item.file_name().to_string_lossy().starts_with('.')
        })
        .filter_map(move |item| {
            let item = match item {
                Ok(item) => item,
                Err(e) => {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    return Some(Err(Error::io(path, e.into())));
                }
            };
            if item.path().extension().is_none_or(|ext| ext != "md") {
                return None;
            }
            if item.path_is_symlink() {
                let target = fs::canonicalize(item.path()).ok();
                let inside = target
                    .as_ref()
                    .is_some_and(|t| t.starts_with(&root) && t.is_file());
                if !inside {
                    return Some(Err(Diagnostic::new(
                        item.path(),
                        "is a symbolic link to a file outside the articles folder",
                    )
                    .help("copy the file into the articles folder instead of linking to it")
                    .into()));
                }
                return Some(Ok(item.into_path()));
            }
            item.file_type().is_file().then(|| Ok(item.into_path()))
        })
}

/// A fingerprint of `parts` (each length-prefixed, so `("ab", "c")` and
/// `("a", "bc")` differ). xxh3 is specified, so it is the same on every
/// platform and in every version.
pub fn fingerprint(parts: &[&str]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.digest()
}

/// The largest input file make-feed reads: far beyond any real article, and
/// small enough that a build's time and memory stay bounded.
pub const MAX_FILE_BYTES: u64 = 32 << 20;

/// Reads a UTF-8 file, removing (with a warning) any character XML forbids.
fn read_text(path: &Path, warnings: &mut Vec<Diagnostic>) -> Result<String> {
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|file| {
            // Sized up front: one read for the whole file, not a dozen.
            let size = file.metadata().map_or(0, |m| m.len()).min(MAX_FILE_BYTES);
            bytes.reserve_exact(size as usize + 1);
            file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
        })
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(
            Diagnostic::new(path, format!("is larger than {} MB", MAX_FILE_BYTES >> 20))
                .help("split it into several articles, or move large data out of it")
                .into(),
        );
    }
    // simdutf8 first: most of a build's time is spent checking text.
    let text = if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        text.to_owned()
    } else {
        String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = line_of(std::str::from_utf8(valid).unwrap_or_default(), valid.len());
            Diagnostic::new(path, "is not UTF-8 text")
                .line(line)
                .help("save the file as UTF-8 (e.g. `iconv -f GBK -t UTF-8`)")
        })?
    };
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let (kept, removed) = strip_xml_unsafe(&text);
    for removed in &removed {
        warnings.push(removal_warning(path, removed.character, "").line(removed.line));
    }
    Ok(match kept {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(kept) => kept,
    })
}

#[derive(Default)]
struct Interner {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 categories");
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), id);
        id
    }
}
