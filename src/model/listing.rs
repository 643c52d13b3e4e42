//! Where the pages that list articles live: the site's archive (every
//! article) and each category's page.

/// A list of articles, cut into pages of [`LISTING_PAGE_SIZE`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Listing {
    /// Every article: `archive/index.html`, `archive/page-<n>.html`.
    Archive,
    /// The articles of the category with this folder name:
    /// `categories/<slug>/index.html`, `categories/<slug>/page-<n>.html`.
    Category(String),
}

/// How many articles one listing page holds. Pages are filled oldest first,
/// so that a full page never changes when articles are added.
pub(crate) const LISTING_PAGE_SIZE: usize = 100;

impl Listing {
    fn folder(&self) -> String {
        match self {
            Listing::Archive => "archive/".to_string(),
            Listing::Category(slug) => format!("categories/{slug}/"),
        }
    }

    /// The path of page `number` (1 for the oldest) of `count`: the newest
    /// is the folder's `index.html`.
    pub(crate) fn path(&self, number: usize, count: usize) -> String {
        if number == count {
            format!("{}index.html", self.folder())
        } else {
            format!("{}page-{number}.html", self.folder())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_page_is_the_folder_s_index() {
        assert_eq!(Listing::Archive.path(3, 3), "archive/index.html");
        assert_eq!(Listing::Archive.path(1, 3), "archive/page-1.html");
        assert_eq!(
            Listing::Category("rust".to_string()).path(2, 5),
            "categories/rust/page-2.html"
        );
    }
}
