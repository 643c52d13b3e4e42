//! `make-feed new`: a new article file that builds as it is.

use std::fs;

use crate::common::Test;

#[test]
fn a_new_article_has_its_front_matter_and_builds() {
    let test = Test::new();
    let run = test
        .run(&[
            "new",
            "Hello, \"World\"!",
            "--data",
            "data",
            "--now",
            "2022-06-01T09:52:50Z",
        ])
        .success();
    assert_eq!(run.stdout, "data/articles/hello-world.md\n");
    let text = fs::read_to_string(test.data().join("articles/hello-world.md")).unwrap();
    assert!(
        text.starts_with(
            "+++\ntitle = 'Hello, \"World\"!'\npublished = 2022-06-01T17:52:50+08:00\n+++\n"
        ),
        "{text}"
    );
    test.build().success();
    let channel = rss::Channel::read_from(test.read_out("rss.xml").as_bytes()).unwrap();
    let item = channel
        .items()
        .iter()
        .find(|i| i.title() == Some("Hello, \"World\"!"))
        .unwrap();
    assert_eq!(item.pub_date(), Some("Wed, 01 Jun 2022 17:52:50 +0800"));
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let test = Test::new();
    let before = fs::read_to_string(test.data().join("articles/first.md")).unwrap();
    test.run(&[
        "new",
        "First",
        "--data",
        "data",
        "--now",
        "2022-06-01T09:52:50Z",
    ])
    .failure()
    .stderr_contains("data/articles/first.md: already exists; nothing was written")
    .stderr_contains("--slug");
    assert_eq!(
        fs::read_to_string(test.data().join("articles/first.md")).unwrap(),
        before
    );
    test.run(&[
        "new",
        "First",
        "--slug",
        "first-again",
        "--data",
        "data",
        "--now",
        "2022-06-01T09:52:50Z",
    ])
    .success();
    assert!(test.data().join("articles/first-again.md").is_file());
}

#[test]
fn a_slug_that_would_leave_the_articles_folder_is_refused() {
    let test = Test::new();
    test.run(&["new", "x", "--slug", "../escaped", "--data", "data"])
        .failure()
        .stderr_contains("the slug \"../escaped\" starts with a dot");
    assert!(!test.data().join("escaped.md").exists());
}
