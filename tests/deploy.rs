//! `make-feed deploy` to a folder (`file://`), served by nginx: what is
//! uploaded and when, what a deploy killed at any step leaves, and the
//! WebSub notifications. `garage.rs` deploys to a real S3 server.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use crate::common::sample::TITLE;
use crate::common::{article, Run, Test};
use crate::hostile::stderr_lines;
use crate::readers::{have, output, Server};
use crate::site::{rich_site, site_links};

/// One line of a deploy's plan: action, kind, size, path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) action: String,
    pub(crate) kind: String,
    pub(crate) size: u64,
    pub(crate) path: String,
}

/// The steps a deploy printed on standard output.
pub(crate) fn steps(run: &Run) -> Vec<Step> {
    run.stdout
        .lines()
        .map(|line| {
            let mut fields = line.split_whitespace();
            let (action, kind, size) = (
                fields.next().unwrap(),
                fields.next().unwrap(),
                fields.next().unwrap(),
            );
            let path = line.split_once(&format!(" {size}  ")).unwrap().1;
            Step {
                action: action.into(),
                kind: kind.into(),
                size: size.parse().unwrap(),
                path: path.into(),
            }
        })
        .collect()
}

fn paths(steps: &[Step]) -> BTreeSet<String> {
    steps.iter().map(|s| s.path.clone()).collect()
}

/// The order the plan promises: new files, then replaced ones by kind,
/// then deletions.
#[track_caller]
pub(crate) fn assert_in_reading_order(steps: &[Step]) {
    let rank = |step: &Step| {
        let action = ["add", "replace", "delete"]
            .iter()
            .position(|a| *a == step.action)
            .unwrap();
        let kind = ["asset", "page", "list", "archive", "feed", "index"]
            .iter()
            .position(|k| *k == step.kind)
            .unwrap();
        (action, if action == 2 { 0 } else { kind })
    };
    for pair in steps.windows(2) {
        assert!(
            rank(&pair[0]) <= rank(&pair[1]),
            "{:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
}

fn target(test: &Test) -> String {
    format!("file://{}/site", test.dir.path().display())
}

/// `make-feed deploy` of the workspace's `data` and `out` to `to`, then `extra`.
pub(crate) fn deploy_args<'a>(to: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["deploy", "--data", "data", "--out", "out", "--to", to];
    args.extend_from_slice(extra);
    args
}

fn deploy(test: &Test, extra: &[&str]) -> Run {
    test.run(&deploy_args(&target(test), extra))
}

/// Every file below `folder` but make-feed's dot-files, with a digest of
/// its bytes (short enough for a failure's message).
pub(crate) fn files_below(folder: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(folder)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, digest(&fs::read(e.path()).unwrap()))
        })
        .filter(|(name, _)| !name.starts_with(".make-feed"))
        .collect()
}

fn digest(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{}:{:x}", bytes.len(), hasher.finish())
}

/// The output folder's files but make-feed's own, with digests.
fn out_files(test: &Test) -> BTreeMap<String, String> {
    test.out_files()
        .into_iter()
        .filter(|(name, _)| !name.starts_with('.'))
        .map(|(name, bytes)| (name, digest(&bytes)))
        .collect()
}

/// The links in the feeds and pages below `folder` that name no file there.
pub(crate) fn unresolved_links(folder: &Path) -> BTreeSet<String> {
    let files = files_below(folder);
    let mut unresolved = BTreeSet::new();
    for name in files.keys() {
        if [".html", ".xml", ".json"].iter().any(|e| name.ends_with(e)) {
            for link in site_links(folder, name) {
                if !files.contains_key(&link) {
                    unresolved.insert(format!("{name} -> {link}"));
                }
            }
        }
    }
    unresolved
}

#[test]
fn a_deploy_to_a_folder_is_served_by_nginx_and_read_by_feedparser_and_newsboat() {
    if !have(&["nginx", "newsboat", "sqlite3", "curl"]) {
        return;
    }
    let test = Test::bundled();
    test.build().success();
    let run = deploy(&test, &["--no-ping"]).success();
    let uploaded = steps(&run);
    assert_in_reading_order(&uploaded);
    assert!(uploaded.iter().all(|s| s.action == "add"), "{uploaded:?}");
    let out = out_files(&test);
    assert_eq!(files_below(&test.dir.path().join("site")), out);
    assert_eq!(paths(&uploaded), out.keys().cloned().collect());

    let server = Server::serving_folder(test, "site");
    for name in ["rss.xml", "atom.xml"] {
        let url = server.url(name);
        let script = "import sys, feedparser\nd = feedparser.parse(sys.argv[1])\nprint(int(d.bozo), d.entries[0].title)";
        let printed = output(Command::new("/usr/bin/python3").args(["-c", script, &url]));
        assert_eq!(printed.trim(), format!("0 {TITLE}"), "{name}");
        assert_eq!(
            newsboat_titles(&url, &server.dir().join(format!("nb-{name}"))),
            [TITLE]
        );
    }
}

/// The titles newsboat shows after reading the feed at `url`.
pub(crate) fn newsboat_titles(url: &str, home: &Path) -> Vec<String> {
    crate::matrix::newsboat(url, home)
        .into_iter()
        .map(|shown| shown.title)
        .collect()
}

#[test]
fn a_second_deploy_uploads_nothing_and_an_edit_uploads_exactly_the_changed_files() {
    let test = rich_site();
    test.build().success();
    deploy(&test, &["--no-ping"]).success();
    let again = deploy(&test, &["--no-ping"]).success();
    assert_eq!(steps(&again), [], "{}", again.stdout);
    assert!(
        again.stderr.contains("uploaded 0 (0 B), deleted 0"),
        "{}",
        again.stderr
    );

    let before = out_files(&test);
    let test = test
        .file(
            "articles/2022/post-1.md",
            "+++\ntitle = \"Post 1, edited\"\npublished = 2022-06-02 10:00:00\ncategories = [\"News\"]\n+++\n\nEdited.\n",
        )
        .remove("articles/2022/post-3.md")
        .file("articles/2022/post-9.md", &article("Post 9", "2022-07-01 10:00:00"));
    test.build().success();
    let after = out_files(&test);
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(name, bytes)| before.get(*name) != Some(bytes))
        .map(|(name, _)| name.clone())
        .collect();
    let gone: BTreeSet<String> = before
        .keys()
        .filter(|n| !after.contains_key(*n))
        .cloned()
        .collect();

    let dry = deploy(&test, &["--dry-run"]).success();
    assert_eq!(
        files_below(&test.dir.path().join("site")),
        before
            .into_iter()
            .filter(|(n, _)| !n.starts_with('.'))
            .collect()
    );
    let run = deploy(&test, &["--no-ping"]).success();
    assert_eq!(
        steps(&dry),
        steps(&run),
        "the dry run lists what the deploy does"
    );
    let done = steps(&run);
    assert_in_reading_order(&done);
    let uploads: Vec<Step> = done
        .iter()
        .filter(|s| s.action != "delete")
        .cloned()
        .collect();
    let deletions: Vec<Step> = done
        .iter()
        .filter(|s| s.action == "delete")
        .cloned()
        .collect();
    assert_eq!(paths(&uploads), changed);
    assert_eq!(paths(&deletions), gone);
    assert!(gone.contains("articles/2022/post-3.html"), "{gone:?}");
    for step in &uploads {
        let size = fs::metadata(test.out().join(&step.path)).unwrap().len();
        assert_eq!(step.size, size, "{}", step.path);
    }
    assert!(uploads
        .iter()
        .any(|s| s.action == "add" && s.path == "articles/2022/post-9.html"));
    assert!(uploads
        .iter()
        .any(|s| s.action == "replace" && s.path == "rss.xml"));
    let out: BTreeMap<_, _> = after
        .into_iter()
        .filter(|(n, _)| !n.starts_with('.'))
        .collect();
    assert_eq!(files_below(&test.dir.path().join("site")), out);
}

#[test]
fn files_of_others_in_the_target_are_left_alone_and_bad_targets_are_refused() {
    let test = Test::new();
    test.build().success();
    let site = test.dir.path().join("site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join("theirs.txt"), "mine").unwrap();
    deploy(&test, &["--no-ping"]).success();
    let test = test.remove("articles/first.md").file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    test.build().success();
    deploy(&test, &["--no-ping"]).success();
    assert_eq!(fs::read_to_string(site.join("theirs.txt")).unwrap(), "mine");
    assert!(!site.join("articles/first.html").exists());

    test.run(&["deploy", "--data", "data", "--out", "out"])
        .failure()
        .stderr_contains("names no place to deploy to");
    let run = test.run(&["deploy", "--data", "data", "--to", "ftp://host/x"]);
    assert_eq!(run.status, Some(2), "{}", run.stderr);
    deploy(&test, &["--endpoint", "http://127.0.0.1:1"])
        .failure()
        .stderr_contains("this target is not s3://");
    test.run(&[
        "deploy",
        "--data",
        "data",
        "--out",
        "nothing-built",
        "--to",
        &target(&test),
    ])
    .failure()
    .stderr_contains("run `make-feed build` first");
}

/// `site` as `saved` holds it: hard links, so that every object keeps its
/// ETag (a folder's is its file's inode, size and time) and the store's
/// record stays true; a deploy replaces a file by renaming a new one over
/// it, never writing through the link.
fn restore(saved: &Path, site: &Path) {
    if site.exists() {
        fs::remove_dir_all(site).unwrap();
    }
    for entry in walkdir::WalkDir::new(saved) {
        let entry = entry.unwrap();
        let target = site.join(entry.path().strip_prefix(saved).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::hard_link(entry.path(), &target).unwrap();
        }
    }
}

/// The deploy killed (SIGKILL) at step `halt`; the stderr it wrote.
fn killed_deploy(test: &Test, halt: usize) -> String {
    killed_run(test, &deploy_args(&target(test), &["--no-ping"]), &[], halt)
}

/// make-feed run with `args` and `env`, killed (SIGKILL) once it halts at
/// step `halt` (or run to its end if it has fewer); the stderr it wrote.
pub(crate) fn killed_run(test: &Test, args: &[&str], env: &[(&str, &str)], halt: usize) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_make-feed"))
        .args(args)
        .current_dir(test.dir.path())
        .envs(env.iter().copied())
        .env("MAKE_FEED_HALT_AT", halt.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child);
    let mut stderr = String::new();
    let halted = format!("make-feed: halted at step {halt}");
    while let Ok(line) = lines.recv_timeout(std::time::Duration::from_secs(120)) {
        stderr += &line;
        if stderr.contains(&halted) {
            break;
        }
    }
    let _ = child.kill();
    child.wait().unwrap();
    stderr
}

#[test]
fn a_deploy_killed_at_any_step_fifty_times_leaves_a_readable_site_and_the_next_completes_it() {
    let test = rich_site();
    test.build().success();
    deploy(&test, &["--no-ping"]).success();
    let site = test.dir.path().join("site");
    let deployed = test.dir.path().join("site-v1");
    restore(&site, &deployed);
    let test = test
        .file(
            "articles/2022/post-1.md",
            "+++\ntitle = \"Post 1, edited\"\npublished = 2022-06-02 10:00:00\n+++\n\nEdited.\n",
        )
        .remove("articles/2022/post-4.md")
        .file(
            "articles/2023/post-9.md",
            &article("Post 9", "2023-01-01 10:00:00"),
        );
    test.build().success();
    let plan = steps(&deploy(&test, &["--dry-run"]).success());
    assert!(plan.len() > 10, "{plan:?}");
    assert!(
        ["add", "replace", "delete"]
            .iter()
            .all(|a| plan.iter().any(|s| s.action == *a)),
        "{plan:?}"
    );
    let v1 = files_below(&deployed);
    let v2 = out_files(&test);

    // Every step of a deploy from the old site, seen from the store's side:
    // after step n, exactly the first n steps show.
    // Step 1 records the files about to be added; then one step a line.
    for halt in 1..=plan.len() + 1 {
        restore(&deployed, &site);
        let said = killed_deploy(&test, halt);
        assert!(said.contains("halted at step"), "step {halt}: {said}");
        let mut expected = v1.clone();
        for step in &plan[..halt - 1] {
            match step.action.as_str() {
                "delete" => expected.remove(&step.path),
                _ => expected.insert(step.path.clone(), v2[&step.path].clone()),
            };
        }
        assert_eq!(
            files_below(&site),
            expected,
            "after step {halt} of {plan:?}"
        );
        assert_eq!(
            unresolved_links(&site),
            BTreeSet::new(),
            "after step {halt}"
        );
    }
    // Then deploys killed one after another at pseudo-random steps, each
    // resuming what the last left, until 50 kills in all.
    let mut seed: u64 = 0x5eed;
    for _ in plan.len() + 1..50 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let halt = 1 + (seed >> 33) as usize % (plan.len() + 1);
        if seed.is_multiple_of(3) {
            restore(&deployed, &site);
        }
        killed_deploy(&test, halt);
        assert_eq!(unresolved_links(&site), BTreeSet::new());
        let now = files_below(&site);
        for (name, bytes) in &now {
            assert!(
                v1.get(name) == Some(bytes) || v2.get(name) == Some(bytes),
                "{name} is neither version"
            );
        }
    }
    deploy(&test, &["--no-ping"]).success();
    assert_eq!(files_below(&site), v2);
    assert_eq!(steps(&deploy(&test, &["--no-ping"]).success()), []);
}

#[test]
fn a_file_added_by_a_killed_deploy_and_then_no_longer_built_is_deleted() {
    let test = Test::new();
    test.build().success();
    deploy(&test, &["--no-ping"]).success();
    let test = test.file(
        "articles/brief.md",
        &article("Brief", "2022-06-02 10:00:00"),
    );
    test.build().success();
    let plan = steps(&deploy(&test, &["--dry-run"]).success());
    assert_eq!(
        (plan[0].action.as_str(), plan[0].path.as_str()),
        ("add", "articles/brief.html")
    );
    // Killed once the page is up (step 1 records it, step 2 uploads it).
    killed_deploy(&test, 2);
    let site = test.dir.path().join("site");
    assert!(site.join("articles/brief.html").is_file());
    let test = test.remove("articles/brief.md");
    test.build().success();
    let run = deploy(&test, &["--no-ping"]).success();
    assert!(run.stdout.contains("articles/brief.html"), "{}", run.stdout);
    assert!(!site.join("articles/brief.html").exists());
    assert_eq!(files_below(&site), out_files(&test));
}

/// A WebSub hub on loopback that records every request's body and answers
/// with the statuses in `answers` (then 204).
pub(crate) struct Hub {
    pub(crate) url: String,
    pub(crate) bodies: Arc<Mutex<Vec<String>>>,
}

impl Hub {
    pub(crate) fn start(answers: &[u16]) -> Hub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://127.0.0.1:{}/hub",
            listener.local_addr().unwrap().port()
        );
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&bodies);
        let answers: Vec<u16> = answers.into();
        let mut answers = answers.into_iter();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { break };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0;
                let mut request_line = String::new();
                reader.read_line(&mut request_line).unwrap();
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    if line.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap();
                        }
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let body = String::from_utf8(body).unwrap();
                recorded
                    .lock()
                    .unwrap()
                    .push(format!("{} {body}", request_line.trim()));
                let status = answers.next().unwrap_or(204);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        Hub { url, bodies }
    }

    /// The feed URLs the hub was told of, in order.
    pub(crate) fn told(&self) -> Vec<String> {
        self.bodies
            .lock()
            .unwrap()
            .iter()
            .map(|request| {
                let (line, body) = request.split_once(' ').unwrap();
                assert_eq!(line, "POST");
                let form: BTreeMap<String, String> =
                    url::form_urlencoded::parse(body.rsplit(' ').next().unwrap().as_bytes())
                        .into_owned()
                        .collect();
                assert_eq!(form["hub.mode"], "publish", "{request}");
                form["hub.url"].clone()
            })
            .collect()
    }
}

#[test]
fn websub_hubs_are_named_in_every_feed_and_told_of_each_changed_feed_once() {
    let hub = Hub::start(&[]);
    let feed_toml = format!("{}hub = {:?}\n", crate::common::FEED_TOML, hub.url);
    let test = Test::new().file("feed.toml", &feed_toml).file(
        "articles/other.md",
        "+++\ntitle = \"Other\"\npublished = 2022-06-03 10:00:00\ncategories = [\"News\"]\n+++\n\nText.\n",
    );
    test.build().success();
    let feeds: Vec<String> = out_files(&test)
        .into_keys()
        .filter(|name| [".xml", ".json"].iter().any(|e| name.ends_with(e)))
        .collect();
    assert_eq!(feeds.len(), 6, "{feeds:?}");
    for feed in &feeds {
        let text = test.read_out(feed);
        let hub_link = if feed.ends_with(".json") {
            format!(
                "\"hubs\": [\n    {{\n      \"type\": \"WebSub\",\n      \"url\": \"{}\"",
                hub.url
            )
        } else if feed.ends_with("rss.xml") {
            format!("<atom:link href=\"{}\" rel=\"hub\"/>", hub.url)
        } else {
            format!("<link href=\"{}\" rel=\"hub\"/>", hub.url)
        };
        assert!(text.contains(&hub_link), "{feed}: {text}");
    }
    let out = test.out();
    let checked: Vec<String> = feeds
        .iter()
        .map(|f| out.join(f).display().to_string())
        .collect();
    let mut args = vec!["check", "--strict", "--now", "2030-01-01T00:00:00Z"];
    args.extend(checked.iter().map(String::as_str));
    test.run(&args).success();

    let run = deploy(&test, &[]).success();
    let mut told = hub.told();
    told.sort();
    let mut expected: Vec<String> = feeds
        .iter()
        .map(|f| format!("https://feeds.example.org/{f}"))
        .collect();
    expected.sort();
    assert_eq!(told, expected, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "notified {} of https://feeds.example.org/rss.xml (204)",
            hub.url
        )),
        "{}",
        run.stderr
    );

    deploy(&test, &[]).success();
    assert_eq!(
        hub.told().len(),
        feeds.len(),
        "an unchanged deploy tells no hub"
    );

    // A new article outside the category changes only the main feeds.
    let test = test.file(
        "articles/third.md",
        &article("Third", "2022-06-04 10:00:00"),
    );
    test.build().success();
    let run = deploy(&test, &["--no-ping"]).success();
    assert!(!run.stdout.is_empty());
    assert_eq!(hub.told().len(), feeds.len(), "--no-ping tells no hub");
    let test = test.file(
        "articles/fourth.md",
        &article("Fourth", "2022-06-05 10:00:00"),
    );
    test.build().success();
    deploy(&test, &[]).success();
    let mut last: Vec<String> = hub.told()[feeds.len()..].to_vec();
    last.sort();
    assert_eq!(
        last,
        [
            "https://feeds.example.org/atom.xml",
            "https://feeds.example.org/feed.json",
            "https://feeds.example.org/rss.xml"
        ]
    );
}

#[test]
fn a_hub_that_fails_is_tried_again_and_one_that_keeps_failing_is_reported() {
    let flaky = Hub::start(&[503]);
    let broken = Hub::start(&[400]);
    let feed_toml = format!(
        "{}hub = [{:?}, {:?}]\nlimit = 1\n",
        crate::common::FEED_TOML,
        flaky.url,
        broken.url
    );
    let test = Test::new().file("feed.toml", &feed_toml);
    test.build().success();
    let run = deploy(&test, &[]).failure();
    // The first request got 503 and was sent again.
    assert_eq!(flaky.told().len(), 4, "{}", run.stderr);
    assert_eq!(flaky.told()[0], flaky.told()[1]);
    assert_eq!(broken.told().len(), 3, "a 400 is final: {}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("error: {} was not told of", broken.url)),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the hub answered 400"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the site is deployed"),
        "{}",
        run.stderr
    );
}
