//! Naming the two articles that share a slug or an id, and the line of a
//! field that planning found wrong.
//!
//! A build keeps only hashes of slugs and ids (a few bytes per article); when
//! two hashes repeat, this second pass reads the articles again to find the
//! two files, which is rare enough not to matter.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::article::read_front;
use super::fields::Fields;
use super::files::{article_files, ArticleText};
use super::front_matter;
use crate::error::{Diagnostic, Result};
use crate::model::{Head, Site};

/// Which of an article's names must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UniqueField {
    Slug,
    Id,
}

impl UniqueField {
    fn key(self) -> &'static str {
        match self {
            UniqueField::Slug => "slug",
            UniqueField::Id => "id",
        }
    }

    fn of(self, head: Head) -> String {
        match self {
            UniqueField::Slug => head.slug,
            UniqueField::Id => head.id,
        }
    }
}

/// The error for the first article (by path) whose `field` an earlier one
/// already has, if any does.
pub(crate) fn find_duplicate(site: &Site, field: UniqueField) -> Result<()> {
    let mut paths: Vec<PathBuf> =
        article_files(&site.articles_dir, site.channel.dialect.generator).collect::<Result<_>>()?;
    paths.sort();
    let values: Vec<String> = paths
        .par_iter()
        .map(|path| {
            let article = ArticleText::read(&site.content_root, path.clone())?;
            let front = read_front(&article.text, article.at(), &site.channel, &mut Vec::new())?;
            Ok(field.of(front.head()))
        })
        .collect::<Result<_>>()?;
    let mut first: HashMap<&str, &Path> = HashMap::with_capacity(values.len());
    for (value, path) in values.iter().zip(&paths) {
        if let Some(earlier) = first.insert(value, path) {
            let key = field.key();
            return Err(Diagnostic::new(
                path,
                format!("{value:?} is already used by {}", earlier.display()),
            )
            .field(key)
            .help(format!(
                "every article needs its own {key}; set `{key}` in one of them"
            ))
            .into());
        }
    }
    Ok(())
}

/// The line `key` is set on in the front matter of the article at `path`,
/// read again: for a problem that only shows once every article is read,
/// such as two categories that would share a folder.
pub(crate) fn line_of_key(site: &Site, path: &Path, key: &str) -> Option<usize> {
    let article = ArticleText::read(&site.content_root, path.to_path_buf()).ok()?;
    let split = front_matter::split(&article.text, path).ok()?;
    Fields::parse(split.front, path, split.front_line, &mut Vec::new())
        .ok()?
        .line(key)
}
