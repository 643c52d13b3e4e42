//! Whole outputs: golden files for the bundled site, determinism, and
//! well-formed output from hostile field values.

use std::fs;

use crate::common::{repo_root, Test, FEED_TOML};
use pretty_assertions::assert_eq;

/// The bundled feeds, index and article page, byte for byte, but for the
/// page's fingerprint, which changes with make-feed's own code (it covers
/// the render version) and is written `################` in the golden file.
/// After an intended change, rerun with `UPDATE_GOLDEN=1` and read the diff
/// before committing it.
#[test]
fn bundled_site_matches_the_golden_files() {
    let test = Test::bundled();
    test.build().success();
    for (name, golden) in [
        ("rss.xml", "rss.xml"),
        ("atom.xml", "atom.xml"),
        ("feed.json", "feed.json"),
        ("index.html", "index.html"),
        (
            "articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html",
            "article.html",
        ),
    ] {
        let golden = repo_root().join("tests/golden").join(golden);
        let actual = without_fingerprint(&test.read_out(name));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            fs::write(&golden, &actual).unwrap();
        }
        assert_eq!(actual, fs::read_to_string(&golden).unwrap(), "{name}");
    }
}

/// `text` with the key of its page trailer, if it has one, as `#`s.
fn without_fingerprint(text: &str) -> String {
    const START: &str = "<!-- make-feed page ";
    let Some(at) = text.rfind(START) else {
        return text.to_string();
    };
    let key = &text[at + START.len()..at + START.len() + 16];
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
    format!(
        "{}{START}{}{}",
        &text[..at],
        "#".repeat(16),
        &text[at + START.len() + 16..]
    )
}

#[test]
fn same_input_gives_identical_bytes_in_any_machine_zone() {
    let first = Test::bundled();
    first
        .run_in_zone(&["build", "--data", "data", "--out", "out"], "UTC")
        .success();
    let second = Test::bundled();
    second
        .run_in_zone(
            &["build", "--data", "data", "--out", "out"],
            "Pacific/Kiritimati",
        )
        .success();
    assert_eq!(first.out_files(), second.out_files());
}

#[test]
fn same_input_gives_identical_bytes_on_one_thread_or_many() {
    let site = || {
        let mut test = Test::empty().file(
            "feed.toml",
            &format!(
                "{}limit = 5\narchives = true\narchive_page_size = 7\n",
                crate::common::FEED_TOML
            ),
        );
        for n in 0..60 {
            test = test.file(
                &format!("articles/{}/post-{n}.md", n % 4),
                &format!(
                    "+++\ntitle = \"Post {n}\"\npublished = 2022-06-01 10:{:02}:00\ncategories = [\"c{}\", \"承德\"]\n+++\n\nBody {n} ![p](missing-{}.png)\n",
                    n % 7,
                    n % 5,
                    n % 3
                ),
            );
        }
        test
    };
    let one = site();
    one.run_with(
        &["build", "--data", "data", "--out", "out"],
        &[("RAYON_NUM_THREADS", "1")],
    )
    .success();
    let many = site();
    many.run_with(
        &["build", "--data", "data", "--out", "out"],
        &[("RAYON_NUM_THREADS", "8")],
    )
    .success();
    let (one_files, many_files) = (one.out_files(), many.out_files());
    assert!(one_files.len() > 60 + 10, "{} files", one_files.len());
    assert_eq!(
        one_files.keys().collect::<Vec<_>>(),
        many_files.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one_files {
        assert!(many_files[name] == *bytes, "{name} differs");
    }
}

#[test]
fn no_arguments_builds_feed_data_into_public() {
    let test = Test::empty();
    crate::common::copy_tree(
        &repo_root().join("feed-data"),
        &test.dir.path().join("feed-data"),
    );
    test.run(&[]).success();
    assert!(test.dir.path().join("public/rss.xml").is_file());
    assert!(test.dir.path().join("public/atom.xml").is_file());
}

#[test]
fn a_rebuild_without_changes_rewrites_nothing() {
    let test = Test::new().bytes("articles/pic.png", b"\x89PNG fake").file(
        "articles/second.md",
        "+++\ntitle = \"Second\"\npublished = 2022-06-02 08:00:00\ncategories = [\"News\"]\n+++\n\n![A picture](pic.png)\n",
    );
    test.build().success();
    // Every output's modification time is set far in the past: a file
    // written again, however soon, gets the present and a new inode.
    let long_ago =
        std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let files = || -> Vec<walkdir::DirEntry> {
        walkdir::WalkDir::new(test.out())
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            // The build's own records are not outputs: the build index
            // (rewritten here, since setting the times below changes every
            // output's stamp) and the lock file (whose last line says
            // whether the last build ended).
            .filter(|e| {
                e.file_type().is_file()
                    && ![".make-feed-index", ".make-feed-lock"]
                        .contains(&e.file_name().to_str().unwrap())
            })
            .collect()
    };
    for file in files() {
        std::fs::File::options()
            .append(true)
            .open(file.path())
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
    }
    let modified = || -> Vec<(String, std::time::SystemTime, u64)> {
        use std::os::unix::fs::MetadataExt;
        files()
            .into_iter()
            .map(|e| {
                let name = e.path().strip_prefix(test.out()).unwrap();
                let metadata = e.metadata().unwrap();
                (
                    name.display().to_string(),
                    metadata.modified().unwrap(),
                    metadata.ino(),
                )
            })
            .collect()
    };
    let before = modified();
    assert!(before.iter().all(|(_, time, _)| *time == long_ago));
    test.build().success().stderr_contains("0 files written");
    assert_eq!(modified(), before, "a rebuild touched a file");
    let names: Vec<&str> = before.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            ".make-feed-manifest",
            "archive/index.html",
            "articles/first.html",
            "articles/pic.png",
            "articles/second.html",
            "atom.xml",
            "categories/news-0fd75cc6a1aa/atom.xml",
            "categories/news-0fd75cc6a1aa/feed.json",
            "categories/news-0fd75cc6a1aa/index.html",
            "categories/news-0fd75cc6a1aa/rss.xml",
            "feed.json",
            "index.html",
            "rss.xml",
            "style.css",
        ],
        "every output, and no temporary file left"
    );
}

const HOSTILE_TITLE: &str = "A & B <script>alert(1)</script> ]]> \"q\" 'a' \u{1}\u{FFFF}end";
const CLEAN_TITLE: &str = "A & B <script>alert(1)</script> ]]> \"q\" 'a' end";

fn hostile() -> Test {
    // Written raw, not escaped: the forbidden characters are in the file.
    let title = HOSTILE_TITLE.replace('"', "\\\"");
    let article = format!(
        "+++\ntitle = \"{title}\"\npublished = 2022-06-01T17:52:50+08:00\n\
         summary = \"sum ]]> & <b>\"\ncategories = [\"R&D\", \"<c>\"]\nauthors = [\"Tom & Jerry\"]\n\
         editor = \"<ed>\"\nsource = \"S&P\"\nsource_url = \"https://example.com/a?b=1&c=2\"\n+++\n\n\
         Text with ]]> and &amp; and a bell \u{7} here.\n\n```\ncode ]]> <tag>\n```\n"
    );
    Test::empty()
        .file(
            "feed.toml",
            &FEED_TOML.replace("Test channel", "T&C <chan> ]]>"),
        )
        .file("articles/x.md", &article)
}

#[test]
fn forbidden_characters_are_removed_with_a_warning_naming_file_and_line() {
    let test = hostile();
    test.build()
        .success()
        .stderr_contains("warning: data/articles/x.md:2: removed character U+0001")
        .stderr_contains("warning: data/articles/x.md:2: removed character U+FFFF")
        .stderr_contains("warning: data/articles/x.md:12: removed character U+0007");
}

#[test]
fn markup_and_cdata_ends_in_fields_are_escaped() {
    let test = hostile();
    test.build().success();
    for name in ["rss.xml", "atom.xml"] {
        let text = test.read_out(name);
        roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
        assert!(!text.contains('\u{1}') && !text.contains('\u{7}'), "{name}");
    }

    let channel = rss::Channel::read_from(test.read_out("rss.xml").as_bytes()).unwrap();
    assert_eq!(channel.title(), "T&C <chan> ]]>");
    let item = &channel.items()[0];
    assert_eq!(item.title(), Some(CLEAN_TITLE));
    // RSS descriptions are HTML: the plain-text summary arrives escaped.
    assert_eq!(item.description(), Some("sum ]]&gt; &amp; &lt;b&gt;"));
    let content = item.content().unwrap();
    assert!(
        content.contains("Text with ]]&gt; and &amp; and a bell  here."),
        "{content}"
    );
    assert!(content.contains("code ]]&gt; &lt;tag&gt;"), "{content}");
    assert!(
        content.contains("<a href=\"https://example.com/a?b=1&amp;c=2\">S&amp;P</a>"),
        "{content}"
    );
    assert!(content.contains("<p>Editor: &lt;ed&gt;</p>"), "{content}");
    let categories: Vec<&str> = item.categories().iter().map(rss::Category::name).collect();
    assert_eq!(categories, ["R&D", "<c>"]);
    assert_eq!(item.dublin_core_ext().unwrap().creators(), ["Tom & Jerry"]);

    let feed = atom_syndication::Feed::read_from(test.read_out("atom.xml").as_bytes()).unwrap();
    let entry = &feed.entries()[0];
    // Titles are plain text, escaped once, whatever they hold: readers show
    // an HTML-typed title's escaped markup literally.
    assert_eq!(entry.title().r#type, atom_syndication::TextType::Text);
    assert_eq!(entry.title().as_str(), CLEAN_TITLE);
    let xml = test.read_out("atom.xml");
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "),
        "{xml}"
    );
    assert!(
        xml.contains("<title>A &amp; B &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt;"),
        "{xml}"
    );
    assert_eq!(entry.summary().unwrap().as_str(), "sum ]]> & <b>");
    assert_eq!(entry.content().unwrap().value(), Some(content));
    let via = entry.links().iter().find(|l| l.rel() == "via").unwrap();
    assert_eq!(
        (via.href(), via.title()),
        ("https://example.com/a?b=1&c=2", Some("S&P"))
    );

    for name in ["rss.xml", "atom.xml"] {
        let parsed = feed_rs::parser::parse(test.read_out(name).as_bytes()).unwrap();
        let title = parsed.entries[0].title.as_ref().unwrap();
        let text = if title.content_type.to_string().starts_with("text/html") {
            scraper::Html::parse_fragment(&title.content)
                .root_element()
                .text()
                .collect()
        } else {
            title.content.clone()
        };
        assert_eq!(text, CLEAN_TITLE, "{name}");
    }
}

#[test]
fn entries_are_newest_first_with_ties_broken_by_id() {
    let same_instant = "2022-06-01T12:00:00+08:00";
    let test = Test::empty()
        .file("feed.toml", FEED_TOML)
        .file(
            "articles/old.md",
            &crate::common::article("Old", "2021-01-01 00:00:00"),
        )
        .file("articles/b.md", &crate::common::article("B", same_instant))
        // The same instant written in another offset.
        .file(
            "articles/a.md",
            &crate::common::article("A", "2022-06-01T04:00:00Z"),
        )
        .file(
            "articles/new.md",
            &crate::common::article("New", "2023-01-01 00:00:00"),
        );
    test.build().success();
    let channel = rss::Channel::read_from(test.read_out("rss.xml").as_bytes()).unwrap();
    let titles: Vec<&str> = channel.items().iter().map(|i| i.title().unwrap()).collect();
    assert_eq!(titles, ["New", "A", "B", "Old"]);
    assert_eq!(
        channel.last_build_date(),
        Some("Sun, 01 Jan 2023 00:00:00 +0800")
    );
    let pub_dates: Vec<&str> = channel
        .items()
        .iter()
        .map(|i| i.pub_date().unwrap())
        .collect();
    assert_eq!(
        pub_dates[1], "Wed, 01 Jun 2022 04:00:00 +0000",
        "the written offset is kept"
    );
}

#[test]
fn ids_survive_a_title_edit_and_a_move_of_the_site() {
    let test = Test::new();
    test.build().success();
    let id = |test: &Test| {
        let channel = rss::Channel::read_from(test.read_out("rss.xml").as_bytes()).unwrap();
        channel.items()[0].guid().unwrap().value().to_string()
    };
    let original = id(&test);
    assert_eq!(original, "tag:feeds.example.org,2022-06-01:first");
    let test = test
        .file(
            "articles/first.md",
            &crate::common::article("A new title", "2022-06-01 17:52:50"),
        )
        .file(
            "feed.toml",
            &format!(
                "{}id_authority = \"feeds.example.org\"\n",
                FEED_TOML.replace(
                    "https://feeds.example.org/",
                    "https://new.example.net/blog/"
                )
            ),
        );
    test.build().success();
    assert_eq!(id(&test), original);
}

#[test]
fn relative_links_in_nested_folders_resolve_against_the_entry() {
    let test = Test::empty().file("feed.toml", FEED_TOML).file(
        "articles/2022/x.md",
        "+++\ntitle = \"x\"\npublished = 2022-06-01 10:00:00\n+++\n\n[up](../about.html) ![i](img/a.png) <img src=\"raw.png\">\n",
    );
    test.build().success();
    let channel = rss::Channel::read_from(test.read_out("rss.xml").as_bytes()).unwrap();
    let item = &channel.items()[0];
    assert_eq!(
        item.link(),
        Some("https://feeds.example.org/articles/2022/x.html")
    );
    let content = item.content().unwrap();
    assert!(
        content.contains("href=\"https://feeds.example.org/articles/about.html\""),
        "{content}"
    );
    assert!(
        content.contains("src=\"https://feeds.example.org/articles/2022/img/a.png\""),
        "{content}"
    );
    assert!(
        content.contains("src=\"https://feeds.example.org/articles/2022/raw.png\""),
        "{content}"
    );
}

#[test]
fn folder_names_are_encoded_in_urls() {
    let test = Test::empty().file("feed.toml", FEED_TOML).file(
        "articles/news#2022/x.md",
        "+++\ntitle = \"x\"\npublished = 2022-06-01 10:00:00\n+++\n\n![p](pic.jpg)\n",
    );
    test.build().success();
    let channel = rss::Channel::read_from(test.read_out("rss.xml").as_bytes()).unwrap();
    let item = &channel.items()[0];
    assert_eq!(
        item.link(),
        Some("https://feeds.example.org/articles/news%232022/x.html")
    );
    assert!(item
        .content()
        .unwrap()
        .contains("src=\"https://feeds.example.org/articles/news%232022/pic.jpg\""));
}
