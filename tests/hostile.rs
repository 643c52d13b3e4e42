//! Hostile and broken input: sanitised content, safe paths, limits, and
//! publishing that survives being killed.

use std::fs::{self, File};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::{article, Test, FEED_TOML};

fn content_of(test: &Test) -> String {
    let channel = rss::Channel::read_from(test.read_out("rss.xml").as_bytes()).unwrap();
    channel.items()[0].content().unwrap().to_string()
}

#[test]
fn scripts_frames_forms_and_handlers_never_reach_a_feed() {
    let body = r#"
<script>alert(1)</script>
<style>body { display: none }</style>
<iframe src="https://evil.example/"></iframe>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name="q"><button>go</button></form>
<img src="x.png" onerror="alert(2)"> <a href="javascript:alert(3)">j</a> <a href="vbscript:msgbox(4)">v</a>
<a href="data:text/html,<script>alert(5)</script>">d</a> <p onclick="alert(6)" style="color:red">styled</p>

[md link](javascript:alert(7)) ![md image](vbscript:alert(8))

## A heading

- a list item with *emphasis* and **strength**
1. numbered

| a | b |
|---|---|
| 1 | 2 |

> quoted

```
code <kept as text>
```

![图为 caption](photo.jpg)

[a link](https://example.org/) and <a href="page.html" title="t">raw link</a>
"#;
    let test = Test::empty().file("feed.toml", FEED_TOML).file(
        "articles/x.md",
        &format!("+++\ntitle = \"x\"\npublished = 2022-06-01 10:00:00\n+++\n{body}"),
    );
    test.build().success();
    for content in [
        content_of(&test),
        atom_syndication::Feed::read_from(test.read_out("atom.xml").as_bytes())
            .unwrap()
            .entries()[0]
            .content()
            .unwrap()
            .value()
            .unwrap()
            .to_string(),
    ] {
        let lower = content.to_lowercase();
        for banned in [
            "<script",
            "<style",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<input",
            "<button",
            "onerror",
            "onclick",
            "javascript:",
            "vbscript:",
            "data:text",
            "style=",
            "alert(",
        ] {
            assert!(!lower.contains(banned), "{banned} survived:\n{content}");
        }
        for kept in [
            "<h2 id=\"x:a-heading\">A heading</h2>",
            "<em>emphasis</em>",
            "<strong>strength</strong>",
            "<li>numbered</li>",
            "<table>",
            "<blockquote>",
            "<pre><code>code &lt;kept as text&gt;",
            "<figure><img src=\"https://feeds.example.org/articles/photo.jpg\" alt=\"图为 caption\"><figcaption>图为 caption</figcaption></figure>",
            "<a href=\"https://example.org/\">a link</a>",
            "<a href=\"https://feeds.example.org/articles/page.html\" title=\"t\">raw link</a>",
            "<img src=\"https://feeds.example.org/articles/x.png\">",
            ">styled</p>",
        ] {
            assert!(content.contains(kept), "{kept} lost:\n{content}");
        }
    }
}

#[test]
fn a_symbolic_link_out_of_the_articles_folder_is_refused() {
    let test = Test::new();
    let outside = test.dir.path().join("secret.md");
    fs::write(&outside, article("Secret", "2022-06-01 10:00:00")).unwrap();
    std::os::unix::fs::symlink(&outside, test.data().join("articles/link.md")).unwrap();
    test.build().failure().stderr_contains(
        "data/articles/link.md: is a symbolic link to a file outside the articles folder",
    );
}

#[test]
fn a_symbolic_link_inside_the_articles_folder_is_followed() {
    let test = Test::new().file(
        "articles/real/x.md",
        &article("Linked", "2022-06-02 10:00:00"),
    );
    std::os::unix::fs::symlink(
        test.data().join("articles/real/x.md"),
        test.data().join("articles/y.md"),
    )
    .unwrap();
    test.build().success();
    assert!(test.read_out("rss.xml").contains("Linked"));
}

#[test]
fn leftovers_of_a_killed_build_are_removed_and_other_files_kept() {
    let test = Test::new();
    test.build().success();
    fs::create_dir_all(test.out().join("categories/x")).unwrap();
    // A leftover's name carries the folder's token.
    let token = test.as_if_killed();
    let (a, zz) = (
        format!(".make-feed-tmp-{token}-a1b2c3"),
        format!("categories/x/.make-feed-tmp-{token}-zz"),
    );
    for leftover in [&a, &zz] {
        fs::write(test.out().join(leftover), "<half").unwrap();
    }
    fs::write(test.out().join(".htaccess"), "keep me").unwrap();
    test.build().success();
    assert!(!test.out().join(&a).exists());
    assert!(!test.out().join(&zz).exists());
    assert_eq!(
        fs::read_to_string(test.out().join(".htaccess")).unwrap(),
        "keep me"
    );
}

#[test]
fn a_second_build_of_the_same_folder_waits_for_the_first() {
    let test = Test::new();
    test.build().success();
    let lock = File::options()
        .write(true)
        .open(test.out().join(".make-feed-lock"))
        .unwrap();
    lock.lock().unwrap();
    let test = test.file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_make-feed"))
        .args(["build", "--data", "data", "--out", "out"])
        .current_dir(test.dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The build says it waits once it has found the lock held: wait for that
    // line (the deadline only guards against a build that hangs).
    let lines = stderr_lines(&mut child);
    let waiting = "another make-feed is building into out; waiting for it to finish";
    let mut stderr = String::new();
    while !stderr.contains(waiting) {
        match lines.recv_timeout(DEADLINE) {
            Ok(line) => stderr += &line,
            Err(e) => panic!("no word of waiting ({e}):\n{stderr}"),
        }
    }
    // The kernel lists the build as blocked on the lock file: it waits.
    let inode = {
        use std::os::unix::fs::MetadataExt;
        lock.metadata().unwrap().ino()
    };
    let started = std::time::Instant::now();
    while !blocked_on(child.id(), inode) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build must wait for the lock:\n{stderr}"
        );
        assert!(started.elapsed() < DEADLINE, "never blocked on the lock");
        std::thread::yield_now();
    }
    assert!(
        !test.read_out("rss.xml").contains("Second"),
        "nothing written while waiting"
    );
    drop(lock);
    let status = child.wait().unwrap();
    stderr.extend(lines.iter());
    assert!(status.success(), "{stderr}");
    assert!(test.read_out("rss.xml").contains("Second"));
}

/// True when `/proc/locks` lists process `pid` as blocked on a lock of the
/// file with `inode` (a line like `1: -> FLOCK ADVISORY WRITE 4314 fe:00:10068042 0 EOF`).
fn blocked_on(pid: u32, inode: u64) -> bool {
    let locks = fs::read_to_string("/proc/locks").expect("/proc/locks");
    locks.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words.get(1) == Some(&"->")
            && words.get(5) == Some(&pid.to_string().as_str())
            && words
                .get(6)
                .is_some_and(|file| file.ends_with(&format!(":{inode}")))
    })
}

/// A last guard for waits on events that should come at once.
const DEADLINE: Duration = Duration::from_secs(120);

/// The lines `child` writes to its piped standard error, as they come.
pub(crate) fn stderr_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let stderr = child.stderr.take().unwrap();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if send.send(line + "\n").is_err() {
                break;
            }
        }
    });
    receive
}

/// Reads the `watched` files over and over until `stop`, failing on any
/// that is not whole, and counting the reads.
fn read_while_building(
    watched: Vec<std::path::PathBuf>,
    stop: Arc<AtomicBool>,
    reads: Arc<AtomicUsize>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            for path in &watched {
                let text =
                    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                if let Err(e) = roxmltree::Document::parse(&text) {
                    panic!("{} is not whole: {e}", path.display());
                }
                reads.fetch_add(1, Ordering::Relaxed);
            }
        }
    })
}

/// Fails unless every feed in the output folder parses: what a build killed
/// at any step leaves must be the old file or the new one, whole.
fn assert_every_output_whole(test: &Test, round: usize) {
    for entry in walkdir::WalkDir::new(test.out()) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        // The build index is binary, and checked by its own checksum.
        let bookkeeping = name.starts_with(".make-feed-tmp-") || name == ".make-feed-index";
        if bookkeeping || !entry.file_type().is_file() {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        let whole = if name.ends_with(".xml") {
            roxmltree::Document::parse(&text).is_ok()
        } else if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text).is_ok()
        } else {
            true
        };
        assert!(
            whole,
            "round {round}: {} is not whole",
            entry.path().display()
        );
    }
}

/// Rewrites `feed.toml`'s description.
fn set_description(test: &Test, description: &str) {
    let path = test.data().join("feed.toml");
    let text: String = fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("description") {
                format!("description = {description:?}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(path, text).unwrap();
}

#[test]
fn builds_killed_at_any_moment_leave_every_file_whole() {
    const BUILDS: usize = 200;
    let mut test = Test::empty().file(
        "feed.toml",
        &format!("{FEED_TOML}limit = 10\narchives = true\narchive_page_size = 10\n"),
    );
    for n in 0..100 {
        test = test.file(
            &format!("articles/a{n:03}.md"),
            &format!(
                "+++\ntitle = \"Article {n}\"\npublished = 2021-01-01T00:00:00Z\nid = \"urn:test:{n}\"\ncategories = [\"c{}\"]\n+++\n\n{}\n",
                n % 7,
                "Some text of the article. ".repeat(40)
            ),
        );
    }
    test.build().success();
    // Every round changes the description, which every feed and page shows,
    // so every build rewrites the same files; each is three steps of
    // publishing (its temporary file created, filled, renamed).
    set_description(&test, "A channel for tests, before the rounds");
    let run = test.build().success();
    let written: usize = run
        .stderr
        .split(" written,")
        .next()
        .and_then(|before| before.rsplit(": ").next())
        .and_then(|count| count.split(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("no count of files written:\n{}", run.stderr));
    assert!(written > 100, "{}", run.stderr);
    let steps = 3 * written;

    let watched: Vec<_> = [
        "rss.xml",
        "atom.xml",
        "archive/rss-1.xml",
        "archive/atom-9.xml",
        "categories/c3/rss.xml",
    ]
    .iter()
    .map(|p| test.out().join(p))
    .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let reader = read_while_building(watched, stop.clone(), reads.clone());

    for round in 0..BUILDS {
        // Every document changes in every round, so every build rewrites all.
        set_description(&test, &format!("A channel for tests, round {round}"));
        // The build stops dead at step `halt` of publishing (a debug build's
        // test hook, src/output/halt.rs) and says so; it is killed there.
        // The rounds step through the whole of publishing, from the first
        // temporary file to the last rename.
        let halt = 1 + round * steps / BUILDS;
        assert!(halt <= steps);
        let mut child = Command::new(env!("CARGO_BIN_EXE_make-feed"))
            .args(["build", "--data", "data", "--out", "out"])
            .current_dir(test.dir.path())
            .env("MAKE_FEED_HALT_AT", halt.to_string())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = stderr_lines(&mut child);
        let halted = format!("make-feed: halted at step {halt}");
        let mut stderr = String::new();
        while !stderr.contains(&halted) {
            match lines.recv_timeout(DEADLINE) {
                Ok(line) => stderr += &line,
                Err(e) => panic!("round {round}: no halt at step {halt} ({e}):\n{stderr}"),
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert_every_output_whole(&test, round);
    }
    stop.store(true, Ordering::Relaxed);
    reader
        .join()
        .expect("every read saw a whole, well-formed file");
    assert!(reads.load(Ordering::Relaxed) > 0);

    test.build().success();
    for entry in walkdir::WalkDir::new(test.out()) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        assert!(
            !name.starts_with(".make-feed-tmp-"),
            "leftover {}",
            entry.path().display()
        );
        if name.ends_with(".xml") {
            roxmltree::Document::parse(&fs::read_to_string(entry.path()).unwrap()).unwrap();
        }
    }
    assert!(test
        .read_out("rss.xml")
        .contains(&format!("round {}", BUILDS - 1)));
}

#[test]
fn huge_articles_and_long_lines_build() {
    let paragraph = "这是一个很长的段落,用来测试很大的文章。".repeat(200);
    let huge = format!(
        "+++\ntitle = \"huge\"\npublished = 2022-01-01 00:00:00\n+++\n\n{}",
        format!("{paragraph}\n\n").repeat(1500)
    );
    assert!(huge.len() > 8_000_000);
    let long_line = format!(
        "+++\ntitle = \"line\"\npublished = 2022-01-02 00:00:00\n+++\n\n{} *x* {}\n",
        "a".repeat(1_000_000),
        "b".repeat(1_000_000)
    );
    let test = Test::empty()
        .file("feed.toml", FEED_TOML)
        .file("articles/huge.md", &huge)
        .file("articles/line.md", &long_line);
    test.build().success();
    assert!(test.read_out("rss.xml").len() > 8_000_000);
}

#[test]
fn oversized_and_overnested_articles_are_refused_clearly() {
    let test = Test::new().bytes("articles/big.md", &vec![b'a'; (32 << 20) + 1]);
    test.build()
        .failure()
        .stderr_contains("data/articles/big.md: is larger than 32 MB");

    for body in [
        ">".repeat(100_000),
        format!("{}x{}", "<div>".repeat(50_000), "</div>".repeat(50_000)),
        "> - ".repeat(50_000),
    ] {
        let test = Test::new().file(
            "articles/deep.md",
            &format!("+++\ntitle = \"deep\"\npublished = 2022-01-01 00:00:00\n+++\n\n{body}\n"),
        );
        test.build()
            .failure()
            .stderr_contains("data/articles/deep.md: the body nests more than 100 levels deep");
    }
}

#[test]
fn thousands_of_categories_build() {
    let mut test = Test::empty().file("feed.toml", FEED_TOML);
    for n in 0..2000 {
        test = test.file(
            &format!("articles/a{n}.md"),
            &format!("+++\ntitle = \"t{n}\"\npublished = 2022-01-01 00:00:00\ncategories = [\"分类 {n}\", \"Tag/{n}\"]\n+++\n\nx\n"),
        );
    }
    test.build().success();
    assert_eq!(
        fs::read_dir(test.out().join("categories")).unwrap().count(),
        4000
    );

    let many = (0..101)
        .map(|n| format!("\"c{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let test = Test::new().file(
        "articles/many.md",
        &format!("+++\ntitle = \"many\"\npublished = 2022-01-01 00:00:00\ncategories = [{many}]\n+++\n\nx\n"),
    );
    test.build()
        .failure()
        .stderr_contains("data/articles/many.md:4: field `categories`: has 101 names; an article may have at most 100");
}

#[test]
fn an_old_output_that_cannot_be_deleted_is_a_warning_not_a_failure() {
    let test = Test::new();
    test.build().success();
    // A manifest line naming a folder: deleting it as a file fails.
    fs::create_dir_all(test.out().join("olddir/sub")).unwrap();
    let manifest = test.out().join(".make-feed-manifest");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, format!("{text}olddir\n")).unwrap();
    let test = test.file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    test.build()
        .success()
        .stderr_contains("warning: could not delete an output this build no longer produces");
    assert!(test.read_out("rss.xml").contains("Second"));
    test.build().success();
}
