//! The output folder belongs to its user: make-feed writes only where
//! nothing stands or where its own last build wrote, never through a
//! symbolic link, never into a FIFO or a device, and one build at a time,
//! even after a failed first build.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{article, Test};

/// Starts a build whose stderr the test reads line by line.
fn spawn_build(test: &Test) -> Child {
    Command::new(env!("CARGO_BIN_EXE_make-feed"))
        .args(["build", "--data", "data", "--out", "out"])
        .current_dir(test.dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads `child`'s stderr until a line contains `expected` (an event, not a
/// delay); panics if stderr ends first.
fn wait_for_line(lines: &mut impl Iterator<Item = String>, expected: &str) {
    for line in lines.by_ref() {
        if line.contains(expected) {
            return;
        }
    }
    panic!("stderr ended without {expected:?}");
}

/// Waits for `child`, killing it after a generous deadline, a last guard
/// against a build that hangs (the bug these tests are about).
fn finish(mut child: Child) -> (bool, String) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            return (status.success(), stderr);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the build hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_failed_first_build_keeps_its_lock_file() {
    let test = Test::new().file("articles/bad.md", "+++\ntitle = \"B\"\n+++\n");
    test.build()
        .failure()
        .stderr_contains("nothing was published");
    // A build waiting for that lock holds this very file: deleting it would
    // let a third build run beside the second.
    assert!(test.out().join(".make-feed-lock").is_file());
    let left: Vec<_> = fs::read_dir(test.out())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [".make-feed-lock"], "nothing else is left");
    let test = test.remove("articles/bad.md");
    test.build().success();
}

#[cfg(unix)]
#[test]
fn a_build_waiting_on_a_lock_file_that_is_replaced_waits_for_the_new_one() {
    let test = Test::new();
    test.build().success();
    let lock_path = test.out().join(".make-feed-lock");
    let old = File::options().write(true).open(&lock_path).unwrap();
    old.lock().unwrap();
    let test = test.file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    let mut child = spawn_build(&test);
    let mut lines = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map(Result::unwrap);
    wait_for_line(&mut lines, "waiting for it to finish");
    // The lock file is replaced (as a failed first build used to do, and a
    // person may) while the build waits on the old one.
    fs::remove_file(&lock_path).unwrap();
    let new = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    new.lock().unwrap();
    drop(old);
    // The build notices that it holds a lock nobody else can see, and waits
    // again, on the file that is there now.
    wait_for_line(&mut lines, "waiting for it to finish");
    assert!(!test.read_out("rss.xml").contains("Second"));
    drop(new);
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(test.read_out("rss.xml").contains("Second"));
}

#[test]
fn files_the_user_put_in_the_output_folder_are_never_replaced() {
    let test = Test::new().file("articles/a.md", &article("A", "2022-06-02 10:00:00"));
    fs::create_dir_all(test.out().join("articles")).unwrap();
    let mine = [
        ("index.html", "my own front page"),
        ("style.css", "my own style"),
        ("rss.xml", "my own feed"),
        ("articles/a.html", "my own page"),
        (".make-feed-tmp-notes", "my notes"),
    ];
    for (path, text) in mine {
        fs::write(test.out().join(path), text).unwrap();
    }
    let run = test
        .build()
        .failure()
        .stderr_contains("is a file make-feed did not write")
        .stderr_contains("nothing was published");
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    for (path, text) in mine {
        assert_eq!(fs::read_to_string(test.out().join(path)).unwrap(), text);
    }
    assert!(!test.out().join("atom.xml").exists(), "nothing published");

    // Its own page is named by its article and field.
    for (path, _) in &mine[..3] {
        fs::remove_file(test.out().join(path)).unwrap();
    }
    test.build()
        .failure()
        .stderr_contains("data/articles/a.md: field `slug`: its page out/articles/a.html is a file make-feed did not write");
    fs::remove_file(test.out().join("articles/a.html")).unwrap();
    test.build().success();
    // A user's file named like a temporary file is not a leftover.
    test.build().success();
    assert_eq!(
        fs::read_to_string(test.out().join(".make-feed-tmp-notes")).unwrap(),
        "my notes"
    );
}

#[test]
fn leftovers_of_a_killed_build_are_known_by_the_folder_token() {
    let test = Test::new();
    test.build().success();
    let token = test.as_if_killed();
    let leftover = format!(".make-feed-tmp-{token}-a1b2c3");
    fs::write(test.out().join(&leftover), "<half").unwrap();
    fs::write(test.out().join(".make-feed-tmp-a1b2c3"), "mine").unwrap();
    test.build().success();
    assert!(!test.out().join(&leftover).exists());
    assert!(test.out().join(".make-feed-tmp-a1b2c3").exists());
}

#[cfg(unix)]
#[test]
fn nothing_is_written_or_deleted_through_a_symbolic_link_to_a_folder() {
    let test = Test::new().file("articles/b.md", &article("B", "2022-06-02 10:00:00"));
    let elsewhere = test.dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::create_dir_all(test.out()).unwrap();
    std::os::unix::fs::symlink("../elsewhere", test.out().join("articles")).unwrap();
    test.build()
        .failure()
        .stderr_contains("is a symbolic link, and make-feed never writes through one");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);

    // Deleting an old output never goes through a link either.
    fs::remove_file(test.out().join("articles")).unwrap();
    let test = test.file(
        "articles/b.md",
        "+++\ntitle = \"B\"\npublished = 2022-06-02 10:00:00\ncategories = [\"gone\"]\n+++\n",
    );
    test.build().success();
    fs::rename(test.out().join("categories/gone"), elsewhere.join("gone")).unwrap();
    std::os::unix::fs::symlink("../../elsewhere/gone", test.out().join("categories/gone")).unwrap();
    let test = test.file("articles/b.md", &article("B", "2022-06-02 10:00:00"));
    test.build()
        .success()
        .stderr_contains("reached through the symbolic link");
    assert!(elsewhere.join("gone/rss.xml").is_file());
    assert!(elsewhere.join("gone/feed.json").is_file());
}

/// A page kept as it is checks only that it is the very file the last
/// build wrote (its inode and change time among the rest), not the folders
/// on the way: keeping writes nothing. Writing it again claims the whole
/// path, and a symbolic link on the way stops the build.
#[cfg(unix)]
#[test]
fn a_kept_page_behind_a_moved_folder_is_kept_but_never_written_through_it() {
    let test = Test::new().file("articles/b.md", &article("B", "2022-06-02 10:00:00"));
    // The second build records the page's change time, which the first
    // could not know before renaming it into place.
    test.build().success();
    test.build().success();
    let elsewhere = test.dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::rename(test.out().join("articles"), elsewhere.join("articles")).unwrap();
    std::os::unix::fs::symlink("../elsewhere/articles", test.out().join("articles")).unwrap();
    let page = fs::read(elsewhere.join("articles/b.html")).unwrap();
    let names = || {
        let mut names: Vec<_> = fs::read_dir(elsewhere.join("articles"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let before = names();

    test.build().success().stderr_contains("0 files written");
    assert_eq!(fs::read(elsewhere.join("articles/b.html")).unwrap(), page);

    let test = test.file(
        "articles/b.md",
        &article("B, edited", "2022-06-02 10:00:00"),
    );
    test.build()
        .failure()
        .stderr_contains("is a symbolic link, and make-feed never writes through one");
    assert_eq!(fs::read(elsewhere.join("articles/b.html")).unwrap(), page);
    assert_eq!(names(), before, "no file was added or left beside it");
}

#[test]
fn a_pages_trailer_never_decides_what_is_published() {
    let test = Test::new()
        .file(
            "articles/first.md",
            "+++\ntitle = \"First\"\npublished = 2022-06-01 17:52:50\n+++\n\n![a](a.png)\n",
        )
        .bytes("articles/a.png", b"png")
        .file("articles/private.txt", "not for the public");
    test.build().success();
    assert!(test.out().join("articles/a.png").is_file());
    let page = test.out().join("articles/first.html");
    let text = fs::read_to_string(&page).unwrap();
    let edited = text.replacen(" -->\n", " articles/private.txt -->\n", 1);
    assert_ne!(text, edited);
    assert!(edited.ends_with("articles/private.txt -->\n"));
    fs::write(&page, edited).unwrap();
    test.build().success();
    assert!(!test.out().join("articles/private.txt").exists());
    assert!(test.out().join("articles/a.png").is_file());
}

#[test]
fn a_slug_too_long_for_a_file_name_is_an_error_naming_the_article_and_field() {
    let test = Test::new();
    test.build().success();
    let before = test.out_files();
    let long = "a".repeat(260);
    let test = test.file(
        "articles/long.md",
        &format!("+++\ntitle = \"L\"\npublished = 2022-06-02 10:00:00\nslug = \"{long}\"\n+++\n"),
    );
    test.build()
        .failure()
        .stderr_contains("data/articles/long.md:4: field `slug`:")
        .stderr_contains("longer than 250 bytes");
    assert_eq!(test.out_files(), before, "nothing was published");

    let name = "b".repeat(251);
    let test = test.remove("articles/long.md").file(
        &format!("articles/{name}.md"),
        &article("B", "2022-06-03 10:00:00"),
    );
    test.build()
        .failure()
        .stderr_contains("field `slug (from the file name)`:")
        .stderr_contains("longer than 250 bytes");
    assert_eq!(test.out_files(), before, "nothing was published");
}

#[test]
fn a_folder_where_a_feed_goes_stops_the_build_before_any_rename() {
    let test = Test::new();
    test.build().success();
    fs::remove_file(test.out().join("atom.xml")).unwrap();
    fs::create_dir_all(test.out().join("atom.xml/mine")).unwrap();
    let before = test.out_files();
    let test = test.file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    test.build()
        .failure()
        .stderr_contains("out/atom.xml: is a folder, where make-feed writes a file")
        .stderr_contains("nothing was published");
    assert_eq!(test.out_files(), before, "the RSS feed stayed as it was");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_to_a_device_where_a_feed_goes_is_refused_at_once() {
    let test = Test::new();
    test.build().success();
    let rss = test.out().join("rss.xml");
    fs::remove_file(&rss).unwrap();
    let made = Command::new("mkfifo").arg(&rss).status().unwrap();
    assert!(made.success());
    let (ok, stderr) = finish(spawn_build(&test));
    assert!(!ok);
    assert!(
        stderr.contains("out/rss.xml: is a FIFO, socket or device, not a regular file"),
        "{stderr}"
    );

    fs::remove_file(&rss).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &rss).unwrap();
    let (ok, stderr) = finish(spawn_build(&test));
    assert!(!ok);
    assert!(
        stderr.contains("out/rss.xml: is a symbolic link"),
        "{stderr}"
    );
    assert!(Path::new("/dev/zero").exists());
}
