//! `make-feed new "title"`: starts an article file with its front matter
//! filled in.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use crate::cli::NewArgs;
use crate::error::{Diagnostic, Error, Result};
use crate::input::read_site;
use crate::model::{check_slug, is_reserved};

pub(super) fn run(args: &NewArgs) -> io::Result<ExitCode> {
    let now = super::now(args.now);
    Ok(
        match new_article(&args.data, &args.title, args.slug.as_deref(), now) {
            Ok(path) => {
                writeln!(io::stdout(), "{}", path.display())?;
                eprintln!(
                    "wrote {}; edit it, then run `make-feed` to publish",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
    )
}

/// Writes `data_dir/articles/<slug>.md` for an article titled `title`,
/// published at `now` in the feed's zone. Never overwrites a file.
fn new_article(
    data_dir: &Path,
    title: &str,
    slug: Option<&str>,
    now: DateTime<Utc>,
) -> Result<PathBuf> {
    let (site, _) = read_site(data_dir)?;
    let channel = site.channel;
    let title = title.trim();
    if title.is_empty() {
        return Err(Diagnostic::new(data_dir, "the new article needs a title").into());
    }
    let slug = match slug {
        Some(slug) => slug.to_string(),
        None => slug_from_title(title),
    };
    if let Err(problem) = check_slug(&slug) {
        return Err(
            Diagnostic::new(data_dir, format!("the slug {slug:?} {problem}"))
                .help("use letters, digits, '-' and '_', e.g. --slug my-article")
                .into(),
        );
    }
    // With its offset: a local time alone can fall in a daylight-saving
    // overlap, which the build refuses as ambiguous.
    let published = match channel.timezone {
        Some(zone) => now
            .with_timezone(&zone)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        None => now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    let mut front = toml::Table::new();
    front.insert("title".into(), title.into());
    let front = toml::to_string(&front).expect("a title serialises");
    let contents = format!(
        "+++\n{front}published = {published}\n+++\n\nWrite the article here, in Markdown.\n"
    );

    let articles = site.articles_dir;
    fs::create_dir_all(&articles).map_err(|e| Error::io(&articles, e))?;
    let path = articles.join(format!("{slug}.md"));
    let mut file = fs::File::options()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::from(
                    Diagnostic::new(&path, "already exists; nothing was written")
                        .help("choose another name with --slug"),
                )
            } else {
                Error::io(&path, e)
            }
        })?;
    file.write_all(contents.as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// A file name from a title: lower-case letters and digits of any script,
/// `-` between words; "article" if nothing is left.
fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() || is_reserved(slug) {
        format!("article-{}", if slug.is_empty() { "new" } else { slug })
    } else {
        slug.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_titles() {
        assert_eq!(slug_from_title("Hello, World!"), "hello-world");
        assert_eq!(
            slug_from_title("疫线党员干部的“硬核”担当"),
            "疫线党员干部的-硬核-担当"
        );
        assert_eq!(slug_from_title("!!!"), "article-new");
        assert_eq!(slug_from_title("CON"), "article-con");
    }
}
