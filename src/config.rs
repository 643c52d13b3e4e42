//! `feed.toml`: the channel's settings, read into a [`Channel`].

use std::path::Path;

use serde::Deserialize;
use url::Url;

use crate::error::Diagnostic;
use crate::model::{Channel, Person};
use crate::text::remove_xml_unsafe;
use crate::toml_input::{self, Place};

/// How many entries the main feeds hold unless `limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 20;
/// How many entries an archive page holds unless `archive_page_size` says otherwise.
pub const DEFAULT_ARCHIVE_PAGE_SIZE: usize = 100;

/// `feed.toml` as written. Unknown keys are errors: a misspelt key would
/// otherwise be dropped without a word.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelFile {
    title: String,
    description: String,
    base_url: String,
    language: Option<String>,
    timezone: Option<String>,
    author: Option<String>,
    author_email: Option<String>,
    author_url: Option<String>,
    rights: Option<String>,
    icon: Option<String>,
    logo: Option<String>,
    id_authority: Option<String>,
    id: Option<String>,
    limit: Option<usize>,
    archives: Option<bool>,
    archive_page_size: Option<usize>,
}

impl ChannelFile {
    /// Every string that can reach an output, with its key.
    fn strings_mut(&mut self) -> impl Iterator<Item = (&'static str, &mut String)> {
        [
            ("author", &mut self.author),
            ("author_email", &mut self.author_email),
            ("author_url", &mut self.author_url),
            ("rights", &mut self.rights),
            ("icon", &mut self.icon),
            ("logo", &mut self.logo),
            ("id_authority", &mut self.id_authority),
            ("id", &mut self.id),
            ("language", &mut self.language),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_mut().map(|v| (key, v)))
        .chain([
            ("title", &mut self.title),
            ("description", &mut self.description),
            ("base_url", &mut self.base_url),
        ])
    }
}

/// Reads the channel from the text of `feed.toml` at `path`.
pub fn parse_channel(
    text: &str,
    path: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Channel, Diagnostic> {
    let place = Place {
        path,
        file_text: text,
        offset: 0,
    };
    let mut file: ChannelFile = toml_input::parse(text, place)?;
    // A TOML escape such as `\u0001` can spell a character XML forbids.
    for (key, value) in file.strings_mut() {
        remove_xml_unsafe(value, key, || place.line_of_key(text, key), path, warnings);
    }
    let error = |field: &str, message: String| {
        let mut diagnostic = Diagnostic::new(path, message).field(field);
        diagnostic.line = place.line_of_key(text, field);
        diagnostic
    };

    let base_url = parse_base_url(&file.base_url).map_err(|message| {
        error("base_url", message)
            .help("give the absolute address the output folder is served at, e.g. \"https://feeds.example.org/\"")
    })?;
    let timezone = file
        .timezone
        .as_deref()
        .map(|name| {
            name.parse::<chrono_tz::Tz>().map_err(|_| {
                error(
                    "timezone",
                    format!("{name:?} is not an IANA time zone name"),
                )
                .help("use a name such as \"Asia/Shanghai\", \"Europe/Berlin\" or \"UTC\"")
            })
        })
        .transpose()?;
    let absolute = |field: &str, value: Option<String>| -> Result<Option<Url>, Diagnostic> {
        value
            .map(|value| {
                base_url
                    .join(&value)
                    .map_err(|e| error(field, format!("{value:?} is not a URL: {e}")))
            })
            .transpose()
    };
    let author_uri = absolute("author_url", file.author_url)?;
    let author = file.author.map(|name| Person {
        name,
        email: file.author_email,
        uri: author_uri,
    });
    if let Some(language) = &file.language {
        if !is_language_tag(language) {
            return Err(
                error("language", format!("{language:?} is not a language tag"))
                    .help("use a BCP 47 tag such as \"zh-CN\" or \"en\""),
            );
        }
    }
    let feed_id = match file.id {
        Some(id) if !crate::slug::is_uri(&id) => {
            return Err(error("id", format!("{id:?} is not an absolute URI"))
                .help("keep the id the feed was first published with, e.g. \"https://feeds.example.org/\""));
        }
        Some(id) => id,
        None => base_url.to_string(),
    };
    let positive = |field: &str, value: Option<usize>, default: usize| match value {
        Some(0) => Err(error(field, "must be at least 1".to_string())),
        Some(n) => Ok(n),
        None => Ok(default),
    };
    let limit = positive("limit", file.limit, DEFAULT_LIMIT)?;
    let page_size = positive(
        "archive_page_size",
        file.archive_page_size,
        DEFAULT_ARCHIVE_PAGE_SIZE,
    )?;
    if let Some(authority) = &file.id_authority {
        let valid = !authority.is_empty()
            && authority.is_ascii()
            && !authority.contains(|c: char| c.is_whitespace() || ",:/#?".contains(c));
        if !valid {
            return Err(
                error("id_authority", format!("{authority:?} is not a host name")).help(
                    "use the host the ids were first published under, e.g. \"feeds.example.org\"",
                ),
            );
        }
    }
    Ok(Channel {
        limit,
        archive_page_size: file.archives.unwrap_or(false).then_some(page_size),
        feed_id,
        id_authority: file
            .id_authority
            .unwrap_or_else(|| base_url.host_str().unwrap_or_default().to_string()),
        icon: absolute("icon", file.icon)?,
        logo: absolute("logo", file.logo)?,
        title: file.title,
        description: file.description,
        base_url,
        language: file.language,
        timezone,
        author,
        rights: file.rights,
    })
}

fn parse_base_url(text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text).map_err(|e| format!("{text:?} is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{text:?} is not an http(s) URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{text:?} has a query or fragment"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_language_tag(tag: &str) -> bool {
    tag.split('-').all(|part| {
        (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
    }) && tag
        .split('-')
        .next()
        .is_some_and(|primary| primary.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        "title = \"t\"\ndescription = \"d\"\nbase_url = \"https://example.org/feeds\"\n";

    #[test]
    fn base_url_gets_a_trailing_slash() {
        let channel = parse_channel(MINIMAL, Path::new("feed.toml"), &mut Vec::new()).unwrap();
        assert_eq!(channel.base_url.as_str(), "https://example.org/feeds/");
        assert_eq!(
            channel.url_of("rss.xml").as_str(),
            "https://example.org/feeds/rss.xml"
        );
        assert_eq!(channel.id_authority, "example.org");
    }

    #[test]
    fn relative_base_url_is_an_error_on_its_line() {
        let text = MINIMAL.replace("https://example.org/feeds", "/feeds/");
        let error = parse_channel(&text, Path::new("feed.toml"), &mut Vec::new()).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("base_url"));
        assert_eq!(error.line, Some(3));
    }

    #[test]
    fn unknown_zone_is_an_error() {
        let text = format!("{MINIMAL}timezone = \"Asia/Peking\"\n");
        let error = parse_channel(&text, Path::new("feed.toml"), &mut Vec::new()).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("timezone"));
        assert_eq!(error.line, Some(4));
    }
}
