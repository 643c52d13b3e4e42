//! The `build` job: read `feed-data/`, render every format, publish.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Result};
use crate::publish::{publish, Published};
use crate::read::read_site;
use crate::render::{self, Output};

/// What a build did.
#[derive(Debug)]
pub struct Report {
    pub entries: usize,
    pub published: Published,
    pub warnings: Vec<Diagnostic>,
}

/// Builds the feeds of the site in `data_dir` into `out_dir`. Nothing is
/// written unless every output rendered.
pub fn build(data_dir: &Path, out_dir: &Path) -> Result<Report> {
    let read = read_site(data_dir)?;
    let outputs: Vec<Output> = vec![
        render::rss::render(&read.site),
        render::atom::render(&read.site),
    ];
    let published = publish(out_dir, &outputs)?;
    Ok(Report {
        entries: read.site.entries.len(),
        published,
        warnings: read.warnings,
    })
}

/// Where the outputs of a build land.
pub fn output_paths(out_dir: &Path) -> Vec<PathBuf> {
    [render::rss::PATH, render::atom::PATH]
        .iter()
        .map(|path| out_dir.join(path))
        .collect()
}
