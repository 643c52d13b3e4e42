//! Raw HTML in articles: how deeply it nests, and the allowlist sanitiser
//! (ammonia) that keeps scripts, styles, frames, forms and event handlers
//! out, makes every URL absolute and reports the URLs it keeps.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use url::Url;

/// Elements that never hold others, so never deepen the nesting.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements whose end tag HTML lets a writer leave out: opening one while
/// another of the same name is open closes that one, as the HTML parser does.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot",
];

/// How deeply raw HTML nests, as an HTML parser would build it, roughly:
/// a start tag opens an element unless it is void (`/>` does not close any
/// other), and an end tag closes the innermost open element of its name (and
/// is ignored if there is none). The HTML parser behind the sanitiser slows
/// down sharply on thousands of levels.
pub(crate) fn raw_html_depth<'h>(fragments: impl Iterator<Item = &'h str>) -> usize {
    let mut open: Vec<String> = Vec::new();
    let mut deepest = 0;
    for fragment in fragments {
        let mut rest = fragment;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            let closing = rest.starts_with('/');
            let name: String = rest[usize::from(closing)..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            if name.is_empty() {
                continue;
            }
            if closing {
                if let Some(position) = open.iter().rposition(|n| *n == name) {
                    open.truncate(position);
                }
            } else if !VOID_ELEMENTS.contains(&name.as_str()) {
                if OPTIONAL_END.contains(&name.as_str()) {
                    if let Some(position) = open.iter().rposition(|n| *n == name) {
                        open.truncate(position);
                    }
                }
                open.push(name);
                deepest = deepest.max(open.len());
            }
        }
    }
    deepest
}

/// The most attributes (counted generously: every word of a tag outside
/// quotes) one raw HTML tag may have, and its longest length in bytes. The
/// HTML parser behind the sanitiser looks for a repeated attribute by
/// comparing each with all before it, so a tag of 200,000 attributes took
/// minutes; real tags have a handful.
pub(crate) const MAX_TAG_WORDS: usize = 1000;
pub(crate) const MAX_TAG_BYTES: usize = 64 * 1024;

/// The first raw HTML tag in `fragments` that is longer than
/// [`MAX_TAG_BYTES`] or has more than [`MAX_TAG_WORDS`] words: the
/// fragment and the byte offset of its `<` there.
pub(crate) fn oversized_tag<'h>(
    fragments: impl Iterator<Item = &'h str>,
) -> Option<(&'h str, usize)> {
    for fragment in fragments {
        let bytes = fragment.as_bytes();
        let mut at = 0;
        while let Some(start) = fragment[at..].find('<').map(|i| at + i) {
            // Only a start tag has attributes (`a < b` is text).
            if !bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
                at = start + 1;
                continue;
            }
            let (end, words) = tag_extent(&bytes[start + 1..]);
            if end > MAX_TAG_BYTES || words > MAX_TAG_WORDS {
                return Some((fragment, start));
            }
            at = start + 1 + end.min(bytes.len() - start - 1);
        }
    }
    None
}

#[cfg(test)]
#[test]
fn tags_past_the_limits_are_found_and_ordinary_ones_are_not() {
    let many = format!("<p {}>x</p>", "a ".repeat(MAX_TAG_WORDS + 1));
    assert_eq!(
        oversized_tag([many.as_str()].into_iter()),
        Some((many.as_str(), 0))
    );
    let long = format!("x <img src=\"{}\">", "a".repeat(MAX_TAG_BYTES));
    assert_eq!(
        oversized_tag([long.as_str()].into_iter()),
        Some((long.as_str(), 2))
    );
    let fine = format!(
        "<p class=\"a b c\" id='x > y'>1 < 2 {}</p>",
        "text ".repeat(50_000)
    );
    assert_eq!(oversized_tag([fine.as_str()].into_iter()), None);
}

/// The length of the tag starting after a `<` in `bytes` (up to its `>`
/// outside quotes, or the end) and the words in it outside quotes. Stops
/// counting once past both limits, so each byte is looked at once.
fn tag_extent(bytes: &[u8]) -> (usize, usize) {
    let (mut words, mut quote, mut in_word) = (0, None, false);
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'>' => return (i, words),
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b.is_ascii_whitespace() => in_word = false,
            None => {
                if !in_word {
                    words += 1;
                    in_word = true;
                }
            }
        }
        if i > MAX_TAG_BYTES || words > MAX_TAG_WORDS {
            return (i, words);
        }
    }
    (bytes.len(), words)
}

/// URL schemes that links and images may use; any other URL is dropped.
const ALLOWED_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "ftp", "ftps", "tel", "xmpp", "irc", "ircs", "magnet", "geo",
];

/// `url` resolved against `base`, or empty when it is not allowed (such as
/// `javascript:`) or not a URL at all.
pub(crate) fn absolute_url(url: &str, base: &Url) -> String {
    match base.join(url.trim()) {
        Ok(url) if ALLOWED_SCHEMES.contains(&url.scheme()) => url.into(),
        _ => String::new(),
    }
}

/// Cleans HTML against an allowlist and makes every URL in it absolute.
/// Also gives the `href` and `src` URLs the cleaned HTML holds, in order:
/// ammonia's attribute hook sees them, after it has dropped elements,
/// attributes and schemes it does not allow.
pub(crate) fn sanitize(html: &str, base: &Url) -> (String, Vec<String>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut builder = ammonia::Builder::default();
    // The hook is also shown the attributes of elements ammonia removes
    // (a `<script src>`): only those of kept elements are links.
    let kept: HashSet<String> = builder.clone_tags().into_iter().map(String::from).collect();
    let (record, hook_base) = (Arc::clone(&seen), base.clone());
    builder
        .url_schemes(ALLOWED_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()))
        .link_rel(None)
        .attribute_filter(move |element, attribute, value| {
            if matches!(attribute, "href" | "src") && kept.contains(element) {
                // Resolved as `RewriteWithBase` does next.
                let url = hook_base
                    .join(value)
                    .map_or_else(|_| value.to_string(), String::from);
                record
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(url);
            }
            Some(Cow::Borrowed(value))
        });
    let html = builder.clean(html).to_string();
    drop(builder);
    let links = Arc::try_unwrap(seen)
        .map(|seen| seen.into_inner().unwrap_or_else(PoisonError::into_inner))
        .unwrap_or_default();
    (html, links)
}
