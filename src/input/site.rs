//! Reading a site's own files besides its articles: `feed.toml` and the
//! templates that replace the built-in ones.

use std::fs;
use std::path::Path;

use super::config;
use super::files::{read_text, source_problem};
use crate::error::{Diagnostic, Error, Result};
use crate::model::{Site, SiteTemplate};

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
    let channel = config::parse_channel(&text, &feed_toml, &mut warnings)?;
    let templates = templates(data_dir, &mut warnings)?;
    let site = Site {
        channel,
        templates,
        data_dir: data_dir.to_path_buf(),
        articles_dir: data_dir.join("articles"),
        config_path: feed_toml,
        config_text: text,
    };
    Ok((site, warnings))
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
