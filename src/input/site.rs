//! Reading a site's own files besides its articles: `feed.toml` and the
//! templates that replace the built-in ones.

use std::fs;
use std::path::{Path, PathBuf};

use super::config;
use super::fields::Fields;
use super::files::{read_text, source_problem};
use super::generator::{self, SiteConfig};
use crate::error::{Diagnostic, Error, Result};
use crate::model::{Generator, Site, SiteTemplate};

/// The folder below the data folder whose files replace the built-in templates.
pub(crate) const TEMPLATES_DIR: &str = "templates";

/// Reads `data_dir/feed.toml` and `data_dir/templates/`.
pub(crate) fn read_site(data_dir: &Path) -> Result<(Site, Vec<Diagnostic>)> {
    let mut warnings = Vec::new();
    let feed_toml = data_dir.join("feed.toml");
    let root = fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    if let Some(mut problem) = source_problem(&feed_toml, &root, "data folder") {
        if problem.message == "not found" {
            problem = problem.help(format!(
                "make-feed reads a folder holding feed.toml and articles/; is {} that folder? (--data chooses another)",
                data_dir.display()
            ));
        }
        return Err(problem.into());
    }
    let text = read_text(&feed_toml, &mut warnings)?;
    let fields = Fields::parse(&text, &feed_toml, 1, &mut warnings)?;
    let wanted = config::generator(&fields)?;
    let articles = fields.string("articles")?;
    let search_from = articles
        .as_ref()
        .map_or_else(|| data_dir.to_path_buf(), |a| data_dir.join(a));
    let found = match wanted {
        Some(Generator::MakeFeed) => None,
        wanted => generator::find(&search_folders(&search_from, data_dir), wanted)?
            .map(|(generator, path)| (generator, as_given(path, data_dir))),
    };
    let generator = found
        .as_ref()
        .map(|(g, _)| *g)
        .or(wanted)
        .unwrap_or(Generator::MakeFeed);
    let site_config = match (&found, generator) {
        (Some((generator, path)), _) => Some(generator::read(*generator, path, &mut warnings)?),
        (None, Generator::MakeFeed) => None,
        // Named in feed.toml but with no configuration file: its defaults.
        (None, _) => Some(SiteConfig {
            root: data_dir.to_path_buf(),
            content_dir: if generator == Generator::Jekyll {
                String::new()
            } else {
                "content".into()
            },
            future: generator == Generator::Zola,
            expired: generator != Generator::Hugo,
            ..SiteConfig::default()
        }),
    };
    let channel = config::channel(&fields, generator, site_config.as_ref())?;
    let content_root = site_config
        .as_ref()
        .map(|site| site.root.join(&site.content_dir));
    let articles_dir = match (&articles, &content_root) {
        (Some(articles), _) => data_dir.join(articles),
        (None, Some(content)) => content.clone(),
        (None, None) => data_dir.join("articles"),
    };
    let content_root = content_root
        .filter(|root| articles_dir.starts_with(root))
        .unwrap_or_else(|| articles_dir.clone());
    // A site whose generator makes the pages has no use for templates
    // (and its `templates/` may be the generator's own, as Zola's are).
    let templates = if channel.dialect.pages {
        templates(data_dir, &mut warnings)?
    } else {
        Vec::new()
    };
    let site = Site {
        channel,
        templates,
        data_dir: data_dir.to_path_buf(),
        articles_dir,
        content_root,
        generator_config: found.map(|(_, path)| path),
        config_path: feed_toml,
        config_text: text,
    };
    Ok((site, warnings))
}

/// The generator site whose configuration is in `folder`, if there is one.
pub(crate) fn detect_site(folder: &Path) -> Result<Option<(Generator, PathBuf, SiteConfig)>> {
    let Some((generator, path)) = generator::find(&[folder.to_path_buf()], None)? else {
        return Ok(None);
    };
    let config = generator::read(generator, &path, &mut Vec::new())?;
    Ok(Some((generator, path, config)))
}

/// `path` (found below the data folder's real path) as below the data
/// folder as the user named it, so that messages name files as they did.
fn as_given(path: PathBuf, data_dir: &Path) -> PathBuf {
    let real = fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    match path.strip_prefix(&real) {
        Ok(rest) => data_dir.join(rest),
        Err(_) => path,
    }
}

/// Where a generator's configuration is looked for, nearest first: the
/// folder the articles are in and every folder above it, up to the data
/// folder's parent (a `feed-data/` kept inside the site's folder).
fn search_folders(start: &Path, data_dir: &Path) -> Vec<PathBuf> {
    let absolute = |path: &Path| fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let data = absolute(data_dir);
    let stop = data.parent().unwrap_or(&data).to_path_buf();
    let start = absolute(start);
    let mut folders: Vec<PathBuf> = start
        .ancestors()
        .take_while(|folder| folder.starts_with(&stop))
        .map(Path::to_path_buf)
        .collect();
    for folder in [data.clone(), stop] {
        if !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    folders
}

/// The site's own templates: the `.html` files and `style.css` in
/// `data_dir/templates/`, sorted by name.
fn templates(data_dir: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Vec<SiteTemplate>> {
    let mut templates = Vec::new();
    let dir = data_dir.join(TEMPLATES_DIR);
    if !dir.is_dir() {
        return Ok(templates);
    }
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io(&dir, e))?;
    files.sort_by_key(std::fs::DirEntry::file_name);
    for file in files {
        let path = file.path();
        let name = file.file_name().to_string_lossy().into_owned();
        let wanted = (name.ends_with(".html") || name == "style.css")
            && !name.starts_with('.')
            && path.is_file();
        if !wanted {
            warnings.push(
                Diagnostic::new(&path, "is not a template make-feed uses; ignored").help(
                    "templates/ holds base.html, page.html, index.html, style.css and .html files they include",
                ),
            );
            continue;
        }
        let inside = fs::canonicalize(&path)
            .ok()
            .zip(fs::canonicalize(data_dir).ok())
            .is_some_and(|(real, root)| real.starts_with(root));
        if !inside {
            return Err(Diagnostic::new(
                &path,
                "is a symbolic link to a file outside the data folder",
            )
            .help("copy the template into templates/ instead of linking to it")
            .into());
        }
        let text = read_text(&path, warnings)?;
        templates.push(SiteTemplate { name, text, path });
    }
    Ok(templates)
}
