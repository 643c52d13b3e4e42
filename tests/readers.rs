//! Real feed readers, reading the bundled feeds from a real web server
//! (nginx on 127.0.0.1), show the sample article at the right instant with
//! its full text; a real browser (headless Chromium) shows its page and the
//! index.
//!
//! Needs nginx, newsboat, sfeed, curl, sqlite3, chromium and Debian's
//! python3-feedparser; `.ci/run` installs them. A missing tool fails the
//! test: a reader test that passes without its reader proves nothing. To
//! skip them on purpose, set `MAKE_FEED_SKIP_READERS=1` (each skip is
//! noted; under `CI` a missing tool fails all the same).

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::sample::*;
use crate::common::Test;

const FEEDS: [&str; 2] = ["rss.xml", "atom.xml"];

/// True when every tool is installed. Otherwise fails, unless skipping was
/// asked for with `MAKE_FEED_SKIP_READERS` (and `CI` is unset): then false.
pub(crate) fn have(tools: &[&str]) -> bool {
    let missing: Vec<&&str> = tools.iter().filter(|tool| which(tool).is_none()).collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!("missing {missing:?}: run .ci/run (it installs them) to run this test");
    may_skip(&message)
}

/// Whether a test whose tools are missing may be skipped: only on request,
/// and never under CI. Fails with `message` otherwise.
pub(crate) fn may_skip(message: &str) -> bool {
    let asked = std::env::var_os("MAKE_FEED_SKIP_READERS").is_some_and(|v| !v.is_empty());
    if !asked || std::env::var_os("CI").is_some() {
        panic!("{message} (or set MAKE_FEED_SKIP_READERS=1 to skip the reader tests)");
    }
    eprintln!("skipped: {message}");
    false
}

/// True when `path` (something `.ci/run` installs) exists; otherwise as
/// [`may_skip`] says, with `install` named as the way to get it.
pub(crate) fn installed(path: &Path, install: &str) -> bool {
    path.exists()
        || may_skip(&format!(
            "{} is missing: run {install} to run this test",
            path.display()
        ))
}

/// Debian's python3-feedparser, for the system Python (not a virtualenv's).
fn have_feedparser() -> bool {
    let found = Command::new("/usr/bin/python3")
        .args(["-c", "import feedparser"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    found || have(&["python3-feedparser"])
}

pub(crate) fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

/// nginx serving a build of the bundled `feed-data/`, with the feed types and
/// `charset=utf-8` as the README tells site owners to configure it.
pub(crate) struct Server {
    child: Child,
    port: u16,
    _test: Test,
}

impl Server {
    fn start() -> Server {
        Server::serving(Test::bundled())
    }

    /// nginx serving a build of `test`'s data folder.
    pub(crate) fn serving(test: Test) -> Server {
        test.build().success();
        Server::serving_folder(test, "out")
    }

    /// nginx serving the folder `folder` of `test`'s workspace as it is.
    pub(crate) fn serving_folder(test: Test, folder: &str) -> Server {
        let root = test.dir.path();
        // nginx's workers may run as another user.
        make_readable(root);
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = root.display();
        let config = format!(
            "daemon off;\nworker_processes 1;\npid {dir}/nginx.pid;\nerror_log {dir}/nginx-error.log;\n\
             events {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {dir}/nginx-body;\n\
             proxy_temp_path {dir}/nginx-proxy;\n  fastcgi_temp_path {dir}/nginx-fastcgi;\n\
             uwsgi_temp_path {dir}/nginx-uwsgi;\n  scgi_temp_path {dir}/nginx-scgi;\n\
             include /etc/nginx/mime.types;\n{}\n  server {{\n    listen 127.0.0.1:{port};\n\
             root {dir}/{folder};\n{}\n  }}\n}}\n",
            include_str!("fixtures/nginx-http.conf"),
            include_str!("fixtures/nginx-server.conf"),
        );
        fs::write(root.join("nginx.conf"), config).unwrap();
        let child = Command::new(which("nginx").unwrap())
            .args(["-p", &dir.to_string(), "-c", &format!("{dir}/nginx.conf")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Server {
            child,
            port,
            _test: test,
        }
    }

    pub(crate) fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }

    pub(crate) fn dir(&self) -> &Path {
        self._test.dir.path()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A graceful stop: killing only the master would orphan its workers.
        let dir = self.dir().display().to_string();
        let stopped = Command::new(which("nginx").unwrap())
            .args(["-p", &dir, "-c", &format!("{dir}/nginx.conf"), "-s", "stop"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !stopped {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn make_readable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(path) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode)).unwrap();
    }
}

pub(crate) fn output(command: &mut Command) -> String {
    let output = command.output().expect("run reader");
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn nginx_serves_the_feeds_with_their_types_and_charset() {
    if !have(&["nginx", "curl"]) {
        return;
    }
    let server = Server::start();
    for (name, mime) in [
        ("rss.xml", "application/rss+xml"),
        ("atom.xml", "application/atom+xml"),
        ("feed.json", "application/feed+json"),
        (
            "categories/%E6%89%BF%E5%BE%B7/rss.xml",
            "application/rss+xml",
        ),
        (
            "categories/%E6%89%BF%E5%BE%B7/atom.xml",
            "application/atom+xml",
        ),
        (
            "categories/%E6%89%BF%E5%BE%B7/feed.json",
            "application/feed+json",
        ),
        ("index.html", "text/html"),
        ("", "text/html"),
        ("style.css", "text/css"),
    ] {
        let headers = output(Command::new("curl").args(["-sSI", &server.url(name)]));
        let expected = format!("content-type: {mime}; charset=utf-8");
        assert!(
            headers.to_lowercase().contains(&expected),
            "{name}: {headers}"
        );
    }
}

#[test]
fn feedparser_shows_the_whole_article_at_the_right_instant() {
    if !have(&["nginx"]) || !have_feedparser() {
        return;
    }
    let server = Server::start();
    let script = r#"
import calendar, json, sys, feedparser
d = feedparser.parse(sys.argv[1])
e = d.entries[0]
print(json.dumps({
    "bozo": bool(d.bozo), "version": d.version, "count": len(d.entries),
    "title": e.title, "id": e.id, "link": e.link, "time": calendar.timegm(e.published_parsed),
    "author": e.author, "tags": [t.term for t in e.tags], "summary": e.summary,
    "content": e.content[0].value,
}))
"#;
    // Debian's feedparser (6.0) does not read JSON Feed; feed-rs does, in roundtrip.rs.
    for name in FEEDS {
        let printed =
            output(Command::new("/usr/bin/python3").args(["-c", script, &server.url(name)]));
        let e: serde_json::Value = serde_json::from_str(&printed).unwrap();
        assert_eq!(e["bozo"], false, "{name}: feedparser found a problem");
        assert_eq!(e["count"], 1, "{name}");
        assert_eq!(e["title"], TITLE, "{name}");
        assert_eq!(e["id"], ID, "{name}");
        assert_eq!(e["link"], LINK, "{name}");
        assert_eq!(e["time"], UNIX_TIME, "{name}");
        assert_eq!(e["author"], "吴树玲", "{name}");
        assert_eq!(e["tags"], serde_json::json!(CATEGORIES), "{name}");
        assert!(
            e["summary"]
                .as_str()
                .unwrap()
                .starts_with("河北共产党员网讯"),
            "{name}"
        );
        check_body(e["content"].as_str().unwrap());
    }
}

#[test]
fn sfeed_shows_the_whole_article_at_the_right_instant() {
    if !have(&["nginx", "curl", "sfeed"]) {
        return;
    }
    let server = Server::start();
    for name in FEEDS {
        let tsv = sfeed_tsv(&server.url(name));
        let lines: Vec<&str> = tsv.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: one item");
        // timestamp, title, link, content, content-type, id, author, enclosure, category
        let fields: Vec<&str> = lines[0].split('\t').collect();
        assert_eq!(fields[0], UNIX_TIME.to_string(), "{name}");
        assert_eq!(fields[1], TITLE, "{name}");
        assert_eq!(fields[2], LINK, "{name}");
        assert_eq!(fields[4], "html", "{name}");
        assert_eq!(fields[5], ID, "{name}");
        assert_eq!(fields[6], "吴树玲", "{name}");
        assert_eq!(fields[8], CATEGORIES.join("|"), "{name}");
        check_body(&unescape_sfeed(fields[3]));
    }
}

/// What sfeed prints for the feed at `url`: a line per item, its fields
/// separated by tabs.
pub(crate) fn sfeed_tsv(url: &str) -> String {
    let xml = output(Command::new("curl").args(["-sSf", url]));
    let mut sfeed = Command::new("sfeed")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    sfeed
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    String::from_utf8(sfeed.wait_with_output().unwrap().stdout).unwrap()
}

/// The HTTP status nginx answers for `url`.
fn status_of(url: &str) -> String {
    output(Command::new("curl").args(["-sS", "-o", "/dev/null", "-w", "%{http_code}", url]))
}

/// sfeed writes newlines, tabs and backslashes in content as `\n`, `\t`, `\\`.
pub(crate) fn unescape_sfeed(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[test]
fn newsboat_shows_the_whole_article_at_the_right_instant() {
    if !have(&["nginx", "newsboat", "sqlite3"]) {
        return;
    }
    let server = Server::start();
    for name in FEEDS {
        // Newsboat keeps one item per guid across feeds: a cache per feed.
        let home = server.dir().join(format!("newsboat-{name}"));
        fs::create_dir_all(&home).unwrap();
        fs::write(home.join("urls"), format!("{}\n", server.url(name))).unwrap();
        fs::write(home.join("config"), "").unwrap();
        let cache = home.join("cache.db");
        output(
            Command::new("newsboat")
                .args([
                    "-x", "reload", "-u", "urls", "-c", "cache.db", "-C", "config",
                ])
                .current_dir(&home)
                .env("HOME", &home),
        );
        let rows = output(Command::new("sqlite3").args([
            "-separator",
            "\u{1f}",
            cache.to_str().unwrap(),
            "select title, pubDate, author, url, guid, content from rss_item",
        ]));
        let fields: Vec<&str> = rows.trim_end_matches('\n').split('\u{1f}').collect();
        assert_eq!(fields.len(), 6, "{name}: one item: {rows}");
        assert_eq!(fields[0], TITLE, "{name}");
        assert_eq!(fields[1], UNIX_TIME.to_string(), "{name}");
        assert_eq!(fields[2], "吴树玲", "{name}");
        assert_eq!(fields[3], LINK, "{name}");
        assert_eq!(fields[4], ID, "{name}");
        check_body(fields[5]);
    }
}

/// The DOM of `url` after Chromium has loaded it (scripts run, styles
/// applied), serialised. Every host but 127.0.0.1 fails to resolve, so the
/// page's absolute links to the production site cost nothing.
fn chromium_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    output(Command::new(which("chromium").unwrap()).args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-extensions",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        &format!("--user-data-dir={}", profile.path().display()),
        "--dump-dom",
        url,
    ]))
}

fn attributes(dom: &scraper::Html, selector: &str, attribute: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    dom.select(&selector)
        .map(|e| e.attr(attribute).unwrap_or_default().to_string())
        .collect()
}

fn texts(dom: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    dom.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The site's main feeds, then each category's, as autodiscovery lists them.
fn feed_urls(categories: &[&str]) -> Vec<String> {
    let mut places = vec![String::new()];
    places.extend(categories.iter().map(|name| {
        let encoded: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
        format!("categories/{encoded}/")
    }));
    places
        .iter()
        .flat_map(|place| {
            ["rss.xml", "atom.xml", "feed.json"]
                .map(|file| format!("https://feeds.example.org/{place}{file}"))
        })
        .collect()
}

#[test]
fn chromium_shows_the_whole_article_page() {
    if !have(&["nginx", "chromium"]) {
        return;
    }
    let server = Server::start();
    let dom = chromium_dom(&server.url("articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html"));
    let dom = scraper::Html::parse_document(&dom);

    assert_eq!(attributes(&dom, "html", "lang"), ["zh-CN"]);
    assert_eq!(
        texts(&dom, "title"),
        [format!("{TITLE} · 河北共产党员网 · 承德频道")]
    );
    assert_eq!(texts(&dom, "article h1"), [TITLE]);
    assert_eq!(attributes(&dom, "link[rel=canonical]", "href"), [LINK]);
    // Every paragraph, heading and caption; the source and editor credits
    // are in the byline rather than around the body.
    let expected = expected_blocks();
    pretty_assertions::assert_eq!(
        texts(
            &dom,
            "article .body p, article .body h2, article .body figcaption"
        ),
        expected[1..expected.len() - 1]
    );
    assert_eq!(
        attributes(&dom, "article .body figure > img", "src"),
        PHOTOS.map(|id| format!("https://feeds.example.org/articles/images/{id}.jpg"))
    );
    assert_eq!(
        texts(&dom, "article .byline > *"),
        [
            "2022-06-01 17:52 UTC+08:00",
            "来源:河北共产党员网",
            "作者:吴树玲",
            "编辑:王强"
        ]
    );
    assert_eq!(
        attributes(&dom, "article .byline time", "datetime"),
        ["2022-06-01T17:52:50+08:00"]
    );
    assert_eq!(
        attributes(&dom, "link[rel=alternate]", "href"),
        feed_urls(&CATEGORIES)
    );
    assert_eq!(
        attributes(&dom, "link[rel=alternate]", "type")[..3],
        [
            "application/rss+xml",
            "application/atom+xml",
            "application/feed+json"
        ]
    );
    // The stylesheet and the way home are relative, so they work anywhere.
    assert_eq!(
        attributes(&dom, "link[rel=stylesheet]", "href"),
        ["../style.css"]
    );
    assert_eq!(attributes(&dom, "header.site a", "href"), ["../index.html"]);
}

#[test]
fn chromium_shows_the_index_with_its_feeds() {
    if !have(&["nginx", "chromium"]) {
        return;
    }
    let server = Server::start();
    let dom = scraper::Html::parse_document(&chromium_dom(&server.url("")));

    assert_eq!(texts(&dom, "main h1"), ["河北共产党员网 · 承德频道"]);
    assert_eq!(
        texts(&dom, "main .description"),
        ["河北共产党员网承德频道:承德地方党建新闻。承德频道新闻热线:13831489999"]
    );
    assert_eq!(texts(&dom, ".entries h3 a"), [TITLE]);
    assert_eq!(
        attributes(&dom, ".entries h3 a", "href"),
        ["articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html"]
    );
    assert_eq!(texts(&dom, ".entries time"), ["2022-06-01 17:52 UTC+08:00"]);
    assert_eq!(
        attributes(&dom, "link[rel=alternate]", "href"),
        feed_urls(&[])
    );
    // Visible subscribe links: the site's three feeds, then each category's
    // (sorted by folder name, as on disk).
    let (pages, visible): (Vec<String>, Vec<String>) = attributes(&dom, ".subscribe a", "href")
        .into_iter()
        .partition(|href| href.ends_with("/index.html"));
    // Each category's name leads to its page.
    assert_eq!(pages.len(), CATEGORIES.len());
    for page in &pages {
        assert_eq!(status_of(&server.url(page)), "200", "{page}");
    }
    assert_eq!(visible[..3], ["rss.xml", "atom.xml", "feed.json"]);
    assert_eq!(visible.len(), 3 + 3 * CATEGORIES.len());
    for category in CATEGORIES {
        let encoded: String = category.bytes().map(|b| format!("%{b:02X}")).collect();
        for file in ["rss.xml", "atom.xml", "feed.json"] {
            let href = format!("categories/{encoded}/{file}");
            assert!(visible.contains(&href), "no visible link to {href}");
            assert_eq!(status_of(&server.url(&href)), "200", "{href}");
        }
    }
}
