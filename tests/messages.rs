//! `feed.toml`'s URLs and what messages say about odd files: each names what
//! is really there.

use std::fs;
use std::process::Command;

use crate::common::{Test, FEED_TOML};

fn with_channel(extra: &str) -> Test {
    Test::new().file("feed.toml", &format!("{FEED_TOML}{extra}"))
}

#[test]
fn urls_readers_follow_must_be_web_addresses() {
    for (key, value) in [
        ("icon", "javascript:alert(1)"),
        ("logo", "data:text/html,<script>alert(1)</script>"),
        ("author_url", "javascript:alert(1)"),
        ("icon", "file:///etc/passwd"),
    ] {
        let test = with_channel(&format!("author = \"A\"\n{key} = {value:?}\n"));
        test.build()
            .failure()
            .stderr_contains(&format!("data/feed.toml:7: field `{key}`:"))
            .stderr_contains("is not an http(s) URL");
        assert!(!test.out().join("rss.xml").exists());
    }
    // Relative ones are resolved against base_url, as before.
    let test = with_channel("icon = \"icon.png\"\n");
    test.build().success();
    assert!(test
        .read_out("atom.xml")
        .contains("<icon>https://feeds.example.org/icon.png</icon>"));
}

#[test]
fn a_password_in_a_url_is_refused_and_never_printed() {
    let feed_toml = FEED_TOML.replace(
        "https://feeds.example.org/",
        "https://me:s3cret@feeds.example.org/",
    );
    let test = Test::new().file("feed.toml", &feed_toml);
    let run = test
        .build()
        .failure()
        .stderr_contains("data/feed.toml:3: field `base_url`: holds a user name or password");
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);

    let test = with_channel("author = \"A\"\nauthor_url = \"https://me:s3cret@example.org/\"\n");
    let run = test
        .build()
        .failure()
        .stderr_contains("field `author_url`: holds a user name or password");
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

/// A name, how to lay the odd file out, and what the message says.
#[cfg(unix)]
type Case = (&'static str, fn(&Test), &'static str);

#[cfg(unix)]
#[test]
fn odd_article_files_are_named_for_what_they_are() {
    use std::os::unix::fs::symlink;
    let cases: [Case; 4] = [
        (
            "loop",
            |t| symlink("loop.md", t.data().join("articles/loop.md")).unwrap(),
            "data/articles/loop.md: is a symbolic link to loop.md that leads round in a loop",
        ),
        (
            "dangling",
            |t| symlink("gone.md", t.data().join("articles/dangling.md")).unwrap(),
            "data/articles/dangling.md: is a symbolic link to gone.md, which does not exist",
        ),
        (
            "link to a FIFO",
            |t| {
                mkfifo(&t.data().join("articles/pipe"));
                symlink("pipe", t.data().join("articles/piped.md")).unwrap();
            },
            "data/articles/piped.md: is a symbolic link to a FIFO, socket or device (pipe), not a regular file",
        ),
        (
            "FIFO",
            |t| mkfifo(&t.data().join("articles/x.md")),
            "data/articles/x.md: is a FIFO, socket or device, not a regular file",
        ),
    ];
    for (name, make, expected) in cases {
        let test = Test::new();
        make(&test);
        let run = test.build();
        assert_eq!(run.status, Some(1), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}:\n{}", run.stderr);
    }
    // A link out of the articles folder is still called that.
    let test = Test::new();
    fs::write(test.dir.path().join("outside.md"), "x").unwrap();
    symlink("../../outside.md", test.data().join("articles/out.md")).unwrap();
    test.build()
        .failure()
        .stderr_contains("is a symbolic link to a file outside the articles folder");
}

#[cfg(unix)]
#[test]
fn feed_toml_is_a_regular_file_inside_the_data_folder() {
    use std::os::unix::fs::symlink;
    let test = Test::new().remove("feed.toml");
    mkfifo(&test.data().join("feed.toml"));
    test.build()
        .failure()
        .stderr_contains("data/feed.toml: is a FIFO, socket or device, not a regular file");

    let test = Test::new().remove("feed.toml");
    fs::write(test.dir.path().join("elsewhere.toml"), FEED_TOML).unwrap();
    symlink("../elsewhere.toml", test.data().join("feed.toml")).unwrap();
    test.build()
        .failure()
        .stderr_contains("data/feed.toml: is a symbolic link to a file outside the data folder");

    let test = Test::new().remove("feed.toml");
    test.build()
        .failure()
        .stderr_contains("data/feed.toml: not found");
}
