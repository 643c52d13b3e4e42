//! Zola's reading of a page (getzola.org/documentation/content/page): only
//! its own keys, `date` or a dated file name, slugs and section paths made
//! by its slugifier, and `path`.

use super::{authors, date, dated_name, taxonomy_terms, text, Front};
use crate::error::Diagnostic;
use crate::input::dates;
use crate::input::fields::{Fields, Value};
use crate::input::files::Location;
use crate::model::Channel;

/// The top-level keys Zola reads; it refuses any other (anything of the
/// site's own belongs under `[extra]`).
const KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "draft",
    "slug",
    "path",
    "aliases",
    "authors",
    "in_search_index",
    "template",
    "taxonomies",
    "extra",
];

pub(super) fn front(
    fields: &Fields<'_>,
    at: Location<'_>,
    channel: &Channel,
) -> Result<Front, Diagnostic> {
    fields.deny_unknown(KEYS).map_err(|error| {
        error.help("Zola refuses keys it does not know; put the site's own under [extra]")
    })?;
    let mut folders: Vec<&str> = at.relative.split('/').collect();
    let file = folders.pop().unwrap_or_default();
    let mut name = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    if name == "index" {
        name = folders.pop().unwrap_or(name);
    }
    let (day, name) = match dated_name(name) {
        Some((day, rest)) => (Some(day), rest),
        None => (None, name),
    };
    let published = match date(fields, &["date"], channel)? {
        Some(published) => Some(published),
        None => day
            .map(|day| {
                dates::from_value(&Value::String(day.into()), Some(chrono_tz::UTC))
                    .map(|d| (d, true))
                    .map_err(|e| {
                        Diagnostic::new(at.path, e.message()).field("date (from the file name)")
                    })
            })
            .transpose()?,
    };
    let slug = match text(fields, "slug")? {
        Some(slug) => slugify(&slug),
        None => slugify(name),
    };
    let path = match text(fields, "path")? {
        Some(path) => {
            let path = path.trim_matches('/');
            format!(
                "/{}/",
                crate::model::uri_component(path).replace("%2F", "/")
            )
        }
        None => {
            let mut path = String::from("/");
            for folder in folders {
                path.push_str(&crate::model::uri_component(&slugify(folder)));
                path.push('/');
            }
            path.push_str(&crate::model::uri_component(&slug));
            path.push('/');
            path
        }
    };
    let mut categories = Vec::new();
    taxonomy_terms(fields, &mut categories);
    Ok(Front {
        title: text(fields, "title")?.unwrap_or_else(|| name.to_string()),
        published,
        publish_at: None,
        updated: date(fields, &["updated"], channel)?.map(|(d, _)| d),
        expires: None,
        draft: fields.boolean("draft")?.unwrap_or(false),
        authors: authors(fields)?,
        categories,
        summary: text(fields, "description")?,
        slug,
        path,
        id_path: None,
    })
}

/// Zola's default slugifier (`slugify.paths = "on"`): ASCII letters and
/// digits in lower case, every other run of characters one `-`.
fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn zola_slugs() {
        assert_eq!(super::slugify("Hello World_2"), "hello-world-2");
    }
}
