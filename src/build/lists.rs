//! Step 4: the pages that list articles, the site's archive and each
//! category's, so that every article is reachable from the index by links.
//! They are small and rendered every build; the stager leaves a file whose
//! bytes are unchanged as it is, so a new article rewrites only the newest
//! page of each list it is in.

use rayon::prelude::*;

use super::Build;
use crate::error::Result;
use crate::model::Listing;
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
                let output = self.pages.listing(page, &catalog.articles, &feeds)?;
                self.stager.add(output)
            })
    }
}
