//! Hugo's reading of a page (gohugo.io/content-management/front-matter,
//! /urls, /organization): keys compared without case, its date order, its
//! sections, leaf bundles and URLs.

use super::{authors, date, names, taxonomy_terms, text, Front};
use crate::error::Diagnostic;
use crate::input::fields::Fields;
use crate::input::files::Location;
use crate::model::{Channel, Permalink, PermalinkValues};

/// Hugo's default `frontmatter` settings: where `.Date`, `.PublishDate`,
/// `.Lastmod` and `.ExpiryDate` come from, first set first.
const DATE: &[&str] = &["date", "publishdate", "pubdate", "published"];
const PUBLISH_DATE: &[&str] = &["publishdate", "pubdate", "published", "date"];
const LASTMOD: &[&str] = &["lastmod", "modified"];
const EXPIRY: &[&str] = &["expirydate", "unpublishdate"];

pub(super) fn front(
    fields: &Fields<'_>,
    at: Location<'_>,
    channel: &Channel,
) -> Result<Front, Diagnostic> {
    let fields = &fields.lower_case_keys();
    let (folders, name) = page_name(at.relative);
    let rules = &channel.dialect.date_rules;
    let dated =
        |rule: usize, default: &[&str]| hugo_date(fields, &rules[rule], default, name, channel);
    let published = dated(0, DATE)?;
    let title = text(fields, "title")?.unwrap_or_else(|| name.to_string());
    let slug = text(fields, "slug")?;
    let mut categories = names(fields, &["categories", "tags"], false)?;
    taxonomy_terms(fields, &mut categories);
    let section = folders.first().copied().unwrap_or_default().to_string();
    let path = match text(fields, "url")? {
        Some(url) if url.starts_with('/') => url,
        Some(url) => format!("/{url}"),
        None => {
            let dialect = &channel.dialect;
            match dialect.permalink_for(&section) {
                Some(pattern) => {
                    let values = PermalinkValues {
                        slug: make_path(slug.as_deref().unwrap_or(&title)),
                        title: make_path(&title),
                        section: section.clone(),
                        filename: name.to_string(),
                        ..published
                            .map(|(d, _)| PermalinkValues::dated(&d))
                            .unwrap_or_default()
                    };
                    expand_to_path(pattern, &values)
                }
                None => default_path(&folders, slug.as_deref().unwrap_or(name), dialect.ugly_urls),
            }
        }
    };
    Ok(Front {
        title,
        published,
        publish_at: dated(1, PUBLISH_DATE)?.map(|(d, _)| d),
        updated: dated(2, LASTMOD)?.map(|(d, _)| d),
        expires: dated(3, EXPIRY)?.map(|(d, _)| d),
        draft: fields.loose_boolean("draft")?.unwrap_or(false),
        authors: authors(fields)?,
        categories,
        summary: match text(fields, "summary")? {
            Some(summary) => Some(summary),
            None => text(fields, "description")?,
        },
        slug: slug.unwrap_or_else(|| name.to_string()),
        path,
        id_path: None,
    })
}

/// A date by one of Hugo's `[frontmatter]` rules: the first of `rule`'s
/// keys that is set, where `:default` stands for Hugo's own order and
/// `:filename` for a `YYYY-MM-DD-` prefix of the page's name; `:git` and
/// `:fileModTime` are skipped (make-feed reads neither history nor the
/// file system's clock). An empty rule is Hugo's default.
fn hugo_date(
    fields: &Fields<'_>,
    rule: &[String],
    default: &[&str],
    name: &str,
    channel: &Channel,
) -> Result<Option<(chrono::DateTime<chrono::FixedOffset>, bool)>, Diagnostic> {
    if rule.is_empty() {
        return date(fields, default, channel);
    }
    for key in rule {
        let found = match key.as_str() {
            ":default" => date(fields, default, channel)?,
            ":filename" => match super::dated_name(name) {
                Some((day, _)) => {
                    let value = crate::input::fields::Value::String(day.to_string());
                    let zone = channel.timezone.or(Some(chrono_tz::UTC));
                    crate::input::dates::from_value(&value, zone)
                        .ok()
                        .map(|d| (d, true))
                }
                None => None,
            },
            key if key.starts_with(':') => None,
            key => date(fields, &[key], channel)?,
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The folders below the content folder and the page's name: a leaf
/// bundle (`posts/my-post/index.md`) is named after its folder.
fn page_name(relative: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = relative.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    if stem == "index" {
        if let Some(folder) = parts.pop() {
            return (parts, folder);
        }
    }
    (parts, stem)
}

/// Hugo's URL for a page no rule places: its folders and name, made into a
/// path as Hugo makes one (`/posts/my-post/`, or `.html` with `uglyURLs`).
fn default_path(folders: &[&str], name: &str, ugly: bool) -> String {
    let mut path = String::from("/");
    for folder in folders {
        path.push_str(&encode(&make_path(folder)));
        path.push('/');
    }
    path.push_str(&encode(&make_path(name)));
    path.push_str(if ugly { ".html" } else { "/" });
    path
}

/// A pattern expanded; a pattern ending without `/` or an extension gets
/// one, as Hugo writes `index.html` into a folder.
fn expand_to_path(pattern: &Permalink, values: &PermalinkValues) -> String {
    let path = pattern.expand(values);
    let last = path.rsplit('/').next().unwrap_or_default();
    if path.ends_with('/') || last.contains('.') {
        path
    } else {
        format!("{path}/")
    }
}

/// Hugo's `MakePath` (and `urlize`, which the `:title` and `:slug` tokens
/// use): characters a path keeps (letters, digits, marks and
/// `._~+#@-/`), white space as `-`, lower case.
pub(super) fn make_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() || "._~+#@-/\\".contains(c) {
            hyphen = c == '-';
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() && !hyphen {
            out.push('-');
            hyphen = true;
        }
    }
    out
}

/// A path segment percent-encoded as URLs carry it.
fn encode(segment: &str) -> String {
    crate::model::uri_component(segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_paths() {
        assert_eq!(make_path("Hello, World!"), "hello-world");
        assert_eq!(make_path("a - b"), "a--b");
        assert_eq!(
            page_name("posts/my-post/index.md"),
            (vec!["posts"], "my-post")
        );
        assert_eq!(page_name("posts/a.md"), (vec!["posts"], "a"));
        assert_eq!(
            default_path(&["posts"], "My Post", false),
            "/posts/my-post/"
        );
        assert_eq!(default_path(&[], "about", true), "/about.html");
    }
}
