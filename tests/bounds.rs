//! Bounded work and memory on any input within the size limits: one pass
//! for a feed check's lines and columns, a summary past ten removed
//! characters, caps on raw HTML tags, and fuel for templates.
//!
//! These builds took minutes, hours or gigabytes before; the time limits
//! below are generous last guards (each test takes a second or two), not
//! measurements.

use std::fs;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{article, Test};

/// Runs `child` to the end, killing it at a generous deadline; gives its
/// exit success, stderr and stdout.
fn finish(mut child: Child, deadline: Duration) -> (bool, String, String) {
    let started = Instant::now();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut out, &mut text).unwrap();
        text
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut err, &mut text).unwrap();
        text
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (
                status.success(),
                stderr.join().unwrap(),
                stdout.join().unwrap(),
            );
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn(test: &Test, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_make-feed"))
        .args(args)
        .current_dir(test.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_feed_check_with_twenty_thousand_findings_deep_in_a_16_mb_file_is_one_pass() {
    let test = Test::empty();
    let padding = "x".repeat(16 << 20);
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>t</title><link>https://example.org/</link><description>d</description>\
         <item><title>pad</title><guid isPermaLink=\"false\">urn:pad</guid><description>{padding}</description></item>\n"
    );
    for n in 0..20_000 {
        feed.push_str(&format!(
            "<item><title>{n}</title><guid isPermaLink=\"false\">urn:{n}</guid>\
             <description>&lt;a href=\"rel/{n}.html\"&gt;x&lt;/a&gt;</description></item>\n"
        ));
    }
    feed.push_str("</channel></rss>\n");
    fs::write(test.dir.path().join("big.xml"), feed).unwrap();
    let (_, _, stdout) = finish(
        spawn(&test, &["check", "big.xml"]),
        Duration::from_secs(120),
    );
    let relative = stdout
        .lines()
        .filter(|line| line.contains("relative URL"))
        .count();
    assert_eq!(relative, 20_000, "{}", &stdout[..stdout.len().min(2000)]);
    // Lines and columns are still right: the last item is on line 20,002.
    assert!(
        stdout.contains("big.xml:20002:69: warning: relative URL \"rel/19999.html\""),
        "{}",
        &stdout[stdout.len().saturating_sub(2000)..]
    );
}

#[test]
fn a_16_mb_article_with_20000_forbidden_characters_builds_with_eleven_warnings() {
    let line = format!("{}\u{1}\n", "text ".repeat(160));
    let body = line.repeat(20_000);
    assert!(body.len() > 16_000_000, "{}", body.len());
    let test = Test::new().file(
        "articles/big.md",
        &format!("+++\ntitle = \"Big\"\npublished = 2022-06-02 10:00:00\n+++\n\n{body}"),
    );
    let (ok, stderr, _) = finish(
        spawn(&test, &["build", "--data", "data", "--out", "out"]),
        Duration::from_secs(300),
    );
    assert!(ok, "{stderr}");
    let removed: Vec<&str> = stderr.lines().filter(|l| l.contains("removed")).collect();
    assert_eq!(removed.len(), 11, "{removed:?}");
    assert!(removed[10].contains(
        "data/articles/big.md:16: removed characters XML does not allow 19990 more times, from this line on"
    ));
}

/// The peak memory (resident set, in bytes) of the finished child `pid`.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn peak_memory(child: Child) -> (i32, u64) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for; both pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    (status, usage.ru_maxrss as u64 * 1024)
}

#[cfg(target_os = "linux")]
#[test]
fn eight_mb_of_forbidden_characters_build_in_little_memory() {
    let body = "\u{1}".repeat(8 << 20);
    let test = Test::new().file(
        "articles/controls.md",
        &format!("+++\ntitle = \"Controls\"\npublished = 2022-06-02 10:00:00\n+++\n\nx{body}\n"),
    );
    let child = Command::new(env!("CARGO_BIN_EXE_make-feed"))
        .args(["build", "--data", "data", "--out", "out"])
        .current_dir(test.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (status, peak) = peak_memory(child);
    assert_eq!(status, 0, "the build failed");
    assert!(peak < 200 << 20, "peak memory {} MB", peak >> 20);
}

#[test]
fn a_tag_with_200000_attributes_is_refused_at_once_naming_its_line() {
    let attributes = "a ".repeat(200_000);
    let test = Test::new().file(
        "articles/tag.md",
        &format!(
            "+++\ntitle = \"Tag\"\npublished = 2022-06-02 10:00:00\n+++\n\nText.\n\n<p {attributes}>x</p>\n"
        ),
    );
    let (ok, stderr, _) = finish(
        spawn(&test, &["build", "--data", "data", "--out", "out"]),
        Duration::from_secs(120),
    );
    assert!(!ok);
    assert!(
        stderr.contains("data/articles/tag.md:8: a raw HTML tag in the body is longer than 64 KB or has more than 1000 attributes"),
        "{stderr}"
    );
    // An ordinary tag with a few attributes is fine.
    let test = Test::new().file(
        "articles/tag.md",
        "+++\ntitle = \"Tag\"\npublished = 2022-06-02 10:00:00\n+++\n\n<p class=\"a\" title=\"b\">x</p>\n",
    );
    test.build().success();
}

#[test]
fn a_template_that_loops_for_ever_stops_with_an_error_naming_it() {
    let mut test = Test::new().file(
        "templates/page.html",
        "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}\n",
    );
    for n in 0..200 {
        test = test.file(
            &format!("articles/a{n}.md"),
            &article(&format!("A{n}"), "2022-06-02 10:00:00"),
        );
    }
    let (ok, stderr, _) = finish(
        spawn(&test, &["build", "--data", "data", "--out", "out"]),
        Duration::from_secs(300),
    );
    assert!(!ok);
    assert!(
        stderr.contains("data/templates/page.html:1: template error:"),
        "{stderr}"
    );
    assert!(stderr.contains("look for loops in loops"), "{stderr}");
}
