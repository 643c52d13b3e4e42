//! `feed.toml`: the channel's settings, read into a [`Channel`].

use url::Url;

use super::fields::{Fields, Value};
use super::generator::SiteConfig;
use crate::error::Diagnostic;
use crate::model::{Channel, DeployTarget, Dialect, Generator, IdScheme, Permalink, Person};

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
    "generator",
    "articles",
    "permalink",
    "pages",
    "ids",
    "hub",
    "deploy",
];

/// Reads the channel from the text of `feed.toml` at `path`, for a site of
/// make-feed's own format.
#[cfg(test)]
pub(crate) fn parse_channel(
    text: &str,
    path: &std::path::Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Channel, Diagnostic> {
    let fields = Fields::parse(text, path, 1, warnings)?;
    channel(&fields, Generator::MakeFeed, None)
}

/// The generator `feed.toml` names, if it names one (`make-feed` included).
pub(crate) fn generator(fields: &Fields<'_>) -> Result<Option<Generator>, Diagnostic> {
    match fields.string("generator")? {
        None => Ok(None),
        Some(name) if name == "make-feed" => Ok(Some(Generator::MakeFeed)),
        Some(name) => Generator::from_name(&name).map(Some).ok_or_else(|| {
            fields
                .error("generator", format!("{name:?} is not a generator make-feed reads"))
                .help("use \"hugo\", \"jekyll\" or \"zola\", or leave it out for make-feed's own format")
        }),
    }
}

/// Reads the channel from `feed.toml`'s fields, taking what it leaves out
/// from the generator's configuration (`site`), if the site has one.
pub(crate) fn channel(
    fields: &Fields<'_>,
    generator: Generator,
    site: Option<&SiteConfig>,
) -> Result<Channel, Diagnostic> {
    fields.deny_unknown(KEYS)?;
    let (title, description, base_url) = names_and_address(fields, site)?;
    let dialect = dialect(fields, generator, site)?;
    let timezone = zone(fields, site)?;
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
    let author = fields
        .string("author")?
        .or_else(|| site.and_then(|s| s.author.clone()))
        .map(|name| Person {
            name,
            email: author_email,
            uri: author_uri,
        });
    let language = fields
        .string("language")?
        .or_else(|| site.and_then(|s| s.language.clone()));
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
    let hubs = hubs(fields, &base_url)?;
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
        dialect,
        hubs,
        deploy: deploy_target(fields)?,
    })
}

/// `title`, `description` and `base_url`: `feed.toml`'s, or else the
/// generator's configuration's (a generator's site may leave out the
/// description, which is then the title).
fn names_and_address(
    fields: &Fields<'_>,
    site: Option<&SiteConfig>,
) -> Result<(String, String, Url), Diagnostic> {
    let from_site = |key: &str, value: Option<&String>| -> Result<String, Diagnostic> {
        match (fields.string(key)?, value) {
            (Some(own), _) => Ok(own),
            (None, Some(theirs)) => Ok(theirs.clone()),
            (None, None) => {
                let missing = fields.required_string(key).expect_err("the key is not set");
                Err(match site.and_then(|s| s.path.as_ref()) {
                    Some(config) => Diagnostic {
                        message: format!(
                            "is required: neither feed.toml nor {} sets it",
                            config.display()
                        ),
                        ..missing
                    },
                    None => missing,
                })
            }
        }
    };
    let title = from_site("title", site.and_then(|s| s.title.as_ref()))?;
    let description = match site {
        Some(site) => fields
            .string("description")?
            .or_else(|| site.description.clone())
            .unwrap_or_else(|| title.clone()),
        None => fields.required_string("description")?,
    };
    let base_url = from_site("base_url", site.and_then(|s| s.base_url.as_ref()))?;
    let base_url = parse_base_url(&base_url).map_err(|message| {
        fields.error("base_url", message)
            .help("give the absolute address the output folder is served at, e.g. \"https://feeds.example.org/\"")
    })?;
    Ok((title, description, base_url))
}

/// `timezone`: `feed.toml`'s, or the generator's configuration's.
fn zone(
    fields: &Fields<'_>,
    site: Option<&SiteConfig>,
) -> Result<Option<chrono_tz::Tz>, Diagnostic> {
    let zone_name = match fields.string("timezone")? {
        Some(name) => Some(name),
        None => site.and_then(|s| s.timezone.clone()),
    };
    let timezone = zone_name
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
        .transpose()?
        // Hugo and Zola read dates without an offset in UTC unless told
        // otherwise; Jekyll in the machine's zone, which make-feed never
        // depends on: UTC too, and the README says to set `timezone`.
        .or(site.map(|_| chrono_tz::UTC));
    Ok(timezone)
}

/// How the articles are read and where entries link: `generator`'s rules
/// (from `site`'s configuration), and `feed.toml`'s `permalink`, `pages`
/// and `ids`.
fn dialect(
    fields: &Fields<'_>,
    generator: Generator,
    site: Option<&SiteConfig>,
) -> Result<Dialect, Diagnostic> {
    let mut dialect = Dialect::make_feed();
    dialect.generator = generator;
    let pattern = |key: &str, text: &str| {
        Permalink::parse(text).map_err(|message| {
            fields
                .error(key, message)
                .help("write a path such as \"/:year/:month/:day/:slug/\"")
        })
    };
    if let Some(site) = site {
        dialect.ids = IdScheme::Generator;
        dialect.ugly_urls = site.ugly_urls;
        dialect.drafts = site.drafts;
        dialect.future = site.future;
        dialect.expired = site.expired;
        dialect.date_rules = site.date_rules.clone();
        dialect.site_variables = site.variables.clone();
        for (section, text) in &site.section_permalinks {
            // A pattern the generator takes but make-feed does not know is
            // reported against feed.toml's `permalink`, which overrides it.
            dialect
                .section_permalinks
                .push((section.clone(), pattern("permalink", text)?));
        }
        if generator == Generator::Jekyll {
            let style = site
                .permalink
                .as_deref()
                .unwrap_or(super::generator::JEKYLL_DEFAULT_STYLE);
            dialect.permalink = Some(pattern(
                "permalink",
                &super::generator::jekyll_style(style),
            )?);
        }
    }
    if let Some(text) = fields.string("permalink")? {
        dialect.permalink = Some(pattern("permalink", &text)?);
        dialect.section_permalinks.clear();
    }
    dialect.pages = fields.boolean("pages")?.unwrap_or(true);
    dialect.ids = match fields.string("ids")?.as_deref() {
        None => dialect.ids,
        Some("tag") => IdScheme::Tag,
        Some("generator") if generator != Generator::MakeFeed => IdScheme::Generator,
        Some(other) => {
            return Err(fields
                .error("ids", format!("{other:?} is not an id scheme"))
                .help("use \"tag\" for make-feed's tag: ids, or \"generator\" (with a generator) for the ids its own feed used"));
        }
    };
    Ok(dialect)
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
    use std::path::Path;

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
