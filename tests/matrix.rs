//! The reader matrix: the feeds of a site full of hard cases
//! (`tests/fixtures/hard-cases/`: `&`, `<`, `]]>`, emoji, right-to-left
//! text, offsets of +05:45 and Z, naive times on both sides of a change to
//! daylight saving time, several authors, footnotes, a table of contents,
//! task lists, a table, code holding `<script>`, raw HTML with `<noscript>`,
//! relative links and images), served by nginx and read by real readers.
//!
//! For every reader and every format it reads, each entry must show, in the
//! feed's order: the title exactly, the link, the id, the instant and the
//! offset as written, every author, every category, every block of the body
//! and every image at its absolute URL, and in-page links that land on an
//! element of the same entry. Where a reader cannot show a field, the
//! difference is a named [`Limit`] of that reader, asserted to be what
//! really happens, and listed in the README's table.
//!
//! `tests/matrix/install` installs the pinned readers that Debian does not
//! ship (`.ci/run` calls it).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::DateTime;
use serde_json::Value;

use crate::common::{copy_tree, repo_root, Test};
use crate::readers::{have, installed, output, sfeed_tsv, unescape_sfeed, Server};

/// What installs the readers this module needs beyond Debian's.
const INSTALL: &str = "tests/matrix/install";

/// What one entry of the fixture site must show, newest first.
struct Expected {
    title: &'static str,
    slug: &'static str,
    id: &'static str,
    /// Seconds since the epoch, and the offset the article was written in.
    instant: i64,
    offset: &'static str,
    authors: &'static [&'static str],
    categories: &'static [&'static str],
    /// Text that every block of the body shows.
    texts: &'static [&'static str],
    /// Images, by their path below the site.
    images: &'static [&'static str],
}

const SITE: &str = "https://hard.example.org/blog/";

const ENTRIES: [Expected; 5] = [
    Expected {
        title: "Raw HTML: charts without scripts",
        slug: "notes/raw",
        id: "tag:hard.example.org,2024-06-01:raw",
        instant: 1_717_210_800,
        offset: "-03:00",
        authors: &["Ada"],
        categories: &[],
        texts: &[
            "Charts load with a script; readers see the images in <noscript>.",
            "Hidden Markdown inside.",
        ],
        images: &["articles/notes/chart.png", "articles/img/logo.png"],
    },
    Expected {
        title: "Fish & Chips <b> ]]> 🐟",
        slug: "fish",
        id: "tag:hard.example.org,2024-05-01:fish",
        instant: 1_714_535_100,
        offset: "+05:45",
        authors: &["Ann O'Neil", "Bob <the builder>"],
        categories: &["Food & Drink", "<kitchen>"],
        texts: &[
            "Contents: Batter, Frying and the end.",
            "Flour, beer and salt",
            "\u{2611} buy fish",
            "\u{2610} heat oil",
            "Frying at 180°C",
            "chips",
            "<script>alert(\"not run\")</script>",
            "Fry in small batches and look:",
            "Serve with vinegar 😋.",
            "Sea salt is best.",
            "A fork will do; see batter.",
        ],
        images: &["articles/img/oil.png"],
    },
    Expected {
        title: "The day after daylight saving time",
        slug: "after-dst",
        id: "tag:hard.example.org,2024-03-11:after-dst",
        instant: 1_710_172_800,
        offset: "-04:00",
        authors: &["Ada"],
        categories: &["Zones"],
        texts: &["Noon in New York, four hours behind UTC."],
        images: &[],
    },
    Expected {
        title: "مرحبا بالعالم — שלום עולם",
        slug: "rtl",
        id: "tag:hard.example.org,2024-03-10:rtl",
        instant: 1_710_072_000,
        offset: "+00:00",
        authors: &["ليلى", "דוד"],
        categories: &["عربي", "עברית"],
        texts: &["هذه مقالة من اليمين إلى اليسار.", "זהו מאמר מימין לשמאל."],
        images: &[],
    },
    Expected {
        title: "The day before daylight saving time",
        slug: "before-dst",
        id: "tag:hard.example.org,2024-03-09:before-dst",
        instant: 1_710_003_600,
        offset: "-05:00",
        authors: &["Ada"],
        categories: &["Zones"],
        texts: &["Noon in New York, five hours behind UTC."],
        images: &[],
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    fn file(self) -> &'static str {
        match self {
            Format::Rss => "rss.xml",
            Format::Atom => "atom.xml",
            Format::Json => "feed.json",
        }
    }
}

/// What a reader cannot show. Each is asserted to be what really happens,
/// so that the README's table stays true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    /// Keeps the instant but not the offset the feed wrote (it keeps no
    /// date text, or gives it converted to UTC).
    NoOffset,
    /// Shows one of several authors. Some also read an RSS author written
    /// `Name <text>` as a name and an e-mail address, and show the name.
    OneAuthor,
    /// Shows every author, joined by `, ` into one name.
    AuthorsJoined,
    /// Shows no authors.
    NoAuthors,
    /// Decodes the character references of HTML content once more, so the
    /// `<script>` a code block shows becomes an element, and a `<noscript>`
    /// shown as code swallows the rest of the body.
    UnescapesCode,
    /// Shows no categories.
    NoCategories,
    /// Removes `id` attributes from the content, so in-page links lead to
    /// the article's page, not within the entry.
    NoIds,
}

/// An entry as a reader shows it.
#[derive(Debug)]
pub(crate) struct Shown {
    pub(crate) title: String,
    link: String,
    id: String,
    instant: Option<i64>,
    /// The date's text as the reader keeps it, when it keeps it.
    date_text: Option<String>,
    authors: Vec<String>,
    categories: Vec<String>,
    content: String,
}

impl Shown {
    fn from_json(entry: &Value) -> Shown {
        let text = |key: &str| entry[key].as_str().unwrap_or_default().to_string();
        let list = |key: &str| -> Vec<String> {
            entry[key]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| item.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        Shown {
            title: text("title"),
            link: text("link"),
            id: text("id"),
            instant: entry["published"].as_i64(),
            date_text: entry["published_raw"].as_str().map(String::from),
            authors: list("authors"),
            categories: list("categories"),
            content: text("content"),
        }
    }
}

/// Where `tests/matrix/install` puts what it installs.
fn work_dir() -> PathBuf {
    repo_root().join("tests/matrix/.work")
}

fn matrix_dir() -> PathBuf {
    repo_root().join("tests/matrix")
}

fn json_entries(printed: &str) -> Vec<Shown> {
    let document: Value = serde_json::from_str(printed).expect("a reader's JSON");
    document["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(Shown::from_json)
        .collect()
}

fn python(reader: &str, url: &str) -> Vec<Shown> {
    let python = work_dir().join("venv/bin/python");
    json_entries(&output(Command::new(python).args([
        matrix_dir().join("read.py").to_str().unwrap(),
        reader,
        url,
    ])))
}

fn node(reader: &str, url: &str) -> Vec<Shown> {
    json_entries(&output(
        Command::new("node")
            .args(["read.mjs", reader, url])
            .current_dir(matrix_dir()),
    ))
}

fn gofeed(url: &str) -> Vec<Shown> {
    json_entries(&output(Command::new(work_dir().join("gofeed")).arg(url)))
}

fn sfeed(url: &str) -> Vec<Shown> {
    let tsv = sfeed_tsv(url);
    // timestamp, title, link, content, content-type, id, author, enclosure, category
    tsv.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Shown {
                title: fields[1].to_string(),
                link: fields[2].to_string(),
                id: fields[5].to_string(),
                instant: fields[0].parse().ok(),
                date_text: None,
                authors: split_nonempty(fields[6], "|"),
                categories: split_nonempty(fields[8], "|"),
                content: unescape_sfeed(fields[3]),
            }
        })
        .collect()
}

fn split_nonempty(field: &str, separator: &str) -> Vec<String> {
    field
        .split(separator)
        .filter(|part| !part.is_empty())
        .map(String::from)
        .collect()
}

pub(crate) fn newsboat(url: &str, home: &Path) -> Vec<Shown> {
    fs::create_dir_all(home).unwrap();
    fs::write(home.join("urls"), format!("{url}\n")).unwrap();
    fs::write(home.join("config"), "").unwrap();
    output(
        Command::new("newsboat")
            .args([
                "-x", "reload", "-u", "urls", "-c", "cache.db", "-C", "config",
            ])
            .current_dir(home)
            .env("HOME", home),
    );
    let rows = output(Command::new("sqlite3").args([
        "-separator",
        "\u{1f}",
        "-newline",
        "\u{1e}",
        home.join("cache.db").to_str().unwrap(),
        "select title, pubDate, author, url, guid, content from rss_item order by pubDate desc",
    ]));
    rows.split('\u{1e}')
        .filter(|row| !row.is_empty())
        .map(|row| {
            let fields: Vec<&str> = row.split('\u{1f}').collect();
            Shown {
                title: fields[0].to_string(),
                link: fields[3].to_string(),
                id: fields[4].to_string(),
                instant: fields[1].parse().ok(),
                date_text: None,
                authors: split_nonempty(fields[2], ", "),
                categories: Vec::new(),
                content: fields[5].to_string(),
            }
        })
        .collect()
}

/// The offset `text` gives, as `+05:45`, if it is a date RSS or Atom writes.
fn offset_of(text: &str) -> Option<String> {
    let date = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .ok()?;
    Some(date.format("%:z").to_string())
}

/// The offset a feed in `format` writes for `expected`: RSS gives quarter
/// hour offsets in UTC (see `render/dates.rs`).
fn written_offset(expected: &Expected, format: Format) -> &'static str {
    if format == Format::Rss && expected.offset.ends_with(":45") {
        "+00:00"
    } else {
        expected.offset
    }
}

/// The text of HTML, white space squashed.
fn text_of(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    let text: String = fragment.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn attributes(html: &str, selector: &str, attribute: &str) -> Vec<String> {
    let fragment = scraper::Html::parse_fragment(html);
    let selector = scraper::Selector::parse(selector).unwrap();
    fragment
        .select(&selector)
        .filter_map(|element| element.value().attr(attribute).map(String::from))
        .collect()
}

/// Every difference between what `reader` shows of `format` and the
/// fixture, except those `limits` name; and every limit that does not
/// really happen.
fn differences(shown: &[Shown], format: Format, limits: &[Limit]) -> Vec<String> {
    let mut found = Vec::new();
    let titles: Vec<&str> = shown.iter().map(|s| s.title.as_str()).collect();
    let expected_titles: Vec<&str> = ENTRIES.iter().map(|e| e.title).collect();
    if titles != expected_titles {
        found.push(format!("entries or order: {titles:?}"));
        return found;
    }
    let mut observed = Vec::new();
    for (shown, expected) in shown.iter().zip(&ENTRIES) {
        let link = format!("{SITE}articles/{}.html", expected.slug);
        let slug = expected.slug.rsplit('/').next().unwrap();
        if shown.link != link {
            found.push(format!("{slug}: link {:?}", shown.link));
        }
        if shown.id != expected.id {
            found.push(format!("{slug}: id {:?}", shown.id));
        }
        if shown.instant != Some(expected.instant) {
            found.push(format!("{slug}: instant {:?}", shown.instant));
        }
        let offset = shown.date_text.as_deref().and_then(offset_of);
        if offset.as_deref() != Some(written_offset(expected, format)) {
            observed.push(Limit::NoOffset);
            if !limits.contains(&Limit::NoOffset) {
                found.push(format!("{slug}: date {:?}", shown.date_text));
            }
        }
        if shown.authors != expected.authors {
            match authors_limit(&shown.authors, expected.authors) {
                Some(limit) if limits.contains(&limit) => observed.push(limit),
                _ => found.push(format!("{slug}: authors {:?}", shown.authors)),
            }
        }
        if shown.categories != expected.categories {
            if shown.categories.is_empty() && limits.contains(&Limit::NoCategories) {
                observed.push(Limit::NoCategories);
            } else {
                found.push(format!("{slug}: categories {:?}", shown.categories));
            }
        }
        found.extend(body_differences(
            shown,
            expected,
            &link,
            limits,
            &mut observed,
        ));
    }
    for limit in limits {
        if !observed.contains(limit) {
            found.push(format!("limit {limit:?} is named but did not happen"));
        }
    }
    found
}

/// The limit that explains `shown` instead of `expected` authors, if any.
fn authors_limit(shown: &[String], expected: &[&str]) -> Option<Limit> {
    let [one] = shown else {
        return shown.is_empty().then_some(Limit::NoAuthors);
    };
    if *one == expected.join(", ") {
        return Some(Limit::AuthorsJoined);
    }
    let is_one_of_them = expected
        .iter()
        .any(|name| name == one || name.split(" <").next() == Some(one.as_str()));
    is_one_of_them.then_some(Limit::OneAuthor)
}

fn body_differences(
    shown: &Shown,
    expected: &Expected,
    link: &str,
    limits: &[Limit],
    observed: &mut Vec<Limit>,
) -> Vec<String> {
    let slug = expected.slug.rsplit('/').next().unwrap();
    let mut found = Vec::new();
    let unescaped = ["<script>alert(", "<noscript>"];
    if limits.contains(&Limit::UnescapesCode)
        && unescaped.iter().any(|code| shown.content.contains(code))
    {
        observed.push(Limit::UnescapesCode);
        return found;
    }
    let text = text_of(&shown.content);
    for block in expected.texts {
        if !text.contains(block) {
            found.push(format!("{slug}: body lacks {block:?}: {text}"));
        }
    }
    let images = attributes(&shown.content, "img[src]", "src");
    for image in expected.images {
        let url = format!("{SITE}{image}");
        if !images.contains(&url) {
            found.push(format!("{slug}: image {url} missing: {images:?}"));
        }
    }
    let ids = attributes(&shown.content, "[id]", "id");
    for href in attributes(&shown.content, "a[href]", "href") {
        let Some(fragment) = href.strip_prefix(&format!("{link}#")) else {
            continue;
        };
        let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        if !ids.iter().any(|id| *id == fragment) {
            if limits.contains(&Limit::NoIds) && ids.is_empty() {
                observed.push(Limit::NoIds);
            } else {
                found.push(format!("{slug}: #{fragment} lands nowhere: ids {ids:?}"));
            }
        }
    }
    found
}

/// A reader of the matrix: its name, the formats it reads, and what it
/// cannot show of each.
struct Reader {
    name: &'static str,
    formats: &'static [(Format, &'static [Limit])],
}

use Format::{Atom, Json, Rss};
use Limit::{AuthorsJoined, NoAuthors, NoCategories, NoOffset, OneAuthor, UnescapesCode};

const READERS: &[Reader] = &[
    Reader {
        name: "feedparser",
        formats: &[(Rss, &[]), (Atom, &[])],
    },
    Reader {
        name: "reader",
        formats: &[
            (Rss, &[NoOffset, OneAuthor, NoCategories]),
            (Atom, &[NoOffset, OneAuthor, NoCategories]),
            (Json, &[NoOffset, AuthorsJoined, NoCategories]),
        ],
    },
    Reader {
        name: "gofeed",
        formats: &[(Rss, &[OneAuthor]), (Atom, &[]), (Json, &[])],
    },
    Reader {
        name: "newsboat",
        formats: &[
            (Rss, &[NoOffset, OneAuthor, NoCategories]),
            (Atom, &[NoOffset, NoCategories]),
        ],
    },
    Reader {
        name: "sfeed",
        formats: &[
            (Rss, &[NoOffset, OneAuthor]),
            (Atom, &[NoOffset, OneAuthor]),
        ],
    },
    Reader {
        name: "rss2email",
        formats: &[
            (Rss, &[NoOffset, OneAuthor]),
            (Atom, &[NoOffset, OneAuthor]),
        ],
    },
    Reader {
        name: "rss-parser",
        formats: &[
            (Rss, &[OneAuthor]),
            (Atom, &[NoOffset, OneAuthor, NoCategories]),
        ],
    },
    Reader {
        name: "@rowanmanning/feed-parser",
        formats: &[
            (Rss, &[NoOffset, UnescapesCode]),
            (Atom, &[NoOffset, UnescapesCode]),
        ],
    },
    Reader {
        name: "atoma",
        formats: &[(Rss, &[NoAuthors]), (Atom, &[]), (Json, &[OneAuthor])],
    },
    Reader {
        name: "feedsmith",
        formats: &[(Rss, &[]), (Atom, &[]), (Json, &[])],
    },
];

fn read(reader: &str, url: &str, server: &Server) -> Vec<Shown> {
    match reader {
        "feedparser" | "reader" | "rss2email" | "atoma" => python(reader, url),
        "rss-parser" | "feedsmith" | "@rowanmanning/feed-parser" => node(reader, url),
        "gofeed" => gofeed(url),
        "sfeed" => sfeed(url),
        "newsboat" => {
            // Newsboat keeps one item per guid across feeds: a cache per feed.
            let name = url.rsplit('/').next().unwrap();
            newsboat(url, &server.dir().join(format!("newsboat-{name}")))
        }
        other => panic!("no reader {other}"),
    }
}

#[test]
fn every_reader_shows_every_entry_exactly_but_for_its_named_limits() {
    if !have(&[
        "nginx", "curl", "sfeed", "newsboat", "sqlite3", "node", "r2e",
    ]) || !installed(&work_dir().join("venv/bin/python"), INSTALL)
        || !installed(&work_dir().join("gofeed"), INSTALL)
        || !installed(&matrix_dir().join("node_modules"), INSTALL)
    {
        return;
    }
    let test = Test::empty();
    copy_tree(&repo_root().join("tests/fixtures/hard-cases"), &test.data());
    let server = Server::serving(test);
    let mut report = Vec::new();
    for reader in READERS {
        for &(format, limits) in reader.formats {
            let shown = read(reader.name, &server.url(format.file()), &server);
            for difference in differences(&shown, format, limits) {
                report.push(format!("{} {format:?}: {difference}", reader.name));
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The fragments of `html`'s links to `page`, and its ids, percent-decoded.
fn fragments_and_ids(html: &str, page: &str) -> (Vec<String>, Vec<String>) {
    let fragments = attributes(html, "a[href]", "href")
        .into_iter()
        .filter_map(|href| {
            let fragment = href.strip_prefix(page)?.strip_prefix('#')?.to_string();
            Some(
                percent_encoding::percent_decode_str(&fragment)
                    .decode_utf8_lossy()
                    .into_owned(),
            )
        })
        .collect();
    (fragments, attributes(html, "[id]", "id"))
}

#[test]
fn every_in_page_link_in_every_feed_and_page_lands_on_an_element_of_its_entry() {
    let test = Test::empty();
    copy_tree(&repo_root().join("tests/fixtures/hard-cases"), &test.data());
    test.build().success();
    let mut checked = 0;
    for (path, bytes) in test.out_files() {
        let text = String::from_utf8_lossy(&bytes);
        if let Some(page) = path
            .strip_suffix(".html")
            .filter(|p| p.starts_with("articles/"))
        {
            let url = format!("{SITE}{page}.html");
            let (fragments, ids) = fragments_and_ids(&text, &url);
            for fragment in &fragments {
                assert!(ids.contains(fragment), "{path}: #{fragment} lands nowhere");
            }
            checked += fragments.len();
        } else if path.ends_with(".xml") || path.ends_with(".json") {
            let feed = feed_rs::parser::parse(&bytes[..]).unwrap();
            for entry in feed.entries {
                let link = &entry.links[0].href;
                let content = entry.content.and_then(|c| c.body).unwrap_or_default();
                let (fragments, ids) = fragments_and_ids(&content, link);
                for fragment in &fragments {
                    assert!(
                        ids.contains(fragment),
                        "{path} {link}: #{fragment} lands nowhere"
                    );
                }
                checked += fragments.len();
            }
        }
    }
    // The table of contents, the footnotes and their back-links, in the
    // page and in each of the fish article's six feeds (main and two
    // categories, three formats each: 9 documents).
    assert_eq!(checked, 8 * (1 + 9), "links checked");
}
