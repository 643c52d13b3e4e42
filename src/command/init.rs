//! `make-feed init`: a `feed.toml` for the site in the current folder (a
//! Hugo, Jekyll or Zola site, read as it is), or a new make-feed site with
//! one example article.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use crate::cli::InitArgs;
use crate::error::{Diagnostic, Error, Result};
use crate::input::{detect_site, SiteConfig};
use crate::model::Generator;

pub(super) fn run(args: &InitArgs) -> io::Result<ExitCode> {
    let now = super::now(args.now);
    Ok(match init(&args.data, now) {
        Ok(written) => {
            for path in &written {
                writeln!(io::stdout(), "{}", path.display())?;
            }
            eprintln!(
                "wrote {}; read it, then run `make-feed` to build",
                written[0].display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    })
}

/// Writes `data_dir/feed.toml` (and, for a new site, an example article);
/// never overwrites a file.
fn init(data_dir: &Path, now: DateTime<Utc>) -> Result<Vec<PathBuf>> {
    let feed_toml = data_dir.join("feed.toml");
    if feed_toml.exists() {
        return Err(
            Diagnostic::new(&feed_toml, "already exists; nothing was written")
                .help("edit it, or give another folder with --data")
                .into(),
        );
    }
    let site_folder = data_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match detect_site(site_folder)? {
        Some((generator, config_path, config)) => {
            let text = for_generator(generator, &config_path, &config, site_folder);
            write_new(&feed_toml, &text)?;
            Ok(vec![feed_toml])
        }
        None => {
            write_new(&feed_toml, NEW_SITE)?;
            let article = data_dir.join("articles").join("welcome.md");
            let published = now.format("%Y-%m-%dT%H:%M:%SZ");
            write_new(&article, &format!("+++\ntitle = \"Welcome\"\npublished = {published}\n+++\n\nThe first article. Write in Markdown; `make-feed new \"A title\"` starts the next one.\n"))?;
            Ok(vec![feed_toml, article])
        }
    }
}

const NEW_SITE: &str = "# The channel: what readers see as the feed's name and description.
title = \"My site\"
description = \"What this site is about\"
# The address the output folder (public/) is served at: change it before
# publishing, because every link and id in the feeds is made from it.
base_url = \"https://example.org/\"
language = \"en\"
# Times written without an offset are read in this zone.
timezone = \"UTC\"
";

/// The `feed.toml` for a generator's site found at `config_path`.
fn for_generator(
    generator: Generator,
    config_path: &Path,
    config: &SiteConfig,
    site_folder: &Path,
) -> String {
    let shown = config_path.strip_prefix(site_folder).unwrap_or(config_path);
    // The site is the folder above the data folder.
    let articles = match config.content_dir.as_str() {
        "" => "..".to_string(),
        content => format!("../{content}"),
    };
    let ids = match generator {
        Generator::Hugo => "Hugo's RSS guids (each page's URL)",
        Generator::Jekyll => "jekyll-feed's ids (each post's id under the site's URL)",
        _ => "Zola's feed ids (each page's URL)",
    };
    let mut text = format!(
        "# make-feed reads this {generator} site as {generator} does: found {}.\n\
         generator = \"{}\"\n\
         # Where the posts are, relative to this file.\n\
         articles = \"{articles}\"\n\
         # {generator} makes the pages; make-feed writes the feeds only.\n\
         pages = false\n\
         # Entry ids are {ids},\n\
         # so that no subscriber sees an old post as new after the switch.\n\
         # `ids = \"tag\"` would use make-feed's tag: ids instead.\n",
        shown.display(),
        generator.name(),
    );
    let missing = |value: &Option<String>| value.is_none();
    if missing(&config.base_url) {
        text.push_str(&format!(
            "# {} sets no URL: give the site's address.\nbase_url = \"https://example.org/\"\n",
            shown.display()
        ));
    }
    if missing(&config.title) {
        text.push_str("title = \"My site\"\n");
    }
    if missing(&config.timezone) && generator != Generator::Zola {
        text.push_str(&format!("# Times without an offset are read in UTC, as {generator} does on a machine set to UTC;\n# set the site's zone here or in its configuration.\n# timezone = \"Europe/Berlin\"\n"));
    }
    text
}

/// Writes `text` at `path`, creating its folder; never over a file.
fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    }
    let mut file = fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))
}
