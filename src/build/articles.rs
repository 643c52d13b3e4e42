//! Step 1: every article read once, its page kept or rendered while its
//! text is at hand, and a [`Catalog`] of what planning needs.

use std::path::PathBuf;

use rayon::prelude::*;

use super::Build;
use crate::error::{Diagnostic, Result};
use crate::input::{self, article_files, ArticleText, UniqueField};
use crate::model::{on_site, site_path, Head};
use crate::output::PageLookup;
use crate::plan::Catalog;

/// How many files are read in parallel before their results are merged,
/// which bounds what is held at once.
const BATCH: usize = 2048;

/// What reading one article gives the catalog, or why it could not be read.
type Read = (PathBuf, Result<(Head, u64, Vec<Diagnostic>)>);

impl Build<'_> {
    /// `feed.toml`'s icon and logo are files to publish too.
    pub(super) fn note_channel_files(&self) {
        let channel = &self.site.channel;
        let files: Vec<String> = [&channel.icon, &channel.logo]
            .into_iter()
            .flatten()
            .filter_map(|url| site_path(url.as_str(), &channel.base_url))
            .collect();
        self.assets
            .note(&self.site.config_path, &self.site.config_text, &files);
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
                    Ok((head, fingerprint, warnings)) => {
                        self.warn(warnings);
                        catalog.add(path, fingerprint, head);
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

    /// Reads one article and checks its front matter; keeps its page if it
    /// is current, or renders and stages it; notes the files its body links
    /// to either way.
    fn article(&self, path: PathBuf) -> Result<(Head, u64, Vec<Diagnostic>)> {
        let mut article = ArticleText::read(&self.site.articles_dir, path)?;
        let mut warnings = std::mem::take(&mut article.warnings);
        let at = article.at();
        let channel = &self.site.channel;
        let front = input::read_front(&article.text, at, channel, &mut warnings)?;
        let head = front.head();
        let page_path = site_path(front.url().as_str(), &channel.base_url).ok_or_else(|| {
            Diagnostic::new(at.path, "is in a folder whose name cannot be part of a URL")
                .help("rename the folder: no backslash, and no name that is only dots")
        })?;
        let links = match self.cache.page(&page_path, article.fingerprint) {
            // A trailer is a hint, never authority (anyone who can write to
            // the output folder can edit it): a kept page that says it links
            // to files has its body rendered again, and what the article
            // says now is what gets published.
            PageLookup::Kept(hinted) if hinted.is_empty() => hinted,
            PageLookup::Kept(_) => {
                let entry = front.render(at, &mut Vec::new())?;
                site_paths(&entry.links, &channel.base_url)
            }
            PageLookup::Stale(stale) => {
                let warned_before = warnings.len();
                let entry = front.render(at, &mut warnings)?;
                let links = site_paths(&entry.links, &channel.base_url);
                let page = self.pages.article(&entry, &page_path)?;
                // A page whose body drew warnings is rendered again by every
                // build, so that every build repeats them.
                let warned = warnings.len() > warned_before;
                self.cache
                    .stage_page(stale, page, &links, warned)
                    .map_err(|error| about_the_page(error, at.path))?;
                links
            }
        };
        self.assets.note(at.path, &article.text, &links);
        Ok((head, article.fingerprint, warnings))
    }
}

/// A refusal to write an article's page, said of the article and the field
/// its page's name comes from.
fn about_the_page(error: crate::Error, article: &std::path::Path) -> crate::Error {
    match error {
        crate::Error::Input(refused) => {
            let mut said = Diagnostic::new(
                article,
                format!("its page {} {}", refused.path.display(), refused.message),
            )
            .field("slug");
            said.help = refused.help;
            said.into()
        }
        other => other,
    }
}

/// The site paths among `links` (absolute URLs), each once. A path no file
/// can have (`a//b`) is kept as written, so that it is reported missing.
fn site_paths(links: &[String], base: &url::Url) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    links
        .iter()
        .filter_map(|link| {
            site_path(link, base).or_else(|| on_site(link, base).map(str::to_string))
        })
        .filter(|path| seen.insert(path.clone()))
        .collect()
}
