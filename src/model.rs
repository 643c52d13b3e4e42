//! The domain model: one [`Site`] read from `feed-data/`, from which every
//! output format is rendered.
//!
//! Everything here is already checked and normalised by the reader: URLs are
//! absolute, dates carry the offset they were published in, text holds no
//! character XML forbids, and entries are sorted newest first. Renderers can
//! therefore format without re-validating.

use chrono::{DateTime, FixedOffset};
use url::Url;

/// A whole site: the channel and its entries, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub channel: Channel,
    pub entries: Vec<Entry>,
}

impl Site {
    /// When the feed last changed: the newest `updated` (or `published`) of
    /// any entry. Never the clock, so rebuilding gives identical bytes.
    pub fn updated(&self) -> Option<DateTime<FixedOffset>> {
        self.entries.iter().map(Entry::updated).max()
    }
}

/// The channel, from `feed.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    pub title: String,
    pub description: String,
    /// Where the output folder is served; its path always ends in `/`.
    pub base_url: Url,
    /// A BCP 47 language tag such as `zh-CN`.
    pub language: Option<String>,
    /// The zone of front-matter times written without an offset.
    pub timezone: Option<chrono_tz::Tz>,
    /// The feed-level author: who answers for the channel as a whole.
    pub author: Option<Person>,
    pub rights: Option<String>,
    pub icon: Option<Url>,
    pub logo: Option<Url>,
    /// The authority in generated `tag:` ids (RFC 4151): the base URL's host
    /// unless `feed.toml` pins it, so that a site can move host and keep ids.
    pub id_authority: String,
    /// The feed's permanent id (Atom `id`): `feed.toml`'s `id`, or else the
    /// base URL.
    pub feed_id: String,
}

impl Channel {
    /// The absolute URL of a file in the output folder.
    pub fn url_of(&self, output_path: &str) -> Url {
        self.base_url
            .join(output_path)
            .expect("a relative path joins onto an absolute http(s) URL")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
    pub uri: Option<Url>,
}

/// Where an article was first published, when it is a reprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub url: Option<Url>,
}

/// One article.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The permanent id (a `tag:` URI unless the front matter sets one).
    pub id: String,
    pub slug: String,
    /// The article's own page.
    pub url: Url,
    pub title: String,
    pub published: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub authors: Vec<String>,
    pub editor: Option<String>,
    pub source: Option<Source>,
    pub categories: Vec<String>,
    /// Plain text.
    pub summary: String,
    /// The body as sanitised HTML with absolute URLs.
    pub body_html: String,
    /// The file the entry came from, for messages.
    pub origin: std::path::PathBuf,
}

impl Entry {
    pub fn updated(&self) -> DateTime<FixedOffset> {
        self.updated.unwrap_or(self.published)
    }
}
