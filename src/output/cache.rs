//! The cache: which outputs of the last build are still current, so that a
//! build keeps them instead of rendering them again.
//!
//! An article's page and an RFC 5005 archive feed document end with a
//! [trailer](super::trailer) that records a [`Key`]: a fingerprint of
//! everything the output was made from. A build computes the key it would
//! write and keeps the file when the two agree. What goes into a key is
//! typed ([`Fingerprint`]): the channel is taken apart field by field, so a
//! new field that is not fingerprinted is a compile error, and the code
//! itself is in every key as [`RENDER_VERSION`], a hash of make-feed's
//! sources and locked dependencies made when it is compiled (`build.rs`),
//! so no change to rendering can keep an old page.

use xxhash_rust::xxh3::Xxh3;

use super::stager::Stager;
use super::trailer::{self, Kind};
use crate::model::{relative_href, Channel, Format, History, Person, Place};
use crate::render::{Output, Templates};
use crate::Result;

// `pub(crate) const RENDER_VERSION: u64`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/render_version.rs"));

/// A fingerprint of what an output is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(u64);

impl Key {
    /// The key of an output rendered again by every build: no build
    /// computes it.
    const NEVER_KEPT: Key = Key(0);
}

/// Something that goes into a [`Key`].
pub(crate) trait Fingerprint {
    fn fingerprint(&self, hasher: &mut Hasher);
}

/// Feeds [`Fingerprint`]s into xxh3, which is specified, so keys are the
/// same on every platform for the same make-feed.
#[derive(Clone)]
pub(crate) struct Hasher(Xxh3);

impl Hasher {
    fn new(kind: Kind) -> Hasher {
        let mut hasher = Hasher(Xxh3::new());
        RENDER_VERSION.fingerprint(&mut hasher);
        kind.word().fingerprint(&mut hasher);
        hasher
    }

    fn add(&mut self, part: &(impl Fingerprint + ?Sized)) -> &mut Hasher {
        part.fingerprint(self);
        self
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn key(&self) -> Key {
        Key(self.0.digest().max(Key::NEVER_KEPT.0 + 1))
    }
}

impl Fingerprint for str {
    fn fingerprint(&self, hasher: &mut Hasher) {
        hasher.bytes(self.as_bytes());
    }
}

impl Fingerprint for String {
    fn fingerprint(&self, hasher: &mut Hasher) {
        self.as_str().fingerprint(hasher);
    }
}

impl Fingerprint for u64 {
    fn fingerprint(&self, hasher: &mut Hasher) {
        hasher.0.update(&self.to_le_bytes());
    }
}

impl Fingerprint for usize {
    fn fingerprint(&self, hasher: &mut Hasher) {
        (*self as u64).fingerprint(hasher);
    }
}

impl Fingerprint for bool {
    fn fingerprint(&self, hasher: &mut Hasher) {
        u64::from(*self).fingerprint(hasher);
    }
}

impl<T: Fingerprint> Fingerprint for Option<T> {
    fn fingerprint(&self, hasher: &mut Hasher) {
        self.is_some().fingerprint(hasher);
        if let Some(value) = self {
            value.fingerprint(hasher);
        }
    }
}

impl Fingerprint for url::Url {
    fn fingerprint(&self, hasher: &mut Hasher) {
        self.as_str().fingerprint(hasher);
    }
}

impl Fingerprint for chrono_tz::Tz {
    fn fingerprint(&self, hasher: &mut Hasher) {
        self.name().fingerprint(hasher);
    }
}

impl Fingerprint for Person {
    fn fingerprint(&self, hasher: &mut Hasher) {
        let Person { name, email, uri } = self;
        hasher.add(name).add(email).add(uri);
    }
}

/// The channel as pages and archive entries show it.
impl Fingerprint for Channel {
    fn fingerprint(&self, hasher: &mut Hasher) {
        let Channel {
            title,
            description,
            base_url,
            language,
            timezone,
            author,
            rights,
            icon,
            logo,
            id_authority,
            feed_id,
            // How many entries feeds hold and how archives are paged never
            // show in a page or an archive entry (which entries an archive
            // page holds is fingerprinted apart), so changing them must not
            // rewrite every page.
            limit: _,
            archive_page_size: _,
        } = self;
        hasher
            .add(title)
            .add(description)
            .add(base_url)
            .add(language)
            .add(timezone)
            .add(author)
            .add(rights)
            .add(icon)
            .add(logo)
            .add(id_authority)
            .add(feed_id);
    }
}

/// The templates pages are made from (not the stylesheet, a file of its own).
impl Fingerprint for Templates {
    fn fingerprint(&self, hasher: &mut Hasher) {
        for (name, text) in self.page_sources() {
            hasher.add(name).add(text);
        }
    }
}

impl Fingerprint for Place {
    fn fingerprint(&self, hasher: &mut Hasher) {
        match self {
            Place::Main => hasher.add("main"),
            Place::Category(slug) => hasher.add("category").add(slug),
            Place::Archive(number) => hasher.add("archive").add(number),
        };
    }
}

impl Fingerprint for History {
    fn fingerprint(&self, hasher: &mut Hasher) {
        let History {
            archive,
            prev_archive,
            next_archive,
            current,
        } = self;
        hasher
            .add(archive)
            .add(prev_archive)
            .add(next_archive)
            .add(current);
    }
}

/// Decides, for each page and archive feed, whether the one in the output
/// folder is current, and marks what it renders so the next build can tell.
pub(crate) struct Cache<'s> {
    stager: &'s Stager,
    /// Everything besides its article that goes into a page.
    page_inputs: Hasher,
    /// Everything besides its entries that goes into an archive feed.
    feed_inputs: Hasher,
}

/// An output that has to be rendered: the key to record, and what the
/// output folder holds at its path now.
#[derive(Debug)]
pub(crate) struct Stale {
    key: Key,
    previous: Previous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Previous {
    /// No file.
    Missing,
    /// A file made from other inputs: its bytes differ.
    Other,
    /// A file with no readable trailer, or one rendered every time: its
    /// bytes may be the same.
    Unknown,
}

/// What the cache says of one page.
#[derive(Debug)]
pub(crate) enum PageLookup {
    /// Current, and kept: the site paths its body links to.
    Kept(Vec<String>),
    Stale(Stale),
}

impl<'s> Cache<'s> {
    pub(crate) fn new(stager: &'s Stager, channel: &Channel, templates: &Templates) -> Cache<'s> {
        let mut page_inputs = Hasher::new(Kind::Page);
        page_inputs.add(channel).add(templates);
        let mut feed_inputs = Hasher::new(Kind::ArchiveFeed);
        feed_inputs.add(channel);
        Cache {
            stager,
            page_inputs,
            feed_inputs,
        }
    }

    /// The page at `path` of the article whose text and place have
    /// `fingerprint`: kept if it is current.
    pub(crate) fn page(&self, path: &str, fingerprint: u64) -> PageLookup {
        let key = self.page_inputs.clone().add(&fingerprint).key();
        let previous = self
            .stager
            .tail(path)
            .map(|tail| read_page_trailer(&tail.bytes, tail.file_len));
        let previous = match previous {
            None => Previous::Missing,
            Some(Some((old, links))) if old == key => {
                self.stager.keep(path);
                return PageLookup::Kept(links);
            }
            Some(Some((old, _))) if old != Key::NEVER_KEPT => Previous::Other,
            Some(_) => Previous::Unknown,
        };
        PageLookup::Stale(Stale { key, previous })
    }

    /// Stages a rendered page, its trailer recording `links` (the site
    /// paths its body refers to). A page `rendered_every_time` (one whose
    /// body drew warnings, so that every build repeats them) is never kept.
    pub(crate) fn stage_page(
        &self,
        stale: Stale,
        mut page: Output,
        links: &[String],
        rendered_every_time: bool,
    ) -> Result<()> {
        let key = if rendered_every_time {
            Key::NEVER_KEPT
        } else {
            stale.key
        };
        let words: Vec<String> = links.iter().map(|link| relative_href(link)).collect();
        trailer::append(&mut page.bytes, Kind::Page, key.0, &words);
        match stale.previous {
            Previous::Missing | Previous::Other => self.stager.add_new(page),
            Previous::Unknown => self.stager.add(page),
        }
    }

    /// The keys of the files of the archive page at `place`, whose entries'
    /// articles have `fingerprints`; `None` when every file is current, and
    /// then they are kept.
    pub(crate) fn archive(
        &self,
        place: &Place,
        history: &History,
        fingerprints: impl Iterator<Item = u64>,
    ) -> Option<Vec<(Format, Key)>> {
        let mut inputs = self.feed_inputs.clone();
        inputs.add(place).add(history);
        for fingerprint in fingerprints {
            inputs.add(&fingerprint);
        }
        let keys: Vec<(Format, Key)> = Format::ALL
            .into_iter()
            .filter(|format| format.has_archives())
            .map(|format| (format, inputs.clone().add(&place.path(format)).key()))
            .collect();
        let current = keys.iter().all(|(format, key)| {
            let old = self.stager.tail(&place.path(*format)).and_then(|tail| {
                trailer::read(&tail.bytes, tail.file_len, Kind::ArchiveFeed)
                    .map(|(old, _)| Key(old))
            });
            old == Some(*key)
        });
        if current {
            keys.iter()
                .for_each(|(format, _)| self.stager.keep(&place.path(*format)));
            return None;
        }
        Some(keys)
    }

    /// Marks a rendered archive feed with its key.
    pub(crate) fn mark_archive(output: &mut Output, key: Key) {
        trailer::append(&mut output.bytes, Kind::ArchiveFeed, key.0, &[]);
    }
}

/// The key and links of the trailer ending a page of `file_len` bytes.
fn read_page_trailer(tail: &[u8], file_len: u64) -> Option<(Key, Vec<String>)> {
    let (key, words) = trailer::read(tail, file_len, Kind::Page)?;
    let links = words
        .into_iter()
        .map(|word| {
            percent_encoding::percent_decode_str(word)
                .decode_utf8()
                .ok()
                .map(std::borrow::Cow::into_owned)
        })
        .collect::<Option<_>>()?;
    Some((Key(key), links))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel() -> Channel {
        Channel {
            title: "t".into(),
            description: "d".into(),
            base_url: url::Url::parse("https://example.org/").unwrap(),
            language: None,
            timezone: None,
            author: None,
            rights: None,
            icon: None,
            logo: None,
            id_authority: "example.org".into(),
            feed_id: "https://example.org/".into(),
            limit: 20,
            archive_page_size: None,
        }
    }

    fn key(channel: &Channel) -> Key {
        Hasher::new(Kind::Page).add(channel).key()
    }

    #[test]
    fn what_pages_show_changes_the_key_and_what_they_do_not_show_does_not() {
        let base = key(&channel());
        let paged = Channel {
            limit: 50,
            archive_page_size: Some(10),
            ..channel()
        };
        assert_eq!(key(&paged), base);
        let retitled = Channel {
            title: "u".into(),
            ..channel()
        };
        assert_ne!(key(&retitled), base);
        let moved = Channel {
            rights: Some(String::new()),
            ..channel()
        };
        assert_ne!(key(&moved), base, "None and an empty string differ");
    }

    #[test]
    fn a_computed_key_is_never_the_one_of_pages_rendered_every_time() {
        assert_ne!(key(&channel()), Key::NEVER_KEPT);
    }

    #[test]
    fn page_trailers_carry_their_links() {
        let mut bytes = b"<p>x</p>\n".to_vec();
        trailer::append(
            &mut bytes,
            Kind::Page,
            5,
            &[
                relative_href("articles/images/a b.jpg"),
                relative_href("承德/x-->.png"),
            ],
        );
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(text.matches("-->").count(), 1, "{text}");
        assert_eq!(
            read_page_trailer(&bytes, bytes.len() as u64),
            Some((
                Key(5),
                vec!["articles/images/a b.jpg".into(), "承德/x-->.png".into()]
            ))
        );
    }
}
