//! What templates see: plain, serialisable views of the channel, its feeds
//! and its articles, with every link a page needs, relative and absolute.

use chrono::{DateTime, FixedOffset};
use minijinja::Value;
use serde::Serialize;

use crate::model::{category_slug, relative_href, Channel, Entry, Format, Listing, Place};

/// Builds views for the pages of one channel.
pub(super) struct Views<'c> {
    pub(super) channel: &'c Channel,
}

/// The feeds of one category.
#[derive(Debug, Clone, Serialize)]
pub(super) struct CategoryView {
    name: String,
    slug: String,
    /// The category's page, relative.
    href: String,
    pub(super) feeds: Vec<FeedLink>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct FeedLink {
    /// e.g. "河北共产党员网 · 承德频道 (RSS)"
    title: String,
    /// Short name of the format: "RSS", "Atom", "JSON Feed".
    label: &'static str,
    /// The media type, for `<link type>`.
    r#type: &'static str,
    /// Absolute, for autodiscovery.
    url: String,
    /// Relative to the page, for visible links.
    href: String,
}

#[derive(Debug, Serialize)]
pub(super) struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: Option<&'a str>,
    url: &'a str,
    rights: Option<&'a str>,
    author: Option<&'a str>,
    /// The main feeds in every format.
    pub(super) feeds: Vec<FeedLink>,
    /// The site's archive (every article), relative.
    archive: String,
}

/// A link to another page, with the text to show.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LinkView {
    pub(super) title: String,
    /// Relative to the page.
    pub(super) href: String,
}

/// An article as a list shows it.
#[derive(Debug, Serialize)]
pub(super) struct ListedView {
    title: String,
    href: String,
    published: DateView,
}

/// The articles of one month on a list page.
#[derive(Debug, Serialize)]
pub(super) struct MonthView {
    /// `2024-05`.
    month: String,
    entries: Vec<ListedView>,
}

#[derive(Debug, Serialize)]
struct DateView {
    /// RFC 3339 with the offset it was published in.
    iso: String,
    /// `YYYY-MM-DD HH:MM UTC+08:00` in the site's zone (or else the
    /// entry's own), or `YYYY-MM-DD` for a date given alone.
    display: String,
}

#[derive(Debug, Serialize)]
struct SourceView<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub(super) struct ArticleView<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    href: String,
    published: DateView,
    updated: Option<DateView>,
    authors: &'a [String],
    editor: Option<&'a str>,
    source: Option<SourceView<'a>>,
    pub(super) categories: Vec<CategoryView>,
    summary: &'a str,
    body: Value,
}

impl Views<'_> {
    pub(super) fn site_view(&self, root: &str) -> SiteView<'_> {
        let channel = self.channel;
        SiteView {
            title: &channel.title,
            description: &channel.description,
            language: channel.language.as_deref(),
            url: channel.base_url.as_str(),
            rights: channel.rights.as_deref(),
            author: channel.author.as_ref().map(|a| a.name.as_str()),
            feeds: self.feed_links(&Place::Main, &channel.title, root),
            archive: format!("{root}{}", relative_href(&Listing::Archive.path(1, 1))),
        }
    }

    pub(super) fn category_view(&self, name: &str, slug: &str, root: &str) -> CategoryView {
        let title = self.channel.category_title(name);
        let page = Listing::Category(slug.to_string()).path(1, 1);
        CategoryView {
            name: name.to_string(),
            slug: slug.to_string(),
            href: format!("{root}{}", relative_href(&page)),
            feeds: self.feed_links(&Place::Category(slug.to_string()), &title, root),
        }
    }

    pub(super) fn feed_links(&self, place: &Place, title: &str, root: &str) -> Vec<FeedLink> {
        Format::ALL
            .into_iter()
            .map(|format| {
                let path = place.path(format);
                FeedLink {
                    title: format!("{title} ({})", format.label()),
                    label: format.label(),
                    r#type: format.media_type(),
                    url: self.channel.url_text_of(&path),
                    href: format!("{root}{}", relative_href(&path)),
                }
            })
            .collect()
    }

    pub(super) fn article_view<'e>(&self, entry: &'e Entry, root: &str) -> ArticleView<'e> {
        let site_path = self.site_path(entry.url.as_str());
        ArticleView {
            id: &entry.id,
            title: &entry.title,
            url: entry.url.as_str(),
            href: format!("{root}{site_path}"),
            published: self.date_view(&entry.published, entry.published_date_only),
            updated: entry
                .updated
                .filter(|updated| *updated != entry.published)
                .map(|updated| self.date_view(&updated, false)),
            authors: &entry.authors,
            editor: entry.editor.as_deref(),
            source: entry.source.as_ref().map(|source| SourceView {
                name: &source.name,
                url: source.url.as_ref().map(url::Url::as_str),
            }),
            categories: entry
                .categories
                .iter()
                .map(|name| self.category_view(name, &category_slug(name), root))
                .collect(),
            summary: &entry.summary,
            body: Value::from_safe_string(entry.body_html.clone()),
        }
    }

    /// Articles (newest first) grouped by the month, in the site's zone,
    /// they were published in.
    pub(super) fn months<'a>(
        &self,
        articles: impl Iterator<Item = (&'a str, &'a str, DateTime<FixedOffset>, bool)>,
        root: &str,
    ) -> Vec<MonthView> {
        let mut months: Vec<MonthView> = Vec::new();
        for (title, url, published, date_only) in articles {
            let month = match self.channel.timezone {
                Some(zone) => published.with_timezone(&zone).format("%Y-%m").to_string(),
                None => published.format("%Y-%m").to_string(),
            };
            let listed = ListedView {
                title: title.to_string(),
                href: format!("{root}{}", self.site_path(url)),
                published: self.date_view(&published, date_only),
            };
            match months.last_mut() {
                Some(last) if last.month == month => last.entries.push(listed),
                _ => months.push(MonthView {
                    month,
                    entries: vec![listed],
                }),
            }
        }
        months
    }

    /// `url`'s path below the site, for a relative link.
    pub(super) fn site_path<'u>(&self, url: &'u str) -> &'u str {
        url.strip_prefix(self.channel.base_url.as_str())
            .unwrap_or(url)
    }

    fn date_view(&self, date: &DateTime<FixedOffset>, date_only: bool) -> DateView {
        // A time shows its offset, so no reader has to guess the zone.
        let format = if date_only {
            "%Y-%m-%d"
        } else {
            "%Y-%m-%d %H:%M UTC%:z"
        };
        let display = match self.channel.timezone {
            Some(zone) => date.with_timezone(&zone).format(format).to_string(),
            None => date.format(format).to_string(),
        };
        DateView {
            iso: date.to_rfc3339(),
            display,
        }
    }
}
