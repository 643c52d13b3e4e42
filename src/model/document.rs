//! One feed document to render.

use chrono::{DateTime, FixedOffset};

use super::{Channel, Entry, Place};

/// The main feed, an archive page or a category's feed, with its entries
/// newest first.
#[derive(Debug, Clone)]
pub(crate) struct Document<'a> {
    pub(crate) channel: &'a Channel,
    pub(crate) title: String,
    pub(crate) place: Place,
    pub(crate) entries: Vec<&'a Entry>,
    pub(crate) history: History,
}

/// The `updated` of a feed with no entries (a site whose last article was
/// removed): fixed, because make-feed never reads the clock, and after 1990,
/// because validators call earlier dates implausible. Readers order entries
/// by their own dates, never by this.
pub(crate) const EMPTY_UPDATED: &str = "2000-01-01T00:00:00Z";

impl Document<'_> {
    /// When the document last changed: its newest entry's `updated` (or
    /// `published`). Never the clock, so rebuilding gives identical bytes.
    /// A document with no entry has no such date, yet Atom requires one:
    /// it gets [`EMPTY_UPDATED`].
    pub(crate) fn updated(&self) -> DateTime<FixedOffset> {
        self.newest().unwrap_or_else(|| {
            DateTime::parse_from_rfc3339(EMPTY_UPDATED).expect("a constant date")
        })
    }

    /// Its newest entry's `updated` (or `published`), if it has entries.
    pub(crate) fn newest(&self) -> Option<DateTime<FixedOffset>> {
        self.entries.iter().map(|entry| entry.updated()).max()
    }
}

/// A document's place in an RFC 5005 archive chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct History {
    /// An archive document (`fh:archive`).
    pub(crate) archive: bool,
    pub(crate) prev_archive: Option<Place>,
    pub(crate) next_archive: Option<Place>,
    pub(crate) current: Option<Place>,
}

impl History {
    /// The links, as `(rel, place)`, in a fixed order.
    pub(crate) fn links(&self) -> impl Iterator<Item = (&'static str, &Place)> {
        [
            ("current", self.current.as_ref()),
            ("prev-archive", self.prev_archive.as_ref()),
            ("next-archive", self.next_archive.as_ref()),
        ]
        .into_iter()
        .filter_map(|(rel, place)| place.map(|place| (rel, place)))
    }
}
