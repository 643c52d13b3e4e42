//! One article, and the little of it that planning needs.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use url::Url;

/// One article, read in full.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The permanent id (a `tag:` URI unless the front matter sets one).
    pub(crate) id: String,
    pub(crate) slug: String,
    /// The article's own page.
    pub(crate) url: Url,
    pub(crate) title: String,
    pub(crate) published: DateTime<FixedOffset>,
    /// `published` was given as a date alone (its time is midnight).
    pub(crate) published_date_only: bool,
    pub(crate) updated: Option<DateTime<FixedOffset>>,
    pub(crate) authors: Vec<String>,
    pub(crate) editor: Option<String>,
    pub(crate) source: Option<Source>,
    pub(crate) categories: Vec<String>,
    /// Plain text.
    pub(crate) summary: String,
    /// The body as sanitised HTML with absolute URLs.
    pub(crate) body_html: String,
    /// The absolute URLs the body links to or shows (`href` and `src`), each
    /// once, in the order they first appear.
    pub(crate) links: Vec<String>,
    /// The file the entry came from, for messages.
    pub(crate) origin: PathBuf,
}

impl Entry {
    /// `updated`, or else `published`.
    pub(crate) fn updated(&self) -> DateTime<FixedOffset> {
        self.updated.unwrap_or(self.published)
    }
}

/// Where an article was first published, when it is a reprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    pub(crate) name: String,
    pub(crate) url: Option<Url>,
}

/// What planning needs to know of an article, without its body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Head {
    pub(crate) id: String,
    pub(crate) slug: String,
    /// Shown in the lists of articles, with a link to the page.
    pub(crate) title: String,
    /// The article's own page: an absolute URL, checked when its entry was
    /// made (kept as text, which is all the catalog and the build index
    /// need).
    pub(crate) url: String,
    pub(crate) published: DateTime<FixedOffset>,
    pub(crate) published_date_only: bool,
    pub(crate) updated: Option<DateTime<FixedOffset>>,
    pub(crate) categories: Vec<String>,
}

impl Head {
    /// An article for unit tests: `id` and `slug`, published `day` days
    /// after 2022-01-01 at `offset` (`+08:00`, `Z`), in `categories`.
    #[cfg(test)]
    pub(crate) fn for_tests(
        id: &str,
        slug: &str,
        offset: &str,
        day: u64,
        categories: &[&str],
    ) -> Head {
        let published = DateTime::parse_from_rfc3339(&format!("2022-01-01T00:00:00{offset}"))
            .expect("a date")
            + chrono::Days::new(day);
        Head {
            id: id.into(),
            slug: slug.into(),
            title: "Title".into(),
            url: "https://example.org/a.html".into(),
            published,
            published_date_only: false,
            updated: None,
            categories: categories.iter().map(|c| (*c).to_string()).collect(),
        }
    }

    pub(crate) fn of(entry: &Entry) -> Head {
        Head {
            id: entry.id.clone(),
            slug: entry.slug.clone(),
            title: entry.title.clone(),
            url: entry.url.to_string(),
            published: entry.published,
            published_date_only: entry.published_date_only,
            updated: entry.updated,
            categories: entry.categories.clone(),
        }
    }
}
