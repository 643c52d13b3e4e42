//! The deploy record: an object on the store, written after each deploy,
//! that says which objects make-feed put there, with the hash of what it
//! uploaded and the store's `ETag` for that upload.
//!
//! It is trusted only as far as the store vouches for it: an object counts
//! as current when the store still gives it the `ETag` the record holds
//! (any rewrite, by anyone, changes it) and the record's hash is the hash
//! of the local file. So nothing can drift: a record out of date costs an
//! upload, never a missed one. Deletions are limited to what it lists.

use std::collections::BTreeMap;

/// The record's name on the store, below the prefix.
pub(crate) const RECORD: &str = ".make-feed-deploy";

/// The first line, so that a format change is seen rather than misread.
const HEADER: &str = "make-feed deploy record 1";

/// What make-feed knows of one object it uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Uploaded {
    /// [`hash`] of the bytes uploaded.
    pub(crate) hash: String,
    /// The store's `ETag` for the object just after the deploy.
    pub(crate) e_tag: String,
}

/// Every object a deploy put on the store, by path below the prefix.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) objects: BTreeMap<String, Uploaded>,
}

impl Record {
    /// The record in `text`; a line it cannot read is left out (that
    /// object is uploaded again and never deleted), as is all of a record
    /// of another format.
    pub(crate) fn parse(text: &str) -> Record {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Record::default();
        }
        let objects = lines
            .filter_map(|line| {
                let mut fields = line.splitn(3, '\t');
                let (hash, e_tag, path) = (fields.next()?, fields.next()?, fields.next()?);
                let uploaded = Uploaded {
                    hash: hash.to_string(),
                    e_tag: e_tag.to_string(),
                };
                Some((path.to_string(), uploaded))
            })
            .collect();
        Record { objects }
    }

    pub(crate) fn text(&self) -> String {
        let mut text = format!("{HEADER}\n");
        for (path, Uploaded { hash, e_tag }) in &self.objects {
            text.push_str(&format!("{hash}\t{e_tag}\t{path}\n"));
        }
        text
    }
}

/// The content hash the record keeps: XXH3-128 of the bytes, in hex.
pub(crate) fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_what_it_wrote() {
        let mut record = Record::default();
        for (path, e_tag) in [("rss.xml", "\"a1\""), ("categories/承德/a b.html", "x")] {
            let uploaded = Uploaded {
                hash: hash(path.as_bytes()),
                e_tag: e_tag.into(),
            };
            record.objects.insert(path.into(), uploaded);
        }
        assert_eq!(Record::parse(&record.text()), record);
    }

    #[test]
    fn a_record_of_another_format_lists_nothing() {
        assert_eq!(
            Record::parse("something else\nh\te\trss.xml\n"),
            Record::default()
        );
        assert_eq!(Record::parse(""), Record::default());
    }
}
