//! What kind of output a file is, which decides when a deploy uploads it
//! and how the store serves it.

use crate::model::Format;

/// The kinds of output, in the order a deploy uploads them: each kind links
/// only to kinds before it (or to itself), so a reader who fetches any file
/// mid-deploy finds everything it links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    /// `style.css`, images and files articles link to.
    Asset,
    /// An article's page (`articles/….html`).
    Page,
    /// A list of articles: `archive/index.html`, `categories/…/page-2.html`.
    ListPage,
    /// An RFC 5005 archive document (`archive/rss-3.xml`).
    ArchiveFeed,
    /// The main and category feeds (`rss.xml`, `categories/…/atom.xml`).
    Feed,
    /// `index.html`, the site's front door.
    Index,
}

impl Kind {
    /// The kind of the output at `path` (below the output folder).
    pub(crate) fn of(path: &str) -> Kind {
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        match Format::of_file_name(name) {
            Some(_) if folder == "archive" => Kind::ArchiveFeed,
            Some(_) if folder.is_empty() || folder.starts_with("categories/") => Kind::Feed,
            _ if path == "index.html" => Kind::Index,
            _ if name.ends_with(".html")
                && (folder == "archive" || folder.starts_with("categories/")) =>
            {
                Kind::ListPage
            }
            _ if path.starts_with("articles/") && name.ends_with(".html") => Kind::Page,
            _ => Kind::Asset,
        }
    }

    /// What people call it in the plan: `asset`, `page`, ….
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Asset => "asset",
            Kind::Page => "page",
            Kind::ListPage => "list",
            Kind::ArchiveFeed => "archive",
            Kind::Feed => "feed",
            Kind::Index => "index",
        }
    }

    /// `Cache-Control` on the store: feeds and the front pages briefly, so
    /// that readers and a CDN see news within minutes; archive documents
    /// and pages for a day (they change only when edited); assets, which
    /// keep their names when edited but seldom are, for a week.
    pub(crate) fn cache_control(self) -> &'static str {
        match self {
            Kind::Feed | Kind::Index | Kind::ListPage => "public, max-age=300",
            Kind::ArchiveFeed | Kind::Page => "public, max-age=86400",
            Kind::Asset => "public, max-age=604800",
        }
    }
}

/// The `Content-Type` a store should send `path` with: feeds with their
/// own media types, text with `charset=utf-8`.
pub(crate) fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let media_type = match Format::of_file_name(name) {
        Some(format) => format.media_type().to_string(),
        None => mime_guess::from_path(name)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    };
    let is_text = media_type.starts_with("text/")
        || media_type.ends_with("+xml")
        || media_type.ends_with("+json")
        || matches!(
            media_type.as_str(),
            "application/json" | "application/xml" | "application/javascript"
        );
    if is_text {
        format!("{media_type}; charset=utf-8")
    } else {
        media_type
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_has_its_kind() {
        assert_eq!(Kind::of("style.css"), Kind::Asset);
        assert_eq!(Kind::of("articles/images/a.jpg"), Kind::Asset);
        assert_eq!(Kind::of("articles/2024/a.html"), Kind::Page);
        assert_eq!(Kind::of("archive/index.html"), Kind::ListPage);
        assert_eq!(Kind::of("categories/承德/index.html"), Kind::ListPage);
        assert_eq!(Kind::of("archive/page-2.html"), Kind::ListPage);
        assert_eq!(Kind::of("archive/atom-3.xml"), Kind::ArchiveFeed);
        assert_eq!(Kind::of("rss.xml"), Kind::Feed);
        assert_eq!(Kind::of("categories/承德/feed.json"), Kind::Feed);
        assert_eq!(Kind::of("index.html"), Kind::Index);
        // An article's own data file named like a feed is an asset.
        assert_eq!(Kind::of("articles/rss.xml"), Kind::Asset);
    }

    #[test]
    fn kinds_are_uploaded_assets_first_and_the_index_last() {
        let mut kinds = [
            Kind::Index,
            Kind::Feed,
            Kind::Page,
            Kind::Asset,
            Kind::ArchiveFeed,
            Kind::ListPage,
        ];
        kinds.sort();
        assert_eq!(
            kinds,
            [
                Kind::Asset,
                Kind::Page,
                Kind::ListPage,
                Kind::ArchiveFeed,
                Kind::Feed,
                Kind::Index
            ]
        );
    }

    #[test]
    fn text_is_utf_8_and_feeds_have_their_types() {
        assert_eq!(
            content_type("rss.xml"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("archive/atom-2.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("feed.json"),
            "application/feed+json; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a/b.jpg"), "image/jpeg");
    }
}
