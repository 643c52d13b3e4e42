//! The build index: what the last build read from each article file, and
//! which key each output it can keep was made with, by the files' `stat`,
//! so that a rebuild with nothing changed reads neither the articles nor
//! the outputs again, as make, ninja and git's index decide from a `stat`.
//!
//! It is a cache and never an authority: a missing, damaged or foreign
//! index (another make-feed, another channel, another data folder) is
//! ignored and the build reads everything, as a first build does. A source
//! is taken from the index only while its size, modification and change
//! times (nanoseconds), inode and device are those recorded; and only if it
//! was last modified before the build that read it began, which the index
//! records as the modification time of the file it created when it began
//! (git's "racy" rule: an edit in the same clock tick as the reading could
//! otherwise keep every field of the `stat`). An output is taken only
//! while the previous manifest lists it, its `stat` is the one recorded,
//! and the key the build computes now is the one recorded. An output
//! renamed into place gets its change time only then, so it is recorded as
//! [pending](Stamp::pending): taken while every other field agrees and it
//! changed last before the index was written. It stays pending while that
//! index stays, and is recorded in full, with the stamp the file has then,
//! once an index is written again.
//! The file is written beside the manifest, under the output folder's
//! lock, once the outputs are published; it is not an output (no manifest
//! line, never deployed, not byte-for-byte deterministic).
//!
//! Format: a magic line, the header (its key, the build's start, the
//! present the build was given), records (a tag byte, then
//! length-prefixed fields), an end tag, and an xxh3 checksum of all of it.

use std::borrow::Cow;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, FixedOffset, TimeZone};
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::fingerprint::Key;
use super::locked;
use crate::model::{Head, Recorded, Stamp};

/// The index's name in the output folder.
pub(crate) const INDEX: &str = ".make-feed-index";

const MAGIC: &[u8] = b"make-feed index 1\n";

/// The largest index a build reads or writes: a few hundred bytes an
/// article, so a whole site of some 200,000 articles, or the feeds of some
/// 450,000. A larger site rebuilds by reading its articles, in bounded
/// memory.
const MAX_INDEX_BYTES: u64 = 128 << 20;
const SOURCE: u8 = 1;
const OUTPUT: u8 = 2;
const END: u8 = 0;
/// A stamp's size in a record: size, two times, inode, device.
const STAMP_BYTES: usize = 40;

/// What the index recorded of an article: the first reading's result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SourceRecord {
    pub(crate) fingerprint: u64,
    pub(crate) head: Head,
    /// A digest of the site paths its body links to, if known.
    pub(crate) links: Option<u64>,
    pub(crate) recorded: Recorded,
}

/// What a build records of an article, borrowed from wherever it keeps it.
#[derive(Debug, Clone)]
pub(crate) struct SourceView<'a> {
    pub(crate) fingerprint: u64,
    pub(crate) id: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) published: DateTime<FixedOffset>,
    pub(crate) published_date_only: bool,
    pub(crate) updated: Option<DateTime<FixedOffset>>,
    pub(crate) categories: Vec<&'a str>,
    pub(crate) links: Option<u64>,
}

/// What the index recorded of an output: the key it was made with, and
/// the site paths a page links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputRecord {
    pub(crate) key: Key,
    pub(crate) stamp: Stamp,
    pub(crate) links: Vec<String>,
    /// The last index's record of the output, if this is the same (or the
    /// same but for its pending stamp, which `stamp` settles).
    pub(crate) recorded: Option<Recorded>,
}

/// The index the last build left, if it can be used by this one.
#[derive(Default)]
pub(crate) struct Index {
    bytes: Vec<u8>,
    /// When the build that wrote it began.
    began: i64,
    /// When it was written: after every output of its build was renamed
    /// into place.
    written: i64,
    /// Each record's offset in `bytes`, by a hash of its path.
    sources: FxHashMap<u64, usize>,
    outputs: FxHashMap<u64, usize>,
    /// How many records it holds.
    records: usize,
}

/// Where an index's records are, by a hash of their paths.
struct Records {
    /// When the build that wrote them began.
    began: i64,
    sources: FxHashMap<u64, usize>,
    outputs: FxHashMap<u64, usize>,
    count: usize,
}

/// What must be the same for an index to be used: make-feed, the channel,
/// the templates, where the articles are (its `key`), and the present a
/// generator's rules compare dates with (`now`, which may only move on).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    pub(crate) key: Key,
    pub(crate) now: Option<DateTime<FixedOffset>>,
    /// Whether the present decides anything (a generator that holds back
    /// posts dated in the future).
    pub(crate) now_matters: bool,
}

impl Index {
    /// The index in `out_dir`, or an empty one when there is none this
    /// build may use.
    pub(crate) fn load(out_dir: &Path, header: &Header) -> Index {
        let path = out_dir.join(INDEX);
        let Ok(meta) = fs::symlink_metadata(&path) else {
            return Index::default();
        };
        if !meta.is_file() || meta.len() > MAX_INDEX_BYTES {
            return Index::default();
        }
        let bytes = fs::read(&path).unwrap_or_default();
        Index::parse(bytes, header, Stamp::of(&meta).modified).unwrap_or_default()
    }

    fn parse(bytes: Vec<u8>, header: &Header, written: i64) -> Option<Index> {
        let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        // Checked while the records are found (what a damaged file gives is
        // thrown away).
        let (intact, index) = rayon::join(
            || xxh3_64(body).to_le_bytes() == sum,
            || Index::records(body, header),
        );
        let Records {
            began,
            sources,
            outputs,
            count,
        } = index.filter(|_| intact)?;
        Some(Index {
            bytes,
            began,
            written,
            sources,
            outputs,
            records: count,
        })
    }

    /// Where each record is in `body` (the file but its checksum), if it is
    /// an index `header` may use.
    fn records(body: &[u8], header: &Header) -> Option<Records> {
        let mut at = Reader::new(body.strip_prefix(MAGIC)?, MAGIC.len());
        if at.u64()? != header.key.0 {
            return None;
        }
        let began = at.i64()?;
        let then = at.date()?;
        if header.now_matters {
            // A post shown then could be in the future of an earlier present.
            let moved_on = match (then, header.now) {
                (None, None) => true,
                (Some(then), Some(now)) => now >= then,
                _ => false,
            };
            if !moved_on {
                return None;
            }
        }
        let mut sources = FxHashMap::default();
        let mut outputs = FxHashMap::default();
        let mut count = 0;
        loop {
            let start = at.offset();
            let tag = at.u8()?;
            if tag == END {
                break;
            }
            let path = at.bytes()?;
            let table = match tag {
                SOURCE => &mut sources,
                OUTPUT => &mut outputs,
                _ => return None,
            };
            table.insert(xxh3_64(path), start);
            at.skip_record(tag)?;
            count += 1;
        }
        Some(Records {
            began,
            sources,
            outputs,
            count,
        })
    }

    /// Whether it records no article.
    pub(crate) fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Whether an output recorded with `recorded` is still the same file,
    /// now that its stamp is `now` ([`Stamp::still`]).
    pub(crate) fn still(&self, recorded: &Stamp, now: &Stamp) -> bool {
        recorded.still(now, self.written)
    }

    /// What the last build read from the article at `path` (below the
    /// articles folder), if the file is as it was then.
    pub(crate) fn source(&self, path: &str, stamp: &Stamp) -> Option<SourceRecord> {
        if stamp.racy(self.began) {
            return None;
        }
        let mut at = self.record(&self.sources, path)?;
        let recorded = Recorded(at.start);
        (at.stamp()? == *stamp).then_some(())?;
        let fingerprint = at.u64()?;
        let head = Head {
            id: at.str()?.to_string(),
            slug: at.str()?.to_string(),
            title: at.str()?.to_string(),
            url: at.str()?.to_string(),
            published: at.date()??,
            published_date_only: at.u8()? == 1,
            updated: at.date()?,
            categories: (0..at.u32()?)
                .map(|_| at.str().map(str::to_string))
                .collect::<Option<_>>()?,
        };
        let links = match at.u8()? {
            1 => Some(at.u64()?),
            _ => None,
        };
        Some(SourceRecord {
            fingerprint,
            head,
            links,
            recorded,
        })
    }

    /// What the last build recorded of the output at `path`.
    pub(crate) fn output(&self, path: &str) -> Option<OutputRecord> {
        let mut at = self.record(&self.outputs, path)?;
        let recorded = Some(Recorded(at.start));
        Some(OutputRecord {
            stamp: at.stamp()?,
            key: Key(at.u64()?),
            links: (0..at.u32()?)
                .map(|_| at.str().map(str::to_string))
                .collect::<Option<_>>()?,
            recorded,
        })
    }

    /// The bytes of the record at `recorded`.
    fn raw(&self, recorded: Recorded) -> Option<&[u8]> {
        let start = recorded.0;
        let mut at = Reader::new(self.bytes.get(start..)?, start);
        let tag = at.u8()?;
        at.bytes()?;
        at.skip_record(tag)?;
        Some(&self.bytes[start..at.offset()])
    }

    /// The stamp of the output record at `recorded`.
    fn stamp_at(&self, recorded: Recorded) -> Option<Stamp> {
        let mut at = Reader::new(self.bytes.get(recorded.0..)?, recorded.0);
        at.u8()?;
        at.bytes()?;
        at.stamp()
    }

    /// The bytes of the record at `recorded` as the next index carries
    /// it: as they are, or with its stamp `settled`.
    fn carried(&self, recorded: Recorded, settled: Option<&Stamp>) -> Option<Cow<'_, [u8]>> {
        let raw = self.raw(recorded)?;
        let Some(stamp) = settled else {
            return Some(Cow::Borrowed(raw));
        };
        let mut at = Reader::new(raw, 0);
        at.u8()?;
        at.bytes()?;
        let (before, after) = raw.split_at(at.offset());
        let mut bytes = before.to_vec();
        put_stamp(&mut bytes, stamp);
        bytes.extend_from_slice(after.get(STAMP_BYTES..)?);
        Some(Cow::Owned(bytes))
    }

    /// A reader after the path of the record at `path`.
    fn record(&self, table: &FxHashMap<u64, usize>, path: &str) -> Option<Reader<'_>> {
        let start = *table.get(&xxh3_64(path.as_bytes()))?;
        let mut at = Reader::new(&self.bytes[start..], start);
        at.u8()?;
        (at.bytes()? == path.as_bytes()).then_some(at)
    }
}

/// The index this build writes, record by record as it goes (so that
/// memory does not grow with it), into a temporary file created when the
/// build began; published only if the build is. A record the last index
/// holds as it is only notes where; if every record is such a one, and
/// every one of the last index's is, the last index stays as it is (it
/// says the same), and a rebuild with nothing changed writes nothing.
pub(crate) struct NextIndex<'l> {
    file: Option<Mutex<Writer>>,
    /// Records not yet written, a buffer per thread of the build, so that
    /// threads seldom wait for each other.
    shards: Vec<Mutex<Vec<u8>>>,
    began: i64,
    last: &'l Index,
    /// The last index's records that this one holds too, each with the
    /// stamp to write it with if it was recorded pending (see
    /// [`NextIndex::add_output`]).
    carried: Mutex<Vec<(Recorded, Option<Stamp>)>>,
    /// Whether any record is new.
    fresh: AtomicBool,
}

/// How many bytes of records a shard holds before it is written out.
const SHARD_BYTES: usize = 1 << 16;

struct Writer {
    out: BufWriter<tempfile::NamedTempFile>,
    sum: Xxh3,
    written: u64,
    /// Once set, nothing more is written and the index is not published.
    failed: bool,
}

impl Writer {
    fn write(&mut self, bytes: &[u8]) {
        if self.failed {
            return;
        }
        self.sum.update(bytes);
        self.written += bytes.len() as u64;
        self.failed = self.written > MAX_INDEX_BYTES || self.out.write_all(bytes).is_err();
    }
}

impl<'l> NextIndex<'l> {
    /// Begins the index in `out_dir` (a temporary file named with
    /// `temp_prefix`, which a killed build's successor removes), after
    /// `last`, the one the last build left. Its creation time is the
    /// build's start; a file modified since is not recorded. If it cannot
    /// be created, nothing is recorded.
    pub(crate) fn begin(
        out_dir: &Path,
        temp_prefix: &str,
        header: &Header,
        last: &'l Index,
    ) -> NextIndex<'l> {
        let temp = tempfile::Builder::new()
            .prefix(temp_prefix)
            .tempfile_in(out_dir);
        let Ok(temp) = temp else {
            return NextIndex::none(last);
        };
        let Ok(meta) = temp.as_file().metadata() else {
            return NextIndex::none(last);
        };
        let began = Stamp::of(&meta).modified;
        let mut writer = Writer {
            out: BufWriter::new(temp),
            sum: Xxh3::new(),
            written: 0,
            failed: false,
        };
        let mut bytes = MAGIC.to_vec();
        put_u64(&mut bytes, header.key.0);
        put_u64(&mut bytes, began as u64);
        put_date(&mut bytes, header.now.as_ref());
        writer.write(&bytes);
        NextIndex {
            file: Some(Mutex::new(writer)),
            shards: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
            began,
            last,
            carried: Mutex::default(),
            fresh: AtomicBool::new(false),
        }
    }

    /// An index that records nothing.
    pub(crate) fn none(last: &'l Index) -> NextIndex<'l> {
        NextIndex {
            file: None,
            shards: Vec::new(),
            began: i64::MIN,
            last,
            carried: Mutex::default(),
            fresh: AtomicBool::new(false),
        }
    }

    /// Records what reading the article at `path` (with `stamp`) gave,
    /// unless it may have changed while it was read.
    ///
    /// `recorded` is where the last index holds the same record, if it
    /// does; `view` is called only when the record is encoded.
    pub(crate) fn add_source<'v>(
        &self,
        path: &str,
        stamp: &Stamp,
        recorded: Option<Recorded>,
        view: impl FnOnce() -> SourceView<'v>,
    ) {
        if stamp.racy(self.began) {
            return;
        }
        self.add(path, recorded, None, |bytes| {
            encode_source(bytes, path, stamp, &view());
        });
    }

    /// Records that the output at `path` was made with `record.key`.
    ///
    /// A record the last index holds with a pending stamp (the file was
    /// renamed into place after the record was made) is carried as it is:
    /// while that index stays, the next build checks the file against the
    /// same pending stamp and the same time, as this one did. If this index
    /// is written, the record takes the stamp the file has now.
    pub(crate) fn add_output(&self, path: &str, record: &OutputRecord) {
        let settled = record
            .recorded
            .filter(|&at| {
                self.last
                    .stamp_at(at)
                    .is_some_and(|stamp| stamp.is_pending())
            })
            .map(|_| record.stamp);
        self.add(path, record.recorded, settled, |bytes| {
            encode_output(bytes, path, record);
        });
    }

    /// Records what `encode` gives for `path`, or, if the last index holds
    /// the same at `recorded` (but for a pending stamp, `settled` now),
    /// takes that record as it is (not encoded, but in a debug build, to
    /// check that it is the same).
    fn add(
        &self,
        path: &str,
        recorded: Option<Recorded>,
        settled: Option<Stamp>,
        encode: impl FnOnce(&mut Vec<u8>),
    ) {
        let Some(file) = &self.file else { return };
        let mut bytes = Vec::new();
        if let Some(recorded) = recorded {
            if cfg!(debug_assertions) {
                encode(&mut bytes);
                assert_eq!(
                    Some(&bytes[..]),
                    self.last.carried(recorded, settled.as_ref()).as_deref(),
                    "{path}"
                );
            }
            locked(&self.carried).push((recorded, settled));
            return;
        }
        encode(&mut bytes);
        self.fresh.store(true, Ordering::Relaxed);
        let shard = rayon::current_thread_index().map_or(0, |index| index + 1);
        let mut buffer = locked(&self.shards[shard % self.shards.len()]);
        buffer.extend_from_slice(&bytes);
        if buffer.len() >= SHARD_BYTES {
            locked(file).write(&buffer);
            buffer.clear();
        }
    }

    /// Ends the index and puts it in place of the last one; a failure to
    /// write it leaves the last one, which is never wrong, only older. If
    /// it would say what the last one says, the last one stays.
    pub(crate) fn publish(self, out_dir: &Path) {
        let Some(file) = self.file else { return };
        let carried = self
            .carried
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !self.fresh.into_inner() && carried.len() == self.last.records {
            return;
        }
        let mut writer = file
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (recorded, settled) in carried {
            if let Some(bytes) = self.last.carried(recorded, settled.as_ref()) {
                writer.write(&bytes);
            }
        }
        for shard in self.shards {
            writer.write(
                &shard
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
        }
        writer.write(&[END]);
        let sum = writer.sum.digest().to_le_bytes();
        if writer.failed || writer.out.write_all(&sum).is_err() {
            return;
        }
        let Ok(temp) = writer.out.into_inner() else {
            return;
        };
        let _ = temp.persist(out_dir.join(INDEX));
    }
}

/// Appends the record of the article at `path`, read with `stamp`.
fn encode_source(bytes: &mut Vec<u8>, path: &str, stamp: &Stamp, record: &SourceView<'_>) {
    bytes.push(SOURCE);
    put_str(bytes, path);
    put_stamp(bytes, stamp);
    put_u64(bytes, record.fingerprint);
    for text in [record.id, record.slug, record.title, record.url] {
        put_str(bytes, text);
    }
    put_date(bytes, Some(&record.published));
    bytes.push(u8::from(record.published_date_only));
    put_date(bytes, record.updated.as_ref());
    put_u32(bytes, record.categories.len());
    for category in &record.categories {
        put_str(bytes, category);
    }
    match record.links {
        Some(links) => {
            bytes.push(1);
            put_u64(bytes, links);
        }
        None => bytes.push(0),
    }
}

/// Appends the record of the output at `path`.
fn encode_output(bytes: &mut Vec<u8>, path: &str, record: &OutputRecord) {
    bytes.push(OUTPUT);
    put_str(bytes, path);
    put_stamp(bytes, &record.stamp);
    put_u64(bytes, record.key.0);
    put_u32(bytes, record.links.len());
    for link in &record.links {
        put_str(bytes, link);
    }
}

fn put_u64(bytes: &mut Vec<u8>, value: u64) {
    bytes.extend_from_slice(&value.to_le_bytes());
}

fn put_u32(bytes: &mut Vec<u8>, value: usize) {
    let value = u32::try_from(value).unwrap_or(u32::MAX);
    bytes.extend_from_slice(&value.to_le_bytes());
}

/// A text of at most 4 GiB (an article file is at most 32 MiB).
fn put_str(bytes: &mut Vec<u8>, text: &str) {
    put_u32(bytes, text.len());
    bytes.extend_from_slice(text.as_bytes());
}

fn put_stamp(bytes: &mut Vec<u8>, stamp: &Stamp) {
    put_u64(bytes, stamp.size);
    put_u64(bytes, stamp.modified as u64);
    put_u64(bytes, stamp.changed as u64);
    put_u64(bytes, stamp.inode);
    put_u64(bytes, stamp.device);
}

/// A date as its instant (seconds, nanoseconds) and its offset.
fn put_date(bytes: &mut Vec<u8>, date: Option<&DateTime<FixedOffset>>) {
    match date {
        None => bytes.push(0),
        Some(date) => {
            bytes.push(1);
            put_u64(bytes, date.timestamp() as u64);
            put_u64(bytes, u64::from(date.timestamp_subsec_nanos()));
            put_u64(bytes, i64::from(date.offset().local_minus_utc()) as u64);
        }
    }
}

/// Reads a record's fields, checking every length against what is left.
struct Reader<'b> {
    bytes: &'b [u8],
    /// Where `bytes` starts in the whole file.
    start: usize,
    at: usize,
}

impl<'b> Reader<'b> {
    fn new(bytes: &'b [u8], start: usize) -> Reader<'b> {
        Reader {
            bytes,
            start,
            at: 0,
        }
    }

    fn offset(&self) -> usize {
        self.start + self.at
    }

    fn take(&mut self, len: usize) -> Option<&'b [u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(taken)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn i64(&mut self) -> Option<i64> {
        self.u64().map(|v| v as i64)
    }

    fn u32(&mut self) -> Option<usize> {
        let value = u32::from_le_bytes(self.take(4)?.try_into().ok()?);
        usize::try_from(value).ok()
    }

    fn bytes(&mut self) -> Option<&'b [u8]> {
        let len = self.u32()?;
        self.take(len)
    }

    fn str(&mut self) -> Option<&'b str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    fn stamp(&mut self) -> Option<Stamp> {
        Some(Stamp {
            size: self.u64()?,
            modified: self.i64()?,
            changed: self.i64()?,
            inode: self.u64()?,
            device: self.u64()?,
        })
    }

    /// `None` if the bytes are not a date record; `Some(None)` for "no date".
    fn date(&mut self) -> Option<Option<DateTime<FixedOffset>>> {
        if self.u8()? == 0 {
            return Some(None);
        }
        let (seconds, nanos, offset) = (self.i64()?, self.u64()?, self.i64()?);
        let offset = FixedOffset::east_opt(i32::try_from(offset).ok()?)?;
        let date = offset
            .timestamp_opt(seconds, u32::try_from(nanos).ok()?)
            .single()?;
        Some(Some(date))
    }

    /// Skips the rest of a record of kind `tag`, after its path.
    fn skip_record(&mut self, tag: u8) -> Option<()> {
        self.stamp()?;
        match tag {
            SOURCE => {
                self.u64()?;
                for _ in 0..4 {
                    self.bytes()?;
                }
                self.date()??;
                self.u8()?;
                self.date()?;
                for _ in 0..self.u32()? {
                    self.bytes()?;
                }
                if self.u8()? == 1 {
                    self.u64()?;
                }
            }
            _ => {
                self.u64()?;
                for _ in 0..self.u32()? {
                    self.bytes()?;
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(now: Option<&str>) -> Header {
        Header {
            key: Key(42),
            now: now.map(|now| DateTime::parse_from_rfc3339(now).unwrap()),
            now_matters: true,
        }
    }

    fn view() -> SourceView<'static> {
        SourceView {
            fingerprint: 7,
            id: "tag:example.org,2022-06-01:a",
            slug: "a",
            title: "承德",
            url: "https://example.org/articles/a.html",
            published: DateTime::parse_from_rfc3339("2022-06-01T17:52:50+08:00").unwrap(),
            published_date_only: false,
            updated: None,
            categories: vec!["地方频道", "党员"],
            links: Some(9),
        }
    }

    fn record() -> SourceRecord {
        let view = view();
        SourceRecord {
            fingerprint: 7,
            head: Head {
                id: view.id.into(),
                slug: view.slug.into(),
                title: view.title.into(),
                url: view.url.into(),
                published: view.published,
                published_date_only: false,
                updated: None,
                categories: vec!["地方频道".into(), "党员".into()],
            },
            links: Some(9),
            recorded: Recorded(0),
        }
    }

    /// What `index` gives of `a.md`, wherever it holds it.
    fn source_of(index: &Index, stamp: &Stamp) -> Option<SourceRecord> {
        let record = index.source("a.md", stamp)?;
        Some(SourceRecord {
            recorded: Recorded(0),
            ..record
        })
    }

    /// A stamp made long before any build of the test.
    fn old_stamp(size: u64) -> Stamp {
        Stamp {
            size,
            modified: 1_000_000_000,
            changed: 1_000_000_000,
            inode: 5,
            device: 1,
        }
    }

    fn output() -> OutputRecord {
        OutputRecord {
            key: Key(3),
            stamp: old_stamp(20),
            links: vec!["articles/images/a b.jpg".into()],
            recorded: None,
        }
    }

    fn write(out: &Path, header: &Header) {
        let none = Index::default();
        let next = NextIndex::begin(out, ".make-feed-tmp-x-", header, &none);
        next.add_source("a.md", &old_stamp(10), None, view);
        next.add_output("articles/a.html", &output());
        next.publish(out);
    }

    #[test]
    fn an_index_gives_back_what_was_recorded_while_the_files_are_the_same() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &header(None));
        let index = Index::load(dir.path(), &header(None));
        assert_eq!(source_of(&index, &old_stamp(10)), Some(record()));
        assert_eq!(index.source("a.md", &old_stamp(11)), None, "another size");
        assert_eq!(index.source("b.md", &old_stamp(10)), None);
        let output = index.output("articles/a.html").unwrap();
        assert_eq!(
            (output.key, output.stamp, output.links),
            (
                Key(3),
                old_stamp(20),
                vec!["articles/images/a b.jpg".to_string()]
            )
        );
    }

    #[test]
    fn a_file_modified_after_the_build_began_is_never_taken_from_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let none = Index::default();
        let next = NextIndex::begin(dir.path(), ".make-feed-tmp-x-", &header(None), &none);
        let racy = Stamp {
            modified: next.began,
            ..old_stamp(10)
        };
        next.add_source("a.md", &racy, None, view);
        next.publish(dir.path());
        let index = Index::load(dir.path(), &header(None));
        assert!(index.sources.is_empty(), "a racy file is not recorded");
        assert_eq!(index.source("a.md", &racy), None);
    }

    #[test]
    fn an_index_that_would_say_the_same_is_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(INDEX);
        write(dir.path(), &header(None));
        let written = fs::read(&path).unwrap();
        // Every record carried over: the file is left as it is.
        let rebuild = |fresh: Option<&str>, carry_output: bool| {
            let last = Index::load(dir.path(), &header(None));
            let next = NextIndex::begin(dir.path(), ".make-feed-tmp-y-", &header(None), &last);
            let source = last.source("a.md", &old_stamp(10)).unwrap();
            next.add_source("a.md", &old_stamp(10), Some(source.recorded), view);
            if carry_output {
                next.add_output("articles/a.html", &last.output("articles/a.html").unwrap());
            }
            if let Some(path) = fresh {
                next.add_output(path, &output());
            }
            next.publish(dir.path());
            Index::load(dir.path(), &header(None))
        };
        let index = rebuild(None, true);
        assert_eq!(fs::read(&path).unwrap(), written, "not written again");
        assert_eq!(source_of(&index, &old_stamp(10)), Some(record()));

        // A new record: the carried ones are written with it.
        let index = rebuild(Some("articles/b.html"), true);
        assert_ne!(fs::read(&path).unwrap(), written);
        assert_eq!(source_of(&index, &old_stamp(10)), Some(record()));
        assert_eq!(index.output("articles/a.html").unwrap().key, Key(3));
        assert_eq!(index.output("articles/b.html").unwrap().key, Key(3));

        // A record the build no longer makes: written without it.
        let index = rebuild(None, false);
        assert_eq!(source_of(&index, &old_stamp(10)), Some(record()));
        assert!(index.output("articles/a.html").is_none());
        assert!(index.output("articles/b.html").is_none());
    }

    #[test]
    fn a_pending_record_stays_pending_while_the_index_stays_and_settles_when_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(INDEX);
        let none = Index::default();
        let first = NextIndex::begin(dir.path(), ".make-feed-tmp-x-", &header(None), &none);
        let renamed = old_stamp(20);
        let pending = OutputRecord {
            stamp: Stamp {
                changed: Stamp::PENDING,
                ..renamed
            },
            ..output()
        };
        first.add_output("articles/a.html", &pending);
        first.publish(dir.path());
        let written = fs::read(&path).unwrap();
        // What a build keeps: the record carried, with the stamp the file has.
        let rebuild = |fresh: Option<&str>| {
            let last = Index::load(dir.path(), &header(None));
            let recorded = last.output("articles/a.html").unwrap();
            assert!(
                recorded.stamp.is_pending(),
                "the first index is still there"
            );
            let next = NextIndex::begin(dir.path(), ".make-feed-tmp-y-", &header(None), &last);
            let kept = OutputRecord {
                stamp: renamed,
                ..recorded
            };
            next.add_output("articles/a.html", &kept);
            if let Some(path) = fresh {
                next.add_output(path, &output());
            }
            next.publish(dir.path());
            Index::load(dir.path(), &header(None))
        };

        let index = rebuild(None);
        assert_eq!(fs::read(&path).unwrap(), written, "not written again");
        assert!(index.output("articles/a.html").unwrap().stamp.is_pending());

        let index = rebuild(Some("articles/b.html"));
        let settled = index.output("articles/a.html").unwrap();
        assert_eq!(
            (settled.stamp, settled.key, settled.links),
            (renamed, Key(3), output().links)
        );
        assert_eq!(index.output("articles/b.html").unwrap().key, Key(3));
    }

    #[test]
    fn a_damaged_or_foreign_index_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &header(Some("2024-01-01T00:00:00Z")));
        let usable = |header: &Header| {
            Index::load(dir.path(), header)
                .source("a.md", &old_stamp(10))
                .is_some()
        };
        assert!(usable(&header(Some("2024-01-01T00:00:00Z"))));
        assert!(usable(&header(Some("2025-01-01T00:00:00Z"))));
        assert!(!usable(&header(Some("2023-01-01T00:00:00Z"))), "the past");
        assert!(!usable(&header(None)));
        let other = Header {
            key: Key(43),
            ..header(Some("2024-01-01T00:00:00Z"))
        };
        assert!(!usable(&other), "another key");

        let path = dir.path().join(INDEX);
        let mut bytes = fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert!(!usable(&header(Some("2024-01-01T00:00:00Z"))), "damaged");
        fs::write(&path, &bytes[..middle]).unwrap();
        assert!(!usable(&header(Some("2024-01-01T00:00:00Z"))), "cut short");
    }
}
