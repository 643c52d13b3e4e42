//! The cache: which outputs of the last build are still current, so that a
//! build keeps them instead of rendering them again.
//!
//! An article's page and an RFC 5005 archive feed document end with a
//! [trailer](super::trailer) that records a [`Key`]: a fingerprint of
//! everything the output was made from ([`fingerprint`](super::fingerprint)).
//! A build computes the key it would write and keeps the file when the two
//! agree; since the code is part of every key, no change to rendering can
//! keep an old page. The build [index](super::index) records the same keys
//! with each output's `stat`, so that while the file is as that build left
//! it, a rebuild need not even read its trailer; list pages, which have no
//! trailer, are kept through the index alone.

use super::fingerprint::{Hasher, Key};
use super::index::{Index, OutputRecord};
use super::stager::Stager;
use super::trailer::{self, Kind};
use crate::model::{relative_href, Channel, Format, History, Place, Stamp};
use crate::plan::{Article, ListingPage, Planned};
use crate::render::{Output, Templates};
use crate::Result;

/// Decides, for each page and archive feed, whether the one in the output
/// folder is current, and marks what it renders so the next build can tell.
pub(crate) struct Cache<'s> {
    stager: &'s Stager,
    /// What the last build recorded of its outputs.
    index: &'s Index,
    /// Everything besides its article that goes into a page.
    page_inputs: Hasher,
    /// Everything besides its entries that goes into an archive feed.
    feed_inputs: Hasher,
    /// Everything besides its articles that goes into a list page.
    list_inputs: Hasher,
}

/// An output that has to be rendered: the key to record, and what the
/// output folder holds at its path now.
#[derive(Debug)]
pub(crate) struct Stale {
    key: Key,
    previous: Previous,
}

impl Stale {
    /// The key the output is rendered for.
    pub(crate) fn key(&self) -> Key {
        self.key
    }
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
    /// Current, and kept: its key and stamp, and the site paths its body
    /// links to.
    Kept(OutputRecord),
    Stale(Stale),
}

impl<'s> Cache<'s> {
    pub(crate) fn new(
        stager: &'s Stager,
        index: &'s Index,
        channel: &Channel,
        templates: &Templates,
    ) -> Cache<'s> {
        let mut page_inputs = Hasher::new(Kind::Page);
        page_inputs.add(channel).add(templates);
        let mut feed_inputs = Hasher::new(Kind::ArchiveFeed);
        feed_inputs.add(channel);
        let mut list_inputs = Hasher::new(Kind::List);
        list_inputs.add(channel).add(templates);
        Cache {
            stager,
            index,
            page_inputs: page_inputs.sealed(),
            feed_inputs: feed_inputs.sealed(),
            list_inputs: list_inputs.sealed(),
        }
    }

    /// The key of the build index: what must be the same for any of its
    /// records to hold (make-feed, the channel, the templates, and
    /// `places`: where the articles are read from).
    pub(crate) fn index_key(channel: &Channel, templates: &Templates, places: &[&str]) -> Key {
        let mut hasher = Hasher::new(Kind::Index);
        hasher.add(channel).add(templates);
        for place in places {
            hasher.add(*place);
        }
        hasher.key()
    }

    /// The index's record of the output at `path` (a page or a list page),
    /// if it was made with `key` and is as the last build left it: then it
    /// is kept.
    pub(crate) fn current(&self, path: &str, key: Key) -> Option<OutputRecord> {
        let record = self.index.output(path).filter(|record| record.key == key)?;
        let now = self.stager.existing(path)?;
        self.index.still(&record.stamp, &now).then(|| {
            self.stager.keep(path);
            // The last index's record is carried: as it is, or (a pending
            // one) with the stamp the file has now.
            OutputRecord {
                stamp: now,
                ..record
            }
        })
    }

    /// What a list page shows of `article`, digested: a list page's key
    /// takes this for each of its articles.
    pub(crate) fn listed(article: &Article) -> u64 {
        let mut inputs = Hasher::new(Kind::List);
        inputs
            .add(&*article.title)
            .add(&*article.url)
            .add(&article.published)
            .add(&article.published_date_only);
        inputs.key().0
    }

    /// The key of the list `page` of articles, which [`Cache::listed`]
    /// digests as `listed` (by their index in the catalog), and which
    /// links to the archive feeds numbered `archive_feeds`: everything it
    /// shows.
    pub(crate) fn list_key(
        &self,
        page: &ListingPage,
        listed: &[u64],
        archive_feeds: &[usize],
    ) -> Key {
        let mut inputs = self.list_inputs.clone();
        inputs
            .add(&page.path())
            .add(&page.older())
            .add(&page.newer())
            .add(&page.name)
            .add(&page.number)
            .add(&page.count)
            .add(archive_feeds);
        for &index in &page.entries {
            inputs.add(&listed[index]);
        }
        inputs.key()
    }

    /// The key of the feed file at `path` of the document `planned`, whose
    /// entries' articles (in `articles`) are in the order it shows them,
    /// with links between posts resolved through the posts that `posts`
    /// digests: everything it shows.
    pub(crate) fn feed_key(
        &self,
        path: &str,
        planned: &Planned,
        articles: &[Article],
        posts: u64,
    ) -> Key {
        let mut inputs = self.feed_inputs.clone();
        inputs
            .add(path)
            .add(&planned.place)
            .add(&planned.title)
            .add(&planned.history)
            .add(&posts);
        for &index in &planned.entries {
            inputs.add(&articles[index].fingerprint);
        }
        inputs.key()
    }

    /// The page at `path` of the article whose text and place have
    /// `fingerprint`, between `neighbours` (the older and the newer
    /// article's title and URL, as `Neighbours` holds them): kept if it
    /// is current.
    pub(crate) fn page(
        &self,
        path: &str,
        fingerprint: u64,
        neighbours: [Option<(&str, &str)>; 2],
    ) -> PageLookup {
        let key = self
            .page_inputs
            .clone()
            .add(&fingerprint)
            .add(&neighbours[0])
            .add(&neighbours[1])
            .key();
        if let Some(record) = self.current(path, key) {
            return PageLookup::Kept(record);
        }
        let previous = self
            .stager
            .tail(path)
            .map(|tail| (read_page_trailer(&tail.bytes, tail.file_len), tail.stamp));
        let previous = match previous {
            None => Previous::Missing,
            Some((Some((old, links)), stamp)) if old == key => {
                self.stager.keep(path);
                return PageLookup::Kept(OutputRecord {
                    key,
                    stamp,
                    links,
                    recorded: None,
                });
            }
            Some((Some((old, _)), _)) if old != Key::NEVER_KEPT => Previous::Other,
            Some(_) => Previous::Unknown,
        };
        PageLookup::Stale(Stale { key, previous })
    }

    /// Stages a rendered page, its trailer recording `links` (the site
    /// paths its body refers to), and gives its stamp. A page
    /// `rendered_every_time` (one whose body drew warnings, so that every
    /// build repeats them) is never kept.
    pub(crate) fn stage_page(
        &self,
        stale: Stale,
        mut page: Output,
        links: &[String],
        rendered_every_time: bool,
    ) -> Result<Stamp> {
        let key = if rendered_every_time {
            Key::NEVER_KEPT
        } else {
            stale.key
        };
        let words: Vec<String> = links.iter().map(|link| relative_href(link)).collect();
        trailer::append(&mut page.bytes, Kind::Page, key.0, &words);
        match stale.previous {
            Previous::Missing | Previous::Other => self.stager.add_new(page),
            Previous::Unknown => self.stager.add_stamped(page),
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
    use std::fs;

    use super::*;
    use crate::model::relative_href;

    const PAGE: &str = "articles/a.html";
    static NO_INDEX: std::sync::LazyLock<Index> = std::sync::LazyLock::new(Index::default);

    fn open(out: &std::path::Path) -> Stager {
        Stager::open(out, &|_| panic!("no other build")).unwrap()
    }

    fn staged(stager: &Stager) -> Vec<String> {
        let mut paths =
            stager.with_staged(|paths| paths.iter().map(|p| (*p).to_string()).collect::<Vec<_>>());
        paths.sort();
        paths
    }

    fn page_output() -> Output {
        Output {
            path: PAGE.into(),
            bytes: b"<p>a</p>\n".to_vec(),
        }
    }

    fn previous(lookup: PageLookup) -> Previous {
        match lookup {
            PageLookup::Stale(stale) => stale.previous,
            PageLookup::Kept(kept) => panic!("kept, with {:?}", kept.links),
        }
    }

    #[test]
    fn a_page_is_kept_only_while_its_key_is_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let (channel, templates) = (Channel::for_tests(), Templates::new(&[]));

        let stager = open(&out);
        let cache = Cache::new(&stager, &NO_INDEX, &channel, &templates);
        let PageLookup::Stale(stale) = cache.page(PAGE, 7, [None, None]) else {
            panic!("kept from nothing");
        };
        assert_eq!(stale.previous, Previous::Missing);
        let links = ["articles/a b.png".to_string()];
        cache
            .stage_page(stale, page_output(), &links, false)
            .unwrap();
        stager.commit().unwrap();

        let stager = open(&out);
        let cache = Cache::new(&stager, &NO_INDEX, &channel, &templates);
        match cache.page(PAGE, 7, [None, None]) {
            PageLookup::Kept(kept) => assert_eq!(kept.links, links),
            PageLookup::Stale(stale) => panic!("not kept: {stale:?}"),
        }
        assert_eq!(staged(&stager), [PAGE], "a kept page is kept in place");
        // Another text, channel or template: the page is made again.
        assert_eq!(previous(cache.page(PAGE, 8, [None, None])), Previous::Other);
        let renamed = Channel {
            title: "u".into(),
            ..Channel::for_tests()
        };
        let other = Cache::new(&stager, &NO_INDEX, &renamed, &templates);
        assert_eq!(previous(other.page(PAGE, 7, [None, None])), Previous::Other);
        let own = crate::model::SiteTemplate {
            name: "page.html".into(),
            text: "{{ article.title }}".into(),
            path: "page.html".into(),
        };
        let templated = Templates::new(&[own]);
        let other = Cache::new(&stager, &NO_INDEX, &channel, &templated);
        assert_eq!(previous(other.page(PAGE, 7, [None, None])), Previous::Other);
        drop(stager);

        // A page rendered every time is never kept, and its bytes are
        // compared instead.
        let stager = open(&out);
        let cache = Cache::new(&stager, &NO_INDEX, &channel, &templates);
        let PageLookup::Stale(stale) = cache.page(PAGE, 9, [None, None]) else {
            panic!("kept");
        };
        cache.stage_page(stale, page_output(), &[], true).unwrap();
        assert_eq!(stager.commit().unwrap().written, [PAGE]);
        let stager = open(&out);
        let cache = Cache::new(&stager, &NO_INDEX, &channel, &templates);
        let PageLookup::Stale(stale) = cache.page(PAGE, 9, [None, None]) else {
            panic!("a page rendered every time was kept");
        };
        assert_eq!(stale.previous, Previous::Unknown);
        cache.stage_page(stale, page_output(), &[], true).unwrap();
        let published = stager.commit().unwrap();
        assert_eq!((published.written.len(), published.unchanged.len()), (0, 1));

        fs::write(out.join(PAGE), "<p>no trailer</p>\n").unwrap();
        let stager = open(&out);
        let cache = Cache::new(&stager, &NO_INDEX, &channel, &templates);
        assert_eq!(
            previous(cache.page(PAGE, 9, [None, None])),
            Previous::Unknown
        );
    }

    #[test]
    fn an_archive_page_is_kept_only_while_its_entries_place_and_links_are_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let (channel, templates) = (Channel::for_tests(), Templates::new(&[]));
        let place = Place::Archive(1);
        let history = History {
            archive: true,
            next_archive: Some(Place::Archive(2)),
            ..History::default()
        };

        let stager = open(&out);
        let cache = Cache::new(&stager, &NO_INDEX, &channel, &templates);
        let keys = cache.archive(&place, &history, [1, 2].into_iter()).unwrap();
        assert_eq!(
            keys.iter().map(|(format, _)| *format).collect::<Vec<_>>(),
            [Format::Rss, Format::Atom]
        );
        assert_ne!(keys[0].1, keys[1].1);
        for (format, key) in keys {
            let mut output = Output {
                path: place.path(format),
                bytes: b"<feed/>\n".to_vec(),
            };
            Cache::mark_archive(&mut output, key);
            stager.add_new(output).unwrap();
        }
        stager.commit().unwrap();

        let stager = open(&out);
        let cache = Cache::new(&stager, &NO_INDEX, &channel, &templates);
        assert_eq!(cache.archive(&place, &history, [1, 2].into_iter()), None);
        assert_eq!(staged(&stager), ["archive/atom-1.xml", "archive/rss-1.xml"]);
        assert!(cache
            .archive(&place, &history, [1, 3].into_iter())
            .is_some());
        assert!(cache.archive(&place, &history, [1].into_iter()).is_some());
        let moved = History {
            next_archive: Some(Place::Main),
            ..history.clone()
        };
        assert!(cache.archive(&place, &moved, [1, 2].into_iter()).is_some());
        let renamed = Channel {
            title: "u".into(),
            ..Channel::for_tests()
        };
        let other = Cache::new(&stager, &NO_INDEX, &renamed, &templates);
        assert!(other
            .archive(&place, &history, [1, 2].into_iter())
            .is_some());
        drop(stager);

        // One of its files damaged: the page is made again.
        let atom = out.join("archive/atom-1.xml");
        let text = fs::read_to_string(&atom).unwrap();
        fs::write(&atom, format!(" {text}")).unwrap();
        let stager = open(&out);
        let cache = Cache::new(&stager, &NO_INDEX, &channel, &templates);
        assert!(cache
            .archive(&place, &history, [1, 2].into_iter())
            .is_some());
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
