//! One article file: TOML front matter between `+++` lines, then a
//! CommonMark body, read into an [`Entry`].
//!
//! Reading is in two steps so that a build renders only the bodies it
//! writes: [`read_front`] checks the front matter and gives what planning
//! needs ([`Parsed::head`]); [`Parsed::render`] turns the body into HTML.

use url::Url;

use super::anchors::Anchors;
use super::dates;
use super::fields::Fields;
use super::files::Location;
use super::front_matter;
use super::generator::{self, PostUrls};
use super::{markdown, sanitize};
use crate::error::Diagnostic;
use chrono::{DateTime, FixedOffset};

use crate::model::{
    check_slug, is_uri, tag_uri, Channel, Dialect, Entry, Generator, Head, IdScheme, Source,
};
use crate::text::{removal_warning, squash_whitespace, truncate_chars};

/// How many categories (and how many authors) one article may have.
pub(crate) const MAX_CATEGORIES: usize = 100;

/// How many characters of the first paragraph make the default summary.
const SUMMARY_CHARS: usize = 120;

/// The keys front matter may set. Any other is an error, so a misspelt key
/// never silently loses data.
const KEYS: &[&str] = &[
    "title",
    "published",
    "updated",
    "authors",
    "editor",
    "source",
    "source_url",
    "categories",
    "summary",
    "slug",
    "id",
];

/// An article whose front matter is read and checked, its body not yet
/// rendered: `entry.summary`, `entry.body_html` and `entry.links` are
/// still empty.
pub(crate) struct Parsed<'t> {
    entry: Entry,
    summary: Option<String>,
    body: &'t str,
    /// The line of the file the body starts on.
    body_line: usize,
    /// What may hold a generator's post back from its feeds.
    hold: Hold,
}

/// What decides whether a generator publishes a post now.
#[derive(Debug, Clone, Copy, Default)]
struct Hold {
    draft: bool,
    undated: bool,
    publish_at: Option<DateTime<FixedOffset>>,
    expires: Option<DateTime<FixedOffset>>,
}

/// Why a post is not in the feeds, as its generator would leave it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum HeldBack {
    Draft,
    Future,
    Expired,
    /// A page without a date (an about page), which generators' feeds omit.
    Undated,
}

impl HeldBack {
    /// What the build report says of `count` such posts.
    pub(crate) fn describe(self, count: usize) -> String {
        let s = if count == 1 { "" } else { "s" };
        match self {
            HeldBack::Draft => format!("{count} draft{s} (draft, or published: false)"),
            HeldBack::Future => format!("{count} post{s} dated in the future"),
            HeldBack::Expired => format!("{count} expired post{s} (expiryDate passed)"),
            HeldBack::Undated => format!("{count} page{s} without a date"),
        }
    }
}

/// Checks an article's front matter, leaving the body for [`Parsed::render`].
pub(crate) fn read_front<'t>(
    text: &'t str,
    at: Location<'_>,
    channel: &Channel,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Parsed<'t>, Diagnostic> {
    let split = match channel.dialect.generator {
        Generator::MakeFeed => front_matter::split(text, at.path)?,
        _ => front_matter::split_optional(text, at.path)?,
    };
    let fields = Fields::parse_front(
        split.syntax,
        split.front,
        at.path,
        split.front_line,
        warnings,
    )?;
    let (entry, summary, hold) = match channel.dialect.generator {
        Generator::MakeFeed => own(&fields, at, channel)?,
        generator => from_generator(generator, &fields, at, channel)?,
    };
    Ok(Parsed {
        entry,
        summary,
        body: split.body,
        body_line: crate::text::line_of(text, text.len() - split.body.len()),
        hold,
    })
}

/// make-feed's own format: known keys only, `title` and `published`
/// required.
fn own(
    fields: &Fields<'_>,
    at: Location<'_>,
    channel: &Channel,
) -> Result<(Entry, Option<String>, Hold), Diagnostic> {
    fields.deny_unknown(KEYS)?;
    let title = squash_whitespace(&fields.required_string("title")?);
    if title.is_empty() {
        return Err(fields.error("title", "is empty"));
    }
    let date = |key: &str, value: &_| {
        dates::from_value(value, channel.timezone)
            .map_err(|e| fields.error(key, e.message()).help(e.help()))
    };
    let published_value = fields.required_value("published")?;
    let published = date("published", published_value)?;
    let updated = fields
        .value("updated")
        .map(|value| date("updated", value))
        .transpose()?;
    if updated.is_some_and(|updated| updated < published) {
        return Err(fields.error("updated", "is earlier than `published`"));
    }
    let slug = slug(fields, at)?;
    let url = match &channel.dialect.permalink {
        Some(pattern) => permalink_url(channel, pattern, &published, &slug, &title, at),
        None => channel.url_of(&format!("{}{}.html", at.folder, slug)),
    };
    let id = match fields.string("id")? {
        Some(id) => checked_id(fields, id)?,
        None => tag_uri(&channel.id_authority, &published, &slug),
    };
    let entry = Entry {
        id,
        slug,
        url,
        title,
        published,
        published_date_only: dates::is_date_only(published_value),
        updated,
        authors: names(fields, "authors")?,
        editor: fields
            .string("editor")?
            .map(|e| squash_whitespace(&e))
            .filter(|e| !e.is_empty()),
        source: source(fields)?,
        categories: names(fields, "categories")?,
        summary: String::new(),
        body_html: String::new(),
        links: Vec::new(),
        origin: at.path.to_path_buf(),
    };
    Ok((entry, fields.string("summary")?, Hold::default()))
}

/// `feed.toml`'s `permalink` for an article of make-feed's own format.
fn permalink_url(
    channel: &Channel,
    pattern: &crate::model::Permalink,
    published: &DateTime<FixedOffset>,
    slug: &str,
    title: &str,
    at: Location<'_>,
) -> Url {
    let local = match channel.timezone {
        Some(zone) => published.with_timezone(&zone).fixed_offset(),
        None => *published,
    };
    let values = crate::model::PermalinkValues {
        slug: slug.to_string(),
        title: title.to_string(),
        section: at
            .relative
            .split('/')
            .next()
            .filter(|_| at.relative.contains('/'))
            .unwrap_or("")
            .to_string(),
        filename: at.stem.to_string(),
        ..crate::model::PermalinkValues::dated(&local)
    };
    channel.url_of(pattern.expand(&values).trim_start_matches('/'))
}

/// A post read the way its generator reads it.
fn from_generator(
    generator: Generator,
    fields: &Fields<'_>,
    at: Location<'_>,
    channel: &Channel,
) -> Result<(Entry, Option<String>, Hold), Diagnostic> {
    let front = generator::front(generator, fields, at, channel)?;
    let url = channel.url_of(front.path.trim_start_matches('/'));
    let (published, date_only) = front
        .published
        .unwrap_or((DateTime::UNIX_EPOCH.fixed_offset(), true));
    let slug = if check_slug(&front.slug).is_ok() {
        front.slug
    } else {
        crate::model::uri_component(&front.slug)
    };
    let id = match channel.dialect.ids {
        IdScheme::Generator => match &front.id_path {
            Some(path) => channel.url_of(path.trim_start_matches('/')).to_string(),
            None => url.to_string(),
        },
        IdScheme::Tag => tag_uri(&channel.id_authority, &published, &slug),
    };
    let updated = front.updated.filter(|updated| *updated > published);
    let entry = Entry {
        id,
        slug,
        url,
        title: front.title,
        published,
        published_date_only: date_only,
        updated,
        authors: front.authors.into_iter().take(MAX_CATEGORIES).collect(),
        editor: None,
        source: None,
        categories: front.categories.into_iter().take(MAX_CATEGORIES).collect(),
        summary: String::new(),
        body_html: String::new(),
        links: Vec::new(),
        origin: at.path.to_path_buf(),
    };
    let hold = Hold {
        draft: front.draft,
        undated: front.published.is_none(),
        publish_at: front.publish_at,
        expires: front.expires,
    };
    Ok((entry, front.summary, hold))
}

/// Reads one article, body included.
pub(crate) fn read_entry(
    text: &str,
    at: Location<'_>,
    channel: &Channel,
    posts: &PostUrls,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Entry, Diagnostic> {
    read_front(text, at, channel, warnings)?.render(at, channel, posts, warnings)
}

impl Parsed<'_> {
    /// The article's own page.
    pub(crate) fn url(&self) -> &Url {
        &self.entry.url
    }

    /// What planning needs.
    pub(crate) fn head(&self) -> Head {
        Head::of(&self.entry)
    }

    /// The absolute URLs the rendered body will link to or show, found
    /// without rendering it; `None` for a body with raw HTML, footnotes or
    /// tables, whose links only the sanitiser can tell, and for a
    /// generator's post, whose links to other posts only the whole site
    /// tells. With the feeds alone (`pages = false`), nothing publishes the
    /// files a body links to, so the body is not parsed for them.
    pub(crate) fn links(&self, channel: &Channel) -> Option<Vec<String>> {
        if channel.dialect.generator != Generator::MakeFeed || !channel.dialect.pages {
            return None;
        }
        let anchors = Anchors::for_slug(&self.entry.slug);
        markdown::links_of(self.body, &self.entry.url, &anchors)
    }

    /// Why the post's generator would leave it out of its feeds at `now`
    /// (no `now`: nothing is held back for its date), if it would.
    /// Whether showing this post can change with the date alone: it
    /// expires, and the generator holds back expired posts.
    pub(crate) fn may_expire(&self, dialect: &Dialect) -> bool {
        self.hold.expires.is_some() && !dialect.expired
    }

    pub(crate) fn held_back(
        &self,
        dialect: &Dialect,
        now: Option<DateTime<FixedOffset>>,
    ) -> Option<HeldBack> {
        let hold = &self.hold;
        let publish_at = hold.publish_at.unwrap_or(self.entry.published);
        if hold.draft && !dialect.drafts {
            Some(HeldBack::Draft)
        } else if hold.undated {
            Some(HeldBack::Undated)
        } else if now.is_some_and(|now| publish_at > now) && !dialect.future {
            Some(HeldBack::Future)
        } else if hold
            .expires
            .zip(now)
            .is_some_and(|(expires, now)| expires <= now)
            && !dialect.expired
        {
            Some(HeldBack::Expired)
        } else {
            None
        }
    }

    /// The whole entry, body rendered.
    pub(crate) fn render(
        self,
        at: Location<'_>,
        channel: &Channel,
        posts: &PostUrls,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Entry, Diagnostic> {
        let Parsed {
            mut entry,
            summary,
            body,
            body_line,
            hold: _,
        } = self;
        let anchors = Anchors::for_slug(&entry.slug);
        let generator = channel.dialect.generator;
        let folder = at
            .relative
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder);
        let folder = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let place = generator::Body {
            path: at.path,
            folder: &folder,
            first_line: body_line,
        };
        let body = generator::expand(body, generator, posts, &place, warnings);
        let links = markdown::PostLinks {
            posts: (generator != Generator::MakeFeed).then_some(posts),
            folder: &folder,
        };
        let rendered = markdown::render_with(&body, &entry.url, &anchors, &links).map_err(|refused| match refused {
            markdown::Refused::TooDeep => Diagnostic::new(
                at.path,
                format!(
                    "the body nests more than {} levels deep",
                    markdown::MAX_NESTING
                ),
            )
            .help("flatten the nested block quotes or lists"),
            markdown::Refused::TagTooLarge { line } => Diagnostic::new(
                at.path,
                format!(
                    "a raw HTML tag in the body is longer than {} KB or has more than {} attributes",
                    sanitize::MAX_TAG_BYTES >> 10,
                    sanitize::MAX_TAG_WORDS
                ),
            )
            .maybe_line(line.map(|line| body_line + line - 1))
            .help("shorten the tag; real tags have a handful of attributes"),
        })?;
        for &character in &rendered.removed {
            warnings.push(removal_warning(
                at.path,
                character,
                ", written as a character reference in the body",
            ));
        }
        entry.summary = match summary {
            Some(summary) => squash_whitespace(&summary),
            None => truncate_chars(&rendered.first_paragraph, SUMMARY_CHARS),
        };
        entry.body_html = rendered.html;
        entry.links = rendered.links;
        Ok(entry)
    }
}

/// The front matter's `slug`, or else the file name's.
fn slug(fields: &Fields<'_>, at: Location<'_>) -> Result<String, Diagnostic> {
    let given = fields.string("slug")?;
    let slug = given.clone().unwrap_or_else(|| at.stem.to_string());
    if let Err(problem) = check_slug(&slug) {
        let message = format!("{slug:?} {problem}");
        let error = match given {
            Some(_) => fields.error("slug", message),
            None => Diagnostic::new(at.path, message).field("slug (from the file name)"),
        };
        return Err(error.help("use letters, digits, '-' and '_', e.g. slug = \"my-article\""));
    }
    Ok(slug)
}

fn checked_id(fields: &Fields<'_>, id: String) -> Result<String, Diagnostic> {
    let id = id.trim().to_string();
    if is_uri(&id) {
        return Ok(id);
    }
    Err(fields
        .error("id", format!("{id:?} is not an absolute URI"))
        .help(
            "use a URI such as \"tag:example.org,2022-06-01:my-article\" or \"urn:uuid:…\", \
             with non-ASCII characters percent-encoded",
        ))
}

fn source(fields: &Fields<'_>) -> Result<Option<Source>, Diagnostic> {
    let url = fields.string("source_url")?;
    let Some(name) = fields.string("source")? else {
        return match url {
            Some(_) => Err(fields
                .error("source_url", "is set but `source` is not")
                .help("add source = \"the publication's name\"")),
            None => Ok(None),
        };
    };
    let url = url
        .map(|text| {
            Url::parse(&text)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    fields.error(
                        "source_url",
                        format!("{text:?} is not an absolute http(s) URL"),
                    )
                })
        })
        .transpose()?;
    Ok(Some(Source {
        name: squash_whitespace(&name),
        url,
    }))
}

/// A list of names (authors, categories): white space squashed, each once,
/// none empty, at most [`MAX_CATEGORIES`].
fn names(fields: &Fields<'_>, key: &str) -> Result<Vec<String>, Diagnostic> {
    let values = fields.strings(key)?;
    if values.len() > MAX_CATEGORIES {
        return Err(fields.error(
            key,
            format!(
                "has {} names; an article may have at most {MAX_CATEGORIES}",
                values.len()
            ),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let value = squash_whitespace(&value);
        if value.is_empty() {
            return Err(fields.error(key, "holds an empty name"));
        }
        if !out.contains(&value) {
            out.push(value);
        }
    }
    Ok(out)
}
