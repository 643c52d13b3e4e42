//! What goes into a cache [`Key`]: a typed fingerprint of everything a kept
//! output is made from. The channel is taken apart field by field, so a new
//! field that is not fingerprinted is a compile error, and the code itself
//! is in every key as `RENDER_VERSION`, a hash of make-feed's sources and
//! locked dependencies made when it is compiled (`build.rs`).

use xxhash_rust::xxh3::xxh3_64_with_seed;

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

/// How many bytes a hasher first makes room for: a page's key takes its
/// article's fingerprint and its two neighbours' titles and URLs.
const FIRST_ROOM: usize = 512;

/// Feeds [`Fingerprint`]s into xxh3, which is specified, so keys are the
/// same on every platform for the same make-feed. The parts are gathered
/// and hashed at once: most keys are a few dozen bytes after a common
/// prefix (the channel, the templates), which [`Hasher::sealed`] turns into
/// the seed, so that a clone per output copies no hashing state.
#[derive(Clone)]
pub(crate) struct Hasher {
    /// The key of what was added before the hasher was sealed.
    seed: u64,
    bytes: Vec<u8>,
}

impl Hasher {
    pub(super) fn new(kind: Kind) -> Hasher {
        let mut hasher = Hasher {
            seed: 0,
            bytes: Vec::new(),
        };
        RENDER_VERSION.fingerprint(&mut hasher);
        kind.word().fingerprint(&mut hasher);
        hasher
    }

    pub(super) fn add(&mut self, part: &(impl Fingerprint + ?Sized)) -> &mut Hasher {
        part.fingerprint(self);
        self
    }

    /// A hasher that goes on from what this one holds, from its key.
    pub(super) fn sealed(&self) -> Hasher {
        Hasher {
            seed: self.key().0,
            bytes: Vec::new(),
        }
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.put(&(bytes.len() as u64).to_le_bytes());
        self.put(bytes);
    }

    /// Appends `bytes`. A clone starts with no room (`Vec::clone` keeps
    /// none), so the first part makes room for a page key's parts at once,
    /// not by doubling from eight bytes.
    fn put(&mut self, bytes: &[u8]) {
        if self.bytes.capacity() == 0 {
            self.bytes.reserve(FIRST_ROOM.max(bytes.len()));
        }
        self.bytes.extend_from_slice(bytes);
    }

    pub(super) fn key(&self) -> Key {
        Key(xxh3_64_with_seed(&self.bytes, self.seed).max(Key::NEVER_KEPT.0 + 1))
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
        hasher.put(&self.to_le_bytes());
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

impl<T: Fingerprint> Fingerprint for [T] {
    fn fingerprint(&self, hasher: &mut Hasher) {
        self.len().fingerprint(hasher);
        for item in self {
            item.fingerprint(hasher);
        }
    }
}

/// An instant and the offset it was given in.
impl Fingerprint for chrono::DateTime<chrono::FixedOffset> {
    fn fingerprint(&self, hasher: &mut Hasher) {
        (self.timestamp() as u64).fingerprint(hasher);
        u64::from(self.timestamp_subsec_nanos()).fingerprint(hasher);
        (i64::from(self.offset().local_minus_utc()) as u64).fingerprint(hasher);
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
            dialect,
            hubs,
            // Where the site is deployed shows in no output.
            deploy: _,
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
            .add(feed_id)
            .add(hubs.as_slice())
            // Every rule of a dialect decides URLs or ids; its Debug form
            // names every field, so none can be forgotten here.
            .add(&format!("{dialect:?}"));
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
        (title.as_str(), url.as_str()).fingerprint(hasher);
    }
}

/// A neighbour's title and URL, borrowed: the same key as [`Neighbour`].
impl Fingerprint for (&str, &str) {
    fn fingerprint(&self, hasher: &mut Hasher) {
        hasher.add(self.0).add(self.1);
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
        Channel::for_tests()
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

    fn key_of(part: &(impl Fingerprint + ?Sized)) -> Key {
        Hasher::new(Kind::Page).add(part).key()
    }

    #[test]
    fn every_field_of_the_channel_is_in_the_key() {
        let base = key(&channel());
        let person = |name: &str, email: Option<&str>, uri: Option<&str>| Person {
            name: name.into(),
            email: email.map(Into::into),
            uri: uri.map(|u| url::Url::parse(u).unwrap()),
        };
        let url = |text: &str| url::Url::parse(text).unwrap();
        let changed = [
            Channel {
                description: "e".into(),
                ..channel()
            },
            Channel {
                base_url: url("https://example.net/"),
                ..channel()
            },
            Channel {
                language: Some("en".into()),
                ..channel()
            },
            Channel {
                timezone: Some(chrono_tz::UTC),
                ..channel()
            },
            Channel {
                author: Some(person("a", None, None)),
                ..channel()
            },
            Channel {
                icon: Some(url("https://example.org/i.png")),
                ..channel()
            },
            Channel {
                logo: Some(url("https://example.org/l.png")),
                ..channel()
            },
            Channel {
                id_authority: "example.net".into(),
                ..channel()
            },
            Channel {
                feed_id: "urn:x".into(),
                ..channel()
            },
        ];
        for changed in &changed {
            assert_ne!(key(changed), base, "{changed:?}");
        }
        let zones = [Some(chrono_tz::UTC), Some(chrono_tz::Asia::Shanghai)].map(|timezone| {
            key(&Channel {
                timezone,
                ..channel()
            })
        });
        assert_ne!(zones[0], zones[1]);
        let people = [
            person("a", None, None),
            person("b", None, None),
            person("a", Some("a@example.org"), None),
            person("a", None, Some("https://example.org/a")),
        ]
        .map(|author| {
            key(&Channel {
                author: Some(author),
                ..channel()
            })
        });
        for (i, a) in people.iter().enumerate() {
            for b in &people[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn parts_are_delimited_and_typed() {
        let ab_c = Hasher::new(Kind::Page).add("ab").add("c").key();
        let a_bc = Hasher::new(Kind::Page).add("a").add("bc").key();
        assert_ne!(ab_c, a_bc);
        assert_ne!(key_of(&1u64), key_of(&2u64));
        assert_ne!(key_of(&1usize), key_of(&2usize));
        assert_ne!(key_of(&true), key_of(&false));
        assert_ne!(key_of("x"), key_of(&"y".to_string()));
        assert_eq!(key_of("x"), key_of(&"x".to_string()));
        assert_ne!(key_of(&Some(0u64)), key_of(&None::<u64>));
        assert_ne!(key_of(&Some(0u64)), key_of(&Some(1u64)));
        assert_ne!(
            Hasher::new(Kind::Page).key(),
            Hasher::new(Kind::ArchiveFeed).key()
        );
    }

    #[test]
    fn a_sealed_hasher_keeps_what_came_before() {
        let sealed = |prefix: &str| Hasher::new(Kind::Page).add(prefix).sealed();
        let key = |prefix: &str, rest: &str| sealed(prefix).add(rest).key();
        assert_ne!(key("a", "b"), key("c", "b"), "the prefix is in the key");
        assert_ne!(key("a", "b"), key("a", "c"), "and so is what follows");
        assert_eq!(key("a", "b"), sealed("a").clone().add("b").key());
        assert_eq!(
            sealed("a").key(),
            Hasher::new(Kind::Page).add("a").sealed().key()
        );
    }

    #[test]
    fn places_histories_and_templates_are_in_the_key() {
        let places = [
            Place::Main,
            Place::Category("a".into()),
            Place::Category("b".into()),
            Place::Archive(1),
            Place::Archive(2),
        ]
        .map(|place| key_of(&place));
        for (i, a) in places.iter().enumerate() {
            for b in &places[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let histories = [
            History::default(),
            History {
                archive: true,
                ..History::default()
            },
            History {
                prev_archive: Some(Place::Archive(1)),
                ..History::default()
            },
            History {
                next_archive: Some(Place::Archive(1)),
                ..History::default()
            },
            History {
                current: Some(Place::Main),
                ..History::default()
            },
        ]
        .map(|history| key_of(&history));
        for (i, a) in histories.iter().enumerate() {
            for b in &histories[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let own = crate::model::SiteTemplate {
            name: "page.html".into(),
            text: "{{ article.title }}".into(),
            path: "page.html".into(),
        };
        assert_ne!(
            key_of(&Templates::new(&[])),
            key_of(&Templates::new(&[own]))
        );
    }

    #[test]
    fn a_computed_key_is_never_the_one_of_pages_rendered_every_time() {
        assert_ne!(key(&channel()), Key::NEVER_KEPT);
    }
}
