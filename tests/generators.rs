//! Existing sites (issue 11): the Hugo, Jekyll and Zola fixture sites of
//! `tests/fixtures/sites/`, read as their generator reads them. The real
//! `hugo` and `jekyll` (with jekyll-feed) build the same sites, and every
//! entry of their feeds must have the same link, instant, title and id in
//! make-feed's.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::{copy_tree, repo_root, Test};
use crate::readers::have;

/// Before the fixtures' future posts, after every other.
const NOW: &str = "2026-12-01T00:00:00Z";

fn site(name: &str) -> Test {
    let test = Test::empty();
    copy_tree(
        &repo_root().join("tests/fixtures/sites").join(name),
        &test.data(),
    );
    test
}

fn build(test: &Test) -> crate::common::Run {
    test.run(&["build", "--data", "data", "--out", "out", "--now", NOW])
}

/// Each entry by link: (instant, title, id).
type Entries = BTreeMap<String, (i64, String, String)>;

fn entries(path: &Path) -> Entries {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let feed = feed_rs::parser::parse(&bytes[..]).unwrap();
    feed.entries
        .into_iter()
        .map(|entry| {
            let link = entry.links.first().expect("a link").href.clone();
            let instant = entry
                .published
                .or(entry.updated)
                .expect("a date")
                .timestamp();
            let title = entry.title.expect("a title").content;
            (link, (instant, title, entry.id))
        })
        .collect()
}

#[test]
fn hugo_site_agrees_with_hugo_on_every_entry() {
    let test = site("hugo");
    let run = build(&test)
        .success()
        .stderr_contains("note: read as a Hugo site, configured by data/hugo.toml")
        .stderr_contains("1 draft")
        .stderr_contains("1 post dated in the future")
        .stderr_contains("1 expired post")
        .stderr_contains("1 page without a date")
        .stderr_contains(
            "first-post.md:11: the template tag `{{< youtube …` has no meaning in a feed; removed",
        );
    // Feeds only: no pages, index, stylesheet or copied files.
    let files = test.out_files();
    assert!(
        files
            .keys()
            .all(|path| path.ends_with(".xml") || path.ends_with(".json") || path.starts_with('.')),
        "{:?}",
        files.keys()
    );
    drop(run);
    let ours = entries(&test.out().join("rss.xml"));
    assert_eq!(ours.len(), 4, "{ours:#?}");
    let first = &ours["https://hugo.example.org/posts/first-post/"];
    assert_eq!(first.1, "First post: hello");
    assert_eq!(
        first.2, "https://hugo.example.org/posts/first-post/",
        "ids are Hugo's guids"
    );
    let note = &ours["https://hugo.example.org/notes/2023/04/toml-note/"];
    // 23:30 in Berlin (the site's timeZone), 21:30 UTC.
    assert_eq!(note.0, 1_680_730_200);
    let body = test.read_out("atom.xml");
    assert!(
        body.contains("https://hugo.example.org/posts/bundle/&quot;&gt;bundle"),
        "ref shortcode resolved"
    );
    assert!(
        body.contains("https://hugo.example.org/notes/2023/04/toml-note/&quot;&gt;the note"),
        "a .md link goes to the post's URL"
    );
    assert!(
        body.contains("Kept &lt;em&gt;inner&lt;/em&gt; Markdown"),
        "a paired shortcode keeps its inner Markdown"
    );
    assert!(!body.contains("{{"), "no template syntax reaches a feed");

    if !have(&["hugo"]) {
        return;
    }
    let theirs_dir = tempfile::tempdir().unwrap();
    let hugo = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(test.data())
        .arg("--destination")
        .arg(theirs_dir.path())
        .env("TZ", "America/New_York")
        .output()
        .unwrap();
    assert!(
        hugo.status.success(),
        "{}",
        String::from_utf8_lossy(&hugo.stderr)
    );
    let theirs = entries(&theirs_dir.path().join("index.xml"));
    // Hugo lists the undated about page (dated year 1); feeds of make-feed
    // leave undated pages out, as Zola's and jekyll-feed do.
    let dated: Entries = theirs
        .into_iter()
        .filter(|(_, (instant, _, _))| *instant > 0)
        .collect();
    assert_eq!(dated, ours);
}

#[test]
fn jekyll_site_agrees_with_jekyll_feed_on_every_entry() {
    let test = site("jekyll");
    build(&test)
        .success()
        .stderr_contains("note: read as a Jekyll site, configured by data/_config.yml")
        .stderr_contains("1 draft")
        .stderr_contains("1 post dated in the future")
        .stderr_contains("2016-03-12-no-title-here.md:7: the template tag `{% include …`");
    let ours = entries(&test.out().join("atom.xml"));
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        [
            "https://jekyll.example.org/blog/2016/03/12/no-title-here.html",
            "https://jekyll.example.org/blog/jekyll/update/2016/03/10/welcome-to-jekyll.html",
            "https://jekyll.example.org/blog/news/2016/03/15/release.html",
        ]
    );
    let body = test.read_out("atom.xml");
    assert!(
        body.contains(
            "https://jekyll.example.org/blog/news/2016/03/15/release.html&quot;&gt;the release"
        ),
        "post_url resolved"
    );
    assert!(
        body.contains("language-ruby"),
        "highlight became a code block"
    );
    assert!(body.contains("{{ not liquid }}"), "raw keeps its text");

    if !have(&["jekyll"]) {
        return;
    }
    let theirs_dir = tempfile::tempdir().unwrap();
    let jekyll = Command::new("jekyll")
        .args(["build", "--quiet", "--source"])
        .arg(test.data())
        .arg("--destination")
        .arg(theirs_dir.path())
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        jekyll.status.success(),
        "{}",
        String::from_utf8_lossy(&jekyll.stderr)
    );
    assert_eq!(entries(&theirs_dir.path().join("feed.xml")), ours);
}

#[test]
fn zola_site_builds_at_its_own_urls() {
    let test = site("zola");
    build(&test)
        .success()
        .stderr_contains("note: read as a Zola site, configured by data/config.toml")
        .stderr_contains("1 draft");
    let ours = entries(&test.out().join("atom.xml"));
    let expected: Entries = [
        (
            "https://zola.example.org/blog/first/",
            1_680_343_200,
            "First Zola page",
        ),
        (
            "https://zola.example.org/blog/dated-post/",
            1_682_899_200,
            "A dated bundle",
        ),
        (
            "https://zola.example.org/elsewhere/custom/",
            1_685_577_600,
            "A custom path",
        ),
    ]
    .into_iter()
    .map(|(link, instant, title)| {
        (
            link.to_string(),
            (instant, title.to_string(), link.to_string()),
        )
    })
    .collect();
    assert_eq!(ours, expected);
    assert!(
        test.read_out("atom.xml")
            .contains("https://zola.example.org/blog/dated-post/&quot;&gt;dated post"),
        "@/ link resolved"
    );
}

#[test]
fn zola_refuses_unknown_keys_and_hugo_and_jekyll_keep_them() {
    let test = site("zola").file(
        "content/blog/odd.md",
        "+++\ntitle = \"Odd\"\ndate = 2023-01-01\ncolour = \"red\"\n+++\n",
    );
    build(&test)
        .failure()
        .stderr_contains("odd.md:4: field `colour`: is not a known key")
        .stderr_contains("put the site's own under [extra]");
    // Hugo's first post sets `customKey`, Jekyll's posts `layout`: page data.
    build(&site("hugo")).success();
    build(&site("jekyll")).success();
}

#[test]
fn every_bad_file_is_reported_at_once_and_nothing_is_published() {
    let test = site("hugo")
        .file(
            "content/posts/bad-date.md",
            "---\ntitle: x\ndate: someday\n---\n",
        )
        .file("content/posts/bad-yaml.md", "---\ntitle: [x\n---\n")
        .file(
            "content/notes/bad-draft.md",
            "+++\ntitle = \"x\"\ndate = 2023-01-01\ndraft = \"maybe\"\n+++\n",
        );
    let run = build(&test).failure();
    for expected in [
        "content/notes/bad-draft.md:4: field `draft`",
        "content/posts/bad-date.md:3: field `date`: \"someday\" is not a date",
        "content/posts/bad-yaml.md:",
        "3 files have errors",
        "nothing was published",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected:?} not in\n{}",
            run.stderr
        );
    }
    assert!(test.out_holds_only_the_lock());
}

#[test]
fn a_site_whose_last_article_is_removed_publishes_empty_feeds() {
    let test = Test::new();
    test.build().success();
    let test = test.remove("articles/first.md");
    test.build()
        .success()
        .stderr_contains("holds no articles yet; the feeds are published with no entries")
        .stderr_contains("make-feed new");
    for feed in ["rss.xml", "atom.xml", "feed.json"] {
        let text = test.read_out(feed);
        assert!(
            !text.contains("<item>") && !text.contains("<entry>") && text.contains("Test channel"),
            "{feed}: {text}"
        );
    }
    let before = test.out_files();
    test.build().success();
    assert_eq!(test.out_files(), before, "deterministic without a clock");
    assert!(
        test.out_files()
            .keys()
            .all(|path| path != "articles/first.html"),
        "its page is gone"
    );
}

#[test]
fn yaml_and_json_front_matter_and_a_permalink_in_make_feeds_own_format() {
    let test = Test::empty()
        .file("feed.toml", &format!("{}permalink = \"/:year/:month/:slug/\"\n", crate::common::FEED_TOML))
        .file("articles/yaml.md", "\u{feff}\n---\ntitle: From YAML\npublished: 2022-06-01T17:52:50+08:00\ncategories: [a]\n---\nBody.\n")
        .file("articles/json.md", "{\"title\": \"From JSON\", \"published\": \"2022-07-01 09:00:00\"}\nBody.\n");
    test.build().success();
    let atom = test.read_out("atom.xml");
    assert!(
        atom.contains("https://feeds.example.org/2022/06/yaml/"),
        "{atom}"
    );
    assert!(
        atom.contains("<published>2022-07-01T09:00:00+08:00</published>"),
        "{atom}"
    );
    assert!(
        test.out().join("2022/06/yaml/index.html").is_file(),
        "the page is at its permalink"
    );
    // The own format stays strict about keys whatever the syntax.
    let test = test.file(
        "articles/odd.md",
        "---\ntitle: x\npublished: 2022-01-01T00:00:00Z\ntags: [a]\n---\n",
    );
    test.build()
        .failure()
        .stderr_contains("odd.md:4: field `tags`: is not a known key");
}

#[test]
fn init_writes_a_feed_toml_for_each_kind_of_site_and_a_new_site_elsewhere() {
    for (name, generator, articles) in [
        ("hugo", "hugo", "../content"),
        ("jekyll", "jekyll", ".."),
        ("zola", "zola", "../content"),
    ] {
        let test = site(name).remove("feed.toml");
        let run = test.run(&["init", "--data", "data/feed-data"]).success();
        assert_eq!(run.stdout, "data/feed-data/feed.toml\n");
        let written = std::fs::read_to_string(test.data().join("feed-data/feed.toml")).unwrap();
        assert!(
            written.contains(&format!("generator = \"{generator}\"")),
            "{written}"
        );
        assert!(
            written.contains(&format!("articles = \"{articles}\"")),
            "{written}"
        );
        assert!(written.contains("pages = false"), "{written}");
        // What init wrote builds the site, with the same entries.
        test.run(&[
            "build",
            "--data",
            "data/feed-data",
            "--out",
            "out",
            "--now",
            NOW,
        ])
        .success();
        let direct = site(name);
        build(&direct).success();
        assert_eq!(
            entries(&test.out().join("atom.xml")),
            entries(&direct.out().join("atom.xml")),
            "{name}"
        );
        // Never over a file.
        test.run(&["init", "--data", "data/feed-data"])
            .failure()
            .stderr_contains("already exists; nothing was written");
    }
    let test = Test::empty();
    test.run(&["init", "--data", "data", "--now", "2026-12-01T08:00:00Z"])
        .success();
    test.build().success().stderr_contains("built 1 entry");
    let article = std::fs::read_to_string(test.data().join("articles/welcome.md")).unwrap();
    assert!(
        article.contains("published = 2026-12-01T08:00:00Z"),
        "{article}"
    );
}

#[test]
fn feeds_only_reads_heads_yet_publishes_whole_bodies_and_sees_every_edit() {
    let long_summary = "长".repeat(2000);
    let test = Test::empty()
        .file("feed.toml", &format!("{}pages = false\n", crate::common::FEED_TOML))
        .file(
            "articles/long.md",
            &format!("+++\ntitle = \"Long front matter\"\npublished = 2022-06-01T10:00:00Z\nsummary = \"{long_summary}\"\n+++\n\nThe body of the long one.\n"),
        )
        .file("articles/short.md", &format!("+++\ntitle = \"Short\"\npublished = 2022-06-02T10:00:00Z\n+++\n\n{}\n\nThe end of a long body.\n", "A paragraph. ".repeat(400)));
    test.build().success();
    let atom = test.read_out("atom.xml");
    assert!(atom.contains("The body of the long one."), "{atom}");
    assert!(
        atom.contains("The end of a long body."),
        "the whole body, past the head"
    );
    assert!(atom.contains(&long_summary));
    assert!(!test.out().join("index.html").exists() && !test.out().join("style.css").exists());
    // An edit past the head is seen.
    let test = test.file("articles/short.md", &format!("+++\ntitle = \"Short\"\npublished = 2022-06-02T10:00:00Z\n+++\n\n{}\n\nA new ending.\n", "A paragraph. ".repeat(400)));
    test.build().success();
    assert!(test.read_out("atom.xml").contains("A new ending."));
}

#[test]
fn a_link_to_a_post_no_feed_holds_still_goes_to_its_url() {
    let test = site("hugo")
        .file("feed.toml", "pages = false\nlimit = 1\n")
        .file(
            "content/posts/newest.md",
            "---\ntitle: Newest\ndate: 2024-01-01T00:00:00Z\n---\nSee [the first](first-post.md).\n",
        );
    build(&test).success();
    let atom = test.read_out("atom.xml");
    assert_eq!(entries(&test.out().join("atom.xml")).len(), 1);
    assert!(
        atom.contains("https://hugo.example.org/posts/first-post/&quot;&gt;the first"),
        "{atom}"
    );
}

#[test]
fn a_hugo_configuration_folder_is_read_like_hugo_toml() {
    let test = site("hugo");
    let config = std::fs::read_to_string(test.data().join("hugo.toml")).unwrap();
    let test = test
        .remove("hugo.toml")
        .file("config/_default/hugo.toml", &config);
    build(&test)
        .success()
        .stderr_contains("note: read as a Hugo site, configured by data/config/_default/hugo.toml");
    let direct = site("hugo");
    build(&direct).success();
    assert_eq!(
        entries(&test.out().join("rss.xml")),
        entries(&direct.out().join("rss.xml"))
    );
}

#[test]
fn a_kept_feed_follows_a_post_it_links_to_when_that_post_moves() {
    // The feed of the tag `a` holds only the post a, which links to b:
    // when b's slug changes, that feed changes, though a did not.
    let post = |title: &str, slug: &str, tag: &str, body: &str| {
        format!(
            "+++\ntitle = \"{title}\"\ndate = 2023-01-0{}T10:00:00Z\nslug = \"{slug}\"\ntags = [\"{tag}\"]\n+++\n\n{body}\n",
            if tag == "a" { 1 } else { 2 }
        )
    };
    let test = Test::empty()
        .file("feed.toml", "pages = false\n")
        .file(
            "hugo.toml",
            "baseURL = \"https://hugo.example.org/\"\ntitle = \"Links\"\n",
        )
        .file(
            "content/posts/a.md",
            &post("A", "a", "a", "See [b]({{< ref \"b.md\" >}})."),
        )
        .file("content/posts/b.md", &post("B", "b", "b", "B."));
    build(&test).success();
    let tag_feed = "categories/a/rss.xml";
    assert!(test.read_out(tag_feed).contains("/posts/b/"));
    build(&test).success().stderr_contains("0 files written");
    let test = test.file("content/posts/b.md", &post("B", "moved", "b", "B."));
    build(&test).success();
    let feed = test.read_out(tag_feed);
    assert!(feed.contains("/posts/moved/"), "{feed}");
    assert!(!feed.contains("/posts/b/"), "{feed}");
}
