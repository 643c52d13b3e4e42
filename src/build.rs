//! The `build` job: scan `feed-data/` (rendering each article's page on the
//! way), plan the feed documents, render the articles they hold, add the
//! index, the stylesheet and the assets articles refer to, publish.

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::article::{self, Head};
use crate::assets::{self, Assets};
use crate::check;
use crate::error::{Diagnostic, Error, Result};
use crate::model::{Channel, Document, Entry, Place};
use crate::plan::{plan, Plan};
use crate::publish::{Copy, Published, Stager};
use crate::read::{self, Catalog};
use crate::render;
use crate::render::page::{Pages, Templates, Trailer};
use xxhash_rust::xxh3::Xxh3;

/// What a build needs besides the folders.
pub struct Options<'a> {
    /// Shows progress; `ProgressBar::hidden()` shows nothing.
    pub progress: ProgressBar,
    /// Told when the build has to wait for another one.
    pub on_wait: &'a dyn Fn(&str),
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            progress: ProgressBar::hidden(),
            on_wait: &|_| {},
        }
    }
}

/// What a build did.
#[derive(Debug)]
pub struct Report {
    pub entries: usize,
    /// Feed documents (a document is published in each format).
    pub documents: usize,
    /// Copied from the data folder because articles refer to them.
    pub assets: usize,
    pub published: Published,
    /// Sorted by file and line, each once.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site in `data_dir` into `out_dir`. Nothing is published
/// unless every output rendered.
pub fn build(data_dir: &Path, out_dir: &Path, options: &Options<'_>) -> Result<Report> {
    let (channel, mut warnings) = read::channel(data_dir)?;
    let (site_templates, more) = read::templates(data_dir)?;
    let templates = Templates::new(&site_templates);
    warnings.extend(more);
    let stager = Stager::open(out_dir, options.on_wait)?;
    match stage_site(data_dir, channel, &templates, warnings, &stager, options) {
        Ok(mut report) => {
            report.published = stager.commit()?;
            options.progress.finish_and_clear();
            Ok(report)
        }
        Err(error) => {
            stager.abandon();
            Err(error)
        }
    }
}

/// Renders and stages every output; the report's `published` is left empty.
fn stage_site(
    data_dir: &Path,
    channel: Channel,
    templates: &Templates,
    first_warnings: Vec<Diagnostic>,
    stager: &Stager,
    options: &Options<'_>,
) -> Result<Report> {
    let progress = &options.progress;
    let pages = Pages::new(templates, &channel)?;
    let assets = Assets::new(data_dir);
    // feed.toml's icon and logo are files to publish too.
    let channel_files: Vec<String> = [&channel.icon, &channel.logo]
        .into_iter()
        .flatten()
        .filter_map(|url| assets::site_path(url.as_str(), &channel.base_url))
        .collect();
    assets.note(&data_dir.join("feed.toml"), &channel_files);

    // Every article's page is written while the scan has its text at hand,
    // so that no article is read twice for its page.
    let site = PageStage {
        pages: &pages,
        stager,
        assets: &assets,
        inputs: page_inputs(&channel, templates),
    };
    let read_article =
        |source: read::Source<'_>, channel: &Channel, warnings: &mut Vec<Diagnostic>| {
            site.stage(source, channel, warnings)
        };
    let catalog = read::scan_articles(
        data_dir,
        channel.clone(),
        first_warnings,
        progress,
        &read_article,
    )?;
    let plan = plan(&catalog)?;
    let warnings = Mutex::new(catalog.warnings.clone());

    let documents = 1 + plan.categories.len() + plan.archive_pages.len();
    progress.set_position(0);
    progress.set_length(documents as u64);
    progress.set_message("writing feeds");

    // The main and category feeds share many entries: render each once.
    let wanted: BTreeSet<usize> = plan
        .main
        .iter()
        .chain(plan.categories.iter().flat_map(|c| c.entries.iter()))
        .copied()
        .collect();
    let newest: HashMap<usize, Entry> = load(&catalog, wanted.into_iter().collect(), &warnings)?
        .into_iter()
        .collect();
    let pick = |indices: &[usize]| indices.iter().map(|i| &newest[i]).collect::<Vec<_>>();

    // Everything besides its entries that goes into an archive page.
    let feed_inputs = read::fingerprint(&[
        render::VERSION,
        &RENDER_VERSION.to_string(),
        &format!("{:?}", unpaged(&catalog.channel)),
    ])
    .to_le_bytes();
    let current = archive_links(&plan, plan.archive_pages.len() + 1);
    let main = Document {
        channel: &catalog.channel,
        title: catalog.channel.title.clone(),
        place: Place::main(),
        entries: pick(&plan.main),
        archive: false,
        prev_archive: current.0,
        next_archive: None,
        current: None,
    };
    stage(stager, &main)?;
    let categories: Vec<(&str, &str)> = plan
        .categories
        .iter()
        .map(|c| (c.name.as_str(), c.slug.as_str()))
        .collect();
    stager.add(pages.index(&main.entries, &categories)?)?;
    stager.add(pages.stylesheet())?;
    progress.inc(1);

    plan.categories.par_iter().try_for_each(|category| {
        let doc = Document {
            channel: &catalog.channel,
            title: format!("{} · {}", catalog.channel.title, category.name),
            place: Place::category(&category.slug),
            entries: pick(&category.entries),
            archive: false,
            prev_archive: None,
            next_archive: None,
            current: None,
        };
        stage(stager, &doc)?;
        progress.inc(1);
        Ok::<_, crate::Error>(())
    })?;

    plan.archive_pages
        .par_iter()
        .enumerate()
        .try_for_each(|(i, page)| {
            let number = i + 1;
            let (prev_archive, next_archive) = archive_links(&plan, number);
            // An archive page that holds the same articles, unchanged, in the
            // same place in the chain is kept without reading them back.
            let mut page_key = Xxh3::new();
            page_key.update(&feed_inputs);
            page_key.update(format!("{number} {prev_archive:?} {next_archive:?}").as_bytes());
            for &index in page {
                page_key.update(&catalog.articles[index].fingerprint.to_le_bytes());
            }
            let place = Place::archive(number);
            let files: Vec<(String, u64)> = ["rss", "atom"]
                .iter()
                .map(|format| {
                    let path = place.path(format);
                    let mut key = page_key.clone();
                    key.update(path.as_bytes());
                    (path, key.digest())
                })
                .collect();
            let current = files.iter().all(|(path, key)| {
                stager
                    .tail(path)
                    .and_then(|tail| render::read_feed_trailer(&tail.bytes, tail.file_len))
                    == Some(*key)
            });
            if current {
                files.iter().for_each(|(path, _)| stager.keep(path));
                progress.inc(1);
                return Ok(());
            }
            let entries = load(&catalog, page.clone(), &warnings)?;
            let doc = Document {
                channel: &catalog.channel,
                title: catalog.channel.title.clone(),
                place: Place::archive(number),
                entries: entries.iter().map(|(_, entry)| entry).collect(),
                archive: true,
                prev_archive,
                next_archive,
                current: Some(Place::main()),
            };
            stage_with(stager, &doc, |path| {
                files.iter().find(|(p, _)| p == path).map(|(_, key)| *key)
            })?;
            progress.inc(1);
            Ok::<_, crate::Error>(())
        })?;

    // Last, the files articles refer to: a page or feed the build wrote
    // takes precedence over a data file of the same name.
    // The missing ones are the same whether or not the copies are staged.
    let ((copies, clashes), missing) =
        stager.with_staged(|produced| (assets.to_copy(produced), assets.missing(produced)));
    lock(&warnings).extend(clashes);
    let kept: Vec<Diagnostic> = copies
        .par_iter()
        .filter_map(|(path, source)| {
            let not_published = |why: String, help: &str| {
                let shown = assets.data_path(path);
                Some(Ok(Diagnostic::new(shown, format!("is not published: {why}")).help(help)))
            };
            match stager.add_copy(path.clone(), source) {
                Ok(Copy::Staged | Copy::AlreadyThere) => None,
                Ok(Copy::NotOurs) => not_published(
                    format!("{} is a file make-feed did not write", stager.out_dir().join(path).display()),
                    "move that file away, or rename this one and the links to it",
                ),
                Ok(Copy::Blocked(file)) => not_published(
                    format!("{} is a file where its folder should be", file.display()),
                    "if make-feed wrote that file, the next build publishes this one; if not, move it away",
                ),
                Err(error) => Some(Err(error)),
            }
        })
        .collect::<Result<_>>()?;
    lock(&warnings).extend(kept);
    lock(&warnings).extend(missing);

    let mut warnings = warnings.into_inner().unwrap_or_else(|p| p.into_inner());
    warnings.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
    warnings.dedup();
    Ok(Report {
        entries: catalog.total,
        documents,
        assets: copies.len(),
        published: Published::default(),
        warnings,
    })
}

/// What writing one article's page needs.
struct PageStage<'a> {
    pages: &'a Pages<'a>,
    stager: &'a Stager,
    assets: &'a Assets,
    /// Everything besides the article that goes into its page.
    inputs: Xxh3,
}

/// The trailer key of a page that must be rendered again by every build.
const NEVER_KEPT: u64 = 0;

impl PageStage<'_> {
    /// Checks an article's front matter and stages its page, unless the
    /// page already there was made from the same inputs; notes the files
    /// its body links to either way.
    fn stage(
        &self,
        source: read::Source<'_>,
        channel: &Channel,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Head> {
        let (text, at) = (source.text, source.at);
        let front = article::read_front(text, at, channel, warnings)?;
        let head = front.head();
        let path = assets::site_path(front.url().as_str(), &channel.base_url).ok_or_else(|| {
            Diagnostic::new(at.path, "is in a folder whose name cannot be part of a URL")
                .help("rename the folder: no backslash, and no name that is only dots")
        })?;
        let mut key = self.inputs.clone();
        key.update(&source.fingerprint.to_le_bytes());
        let key = key.digest().max(NEVER_KEPT + 1);
        let old = self
            .stager
            .tail(&path)
            .map(|tail| Trailer::read_from(&tail.bytes, tail.file_len));
        let references = match old {
            Some(Some(trailer)) if trailer.key == key => {
                self.stager.keep(&path);
                trailer.references
            }
            _ => {
                let warned_before = warnings.len();
                let entry = front.render(at, warnings)?;
                let references = assets::references(&entry.body_html, &channel.base_url);
                let mut page = self.pages.article(&entry, &path)?;
                // A page whose body drew warnings is rendered again by every
                // build, so that every build repeats them.
                let warned = warnings.len() > warned_before;
                let new_key = if warned { NEVER_KEPT } else { key };
                Trailer {
                    key: new_key,
                    references: references.clone(),
                }
                .append_to(&mut page);
                match old {
                    // No page yet, or one made from other inputs (its trailer
                    // differs): nothing to compare.
                    None => self.stager.add_new(page)?,
                    Some(Some(trailer)) if trailer.key != new_key => self.stager.add_new(page)?,
                    // Rendered every time, or damaged: keep the file if the
                    // bytes are the same.
                    Some(_) => self.stager.add(page)?,
                }
                references
            }
        };
        self.assets.note(at.path, &references);
        Ok(head)
    }
}

/// The channel without how many entries feeds hold and how archives are
/// paged: those never show in a page or an archive entry (which entries a
/// page holds is fingerprinted apart), so changing them must not rewrite
/// every page.
fn unpaged(channel: &Channel) -> Channel {
    Channel {
        limit: 0,
        archive_page_size: None,
        ..channel.clone()
    }
}

/// A fingerprint of everything besides the article itself that goes into
/// an article's page.
fn page_inputs(channel: &Channel, templates: &Templates) -> Xxh3 {
    let mut inputs = Xxh3::new();
    for part in [render::VERSION, &format!("{:?}", unpaged(channel))] {
        inputs.update(&(part.len() as u64).to_le_bytes());
        inputs.update(part.as_bytes());
    }
    inputs.update(&RENDER_VERSION.to_le_bytes());
    templates.hash_into(&mut inputs);
    inputs
}

/// Bump when a change to make-feed renders pages or archive feeds
/// differently from the same input, so that the next build renders them all
/// again instead of keeping them.
const RENDER_VERSION: u32 = 1;

/// Writes what a build that published has to say (its warnings, then one
/// summary line and the files it wrote, when they are few) as `make-feed build`
/// prints it, so that every command that builds reports alike.
pub fn write_report(
    w: &mut dyn Write,
    report: &Report,
    data_dir: &Path,
    out_dir: &Path,
) -> io::Result<()> {
    for warning in &report.warnings {
        writeln!(w, "warning: {warning}")?;
    }
    for problem in &report.published.not_removed {
        writeln!(
            w,
            "warning: could not delete an output this build no longer produces: {problem}"
        )?;
    }
    let published = &report.published;
    writeln!(
        w,
        "built {} from {} into {}: {} written, {} unchanged{}",
        count(report.entries, "entry", "entries"),
        data_dir.display(),
        out_dir.display(),
        count(published.written.len(), "file", "files"),
        published.unchanged.len(),
        match published.removed.len() {
            0 => String::new(),
            n => format!(", {n} no longer produced and removed"),
        }
    )?;
    if published.written.len() <= 12 {
        for path in &published.written {
            writeln!(w, "  wrote {}", out_dir.join(path).display())?;
        }
    }
    Ok(())
}

/// Writes why a build failed and that it changed nothing.
pub fn write_failure(w: &mut dyn Write, error: &Error, out_dir: &Path) -> io::Result<()> {
    writeln!(w, "error: {error}")?;
    if let Error::Partial { .. } = error {
        return writeln!(
            w,
            "the files in {} are partly from this build; fix the problem and build again",
            out_dir.display()
        );
    }
    writeln!(
        w,
        "nothing was published; the files in {} are as they were",
        out_dir.display()
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// The archive neighbours of page `number` (the main feed counts as the page
/// after the newest archive page). The newest archive page's `next-archive`
/// is the main feed, so that every archive page links onward.
fn archive_links(plan: &Plan, number: usize) -> (Option<Place>, Option<Place>) {
    let pages = plan.archive_pages.len();
    let prev = (number > 1 && number - 1 <= pages).then(|| Place::archive(number - 1));
    let next = match number {
        n if n < pages => Some(Place::archive(n + 1)),
        n if n == pages => Some(Place::main()),
        _ => None,
    };
    (prev, next)
}

/// Renders the articles at `indices`, in parallel, keeping their order.
fn load(
    catalog: &Catalog,
    indices: Vec<usize>,
    warnings: &Mutex<Vec<Diagnostic>>,
) -> Result<Vec<(usize, Entry)>> {
    let loaded: Vec<(usize, Entry)> = indices
        .into_par_iter()
        .map(|index| {
            let (entry, more) = read::load_entry(catalog, &catalog.articles[index])?;
            if !more.is_empty() {
                lock(warnings).extend(more);
            }
            Ok((index, entry))
        })
        .collect::<Result<_>>()?;
    Ok(loaded)
}

/// Renders `doc` in every format (JSON Feed for current documents only), checks each result with `make-feed
/// check`'s rules, and stages it. A feed with an error is never published.
fn stage(stager: &Stager, doc: &Document<'_>) -> Result<()> {
    stage_with(stager, doc, |_| None)
}

/// [`stage`], with the fingerprint `key_of` gives an output's path recorded
/// on its last line.
fn stage_with(
    stager: &Stager,
    doc: &Document<'_>,
    key_of: impl Fn(&str) -> Option<u64>,
) -> Result<()> {
    let mut outputs = vec![render::rss::render(doc), render::atom::render(doc)];
    // JSON Feed has no archive documents (RFC 5005 is for RSS and Atom).
    if !doc.archive {
        outputs.push(render::json::render(doc));
    }
    for mut output in outputs {
        if let Some(key) = key_of(&output.path) {
            render::append_feed_trailer(&mut output, key);
        }
        let context = check::Context {
            // Builds never read the clock; "in the future" is only a warning.
            now: chrono::DateTime::<chrono::Utc>::MAX_UTC,
            url: Some(doc.channel.url_of(&output.path).to_string()),
        };
        let findings = check::check(&output.bytes, &context);
        if let Some(error) = findings
            .iter()
            .find(|f| f.severity == check::Severity::Error)
        {
            return Err(Diagnostic::new(
                &output.path,
                format!(
                    "make-feed wrote a feed that fails its own check: {}:{}: {} [{}]",
                    error.line, error.column, error.message, error.rule
                ),
            )
            .help("this is a bug in make-feed; please report it with the article that caused it")
            .into());
        }
        stager.add(output)?;
    }
    Ok(())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
