//! Property tests: for any title, body and metadata, make-feed either stops
//! with a clear error about the article, or writes feeds that are
//! well-formed XML and give back the same text (less the characters XML
//! forbids), and pages that show the same title with no script, event
//! handler or `javascript:` URL anywhere. It never panics. A second property
//! builds into output folders where a user left files, symbolic links (to
//! files and folders outside), FIFOs and folders at or near the paths
//! make-feed writes: the build succeeds or refuses clearly, never hangs,
//! and leaves every one of them, and everything outside, as it was.
//! `PROPTEST_CASES` sets how many cases run (CI runs the defaults below).

use std::fs;

use proptest::prelude::*;

const FEED_TOML: &str = "title = \"Fuzz\"\ndescription = \"d\"\nbase_url = \"https://feeds.example.org/\"\nlanguage = \"en\"\ntimezone = \"UTC\"\n";

/// What make-feed keeps of a string field: characters XML allows and the
/// W3C validator does not flag (no C0 but tab, line feed and carriage
/// return, no C1 or DEL, no U+FFFE or U+FFFF), white space squashed.
fn expected(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Any text, with the characters that matter here made likely: markup, XML
/// specials, CDATA ends, controls and non-BMP characters.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            any::<char>().prop_map(String::from),
            Just("<".to_string()),
            Just("&".to_string()),
            Just("]]>".to_string()),
            Just("\"".to_string()),
            Just("\u{0}".to_string()),
            Just("\u{1b}".to_string()),
            Just("\u{FFFF}".to_string()),
            Just("疫线".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just("<script>".to_string()),
            Just("&#1;".to_string()),
            Just("*".to_string()),
            Just("[x](javascript:y)".to_string()),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

fn build(
    front: &toml::Table,
    body: &str,
) -> Result<(tempfile::TempDir, make_feed::Report), make_feed::Error> {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir_all(data.join("articles")).unwrap();
    fs::write(data.join("feed.toml"), FEED_TOML).unwrap();
    // The TOML crate escapes what TOML cannot hold raw, such as controls,
    // which make-feed must still keep out of the XML.
    let article = format!("+++\n{}+++\n{body}", toml::to_string(front).unwrap());
    fs::write(data.join("articles/a.md"), article).unwrap();
    let report = make_feed::build(
        &data,
        &dir.path().join("out"),
        &make_feed::Options::default(),
    )?;
    Ok((dir, report))
}

proptest! {
    // A fixed seed: the same cases on every run, so the suite passes or fails
    // by the code alone (PROPTEST_CASES=1000 runs more of them).
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_260_601),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_article_gives_a_clear_error_or_well_formed_faithful_feeds(
        title in text(),
        body in text(),
        summary in prop::option::of(text()),
        categories in prop::collection::vec(text(), 0..3),
        authors in prop::collection::vec(text(), 0..2),
    ) {
        let mut front = toml::Table::new();
        front.insert("title".into(), title.clone().into());
        front.insert("published".into(), toml::Value::Datetime("2022-06-01T17:52:50+08:00".parse().unwrap()));
        if let Some(summary) = &summary {
            front.insert("summary".into(), summary.clone().into());
        }
        front.insert("categories".into(), categories.clone().into());
        front.insert("authors".into(), authors.clone().into());

        // The only bad input these make: a title, a category or an author
        // that is empty once white space and forbidden characters go.
        let mut bad_fields = Vec::new();
        if expected(&title).is_empty() {
            bad_fields.push("title");
        }
        if categories.iter().any(|c| expected(c).is_empty()) {
            bad_fields.push("categories");
        }
        if authors.iter().any(|a| expected(a).is_empty()) {
            bad_fields.push("authors");
        }
        let (dir, _) = match build(&front, &body) {
            Ok(built) => {
                prop_assert!(bad_fields.is_empty(), "built, though {bad_fields:?} is empty");
                built
            }
            Err(make_feed::Error::Input(diagnostic)) => {
                // A clear error: about the article, naming what is wrong, and
                // only for input that is wrong.
                prop_assert!(diagnostic.path.ends_with("articles/a.md"), "{diagnostic}");
                prop_assert!(!diagnostic.message.is_empty());
                let field = diagnostic.field.as_deref().unwrap_or_default();
                prop_assert!(bad_fields.contains(&field), "refused a good article: {diagnostic}");
                return Ok(());
            }
            Err(other) => return Err(TestCaseError::fail(format!("not an input error: {other}"))),
        };
        let out = dir.path().join("out");
        for name in ["rss.xml", "atom.xml"] {
            let xml = fs::read_to_string(out.join(name)).unwrap();
            prop_assert!(roxmltree::Document::parse(&xml).is_ok(), "{name} is not well-formed:\n{xml}");
        }

        let json: serde_json::Value = serde_json::from_slice(&fs::read(out.join("feed.json")).unwrap())
            .map_err(|e| TestCaseError::fail(format!("feed.json is not JSON: {e}")))?;
        prop_assert_eq!(json["items"][0]["title"].as_str().unwrap(), expected(&title));

        let channel = rss::Channel::read_from(fs::read(out.join("rss.xml")).unwrap().as_slice()).unwrap();
        let item = &channel.items()[0];
        prop_assert_eq!(item.title().unwrap(), expected(&title));
        let names: Vec<String> = item.categories().iter().map(|c| c.name().to_string()).collect();
        let mut wanted: Vec<String> = Vec::new();
        for category in categories.iter().map(|c| expected(c)) {
            if !wanted.contains(&category) {
                wanted.push(category);
            }
        }
        prop_assert_eq!(names, wanted);
        let creators: Vec<String> = item.dublin_core_ext().map(|dc| dc.creators().to_vec()).unwrap_or_default();
        let mut wanted: Vec<String> = Vec::new();
        for author in authors.iter().map(|a| expected(a)) {
            if !wanted.contains(&author) {
                wanted.push(author);
            }
        }
        prop_assert_eq!(creators, wanted);

        let feed = atom_syndication::Feed::read_from(fs::read(out.join("atom.xml")).unwrap().as_slice()).unwrap();
        let entry = &feed.entries()[0];
        if let Some(summary) = &summary {
            prop_assert_eq!(entry.summary().unwrap().as_str(), expected(summary));
        }
        let content = entry.content().and_then(|c| c.value()).unwrap_or_default();
        prop_assert!(!content.to_lowercase().contains("<script"), "{content}");
        prop_assert!(!content.to_lowercase().contains("=\"javascript:"), "{content}");

        for name in ["articles/a.html", "index.html"] {
            let html = fs::read_to_string(out.join(name)).unwrap();
            let page = scraper::Html::parse_document(&html);
            prop_assert!(page.errors.is_empty(), "{name} does not parse cleanly: {:?}\n{html}", page.errors);
            let all = scraper::Selector::parse("*").unwrap();
            for element in page.select(&all) {
                prop_assert!(element.value().name() != "script", "{name} has a script:\n{html}");
                for (attribute, value) in element.value().attrs() {
                    prop_assert!(!attribute.starts_with("on"), "{name}: {attribute}={value}");
                    prop_assert!(!value.trim_start().to_lowercase().starts_with("javascript:"), "{name}: {attribute}={value}");
                }
            }
            // The title as the page shows it (the body may hold headings of its own).
            let h = if name == "index.html" { ".entries h3" } else { "article > header > h1" };
            let shown: Vec<String> = page
                .select(&scraper::Selector::parse(h).unwrap())
                .map(|e| e.text().collect::<String>())
                .collect();
            prop_assert_eq!(shown, vec![expected(&title)], "{}", name);
        }
    }
}

/// Something a user left in the output folder before a build.
#[derive(Debug, Clone, Copy)]
enum Obstacle {
    /// A file of their own.
    File,
    /// A symbolic link to a file outside the output folder.
    LinkToFile,
    /// A symbolic link to a folder outside the output folder.
    LinkToFolder,
    /// A FIFO, which make-feed must never open.
    Fifo,
    /// A folder holding a file.
    Folder,
}

/// Paths where make-feed writes, or near them.
const OBSTACLE_PATHS: &[&str] = &[
    "index.html",
    "style.css",
    "rss.xml",
    "atom.xml",
    "feed.json",
    "articles",
    "articles/a.html",
    "articles/a.png",
    "categories",
    "categories/c",
    "categories/c/rss.xml",
    ".make-feed-manifest",
    ".make-feed-tmp-mine",
    "notes.txt",
];

/// What stands at `path`, without following a link.
#[cfg(unix)]
fn snapshot(path: &std::path::Path) -> String {
    use std::os::unix::fs::FileTypeExt;
    match fs::symlink_metadata(path) {
        Err(_) => "nothing".into(),
        Ok(meta) if meta.file_type().is_symlink() => {
            format!("link to {}", fs::read_link(path).unwrap().display())
        }
        Ok(meta) if meta.file_type().is_fifo() => "fifo".into(),
        Ok(meta) if meta.is_dir() => "folder".into(),
        Ok(_) => format!("file {:?}", fs::read(path).unwrap()),
    }
}

/// Every file below `dir`, with its bytes.
#[cfg(unix)]
fn tree(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

#[cfg(unix)]
proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_202),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_build_into_a_folder_with_user_files_links_and_fifos_touches_none_of_them(
        obstacles in prop::collection::vec(
            (
                prop::sample::select(OBSTACLE_PATHS),
                prop_oneof![
                    Just(Obstacle::File),
                    Just(Obstacle::LinkToFile),
                    Just(Obstacle::LinkToFolder),
                    Just(Obstacle::Fifo),
                    Just(Obstacle::Folder),
                ],
            ),
            1..4,
        ),
        built_before in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let out = dir.path().join("out");
        let outside = dir.path().join("outside");
        fs::create_dir_all(data.join("articles")).unwrap();
        fs::create_dir_all(outside.join("folder")).unwrap();
        fs::write(outside.join("file"), "outside").unwrap();
        fs::write(outside.join("folder/a.html"), "outside page").unwrap();
        fs::write(data.join("feed.toml"), FEED_TOML).unwrap();
        fs::write(
            data.join("articles/a.md"),
            "+++\ntitle = \"A\"\npublished = 2022-06-01T00:00:00Z\ncategories = [\"c\"]\n+++\n\n![p](a.png)\n",
        )
        .unwrap();
        fs::write(data.join("articles/a.png"), "png").unwrap();
        let options = make_feed::Options::default();
        if built_before {
            make_feed::build(&data, &out, &options).unwrap();
        }
        fs::create_dir_all(&out).unwrap();
        let mut placed = Vec::new();
        for (path, obstacle) in obstacles {
            let at = out.join(path);
            if fs::symlink_metadata(&at).is_ok() || !at.parent().unwrap().is_dir()
                || fs::symlink_metadata(at.parent().unwrap()).unwrap().file_type().is_symlink()
            {
                continue;
            }
            match obstacle {
                Obstacle::File => fs::write(&at, "mine").unwrap(),
                Obstacle::LinkToFile => std::os::unix::fs::symlink(outside.join("file"), &at).unwrap(),
                Obstacle::LinkToFolder => std::os::unix::fs::symlink(outside.join("folder"), &at).unwrap(),
                Obstacle::Fifo => {
                    let made = std::process::Command::new("mkfifo").arg(&at).status().unwrap();
                    prop_assert!(made.success());
                }
                Obstacle::Folder => {
                    fs::create_dir_all(&at).unwrap();
                    fs::write(at.join("mine.txt"), "mine").unwrap();
                }
            }
            placed.push((at.clone(), snapshot(&at)));
        }
        let outside_before = tree(&outside);

        match make_feed::build(&data, &out, &options) {
            Ok(_) | Err(make_feed::Error::Input(_)) => {}
            Err(other) => return Err(TestCaseError::fail(format!("not a clear refusal: {other}"))),
        }

        prop_assert_eq!(tree(&outside), outside_before, "written outside the output folder");
        // Obstacles stand only where nothing did: none is make-feed's.
        for (at, before) in &placed {
            prop_assert_eq!(&snapshot(at), before, "{} changed", at.display());
        }
        let manifest_path = out.join(".make-feed-manifest");
        let manifest = if fs::symlink_metadata(&manifest_path).is_ok_and(|m| m.is_file()) {
            fs::read_to_string(&manifest_path).unwrap_or_default()
        } else {
            String::new()
        };
        for line in manifest.lines() {
            let path = out.join(line);
            if let Ok(meta) = fs::symlink_metadata(&path) {
                prop_assert!(!meta.file_type().is_symlink(), "{line} is a link");
            }
        }
    }
}
