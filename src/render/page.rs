//! The site's HTML: one page per article, the index, and the stylesheet,
//! from minijinja templates.
//!
//! The built-in templates live in `src/render/templates/`; a site replaces any
//! of them by putting a file of the same name in `feed-data/templates/` (the
//! reader reads those; [`Templates::new`] puts them in place). Templates see
//! plain data: every string is escaped except the article body, which is
//! already sanitised HTML, and a field that is not set prints as nothing.
//!
//! Visible links between pages are relative (`../style.css`), so the site
//! works from any folder and under `make-feed serve`; the canonical link,
//! the autodiscovery links and the body's own links are absolute, because
//! they are read by programs that may not know where the page came from.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use crate::error::Diagnostic;
use crate::markdown::escape_with;
use crate::model::{Channel, Entry, Place, SiteTemplate};
use crate::render::{append_trailer, read_trailer, Labels, Output, GENERATOR, VERSION};
use crate::slug::category_slug;

/// The built-in templates and stylesheet, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("page.html", include_str!("templates/page.html")),
    ("index.html", include_str!("templates/index.html")),
    ("style.css", include_str!("templates/style.css")),
];

/// Where the stylesheet is published.
pub const STYLESHEET: &str = "style.css";
/// Where the index is published.
pub const INDEX: &str = "index.html";

/// The templates a site is built with: the built-in ones, each replaced by
/// the site's own file of the same name, plus any extra the site includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Templates {
    /// Name, source text, and the file it came from (`None` for built-ins).
    sources: Vec<(String, String, Option<PathBuf>)>,
}

impl Templates {
    /// The built-in templates with the site's own in place of those of the
    /// same name.
    pub fn new(site: &[SiteTemplate]) -> Templates {
        let mut sources: Vec<(String, String, Option<PathBuf>)> = BUILT_IN
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string(), None))
            .collect();
        for template in site {
            let replacement = (
                template.name.clone(),
                template.text.clone(),
                Some(template.path.clone()),
            );
            match sources
                .iter_mut()
                .find(|(name, _, _)| *name == template.name)
            {
                Some(slot) => *slot = replacement,
                None => sources.push(replacement),
            }
        }
        Templates { sources }
    }

    fn get(&self, name: &str) -> Option<&(String, String, Option<PathBuf>)> {
        self.sources.iter().find(|(n, _, _)| n == name)
    }

    fn origin(&self, name: &str) -> PathBuf {
        match self.get(name) {
            Some((_, _, Some(path))) => path.clone(),
            _ => PathBuf::from(format!("(built-in template) {name}")),
        }
    }

    /// Feeds every template a page is made from to `hasher`, for the page
    /// cache (the stylesheet is a file of its own).
    pub fn hash_into(&self, hasher: &mut Xxh3) {
        for (name, text, _) in self
            .sources
            .iter()
            .filter(|(name, _, _)| name != STYLESHEET)
        {
            for part in [name, text] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part.as_bytes());
            }
        }
    }
}

/// Compiled templates, ready to render pages for one channel.
pub struct Pages<'t> {
    env: Environment<'t>,
    templates: &'t Templates,
    channel: &'t Channel,
    labels: Labels,
}

/// The feeds of one category.
#[derive(Debug, Clone, Serialize)]
struct CategoryView {
    name: String,
    slug: String,
    feeds: Vec<FeedLink>,
}

#[derive(Debug, Clone, Serialize)]
struct FeedLink {
    /// e.g. "河北共产党员网 · 承德频道 (RSS)"
    title: String,
    /// Short name of the format: "RSS", "Atom", "JSON Feed".
    label: &'static str,
    /// The media type, for `<link type>`.
    r#type: &'static str,
    /// Absolute, for autodiscovery.
    url: String,
    /// Relative to the page, for visible links.
    href: String,
}

#[derive(Debug, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: Option<&'a str>,
    url: &'a str,
    rights: Option<&'a str>,
    author: Option<&'a str>,
    /// The main feeds in every format.
    feeds: Vec<FeedLink>,
}

#[derive(Debug, Serialize)]
struct DateView {
    /// RFC 3339 with the offset it was published in.
    iso: String,
    /// `YYYY-MM-DD HH:MM` in the site's zone (or else the entry's own).
    display: String,
}

#[derive(Debug, Serialize)]
struct SourceView<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct ArticleView<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    href: String,
    published: DateView,
    updated: Option<DateView>,
    authors: &'a [String],
    editor: Option<&'a str>,
    source: Option<SourceView<'a>>,
    categories: Vec<CategoryView>,
    summary: &'a str,
    body: Value,
}

/// The formats every place is published in, with their media types.
const FORMATS: &[(&str, &str, &str, &str)] = &[
    ("rss", "xml", "RSS", "application/rss+xml"),
    ("atom", "xml", "Atom", "application/atom+xml"),
    ("feed", "json", "JSON Feed", "application/feed+json"),
];

impl<'t> Pages<'t> {
    /// Compiles the templates. A template with a syntax error is reported
    /// with its file and line.
    pub fn new(templates: &'t Templates, channel: &'t Channel) -> Result<Pages<'t>, Diagnostic> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Only HTML is escaped; the stylesheet is copied as it is.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".htm") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        // minijinja's own HTML escaping also turns every `/` into `&#x2f;`,
        // which is valid but makes every URL unreadable in the source.
        env.set_formatter(|out, state, value| {
            // An unset field (`{{ article.editor }}`) prints nothing, not "none".
            if value.is_none() {
                return Ok(());
            }
            if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
                if let Some(text) = value.as_str() {
                    // `'` too: a site's template may quote attributes with it.
                    return out
                        .write_str(&escape_with(text, true))
                        .map_err(minijinja::Error::from);
                }
            }
            minijinja::escape_formatter(out, state, value)
        });
        for (name, text, _) in &templates.sources {
            if name.ends_with(".css") {
                continue;
            }
            env.add_template(name, text)
                .map_err(|e| template_error(templates, &e))?;
        }
        Ok(Pages {
            env,
            templates,
            channel,
            labels: Labels::for_language(channel.language.as_deref()),
        })
    }

    /// The stylesheet, as the site's templates give it.
    pub fn stylesheet(&self) -> Output {
        let text = self
            .templates
            .get(STYLESHEET)
            .map(|(_, text, _)| text.as_str())
            .unwrap_or_default();
        Output {
            path: STYLESHEET.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// The page of `entry`, published at the path of its URL.
    pub fn article(&self, entry: &Entry, path: &str) -> Result<Output, Diagnostic> {
        let root = root_of(path);
        let article = self.article_view(entry, &root);
        // Autodiscovery: the site's feeds, then this article's categories'.
        let feeds: Vec<FeedLink> = self
            .feed_links(&Place::main(), &self.channel.title, &root)
            .into_iter()
            .chain(
                article
                    .categories
                    .iter()
                    .flat_map(|c| c.feeds.iter().cloned()),
            )
            .collect();
        let context = minijinja::context! {
            site => self.site_view(&root),
            article => article,
            feeds => feeds,
            labels => &self.labels,
            root => root,
            generator => generator(),
        };
        self.render("page.html", path, context)
    }

    /// `index.html`: the channel, its feeds and its categories' (given as
    /// name and slug), and its newest entries.
    pub fn index(
        &self,
        entries: &[&Entry],
        categories: &[(&str, &str)],
    ) -> Result<Output, Diagnostic> {
        let root = String::new();
        let categories: Vec<CategoryView> = categories
            .iter()
            .map(|(name, slug)| self.category_view(name, slug, &root))
            .collect();
        let site = self.site_view(&root);
        let feeds = site.feeds.clone();
        let entries: Vec<ArticleView> = entries
            .iter()
            .map(|entry| self.article_view(entry, &root))
            .collect();
        let context = minijinja::context! {
            site => site,
            entries => entries,
            categories => categories,
            feeds => feeds,
            labels => &self.labels,
            root => root,
            generator => generator(),
        };
        self.render("index.html", INDEX, context)
    }

    fn render(&self, name: &str, path: &str, context: Value) -> Result<Output, Diagnostic> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(self.templates, &e))?;
        let mut html = template
            .render(context)
            .map_err(|e| template_error(self.templates, &e))?;
        if !html.ends_with('\n') {
            html.push('\n');
        }
        Ok(Output {
            path: path.to_string(),
            bytes: html.into_bytes(),
        })
    }

    fn site_view(&self, root: &str) -> SiteView<'_> {
        let channel = self.channel;
        SiteView {
            title: &channel.title,
            description: &channel.description,
            language: channel.language.as_deref(),
            url: channel.base_url.as_str(),
            rights: channel.rights.as_deref(),
            author: channel.author.as_ref().map(|a| a.name.as_str()),
            feeds: self.feed_links(&Place::main(), &channel.title, root),
        }
    }

    fn category_view(&self, name: &str, slug: &str, root: &str) -> CategoryView {
        let title = format!("{} · {name}", self.channel.title);
        CategoryView {
            name: name.to_string(),
            slug: slug.to_string(),
            feeds: self.feed_links(&Place::category(slug), &title, root),
        }
    }

    fn feed_links(&self, place: &Place, title: &str, root: &str) -> Vec<FeedLink> {
        FORMATS
            .iter()
            .map(|&(stem, extension, label, media_type)| {
                let path = place.file(stem, extension);
                FeedLink {
                    title: format!("{title} ({label})"),
                    label,
                    r#type: media_type,
                    url: self.channel.url_of(&path).to_string(),
                    href: format!("{root}{}", relative_href(&path)),
                }
            })
            .collect()
    }

    fn article_view<'e>(&self, entry: &'e Entry, root: &str) -> ArticleView<'e> {
        let site_path = entry
            .url
            .as_str()
            .strip_prefix(self.channel.base_url.as_str())
            .unwrap_or(entry.url.as_str());
        ArticleView {
            id: &entry.id,
            title: &entry.title,
            url: entry.url.as_str(),
            href: format!("{root}{site_path}"),
            published: self.date_view(&entry.published),
            updated: entry
                .updated
                .filter(|updated| *updated != entry.published)
                .map(|updated| self.date_view(&updated)),
            authors: &entry.authors,
            editor: entry.editor.as_deref(),
            source: entry.source.as_ref().map(|source| SourceView {
                name: &source.name,
                url: source.url.as_ref().map(|url| url.as_str()),
            }),
            categories: entry
                .categories
                .iter()
                .map(|name| self.category_view(name, &category_slug(name), root))
                .collect(),
            summary: &entry.summary,
            body: Value::from_safe_string(entry.body_html.clone()),
        }
    }

    fn date_view(&self, date: &DateTime<FixedOffset>) -> DateView {
        let display = match self.channel.timezone {
            Some(zone) => date
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            None => date.format("%Y-%m-%d %H:%M").to_string(),
        };
        DateView {
            iso: date.to_rfc3339(),
            display,
        }
    }
}

/// What a page was made from: a fingerprint of its inputs (the article's
/// text and path, the channel, the templates, make-feed's version) and the
/// site paths its body refers to, which the build needs to copy assets
/// even when it keeps the page. The line also gives the length of the page
/// before it, so that a damaged page is never kept for its intact last line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    pub key: u64,
    pub references: Vec<String>,
}

impl Trailer {
    /// Appends the trailer to a rendered page.
    pub fn append_to(&self, page: &mut Output) {
        // Encoded, so that no path can end the comment or split a word.
        let words: Vec<String> = self.references.iter().map(|r| relative_href(r)).collect();
        append_trailer(page, "page", self.key, &words);
    }

    /// The trailer on the last line of a page of `file_len` bytes, given its
    /// end, if it has one and the page is as long as it says.
    pub fn read_from(tail: &[u8], file_len: u64) -> Option<Trailer> {
        let (key, words) = read_trailer(tail, file_len, "page")?;
        let references = words
            .into_iter()
            .map(|word| {
                percent_encoding::percent_decode_str(word)
                    .decode_utf8()
                    .ok()
                    .map(|path| path.into_owned())
            })
            .collect::<Option<_>>()?;
        Some(Trailer { key, references })
    }
}

fn generator() -> String {
    format!("{GENERATOR} {VERSION}")
}

/// `../` once per folder of `path`, so that `root + "style.css"` reaches the
/// top of the site from the page at `path`.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A path below the output folder as an href: each segment percent-encoded
/// (category folders may be CJK or hold spaces).
fn relative_href(path: &str) -> String {
    path.split('/')
        .map(crate::slug::uri_component)
        .collect::<Vec<_>>()
        .join("/")
}

fn template_error(templates: &Templates, error: &minijinja::Error) -> Diagnostic {
    let name = error.name().unwrap_or("page.html");
    let mut message = error.detail().unwrap_or_default().to_string();
    if message.is_empty() {
        message = error.kind().to_string();
    }
    Diagnostic::new(templates.origin(name), format!("template error: {message}"))
        .maybe_line(error.line())
        .help("fix the template in feed-data/templates/, or delete it to use the built-in one")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_read_back_what_was_written() {
        let trailer = Trailer {
            key: 0x0123_4567_89ab_cdef,
            references: vec!["articles/images/a b.jpg".into(), "承德/x-->.png".into()],
        };
        let mut page = Output {
            path: "articles/a.html".into(),
            bytes: "<!DOCTYPE html>\n<p>疫线党员</p>\n".as_bytes().to_vec(),
        };
        trailer.append_to(&mut page);
        let text = String::from_utf8(page.bytes.clone()).unwrap();
        assert!(
            text.ends_with(" -->\n") && text.matches("-->").count() == 1,
            "{text}"
        );
        let len = page.bytes.len() as u64;
        assert_eq!(Trailer::read_from(&page.bytes, len), Some(trailer.clone()));
        // A tail read from the middle of a character still gives the trailer.
        assert_eq!(
            Trailer::read_from(&page.bytes[18..], len),
            Some(trailer.clone())
        );
        // A page cut short, or grown, is not what its trailer describes.
        let cut: Vec<u8> = page.bytes[..5]
            .iter()
            .chain(&page.bytes[25..])
            .copied()
            .collect();
        assert_eq!(Trailer::read_from(&cut, cut.len() as u64), None);
        assert_eq!(Trailer::read_from(b"<p>no trailer</p>\n", 18), None);
    }

    #[test]
    fn roots_climb_one_folder_per_slash() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("articles/a.html"), "../");
        assert_eq!(root_of("articles/2022/a.html"), "../../");
    }

    #[test]
    fn hrefs_encode_each_segment() {
        assert_eq!(
            relative_href("categories/承德 频道/rss.xml"),
            "categories/%E6%89%BF%E5%BE%B7%20%E9%A2%91%E9%81%93/rss.xml"
        );
    }
}
