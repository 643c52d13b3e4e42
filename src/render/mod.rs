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

/// How an archive document records what it was made from, after its root
/// element (XML allows comments there): the next build keeps a document
/// whose fingerprint is unchanged without reading its entries back.
const FEED_TRAILER_START: &str = "<!-- make-feed feed ";
const FEED_TRAILER_END: &str = " -->\n";

/// Appends the fingerprint comment to a rendered feed document, with the
/// length of the document before it.
pub fn append_feed_trailer(output: &mut Output, key: u64) {
    let line = format!(
        "{FEED_TRAILER_START}{key:016x} {}{FEED_TRAILER_END}",
        output.bytes.len()
    );
    output.bytes.extend_from_slice(line.as_bytes());
}

/// The fingerprint on the last line of a feed document of `file_len` bytes,
/// given its end, if the document is as long as the line says.
pub fn read_feed_trailer(tail: &[u8], file_len: u64) -> Option<u64> {
    let body = tail.strip_suffix(FEED_TRAILER_END.as_bytes())?;
    let line_start = body
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let line_len = (tail.len() - line_start) as u64;
    let line = std::str::from_utf8(&body[line_start..]).ok()?;
    let (key, length) = line.strip_prefix(FEED_TRAILER_START)?.split_once(' ')?;
    let length: u64 = length.parse().ok()?;
    (length.checked_add(line_len) == Some(file_len)).then_some(())?;
    u64::from_str_radix(key, 16).ok()
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
