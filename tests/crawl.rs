//! Every page of a built site is reachable from the index by links: headless
//! Chromium (`tests/browser/crawl.mjs`) starts at `index.html`, served by
//! nginx, follows only the links on pages, and must reach every article
//! page, every list page (the site's archive, each category's) and every
//! feed.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common::{repo_root, Test, FEED_TOML};
use crate::readers::{have, installed, output, Server};

/// What the crawl reached, as paths below the site.
struct Reached {
    pages: BTreeSet<String>,
    feeds: BTreeSet<String>,
}

fn crawl(server: &Server) -> Option<Reached> {
    let dir = repo_root().join("tests/browser");
    if !have(&["chromium", "node"]) {
        return None;
    }
    if !installed(&dir.join("node_modules"), ".ci/run") {
        return None;
    }
    let start = server.url("index.html");
    let printed = output(
        Command::new("node")
            .args(["crawl.mjs", &start])
            .current_dir(&dir),
    );
    let found: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(found["broken"], serde_json::json!([]), "links to nothing");
    let base = server.url("");
    let paths = |key: &str| -> BTreeSet<String> {
        found[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|url| {
                let path = url.as_str().unwrap().strip_prefix(&base).unwrap();
                percent_encoding::percent_decode_str(path)
                    .decode_utf8()
                    .unwrap()
                    .into_owned()
            })
            .collect()
    };
    Some(Reached {
        pages: paths("pages"),
        feeds: paths("feeds"),
    })
}

/// The pages and feeds below `out`, as paths below it.
fn outputs(out: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut pages = BTreeSet::new();
    let mut feeds = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let path = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if path.ends_with(".html") {
            pages.insert(path);
        } else if path.ends_with(".xml") || path.ends_with(".json") {
            feeds.insert(path);
        }
    }
    (pages, feeds)
}

fn assert_everything_reached(test: Test) {
    if !have(&["nginx"]) {
        return;
    }
    let server = Server::serving(test);
    let Some(reached) = crawl(&server) else {
        return;
    };
    let (pages, feeds) = outputs(&server.dir().join("out"));
    let unreached: Vec<&String> = pages.difference(&reached.pages).collect();
    assert!(
        unreached.is_empty(),
        "pages no link leads to: {unreached:?}"
    );
    let unreached: Vec<&String> = feeds.difference(&reached.feeds).collect();
    assert!(
        unreached.is_empty(),
        "feeds no link leads to: {unreached:?}"
    );
}

#[test]
fn every_page_and_feed_of_the_bundled_site_is_reachable_from_the_index() {
    let test = Test::bundled();
    assert_everything_reached(test);
}

#[test]
fn every_page_and_feed_of_a_large_site_with_archives_is_reachable_from_the_index() {
    let mut test = Test::empty().file(
        "feed.toml",
        &format!("{FEED_TOML}limit = 20\narchives = true\narchive_page_size = 50\n"),
    );
    for n in 0..500 {
        let category = ["Rust", "新闻", "Zones & Times"][n % 3];
        let day = n % 28 + 1;
        let month = n / 28 % 12 + 1;
        let year = 2000 + n / 336;
        test = test.file(
            &format!("articles/{year}/a{n:03}.md"),
            &format!(
                "+++\ntitle = \"Article {n}\"\npublished = {year}-{month:02}-{day:02} 12:00:00\n\
                 categories = [\"{category}\"]\n+++\n\nBody {n}.\n"
            ),
        );
    }
    assert_everything_reached(test);
}
