//! The input stage: the data folder read into the [`model`](crate::model).
//!
//! This is the only stage that reads the data folder. It owns the formats a
//! site is written in (`feed.toml`, front matter, CommonMark bodies, dates)
//! and every rule about what input is acceptable; it turns each problem into
//! a [`Diagnostic`](crate::Diagnostic) naming the file, line and field. It
//! never formats output and never looks at the output folder.

mod anchors;
mod article;
mod assets;
mod config;
mod dates;
mod duplicates;
mod fields;
mod files;
mod footnotes;
mod front_matter;
mod generator;
mod markdown;
mod sanitize;
mod site;
mod yaml;

use std::path::PathBuf;

pub(crate) use article::{read_entry, read_front, HeldBack};
pub(crate) use assets::{Asset, Assets, Unresolved};
pub(crate) use duplicates::{find_duplicate, UniqueField};
pub(crate) use files::{article_files, ArticleText, Reading};
pub(crate) use generator::{PostUrls, SiteConfig};
pub(crate) use site::detect_site;
pub(crate) use site::read_site;

use crate::error::{Diagnostic, Result};
use crate::model::{Entry, Site};

impl Site {
    /// How much of each article the first reading takes: the head alone
    /// when no page needs the body.
    pub(crate) fn first_reading(&self) -> Reading {
        if self.channel.dialect.pages {
            Reading::Whole
        } else {
            Reading::Head
        }
    }
}

/// `error` with its line, when it names an article's field but no line
/// (planning, which reads no file, cannot know it).
pub(crate) fn with_line(site: &Site, error: crate::Error) -> crate::Error {
    match error {
        crate::Error::Input(diagnostic) if diagnostic.line.is_none() => {
            let line = diagnostic
                .field
                .as_deref()
                .and_then(|key| duplicates::line_of_key(site, &diagnostic.path, key));
            crate::Error::Input(diagnostic.maybe_line(line))
        }
        other => other,
    }
}

/// Reads an article back in full, body rendered, checking that it is the
/// text that was planned (its `fingerprint` is unchanged).
pub(crate) fn read_back(
    site: &Site,
    posts: &PostUrls,
    path: PathBuf,
    fingerprint: u64,
) -> Result<(Entry, Vec<Diagnostic>)> {
    let keyed = site.first_reading();
    let mut article = ArticleText::read_as(&site.content_root, path, Reading::Whole, keyed)?;
    if article.fingerprint != fingerprint {
        return Err(
            Diagnostic::new(&article.path, "changed while make-feed was building")
                .help("build again once the file is saved")
                .into(),
        );
    }
    let mut warnings = std::mem::take(&mut article.warnings);
    let entry = read_entry(
        &article.text,
        article.at(),
        &site.channel,
        posts,
        &mut warnings,
    )?;
    Ok((entry, warnings))
}
