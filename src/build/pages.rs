//! Step 2: every article's page, once the catalog is sorted and each
//! article's neighbours are known. A page is kept while its article, its
//! neighbours and everything else it is made from are unchanged; otherwise
//! the article is read back and the page rendered again.

use std::path::Path;

use rayon::prelude::*;

use super::Build;
use crate::error::{Diagnostic, Result};
use crate::input::ArticleText;
use crate::model::{on_site, site_path, Neighbour, Neighbours};
use crate::output::{OutputRecord, PageLookup, SourceView};
use crate::plan::{Article, Catalog};

impl Build<'_> {
    pub(super) fn write_pages(&self, catalog: &Catalog) -> Result<()> {
        self.progress.set_position(0);
        self.progress.set_length(catalog.articles.len() as u64);
        self.progress.set_message("writing pages");
        let articles = &catalog.articles;
        (0..articles.len()).into_par_iter().try_for_each(|index| {
            // Newest first: the newer neighbour comes before.
            let neighbours = [
                articles.get(index + 1),
                index.checked_sub(1).map(|newer| &articles[newer]),
            ];
            self.page(catalog, &articles[index], neighbours)?;
            self.progress.inc(1);
            Ok(())
        })
    }

    /// Keeps or renders one article's page, and notes the files its body
    /// links to either way; records both in the build index.
    fn page(
        &self,
        catalog: &Catalog,
        article: &Article,
        [older, newer]: [Option<&Article>; 2],
    ) -> Result<()> {
        let base = &self.site.channel.base_url;
        let page_path =
            site_path(&article.url, base).expect("reading checked that every page has a path");
        let lookup = self.cache.page(
            &page_path,
            article.fingerprint,
            [older.map(shown), newer.map(shown)],
        );
        let (links, output) = match lookup {
            // A trailer is a hint, never authority (anyone who can write to
            // the output folder can edit it): what a kept page publishes is
            // what its article says now. The hint is taken when it matches
            // the links reading found in the article; otherwise (or for a
            // body whose links only rendering tells) the article is read back.
            PageLookup::Kept(kept)
                if article.links.map_or(kept.links.is_empty(), |links| {
                    links == links_digest(&kept.links)
                }) =>
            {
                // Its links are taken from the record once it is recorded.
                (None, Some(kept))
            }
            PageLookup::Kept(kept) => {
                let (entry, _) = self.read_back(article.path.clone(), article.fingerprint)?;
                let links = site_paths(&entry.links, base);
                let kept = OutputRecord {
                    links: links.clone(),
                    recorded: None,
                    ..kept
                };
                (Some(links), Some(kept))
            }
            PageLookup::Stale(stale) => {
                let (entry, warnings) =
                    self.read_back(article.path.clone(), article.fingerprint)?;
                // A page whose article drew warnings is rendered again by
                // every build, so that every build repeats them.
                let warned = !warnings.is_empty();
                self.warn(warnings);
                let links = site_paths(&entry.links, base);
                let neighbours = Neighbours {
                    older: older.map(neighbour),
                    newer: newer.map(neighbour),
                };
                let page = self.pages.article(&entry, &page_path, &neighbours)?;
                let key = stale.key();
                let stamp = self
                    .cache
                    .stage_page(stale, page, &links, warned)
                    .map_err(|error| about_the_page(error, &article.path))?;
                let output = (!warned).then(|| OutputRecord {
                    key,
                    stamp,
                    links: links.clone(),
                    recorded: None,
                });
                (Some(links), output)
            }
        };
        if let Some(output) = &output {
            self.index.next.add_output(&page_path, output);
        }
        let links = links
            .or_else(|| output.map(|kept| kept.links))
            .unwrap_or_default();
        if let Some(stamp) = &article.source {
            let links = links_digest(&links);
            // As the last index recorded it, unless its links were not known.
            let recorded = article.recorded.filter(|_| article.links == Some(links));
            self.index
                .next
                .add_source(&self.index_name(&article.path), stamp, recorded, || {
                    article_view(catalog, article, links)
                });
        }
        self.assets.note(
            &article.path,
            &|| text_of(self.site.content_root.as_path(), &article.path),
            &links,
        );
        Ok(())
    }
}

/// What the build index records of `article`, whose body links to the
/// site paths `links` digests.
fn article_view<'a>(catalog: &'a Catalog, article: &'a Article, links: u64) -> SourceView<'a> {
    SourceView {
        fingerprint: article.fingerprint,
        id: &article.id,
        slug: &article.slug,
        title: &article.title,
        url: &article.url,
        published: article.published,
        published_date_only: article.published_date_only,
        updated: Some(article.updated),
        categories: article
            .categories
            .iter()
            .map(|&index| catalog.categories[index as usize].name.as_str())
            .collect(),
        links: Some(links),
    }
}

/// A refusal to write an article's page, said of the article and the field
/// its page's name comes from.
fn about_the_page(error: crate::Error, article: &Path) -> crate::Error {
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

/// A neighbour's title and URL, as its page's key takes them.
fn shown(article: &Article) -> (&str, &str) {
    (&article.title, &article.url)
}

fn neighbour(article: &Article) -> Neighbour {
    Neighbour {
        title: article.title.to_string(),
        url: article.url.to_string(),
    }
}

/// The text of the article at `path`, for the line numbers of messages
/// about its links; empty if it cannot be read now.
fn text_of(articles_dir: &Path, path: &Path) -> String {
    ArticleText::read(articles_dir, path.to_path_buf()).map_or_else(|_| String::new(), |a| a.text)
}

/// A digest of `paths`, in order.
pub(super) fn links_digest(paths: &[String]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for path in paths {
        hasher.update(&(path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
    }
    hasher.digest()
}

/// The site paths among `links` (absolute URLs), each once. A path no file
/// can have (`a//b`) is kept as written, so that it is reported missing.
pub(super) fn site_paths(links: &[String], base: &url::Url) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    links
        .iter()
        .filter_map(|link| {
            site_path(link, base).or_else(|| on_site(link, base).map(str::to_string))
        })
        .filter(|path| seen.insert(path.clone()))
        .collect()
}
