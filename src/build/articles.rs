//! Step 1: every article read once, its front matter checked, and a
//! [`Catalog`] of what planning and the pages need.

use std::path::PathBuf;

use rayon::prelude::*;

use super::pages::{links_digest, site_paths};
use super::Build;
use crate::error::{Diagnostic, Result};
use crate::input::{self, article_files, ArticleText, UniqueField};
use crate::model::{site_path, Head};
use crate::plan::Catalog;

/// How many files are read in parallel before their results are merged,
/// which bounds what is held at once.
const BATCH: usize = 2048;

/// What reading one article gives the catalog, or why it could not be read.
type Read = (PathBuf, Result<ReadArticle>);

/// What reading one article gives the catalog.
struct ReadArticle {
    head: Head,
    fingerprint: u64,
    /// A digest of the site paths its body links to, if known unrendered.
    links: Option<u64>,
    warnings: Vec<Diagnostic>,
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

    /// Reads every `articles/**/*.md`, in whatever order the file system
    /// lists them, in parallel batches; nothing that comes out depends on
    /// that order (the catalog is sorted, and of several bad files the first
    /// by path is reported).
    pub(super) fn read_articles(&self) -> Result<Catalog> {
        let articles_dir = &self.site.articles_dir;
        if !articles_dir.is_dir() {
            return Err(Diagnostic::new(articles_dir, "not found")
                .help("put one Markdown file per article in it, e.g. articles/my-first-post.md")
                .into());
        }
        if !self.progress.is_hidden() {
            self.progress
                .set_length(article_files(articles_dir).count() as u64);
        }
        self.progress.set_message("reading articles");

        let mut catalog = Catalog::new(&self.site.channel);
        // Every article has a page, which links to its neighbours, and the
        // site's archive lists them all.
        catalog.keep_every_article();
        let mut first_error: Option<(PathBuf, crate::Error)> = None;
        let mut files = article_files(articles_dir);
        loop {
            let batch: Vec<Result<PathBuf>> = files.by_ref().take(BATCH).collect();
            if batch.is_empty() {
                break;
            }
            let read: Vec<Read> = batch
                .into_par_iter()
                .map(|path| match path {
                    Ok(path) => (path.clone(), self.article(path)),
                    Err(error) => (articles_dir.clone(), Err(error)),
                })
                .collect();
            self.progress.inc(read.len() as u64);
            for (path, result) in read {
                match result {
                    Ok(read) => {
                        self.warn(read.warnings);
                        catalog.add_with_links(path, read.fingerprint, read.head, read.links);
                    }
                    Err(error) => {
                        if first_error.as_ref().is_none_or(|(first, _)| path < *first) {
                            first_error = Some((path, error));
                        }
                    }
                }
            }
            catalog.prune();
        }
        if let Some((_, error)) = first_error {
            return Err(error);
        }
        self.finish(catalog)
    }

    /// Checks what only the whole site shows: that it has articles, and
    /// that no two share a slug or an id.
    fn finish(&self, mut catalog: Catalog) -> Result<Catalog> {
        if catalog.total == 0 {
            return Err(Diagnostic::new(&self.site.articles_dir, "holds no articles (*.md files)")
                .help("add one, e.g. articles/my-first-post.md with title and published in its front matter")
                .into());
        }
        let (slugs, ids) = catalog.may_repeat();
        for (repeats, field) in [(slugs, UniqueField::Slug), (ids, UniqueField::Id)] {
            if repeats {
                input::find_duplicate(self.site, field)?;
            }
        }
        catalog.sort();
        Ok(catalog)
    }

    /// Reads one article and checks its front matter and that its page can
    /// have a URL.
    fn article(&self, path: PathBuf) -> Result<ReadArticle> {
        let mut article = ArticleText::read(&self.site.articles_dir, path)?;
        let mut warnings = std::mem::take(&mut article.warnings);
        let at = article.at();
        let channel = &self.site.channel;
        let front = input::read_front(&article.text, at, channel, &mut warnings)?;
        if site_path(front.url().as_str(), &channel.base_url).is_none() {
            return Err(Diagnostic::new(
                at.path,
                "is in a folder whose name cannot be part of a URL",
            )
            .help("rename the folder: no backslash, and no name that is only dots")
            .into());
        }
        let links = front
            .links()
            .map(|links| links_digest(&site_paths(&links, &channel.base_url)));
        Ok(ReadArticle {
            head: front.head(),
            fingerprint: article.fingerprint,
            links,
            warnings,
        })
    }
}
