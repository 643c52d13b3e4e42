//! Step 4: the pages that list articles, the site's archive and each
//! category's, so that every article is reachable from the index by links.
//! A list page is kept without rendering while the build index records
//! that it shows the same articles, links and channel; otherwise it is
//! rendered, and the stager leaves a file whose bytes are unchanged as it
//! is. Lists are filled oldest first, so a new article rewrites only the
//! newest page of each list it is in.

use rayon::prelude::*;

use super::Build;
use crate::error::Result;
use crate::model::Listing;
use crate::output::{Cache, OutputRecord};
use crate::plan::{listing_pages, Catalog, Plan};

impl Build<'_> {
    pub(super) fn write_lists(&self, catalog: &Catalog, plan: &Plan) -> Result<()> {
        // Which RFC 5005 archive feed holds each article, if any.
        let mut archive_feed = vec![None; catalog.articles.len()];
        for (number, page) in plan.archive_pages.iter().enumerate() {
            for &index in &page.entries {
                archive_feed[index] = Some(number + 1);
            }
        }
        let listed: Vec<u64> = catalog.articles.par_iter().map(Cache::listed).collect();
        listing_pages(catalog, plan)
            .par_iter()
            .try_for_each(|page| {
                let mut feeds: Vec<usize> = Vec::new();
                if page.listing == Listing::Archive {
                    feeds = page
                        .entries
                        .iter()
                        .filter_map(|&i| archive_feed[i])
                        .collect();
                    feeds.sort_unstable();
                    feeds.dedup();
                }
                // Kept while the index says it shows the same, and it is
                // as the last build left it.
                let key = self.cache.list_key(page, &listed, &feeds);
                let path = page.path();
                if let Some(kept) = self.cache.current(&path, key) {
                    self.index.next.add_output(&path, &kept);
                    return Ok(());
                }
                let output = self.pages.listing(page, &catalog.articles, &feeds)?;
                let stamp = self.stager.add_stamped(output)?;
                let record = OutputRecord {
                    key,
                    stamp,
                    links: Vec::new(),
                    recorded: None,
                };
                self.index.next.add_output(&path, &record);
                Ok(())
            })
    }
}
