//! Bad input: each case stops the build with a message naming the file, the
//! line and the field, exits with status 1, and leaves the feeds that were
//! already published byte for byte as they were.

use std::fs;

use crate::common::{article, Test, FEED_TOML};

struct Case {
    name: &'static str,
    break_it: fn(Test) -> Test,
    /// Each must appear in the error message.
    expected: &'static [&'static str],
}

fn front(keys: &str) -> String {
    format!("+++\n{keys}\n+++\n\nBody.\n")
}

const CASES: &[Case] = &[
    Case {
        name: "no feed.toml",
        break_it: |t| t.remove("feed.toml"),
        expected: &["data/feed.toml: not found", "--data"],
    },
    Case {
        name: "no articles folder",
        break_it: |t| t.remove("articles"),
        expected: &["data/articles: not found"],
    },
    Case {
        name: "an unknown generator",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}generator = \"gatsby\"\n")),
        expected: &["data/feed.toml:6: field `generator`: \"gatsby\" is not a generator", "\"hugo\""],
    },
    Case {
        name: "a permalink with an unknown token",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}permalink = \"/:yaer/:slug/\"\n")),
        expected: &["data/feed.toml:6: field `permalink`: `:yaer` is not a token"],
    },
    Case {
        name: "an unknown id scheme",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}ids = \"uuid\"\n")),
        expected: &["data/feed.toml:6: field `ids`: \"uuid\" is not an id scheme"],
    },
    Case {
        name: "YAML syntax error",
        break_it: |t| t.file("articles/first.md", "---\ntitle: [x\npublished: 2022-06-01T00:00:00Z\n---\nBody.\n"),
        expected: &["data/articles/first.md:", "front matter:"],
    },
    Case {
        name: "a YAML alias",
        break_it: |t| t.file("articles/first.md", "---\ntitle: &t x\nsummary: *t\npublished: 2022-06-01T00:00:00Z\n---\nBody.\n"),
        expected: &["data/articles/first.md:3: front matter: uses an alias"],
    },
    Case {
        name: "TOML syntax error",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 17:52:50\ncategories = [\"a\"")),
        expected: &["data/articles/first.md:4:"],
    },
    Case {
        name: "TOML syntax error in feed.toml",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}author = \"unterminated\n")),
        expected: &["data/feed.toml:6:"],
    },
    Case {
        name: "unknown key in front matter",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 17:52:50\ncatgories = [\"a\"]")),
        expected: &["data/articles/first.md:4: field `catgories`: is not a known key", "categories"],
    },
    Case {
        name: "unknown key in feed.toml",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}langauge = \"en\"\n")),
        expected: &["data/feed.toml:6: field `langauge`: is not a known key"],
    },
    Case {
        name: "missing title",
        break_it: |t| t.file("articles/first.md", &front("published = 2022-06-01 17:52:50")),
        expected: &["data/articles/first.md:2: field `title`: is required but missing"],
    },
    Case {
        name: "missing published",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"")),
        expected: &["data/articles/first.md:2: field `published`: is required but missing"],
    },
    Case {
        name: "a date that is not a date",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = \"yesterday\"")),
        expected: &["data/articles/first.md:3: field `published`: \"yesterday\" is not a date", "2022-06-01T17:52:50+08:00"],
    },
    Case {
        name: "an impossible calendar date",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = \"2022-02-30 10:00:00\"")),
        expected: &["data/articles/first.md:3: field `published`:", "is not a date"],
    },
    Case {
        name: "a local time in a daylight-saving gap",
        break_it: |t| {
            t.file("feed.toml", &FEED_TOML.replace("Asia/Shanghai", "America/New_York"))
                .file("articles/first.md", &front("title = \"x\"\npublished = 2022-03-13 02:30:00"))
        },
        expected: &["data/articles/first.md:3: field `published`: 2022-03-13 02:30:00 does not exist in America/New_York"],
    },
    Case {
        name: "an ambiguous local time",
        break_it: |t| {
            t.file("feed.toml", &FEED_TOML.replace("Asia/Shanghai", "America/New_York"))
                .file("articles/first.md", &front("title = \"x\"\nupdated = 2022-11-06 01:30:00\npublished = 2022-11-01 01:30:00"))
        },
        expected: &[
            "data/articles/first.md:3: field `updated`: 2022-11-06 01:30:00 happens twice in America/New_York",
            "2022-11-06T01:30:00-04:00 or 2022-11-06T01:30:00-05:00",
        ],
    },
    Case {
        name: "a local time with no zone",
        break_it: |t| t.file("feed.toml", &FEED_TOML.replace("timezone = \"Asia/Shanghai\"\n", "")),
        expected: &["data/articles/first.md:3: field `published`:", "set `timezone` in feed.toml"],
    },
    Case {
        name: "an unknown zone",
        break_it: |t| t.file("feed.toml", &FEED_TOML.replace("Asia/Shanghai", "Asia/Peking")),
        expected: &["data/feed.toml:5: field `timezone`: \"Asia/Peking\" is not an IANA time zone name"],
    },
    Case {
        name: "a relative base_url",
        break_it: |t| t.file("feed.toml", &FEED_TOML.replace("https://feeds.example.org/", "/feeds/")),
        expected: &["data/feed.toml:3: field `base_url`:", "absolute"],
    },
    Case {
        name: "a base_url that is not http",
        break_it: |t| t.file("feed.toml", &FEED_TOML.replace("https://feeds.example.org/", "ftp://example.org/")),
        expected: &["data/feed.toml:3: field `base_url`:", "http(s)"],
    },
    Case {
        name: "two articles with the same slug",
        break_it: |t| {
            t.file("articles/a.md", &front("title = \"a\"\npublished = 2022-06-01 10:00:00\nslug = \"same\""))
                .file("articles/b.md", &front("title = \"b\"\npublished = 2022-06-02 10:00:00\nslug = \"same\""))
        },
        expected: &["data/articles/b.md: field `slug`: \"same\" is already used by data/articles/a.md"],
    },
    Case {
        name: "two articles with the same id",
        break_it: |t| {
            t.file("articles/a.md", &front("title = \"a\"\npublished = 2022-06-01 10:00:00\nid = \"urn:x:1\""))
                .file("articles/b.md", &front("title = \"b\"\npublished = 2022-06-02 10:00:00\nid = \"urn:x:1\""))
        },
        expected: &["data/articles/b.md: field `id`: \"urn:x:1\" is already used by data/articles/a.md"],
    },
    Case {
        name: "an id that is not a URI",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\nid = \"my post\"")),
        expected: &["data/articles/first.md:4: field `id`: \"my post\" is not an absolute URI"],
    },
    Case {
        name: "a slug with a slash",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\nslug = \"../../etc\"")),
        expected: &["data/articles/first.md:4: field `slug`:"],
    },
    Case {
        name: "front matter never closed",
        break_it: |t| t.file("articles/first.md", "+++\ntitle = \"x\"\npublished = 2022-06-01 10:00:00\n\nBody.\n"),
        expected: &["data/articles/first.md:1: front matter is never closed"],
    },
    Case {
        name: "no front matter",
        break_it: |t| t.file("articles/first.md", "# Just Markdown\n"),
        expected: &["data/articles/first.md:1: does not start with front matter"],
    },
    Case {
        name: "a file that is not UTF-8",
        // 疫情 in GBK, on line 2.
        break_it: |t| t.bytes("articles/first.md", b"+++\ntitle = \"\xd2\xdf\xc7\xe9\"\n+++\n"),
        expected: &["data/articles/first.md:2: is not UTF-8 text"],
    },
    Case {
        name: "a title of the wrong type",
        break_it: |t| t.file("articles/first.md", &front("title = 12\npublished = 2022-06-01 10:00:00")),
        expected: &["data/articles/first.md:2: field `title`:", "expected a string"],
    },
    Case {
        name: "an empty title",
        break_it: |t| t.file("articles/first.md", &front("title = \"   \"\npublished = 2022-06-01 10:00:00")),
        expected: &["data/articles/first.md:2: field `title`: is empty"],
    },
    Case {
        name: "updated before published",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\nupdated = 2022-05-01 10:00:00")),
        expected: &["data/articles/first.md:4: field `updated`: is earlier than `published`"],
    },
    Case {
        name: "source_url without source",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\nsource_url = \"https://example.org/\"")),
        expected: &["data/articles/first.md:4: field `source_url`: is set but `source` is not"],
    },
    Case {
        name: "a source_url that is not http",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\nsource = \"S\"\nsource_url = \"javascript:alert(1)\"")),
        expected: &["data/articles/first.md:5: field `source_url`: \"javascript:alert(1)\" is not an absolute http(s) URL"],
    },
    Case {
        name: "authors that are not a list",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\nauthors = \"Wu\"")),
        expected: &["data/articles/first.md:4: field `authors`:", "expected a sequence"],
    },
    Case {
        name: "an empty category name",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\ncategories = [\"a\", \" \"]")),
        expected: &["data/articles/first.md:4: field `categories`: holds an empty name"],
    },
    Case {
        name: "a slug Windows reserves",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\nslug = \"CON\"")),
        expected: &["data/articles/first.md:4: field `slug`: \"CON\" is a name Windows reserves for a device"],
    },
    Case {
        name: "a file name that cannot be a slug",
        break_it: |t| t.file("articles/my post.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00")),
        expected: &["data/articles/my post.md: field `slug (from the file name)`: \"my post\" has spaces", "slug = "],
    },
    Case {
        name: "a limit of zero",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}limit = 0\n")),
        expected: &["data/feed.toml:6: field `limit`: must be at least 1"],
    },
    Case {
        name: "a language that is not a language tag",
        break_it: |t| t.file("feed.toml", &FEED_TOML.replace("language = \"en\"", "language = \"English (UK)\"")),
        expected: &["data/feed.toml:4: field `language`: \"English (UK)\" is not a language tag"],
    },
    Case {
        name: "a feed.toml that is not UTF-8",
        break_it: |t| t.bytes("feed.toml", b"title = \"\xb3\xd0\xb5\xc2\"\n"),
        expected: &["data/feed.toml:1: is not UTF-8 text"],
    },
    Case {
        name: "a feed.toml without title",
        break_it: |t| t.file("feed.toml", &FEED_TOML.replace("title = \"Test channel\"\n", "")),
        expected: &["data/feed.toml:1: field `title`: is required but missing"],
    },
    Case {
        name: "a body nested too deeply",
        break_it: |t| t.file("articles/first.md", &format!("{}{}\n", front("title = \"x\"\npublished = 2022-06-01 10:00:00"), ">".repeat(500))),
        expected: &["data/articles/first.md: the body nests more than 100 levels deep"],
    },
    Case {
        name: "a symbolic link out of the articles folder",
        break_it: |t| {
            let outside = t.dir.path().join("elsewhere.md");
            fs::write(&outside, article("Elsewhere", "2022-06-01 10:00:00")).unwrap();
            std::os::unix::fs::symlink(&outside, t.data().join("articles/link.md")).unwrap();
            t
        },
        expected: &["data/articles/link.md: is a symbolic link to a file outside the articles folder"],
    },
    Case {
        name: "an id with raw non-ASCII characters",
        break_it: |t| t.file("articles/first.md", &front("title = \"x\"\npublished = 2022-06-01 10:00:00\nid = \"tag:例え.jp,2022:記事\"")),
        expected: &["data/articles/first.md:4: field `id`: \"tag:例え.jp,2022:記事\" is not an absolute URI", "percent-encoded"],
    },
    Case {
        name: "two categories that would share a folder",
        // A clean name is its own folder; `Rust` gets `rust-` and a hash,
        // and a category may be named exactly that.
        break_it: |t| {
            let clash = make_feed::category_slug("Rust");
            t.file("articles/second.md", &front(&format!("title = \"y\"\npublished = 2022-06-02 10:00:00\ncategories = [\"Rust\", {clash:?}]")))
        },
        expected: &[
            "data/articles/second.md:4: field `categories`: categories \"Rust\" and \"rust-",
            "would share the folder categories/rust-",
            "(\"Rust\" is first named in data/articles/second.md)",
        ],
    },
    Case {
        name: "an id_authority that is not a host",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}id_authority = \"my site\"\n")),
        expected: &["data/feed.toml:6: field `id_authority`: \"my site\" is not a host name"],
    },
    Case {
        name: "an icon that is a script",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}icon = \"javascript:alert(1)\"\n")),
        expected: &["data/feed.toml:6: field `icon`: \"javascript:alert(1)\" is not an http(s) URL"],
    },
    Case {
        name: "a logo that is a data: document",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}logo = \"data:text/html,<b>x</b>\"\n")),
        expected: &["data/feed.toml:6: field `logo`:", "is not an http(s) URL"],
    },
    Case {
        name: "an author_url that is a script",
        break_it: |t| t.file("feed.toml", &format!("{FEED_TOML}author = \"A\"\nauthor_url = \"javascript:x\"\n")),
        expected: &["data/feed.toml:7: field `author_url`: \"javascript:x\" is not an http(s) URL"],
    },
    Case {
        name: "a base_url with a password",
        break_it: |t| t.file("feed.toml", &FEED_TOML.replace("https://", "https://me:pw@")),
        expected: &["data/feed.toml:3: field `base_url`: holds a user name or password"],
    },
    Case {
        name: "a slug longer than a file name may be",
        break_it: |t| t.file("articles/first.md", &front(&format!("title = \"a\"\npublished = 2022-06-01 10:00:00\nslug = \"{}\"", "s".repeat(251)))),
        expected: &["data/articles/first.md:4: field `slug`:", "longer than 250 bytes"],
    },
    Case {
        name: "a file name longer than a slug may be",
        break_it: |t| t.file(&format!("articles/{}.md", "f".repeat(251)), &front("title = \"a\"\npublished = 2022-06-01 10:00:00")),
        expected: &["field `slug (from the file name)`:", "longer than 250 bytes"],
    },
];

/// What breaking a fresh site one case's way gave: the published files
/// before, the run, and the files after.
struct Outcome {
    before: std::collections::BTreeMap<String, Vec<u8>>,
    run: crate::common::Run,
    after: std::collections::BTreeMap<String, Vec<u8>>,
}

/// Every case run once, shared by the tests below (in `CASES`' order).
fn outcomes() -> &'static [Outcome] {
    static OUTCOMES: std::sync::OnceLock<Vec<Outcome>> = std::sync::OnceLock::new();
    OUTCOMES.get_or_init(|| {
        CASES
            .iter()
            .map(|case| {
                let test = Test::new();
                test.build().success();
                let before = test.out_files();
                let test = (case.break_it)(test);
                let run = test.build();
                let after = test.out_files();
                Outcome { before, run, after }
            })
            .collect()
    })
}

#[test]
fn the_catalogue_has_at_least_thirty_distinct_cases() {
    let names: std::collections::BTreeSet<&str> = CASES.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), CASES.len(), "two cases share a name");
    assert!(CASES.len() >= 30, "{}", CASES.len());
    // Distinct bad inputs: no two cases stop the build with the same error.
    let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for (case, outcome) in CASES.iter().zip(outcomes()) {
        let error = outcome.run.stderr.lines().next().unwrap_or_default();
        assert!(!error.is_empty(), "{}: no error at all", case.name);
        if let Some(other) = seen.insert(error, case.name) {
            panic!("{other:?} and {:?} give the same error: {error}", case.name);
        }
    }
    // The README counts them.
    let readme = std::fs::read_to_string(crate::common::repo_root().join("README.md")).unwrap();
    let count = format!(
        "every bad input make-feed recognises ({} of them)",
        CASES.len()
    );
    assert!(readme.contains(&count), "README.md lacks {count:?}");
}

#[test]
fn every_bad_input_is_named_and_publishes_nothing() {
    for (case, Outcome { before, run, after }) in CASES.iter().zip(outcomes()) {
        assert!(
            before.contains_key("rss.xml") && before.contains_key("atom.xml"),
            "{}",
            case.name
        );
        assert_eq!(
            run.status,
            Some(1),
            "{}: exit status\n{}",
            case.name,
            run.stderr
        );
        for expected in case.expected {
            assert!(
                run.stderr.contains(expected),
                "{}: the message lacks {expected:?}:\n{}",
                case.name,
                run.stderr
            );
        }
        assert!(
            run.stderr.starts_with("error: "),
            "{}:\n{}",
            case.name,
            run.stderr
        );
        assert_eq!(after, before, "{}: the published feeds changed", case.name);
    }
}

#[test]
fn a_failed_first_build_creates_no_output() {
    let test = Test::new().remove("articles");
    test.build().failure();
    assert!(test.out_holds_only_the_lock());
}

#[test]
fn a_good_article_beside_the_bad_one_is_not_published_either() {
    let test = Test::new();
    test.build().success();
    let test = test
        .file(
            "articles/second.md",
            &article("Second", "2022-06-02 10:00:00"),
        )
        .file("articles/third.md", &front("title = \"x\""));
    test.build().failure().stderr_contains("third.md");
    assert!(!test.read_out("rss.xml").contains("Second"));
}
