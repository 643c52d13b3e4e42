//! Entry limits, RFC 5005 archive pages and per-category feeds.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use crate::common::{Test, FEED_TOML};

const BASE: &str = "https://feeds.example.org/";

/// A site of `count` articles, one a day from 2020-01-01, with archives of
/// `page_size` entries and a main feed of `limit`.
fn site(count: usize, limit: usize, page_size: usize) -> Test {
    let mut test = Test::empty().file(
        "feed.toml",
        &format!("{FEED_TOML}limit = {limit}\narchives = true\narchive_page_size = {page_size}\n"),
    );
    for n in 0..count {
        test = add_article(test, n);
    }
    test
}

fn add_article(test: Test, n: usize) -> Test {
    let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(n as u64);
    test.file(
        &format!("articles/a{n:03}.md"),
        &format!("+++\ntitle = \"Article {n}\"\npublished = {day} 12:00:00\n+++\n\nBody {n}.\n"),
    )
}

/// The output files that differ between two builds (or exist in only the second).
fn changed_files<'a>(
    before: &BTreeMap<String, Vec<u8>>,
    after: &'a BTreeMap<String, Vec<u8>>,
) -> BTreeSet<&'a str> {
    after
        .keys()
        .filter(|name| before.get(*name) != after.get(*name))
        .map(String::as_str)
        .collect()
}

fn atom(test: &Test, path: &str) -> atom_syndication::Feed {
    atom_syndication::Feed::read_from(test.read_out(path).as_bytes())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn rss(test: &Test, path: &str) -> rss::Channel {
    rss::Channel::read_from(test.read_out(path).as_bytes())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn atom_link(feed: &atom_syndication::Feed, rel: &str) -> Option<String> {
    feed.links()
        .iter()
        .find(|l| l.rel() == rel)
        .map(|l| l.href().to_string())
}

fn rss_link(channel: &rss::Channel, rel: &str) -> Option<String> {
    let links = channel.atom_ext()?.links();
    links
        .iter()
        .find(|l| l.rel() == rel)
        .map(|l| l.href().to_string())
}

fn path_of(url: &str) -> String {
    url.strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not below {BASE}"))
        .to_string()
}

#[test]
fn every_article_is_in_exactly_one_document_of_each_format() {
    let test = site(95, 20, 20);
    test.build().success();

    // Walk back from the main feed through prev-archive links.
    let mut atom_titles = Vec::new();
    let mut path = "atom.xml".to_string();
    let mut chain = vec![path.clone()];
    loop {
        let feed = atom(&test, &path);
        assert_eq!(
            atom_link(&feed, "self").as_deref(),
            Some(format!("{BASE}{path}").as_str())
        );
        atom_titles.extend(feed.entries().iter().map(|e| e.title().to_string()));
        match atom_link(&feed, "prev-archive") {
            Some(prev) => {
                path = path_of(&prev);
                chain.push(path.clone());
            }
            None => break,
        }
    }
    assert_eq!(
        chain,
        [
            "atom.xml",
            "archive/atom-4.xml",
            "archive/atom-3.xml",
            "archive/atom-2.xml",
            "archive/atom-1.xml"
        ]
    );
    assert_eq!(atom_titles.len(), 95);
    let expected: Vec<String> = (0..95).rev().map(|n| format!("Article {n}")).collect();
    assert_eq!(atom_titles, expected, "newest first, each once");

    // And forward again through next-archive, to the main feed.
    let mut forward = vec!["archive/atom-1.xml".to_string()];
    while forward.last().unwrap() != "atom.xml" {
        let feed = atom(&test, forward.last().unwrap());
        assert!(
            feed.extensions()["fh"].contains_key("archive"),
            "{forward:?}: fh:archive"
        );
        assert_eq!(
            atom_link(&feed, "current").as_deref(),
            Some("https://feeds.example.org/atom.xml")
        );
        forward.push(path_of(&atom_link(&feed, "next-archive").unwrap()));
        assert!(forward.len() < 10);
    }
    let mut backward = chain.clone();
    backward.reverse();
    assert_eq!(forward, backward);

    // The same documents in RSS.
    let mut rss_guids = BTreeSet::new();
    let mut rss_count = 0;
    let mut path = "rss.xml".to_string();
    loop {
        let channel = rss(&test, &path);
        assert_eq!(
            rss_link(&channel, "self").as_deref(),
            Some(format!("{BASE}{path}").as_str())
        );
        for item in channel.items() {
            rss_guids.insert(item.guid().unwrap().value().to_string());
            rss_count += 1;
        }
        if path != "rss.xml" {
            assert!(channel.extensions()["fh"].contains_key("archive"));
            assert_eq!(
                rss_link(&channel, "current").as_deref(),
                Some("https://feeds.example.org/rss.xml")
            );
        }
        match rss_link(&channel, "prev-archive") {
            Some(prev) => path = path_of(&prev),
            None => break,
        }
    }
    assert_eq!((rss_count, rss_guids.len()), (95, 95));

    // The main feed holds the newest `limit`; pages are filled oldest first.
    assert_eq!(atom(&test, "atom.xml").entries().len(), 20);
    let page_sizes: Vec<usize> = (1..=4)
        .map(|n| {
            atom(&test, &format!("archive/atom-{n}.xml"))
                .entries()
                .len()
        })
        .collect();
    assert_eq!(page_sizes, [20, 20, 20, 15]);
    assert_eq!(
        atom(&test, "archive/atom-1.xml").entries()[19]
            .title()
            .as_str(),
        "Article 0"
    );
    // An archive page's date is its own newest entry's, not the site's.
    assert_eq!(
        atom(&test, "archive/atom-1.xml").updated().to_rfc3339(),
        "2020-01-20T12:00:00+08:00"
    );
}

#[test]
fn a_new_article_changes_only_the_main_feeds_and_the_newest_archive_page() {
    let test = site(95, 20, 20);
    test.build().success();
    let before = test.out_files();
    let test = add_article(test, 95);
    test.build().success();
    let after = test.out_files();

    // The new article's page is new, so the manifest that lists the files
    // changes; of the other articles' pages only the one before it, which
    // now links to it, changes, and of the site's archive only the page
    // that lists it.
    let changed = changed_files(&before, &after);
    let expected: BTreeSet<&str> = [
        ".make-feed-manifest",
        "archive/atom-4.xml",
        "archive/index.html",
        "archive/rss-4.xml",
        "articles/a094.html",
        "articles/a095.html",
        "atom.xml",
        "feed.json",
        "index.html",
        "rss.xml",
    ]
    .into();
    assert_eq!(changed, expected);
}

#[test]
fn a_full_newest_list_page_gets_a_successor_and_older_list_pages_stay_put() {
    // 300 articles fill three pages of the site's archive list; the 301st
    // starts a fourth. The page that was the newest moves from
    // `index.html` to `page-3.html`, the one before it links there now,
    // and the oldest stays byte for byte: a page's title names its
    // number, never how many pages there are.
    let test = site(300, 20, 20);
    test.build().success();
    let before = test.out_files();
    let test = add_article(test, 300);
    test.build().success();
    let after = test.out_files();
    let changed: BTreeSet<&str> = changed_files(&before, &after)
        .into_iter()
        .filter(|path| path.starts_with("archive/") && path.ends_with(".html"))
        .collect();
    assert_eq!(
        changed,
        [
            "archive/index.html",
            "archive/page-2.html",
            "archive/page-3.html"
        ]
        .into()
    );
    assert!(String::from_utf8_lossy(&after["archive/page-1.html"])
        .contains("<title>All articles (1) · Test channel</title>"));
}

#[test]
fn a_full_newest_page_gets_a_successor_and_older_pages_stay_put() {
    let test = site(100, 20, 20);
    test.build().success();
    let before = test.out_files();
    let test = add_article(test, 100);
    test.build().success();
    let after = test.out_files();
    for n in 1..=3 {
        for format in ["atom", "rss"] {
            let name = format!("archive/{format}-{n}.xml");
            assert_eq!(before[&name], after[&name], "{name} changed");
        }
    }
    assert!(!before.contains_key("archive/atom-5.xml"));
    let page = atom(&test, "archive/atom-5.xml");
    assert_eq!(page.entries().len(), 1);
    assert_eq!(
        atom_link(&page, "prev-archive").as_deref(),
        Some("https://feeds.example.org/archive/atom-4.xml")
    );
}

#[test]
fn pages_no_longer_produced_are_removed_and_other_files_kept() {
    let test = site(45, 20, 20);
    test.build().success();
    assert!(test.out().join("archive/rss-2.xml").is_file());
    fs::write(test.out().join("robots.txt"), "User-agent: *\n").unwrap();
    let test = test
        .remove("articles/a000.md")
        .remove("articles/a001.md")
        .remove("articles/a002.md")
        .remove("articles/a003.md")
        .remove("articles/a004.md")
        .remove("articles/a005.md");
    test.build().success().stderr_contains("removed");
    assert!(!test.out().join("archive/rss-2.xml").exists());
    assert!(!test.out().join("archive/atom-2.xml").exists());
    assert!(test.out().join("archive/rss-1.xml").is_file());
    assert_eq!(
        fs::read_to_string(test.out().join("robots.txt")).unwrap(),
        "User-agent: *\n"
    );
}

#[test]
fn without_archives_the_main_feed_holds_the_newest_limit_entries() {
    let mut test = Test::empty().file("feed.toml", &format!("{FEED_TOML}limit = 3\n"));
    for n in 0..5 {
        test = add_article(test, n);
    }
    test.build().success();
    let titles: Vec<String> = atom(&test, "atom.xml")
        .entries()
        .iter()
        .map(|e| e.title().to_string())
        .collect();
    assert_eq!(titles, ["Article 4", "Article 3", "Article 2"]);
    assert!(atom_link(&atom(&test, "atom.xml"), "prev-archive").is_none());
    // The archive folder holds the site's list of articles, and no feed.
    let archive: Vec<String> = fs::read_dir(test.out().join("archive"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(archive, ["index.html"]);
    assert_eq!(rss(&test, "rss.xml").items().len(), 3);
}

#[test]
fn the_default_limit_is_twenty() {
    let mut test = Test::empty().file("feed.toml", FEED_TOML);
    for n in 0..25 {
        test = add_article(test, n);
    }
    test.build().success();
    assert_eq!(rss(&test, "rss.xml").items().len(), 20);
}

#[test]
fn every_category_gets_feeds_in_a_safe_distinct_folder() {
    let names = [
        "地方频道",
        "Rust",
        "rust",
        "a/b",
        "a b",
        "中文 频道",
        "..",
        "CON",
    ];
    let mut test = Test::empty().file("feed.toml", FEED_TOML);
    for (n, name) in names.iter().enumerate() {
        test = test.file(
            &format!("articles/c{n}.md"),
            &format!("+++\ntitle = \"In {n}\"\npublished = 2022-06-0{} 10:00:00\ncategories = [{name:?}, \"all\"]\n+++\n\nBody.\n", n + 1),
        );
    }
    test.build().success();

    let categories = test.out().join("categories");
    let folders: BTreeSet<String> = fs::read_dir(&categories)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        folders.len(),
        names.len() + 1,
        "one folder per category: {folders:?}"
    );
    assert!(folders.contains("地方频道") && folders.contains("rust") && folders.contains("all"));
    for folder in &folders {
        assert!(
            !folder.starts_with('.') && !folder.contains(['/', '\\', ' ']),
            "{folder}"
        );
    }

    for folder in &folders {
        for format in ["rss", "atom"] {
            let path = format!("categories/{folder}/{format}.xml");
            let self_link = match format {
                "rss" => rss_link(&rss(&test, &path), "self").unwrap(),
                _ => atom_link(&atom(&test, &path), "self").unwrap(),
            };
            let expected = url::Url::parse(BASE).unwrap().join(&path).unwrap();
            assert_eq!(self_link, expected.as_str(), "{path}");
            assert!(
                self_link.is_ascii(),
                "links are URIs, not IRIs: {self_link}"
            );
        }
        let feed = atom(&test, &format!("categories/{folder}/atom.xml"));
        assert!(feed.id().is_ascii(), "{}", feed.id());
        let expected_count = if folder == "all" { names.len() } else { 1 };
        assert_eq!(feed.entries().len(), expected_count, "{folder}");
    }
    // Each name's feed holds its own article, whatever the case or punctuation.
    for (n, name) in names.iter().enumerate() {
        let folder = make_feed::category_slug(name);
        let feed = atom(&test, &format!("categories/{folder}/atom.xml"));
        assert_eq!(feed.entries()[0].title().as_str(), format!("In {n}"));
        assert!(
            feed.title().as_str().ends_with(&format!(" · {name}")),
            "{}",
            feed.title().as_str()
        );
    }
}

#[test]
fn an_edit_to_an_archived_article_renders_its_page_again_and_only_that_page() {
    let test = site(95, 20, 20);
    test.build().success();
    let before = test.out_files();
    // Article 3 is on archive page 1 (the oldest).
    let test = test.file(
        "articles/a003.md",
        "+++\ntitle = \"Article 3, corrected\"\npublished = 2020-01-04 12:00:00\n+++\n\nBody 3.\n",
    );
    test.build().success();
    let after = test.out_files();
    // Its neighbours' pages and the list of articles show its title.
    let changed = changed_files(&before, &after);
    let expected: BTreeSet<&str> = [
        "archive/atom-1.xml",
        "archive/index.html",
        "archive/rss-1.xml",
        "articles/a002.html",
        "articles/a003.html",
        "articles/a004.html",
    ]
    .into();
    assert_eq!(changed, expected);
    assert!(test
        .read_out("archive/rss-1.xml")
        .contains("Article 3, corrected"));

    // A change to the channel reaches every archive page.
    let test = test.file(
        "feed.toml",
        &format!(
            "{}limit = 20\narchives = true\narchive_page_size = 20\n",
            FEED_TOML.replace("Test channel", "Renamed")
        ),
    );
    test.build().success();
    for page in 1..=4 {
        assert!(test
            .read_out(&format!("archive/atom-{page}.xml"))
            .contains("<title>Renamed</title>"));
    }
}

#[test]
fn archive_pages_carry_their_fingerprint_after_the_root_element() {
    let test = site(45, 20, 20);
    test.build().success();
    for name in ["archive/rss-1.xml", "archive/atom-1.xml"] {
        let text = test.read_out(name);
        let last = text.lines().last().unwrap();
        assert!(
            last.starts_with("<!-- make-feed feed ") && last.ends_with(" -->"),
            "{last}"
        );
        // Still a feed every parser reads.
        roxmltree::Document::parse(&text).unwrap();
    }
    rss(&test, "archive/rss-1.xml");
    atom(&test, "archive/atom-1.xml");
}

#[test]
fn turning_archives_on_or_changing_the_limit_leaves_article_pages_alone() {
    let mut test = Test::empty().file("feed.toml", &format!("{FEED_TOML}limit = 20\n"));
    for n in 0..30 {
        test = add_article(test, n);
    }
    test.build().success();
    let off = test.out_files();
    let is_archive_feed = |name: &String| name.starts_with("archive/") && name.ends_with(".xml");
    assert!(!off.keys().any(is_archive_feed));

    let test = test.file(
        "feed.toml",
        &format!("{FEED_TOML}limit = 20\narchives = true\narchive_page_size = 20\n"),
    );
    test.build().success();
    let on = test.out_files();
    assert!(on.contains_key("archive/rss-1.xml"), "archives are on");

    let test = test.file(
        "feed.toml",
        &format!("{FEED_TOML}limit = 5\narchives = true\narchive_page_size = 20\n"),
    );
    test.build().success();
    let limited = test.out_files();
    assert_eq!(rss(&test, "rss.xml").items().len(), 5, "the limit changed");

    for n in 0..30 {
        let page = format!("articles/a{n:03}.html");
        assert!(
            off[&page] == on[&page],
            "{page} changed when archives came on"
        );
        assert!(on[&page] == limited[&page], "{page} changed with the limit");
    }
    assert_ne!(on["rss.xml"], limited["rss.xml"]);
}

#[test]
fn archive_pages_are_kept_only_when_they_are_whole_and_in_their_own_place() {
    let test = site(45, 20, 20);
    test.build().success();
    let good = test.out_files();
    // The Atom page copied over the RSS one has the right kind of last line,
    // for another file; a cut page has its last line intact.
    fs::copy(
        test.out().join("archive/atom-1.xml"),
        test.out().join("archive/rss-1.xml"),
    )
    .unwrap();
    let atom = test.read_out("archive/atom-2.xml");
    let last = atom.lines().last().unwrap();
    fs::write(
        test.out().join("archive/atom-2.xml"),
        format!("<feed>\n{last}\n"),
    )
    .unwrap();
    test.build().success();
    assert!(
        test.out_files() == good,
        "the damaged pages were not rendered again"
    );

    // Changing how many entries the main feeds hold leaves the same
    // archive pages as they are, when they hold the same entries: with 15
    // in the main feeds instead of 20, page 1 still holds the oldest 20 and
    // has the same neighbours; page 2 grows from 5 entries to 10.
    let inode = |out: &std::path::Path, name: &str| {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(out.join(name)).unwrap().ino()
    };
    let first_pages = ["archive/rss-1.xml", "archive/atom-1.xml"];
    let inodes: Vec<u64> = first_pages
        .iter()
        .map(|name| inode(&test.out(), name))
        .collect();
    let test = test.file(
        "feed.toml",
        &format!("{FEED_TOML}limit = 15\narchives = true\narchive_page_size = 20\n"),
    );
    test.build().success();
    let after = test.out_files();
    assert_eq!(rss(&test, "rss.xml").items().len(), 15);
    assert_eq!(rss(&test, "archive/rss-2.xml").items().len(), 10);
    assert!(after["archive/atom-2.xml"] != good["archive/atom-2.xml"]);
    for (name, old_inode) in first_pages.iter().zip(inodes) {
        assert!(after[*name] == good[*name], "{name} changed");
        assert_eq!(
            inode(&test.out(), name),
            old_inode,
            "{name} was written again"
        );
    }
}

#[test]
fn archive_pages_are_marked_before_their_entries_in_atom_and_declare_utf_8() {
    let test = site(5, 2, 2);
    test.build().success();
    for page in ["archive/atom-1.xml", "archive/atom-2.xml"] {
        let xml = test.read_out(page);
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"),
            "{page}"
        );
        let marker = xml.find("<fh:archive").expect("marked");
        let first_entry = xml.find("<entry>").expect("entries");
        // RFC 4287 puts extension elements before the entries.
        assert!(marker < first_entry, "{page}:\n{xml}");
        assert_eq!(xml.matches("<fh:archive").count(), 1, "{page}");
        assert!(atom(&test, page).extensions().contains_key("fh"), "{page}");
    }
    let main = test.read_out("atom.xml");
    assert!(!main.contains("fh:archive"), "{main}");
}
