//! Reading `feed-data/`: the only module that reads input files. It never
//! formats output.
//!
//! A build reads in two passes so that memory does not grow with the archive:
//! [`scan`] checks every article's front matter (in parallel) and keeps only
//! what ordering and planning need, an [`Article`]; [`load_entry`] later
//! reads back, in full, just the articles that are written.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::article::{self, Location};
use crate::config;
use crate::error::{line_of, Diagnostic, Error, Result};
use crate::model::{Channel, Entry};
use crate::text::strip_xml_unsafe;

/// Every article of a site, newest first, as much as planning needs.
#[derive(Debug)]
pub struct Catalog {
    pub channel: Channel,
    articles_dir: PathBuf,
    /// Newest first; ties broken by id.
    pub articles: Vec<Article>,
    /// Category names; [`Article::categories`] holds indices into it.
    pub categories: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// What a build keeps of each article until it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub path: PathBuf,
    pub id: Box<str>,
    pub slug: Box<str>,
    pub published: DateTime<FixedOffset>,
    /// `updated`, or else `published`.
    pub updated: DateTime<FixedOffset>,
    pub categories: Box<[u32]>,
}

/// How many files are read in parallel before their results are merged, which
/// bounds what is held at once.
const CHUNK: usize = 2048;

/// Reads `data_dir/feed.toml` and checks every `data_dir/articles/**/*.md`.
pub fn scan(data_dir: &Path, progress: &ProgressBar) -> Result<Catalog> {
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
    let channel = config::parse_channel(&text, &feed_toml)?;

    let articles_dir = data_dir.join("articles");
    if !articles_dir.is_dir() {
        return Err(Diagnostic::new(&articles_dir, "not found")
            .help("put one Markdown file per article in it, e.g. articles/my-first-post.md")
            .into());
    }
    let paths = article_paths(&articles_dir)?;
    if paths.is_empty() {
        return Err(Diagnostic::new(&articles_dir, "holds no articles (*.md files)")
            .help("add one, e.g. articles/my-first-post.md with title and published in its front matter")
            .into());
    }

    progress.set_length(paths.len() as u64);
    progress.set_message("reading articles");
    let mut articles = Vec::with_capacity(paths.len());
    let mut categories = Interner::default();
    for chunk in paths.chunks(CHUNK) {
        let scanned: Vec<Result<(article::Head, Vec<Diagnostic>)>> = chunk
            .par_iter()
            .map(|path| {
                let mut warnings = Vec::new();
                let text = read_text(path, &mut warnings)?;
                let head =
                    article::scan_article(&text, location(&articles_dir, path).get(), &channel)?;
                Ok((head, warnings))
            })
            .collect();
        for (path, result) in chunk.iter().zip(scanned) {
            let (head, more_warnings) = result?;
            warnings.extend(more_warnings);
            articles.push(Article {
                path: path.clone(),
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
        progress.inc(chunk.len() as u64);
    }

    check_unique(&articles, |a| &a.slug, "slug")?;
    check_unique(&articles, |a| &a.id, "id")?;
    articles.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
    Ok(Catalog {
        channel,
        articles_dir,
        articles,
        categories: categories.names,
        warnings,
    })
}

/// Reads an article back in full, body rendered.
pub fn load_entry(catalog: &Catalog, article: &Article) -> Result<(Entry, Vec<Diagnostic>)> {
    let mut warnings = Vec::new();
    let text = read_text(&article.path, &mut warnings)?;
    let entry = article::parse_article(
        &text,
        location(&catalog.articles_dir, &article.path).get(),
        &catalog.channel,
    )?;
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
        .map(|c| format!("{}/", c.as_os_str().to_string_lossy()))
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

/// Every `*.md` below `dir`, in a fixed order.
fn article_paths(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for item in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let item = item.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, e.into())
        })?;
        if item.file_type().is_file() && item.path().extension().is_some_and(|ext| ext == "md") {
            paths.push(item.into_path());
        }
    }
    Ok(paths)
}

/// Reads a UTF-8 file, removing (with a warning) any character XML forbids.
fn read_text(path: &Path, warnings: &mut Vec<Diagnostic>) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
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
        warnings.push(
            Diagnostic::new(
                path,
                format!(
                    "removed character U+{:04X}, which XML does not allow",
                    u32::from(removed.character)
                ),
            )
            .line(removed.line),
        );
    }
    Ok(match kept {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(kept) => kept,
    })
}

fn check_unique(articles: &[Article], key: impl Fn(&Article) -> &str, field: &str) -> Result<()> {
    let mut seen: HashMap<&str, &Article> = HashMap::with_capacity(articles.len());
    for article in articles {
        if let Some(first) = seen.insert(key(article), article) {
            return Err(Diagnostic::new(
                &article.path,
                format!(
                    "{:?} is already used by {}",
                    key(article),
                    first.path.display()
                ),
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
