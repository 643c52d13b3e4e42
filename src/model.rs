//! The domain model: the [`Channel`] and [`Entry`]s read from `feed-data/`,
//! and the [`Document`]s every output format is rendered from.
//!
//! Everything here is already checked and normalised by the reader: URLs are
//! absolute, dates carry the offset they were published in, text holds no
//! character XML forbids, HTML is sanitised, and documents list entries newest
//! first. Renderers can
//! therefore format without re-validating.

use chrono::{DateTime, FixedOffset};
use url::Url;

/// Where a feed document lives: `<dir><format><suffix>.xml` below the
/// output folder, e.g. `rss.xml`, `archive/atom-3.xml`,
/// `categories/rust/rss.xml`. One place holds one document per format.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub dir: String,
    pub suffix: String,
}

impl Place {
    /// The main feeds.
    pub fn main() -> Place {
        Place {
            dir: String::new(),
            suffix: String::new(),
        }
    }

    /// Archive page `number`, counting from 1 for the oldest.
    pub fn archive(number: usize) -> Place {
        Place {
            dir: "archive/".to_string(),
            suffix: format!("-{number}"),
        }
    }

    /// The feeds of the category whose slug is `slug`.
    pub fn category(slug: &str) -> Place {
        Place {
            dir: format!("categories/{slug}/"),
            suffix: String::new(),
        }
    }

    /// The file of this place's document in `format` (`rss`, `atom`).
    pub fn path(&self, format: &str) -> String {
        self.file(format, "xml")
    }

    /// The file of this place's document named `stem` with `extension`.
    pub fn file(&self, stem: &str, extension: &str) -> String {
        format!("{}{stem}{}.{extension}", self.dir, self.suffix)
    }
}

/// One feed document to render: the main feed, an archive page or a
/// category's feed, with its entries newest first.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub channel: &'a Channel,
    pub title: String,
    pub place: Place,
    pub entries: Vec<&'a Entry>,
    /// An RFC 5005 archive document (`fh:archive`).
    pub archive: bool,
    pub prev_archive: Option<Place>,
    pub next_archive: Option<Place>,
    pub current: Option<Place>,
}

impl Document<'_> {
    /// When the document last changed: its newest entry's `updated` (or
    /// `published`). Never the clock, so rebuilding gives identical bytes.
    pub fn updated(&self) -> DateTime<FixedOffset> {
        self.entries
            .iter()
            .map(|entry| entry.updated())
            .max()
            .unwrap_or_default()
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
    /// How many of the newest entries the main and category feeds hold.
    pub limit: usize,
    /// Entries per archive page (RFC 5005) when archives are on.
    pub archive_page_size: Option<usize>,
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

/// A template (or the stylesheet) a site supplies in `feed-data/templates/`,
/// replacing the built-in one of the same name or adding one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteTemplate {
    /// The file name, e.g. `page.html`.
    pub name: String,
    pub text: String,
    /// Where it was read from, for messages.
    pub path: std::path::PathBuf,
}
