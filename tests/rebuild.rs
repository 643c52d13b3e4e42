//! Rebuilds through the build index (`.make-feed-index`): what a rebuild
//! takes from it must be what reading the files would give, whatever
//! happened to the files or to the index since.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::common::{article, Test};

const INDEX: &str = ".make-feed-index";

/// A site of three articles, built once.
fn built() -> Test {
    let test = Test::new()
        .file(
            "articles/second.md",
            &article("Second", "2022-06-02 10:00:00"),
        )
        .file(
            "articles/third.md",
            &article("Third", "2022-06-03 10:00:00"),
        );
    test.build().success();
    assert!(test.out().join(INDEX).is_file(), "the build left an index");
    test
}

/// Sets the file at `path`'s modification time to `time`, as `touch -d`
/// (or an editor that keeps it) does.
fn set_modified(path: &std::path::Path, time: SystemTime) {
    fs::File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// The outputs a first build of the same data gives, in a fresh folder.
fn fresh_build(test: &Test) -> std::collections::BTreeMap<String, Vec<u8>> {
    let fresh = Test::empty();
    crate::common::copy_tree(&test.data(), &fresh.data());
    fresh.build().success();
    fresh.out_files()
}

#[test]
fn a_rebuild_with_nothing_changed_writes_nothing_and_keeps_the_index() {
    let test = built();
    let before = test.out_files();
    test.build()
        .success()
        .stderr_contains("0 files written")
        .stderr_contains("3 of 3 article files unchanged since the last build");
    // The first rebuild may have written the index again (a file renamed
    // into place in the clock tick the index was written is read, not
    // taken); now the index would say the same: it stays.
    let index = test.out().join(INDEX);
    let recorded = (
        fs::read(&index).unwrap(),
        fs::metadata(&index).unwrap().modified().unwrap(),
    );
    test.build().success().stderr_contains("0 files written");
    assert_eq!(test.out_files(), before);
    let now = (
        fs::read(&index).unwrap(),
        fs::metadata(&index).unwrap().modified().unwrap(),
    );
    assert!(now == recorded, "the index was written again");
}

#[test]
fn the_same_folders_named_another_way_keep_the_index() {
    let test = built();
    let data = test.data();
    for spelling in ["./data", "data/", data.to_str().unwrap()] {
        test.run(&["build", "--data", spelling, "--out", "out"])
            .success()
            .stderr_contains("0 files written")
            .stderr_contains("3 of 3 article files unchanged since the last build");
    }
}

#[test]
fn an_edit_that_keeps_the_size_and_the_modification_time_is_seen() {
    let test = built();
    let path = test.data().join("articles/second.md");
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    // The same length, another title, and the old modification time put
    // back: only the inode's change time tells.
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("Second", "Sekond");
    fs::write(&path, text).unwrap();
    set_modified(&path, modified);
    test.build()
        .success()
        .stderr_contains("2 of 3 article files unchanged");
    assert!(test.read_out("articles/second.html").contains("Sekond"));
    assert!(test.read_out("archive/index.html").contains("Sekond"));
    assert!(!test.read_out("articles/first.html").contains("Second"));
    assert_eq!(test.out_files(), fresh_build(&test));
}

#[test]
fn a_new_title_reaches_the_lists_and_the_neighbours_pages() {
    let test = built();
    let test = test.file(
        "articles/second.md",
        &article("Second, renamed", "2022-06-02 10:00:00"),
    );
    test.build().success();
    for page in [
        "archive/index.html",
        "articles/first.html",
        "articles/third.html",
    ] {
        assert!(
            test.read_out(page).contains("Second, renamed"),
            "{page} shows the old title"
        );
    }
    assert_eq!(test.out_files(), fresh_build(&test));
}

#[test]
fn a_damaged_missing_or_foreign_index_means_a_full_build_never_a_wrong_one() {
    let test = built();
    let index = test.out().join(INDEX);
    let good = fs::read(&index).unwrap();
    let edit = |test: Test, title: &str| {
        let test = test.file("articles/first.md", &article(title, "2022-06-01 17:52:50"));
        test.build().success();
        assert!(test.read_out("articles/first.html").contains(title));
        assert_eq!(test.out_files(), fresh_build(&test));
        test
    };
    // Every byte flipped in turn would take long; a few across the file.
    let mut test = test;
    for at in [0, good.len() / 3, good.len() / 2, good.len() - 1] {
        let mut damaged = good.clone();
        damaged[at] ^= 0x20;
        fs::write(&index, &damaged).unwrap();
        test = edit(test, &format!("First, damaged at {at}"));
    }
    fs::write(&index, &good[..good.len() / 2]).unwrap();
    let test = edit(test, "First, cut short");
    fs::remove_file(&index).unwrap();
    let test = edit(test, "First, no index");
    fs::remove_file(&index).unwrap();
    fs::create_dir(&index).unwrap();
    let test = edit(test, "First, a folder where the index goes");
    assert!(index.is_dir(), "what make-feed did not write is left alone");
    // An index of another data folder's build.
    fs::remove_dir(&index).unwrap();
    let other = built();
    fs::copy(other.out().join(INDEX), &index).unwrap();
    edit(test, "First, another site's index");
}

#[test]
fn an_output_changed_by_hand_is_written_again() {
    // Right after the build that renamed them into place (the index holds
    // them as pending their change time), and once a build has found them
    // unchanged.
    let test = built();
    change_outputs_by_hand(&test);
    change_outputs_by_hand(&test);
}

fn change_outputs_by_hand(test: &Test) {
    let before = test.out_files();
    fs::remove_file(test.out().join("articles/first.html")).unwrap();
    fs::write(test.out().join("archive/index.html"), "changed by hand").unwrap();
    fs::write(test.out().join("atom.xml"), "changed by hand").unwrap();
    fs::remove_file(test.out().join("feed.json")).unwrap();
    // The same length and time as before, written by hand: a new inode.
    let page = test.out().join("articles/third.html");
    let modified = fs::metadata(&page).unwrap().modified().unwrap();
    let same_length = "x".repeat(before["articles/third.html"].len());
    fs::remove_file(&page).unwrap();
    fs::write(&page, same_length).unwrap();
    set_modified(&page, modified);
    test.build().success();
    assert_eq!(test.out_files(), before);
}

#[test]
fn a_kept_feed_changes_with_its_articles_and_only_then() {
    let config = format!("{}pages = false\n", crate::common::FEED_TOML);
    let test = built().file("feed.toml", &config);
    test.build().success();
    let before = test.out_files();
    test.build()
        .success()
        .stderr_contains("0 files written")
        .stderr_contains("3 of 3 article files unchanged");
    assert_eq!(test.out_files(), before);

    let path = test.data().join("articles/second.md");
    fs::write(&path, article("Second, edited", "2022-06-02 10:00:00")).unwrap();
    test.build().success().stderr_contains("3 files written");
    for feed in ["rss.xml", "atom.xml", "feed.json"] {
        assert!(test.read_out(feed).contains("Second, edited"), "{feed}");
    }
    assert_eq!(test.out_files(), fresh_build(&test));
}

#[test]
fn an_article_edited_long_after_still_changes_its_page() {
    // An editor that keeps the file's times (rsync -t, a checkout) cannot
    // keep its change time; a clock set back can.
    let test = built();
    let path = test.data().join("articles/third.md");
    fs::write(&path, article("Third, edited", "2022-06-03 10:00:00")).unwrap();
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    set_modified(&path, long_ago);
    test.build().success();
    assert!(test
        .read_out("articles/third.html")
        .contains("Third, edited"));
    assert_eq!(test.out_files(), fresh_build(&test));
}
