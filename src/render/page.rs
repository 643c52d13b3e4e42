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

use std::sync::Mutex;

use minijinja::{Environment, UndefinedBehavior, Value};

use super::blocks::check_blocks;
use super::views::{ArticleView, CategoryView, FeedLink, LinkView, Views};
use super::{Labels, Output, Templates, GENERATOR, VERSION};
use crate::error::Diagnostic;
use crate::model::{relative_href, Channel, Entry, Format, Listing, Neighbour, Neighbours, Place};
use crate::plan::{Article, ListingPage};
use crate::text::escape_with;

/// Where the stylesheet is published.
pub(crate) const STYLESHEET: &str = "style.css";
/// Where the index is published.
pub(crate) const INDEX: &str = "index.html";

/// How many steps one page's template may take (minijinja's fuel): the
/// built-in index of 20,000 entries (`limit = 20000`) renders within it; a
/// template that loops without end stops with an error naming it (in tens of
/// seconds in a debug build).
pub(crate) const TEMPLATE_FUEL: u64 = 50_000_000;

/// Compiled templates, ready to render pages for one channel.
pub(crate) struct Pages<'t> {
    env: Environment<'t>,
    templates: &'t Templates,
    views: Views<'t>,
    labels: Labels,
    /// The error of the first page that ran out of fuel.
    out_of_fuel: Mutex<Option<Diagnostic>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
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
        // A site's template is a program: loops in loops could run for ever.
        env.set_fuel(Some(TEMPLATE_FUEL));
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
        check_blocks(templates)?;
        Ok(Pages {
            env,
            templates,
            views: Views { channel },
            labels: Labels::for_language(channel.language.as_deref()),
            out_of_fuel: Mutex::default(),
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
    pub(crate) fn article(
        &self,
        entry: &Entry,
        path: &str,
        neighbours: &Neighbours,
    ) -> Result<Output, Diagnostic> {
        let root = root_of(path);
        let link = |neighbour: &Option<Neighbour>| {
            neighbour.as_ref().map(|n| LinkView {
                title: n.title.clone(),
                href: format!("{root}{}", self.views.site_path(&n.url)),
            })
        };
        let article = self.views.article_view(entry, &root);
        // Autodiscovery: the site's feeds, then this article's categories'.
        let feeds: Vec<FeedLink> = self
            .views
            .feed_links(&Place::Main, &self.views.channel.title, &root)
            .into_iter()
            .chain(
                article
                    .categories
                    .iter()
                    .flat_map(|c| c.feeds.iter().cloned()),
            )
            .collect();
        let context = minijinja::context! {
            site => self.views.site_view(&root),
            article => article,
            previous => link(&neighbours.older),
            next => link(&neighbours.newer),
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
            .map(|(name, slug)| self.views.category_view(name, slug, &root))
            .collect();
        let site = self.views.site_view(&root);
        let feeds = site.feeds.clone();
        let entries: Vec<ArticleView> = entries
            .iter()
            .map(|entry| self.views.article_view(entry, &root))
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

    /// A page of the site's archive or of a category's list: its articles
    /// (`articles` indexed by `page.entries`) grouped by month, links to
    /// the older and newer pages, and the RFC 5005 archive feeds numbered
    /// `archive_feeds` that hold them.
    pub(crate) fn listing(
        &self,
        page: &ListingPage,
        articles: &[Article],
        archive_feeds: &[usize],
    ) -> Result<Output, Diagnostic> {
        let path = page.path();
        let root = root_of(&path);
        let category = match (&page.listing, &page.name) {
            (Listing::Category(slug), Some(name)) => {
                Some(self.views.category_view(name, slug, &root))
            }
            _ => None,
        };
        let mut feeds = self
            .views
            .feed_links(&Place::Main, &self.views.channel.title, &root);
        feeds.extend(category.iter().flat_map(|c| c.feeds.iter().cloned()));
        let relative = |target: Option<String>| {
            target.map(|target| format!("{root}{}", relative_href(&target)))
        };
        let months = self.views.months(
            page.entries.iter().map(|&index| {
                let article = &articles[index];
                let date_only = article.published_date_only;
                (&*article.title, &*article.url, article.published, date_only)
            }),
            &root,
        );
        let archive_feeds: Vec<Value> = archive_feeds
            .iter()
            .map(|&number| {
                let href = |format| format!("{root}{}", Place::Archive(number).path(format));
                minijinja::context! {
                    number => number,
                    rss => href(Format::Rss),
                    atom => href(Format::Atom),
                }
            })
            .collect();
        let context = minijinja::context! {
            site => self.views.site_view(&root),
            listing => minijinja::context! {
                title => page.name.as_deref().unwrap_or(self.labels.archive),
                category => category,
                months => months,
                number => page.number,
                count => page.count,
                older => relative(page.older()),
                newer => relative(page.newer()),
                archive_feeds => archive_feeds,
            },
            feeds => feeds,
            labels => &self.labels,
            root => root,
            generator => generator(),
        };
        self.render("list.html", &path, context)
    }

    fn render(&self, name: &str, path: &str, context: Value) -> Result<Output, Diagnostic> {
        // Once one page has used up its fuel, the others, rendered in
        // parallel or after it, stop at once: the build fails anyway, and
        // thousands of pages each spending all their fuel would take hours.
        if let Some(error) = lock(&self.out_of_fuel).as_ref() {
            return Err(error.clone());
        }
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(self.templates, &e))?;
        let mut html = template.render(context).map_err(|e| {
            let error = template_error(self.templates, &e);
            if e.kind() == minijinja::ErrorKind::OutOfFuel {
                *lock(&self.out_of_fuel) = Some(error.clone());
            }
            error
        })?;
        if !html.ends_with('\n') {
            html.push('\n');
        }
        Ok(Output {
            path: path.to_string(),
            bytes: html.into_bytes(),
        })
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
    let mut help = if error.kind() == minijinja::ErrorKind::OutOfFuel {
        format!("the template took more than {TEMPLATE_FUEL} steps for one page; look for loops in loops")
    } else {
        "fix the template, or delete it to use the built-in one".to_string()
    };
    if error.kind() == minijinja::ErrorKind::UndefinedError {
        // Name what is undefined: the expression where the error points.
        let source = templates.get(name).unwrap_or_default();
        if let Some(expression) = error.range().and_then(|range| source.get(range)) {
            message = format!("`{expression}` is undefined");
        }
        help = format!(
            "{name} can use {}; README.md's Templates section lists every field",
            VARIABLES
                .iter()
                .find(|(template, _)| *template == name)
                .map_or("site, feeds, labels, root and generator", |(_, names)| {
                    names
                })
        );
    }
    Diagnostic::new(templates.origin(name), format!("template error: {message}"))
        .maybe_line(error.line())
        .help(help)
}

/// The variables each built-in page template is given.
const VARIABLES: &[(&str, &str)] = &[
    (
        "page.html",
        "site, article, feeds, labels, root and generator",
    ),
    (
        "index.html",
        "site, entries, categories, feeds, labels, root and generator",
    ),
    (
        "list.html",
        "site, listing, feeds, labels, root and generator",
    ),
];

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
