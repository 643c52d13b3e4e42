//! `feed.toml`: the channel's settings, read into a [`Channel`].

use std::path::Path;

use url::Url;

use super::fields::{Fields, Value};
use crate::error::Diagnostic;
use crate::model::{Channel, DeployTarget, Person};

/// How many entries the main feeds hold unless `limit` says otherwise.
pub(crate) const DEFAULT_LIMIT: usize = 20;
/// How many entries an archive page holds unless `archive_page_size` says otherwise.
pub(crate) const DEFAULT_ARCHIVE_PAGE_SIZE: usize = 100;

/// The keys `feed.toml` may set. Any other is an error: a misspelt key would
/// otherwise be dropped without a word.
const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "author",
    "author_email",
    "author_url",
    "rights",
    "icon",
    "logo",
    "id_authority",
    "id",
    "limit",
    "archives",
    "archive_page_size",
    "hub",
    "deploy",
];

/// Reads the channel from the text of `feed.toml` at `path`.
pub(crate) fn parse_channel(
    text: &str,
    path: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Channel, Diagnostic> {
    let fields = Fields::parse(text, path, 1, warnings)?;
    fields.deny_unknown(KEYS)?;
    let title = fields.required_string("title")?;
    let description = fields.required_string("description")?;
    let base_url = fields.required_string("base_url")?;
    let base_url = parse_base_url(&base_url).map_err(|message| {
        fields.error("base_url", message)
            .help("give the absolute address the output folder is served at, e.g. \"https://feeds.example.org/\"")
    })?;
    let timezone = fields
        .string("timezone")?
        .map(|name| {
            name.parse::<chrono_tz::Tz>().map_err(|_| {
                fields
                    .error(
                        "timezone",
                        format!("{name:?} is not an IANA time zone name"),
                    )
                    .help("use a name such as \"Asia/Shanghai\", \"Europe/Berlin\" or \"UTC\"")
            })
        })
        .transpose()?;
    let absolute = |field: &str| -> Result<Option<Url>, Diagnostic> {
        fields
            .string(field)?
            .map(|value| {
                web_url(&base_url, &value)
                    .map_err(|(message, help)| fields.error(field, message).help(help))
            })
            .transpose()
    };
    let author_uri = absolute("author_url")?;
    let author_email = fields.string("author_email")?;
    let author = fields.string("author")?.map(|name| Person {
        name,
        email: author_email,
        uri: author_uri,
    });
    let language = fields.string("language")?;
    if let Some(language) = &language {
        if !is_language_tag(language) {
            return Err(fields
                .error("language", format!("{language:?} is not a language tag"))
                .help("use a BCP 47 tag such as \"zh-CN\" or \"en\""));
        }
    }
    let feed_id = match fields.string("id")? {
        Some(id) if !crate::model::is_uri(&id) => {
            return Err(fields.error("id", format!("{id:?} is not an absolute URI"))
                .help("keep the id the feed was first published with, e.g. \"https://feeds.example.org/\""));
        }
        Some(id) => id,
        None => base_url.to_string(),
    };
    let positive = |field: &str, default: usize| match fields.count(field)? {
        Some(0) => Err(fields.error(field, "must be at least 1")),
        Some(n) => Ok(n),
        None => Ok(default),
    };
    let limit = positive("limit", DEFAULT_LIMIT)?;
    let page_size = positive("archive_page_size", DEFAULT_ARCHIVE_PAGE_SIZE)?;
    let id_authority = match fields.string("id_authority")? {
        Some(authority) if is_host_name(&authority) => authority,
        Some(authority) => {
            return Err(fields
                .error("id_authority", format!("{authority:?} is not a host name"))
                .help(
                    "use the host the ids were first published under, e.g. \"feeds.example.org\"",
                ));
        }
        None => base_url.host_str().unwrap_or_default().to_string(),
    };
    let hubs = hubs(&fields, &base_url)?;
    Ok(Channel {
        limit,
        archive_page_size: fields
            .boolean("archives")?
            .unwrap_or(false)
            .then_some(page_size),
        feed_id,
        id_authority,
        icon: absolute("icon")?,
        logo: absolute("logo")?,
        title,
        description,
        base_url,
        language,
        timezone,
        author,
        rights: fields.string("rights")?,
        hubs,
        deploy: deploy_target(&fields)?,
    })
}

/// `hub`: one WebSub hub's URL or a list of them.
fn hubs(fields: &Fields<'_>, base_url: &Url) -> Result<Vec<Url>, Diagnostic> {
    let urls = match fields.value("hub") {
        Some(Value::String(url)) => vec![url.clone()],
        Some(_) => fields.strings("hub")?,
        None => Vec::new(),
    };
    urls.iter()
        .map(|url| match web_url(base_url, url) {
            Ok(hub) if Url::parse(url).is_ok() => Ok(hub),
            Ok(_) => Err(fields.error("hub", format!("{url:?} is not an absolute URL"))),
            Err((message, _)) => Err(fields.error("hub", message)),
        }
        .map_err(|error| error.help("give the hub's absolute address, e.g. hub = \"https://pubsubhubbub.appspot.com/\"")))
        .collect()
}

/// `deploy`: where `make-feed deploy` publishes when `--to` is not given.
fn deploy_target(fields: &Fields<'_>) -> Result<Option<DeployTarget>, Diagnostic> {
    fields
        .string("deploy")?
        .map(|text| {
            text.parse().map_err(|message: String| {
                fields.error("deploy", message).help(
                    "credentials come from the store's own environment variables, not from feed.toml",
                )
            })
        })
        .transpose()
}

fn is_host_name(authority: &str) -> bool {
    !authority.is_empty()
        && authority.is_ascii()
        && !authority.contains(|c: char| c.is_whitespace() || ",:/#?".contains(c))
}

fn parse_base_url(text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text).map_err(|e| format!("{text:?} is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{text:?} is not an http(s) URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{text:?} has a query or fragment"));
    }
    if has_userinfo(&url) {
        // Not echoed: the message would print the password.
        return Err(
            "holds a user name or password (the part before @), which would be published in every feed and page"
                .to_string(),
        );
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// `value` resolved against `base_url`, if it is an address readers may
/// follow: http(s) only (never a script or a `data:` document), and with no
/// user name or password; else what is wrong and what to do.
fn web_url(base_url: &Url, value: &str) -> Result<Url, (String, &'static str)> {
    let url = base_url
        .join(value)
        .map_err(|e| (format!("{value:?} is not a URL: {e}"), "give a web address"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err((
            format!("{value:?} is not an http(s) URL"),
            "give a web address, absolute (\"https://…\") or relative to base_url",
        ));
    }
    if has_userinfo(&url) {
        // Not echoed: the message would print the password.
        return Err((
            "holds a user name or password (the part before @)".to_string(),
            "remove the part before @: it would be published in every feed",
        ));
    }
    Ok(url)
}

/// True if `url` carries a user name or a password (`https://user:pw@…`).
fn has_userinfo(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
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
    fn hubs_are_one_url_or_a_list_and_must_be_absolute() {
        let one = format!("{MINIMAL}hub = \"https://hub.example.net/\"\n");
        let channel = parse_channel(&one, Path::new("feed.toml"), &mut Vec::new()).unwrap();
        assert_eq!(channel.hubs.len(), 1);
        let two = format!("{MINIMAL}hub = [\"https://a.example/\", \"https://b.example/\"]\n");
        let channel = parse_channel(&two, Path::new("feed.toml"), &mut Vec::new()).unwrap();
        assert_eq!(channel.hubs.len(), 2);
        let relative = format!("{MINIMAL}hub = \"/hub\"\n");
        let error = parse_channel(&relative, Path::new("feed.toml"), &mut Vec::new()).unwrap_err();
        assert_eq!((error.field.as_deref(), error.line), (Some("hub"), Some(4)));
    }

    #[test]
    fn unknown_zone_is_an_error() {
        let text = format!("{MINIMAL}timezone = \"Asia/Peking\"\n");
        let error = parse_channel(&text, Path::new("feed.toml"), &mut Vec::new()).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("timezone"));
        assert_eq!(error.line, Some(4));
    }
}
