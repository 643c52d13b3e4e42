//! Raw HTML in articles: how deeply it nests, and the allowlist sanitiser
//! (ammonia) that keeps scripts, styles, frames, forms and event handlers
//! out, makes every URL absolute and reports the URLs it keeps.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use url::Url;

use super::anchors::Anchors;

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

/// Cleans HTML against an allowlist and makes every URL in it absolute and
/// every id and `#fragment` unique to the entry (`anchors`). Also gives the
/// `href` and `src` URLs the cleaned HTML holds, in order: ammonia's
/// attribute hook sees them, after it has dropped elements, attributes and
/// schemes it does not allow.
pub(crate) fn sanitize(html: &str, base: &Url, anchors: &Anchors) -> (String, Vec<String>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["section"])
        .add_generic_attributes(["id", "dir"])
        .add_tag_attributes("code", ["class"]);
    // The hook is also shown the attributes of elements ammonia removes
    // (a `<script src>`): only those of kept elements are links.
    let kept: HashSet<String> = builder.clone_tags().into_iter().map(String::from).collect();
    let (record, hook_base, anchors) = (Arc::clone(&seen), base.clone(), anchors.clone());
    builder
        .url_schemes(ALLOWED_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()))
        .link_rel(None)
        .attribute_filter(move |element, attribute, value| match attribute {
            "id" => Some(anchors.id(value).into()),
            // A code block's language, as pulldown-cmark writes it.
            "class" => is_language_class(value).then_some(Cow::Borrowed(value)),
            "href" | "src" => {
                let value = if attribute == "href" {
                    anchors.href(value)
                } else {
                    Cow::Borrowed(value)
                };
                if kept.contains(element) {
                    // Resolved as `RewriteWithBase` does next.
                    let url = hook_base
                        .join(&value)
                        .map_or_else(|_| value.to_string(), String::from);
                    record
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(url);
                }
                Some(Cow::Owned(value.into_owned()))
            }
            _ => Some(Cow::Borrowed(value)),
        });
    let html = builder.clean(&without_noscript_tags(html)).to_string();
    drop(builder);
    let links = Arc::try_unwrap(seen)
        .map(|seen| seen.into_inner().unwrap_or_else(PoisonError::into_inner))
        .unwrap_or_default();
    (html, links)
}

/// True for `language-rust` and the like.
fn is_language_class(value: &str) -> bool {
    value.strip_prefix("language-").is_some_and(|language| {
        !language.is_empty()
            && language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
    })
}

/// `html` with the `<noscript>` and `</noscript>` tags taken out and what
/// they held kept. The HTML parser behind the sanitiser reads a noscript's
/// content as text (as a browser running scripts does), so the images a
/// blog puts there for readers without scripts would otherwise come out as
/// visible, escaped markup. Everything that remains is sanitised as usual.
fn without_noscript_tags(html: &str) -> Cow<'_, str> {
    const TAG: &[u8] = b"noscript";
    let bytes = html.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let name_at = start + 1 + usize::from(bytes.get(start + 1) == Some(&b'/'));
        let name_end = name_at + TAG.len();
        let is_noscript = bytes
            .get(name_at..name_end)
            .is_some_and(|name| name.eq_ignore_ascii_case(TAG))
            && bytes
                .get(name_end)
                .is_none_or(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace());
        at = start + 1;
        if is_noscript {
            let end = html[name_end..]
                .find('>')
                .map_or(html.len(), |i| name_end + i + 1);
            out.push_str(&html[copied..start]);
            copied = end;
            at = end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        let base = Url::parse("https://example.org/a/post.html").unwrap();
        sanitize(html, &base, &Anchors::for_slug("post")).0
    }

    #[test]
    fn noscript_content_is_kept_as_markup_and_still_sanitised() {
        assert_eq!(
            clean("<noscript><img src=\"c.png\" alt=\"chart\"></noscript><NOSCRIPT >x</NoScript >"),
            "<img src=\"https://example.org/a/c.png\" alt=\"chart\">x"
        );
        assert_eq!(
            clean("<noscript><script>alert(1)</script><img src=x onerror=alert(1)></noscript>"),
            "<img src=\"https://example.org/a/x\">"
        );
        assert_eq!(without_noscript_tags("<noscripts>a"), "<noscripts>a");
    }

    #[test]
    fn ids_and_fragments_are_made_unique_to_the_entry() {
        assert_eq!(
            clean("<h2 id=\"intro\">I</h2><a href=\"#intro\">go</a><a href=\"b.html#x\">b</a>"),
            "<h2 id=\"post:intro\">I</h2><a href=\"https://example.org/a/post.html#post:intro\">go</a>\
             <a href=\"https://example.org/a/b.html#x\">b</a>"
        );
    }

    #[test]
    fn only_language_classes_are_kept() {
        assert_eq!(
            clean("<pre><code class=\"language-c++\">x</code></pre><code class=\"evil\">y</code>"),
            "<pre><code class=\"language-c++\">x</code></pre><code>y</code>"
        );
    }
}
