//! Reading a `feed-data/` folder into a [`Site`]. The only module that reads
//! input files; it never formats output.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::article::{self, Location};
use crate::config;
use crate::error::{line_of, Diagnostic, Error, Result};
use crate::model::{Entry, Site};
use crate::text::strip_xml_unsafe;

/// A site and the warnings met while reading it.
#[derive(Debug)]
pub struct Read {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
}

/// Reads `data_dir/feed.toml` and every `data_dir/articles/**/*.md`.
pub fn read_site(data_dir: &Path) -> Result<Read> {
    let mut warnings = Vec::new();
    let feed_toml = data_dir.join("feed.toml");
    if !feed_toml.is_file() {
        return Err(Diagnostic::new(&feed_toml, "not found")
            .help(format!(
                "make-feed reads a folder holding feed.toml and articles/; is {} that folder? (--data chooses another)",
                data_dir.display()
            ))
            .into());
    }
    let text = read_text(&feed_toml, &mut warnings)?;
    let channel = config::parse_channel(&text, &feed_toml)?;

    let articles_dir = data_dir.join("articles");
    if !articles_dir.is_dir() {
        return Err(Diagnostic::new(&articles_dir, "not found")
            .help("put one Markdown file per article in it, e.g. articles/my-first-post.md")
            .into());
    }
    let mut entries = Vec::new();
    for path in article_paths(&articles_dir)? {
        let text = read_text(&path, &mut warnings)?;
        let relative = path.strip_prefix(&articles_dir).unwrap_or(&path);
        let folder: String = relative
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .map(|c| format!("{}/", c.as_os_str().to_string_lossy()))
            .collect();
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let location = Location {
            path: &path,
            folder: &format!("articles/{folder}"),
            stem: &stem,
        };
        entries.push(article::parse_article(&text, location, &channel)?);
    }
    if entries.is_empty() {
        return Err(Diagnostic::new(&articles_dir, "holds no articles (*.md files)")
            .help("add one, e.g. articles/my-first-post.md with title and published in its front matter")
            .into());
    }
    check_unique(&entries, |e| &e.slug, "slug")?;
    check_unique(&entries, |e| &e.id, "id")?;
    entries.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
    Ok(Read {
        site: Site { channel, entries },
        warnings,
    })
}

/// Every `*.md` below `dir`, in a fixed order.
fn article_paths(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for item in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let item = item.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, e.into())
        })?;
        if item.file_type().is_file() && item.path().extension().is_some_and(|ext| ext == "md") {
            paths.push(item.into_path());
        }
    }
    Ok(paths)
}

/// Reads a UTF-8 file, removing (with a warning) any character XML forbids.
fn read_text(path: &Path, warnings: &mut Vec<Diagnostic>) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = line_of(std::str::from_utf8(valid).unwrap_or_default(), valid.len());
        Diagnostic::new(path, "is not UTF-8 text")
            .line(line)
            .help("save the file as UTF-8 (e.g. `iconv -f GBK -t UTF-8`)")
    })?;
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_string)
        .unwrap_or(text);
    let (kept, removed) = strip_xml_unsafe(&text);
    for removed in &removed {
        warnings.push(
            Diagnostic::new(
                path,
                format!(
                    "removed character U+{:04X}, which XML does not allow",
                    u32::from(removed.character)
                ),
            )
            .line(removed.line),
        );
    }
    Ok(kept.into_owned())
}

fn check_unique(entries: &[Entry], key: impl Fn(&Entry) -> &String, field: &str) -> Result<()> {
    let mut seen: HashMap<&String, &Entry> = HashMap::new();
    for entry in entries {
        if let Some(first) = seen.insert(key(entry), entry) {
            return Err(Diagnostic::new(
                &entry.origin,
                format!(
                    "{:?} is already used by {}",
                    key(entry),
                    first.origin.display()
                ),
            )
            .field(field)
            .help(format!(
                "every article needs its own {field}; set `{field}` in one of them"
            ))
            .into());
        }
    }
    Ok(())
}
