//! Sites made for a site generator: Hugo, Jekyll or Zola. make-feed reads
//! their content as the generator does (its configuration, which files are
//! posts, its front-matter keys and date rules, its URLs and its feed ids),
//! so that a site switches its feeds without editing a post.
//!
//! Each generator's module turns one post's front matter into a [`Front`];
//! `input::article` makes the entry from it, as it does for make-feed's own
//! format.

mod hugo;
mod jekyll;
mod shortcodes;
mod site_config;
mod zola;

use chrono::{DateTime, FixedOffset};

use super::dates;
use super::fields::{Fields, Value};
use super::files::Location;
use crate::error::Diagnostic;
use crate::model::{Channel, Generator};
use crate::text::squash_whitespace;

pub(crate) use jekyll::{style as jekyll_style, DEFAULT_STYLE as JEKYLL_DEFAULT_STYLE};
pub(crate) use shortcodes::{expand, Body, PostUrls};
pub(crate) use site_config::{find, read, SiteConfig};

/// A post's front matter as its generator reads it.
#[derive(Debug, Clone)]
pub(crate) struct Front {
    pub(crate) title: String,
    /// When it was published, and whether as a date alone; `None` for a
    /// page without a date, which a generator's feeds leave out.
    pub(crate) published: Option<(DateTime<FixedOffset>, bool)>,
    /// When the generator publishes it (Hugo's `publishDate`), if not then.
    pub(crate) publish_at: Option<DateTime<FixedOffset>>,
    pub(crate) updated: Option<DateTime<FixedOffset>>,
    /// When the generator stops publishing it (Hugo's `expiryDate`).
    pub(crate) expires: Option<DateTime<FixedOffset>>,
    pub(crate) draft: bool,
    pub(crate) authors: Vec<String>,
    pub(crate) categories: Vec<String>,
    pub(crate) summary: Option<String>,
    pub(crate) slug: String,
    /// The page's path on the site, from `/`, percent-encoded.
    pub(crate) path: String,
    /// The path the generator's feed makes its id from, when it is not
    /// the page's (jekyll-feed's `post.id`).
    pub(crate) id_path: Option<String>,
}

/// Reads a post's front matter the way `generator` does.
pub(crate) fn front(
    generator: Generator,
    fields: &Fields<'_>,
    at: Location<'_>,
    channel: &Channel,
) -> Result<Front, Diagnostic> {
    match generator {
        Generator::Hugo => hugo::front(fields, at, channel),
        Generator::Jekyll => jekyll::front(fields, at, channel),
        Generator::Zola | Generator::MakeFeed => zola::front(fields, at, channel),
    }
}

/// The first of `keys` that is set, read as a date in the site's zone, and
/// whether it was a date alone.
fn date(
    fields: &Fields<'_>,
    keys: &[&str],
    channel: &Channel,
) -> Result<Option<(DateTime<FixedOffset>, bool)>, Diagnostic> {
    let Some((key, value)) = fields.first_of(keys) else {
        return Ok(None);
    };
    let zone = channel.timezone.or(Some(chrono_tz::UTC));
    dates::from_value(value, zone)
        .map(|instant| Some((instant, dates::is_date_only(value))))
        .map_err(|e| fields.error(key, e.message()).help(e.help()))
}

/// Names from the first of `keys` that is set: a list, or one name.
fn names(fields: &Fields<'_>, keys: &[&str], split: bool) -> Result<Vec<String>, Diagnostic> {
    let mut out: Vec<String> = Vec::new();
    for key in keys {
        for name in fields.string_or_strings(key, split)? {
            let name = squash_whitespace(&name);
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    Ok(out)
}

/// Authors as generators write them: `author` as a name or a list, or
/// `authors` as a list; a table's `name`.
fn authors(fields: &Fields<'_>) -> Result<Vec<String>, Diagnostic> {
    let mut out = Vec::new();
    for key in ["author", "authors"] {
        match fields.value(key) {
            Some(Value::Table(entries)) => out.extend(name_in(entries)),
            Some(Value::Array(items)) => out.extend(items.iter().filter_map(|item| match item {
                Value::String(name) => Some(name.clone()),
                Value::Table(entries) => name_in(entries),
                _ => None,
            })),
            Some(_) => out.extend(names(fields, &[key], false)?),
            None => {}
        }
    }
    out.dedup();
    Ok(out)
}

/// A person table's `name`.
fn name_in(entries: &[(String, Value)]) -> Option<String> {
    entries.iter().find_map(|(k, v)| match v {
        Value::String(name) if k == "name" => Some(name.clone()),
        _ => None,
    })
}

/// The terms of every taxonomy in `[taxonomies]` (Zola's, and Hugo's
/// custom ones), each once, added to `out`.
fn taxonomy_terms(fields: &Fields<'_>, out: &mut Vec<String>) {
    for (_, value) in fields.table("taxonomies").unwrap_or_default() {
        let Value::Array(items) = value else {
            continue;
        };
        for item in items {
            if let Value::String(name) = item {
                if !out.contains(name) {
                    out.push(name.clone());
                }
            }
        }
    }
}

/// A string field, white space squashed, `None` when empty.
fn text(fields: &Fields<'_>, key: &str) -> Result<Option<String>, Diagnostic> {
    Ok(fields
        .string(key)?
        .map(|text| squash_whitespace(&text))
        .filter(|text| !text.is_empty()))
}

/// `YYYY-MM-DD` and the rest, if `name` starts with a date (Jekyll's post
/// names, Zola's dated files).
pub(crate) fn dated_name(name: &str) -> Option<(&str, &str)> {
    let bytes = name.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && matches!(bytes[10], b'-' | b'_');
    dated.then(|| (&name[..10], &name[11..]))
}
