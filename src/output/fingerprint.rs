//! What goes into a cache [`Key`]: a typed fingerprint of everything a kept
//! output is made from. The channel is taken apart field by field, so a new
//! field that is not fingerprinted is a compile error, and the code itself
//! is in every key as `RENDER_VERSION`, a hash of make-feed's sources and
//! locked dependencies made when it is compiled (`build.rs`).

use xxhash_rust::xxh3::Xxh3;

use super::trailer::Kind;
use crate::model::{Channel, History, Neighbour, Neighbours, Person, Place};
use crate::render::Templates;

// `pub(crate) const RENDER_VERSION: u64`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/render_version.rs"));

/// A fingerprint of what an output is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(pub(super) u64);

impl Key {
    /// The key of an output rendered again by every build: no build
    /// computes it.
    pub(super) const NEVER_KEPT: Key = Key(0);
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
    pub(super) fn new(kind: Kind) -> Hasher {
        let mut hasher = Hasher(Xxh3::new());
        RENDER_VERSION.fingerprint(&mut hasher);
        kind.word().fingerprint(&mut hasher);
        hasher
    }

    pub(super) fn add(&mut self, part: &(impl Fingerprint + ?Sized)) -> &mut Hasher {
        part.fingerprint(self);
        self
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub(super) fn key(&self) -> Key {
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

impl Fingerprint for Neighbour {
    fn fingerprint(&self, hasher: &mut Hasher) {
        let Neighbour { title, url } = self;
        hasher.add(title).add(url);
    }
}

impl Fingerprint for Neighbours {
    fn fingerprint(&self, hasher: &mut Hasher) {
        let Neighbours { older, newer } = self;
        hasher.add(older).add(newer);
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
}
