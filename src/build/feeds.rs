//! Step 3: every planned feed document rendered in each format, checked and
//! staged, and the index and stylesheet beside them.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::Build;
use crate::check;
use crate::error::{Diagnostic, Result};
use crate::model::{Document, Entry, Format};
use crate::output::{Cache, Key};
use crate::plan::{Catalog, Plan, Planned};
use crate::render::{self, Output};

impl Build<'_> {
    pub(super) fn write_feeds(&self, catalog: &Catalog, plan: &Plan) -> Result<()> {
        self.progress.set_position(0);
        self.progress.set_length(plan.len() as u64);
        self.progress.set_message("writing feeds");

        // The main and category feeds share many entries: render each once.
        let wanted: BTreeSet<usize> = plan
            .main
            .entries
            .iter()
            .chain(plan.categories.iter().flat_map(|c| c.entries.iter()))
            .copied()
            .collect();
        let newest: HashMap<usize, Entry> = self
            .read_entries(catalog, wanted.into_iter().collect())?
            .into_iter()
            .collect();
        let pick = |planned: &Planned| planned.entries.iter().map(|i| &newest[i]).collect();

        let main = self.document(&plan.main, pick(&plan.main));
        self.stage_feeds(&main, |_| None)?;
        if self.site.channel.dialect.pages {
            self.stager
                .add(self.pages.index(&main.entries, &plan.category_names)?)?;
            self.stager.add(self.pages.stylesheet())?;
        }
        self.progress.inc(1);

        plan.categories.par_iter().try_for_each(|category| {
            self.stage_feeds(&self.document(category, pick(category)), |_| None)?;
            self.progress.inc(1);
            Ok::<_, crate::Error>(())
        })?;
        plan.archive_pages.par_iter().try_for_each(|page| {
            self.archive_page(catalog, page)?;
            self.progress.inc(1);
            Ok::<_, crate::Error>(())
        })
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
        let doc = self.document(page, entries.iter().map(|(_, entry)| entry).collect());
        self.stage_feeds(&doc, |format| {
            keys.iter().find(|(f, _)| *f == format).map(|(_, key)| *key)
        })
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
    /// keeping their order.
    fn read_entries(&self, catalog: &Catalog, indices: Vec<usize>) -> Result<Vec<(usize, Entry)>> {
        indices
            .into_par_iter()
            .map(|index| {
                let article = &catalog.articles[index];
                let (entry, warnings) =
                    self.read_back(article.path.clone(), article.fingerprint)?;
                if !warnings.is_empty() {
                    self.warn(warnings);
                }
                Ok((index, entry))
            })
            .collect()
    }

    /// Renders `doc` in every format it has (archive pages have no JSON
    /// Feed), marks each with the key `key_of` gives, checks it with `make-feed
    /// check`'s rules and stages it. A feed with an error is never published.
    fn stage_feeds(
        &self,
        doc: &Document<'_>,
        key_of: impl Fn(Format) -> Option<Key>,
    ) -> Result<()> {
        for format in Format::ALL {
            if doc.history.archive && !format.has_archives() {
                continue;
            }
            let mut output = render::feed(doc, format);
            if let Some(key) = key_of(format) {
                Cache::mark_archive(&mut output, key);
            }
            self.check(doc, &output)?;
            self.stager.add(output)?;
        }
        Ok(())
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
