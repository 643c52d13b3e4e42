//! Article bodies: CommonMark in, sanitised HTML with absolute URLs out.
//!
//! Two conventions on top of CommonMark:
//! - an image alone in its paragraph is a figure, its title (or else its alt
//!   text) shown as the caption under it, as news sites print photos;
//! - every relative URL, in Markdown links and images and in raw HTML alike,
//!   is resolved against the article's own URL, because many feed readers
//!   ignore `xml:base`.
//!
//! Raw HTML is allowed (CommonMark allows it) but goes through an allowlist
//! sanitiser, so no script, style, frame, form or event handler survives.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use url::Url;

use crate::text::{squash_whitespace, strip_xml_unsafe};

/// A rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The plain text of the first paragraph that is not a figure.
    pub first_paragraph: String,
    /// Characters XML forbids that character references (such as `&#1;`)
    /// spelled and that were removed from both, sorted, each once.
    pub removed: Vec<char>,
}

/// How deeply Markdown may nest (block quotes in lists in block quotes…).
/// Real articles stay in single digits; the limit keeps hostile input from
/// costing unbounded time and stack further down.
pub const MAX_NESTING: usize = 100;

/// Why a body could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep;

/// Renders `markdown` as HTML for a page at `base`.
pub fn render(markdown: &str, base: &Url) -> Result<Rendered, TooDeep> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let mut depth = 0usize;
    for event in &events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => continue,
        }
        if depth > MAX_NESTING {
            return Err(TooDeep);
        }
    }
    let raw_html = events.iter().filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(html.as_ref()),
        _ => None,
    });
    if raw_html_depth(raw_html) > MAX_NESTING {
        return Err(TooDeep);
    }
    let first_paragraph = first_paragraph_text(&events);
    // pulldown-cmark escapes all text and attributes itself, so HTML made
    // only of Markdown needs no sanitiser once its URLs are checked. Raw HTML,
    // and constructs whose HTML carries URLs or elements of pulldown-cmark's
    // own (footnotes, task lists, table alignment), go through the sanitiser.
    let needs_sanitiser = events.iter().any(|event| {
        matches!(
            event,
            Event::Html(_)
                | Event::InlineHtml(_)
                | Event::FootnoteReference(_)
                | Event::TaskListMarker(_)
                | Event::Start(Tag::Table(_) | Tag::FootnoteDefinition(_))
        )
    });
    if !needs_sanitiser {
        for event in &mut events {
            match event {
                // pulldown-cmark writes `mailto:` before an e-mail autolink itself.
                Event::Start(Tag::Link {
                    link_type: LinkType::Email,
                    ..
                }) => {}
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    *dest_url = absolute_url(dest_url, base).into();
                }
                _ => {}
            }
        }
    }
    let events = figures(events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if needs_sanitiser {
        html = sanitize(&html, base);
    }
    // The file's own text is clean already, but a character reference
    // decodes to any character, including ones XML forbids.
    let (html, mut removed) = strip_xml_unsafe(&html);
    let (first_paragraph, more) = strip_xml_unsafe(&first_paragraph);
    removed.extend(more);
    let mut removed: Vec<char> = removed.into_iter().map(|r| r.character).collect();
    removed.sort_unstable();
    removed.dedup();
    Ok(Rendered {
        html: html.into_owned(),
        first_paragraph: first_paragraph.into_owned(),
        removed,
    })
}

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
fn raw_html_depth<'h>(fragments: impl Iterator<Item = &'h str>) -> usize {
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

/// URL schemes that links and images may use; any other URL is dropped.
const ALLOWED_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "ftp", "ftps", "tel", "xmpp", "irc", "ircs", "magnet", "geo",
];

/// `url` resolved against `base`, or empty when it is not allowed (such as
/// `javascript:`) or not a URL at all.
fn absolute_url(url: &str, base: &Url) -> String {
    match base.join(url.trim()) {
        Ok(url) if ALLOWED_SCHEMES.contains(&url.scheme()) => url.into(),
        _ => String::new(),
    }
}

/// Cleans HTML against an allowlist and makes every URL in it absolute.
pub fn sanitize(html: &str, base: &Url) -> String {
    ammonia::Builder::default()
        .url_schemes(ALLOWED_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()))
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// Replaces each paragraph that holds nothing but one image with a
/// `<figure>` carrying a `<figcaption>`.
fn figures(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((figure, consumed)) = figure_at(&events[i..]) {
            out.push(Event::Html(figure.into()));
            i += consumed;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

/// If `events` starts with `<p><img></p>`, the figure's HTML and how many
/// events it replaces.
fn figure_at(events: &[Event<'_>]) -> Option<(String, usize)> {
    let [Event::Start(Tag::Paragraph), Event::Start(Tag::Image {
        dest_url, title, ..
    }), rest @ ..] = events
    else {
        return None;
    };
    let mut alt = String::new();
    let mut consumed = 2;
    for event in rest {
        consumed += 1;
        match event {
            Event::End(TagEnd::Image) => break,
            Event::Text(text) | Event::Code(text) => alt.push_str(text),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    if !matches!(events.get(consumed), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let caption = if title.trim().is_empty() {
        alt.trim()
    } else {
        title.trim()
    };
    let mut html = format!(
        "<figure><img src=\"{}\" alt=\"{}\">",
        escape(dest_url),
        escape(alt.trim())
    );
    if !caption.is_empty() {
        html.push_str(&format!("<figcaption>{}</figcaption>", escape(caption)));
    }
    html.push_str("</figure>\n");
    Some((html, consumed + 1))
}

fn first_paragraph_text(events: &[Event<'_>]) -> String {
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::Start(Tag::Paragraph)) && figure_at(&events[i..]).is_none() {
            let mut text = String::new();
            for event in &events[i + 1..] {
                match event {
                    Event::End(TagEnd::Paragraph) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    Event::SoftBreak | Event::HardBreak => text.push(' '),
                    _ => {}
                }
            }
            let text = squash_whitespace(&text);
            if !text.is_empty() {
                return text;
            }
        }
        i += 1;
    }
    String::new()
}

/// Escapes text for an HTML attribute value or element content.
pub fn escape(text: &str) -> String {
    escape_with(text, false)
}

/// Escapes `&`, `<`, `>`, `"` and, if `apostrophe`, `'` too (for attributes a
/// template may quote with it). Copies runs of plain text at once: most text
/// has nothing to escape.
pub fn escape_with(text: &str, apostrophe: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' if apostrophe => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain..at]);
        out.push_str(replacement);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://feeds.example.org/articles/a.html").unwrap()
    }

    #[test]
    fn lone_image_becomes_captioned_figure_with_absolute_src() {
        let rendered = render("![图为 超市](images/x.jpg)\n\n第一段。\n", &base()).unwrap();
        assert_eq!(
            rendered.html,
            "<figure><img src=\"https://feeds.example.org/articles/images/x.jpg\" alt=\"图为 超市\">\
             <figcaption>图为 超市</figcaption></figure>\n<p>第一段。</p>\n"
        );
        assert_eq!(rendered.first_paragraph, "第一段。");
        assert!(rendered.removed.is_empty());
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused() {
        assert_eq!(render(&">".repeat(MAX_NESTING + 5), &base()), Err(TooDeep));
        assert!(render(&">".repeat(10), &base()).is_ok());
        let deep_html = format!(
            "{}x{}",
            "<div>".repeat(MAX_NESTING + 1),
            "</div>".repeat(MAX_NESTING + 1)
        );
        assert_eq!(render(&deep_html, &base()), Err(TooDeep));
        let wide_html = "<p>a<br>b<img src=x.png></p><p>unclosed<li>item".repeat(5000);
        assert!(render(&wide_html, &base()).is_ok());
        for sneaky in [
            "<div/>".repeat(MAX_NESTING + 1),
            "<div></x>".repeat(MAX_NESTING + 1),
        ] {
            assert_eq!(render(&sneaky, &base()), Err(TooDeep), "{}", &sneaky[..20]);
        }
    }

    #[test]
    fn inline_image_stays_inline() {
        let html = render("see ![x](a.png) here", &base()).unwrap().html;
        assert!(html.contains("<p>see <img src=\"https://feeds.example.org/articles/a.png\""));
        assert!(!html.contains("figure"));
    }

    #[test]
    fn markdown_links_are_absolutised_and_unsafe_schemes_dropped() {
        let html = render(
            "[a](../x.html) [b](javascript:alert(1)) [c](mailto:a@b.org) [d](#top)",
            &base(),
        )
        .unwrap()
        .html;
        assert_eq!(
            html,
            "<p><a href=\"https://feeds.example.org/x.html\">a</a> <a href=\"\">b</a> \
             <a href=\"mailto:a@b.org\">c</a> <a href=\"https://feeds.example.org/articles/a.html#top\">d</a></p>\n"
        );
    }

    #[test]
    fn characters_xml_forbids_never_leave_the_renderer() {
        let rendered = render("a&#1;b <b>&#xFFFF;</b>", &base()).unwrap();
        assert_eq!(rendered.first_paragraph, "ab ");
        assert!(
            !rendered.html.contains(['\u{1}', '\u{FFFF}']),
            "{}",
            rendered.html
        );
        assert_eq!(rendered.removed, ['\u{1}', '\u{FFFF}']);
    }

    #[test]
    fn email_autolinks_stay_mailto() {
        let html = render("Write to <editor@example.org>.", &base())
            .unwrap()
            .html;
        assert!(
            html.contains("href=\"mailto:editor@example.org\""),
            "{html}"
        );
    }

    #[test]
    fn footnotes_and_task_lists_are_sanitised() {
        let html = render("x[^1]\n\n[^1]: note\n\n- [x] done\n", &base())
            .unwrap()
            .html;
        assert!(!html.contains("<input"), "{html}");
        assert!(!html.contains("href=\"#"), "{html}");
    }

    #[test]
    fn raw_html_is_sanitised_and_absolutised() {
        let html = render(
            "<script>alert(1)</script>\n\n<a href=\"../x\" onclick=\"evil()\">x</a> [j](javascript:alert(1))",
            &base(),
        )
        .unwrap()
        .html;
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(
            html.contains("href=\"https://feeds.example.org/x\""),
            "{html}"
        );
    }
}
