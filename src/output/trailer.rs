//! The fingerprint line a kept output ends with:
//! `<!-- make-feed KIND KEY LENGTH WORD… -->`.
//!
//! KEY is what the output was made from ([`Key`](super::cache::Key));
//! LENGTH is the output's length before the line, so that a damaged output
//! is never taken for current because its last line is intact; the WORDs
//! are whatever the kind records (a page: the site paths its body links to,
//! percent-encoded so that none can end the comment or split a word). Pages
//! carry one; archive feeds carry one after their root element, where XML
//! allows comments.

const START: &str = "<!-- make-feed ";
const END: &str = " -->\n";

/// Which kind of output a trailer or a [`Key`](super::Key) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Page,
    ArchiveFeed,
    /// A page listing articles (keyed in the index, with no trailer).
    List,
    /// The build index's own key.
    Index,
}

impl Kind {
    /// How the trailer names the kind.
    pub(super) fn word(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::ArchiveFeed => "feed",
            Kind::List => "list",
            Kind::Index => "index",
        }
    }
}

/// Appends the trailer line to `bytes`.
pub(crate) fn append(bytes: &mut Vec<u8>, kind: Kind, key: u64, words: &[String]) {
    let mut line = format!("{START}{} {key:016x} {}", kind.word(), bytes.len());
    for word in words {
        line.push(' ');
        line.push_str(word);
    }
    line.push_str(END);
    bytes.extend_from_slice(line.as_bytes());
}

/// The key and words of the `kind` trailer ending an output of `file_len`
/// bytes, given its end (which may start inside a character), if the output
/// is as long as the line says.
pub(crate) fn read(tail: &[u8], file_len: u64, kind: Kind) -> Option<(u64, Vec<&str>)> {
    let body = tail.strip_suffix(END.as_bytes())?;
    let line_start = body
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let line_len = (tail.len() - line_start) as u64;
    let line = std::str::from_utf8(&body[line_start..]).ok()?;
    let mut words = line
        .strip_prefix(START)?
        .strip_prefix(kind.word())?
        .strip_prefix(' ')?
        .split(' ');
    let key = u64::from_str_radix(words.next()?, 16).ok()?;
    let length: u64 = words.next()?.parse().ok()?;
    (length.checked_add(line_len) == Some(file_len)).then_some((key, words.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_read_back_what_was_written() {
        let mut bytes = "<rss>æ</rss>\n".as_bytes().to_vec();
        append(&mut bytes, Kind::ArchiveFeed, 0x00ab_cdef_0123_4567, &[]);
        assert!(bytes.ends_with(b"</rss>\n<!-- make-feed feed 00abcdef01234567 14 -->\n"));
        let len = bytes.len() as u64;
        let key = Some((0x00ab_cdef_0123_4567, vec![]));
        assert_eq!(read(&bytes, len, Kind::ArchiveFeed), key);
        // A tail read from the middle of a character still gives the trailer.
        assert_eq!(read(&bytes[3..], len, Kind::ArchiveFeed), key);
        // A file of another length is not what its trailer describes.
        assert_eq!(read(&bytes[3..], len - 3, Kind::ArchiveFeed), None);
        assert_eq!(read(&bytes, len, Kind::Page), None);
        assert_eq!(read(b"<rss></rss>\n", 12, Kind::ArchiveFeed), None);
    }

    #[test]
    fn words_come_back_in_order() {
        let mut bytes = b"<p>x</p>\n".to_vec();
        let words = vec!["a/b.jpg".to_string(), "%E6%89%BF.png".to_string()];
        append(&mut bytes, Kind::Page, 7, &words);
        let len = bytes.len() as u64;
        assert_eq!(
            read(&bytes, len, Kind::Page),
            Some((7, vec!["a/b.jpg", "%E6%89%BF.png"]))
        );
    }
}
