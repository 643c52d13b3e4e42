//! A generator's own configuration file (`hugo.toml`, `_config.yml`, Zola's
//! `config.toml`): which generator a site is made for, and the settings
//! make-feed takes from it so that `feed.toml` can stay two or three lines.

use std::path::{Path, PathBuf};

use super::super::fields::{Fields, Value};
use super::super::files::read_text;
use super::super::front_matter::Syntax;
use crate::error::{Diagnostic, Result};
use crate::model::Generator;

/// What a generator's configuration says that make-feed uses. Every field
/// is as the file writes it; `input::config` checks them as it checks
/// `feed.toml`'s own.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteConfig {
    /// The configuration file, for messages (`None`: none was found).
    pub(crate) path: Option<PathBuf>,
    /// The site's root folder: where the configuration file is.
    pub(crate) root: PathBuf,
    pub(crate) base_url: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) timezone: Option<String>,
    pub(crate) author: Option<String>,
    /// The site-wide permalink (Jekyll's `permalink`, a style or a pattern).
    pub(crate) permalink: Option<String>,
    /// Hugo's `permalinks`: a pattern per section.
    pub(crate) section_permalinks: Vec<(String, String)>,
    pub(crate) ugly_urls: bool,
    /// Where the generator's content is, below `root`.
    pub(crate) content_dir: String,
    /// Future-dated, draft and expired posts published anyway.
    pub(crate) future: bool,
    pub(crate) drafts: bool,
    pub(crate) expired: bool,
    /// Hugo's `[frontmatter]` date orders: `date`, `publishDate`, `lastmod`,
    /// `expiryDate`.
    pub(crate) date_rules: [Vec<String>; 4],
    /// The configuration's top-level strings (Jekyll's `site.x`).
    pub(crate) variables: Vec<(String, String)>,
}

/// The configuration files each generator reads, in its own order.
const FILES: &[(&str, Generator)] = &[
    ("hugo.toml", Generator::Hugo),
    ("hugo.yaml", Generator::Hugo),
    ("hugo.yml", Generator::Hugo),
    ("hugo.json", Generator::Hugo),
    ("_config.yml", Generator::Jekyll),
    ("_config.yaml", Generator::Jekyll),
    // Zola's and Hugo's older name: told apart by their keys.
    ("config.toml", Generator::Zola),
    ("config.yaml", Generator::Hugo),
    ("config.yml", Generator::Hugo),
    ("config.json", Generator::Hugo),
    // Hugo's configuration folder, for the default environment.
    ("config/_default/hugo.toml", Generator::Hugo),
    ("config/_default/hugo.yaml", Generator::Hugo),
    ("config/_default/config.toml", Generator::Hugo),
    ("config/_default/config.yaml", Generator::Hugo),
];

/// The first generator configuration in `folders` (nearest first), and the
/// generator it is for; `wanted` limits the search to one generator.
pub(crate) fn find(
    folders: &[PathBuf],
    wanted: Option<Generator>,
) -> Result<Option<(Generator, PathBuf)>> {
    for folder in folders {
        for (name, generator) in FILES {
            let path = folder.join(name);
            if !path.is_file() {
                continue;
            }
            let generator = if *name == "config.toml" || *name == "config/_default/config.toml" {
                zola_or_hugo(&path)?
            } else {
                *generator
            };
            if wanted.is_none_or(|wanted| wanted == generator) {
                return Ok(Some((generator, path)));
            }
        }
    }
    Ok(None)
}

/// `config.toml` is Zola's if it sets `base_url`, else Hugo's (`baseURL`).
fn zola_or_hugo(path: &Path) -> Result<Generator> {
    let text = read_text(path, &mut Vec::new())?;
    let zola = text
        .lines()
        .any(|line| line.trim_start().starts_with("base_url"));
    Ok(if zola {
        Generator::Zola
    } else {
        Generator::Hugo
    })
}

/// Reads the configuration at `path` for `generator`.
pub(crate) fn read(
    generator: Generator,
    path: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<SiteConfig> {
    let text = read_text(path, warnings)?;
    let syntax = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => Syntax::Toml,
        Some("json") => Syntax::Json,
        _ => Syntax::Yaml,
    };
    let fields = Fields::parse_front(syntax, &text, path, 1, warnings)?;
    let mut config = SiteConfig {
        path: Some(path.to_path_buf()),
        root: site_root(path),
        ..SiteConfig::default()
    };
    match generator {
        Generator::Hugo => hugo(&fields, &mut config),
        Generator::Jekyll => jekyll(&fields, &mut config),
        Generator::Zola | Generator::MakeFeed => zola(&fields, &mut config),
    }
    Ok(config)
}

/// The site's folder: the configuration file's, or for Hugo's
/// `config/_default/hugo.toml` the folder above `config/`.
fn site_root(path: &Path) -> PathBuf {
    let folder = path.parent().unwrap_or(Path::new("."));
    if folder.ends_with("config/_default") {
        if let Some(root) = folder.parent().and_then(Path::parent) {
            return root.to_path_buf();
        }
    }
    folder.to_path_buf()
}

/// A key's string value, keys compared without case (as Hugo compares them).
fn text(fields: &Fields<'_>, key: &str) -> Option<String> {
    let found = fields.keys().find(|k| k.eq_ignore_ascii_case(key))?;
    match fields.value(found)? {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        _ => None,
    }
}

fn flag(fields: &Fields<'_>, key: &str) -> bool {
    fields
        .keys()
        .find(|k| k.eq_ignore_ascii_case(key))
        .and_then(|k| fields.value(k))
        == Some(&Value::Boolean(true))
}

/// A string inside a table (`params.description`, `author.name`).
fn nested(fields: &Fields<'_>, table: &str, key: &str) -> Option<String> {
    let found = fields.keys().find(|k| k.eq_ignore_ascii_case(table))?;
    fields.table(found)?.iter().find_map(|(k, v)| match v {
        Value::String(text) if k.eq_ignore_ascii_case(key) => Some(text.clone()),
        _ => None,
    })
}

fn hugo(fields: &Fields<'_>, config: &mut SiteConfig) {
    config.base_url = text(fields, "baseURL");
    config.title = text(fields, "title");
    config.description = nested(fields, "params", "description");
    config.language = text(fields, "languageCode");
    config.timezone = text(fields, "timeZone");
    config.author = nested(fields, "params", "author").or_else(|| nested(fields, "author", "name"));
    config.ugly_urls = flag(fields, "uglyURLs");
    config.content_dir = text(fields, "contentDir").unwrap_or_else(|| "content".into());
    config.future = flag(fields, "buildFuture");
    config.drafts = flag(fields, "buildDrafts");
    config.expired = flag(fields, "buildExpired");
    if let Some(key) = fields
        .keys()
        .find(|k| k.eq_ignore_ascii_case("frontmatter"))
    {
        for (name, value) in fields.table(key).unwrap_or_default() {
            let at = ["date", "publishdate", "lastmod", "expirydate"]
                .iter()
                .position(|rule| name.eq_ignore_ascii_case(rule));
            if let (Some(at), Value::Array(keys)) = (at, value) {
                config.date_rules[at] = keys
                    .iter()
                    .filter_map(|key| match key {
                        Value::String(key) => Some(key.to_lowercase()),
                        _ => None,
                    })
                    .collect();
            }
        }
    }
    if let Some(key) = fields.keys().find(|k| k.eq_ignore_ascii_case("permalinks")) {
        for (section, pattern) in fields.table(key).unwrap_or_default() {
            match pattern {
                Value::String(pattern) => {
                    config
                        .section_permalinks
                        .push((section.clone(), pattern.clone()));
                }
                // Hugo 0.112's form: `[permalinks.page] posts = "…"`.
                Value::Table(kinds) if section == "page" => {
                    for (section, pattern) in kinds {
                        if let Value::String(pattern) = pattern {
                            config
                                .section_permalinks
                                .push((section.clone(), pattern.clone()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn jekyll(fields: &Fields<'_>, config: &mut SiteConfig) {
    let url = text(fields, "url");
    let baseurl = text(fields, "baseurl").unwrap_or_default();
    config.base_url = url.map(|url| {
        format!(
            "{}/{}",
            url.trim_end_matches('/'),
            baseurl.trim_matches('/')
        )
    });
    // jekyll-feed's title is `site.title`, else `site.name`.
    config.title = text(fields, "title").or_else(|| text(fields, "name"));
    config.description = text(fields, "description");
    config.language = text(fields, "lang");
    config.timezone = text(fields, "timezone");
    config.author = text(fields, "author").or_else(|| nested(fields, "author", "name"));
    // A post's permalink: the posts collection's, else a front-matter
    // default for posts, else the site's.
    config.permalink = lookup(fields, &["collections", "posts", "permalink"])
        .or_else(|| posts_default(fields, "permalink"))
        .or_else(|| text(fields, "permalink"));
    config.content_dir = String::new();
    config.future = flag(fields, "future");
    config.variables = fields
        .keys()
        .filter_map(|key| match fields.value(key) {
            Some(Value::String(text)) => Some((key.to_string(), text.clone())),
            _ => None,
        })
        .collect();
    config.drafts = flag(fields, "show_drafts");
    config.expired = true;
}

/// The string at `path` in nested tables (`collections.posts.permalink`).
fn lookup(fields: &Fields<'_>, path: &[&str]) -> Option<String> {
    let (first, rest) = path.split_first()?;
    let mut value = fields.value(first)?;
    for key in rest {
        let Value::Table(entries) = value else {
            return None;
        };
        value = &entries.iter().find(|(k, _)| k == key)?.1;
    }
    match value {
        Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

/// A value of Jekyll's front-matter `defaults` that applies to every post
/// (a scope of type `posts`, or of no type, with no path or `_posts`).
fn posts_default(fields: &Fields<'_>, key: &str) -> Option<String> {
    let Some(Value::Array(defaults)) = fields.value("defaults") else {
        return None;
    };
    defaults.iter().rev().find_map(|default| {
        let Value::Table(default) = default else {
            return None;
        };
        let get = |name: &str| default.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let scope = match get("scope") {
            Some(Value::Table(scope)) => scope.as_slice(),
            _ => &[],
        };
        let in_scope = scope.iter().all(|(k, v)| match (k.as_str(), v) {
            ("type", Value::String(kind)) => kind == "posts",
            ("path", Value::String(path)) => path.is_empty() || path == "_posts",
            _ => true,
        });
        match get("values") {
            Some(Value::Table(values)) if in_scope => values.iter().find_map(|(k, v)| match v {
                Value::String(text) if k == key => Some(text.clone()),
                _ => None,
            }),
            _ => None,
        }
    })
}

fn zola(fields: &Fields<'_>, config: &mut SiteConfig) {
    config.base_url = text(fields, "base_url");
    config.title = text(fields, "title");
    config.description = text(fields, "description");
    config.language = text(fields, "default_language");
    config.author = text(fields, "author");
    config.content_dir = "content".into();
    // Zola publishes future-dated pages and never expires them.
    config.future = true;
    config.expired = true;
}
