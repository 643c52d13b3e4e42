//! Where a feed document lives, and the formats each is written in.

/// One feed document's place in the output folder. A place holds one
/// document per [`Format`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Place {
    /// The site's feeds: `rss.xml`, `atom.xml`, `feed.json`.
    Main,
    /// The feeds of the category with this folder name:
    /// `categories/<slug>/rss.xml`, ….
    Category(String),
    /// RFC 5005 archive page `n`, counting from 1 for the oldest:
    /// `archive/rss-<n>.xml`, `archive/atom-<n>.xml`.
    Archive(usize),
}

impl Place {
    /// The path below the output folder of this place's document in `format`.
    pub(crate) fn path(&self, format: Format) -> String {
        let (stem, extension) = (format.stem(), format.extension());
        match self {
            Place::Main => format!("{stem}.{extension}"),
            Place::Category(slug) => format!("categories/{slug}/{stem}.{extension}"),
            Place::Archive(number) => format!("archive/{stem}-{number}.{extension}"),
        }
    }
}

/// A feed format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Format {
    Rss,
    Atom,
    JsonFeed,
}

impl Format {
    /// Every format, in the order pages list them.
    pub(crate) const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::JsonFeed];

    /// The file name without its extension: `rss`, `atom`, `feed`.
    pub(crate) fn stem(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::JsonFeed => "feed",
        }
    }

    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Rss | Format::Atom => "xml",
            Format::JsonFeed => "json",
        }
    }

    /// The short name shown to people: `RSS`, `Atom`, `JSON Feed`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Format::Rss => "RSS",
            Format::Atom => "Atom",
            Format::JsonFeed => "JSON Feed",
        }
    }

    pub(crate) fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::JsonFeed => "application/feed+json",
        }
    }

    /// RFC 5005 archives are defined for RSS and Atom, not JSON Feed.
    pub(crate) fn has_archives(self) -> bool {
        self != Format::JsonFeed
    }

    /// The format of a file name that [`Place::path`] can give (`rss.xml`,
    /// `atom-3.xml`, `feed.json`), if it is one.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn of_file_name(name: &str) -> Option<Format> {
        let (stem, extension) = name.rsplit_once('.')?;
        Format::ALL.into_iter().find(|format| {
            let archive_number = stem
                .strip_prefix(format.stem())
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            extension.eq_ignore_ascii_case(format.extension())
                && (stem == format.stem() || (format.has_archives() && archive_number))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_name_their_files() {
        assert_eq!(Place::Main.path(Format::Rss), "rss.xml");
        assert_eq!(Place::Main.path(Format::JsonFeed), "feed.json");
        assert_eq!(
            Place::Category("承德".into()).path(Format::Atom),
            "categories/承德/atom.xml"
        );
        assert_eq!(Place::Archive(3).path(Format::Rss), "archive/rss-3.xml");
    }

    #[test]
    fn file_names_give_back_their_format() {
        for format in Format::ALL {
            assert_eq!(
                Format::of_file_name(&Place::Main.path(format)),
                Some(format)
            );
        }
        assert_eq!(Format::of_file_name("atom-12.xml"), Some(Format::Atom));
        assert_eq!(Format::of_file_name("rss-x.xml"), None);
        assert_eq!(Format::of_file_name("feed-1.json"), None);
        assert_eq!(Format::of_file_name("sitemap.xml"), None);
    }
}
