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

use chrono::{DateTime, FixedOffset};
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use super::{Labels, Output, Templates, GENERATOR, VERSION};
use crate::error::Diagnostic;
use crate::model::{category_slug, relative_href, Channel, Entry, Format, Place};
use crate::text::escape_with;

/// Where the stylesheet is published.
pub(crate) const STYLESHEET: &str = "style.css";
/// Where the index is published.
pub(crate) const INDEX: &str = "index.html";

/// Compiled templates, ready to render pages for one channel.
pub(crate) struct Pages<'t> {
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

impl<'t> Pages<'t> {
    /// Compiles the templates. A template with a syntax error is reported
    /// with its file and line.
    pub(crate) fn new(
        templates: &'t Templates,
        channel: &'t Channel,
    ) -> Result<Pages<'t>, Diagnostic> {
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
        for (name, text) in templates.sources() {
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
    pub(crate) fn stylesheet(&self) -> Output {
        let text = self.templates.get(STYLESHEET).unwrap_or_default();
        Output {
            path: STYLESHEET.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// The page of `entry`, published at the path of its URL.
    pub(crate) fn article(&self, entry: &Entry, path: &str) -> Result<Output, Diagnostic> {
        let root = root_of(path);
        let article = self.article_view(entry, &root);
        // Autodiscovery: the site's feeds, then this article's categories'.
        let feeds: Vec<FeedLink> = self
            .feed_links(&Place::Main, &self.channel.title, &root)
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
    pub(crate) fn index(
        &self,
        entries: &[&Entry],
        categories: &[(String, String)],
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
            feeds: self.feed_links(&Place::Main, &channel.title, root),
        }
    }

    fn category_view(&self, name: &str, slug: &str, root: &str) -> CategoryView {
        let title = self.channel.category_title(name);
        CategoryView {
            name: name.to_string(),
            slug: slug.to_string(),
            feeds: self.feed_links(&Place::Category(slug.to_string()), &title, root),
        }
    }

    fn feed_links(&self, place: &Place, title: &str, root: &str) -> Vec<FeedLink> {
        Format::ALL
            .into_iter()
            .map(|format| {
                let path = place.path(format);
                FeedLink {
                    title: format!("{title} ({})", format.label()),
                    label: format.label(),
                    r#type: format.media_type(),
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
                url: source.url.as_ref().map(url::Url::as_str),
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

fn generator() -> String {
    format!("{GENERATOR} {VERSION}")
}

/// `../` once per folder of `path`, so that `root + "style.css"` reaches the
/// top of the site from the page at `path`.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn template_error(templates: &Templates, error: &minijinja::Error) -> Diagnostic {
    let name = error.name().unwrap_or("page.html");
    let mut message = error.detail().unwrap_or_default().to_string();
    if message.is_empty() {
        message = error.kind().to_string();
    }
    Diagnostic::new(templates.origin(name), format!("template error: {message}"))
        .maybe_line(error.line())
        .help("fix the template, or delete it to use the built-in one")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_climb_one_folder_per_slash() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("articles/a.html"), "../");
        assert_eq!(root_of("articles/2022/a.html"), "../../");
    }
}
