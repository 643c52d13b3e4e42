//! Step 3: every planned feed document in each format, kept while the
//! build index says it is current (archive pages: their trailer), or else
//! rendered, checked and staged; and the index and stylesheet beside them.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::Build;
use crate::check;
use crate::error::{Diagnostic, Result};
use crate::input::PostUrls;
use crate::model::{Document, Entry, Format};
use crate::output::{Cache, Key, OutputRecord};
use crate::plan::{Catalog, Plan, Planned};
use crate::render::{self, Output};

impl Build<'_> {
    pub(super) fn write_feeds(&self, catalog: &Catalog, plan: &Plan) -> Result<()> {
        self.progress.set_position(0);
        self.progress.set_length(plan.len() as u64);
        self.progress.set_message("writing feeds");

        // A feed whose files are all current is kept without reading its
        // articles back.
        let posts = self.posts.get().map_or(0, PostUrls::digest);
        let stale: Vec<(&Planned, Vec<(Format, Key)>)> = std::iter::once(&plan.main)
            .chain(&plan.categories)
            .par_bridge()
            .filter_map(|planned| {
                let stale = self.stale_feed_files(catalog, planned, posts);
                self.progress.inc(1);
                (!stale.is_empty()).then_some((planned, stale))
            })
            .collect();

        // The main and category feeds share many entries: render each once.
        // The index page shows the main feed's.
        let pages = self.site.channel.dialect.pages;
        let wanted: BTreeSet<usize> = stale
            .iter()
            .flat_map(|(planned, _)| planned.entries.iter())
            .chain(plan.main.entries.iter().filter(|_| pages))
            .copied()
            .collect();
        let newest: HashMap<usize, (Entry, bool)> = self
            .read_entries(catalog, wanted.into_iter().collect())?
            .into_iter()
            .map(|(index, entry, warned)| (index, (entry, warned)))
            .collect();
        let pick = |planned: &Planned| planned.entries.iter().map(|i| &newest[i].0).collect();

        if pages {
            let main = self.document(&plan.main, pick(&plan.main));
            self.stager
                .add(self.pages.index(&main.entries, &plan.category_names)?)?;
            self.stager.add(self.pages.stylesheet())?;
        }
        stale.par_iter().try_for_each(|(planned, stale)| {
            // Rendered again by every build while an article draws warnings,
            // so that every build repeats them.
            let warned = planned.entries.iter().any(|i| newest[i].1);
            let doc = self.document(planned, pick(planned));
            for &(format, key) in stale {
                let stamp = self
                    .stager
                    .add_stamped(self.render_checked(&doc, format, None)?)?;
                if !warned {
                    let record = OutputRecord {
                        key,
                        stamp,
                        links: Vec::new(),
                        recorded: None,
                    };
                    self.index.next.add_output(&doc.place.path(format), &record);
                }
            }
            Ok::<_, crate::Error>(())
        })?;
        plan.archive_pages.par_iter().try_for_each(|page| {
            self.archive_page(catalog, page)?;
            self.progress.inc(1);
            Ok::<_, crate::Error>(())
        })
    }

    /// The formats of the feed `planned` whose files are not current, each
    /// with the key to record when it is written; those that are current
    /// are kept.
    fn stale_feed_files(
        &self,
        catalog: &Catalog,
        planned: &Planned,
        posts: u64,
    ) -> Vec<(Format, Key)> {
        Format::ALL
            .into_iter()
            .filter_map(|format| {
                let path = planned.place.path(format);
                let key = self
                    .cache
                    .feed_key(&path, planned, &catalog.articles, posts);
                match self.cache.current(&path, key) {
                    Some(kept) => {
                        self.index.next.add_output(&path, &kept);
                        None
                    }
                    None => Some((format, key)),
                }
            })
            .collect()
    }

    /// An archive page is kept, without reading its articles back, while it
    /// holds the same articles, unchanged, in the same place in the chain.
    fn archive_page(&self, catalog: &Catalog, page: &Planned) -> Result<()> {
        let fingerprints = page
            .entries
            .iter()
            .map(|&index| catalog.articles[index].fingerprint);
        let Some(keys) = self.cache.archive(&page.place, &page.history, fingerprints) else {
            return Ok(());
        };
        let entries = self.read_entries(catalog, page.entries.clone())?;
        let doc = self.document(page, entries.iter().map(|(_, entry, _)| entry).collect());
        // In each format an archive page has (no JSON Feed), marked with
        // its key.
        for (format, key) in keys {
            self.stager
                .add(self.render_checked(&doc, format, Some(key))?)?;
        }
        Ok(())
    }

    fn document<'d>(&'d self, planned: &Planned, entries: Vec<&'d Entry>) -> Document<'d> {
        Document {
            channel: &self.site.channel,
            title: planned.title.clone(),
            place: planned.place.clone(),
            entries,
            history: planned.history.clone(),
        }
    }

    /// Reads back and renders the articles at `indices`, in parallel,
    /// keeping their order; each with whether it drew warnings.
    fn read_entries(
        &self,
        catalog: &Catalog,
        indices: Vec<usize>,
    ) -> Result<Vec<(usize, Entry, bool)>> {
        indices
            .into_par_iter()
            .map(|index| {
                let article = &catalog.articles[index];
                let (entry, warnings) =
                    self.read_back(article.path.clone(), article.fingerprint)?;
                let warned = !warnings.is_empty();
                self.warn(warnings);
                Ok((index, entry, warned))
            })
            .collect()
    }

    /// `doc` rendered in `format`, marked with `archive_key` if it is an
    /// archive page, and checked with `make-feed check`'s rules: a feed with
    /// an error is never published.
    fn render_checked(
        &self,
        doc: &Document<'_>,
        format: Format,
        archive_key: Option<Key>,
    ) -> Result<Output> {
        let mut output = render::feed(doc, format);
        if let Some(key) = archive_key {
            Cache::mark_archive(&mut output, key);
        }
        self.check(doc, &output)?;
        Ok(output)
    }

    fn check(&self, doc: &Document<'_>, output: &Output) -> Result<()> {
        let context = check::Context {
            // Builds never read the clock; "in the future" is only a warning.
            now: chrono::DateTime::<chrono::Utc>::MAX_UTC,
            url: Some(doc.channel.url_of(&output.path).to_string()),
        };
        let findings = check::check(&output.bytes, &context);
        let Some(error) = findings
            .iter()
            .find(|f| f.severity == check::Severity::Error)
        else {
            return Ok(());
        };
        Err(Diagnostic::new(
            &output.path,
            format!(
                "make-feed wrote a feed that fails its own check: {}:{}: {} [{}]",
                error.line, error.column, error.message, error.rule
            ),
        )
        .help("this is a bug in make-feed; please report it with the article that caused it")
        .into())
    }
}
