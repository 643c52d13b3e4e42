//! Places inside an article that links can jump to: heading ids and the
//! entry-unique form of every id and `#fragment`.
//!
//! A body is written with local ids (`intro`, `fn-1`) and local fragments
//! (`#intro`), as its author wrote them. A feed reader may show many
//! entries on one page, so the last step of rendering gives every id the
//! entry's [`Anchors::prefix`] and every `#fragment` link the same prefix,
//! resolved against the article's own URL: the two always agree, in feeds
//! and on pages alike.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag, TagEnd};

/// How an entry's ids are made unique among other entries'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Anchors {
    prefix: String,
}

impl Anchors {
    /// The anchors of the article whose slug is `slug`. Slugs are unique in
    /// a site, and `:` is in no slug, so no two entries share an id.
    pub(crate) fn for_slug(slug: &str) -> Self {
        Anchors {
            prefix: format!("{slug}:"),
        }
    }

    /// The entry-unique form of the local id `id`.
    pub(crate) fn id(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    /// A link's target with a local `#fragment` made entry-unique; any other
    /// URL, and a bare `#`, as it is.
    pub(crate) fn href<'u>(&self, url: &'u str) -> std::borrow::Cow<'u, str> {
        match url.trim().strip_prefix('#') {
            Some(fragment) if !fragment.is_empty() => format!("#{}", self.id(fragment)).into(),
            _ => url.into(),
        }
    }
}

/// Gives every heading an id: the one the author set (`{#custom-id}`, as
/// Hugo, Zola and kramdown allow), or else a slug of its text as GitHub makes
/// them. Repeats get `-1`, `-2`… so that ids are unique in the article.
/// Classes and other attributes a heading's `{…}` may name are dropped: they
/// would reach the page without passing the sanitiser.
pub(crate) fn heading_ids(events: &mut [Event<'_>]) {
    let mut taken = HashSet::new();
    // Custom ids first, so that a generated one never takes an author's.
    for event in events.iter_mut() {
        if let Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) = event
        {
            classes.clear();
            attrs.clear();
            if let Some(id) = id {
                taken.insert(id.to_string());
            }
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let slug = heading_slug(&heading_text(&events[i + 1..]));
            let unique = unique(&slug, &mut taken);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(unique.into());
            }
        }
        i += 1;
    }
}

/// The plain text of a heading whose events start at `events`.
fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// GitHub's heading slug: lower case, letters and digits of any script kept,
/// spaces made `-`, `-` and `_` kept, all other punctuation dropped.
pub(crate) fn heading_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            slug.push(c);
        } else if c == ' ' {
            slug.push('-');
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// `wanted`, or the first of `wanted-1`, `wanted-2`… not yet `taken`.
fn unique(wanted: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = wanted.to_string();
    let mut n = 0;
    while !taken.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{wanted}-{n}");
    }
    candidate
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    fn ids(markdown: &str) -> Vec<String> {
        let mut events: Vec<Event> =
            Parser::new_ext(markdown, Options::ENABLE_HEADING_ATTRIBUTES).collect();
        heading_ids(&mut events);
        events
            .iter()
            .filter_map(|event| match event {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn slugs_follow_github_for_every_script() {
        assert_eq!(heading_slug("Hello, World!"), "hello-world");
        assert_eq!(heading_slug("  a_b - c  "), "a_b---c");
        assert_eq!(heading_slug("推动文旅产业复苏"), "推动文旅产业复苏");
        assert_eq!(heading_slug("Ünïcode «ok»"), "ünïcode-ok");
        assert_eq!(heading_slug("مرحبا بالعالم"), "مرحبا-بالعالم");
        assert_eq!(heading_slug("?!"), "section");
    }

    #[test]
    fn headings_get_unique_ids_and_custom_ones_win() {
        assert_eq!(
            ids("# Intro\n\n## Intro\n\n## `code` *x*\n\n## Intro {#intro-1}\n\n## 背景\n"),
            ["intro", "intro-2", "code-x", "intro-1", "背景"]
        );
    }

    #[test]
    fn ids_and_fragments_share_the_prefix() {
        let anchors = Anchors::for_slug("news");
        assert_eq!(anchors.id("fn-1"), "news:fn-1");
        assert_eq!(anchors.href("#fn-1"), "#news:fn-1");
        assert_eq!(anchors.href("#"), "#");
        assert_eq!(anchors.href("other.html#x"), "other.html#x");
    }
}
