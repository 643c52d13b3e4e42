//! Rendering [`Document`]s into feed files. Renderers take the model and
//! return bytes: they never read files and never decide anything about the
//! input.

pub mod atom;
pub mod json;
pub mod page;
pub mod rss;

use crate::markdown::escape;
use crate::model::{Channel, Document, Entry, Place};

/// The generator's name, as written into every feed.
pub const GENERATOR: &str = "make-feed";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Dublin Core elements: `dc:creator`, `dc:contributor`, `dc:source`.
pub const DUBLIN_CORE_NS: &str = "http://purl.org/dc/elements/1.1/";

/// RFC 5005 feed history: `fh:archive`.
pub const HISTORY_NS: &str = "http://purl.org/syndication/history/1.0";

/// The RFC 5005 links of a document, in a fixed order.
pub fn history_links<'d>(doc: &'d Document<'_>) -> impl Iterator<Item = (&'static str, &'d Place)> {
    [
        ("current", doc.current.as_ref()),
        ("prev-archive", doc.prev_archive.as_ref()),
        ("next-archive", doc.next_archive.as_ref()),
    ]
    .into_iter()
    .filter_map(|(rel, place)| place.map(|place| (rel, place)))
}

/// XML writers stop at the last tag; files end with a newline.
pub(crate) fn with_final_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.last() != Some(&b'\n') {
        bytes.push(b'\n');
    }
    bytes
}

/// Appends a fingerprint line to an output: `<!-- make-feed KIND KEY LENGTH
/// WORD… -->`, where LENGTH is the output's length before the line, so that
/// a damaged output is never taken for current because its last line is
/// intact. The next build keeps an output whose line carries the key it
/// would write. Words must hold no space and no `-->`. (Pages carry one,
/// and archive feeds after their root element, where XML allows comments.)
pub fn append_trailer(output: &mut Output, kind: &str, key: u64, words: &[String]) {
    let mut line = format!("{TRAILER_START}{kind} {key:016x} {}", output.bytes.len());
    for word in words {
        line.push(' ');
        line.push_str(word);
    }
    line.push_str(TRAILER_END);
    output.bytes.extend_from_slice(line.as_bytes());
}

/// The key and words of the `kind` fingerprint line ending an output of
/// `file_len` bytes, given its end (which may start inside a character), if
/// the output is as long as the line says.
pub fn read_trailer<'t>(tail: &'t [u8], file_len: u64, kind: &str) -> Option<(u64, Vec<&'t str>)> {
    let body = tail.strip_suffix(TRAILER_END.as_bytes())?;
    let line_start = body
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let line_len = (tail.len() - line_start) as u64;
    let line = std::str::from_utf8(&body[line_start..]).ok()?;
    let mut words = line
        .strip_prefix(TRAILER_START)?
        .strip_prefix(kind)?
        .strip_prefix(' ')?
        .split(' ');
    let key = u64::from_str_radix(words.next()?, 16).ok()?;
    let length: u64 = words.next()?.parse().ok()?;
    (length.checked_add(line_len) == Some(file_len)).then_some((key, words.collect()))
}

const TRAILER_START: &str = "<!-- make-feed ";
const TRAILER_END: &str = " -->\n";

/// The fingerprint of an archive feed document.
pub fn append_feed_trailer(output: &mut Output, key: u64) {
    append_trailer(output, "feed", key, &[]);
}

/// The fingerprint on the last line of an archive feed document.
pub fn read_feed_trailer(tail: &[u8], file_len: u64) -> Option<u64> {
    read_trailer(tail, file_len, "feed").map(|(key, _)| key)
}

/// An output file: where it goes below the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The article as a feed reader shows it: the body framed by the credits a
/// news page prints around it, the source above and the editor below.
pub fn feed_content(entry: &Entry, channel: &Channel) -> String {
    let labels = Labels::for_language(channel.language.as_deref());
    let mut html = String::with_capacity(entry.body_html.len() + 256);
    if let Some(source) = &entry.source {
        let name = escape(&source.name);
        html.push_str("<p>");
        html.push_str(labels.source);
        match &source.url {
            Some(url) => html.push_str(&format!("<a href=\"{}\">{name}</a>", escape(url.as_str()))),
            None => html.push_str(&name),
        }
        html.push_str("</p>\n");
    }
    html.push_str(&entry.body_html);
    if let Some(editor) = &entry.editor {
        html.push_str(&format!("<p>{}{}</p>", labels.editor, escape(editor)));
    }
    html.truncate(html.trim_end().len());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_trailers_read_back_what_was_written() {
        let mut output = Output {
            path: "archive/rss-1.xml".into(),
            bytes: "<rss>æ</rss>\n".as_bytes().to_vec(),
        };
        append_feed_trailer(&mut output, 0x00ab_cdef_0123_4567);
        assert!(output
            .bytes
            .ends_with(b"</rss>\n<!-- make-feed feed 00abcdef01234567 14 -->\n"));
        let len = output.bytes.len() as u64;
        assert_eq!(
            read_feed_trailer(&output.bytes, len),
            Some(0x00ab_cdef_0123_4567)
        );
        assert_eq!(
            read_feed_trailer(&output.bytes[3..], len),
            Some(0x00ab_cdef_0123_4567)
        );
        assert_eq!(read_feed_trailer(&output.bytes[3..], len - 3), None);
        assert_eq!(read_feed_trailer(b"<rss></rss>\n", 12), None);
    }
}

/// Words shown around the body and on pages, in the channel's language.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Labels {
    pub source: &'static str,
    pub editor: &'static str,
    pub author: &'static str,
    pub updated: &'static str,
    pub categories: &'static str,
    pub subscribe: &'static str,
    pub latest: &'static str,
    /// Between names in a list.
    pub list_separator: &'static str,
}

impl Labels {
    pub fn for_language(language: Option<&str>) -> Labels {
        let chinese = language.is_some_and(|tag| {
            tag.eq_ignore_ascii_case("zh") || tag.to_ascii_lowercase().starts_with("zh-")
        });
        if chinese {
            Labels {
                source: "来源:",
                editor: "编辑:",
                author: "作者:",
                updated: "更新于 ",
                categories: "栏目",
                subscribe: "订阅",
                latest: "最新文章",
                list_separator: "、",
            }
        } else {
            Labels {
                source: "Source: ",
                editor: "Editor: ",
                author: "By ",
                updated: "Updated ",
                categories: "Categories",
                subscribe: "Subscribe",
                latest: "Latest articles",
                list_separator: ", ",
            }
        }
    }
}
