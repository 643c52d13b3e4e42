//! Jekyll's reading of a post (jekyllrb.com/docs/posts, /permalinks,
//! /front-matter): the date and slug in `_posts/YYYY-MM-DD-title.md`,
//! categories from the folders above `_posts` and the front matter, its
//! permalink styles, and jekyll-feed's entry id.

use super::{authors, date, dated_name, names, text, Front};
use crate::error::Diagnostic;
use crate::input::dates;
use crate::input::fields::{Fields, Value};
use crate::input::files::Location;
use crate::model::{Channel, Permalink, PermalinkValues};

/// Jekyll's default permalink style.
pub(crate) const DEFAULT_STYLE: &str = "date";

pub(super) fn front(
    fields: &Fields<'_>,
    at: Location<'_>,
    channel: &Channel,
) -> Result<Front, Diagnostic> {
    let (folders, file) = at.relative.rsplit_once('/').unwrap_or(("", at.relative));
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let Some((day, name)) = dated_name(stem) else {
        return Err(Diagnostic::new(at.path, "is not named YYYY-MM-DD-title, as Jekyll's posts are")
            .help("Jekyll publishes only the posts in _posts/ named by their date, e.g. 2016-03-10-my-post.md"));
    };
    let zone = channel.timezone.unwrap_or(chrono_tz::UTC);
    let published = match jekyll_date(fields, channel)? {
        Some(published) => published,
        None => {
            let value = Value::String(day.to_string());
            let instant = dates::from_value(&value, Some(zone)).map_err(|e| {
                Diagnostic::new(at.path, e.message()).field("date (from the file name)")
            })?;
            (instant, true)
        }
    };
    let slug = text(fields, "slug")?.unwrap_or_else(|| name.to_string());
    // Categories: the folders above `_posts`, then the front matter's.
    let mut categories: Vec<String> = folders
        .split('/')
        .take_while(|folder| *folder != "_posts")
        .filter(|folder| !folder.is_empty())
        .map(str::to_string)
        .collect();
    for category in names(fields, &["category", "categories"], true)? {
        if !categories.contains(&category) {
            categories.push(category);
        }
    }
    let title = match text(fields, "title")? {
        Some(title) => title,
        None => titleize(&slug),
    };
    // A post's own `permalink`, else the site's (which `input::config`
    // sets to Jekyll's default style when `_config.yml` has none).
    let own = text(fields, "permalink")?
        .map(|own| {
            Permalink::parse(&style(&own)).map_err(|message| {
                fields
                    .error("permalink", message)
                    .help("use a Jekyll style (date, pretty, ordinal, none) or a pattern such as /:year/:month/:title/")
            })
        })
        .transpose()?;
    let pattern = own
        .as_ref()
        .or(channel.dialect.permalink.as_ref())
        .ok_or_else(|| Diagnostic::new(at.path, "has no permalink rule"))?;
    // Jekyll's dates in URLs are in the site's zone.
    let local = published.0.with_timezone(&zone).fixed_offset();
    let values = PermalinkValues {
        slug: slugify(&slug, false, false),
        title: slugify(&slug, true, true),
        filename: name.to_string(),
        categories: categories.iter().map(|c| c.to_lowercase()).collect(),
        ..PermalinkValues::dated(&local)
    };
    let path = pattern.expand(&values);
    // jekyll-feed's `post.id`: the page's folder and the raw slug.
    let folder = match path.strip_suffix('/') {
        Some(folder) => folder.rsplit_once('/').map_or("", |(folder, _)| folder),
        None => path.rsplit_once('/').map_or("", |(folder, _)| folder),
    };
    let id_path = format!("{folder}/{}", crate::model::uri_component(&slug));
    Ok(Front {
        title,
        published: Some(published),
        publish_at: None,
        updated: date(fields, &["last_modified_at"], channel)?.map(|(d, _)| d),
        expires: None,
        draft: fields.loose_boolean("published")? == Some(false),
        authors: authors(fields)?,
        categories,
        summary: match text(fields, "description")? {
            Some(summary) => Some(summary),
            None => text(fields, "excerpt")?,
        },
        slug,
        path,
        id_path: Some(id_path),
    })
}

/// `date` as Jekyll reads it: Ruby's YAML takes a full time of day
/// without an offset (`2016-03-15 18:30:00`) as UTC; anything else without
/// an offset (a date alone, a time without seconds) is read by Jekyll
/// itself, in the site's `timezone`.
fn jekyll_date(
    fields: &Fields<'_>,
    channel: &Channel,
) -> Result<Option<(chrono::DateTime<chrono::FixedOffset>, bool)>, Diagnostic> {
    let yaml_timestamp = match fields.value("date") {
        Some(Value::String(text)) => is_naive_yaml_timestamp(text.trim()),
        _ => false,
    };
    if !yaml_timestamp {
        return date(fields, &["date"], channel).or_else(|error| {
            // Jekyll hands a date YAML does not read to Ruby's lenient
            // `Time.parse`, which takes the date, the time and the zone it
            // finds and ignores the rest (`2023-01-29 18:30:22 2023 -0800`).
            match fields.value("date") {
                Some(Value::String(text)) => lenient(text)
                    .and_then(|text| {
                        dates::from_value(
                            &Value::String(text),
                            channel.timezone.or(Some(chrono_tz::UTC)),
                        )
                        .ok()
                    })
                    .map(|instant| Some((instant, false)))
                    .ok_or(error),
                _ => Err(error),
            }
        });
    }
    let value = fields.value("date").expect("set");
    dates::from_value(value, Some(chrono_tz::UTC))
        .map(|instant| Some((instant, false)))
        .map_err(|e| fields.error("date", e.message()).help(e.help()))
}

/// The date, time of day and offset found among the words of `text`, as
/// one date-time, if it has a date.
fn lenient(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let is = |word: &str, shape: &str| {
        word.len() == shape.len()
            && word.bytes().zip(shape.bytes()).all(|(c, s)| {
                if s == b'9' {
                    c.is_ascii_digit()
                } else {
                    c == s
                }
            })
    };
    let day = words.iter().find(|w| is(w, "9999-99-99"))?;
    let time = words.iter().find(|w| is(w, "99:99:99") || is(w, "99:99"));
    let offset = words.iter().find(|w| {
        is(w, "+9999")
            || is(w, "-9999")
            || is(w, "+99:99")
            || is(w, "-99:99")
            || **w == "UTC"
            || **w == "Z"
    });
    Some(match (time, offset) {
        (Some(time), Some(offset)) => format!("{day} {time} {offset}"),
        (Some(time), None) => format!("{day} {time}"),
        (None, _) => (*day).to_string(),
    })
}

/// `YYYY-MM-DD HH:MM:SS` (or with `T`, and fractions of a second), with no
/// offset: what YAML's timestamp type reads as UTC.
fn is_naive_yaml_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    bytes.len() >= 19
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && matches!(bytes[10], b' ' | b'T' | b't')
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19)
        && bytes[19..].iter().all(|b| b.is_ascii_digit() || *b == b'.')
}

/// A permalink style's pattern, or the pattern itself.
pub(crate) fn style(name: &str) -> String {
    match name {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "none" => "/:categories/:title:output_ext".into(),
        pattern => pattern.to_string(),
    }
}

/// Jekyll's `Utils.slugify`: runs of characters other than letters and
/// digits (and, `pretty`, `._~!$&'()+,;=@`) become `-`, trimmed, lower case
/// unless `cased`.
fn slugify(text: &str, pretty: bool, cased: bool) -> String {
    let kept = |c: char| c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if kept(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if cased {
        out.to_string()
    } else {
        out.to_lowercase()
    }
}

/// Jekyll's title for a post without one: its slug's words, capitalised.
fn titleize(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_slugs_and_titles() {
        assert_eq!(
            slugify("Jekyll 3.1.3 Released!", false, false),
            "jekyll-3-1-3-released"
        );
        assert_eq!(
            slugify("Jekyll 3.1.3 Released!", true, true),
            "Jekyll-3.1.3-Released!"
        );
        assert_eq!(titleize("welcome-to-jekyll"), "Welcome To Jekyll");
        assert!(is_naive_yaml_timestamp("2016-03-15 18:30:00"));
        assert_eq!(
            lenient("2023-01-29 18:30:22 2023 -0800").as_deref(),
            Some("2023-01-29 18:30:22 -0800")
        );
        assert!(is_naive_yaml_timestamp("2016-03-15T18:30:00.25"));
        assert!(!is_naive_yaml_timestamp("2016-03-15 18:30"));
        assert!(!is_naive_yaml_timestamp("2016-03-15 18:30:00 -0800"));
    }
}
