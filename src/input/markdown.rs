//! Article bodies: CommonMark in, sanitised HTML with absolute URLs out.
//!
//! Two conventions on top of CommonMark:
//! - an image alone in its paragraph is a figure, its title (or else its alt
//!   text) shown as the caption under it, as news sites print photos;
//! - every relative URL, in Markdown links and images and in raw HTML alike,
//!   is resolved against the article's own URL, because many feed readers
//!   ignore `xml:base`;
//! - headings get ids (`{#custom-id}` or a slug of their text), footnotes
//!   link both ways, and every id and `#fragment` is made unique to the entry
//!   ([`Anchors`]), so that in-page links work wherever the body is shown;
//! - a task list item starts with ☑ or ☐, which survive readers that drop
//!   form elements.
//!
//! Raw HTML is allowed (CommonMark allows it) but goes through an allowlist
//! sanitiser, so no script, style, frame, form or event handler survives.

use std::collections::HashSet;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use url::Url;

use super::anchors::{heading_ids, Anchors};
use super::footnotes::footnotes;
use super::generator::PostUrls;
use super::sanitize::{absolute_url, oversized_tag, raw_html_depth, sanitize};
use crate::text::{escape, line_of, squash_whitespace, strip_xml_unsafe};

/// A rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub(crate) html: String,
    /// The plain text of the first paragraph that is not a figure; for a
    /// body that opens with raw HTML instead, the text of the whole body.
    pub(crate) first_paragraph: String,
    /// Characters XML forbids that character references (such as `&#1;`)
    /// spelled and that were removed from both, sorted, each once.
    pub(crate) removed: Vec<char>,
    /// The absolute URLs of the HTML's `href` and `src` attributes, each
    /// once, in the order they first appear.
    pub(crate) links: Vec<String>,
}

/// How deeply Markdown may nest (block quotes in lists in block quotes…).
/// Real articles stay in single digits; the limit keeps hostile input from
/// costing unbounded time and stack further down.
pub(crate) const MAX_NESTING: usize = 100;

/// Why a body could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    TooDeep,
    /// A raw HTML tag beyond `sanitize`'s limits, on this line of the body
    /// (when the parser's text is the body's own).
    TagTooLarge {
        line: Option<usize>,
    },
}

/// The CommonMark extensions bodies may use.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Whether `event` makes a body go through the sanitiser. pulldown-cmark
/// escapes all text and attributes itself, so HTML made only of Markdown
/// needs no sanitiser once its URLs are checked. Raw HTML, and constructs
/// whose HTML carries URLs or elements of pulldown-cmark's own (footnotes,
/// table alignment), go through it.
fn needs_sanitiser(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::Start(Tag::Table(_) | Tag::FootnoteDefinition(_))
    )
}

/// Links to other posts of a generator's site (`other.md`, Zola's
/// `@/blog/other.md`), which go to the other post's URL.
pub(crate) struct PostLinks<'a> {
    /// `None` for make-feed's own format, whose links name files as they are.
    pub(crate) posts: Option<&'a PostUrls>,
    /// The folder of the post being rendered, below the content folder.
    pub(crate) folder: &'a str,
}

impl PostLinks<'_> {
    /// No links to posts: every link is a file's or a page's.
    pub(crate) fn none() -> PostLinks<'static> {
        PostLinks {
            posts: None,
            folder: "",
        }
    }

    /// The URL of the post `dest` names, if it names one.
    fn resolve(&self, dest: &str) -> Option<String> {
        let posts = self.posts?;
        let (path, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(p, f)| (p, Some(f)));
        let names_post =
            path.starts_with("@/") || path.ends_with(".md") || path.ends_with(".markdown");
        if !names_post || path.contains("://") {
            return None;
        }
        let url = posts.find(self.folder, path)?;
        Some(match fragment {
            Some(fragment) => format!("{url}#{fragment}"),
            None => url.to_string(),
        })
    }
}

/// The URL a Markdown link or image gives, as the rendered body has it, or
/// `None` for other events (and e-mail autolinks, which pulldown-cmark
/// writes with `mailto:` itself).
fn link_of(
    event: &Event<'_>,
    base: &Url,
    anchors: &Anchors,
    posts: &PostLinks<'_>,
) -> Option<String> {
    match event {
        Event::Start(Tag::Link {
            link_type: LinkType::Email,
            ..
        }) => None,
        Event::Start(Tag::Link { dest_url, .. }) => Some(
            posts
                .resolve(dest_url)
                .unwrap_or_else(|| absolute_url(&anchors.href(dest_url), base)),
        ),
        Event::Start(Tag::Image { dest_url, .. }) => {
            Some(absolute_url(&anchors.href(dest_url), base))
        }
        _ => None,
    }
}

/// The links [`render`] gives for `markdown`, found without rendering it:
/// for a body that needs no sanitiser, else `None`. A build checks the links
/// a kept page's trailer claims against these.
pub(crate) fn links_of(markdown: &str, base: &Url, anchors: &Anchors) -> Option<Vec<String>> {
    let mut links = Vec::new();
    for event in Parser::new_ext(markdown, OPTIONS) {
        if needs_sanitiser(&event) {
            return None;
        }
        links.extend(link_of(&event, base, anchors, &PostLinks::none()));
    }
    Some(each_once(links))
}

/// Renders `markdown` as HTML for a page at `base`, its ids made unique by
/// `anchors`.
#[cfg(test)]
pub(crate) fn render(markdown: &str, base: &Url, anchors: &Anchors) -> Result<Rendered, Refused> {
    render_with(markdown, base, anchors, &PostLinks::none())
}

/// Renders `markdown` as HTML for a page at `base`, its ids made unique by
/// `anchors` and its links to other posts going to their URLs.
pub(crate) fn render_with(
    markdown: &str,
    base: &Url,
    anchors: &Anchors,
    posts: &PostLinks<'_>,
) -> Result<Rendered, Refused> {
    let mut events: Vec<Event> = Parser::new_ext(markdown, OPTIONS).collect();
    let mut depth = 0usize;
    for event in &events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => continue,
        }
        if depth > MAX_NESTING {
            return Err(Refused::TooDeep);
        }
    }
    let raw_html = events.iter().filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(html.as_ref()),
        _ => None,
    });
    if raw_html_depth(raw_html.clone()) > MAX_NESTING {
        return Err(Refused::TooDeep);
    }
    if let Some((fragment, at)) = oversized_tag(raw_html) {
        // The fragment is usually a slice of the body itself.
        let start = (fragment.as_ptr() as usize).wrapping_sub(markdown.as_ptr() as usize);
        let line = (start <= markdown.len()).then(|| line_of(markdown, start + at));
        return Err(Refused::TagTooLarge { line });
    }
    let first_paragraph = first_paragraph_text(&events);
    let needs_sanitiser = events.iter().any(needs_sanitiser);
    task_marks(&mut events);
    heading_ids(&mut events);
    let mut events = footnotes(events);
    let mut links = Vec::new();
    if !needs_sanitiser {
        for event in &mut events {
            if let Some(url) = link_of(event, base, anchors, posts) {
                if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) =
                    event
                {
                    *dest_url = url.clone().into();
                }
                links.push(url);
            } else if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                *id = anchors.id(id).into();
            }
        }
    }
    let events = figures(events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if needs_sanitiser {
        (html, links) = sanitize(&html, base, anchors);
    }
    // The file's own text is clean already, but a character reference
    // decodes to any character, including ones XML forbids.
    let (html, removed) = strip_xml_unsafe(&html);
    let first_paragraph = if first_paragraph.is_empty() {
        squash_whitespace(&text_of(&html))
    } else {
        first_paragraph
    };
    let (first_paragraph, more) = strip_xml_unsafe(&first_paragraph);
    let removed: Vec<char> = removed
        .characters
        .union(&more.characters)
        .copied()
        .collect();
    Ok(Rendered {
        html: html.into_owned(),
        first_paragraph: first_paragraph.into_owned(),
        removed,
        links: each_once(links),
    })
}

/// Task list markers as the characters ☑ and ☐, which every reader shows,
/// where pulldown-cmark writes a check box that many readers remove.
fn task_marks(events: &mut [Event<'_>]) {
    for event in events {
        if let Event::TaskListMarker(done) = event {
            *event = Event::Text(if *done { "\u{2611} " } else { "\u{2610} " }.into());
        }
    }
}

/// `links` without repeats, in order. An article may hold many thousands.
fn each_once(mut links: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::with_capacity(links.len());
    links.retain(|link| !link.is_empty() && seen.insert(link.clone()));
    links
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

/// The text of HTML as pulldown-cmark and the sanitiser write it, where
/// every `<` in text is escaped: tags dropped, the references those writers
/// use decoded.
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        rest = rest[start..]
            .find('>')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://feeds.example.org/articles/a.html").unwrap()
    }

    fn anchors() -> Anchors {
        Anchors::for_slug("a")
    }

    #[test]
    fn lone_image_becomes_captioned_figure_with_absolute_src() {
        let rendered = render(
            "![图为 超市](images/x.jpg)\n\n第一段。\n",
            &base(),
            &anchors(),
        )
        .unwrap();
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
        assert_eq!(
            render(&">".repeat(MAX_NESTING + 5), &base(), &anchors()),
            Err(Refused::TooDeep)
        );
        assert!(render(&">".repeat(10), &base(), &anchors()).is_ok());
        let deep_html = format!(
            "{}x{}",
            "<div>".repeat(MAX_NESTING + 1),
            "</div>".repeat(MAX_NESTING + 1)
        );
        assert_eq!(
            render(&deep_html, &base(), &anchors()),
            Err(Refused::TooDeep)
        );
        let wide_html = "<p>a<br>b<img src=x.png></p><p>unclosed<li>item".repeat(5000);
        assert!(render(&wide_html, &base(), &anchors()).is_ok());
        for sneaky in [
            "<div/>".repeat(MAX_NESTING + 1),
            "<div></x>".repeat(MAX_NESTING + 1),
        ] {
            assert_eq!(
                render(&sneaky, &base(), &anchors()),
                Err(Refused::TooDeep),
                "{}",
                &sneaky[..20]
            );
        }
    }

    #[test]
    fn links_are_given_once_each_in_order_with_or_without_the_sanitiser() {
        let markdown = "[a](a.html) ![i](i.jpg) [again](a.html) [b](https://elsewhere.org/)";
        let plain = render(markdown, &base(), &anchors()).unwrap();
        let expected = [
            "https://feeds.example.org/articles/a.html",
            "https://feeds.example.org/articles/i.jpg",
            "https://elsewhere.org/",
        ];
        assert_eq!(plain.links, expected);
        let raw = render(&format!("{markdown} <b>raw</b>"), &base(), &anchors()).unwrap();
        assert_eq!(raw.links, expected);
        let removed = render(
            "<script src=\"x.js\"></script><img src=\"y.png\">",
            &base(),
            &anchors(),
        )
        .unwrap();
        assert_eq!(removed.links, ["https://feeds.example.org/articles/y.png"]);
    }

    #[test]
    fn inline_image_stays_inline() {
        let html = render("see ![x](a.png) here", &base(), &anchors())
            .unwrap()
            .html;
        assert!(html.contains("<p>see <img src=\"https://feeds.example.org/articles/a.png\""));
        assert!(!html.contains("figure"));
    }

    #[test]
    fn markdown_links_are_absolutised_and_unsafe_schemes_dropped() {
        let html = render(
            "[a](../x.html) [b](javascript:alert(1)) [c](mailto:a@b.org) [d](#top)",
            &base(),
            &anchors(),
        )
        .unwrap()
        .html;
        assert_eq!(
            html,
            "<p><a href=\"https://feeds.example.org/x.html\">a</a> <a href=\"\">b</a> \
             <a href=\"mailto:a@b.org\">c</a> <a href=\"https://feeds.example.org/articles/a.html#a:top\">d</a></p>\n"
        );
    }

    #[test]
    fn characters_xml_forbids_never_leave_the_renderer() {
        let rendered = render("a&#1;b <b>&#xFFFF;</b>", &base(), &anchors()).unwrap();
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
        let html = render("Write to <editor@example.org>.", &base(), &anchors())
            .unwrap()
            .html;
        assert!(
            html.contains("href=\"mailto:editor@example.org\""),
            "{html}"
        );
    }

    #[test]
    fn footnotes_and_task_lists_are_sanitised() {
        let html = render("x[^1]\n\n[^1]: note\n\n- [x] done\n", &base(), &anchors())
            .unwrap()
            .html;
        assert!(!html.contains("<input"), "{html}");
        assert!(!html.contains("href=\"#"), "{html}");
    }

    #[test]
    fn in_page_links_land_on_ids_of_the_entry_with_or_without_the_sanitiser() {
        let page = "https://feeds.example.org/articles/a.html";
        let plain = render(
            "[Go](#sec-2)\n\n## Sec 2\n\n## Other {#mine .x onclick=y}\n",
            &base(),
            &anchors(),
        )
        .unwrap()
        .html;
        assert_eq!(
            plain,
            format!(
                "<p><a href=\"{page}#a:sec-2\">Go</a></p>\n<h2 id=\"a:sec-2\">Sec 2</h2>\n\
                 <h2 id=\"a:mine\">Other</h2>\n"
            )
        );
        let sanitised = render(
            "[Go](#背景) x[^n]\n\n## 背景\n\n<b>raw</b>\n\n[^n]: Note.\n",
            &base(),
            &anchors(),
        )
        .unwrap()
        .html;
        assert_eq!(
            sanitised,
            format!(
                "<p><a href=\"{page}#a:%E8%83%8C%E6%99%AF\">Go</a> \
                 x<sup><a href=\"{page}#a:fn-1\" id=\"a:fnref-1\">1</a></sup></p>\n\
                 <h2 id=\"a:背景\">背景</h2>\n<p><b>raw</b></p>\n\
                 <section>\n<ol>\n<li id=\"a:fn-1\">\n<p>Note. \
                 <a href=\"{page}#a:fnref-1\" title=\"back\">\u{21a9}\u{fe0e}</a></p>\n</li>\n</ol>\n</section>\n"
            )
        );
    }

    #[test]
    fn a_body_that_opens_with_raw_html_is_summarised_from_its_text() {
        let rendered = render(
            "<p dir=\"rtl\">مرحبا &amp; <b>بالعالم</b></p>\n\n<p>&lt;two&gt;</p>\n",
            &base(),
            &anchors(),
        )
        .unwrap();
        assert_eq!(rendered.first_paragraph, "مرحبا & بالعالم <two>");
    }

    #[test]
    fn links_found_without_rendering_are_the_rendered_ones() {
        for markdown in [
            "[a](a.html) ![i](img/i.jpg) [a again](a.html) <mail@example.org> [top](#top)",
            "![fig](x.png \"caption\")\n\n[b](../b.pdf) [j](javascript:x) [e](https://e.org/)",
            "plain text",
        ] {
            let rendered = render(markdown, &base(), &anchors()).unwrap();
            assert_eq!(
                links_of(markdown, &base(), &anchors()),
                Some(rendered.links),
                "{markdown}"
            );
        }
        assert_eq!(
            links_of("<b>raw</b> [a](a.html)", &base(), &anchors()),
            None
        );
        assert_eq!(links_of("x[^1]\n\n[^1]: n", &base(), &anchors()), None);
    }

    #[test]
    fn task_lists_show_their_state_and_code_keeps_its_language() {
        let html = render(
            "- [x] done\n- [ ] open\n\n```rust\nfn main() {}\n```\n",
            &base(),
            &anchors(),
        )
        .unwrap()
        .html;
        assert!(
            html.contains("<li>\u{2611} done</li>\n<li>\u{2610} open</li>"),
            "{html}"
        );
        assert!(
            html.contains("<pre><code class=\"language-rust\">fn main() {}"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_is_sanitised_and_absolutised() {
        let html = render(
            "<script>alert(1)</script>\n\n<a href=\"../x\" onclick=\"evil()\">x</a> [j](javascript:alert(1))",
            &base(),
            &anchors(),
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
