//! The build: the stages run in order, input → model → plan → render →
//! check → publish, by a loop that owns every step.
//!
//! 1. [`articles`]: every article is read (in parallel batches) and its
//!    front matter checked, or taken from the last build's
//!    [index](crate::output::Index) when its `stat` is unchanged. The
//!    [`Catalog`](crate::plan::Catalog) keeps a few fields of each.
//! 2. [`pages`]: each article's page is kept if the
//!    [cache](crate::output::Cache) says it is current, or else rendered and
//!    staged.
//! 3. [`plan`](crate::plan::plan) decides the feed documents.
//! 4. [`feeds`]: the articles those documents hold are read back in full,
//!    rendered in every format, checked and staged; then the index page and
//!    the stylesheet; [`lists`]: the list pages, kept or rendered.
//! 5. [`files`]: the data files articles refer to are staged as copies, and
//!    missing ones reported.
//! 6. The stager publishes everything at once, and then the build index
//!    this build recorded as it went.

mod articles;
mod feeds;
mod files;
mod lists;
mod pages;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use indicatif::ProgressBar;

use crate::error::{Diagnostic, Result};
use crate::input::{self, Assets, PostUrls};
use crate::model::{Entry, Site};
use crate::output::{Cache, Header, Index, NextIndex, OpenFolder, Published, Stager};
use crate::render::{Pages, Templates};

/// What a build needs besides the folders.
pub struct Options<'a> {
    /// Shows progress; `ProgressBar::hidden()` shows nothing.
    pub progress: ProgressBar,
    /// Told when the build has to wait for another one.
    pub on_wait: &'a dyn Fn(&str),
    /// The present, for a generator's rule that holds back posts dated in
    /// the future or expired; `None` holds back none for its date. The
    /// library never reads the clock itself.
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            progress: ProgressBar::hidden(),
            on_wait: &|_| {},
            now: None,
        }
    }
}

/// What a build did.
#[derive(Debug)]
pub struct Report {
    /// How many articles the site has.
    pub entries: usize,
    /// Feed documents (a document is published in each format).
    pub documents: usize,
    /// Copied from the data folder because articles refer to them.
    pub assets: usize,
    pub published: Published,
    /// Sorted by file and line, each once.
    pub warnings: Vec<Diagnostic>,
    /// What the build read the site as, and which posts it held back and
    /// why, for the report.
    pub notes: Vec<String>,
}

/// Builds the site in `data_dir` into `out_dir`. Nothing is published
/// unless every output rendered and passed its check.
pub fn build(data_dir: &Path, out_dir: &Path, options: &Options<'_>) -> Result<Report> {
    let (site, warnings) = input::read_site(data_dir)?;
    let templates = Templates::new(&site.templates);
    let stager = Stager::open(out_dir, options.on_wait)?;
    // The same folders however the command line names them (`data`,
    // `./data`, from another working folder).
    let places = [&site.articles_dir, &site.content_root].map(|dir| {
        std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.clone())
            .to_string_lossy()
            .into_owned()
    });
    let header = Header {
        key: Cache::index_key(&site.channel, &templates, &[&places[0], &places[1]]),
        now: options.now,
        now_matters: !site.channel.dialect.future,
    };
    let index = Index::load(out_dir, &header);
    let next = NextIndex::begin(out_dir, stager.temp_prefix(), &header, &index);
    let indexes = Indexes {
        last: &index,
        next: &next,
    };
    let staged = Build::new(
        &site,
        &templates,
        &stager,
        indexes,
        &options.progress,
        warnings,
    )
    .and_then(|build| build.run(options.now));
    match staged {
        Ok(mut report) => {
            report.published = stager.commit_with(next)?;
            options.progress.finish_and_clear();
            Ok(report)
        }
        Err(error) => {
            // The index's temporary file goes before the stager's, which
            // end the build's work in the folder.
            drop(next);
            stager.abandon();
            Err(error)
        }
    }
}

/// The build index the last build left, and the one this build writes.
#[derive(Clone, Copy)]
struct Indexes<'b> {
    last: &'b Index,
    next: &'b NextIndex<'b>,
}

/// One build, its outputs staged as it goes.
struct Build<'b> {
    site: &'b Site,
    pages: Pages<'b>,
    cache: Cache<'b>,
    stager: &'b Stager,
    index: Indexes<'b>,
    /// The articles' folder, open, where the build index is used: each
    /// article's stamp is taken from there.
    articles_dir: OpenFolder,
    /// The files articles (and `feed.toml`) refer to.
    assets: Assets,
    progress: &'b ProgressBar,
    /// Collected from every stage and thread.
    warnings: Mutex<Vec<Diagnostic>>,
    /// Every post's URL, for links between posts; set once every article
    /// has been read.
    posts: OnceLock<PostUrls>,
}

impl<'b> Build<'b> {
    fn new(
        site: &'b Site,
        templates: &'b Templates,
        stager: &'b Stager,
        index: Indexes<'b>,
        progress: &'b ProgressBar,
        warnings: Vec<Diagnostic>,
    ) -> Result<Build<'b>> {
        Ok(Build {
            site,
            pages: Pages::new(templates, &site.channel)?,
            cache: Cache::new(stager, index.last, &site.channel, templates),
            stager,
            index,
            articles_dir: OpenFolder::open(&site.articles_dir),
            assets: Assets::new(&site.data_dir),
            progress,
            warnings: Mutex::new(warnings),
            posts: OnceLock::new(),
        })
    }

    /// Stages every output; the report's `published` is left empty.
    fn run(self, now: Option<chrono::DateTime<chrono::FixedOffset>>) -> Result<Report> {
        let pages = self.site.channel.dialect.pages;
        if pages {
            self.note_channel_files();
        }
        let (catalog, mut notes, posts) = self.read_articles(now)?;
        self.posts.get_or_init(|| posts);
        if pages {
            self.write_pages(&catalog)?;
        }
        let plan = crate::plan::plan(&catalog, &self.site.channel)
            .map_err(|error| input::with_line(self.site, error))?;
        self.write_feeds(&catalog, &plan)?;
        let assets = if pages {
            self.write_lists(&catalog, &plan)?;
            self.copy_files()?
        } else {
            0
        };
        if let Some(config) = &self.site.generator_config {
            notes.insert(
                0,
                format!(
                    "read as a {} site, configured by {}",
                    self.site.channel.dialect.generator,
                    config.display()
                ),
            );
        }
        let mut warnings = self
            .warnings
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        warnings.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
        warnings.dedup();
        let report = Report {
            entries: catalog.total,
            documents: plan.len(),
            assets,
            published: Published::default(),
            warnings,
            notes,
        };
        // Freeing a large site's catalog (some strings an article) takes a
        // while that publishing need not wait for.
        std::thread::spawn(move || drop(catalog));
        Ok(report)
    }

    /// Reads the article at `path` back in full, with its links to other
    /// posts resolved.
    fn read_back(&self, path: PathBuf, fingerprint: u64) -> Result<(Entry, Vec<Diagnostic>)> {
        let posts = self.posts.get_or_init(PostUrls::default);
        input::read_back(self.site, posts, path, fingerprint)
    }

    /// The path of the article at `path` as the build index names it:
    /// below the articles folder, `/`-separated.
    fn index_name<'p>(&self, path: &'p Path) -> Cow<'p, str> {
        // Every article's path is the folder's path joined with more: a
        // byte prefix, which is quicker to take than a path's components,
        // and a part of the path, not a copy.
        let dir = self.site.articles_dir.as_os_str().as_encoded_bytes();
        if let (Some(relative), '/') = (
            path.as_os_str().as_encoded_bytes().strip_prefix(dir),
            std::path::MAIN_SEPARATOR,
        ) {
            if let Ok(relative) = std::str::from_utf8(relative) {
                return Cow::Borrowed(relative.trim_start_matches('/'));
            }
        }
        let relative = path.strip_prefix(&self.site.articles_dir).unwrap_or(path);
        let parts: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        Cow::Owned(parts.join("/"))
    }

    fn warn(&self, more: impl IntoIterator<Item = Diagnostic>) {
        self.warnings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(more);
    }
}
