//! One article file: TOML front matter between `+++` lines, then a
//! CommonMark body, read into an [`Entry`].

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use url::Url;

use crate::dates;
use crate::error::Diagnostic;
use crate::markdown;
use crate::model::{Channel, Entry, Source};
use crate::slug::uri_component;
use crate::text::{removal_warning, remove_xml_unsafe, squash_whitespace, truncate_chars};
use crate::toml_input::{self, Place};

/// How many categories (and how many authors) one article may have.
pub const MAX_CATEGORIES: usize = 100;

/// How many characters of the first paragraph make the default summary.
pub const SUMMARY_CHARS: usize = 120;

/// The front matter as written. Unknown keys are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    published: toml::Value,
    updated: Option<toml::Value>,
    #[serde(default)]
    authors: Vec<String>,
    editor: Option<String>,
    source: Option<String>,
    source_url: Option<String>,
    #[serde(default)]
    categories: Vec<String>,
    summary: Option<String>,
    slug: Option<String>,
    id: Option<String>,
}

impl FrontMatter {
    /// Every string that can reach an output, with its key.
    fn strings_mut(&mut self) -> impl Iterator<Item = (&'static str, &mut String)> {
        [
            ("editor", &mut self.editor),
            ("source", &mut self.source),
            ("source_url", &mut self.source_url),
            ("summary", &mut self.summary),
            ("slug", &mut self.slug),
            ("id", &mut self.id),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_mut().map(|v| (key, v)))
        .chain(std::iter::once(("title", &mut self.title)))
        .chain(self.authors.iter_mut().map(|v| ("authors", v)))
        .chain(self.categories.iter_mut().map(|v| ("categories", v)))
    }
}

/// Where an article file sits, as the reader found it.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    /// The path to show in messages.
    pub path: &'a Path,
    /// The folder below `articles/`, `/`-separated and percent-encoded, empty or ending in `/`.
    pub folder: &'a str,
    /// The file name without `.md`: the default slug.
    pub stem: &'a str,
}

/// What planning needs to know of an article, without its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub id: String,
    pub slug: String,
    pub published: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub categories: Vec<String>,
}

impl Head {
    pub fn of(entry: &Entry) -> Head {
        Head {
            id: entry.id.clone(),
            slug: entry.slug.clone(),
            published: entry.published,
            updated: entry.updated,
            categories: entry.categories.clone(),
        }
    }
}

/// Checks an article's front matter and returns its [`Head`]. The body is
/// not rendered: a build renders only the articles it writes.
pub fn scan_article(
    text: &str,
    at: Location<'_>,
    channel: &Channel,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Head, Diagnostic> {
    Ok(read_front(text, at, channel, warnings)?.head())
}

/// Reads one article, body included.
pub fn parse_article(
    text: &str,
    at: Location<'_>,
    channel: &Channel,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Entry, Diagnostic> {
    read_front(text, at, channel, warnings)?.render(at, warnings)
}

/// Checks an article's front matter, leaving the body for [`Parsed::render`].
pub fn read_front<'t>(
    text: &'t str,
    at: Location<'_>,
    channel: &Channel,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Parsed<'t>, Diagnostic> {
    parse_front(text, at, channel, warnings)
}

impl Parsed<'_> {
    /// The article's own page.
    pub fn url(&self) -> &url::Url {
        &self.entry.url
    }

    /// What planning needs.
    pub fn head(&self) -> Head {
        Head::of(&self.entry)
    }

    /// The whole entry, body rendered.
    pub fn render(
        self,
        at: Location<'_>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Entry, Diagnostic> {
        let Parsed {
            mut entry,
            summary,
            body,
        } = self;
        let rendered = markdown::render(body, &entry.url).map_err(|_| {
            Diagnostic::new(
                at.path,
                format!(
                    "the body nests more than {} levels deep",
                    markdown::MAX_NESTING
                ),
            )
            .help("flatten the nested block quotes or lists")
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
        Ok(entry)
    }
}

/// An article whose front matter is read and checked, its body not yet
/// rendered: `entry.summary` and `entry.body_html` are still empty.
pub struct Parsed<'t> {
    entry: Entry,
    summary: Option<String>,
    body: &'t str,
}

fn parse_front<'t>(
    text: &'t str,
    at: Location<'_>,
    channel: &Channel,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Parsed<'t>, Diagnostic> {
    let (toml_start, toml, body) = split_front_matter(text, at.path)?;
    let place = Place {
        path: at.path,
        file_text: text,
        offset: toml_start,
    };
    let mut front: FrontMatter = toml_input::parse(toml, place)?;
    // The file's text is already clean, but a TOML escape such as `\u0001`
    // can still spell a character XML forbids.
    for (key, value) in front.strings_mut() {
        remove_xml_unsafe(
            value,
            key,
            || place.line_of_key(toml, key),
            at.path,
            warnings,
        );
    }
    let error = |field: &str, message: String| {
        Diagnostic::new(at.path, message)
            .field(field)
            .maybe_line(place.line_of_key(toml, field))
    };
    let date = |field: &str, value: &toml::Value| -> Result<DateTime<FixedOffset>, Diagnostic> {
        dates::from_toml(value, channel.timezone)
            .map_err(|e| error(field, e.message()).help(e.help()))
    };

    let title = squash_whitespace(&front.title);
    if title.is_empty() {
        return Err(error("title", "is empty".into()));
    }
    let published = date("published", &front.published)?;
    let updated = front
        .updated
        .as_ref()
        .map(|v| date("updated", v))
        .transpose()?;
    if updated.is_some_and(|updated| updated < published) {
        return Err(error("updated", "is earlier than `published`".into()));
    }

    let slug = front.slug.clone().unwrap_or_else(|| at.stem.to_string());
    if let Err(problem) = check_slug(&slug) {
        let field = if front.slug.is_some() {
            "slug"
        } else {
            "slug (from the file name)"
        };
        return Err(error(field, format!("{slug:?} {problem}"))
            .help("use letters, digits, '-' and '_', e.g. slug = \"my-article\""));
    }
    let url = channel.url_of(&format!("{}{}.html", at.folder, slug));

    let id = match front.id {
        Some(id) => {
            let id = id.trim().to_string();
            if !crate::slug::is_uri(&id) {
                return Err(error("id", format!("{id:?} is not an absolute URI")).help(
                    "use a URI such as \"tag:example.org,2022-06-01:my-article\" or \"urn:uuid:…\", \
                     with non-ASCII characters percent-encoded",
                ));
            }
            id
        }
        None => tag_uri(&channel.id_authority, &published, &slug),
    };

    let source = match front.source {
        Some(name) => {
            let url = front
                .source_url
                .map(|text| {
                    Url::parse(&text)
                        .ok()
                        .filter(|u| matches!(u.scheme(), "http" | "https"))
                        .ok_or_else(|| {
                            error(
                                "source_url",
                                format!("{text:?} is not an absolute http(s) URL"),
                            )
                        })
                })
                .transpose()?;
            Some(Source {
                name: squash_whitespace(&name),
                url,
            })
        }
        None if front.source_url.is_some() => {
            return Err(error("source_url", "is set but `source` is not".into())
                .help("add source = \"the publication's name\""));
        }
        None => None,
    };

    let names = |field: &str, values: Vec<String>| -> Result<Vec<String>, Diagnostic> {
        let mut out: Vec<String> = Vec::with_capacity(values.len());
        for value in values {
            let value = squash_whitespace(&value);
            if value.is_empty() {
                return Err(error(field, "holds an empty name".into()));
            }
            if !out.contains(&value) {
                out.push(value);
            }
        }
        Ok(out)
    };
    if front.authors.len() > MAX_CATEGORIES {
        return Err(error(
            "authors",
            format!(
                "has {} names; an article may have at most {MAX_CATEGORIES}",
                front.authors.len()
            ),
        ));
    }
    if front.categories.len() > MAX_CATEGORIES {
        return Err(error(
            "categories",
            format!(
                "has {} names; an article may have at most {MAX_CATEGORIES}",
                front.categories.len()
            ),
        ));
    }
    let authors = names("authors", front.authors)?;
    let categories = names("categories", front.categories)?;
    let editor = front
        .editor
        .map(|e| squash_whitespace(&e))
        .filter(|e| !e.is_empty());

    let entry = Entry {
        id,
        slug,
        url,
        title,
        published,
        updated,
        authors,
        editor,
        source,
        categories,
        summary: String::new(),
        body_html: String::new(),
        origin: at.path.to_path_buf(),
    };
    Ok(Parsed {
        entry,
        summary: front.summary,
        body,
    })
}

/// Splits `+++\n<toml>\n+++\n<body>`: the TOML's byte offset, the TOML, the body.
fn split_front_matter<'t>(
    text: &'t str,
    path: &Path,
) -> Result<(usize, &'t str, &'t str), Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(Diagnostic::new(path, "does not start with front matter")
            .line(1)
            .help("begin the file with a line `+++`, the TOML keys (title, published, …), and another `+++`"));
    }
    let start = first.len();
    let mut offset = start;
    for line in lines {
        if line.trim_end() == "+++" {
            return Ok((start, &text[start..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(path, "front matter is never closed")
        .line(1)
        .help("end the front matter with a line holding only `+++`"))
}

pub fn check_slug(slug: &str) -> Result<(), &'static str> {
    if slug.is_empty() {
        return Err("is empty");
    }
    if slug.starts_with('.') {
        return Err("starts with a dot");
    }
    if crate::slug::is_reserved(slug) {
        return Err("is a name Windows reserves for a device");
    }
    if slug
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "/\\?#%\"<>|*:".contains(c))
    {
        return Err(
            "has spaces, slashes or other characters that do not belong in a file name or URL",
        );
    }
    Ok(())
}

/// `tag:<authority>,<published date>:<slug>`: independent of the title and of
/// where the site is served, so neither an edit nor a move makes an old entry
/// look new.
pub fn tag_uri(authority: &str, published: &DateTime<FixedOffset>, slug: &str) -> String {
    format!(
        "tag:{},{}:{}",
        authority,
        published.format("%Y-%m-%d"),
        uri_component(slug)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_uri_encodes_the_slug() {
        let published = DateTime::parse_from_rfc3339("2022-06-01T17:52:50+08:00").unwrap();
        assert_eq!(
            tag_uri("feeds.example.org", &published, "硬核-a_b"),
            "tag:feeds.example.org,2022-06-01:%E7%A1%AC%E6%A0%B8-a_b"
        );
    }

    #[test]
    fn front_matter_is_split_at_the_closing_line() {
        let text = "+++\ntitle = \"x\"\n+++\nbody\n";
        let (start, toml, body) = split_front_matter(text, Path::new("a.md")).unwrap();
        assert_eq!((start, toml, body), (4, "title = \"x\"\n", "body\n"));
        assert!(split_front_matter("+++\ntitle = 1\n", Path::new("a.md")).is_err());
        assert!(split_front_matter("title = 1\n", Path::new("a.md")).is_err());
    }
}
