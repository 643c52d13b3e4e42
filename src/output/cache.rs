//! The cache: which outputs of the last build are still current, so that a
//! build keeps them instead of rendering them again.
//!
//! An article's page and an RFC 5005 archive feed document end with a
//! [trailer](super::trailer) that records a [`Key`]: a fingerprint of
//! everything the output was made from ([`fingerprint`](super::fingerprint)).
//! A build computes the key it would write and keeps the file when the two
//! agree; since the code is part of every key, no change to rendering can
//! keep an old page.

use super::fingerprint::{Hasher, Key};
use super::stager::Stager;
use super::trailer::{self, Kind};
use crate::model::{relative_href, Channel, Format, History, Neighbours, Place};
use crate::render::{Output, Templates};
use crate::Result;

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
    /// `fingerprint`, between `neighbours`: kept if it is current.
    pub(crate) fn page(&self, path: &str, fingerprint: u64, neighbours: &Neighbours) -> PageLookup {
        let key = self
            .page_inputs
            .clone()
            .add(&fingerprint)
            .add(neighbours)
            .key();
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
    use crate::model::relative_href;

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
