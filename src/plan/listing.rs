//! The pages that list articles: the site's archive and each category's
//! page, cut into pages of [`LISTING_PAGE_SIZE`] filled oldest first, as
//! archive feeds are, so that a new article changes only the newest page
//! (and, when that was full, starts another).

use super::{Catalog, Plan};
use crate::model::{Listing, LISTING_PAGE_SIZE};

/// One listing page to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListingPage {
    pub(crate) listing: Listing,
    /// The category's name, for a category's page.
    pub(crate) name: Option<String>,
    /// 1 for the oldest page.
    pub(crate) number: usize,
    /// How many pages the listing has.
    pub(crate) count: usize,
    /// Indices into [`Catalog::articles`], newest first.
    pub(crate) entries: Vec<usize>,
}

impl ListingPage {
    pub(crate) fn path(&self) -> String {
        self.listing.path(self.number, self.count)
    }

    /// The page with older articles, if any.
    pub(crate) fn older(&self) -> Option<String> {
        (self.number > 1).then(|| self.listing.path(self.number - 1, self.count))
    }

    /// The page with newer articles, if any.
    pub(crate) fn newer(&self) -> Option<String> {
        (self.number < self.count).then(|| self.listing.path(self.number + 1, self.count))
    }
}

/// The site's archive and every category's page, for `catalog`'s articles
/// (all of them, newest first).
pub(crate) fn listing_pages(catalog: &Catalog, plan: &Plan) -> Vec<ListingPage> {
    let every: Vec<usize> = (0..catalog.articles.len()).collect();
    let mut pages = cut(&Listing::Archive, None, &every);
    let mut by_category: Vec<Vec<usize>> = vec![Vec::new(); catalog.categories.len()];
    for (index, article) in catalog.articles.iter().enumerate() {
        for &category in &article.categories {
            by_category[category as usize].push(index);
        }
    }
    for (name, slug) in &plan.category_names {
        let Some(category) = catalog.category_named(name) else {
            continue;
        };
        let listing = Listing::Category(slug.clone());
        pages.extend(cut(&listing, Some(name), &by_category[category]));
    }
    pages
}

/// `entries` (newest first) cut into pages filled oldest first.
fn cut(listing: &Listing, name: Option<&String>, entries: &[usize]) -> Vec<ListingPage> {
    let count = entries.len().div_ceil(LISTING_PAGE_SIZE).max(1);
    let oldest_first: Vec<usize> = entries.iter().rev().copied().collect();
    let mut chunks: Vec<Vec<usize>> = oldest_first
        .chunks(LISTING_PAGE_SIZE)
        .map(|chunk| chunk.iter().rev().copied().collect())
        .collect();
    if chunks.is_empty() {
        chunks.push(Vec::new());
    }
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, entries)| ListingPage {
            listing: listing.clone(),
            name: name.cloned(),
            number: i + 1,
            count,
            entries,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_fill_oldest_first_so_full_pages_never_change() {
        let entries: Vec<usize> = (0..250).collect(); // 0 is the newest
        let pages = cut(&Listing::Archive, None, &entries);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].entries, (150..250).collect::<Vec<_>>());
        assert_eq!(pages[1].entries, (50..150).collect::<Vec<_>>());
        assert_eq!(pages[2].entries, (0..50).collect::<Vec<_>>());
        assert_eq!(pages[2].path(), "archive/index.html");
        assert_eq!(pages[0].older(), None);
        assert_eq!(pages[0].newer().as_deref(), Some("archive/page-2.html"));
        assert_eq!(pages[1].newer().as_deref(), Some("archive/index.html"));
        assert_eq!(pages[2].older().as_deref(), Some("archive/page-2.html"));
        assert_eq!(pages[2].newer(), None);
    }

    #[test]
    fn an_empty_listing_still_has_its_index() {
        let pages = cut(&Listing::Archive, None, &[]);
        assert_eq!(pages.len(), 1);
        assert!(pages[0].entries.is_empty());
    }
}
