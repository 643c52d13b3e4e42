//! The build: the stages run in order, input → model → plan → render →
//! check → publish, by a loop that owns every step.
//!
//! 1. [`articles`]: every article is read (in parallel batches) and its
//!    front matter checked; its page is kept if the [cache](crate::output::Cache)
//!    says it is current, or else rendered and staged. The
//!    [`Catalog`](crate::plan::Catalog) keeps a few fields of each.
//! 2. [`plan`](crate::plan::plan) decides the feed documents.
//! 3. [`feeds`]: the articles those documents hold are read back in full,
//!    rendered in every format, checked and staged; then the index and the
//!    stylesheet.
//! 4. [`files`]: the data files articles refer to are staged as copies, and
//!    missing ones reported.
//! 5. The stager publishes everything at once.

mod articles;
mod feeds;
mod files;
mod lists;
mod pages;

use std::path::Path;
use std::sync::Mutex;

use indicatif::ProgressBar;

use crate::error::{Diagnostic, Result};
use crate::input::{self, Assets};
use crate::model::Site;
use crate::output::{Cache, Published, Stager};
use crate::render::{Pages, Templates};

/// What a build needs besides the folders.
pub struct Options<'a> {
    /// Shows progress; `ProgressBar::hidden()` shows nothing.
    pub progress: ProgressBar,
    /// Told when the build has to wait for another one.
    pub on_wait: &'a dyn Fn(&str),
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            progress: ProgressBar::hidden(),
            on_wait: &|_| {},
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
}

/// Builds the site in `data_dir` into `out_dir`. Nothing is published
/// unless every output rendered and passed its check.
pub fn build(data_dir: &Path, out_dir: &Path, options: &Options<'_>) -> Result<Report> {
    let (site, warnings) = input::read_site(data_dir)?;
    let templates = Templates::new(&site.templates);
    let stager = Stager::open(out_dir, options.on_wait)?;
    let staged =
        Build::new(&site, &templates, &stager, &options.progress, warnings).and_then(Build::run);
    match staged {
        Ok(mut report) => {
            report.published = stager.commit()?;
            options.progress.finish_and_clear();
            Ok(report)
        }
        Err(error) => {
            stager.abandon();
            Err(error)
        }
    }
}

/// One build, its outputs staged as it goes.
struct Build<'b> {
    site: &'b Site,
    pages: Pages<'b>,
    cache: Cache<'b>,
    stager: &'b Stager,
    /// The files articles (and `feed.toml`) refer to.
    assets: Assets,
    progress: &'b ProgressBar,
    /// Collected from every stage and thread.
    warnings: Mutex<Vec<Diagnostic>>,
}

impl<'b> Build<'b> {
    fn new(
        site: &'b Site,
        templates: &'b Templates,
        stager: &'b Stager,
        progress: &'b ProgressBar,
        warnings: Vec<Diagnostic>,
    ) -> Result<Build<'b>> {
        Ok(Build {
            site,
            pages: Pages::new(templates, &site.channel)?,
            cache: Cache::new(stager, &site.channel, templates),
            stager,
            assets: Assets::new(&site.data_dir),
            progress,
            warnings: Mutex::new(warnings),
        })
    }

    /// Stages every output; the report's `published` is left empty.
    fn run(self) -> Result<Report> {
        self.note_channel_files();
        let catalog = self.read_articles()?;
        self.write_pages(&catalog)?;
        let plan = crate::plan::plan(&catalog, &self.site.channel)
            .map_err(|error| input::with_line(self.site, error))?;
        self.write_feeds(&catalog, &plan)?;
        self.write_lists(&catalog, &plan)?;
        let assets = self.copy_files()?;
        let mut warnings = self
            .warnings
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        warnings.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
        warnings.dedup();
        Ok(Report {
            entries: catalog.total,
            documents: plan.len(),
            assets,
            published: Published::default(),
            warnings,
        })
    }

    fn warn(&self, more: impl IntoIterator<Item = Diagnostic>) {
        self.warnings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(more);
    }
}
