//! `make-feed check`: a corpus of feed files under tests/check/, each
//! broken in one way (its name, up to `--`, is the rule it breaks) or valid
//! (`valid-*`), and the command's output, exit status and JSON format.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::common::{repo_root, Test};
use make_feed::check::{check, Context, Rule, Severity};

const NOW: &str = "2026-01-01T00:00:00Z";

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(repo_root().join("tests/check"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn expected_rule(file: &std::path::Path) -> Option<String> {
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let rule = stem.split("--").next().unwrap();
    (!rule.starts_with("valid")).then(|| rule.to_string())
}

fn context() -> Context {
    Context {
        now: NOW.parse().unwrap(),
        url: None,
    }
}

#[test]
fn every_file_of_the_corpus_has_exactly_its_findings() {
    let files = corpus();
    assert!(files.len() >= 60, "{} files", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let findings = check(&fs::read(file).unwrap(), &context());
        let found: BTreeSet<&str> = findings.iter().map(|f| f.rule.id()).collect();
        let rule = expected_rule(file);
        let expected: BTreeSet<&str> = rule.iter().map(String::as_str).collect();
        if found != expected {
            failures.push(format!(
                "{}: expected {expected:?}, found {findings:#?}",
                file.display()
            ));
        }
        for finding in &findings {
            assert!(
                finding.line >= 1 && finding.column >= 1,
                "{}: {finding:?}",
                file.display()
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_file_in_the_corpus() {
    let covered: BTreeSet<String> = corpus().iter().filter_map(|f| expected_rule(f)).collect();
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|rule| rule.id())
        .filter(|rule| !covered.contains(*rule) && *rule != "self-link-mismatch")
        .collect();
    assert!(missing.is_empty(), "rules without a test file: {missing:?}");
    for rule in &covered {
        assert!(
            Rule::ALL.iter().any(|r| r.id() == rule),
            "{rule} is not a rule"
        );
    }
}

#[test]
fn findings_point_at_the_offending_line() {
    let at = |name: &str| {
        let findings = check(
            &fs::read(repo_root().join("tests/check").join(name)).unwrap(),
            &context(),
        );
        (findings[0].line, findings[0].column, findings[0].severity)
    };
    assert_eq!(at("rss-date-day-of-week.xml"), (13, 7, Severity::Error));
    assert_eq!(at("rss-date-year.xml"), (13, 7, Severity::Warning));
    assert_eq!(at("atom-id.xml"), (11, 5, Severity::Error));
    assert_eq!(at("xml-illegal-character.xml").0, 10);
    assert_eq!(at("json-type--id.json").0, 17);
    assert_eq!(at("json-not-well-formed.json").0, 13);
}

fn make_feed(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_make-feed"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn the_command_prints_file_line_column_severity_message_and_rule() {
    let (status, out) = make_feed(&[
        "check",
        "--now",
        NOW,
        "tests/check/rss-date-day-of-week.xml",
        "tests/check/valid-atom.xml",
    ]);
    assert_eq!(status, Some(1));
    assert_eq!(
        out,
        "tests/check/rss-date-day-of-week.xml:13:7: error: <pubDate> \"Tue, 01 Jun 2022 17:52:50 +0800\" says Tue, \
         but that date is a Wed [rss-date-day-of-week]\n"
    );
}

#[test]
fn warnings_fail_only_with_strict() {
    let file = "tests/check/rss-date-year.xml";
    assert_eq!(make_feed(&["check", "--now", NOW, file]).0, Some(0));
    assert_eq!(
        make_feed(&["check", "--now", NOW, "--strict", file]).0,
        Some(1)
    );
    assert_eq!(
        make_feed(&["check", "--now", NOW, "tests/check/valid-rss.xml"]),
        (Some(0), String::new())
    );
}

#[test]
fn json_output_is_for_machines() {
    let (status, out) = make_feed(&[
        "check",
        "--now",
        NOW,
        "--format",
        "json",
        "tests/check/json-date.json",
    ]);
    assert_eq!(status, Some(1));
    let findings: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(findings[0]["rule"], "json-date");
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(findings[0]["file"], "tests/check/json-date.json");
    assert!(findings[0]["line"].as_u64().unwrap() > 1);
}

#[test]
fn a_self_link_elsewhere_than_the_given_url_is_flagged() {
    let (status, out) = make_feed(&[
        "check",
        "--now",
        NOW,
        "--url",
        "https://example.org/feeds/rss.xml",
        "tests/check/valid-rss.xml",
    ]);
    assert_eq!(status, Some(0));
    assert!(out.contains("[self-link-mismatch]"), "{out}");
}

/// Every XML and JSON file a build wrote, checked with --strict.
fn check_everything_written(test: &Test) -> (Option<i32>, String) {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(test.out()) {
        let entry = entry.unwrap();
        if entry
            .path()
            .extension()
            .is_some_and(|e| e == "xml" || e == "json")
        {
            files.push(entry.path().to_str().unwrap().to_string());
        }
    }
    assert!(files.len() >= 2);
    let mut args = vec!["check", "--strict", "--now", NOW];
    args.extend(files.iter().map(String::as_str));
    make_feed(&args)
}

#[test]
fn the_bundled_feeds_have_no_findings() {
    let test = Test::bundled();
    test.build().success();
    assert_eq!(check_everything_written(&test), (Some(0), String::new()));
}

#[test]
fn html_shown_as_code_in_an_article_draws_no_finding() {
    let test = Test::new().file(
        "articles/code.md",
        "+++\ntitle = \"Images in HTML\"\npublished = 2022-06-02 10:00:00\n+++\n\n\
         Use `<img src=\"photo.jpg\">` or `<a href=\"page.html\">`.\n\n\
         ```html\n<img src=\"photo.jpg\" alt=\"\">\n<a href=\"../x.html\">x</a>\n```\n\n\
         \tsrc=\"indented.jpg\"\n",
    );
    test.build().success();
    assert_eq!(check_everything_written(&test), (Some(0), String::new()));
}

#[test]
fn github_format_annotates_the_line() {
    let (status, out) = make_feed(&[
        "check",
        "--now",
        NOW,
        "--format",
        "github",
        "tests/check/rss-date-day-of-week.xml",
    ]);
    assert_eq!(status, Some(1));
    assert_eq!(
        out,
        "::error file=tests/check/rss-date-day-of-week.xml,line=13,col=7,title=rss-date-day-of-week::\
         <pubDate> \"Tue, 01 Jun 2022 17:52:50 +0800\" says Tue, but that date is a Wed\n"
    );
}

#[test]
fn max_findings_bounds_the_output_not_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    fs::write(&path, r#"<rss version="1.0"><channel/></rss>"#).unwrap();
    let file = path.to_str().unwrap();
    let (_, all) = make_feed(&["check", "--now", NOW, file]);
    assert!(all.lines().count() >= 3, "{all}");
    let (status, out) = make_feed(&["check", "--now", NOW, "--max-findings", "1", file]);
    assert_eq!((status, out.lines().count()), (Some(1), 1));
}

#[cfg(unix)]
#[test]
fn a_fifo_or_device_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("feed.xml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for file in [fifo.to_str().unwrap(), "/dev/zero"] {
        let output = Command::new(env!("CARGO_BIN_EXE_make-feed"))
            .args(["check", file])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("is not a regular file"), "{stderr}");
    }
}
