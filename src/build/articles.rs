//! Step 1: every article read once (or, unchanged since the last build,
//! taken from its index), its front matter checked, and a [`Catalog`] of
//! what planning and the pages need.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use rayon::prelude::*;

use super::pages::{links_digest, site_paths};
use super::Build;
use crate::error::{Diagnostic, Result};
use crate::input::{self, article_files, ArticleText, HeldBack, PostUrls, UniqueField};
use crate::model::{has_site_path, site_path, Generator, Head, Recorded, Stamp};
use crate::output::{Found, SourceView};

/// A moment, with the offset it was given in.
type Instant = DateTime<FixedOffset>;
use crate::plan::Catalog;

/// How many files are read in parallel before their results are merged,
/// which bounds what is held at once.
const BATCH: usize = 2048;

/// What reading one article gives the catalog, or why it could not be read.
type Read = (PathBuf, Result<ReadArticle>);

/// What reading the articles has gathered so far.
struct Gathered {
    catalog: Catalog,
    errors: Vec<(PathBuf, crate::Error)>,
    held: BTreeMap<HeldBack, usize>,
    /// Articles read, and of them taken from the build index.
    articles: usize,
    indexed: usize,
    /// Every post's URL, for links between a generator's posts: noted as
    /// they are read, since the catalog may keep only the newest.
    posts: PostUrls,
}

impl Gathered {
    fn new(channel: &crate::model::Channel) -> Gathered {
        let mut catalog = Catalog::new(channel);
        // Every article has a page, which links to its neighbours, and the
        // site's archive lists them all. With the feeds alone, only the
        // articles some feed holds are kept (archives keep theirs).
        if channel.dialect.pages {
            catalog.keep_every_article();
        }
        Gathered {
            catalog,
            errors: Vec::new(),
            held: BTreeMap::new(),
            articles: 0,
            indexed: 0,
            posts: PostUrls::new(&channel.base_url, &channel.dialect.site_variables),
        }
    }

    /// Adds a batch of articles as `build` read them.
    fn add(&mut self, build: &Build<'_>, read: Vec<Read>) {
        let channel = &build.site.channel;
        for (path, result) in read {
            let read = match result {
                Ok(read) => read,
                Err(error) => {
                    self.errors.push((path, error));
                    continue;
                }
            };
            self.articles += 1;
            self.indexed += usize::from(read.recorded.is_some());
            build.warn(read.warnings);
            let head = match read.head {
                Ok(head) => head,
                Err(reason) => {
                    *self.held.entry(reason).or_default() += 1;
                    continue;
                }
            };
            if channel.dialect.generator != Generator::MakeFeed {
                build.note_post(&mut self.posts, &path, &head.url);
            }
            // With pages, the index records an article with its page, once
            // its links are known.
            if let (Some(stamp), false) = (read.source, channel.dialect.pages) {
                build.index.next.add_source(
                    &build.index_name(&path),
                    &stamp,
                    read.recorded,
                    || head_view(&head, read.fingerprint, read.links),
                );
            }
            self.catalog.add_with_links(
                path,
                read.fingerprint,
                head,
                read.links,
                read.source,
                read.recorded,
            );
        }
        self.catalog.prune();
    }
}

/// What reading one article gives the catalog: the article, or why its
/// generator holds it back.
struct ReadArticle {
    head: Result<Head, HeldBack>,
    fingerprint: u64,
    /// A digest of the site paths its body links to, if known unrendered.
    links: Option<u64>,
    warnings: Vec<Diagnostic>,
    /// The file's stamp, if what reading it gave may be recorded in the
    /// build index.
    source: Option<Stamp>,
    /// Where the build index holds what this says, if it was taken from
    /// there, not read.
    recorded: Option<Recorded>,
}

impl Build<'_> {
    /// `feed.toml`'s icon and logo are files to publish too.
    pub(super) fn note_channel_files(&self) {
        let channel = &self.site.channel;
        let files: Vec<String> = [&channel.icon, &channel.logo]
            .into_iter()
            .flatten()
            .filter_map(|url| site_path(url.as_str(), &channel.base_url))
            .collect();
        let text = || self.site.config_text.clone();
        self.assets.note(&self.site.config_path, &text, &files);
    }

    /// Reads every article, in whatever order the file system lists them,
    /// in parallel batches; nothing that comes out depends on that order (the
    /// catalog is sorted, and bad files are reported by path). Every bad
    /// file is reported, up to [`MAX_ERRORS`], then counted. The notes say
    /// which posts the generator's rules held back, and why; the posts'
    /// URLs serve links between a generator's posts.
    pub(super) fn read_articles(
        &self,
        now: Option<Instant>,
    ) -> Result<(Catalog, Vec<String>, PostUrls)> {
        let articles_dir = &self.site.articles_dir;
        if !articles_dir.is_dir() {
            return Err(Diagnostic::new(articles_dir, "not found")
                .help("put one Markdown file per article in it, e.g. articles/my-first-post.md")
                .into());
        }
        let generator = self.site.channel.dialect.generator;
        if !self.progress.is_hidden() {
            self.progress
                .set_length(article_files(articles_dir, generator).count() as u64);
        }
        self.progress.set_message("reading articles");

        let mut gathered = Gathered::new(&self.site.channel);
        // The folder is listed on a thread of its own, a few batches ahead;
        // each batch is read in parallel while the one before it is added
        // to the catalog.
        std::thread::scope(|scope| {
            let (send, batches) = std::sync::mpsc::sync_channel::<Vec<Result<PathBuf>>>(2);
            scope.spawn(move || {
                let mut files = article_files(articles_dir, generator);
                loop {
                    let batch: Vec<Result<PathBuf>> = files.by_ref().take(BATCH).collect();
                    // Stops when the files end, or the reading stopped.
                    if batch.is_empty() || send.send(batch).is_err() {
                        break;
                    }
                }
            });
            let mut pending: Vec<Read> = Vec::new();
            loop {
                let batch = batches.recv().unwrap_or_default();
                if batch.is_empty() && pending.is_empty() {
                    break;
                }
                let (read, ()) = rayon::join(
                    || {
                        batch
                            .into_par_iter()
                            .map(|path| match path {
                                Ok(path) => (path.clone(), self.article(path, now)),
                                Err(error) => (articles_dir.clone(), Err(error)),
                            })
                            .collect::<Vec<Read>>()
                    },
                    || gathered.add(self, std::mem::take(&mut pending)),
                );
                self.progress.inc(read.len() as u64);
                pending = read;
            }
        });
        let Gathered {
            catalog,
            errors,
            held,
            articles,
            indexed,
            posts,
        } = gathered;
        if !errors.is_empty() {
            return Err(all_errors(errors));
        }
        if catalog.total == 0 {
            let message = if held.is_empty() {
                "holds no articles yet; the feeds are published with no entries"
            } else {
                "holds no article the feeds may show (see the notes for what was held back); the feeds are published with no entries"
            };
            self.warn([Diagnostic::new(articles_dir, message)
                .help("add one with `make-feed new \"A title\"`, or put a Markdown file with title and published in its front matter there")]);
        }
        let mut notes: Vec<String> = held
            .into_iter()
            .map(|(reason, count)| {
                format!(
                    "held back, as {} would: {}",
                    generator,
                    reason.describe(count)
                )
            })
            .collect();
        if indexed > 0 {
            notes.push(format!(
                "{indexed} of {articles} article files unchanged since the last build (by their size and times), not read again"
            ));
        }
        Ok((self.finish(catalog)?, notes, posts))
    }

    /// Notes the post at `path` (below the content folder) as at `url`.
    fn note_post(&self, posts: &mut PostUrls, path: &std::path::Path, url: &str) {
        let relative = path.strip_prefix(&self.site.content_root).unwrap_or(path);
        let relative: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        posts.add(&relative.join("/"), url);
    }

    /// Checks what only the whole site shows: that no two articles share a
    /// slug (for make-feed's pages) or an id. A site with no article yet is
    /// published with empty feeds, so that subscribers see the last one go.
    fn finish(&self, mut catalog: Catalog) -> Result<Catalog> {
        let (slugs, ids) = catalog.may_repeat();
        let own_pages = self.site.channel.dialect.generator == Generator::MakeFeed;
        for (repeats, field) in [
            (slugs && own_pages, UniqueField::Slug),
            (ids, UniqueField::Id),
        ] {
            if repeats {
                input::find_duplicate(self.site, field)?;
            }
        }
        catalog.sort();
        Ok(catalog)
    }

    /// Reads one article and checks its front matter and that its page can
    /// have a URL.
    fn article(&self, path: PathBuf, now: Option<Instant>) -> Result<ReadArticle> {
        // With no index (a first build) the file is not looked at twice:
        // reading it gives its stamp.
        if !self.index.last.is_empty() {
            let name = self.index_name(&path);
            let stamp = match self.articles_dir.stat(&name, true) {
                Ok((Found::File, stamp)) => stamp,
                _ => None,
            };
            // A record's page must have a path, as reading checks (the index
            // is a cache: what it says is never trusted further).
            let channel = &self.site.channel;
            let indexed = stamp
                .as_ref()
                .and_then(|stamp| self.index.last.source(&name, stamp))
                .filter(|record| {
                    !channel.dialect.pages || has_site_path(&record.head.url, &channel.base_url)
                });
            if let Some(record) = indexed {
                return Ok(ReadArticle {
                    head: Ok(record.head),
                    fingerprint: record.fingerprint,
                    links: record.links,
                    warnings: Vec::new(),
                    source: stamp,
                    recorded: Some(record.recorded),
                });
            }
        }
        let reading = self.site.first_reading();
        let mut article = ArticleText::read_as(&self.site.content_root, path, reading, reading)?;
        let mut warnings = std::mem::take(&mut article.warnings);
        let at = article.at();
        let channel = &self.site.channel;
        let front = input::read_front(&article.text, at, channel, &mut warnings)?;
        if let Some(reason) = front.held_back(&channel.dialect, now) {
            return Ok(ReadArticle {
                head: Err(reason),
                fingerprint: article.fingerprint,
                links: None,
                warnings,
                source: None,
                recorded: None,
            });
        }
        let page = site_path(front.url().as_str(), &channel.base_url);
        if channel.dialect.pages && page.is_none() {
            return Err(Diagnostic::new(
                at.path,
                "is in a folder whose name cannot be part of a URL",
            )
            .help("rename the folder: no backslash, and no name that is only dots")
            .into());
        }
        // The links vouch for a kept page's trailer; with no page from the
        // previous build (a first build) there is none to vouch for, and the
        // body is not parsed here.
        let links = page
            .filter(|page| self.stager.wrote_before(page))
            .and_then(|_| front.links(channel))
            .map(|links| links_digest(&site_paths(&links, &channel.base_url)));
        // Stamped as it was opened, before it was read: an edit while it
        // was read shows in the next build's stamp.
        let stamp = article.stamp;
        let settled = warnings.is_empty() && !front.may_expire(&channel.dialect);
        Ok(ReadArticle {
            head: Ok(front.head()),
            fingerprint: article.fingerprint,
            links,
            warnings,
            source: settled.then_some(stamp),
            recorded: None,
        })
    }
}

/// What the build index records of an article read as `head`.
fn head_view(head: &Head, fingerprint: u64, links: Option<u64>) -> SourceView<'_> {
    SourceView {
        fingerprint,
        id: &head.id,
        slug: &head.slug,
        title: &head.title,
        url: &head.url,
        published: head.published,
        published_date_only: head.published_date_only,
        updated: head.updated,
        categories: head.categories.iter().map(String::as_str).collect(),
        links,
    }
}

/// How many bad files one build reports before it only counts the rest.
pub(super) const MAX_ERRORS: usize = 50;

/// One error for every bad file, sorted by path: the first [`MAX_ERRORS`]
/// in full, the rest counted.
fn all_errors(mut errors: Vec<(PathBuf, crate::Error)>) -> crate::Error {
    errors.sort_by(|a, b| a.0.cmp(&b.0));
    if errors.len() == 1 {
        return errors.pop().expect("one error").1;
    }
    let total = errors.len();
    let mut shown = Vec::new();
    for (_, error) in errors.into_iter().take(MAX_ERRORS) {
        match error {
            crate::Error::Input(diagnostic) => shown.push(diagnostic),
            // A file that cannot be read at all stops the build as it is.
            other => return other,
        }
    }
    crate::Error::Inputs {
        more: total - shown.len(),
        diagnostics: shown,
    }
}
