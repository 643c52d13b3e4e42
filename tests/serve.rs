//! `make-feed serve`: real HTTP requests to the real binary on 127.0.0.1,
//! for the media types, the validators and `304`, what is never served, and
//! the rebuild after an edit (or the previous feeds after a broken one).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::Test;

/// How long a rebuild may take to show, on a loaded 2-core machine.
const PATIENCE: Duration = Duration::from_secs(20);

/// `make-feed serve` on a free port, killed when dropped.
struct Server {
    child: Child,
    base: String,
    stderr: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

impl Server {
    fn start(test: &Test) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_make-feed"))
            .args(["serve", "--data", "data", "--out", "out", "--port", "0"])
            .current_dir(test.dir.path())
            .env("TZ", "America/New_York")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run make-feed serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut chunk = [0; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (sender, first_line) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        // The child is killed on drop from here on, whatever fails.
        let mut server = Server {
            child,
            base: String::new(),
            stderr,
            agent,
        };
        let line = first_line
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_default();
        let base = line
            .trim_end()
            .strip_prefix("Serving out at ")
            .unwrap_or_else(|| {
                panic!(
                    "no address on stdout: {line:?}\nstderr:\n{}",
                    server.stderr()
                )
            });
        assert!(
            base.starts_with("http://127.0.0.1:") && base.ends_with('/'),
            "{base}"
        );
        server.base = base.to_string();
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn port(&self) -> u16 {
        self.base
            .trim_start_matches("http://127.0.0.1:")
            .trim_end_matches('/')
            .parse()
            .unwrap()
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Reply::from(request.call().unwrap_or_else(|e| panic!("GET {path}: {e}")))
    }

    fn head(&self, path: &str) -> Reply {
        let response = self
            .agent
            .head(format!("{}{path}", self.base))
            .call()
            .unwrap_or_else(|e| panic!("HEAD {path}: {e}"));
        Reply::from(response)
    }

    /// The status line of a request sent byte for byte as written, so that no
    /// client tidies the path first.
    fn raw_status(&self, target: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port())).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        reply.lines().next().unwrap_or_default().to_string()
    }

    /// Polls `path` every 100 ms until `done` holds, for up to [`PATIENCE`].
    fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let reply = self.get(path, &[]);
            if done(&reply) {
                return reply;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "{path} still lacks {what} after {PATIENCE:?}; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until stderr holds `text` `times` times.
    fn wait_for_stderr(&self, text: &str, times: usize) {
        let start = Instant::now();
        while self.stderr().matches(text).count() < times {
            assert!(
                start.elapsed() < PATIENCE,
                "stderr lacks {text:?} ×{times} after {PATIENCE:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl From<ureq::http::Response<ureq::Body>> for Reply {
    fn from(mut response: ureq::http::Response<ureq::Body>) -> Reply {
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    value.to_str().unwrap().to_string(),
                )
            })
            .collect();
        Reply {
            status: response.status().as_u16(),
            headers,
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }
}

impl Reply {
    #[track_caller]
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.headers))
    }
}

/// The bundled site, with a page of the user's own beside the feeds (the
/// build leaves files it did not write alone).
fn bundled_with_page() -> Test {
    let test = Test::bundled();
    fs::create_dir_all(test.out()).unwrap();
    fs::write(
        test.out().join("hello.html"),
        "<!doctype html><p>héllo</p>\n",
    )
    .unwrap();
    test
}

fn article_path(test: &Test) -> std::path::PathBuf {
    let mut articles: Vec<_> = fs::read_dir(test.data().join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(articles.len(), 1, "{articles:?}");
    articles.pop().unwrap()
}

/// Rewrites the article's `title = ...` line.
fn set_title_line(test: &Test, line: &str) {
    let path = article_path(test);
    let text = fs::read_to_string(&path).unwrap();
    let (before, rest) = text.split_once("\ntitle = ").unwrap();
    let (_, after) = rest.split_once('\n').unwrap();
    fs::write(&path, format!("{before}\n{line}\n{after}")).unwrap();
}

#[test]
fn feeds_and_pages_have_their_types_with_utf_8() {
    let test = bundled_with_page();
    let server = Server::start(&test);
    let cases = [
        ("rss.xml", "application/rss+xml; charset=utf-8"),
        ("atom.xml", "application/atom+xml; charset=utf-8"),
        ("feed.json", "application/feed+json; charset=utf-8"),
        ("hello.html", "text/html; charset=utf-8"),
        ("", "text/html; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        (
            "articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html",
            "text/html; charset=utf-8",
        ),
        ("style.css", "text/css; charset=utf-8"),
        (
            "categories/%E6%89%BF%E5%BE%B7/rss.xml",
            "application/rss+xml; charset=utf-8",
        ),
    ];
    for (path, expected) in cases {
        let reply = server.get(path, &[]);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), expected, "{path}");
        assert!(!reply.body.is_empty(), "{path}");
        reply.header("etag");
        reply.header("last-modified");
    }
    assert_eq!(server.get("rss.xml", &[]).body, test.read_out("rss.xml"));
    assert_eq!(
        without_reload_script(&server.get("", &[]).body),
        test.read_out("index.html")
    );
    // A page that is not the build's gets the script too, at its end.
    assert_eq!(
        without_reload_script(&server.get("hello.html", &[]).body),
        "<!doctype html><p>héllo</p>\n"
    );

    let head = server.head("atom.xml");
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-type"),
        "application/atom+xml; charset=utf-8"
    );
    assert_eq!(
        head.header("content-length"),
        test.read_out("atom.xml").len().to_string()
    );
    assert!(head.body.is_empty());
}

#[test]
fn a_second_request_with_the_validators_gets_304() {
    let test = bundled_with_page();
    let server = Server::start(&test);
    for path in [
        "rss.xml",
        "atom.xml",
        "feed.json",
        "index.html",
        "hello.html",
    ] {
        let first = server.get(path, &[]);
        let etag = first.header("etag");
        assert!(
            etag.starts_with('"') && etag.ends_with('"'),
            "a strong ETag: {etag}"
        );
        let again = server.get(path, &[("If-None-Match", etag)]);
        assert_eq!(again.status, 304, "{path} with If-None-Match");
        assert_eq!(again.body, "", "{path}");
        assert_eq!(again.header("etag"), etag, "{path}");

        let since = first.header("last-modified");
        let again = server.get(path, &[("If-Modified-Since", since)]);
        assert_eq!(again.status, 304, "{path} with If-Modified-Since");
        assert_eq!(again.body, "", "{path}");

        // If-None-Match decides when both are sent, as RFC 9110 says.
        let other = server.get(
            path,
            &[("If-None-Match", "\"other\""), ("If-Modified-Since", since)],
        );
        assert_eq!(other.status, 200, "{path} with another ETag");
    }
}

#[test]
fn bookkeeping_files_and_paths_outside_the_folder_are_not_served() {
    let test = bundled_with_page();
    fs::write(test.dir.path().join("secret.txt"), "not for the web").unwrap();
    let server = Server::start(&test);
    for path in [
        ".make-feed-manifest",
        ".make-feed-lock",
        "%2emake-feed-manifest",
    ] {
        assert_eq!(server.get(path, &[]).status, 404, "{path}");
    }
    for target in [
        "/../secret.txt",
        "/../data/feed.toml",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/categories/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let status = server.raw_status(target);
        assert!(
            status.starts_with("HTTP/1.1 404") || status.starts_with("HTTP/1.1 400"),
            "{target}: {status}"
        );
    }
    assert!(server.raw_status("/rss.xml").starts_with("HTTP/1.1 200"));
}

#[test]
fn a_name_longer_than_any_file_is_not_found_not_an_error() {
    let test = bundled_with_page();
    let server = Server::start(&test);
    let long = "a".repeat(300);
    assert_eq!(server.get(&long, &[]).status, 404);
    assert_eq!(
        server.get(&format!("articles/{long}/x.html"), &[]).status,
        404
    );
}

#[test]
fn an_edit_to_an_article_is_rebuilt_and_served() {
    let test = bundled_with_page();
    let server = Server::start(&test);
    let before = server.get("rss.xml", &[]);
    let old_etag = before.header("etag").to_string();
    assert!(!before.body.contains("An edited title"));

    set_title_line(&test, "title = \"An edited title\"");
    let after = server.wait_for("rss.xml", "the new title", |reply| {
        reply.body.contains("<title>An edited title</title>")
    });
    assert_ne!(after.header("etag"), old_etag);
    assert_eq!(
        server
            .get("rss.xml", &[("If-None-Match", &old_etag)])
            .status,
        200,
        "the old ETag no longer matches"
    );
    assert!(server.get("atom.xml", &[]).body.contains("An edited title"));
    assert!(server
        .get("articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html", &[])
        .body
        .contains("<h1>An edited title</h1>"));
    assert!(server.get("", &[]).body.contains("An edited title"));
}

#[test]
fn a_broken_edit_keeps_the_previous_feeds_served() {
    let test = bundled_with_page();
    let server = Server::start(&test);
    let before = server.get("rss.xml", &[]);
    let etag = before.header("etag").to_string();

    set_title_line(&test, "title = \"unterminated");
    server.wait_for_stderr("nothing was published", 1);
    let during = server.get("rss.xml", &[]);
    assert_eq!(during.status, 200);
    assert_eq!(during.body, before.body);
    assert_eq!(during.header("etag"), etag);
    assert_eq!(
        server.get("rss.xml", &[("If-None-Match", &etag)]).status,
        304
    );
    let stderr = server.stderr();
    assert!(stderr.contains("error: "), "{stderr}");

    // The server goes on watching: the fix is published.
    set_title_line(&test, "title = \"Fixed again\"");
    server.wait_for("rss.xml", "the fixed title", |reply| {
        reply.body.contains("<title>Fixed again</title>")
    });
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let test = Test::bundled();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    test.run(&["serve", "--data", "data", "--out", "out", "--port", &port])
        .failure()
        .stderr_contains(&format!("port {port} on 127.0.0.1 is already in use"))
        .stderr_contains("--port");
    assert!(
        !test.out().exists(),
        "nothing is built when it cannot be served"
    );
}

#[test]
fn a_first_build_that_fails_stops_with_its_error() {
    let test = Test::bundled();
    set_title_line(&test, "titel = \"misspelt\"");
    let run = test
        .run(&["serve", "--data", "data", "--out", "out", "--port", "0"])
        .failure()
        .stderr_contains("field `titel`: is not a known key")
        .stderr_contains("nothing was published");
    assert_eq!(run.stdout, "");
}

/// A page as built: what `serve` sends less its live reload script.
fn without_reload_script(served: &str) -> String {
    let start = served
        .find("<script>/* make-feed serve")
        .expect("the reload script");
    let end = start + served[start..].find("</script>\n").unwrap() + "</script>\n".len();
    format!("{}{}", &served[..start], &served[end..])
}

/// Headless Chromium holding one page open (`tests/browser/live.mjs`),
/// asked about it line by line.
struct Browser {
    child: Child,
    answers: mpsc::Receiver<String>,
    stdin: std::process::ChildStdin,
}

impl Browser {
    fn open(url: &str) -> Option<Browser> {
        let dir = crate::common::repo_root().join("tests/browser");
        if !crate::readers::have(&["chromium", "node"])
            || !crate::readers::installed(&dir.join("node_modules"), ".ci/run")
        {
            return None;
        }
        let mut child = Command::new("node")
            .args(["live.mjs", url])
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node");
        let (sender, answers) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let stdin = child.stdin.take().unwrap();
        let browser = Browser {
            child,
            answers,
            stdin,
        };
        assert_eq!(browser.answer(), "ready");
        Some(browser)
    }

    fn answer(&self) -> String {
        self.answers
            .recv_timeout(Duration::from_secs(90))
            .expect("the browser answers")
    }

    fn ask(&mut self, command: &serde_json::Value) -> String {
        writeln!(self.stdin, "{command}").unwrap();
        self.answer()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_open_page_reloads_after_an_edit_and_shows_a_failed_build_until_it_is_fixed() {
    let test = Test::bundled();
    let server = Server::start(&test);
    let path = article_path(&test);
    let page = "articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html";
    let Some(mut browser) = Browser::open(&format!("{}{page}", server.base)) else {
        return;
    };
    let original = fs::read_to_string(&path).unwrap();
    let edited = original.replacen("title = \"", "title = \"Edited: ", 1);
    fs::write(&path, &edited).unwrap();
    let h1 = serde_json::json!({"until": "h1", "has": "Edited: "});
    assert_eq!(browser.ask(&h1), "ok", "{}", server.stderr());

    let broken = edited.replacen("published = ", "published = \"not a date\" #", 1);
    fs::write(&path, broken).unwrap();
    let error = serde_json::json!({"until": "#make-feed-error", "has": "`published`"});
    assert_eq!(browser.ask(&error), "ok", "{}", server.stderr());
    // The page under the message is the last one built.
    assert!(browser
        .ask(&serde_json::json!({"text": "h1"}))
        .contains("Edited: "));

    fs::write(&path, original).unwrap();
    let gone = serde_json::json!({"until": "#make-feed-error", "gone": true});
    assert_eq!(browser.ask(&gone), "ok", "{}", server.stderr());
    let h1 = serde_json::json!({"until": "h1", "has": "疫线党员干部"});
    assert_eq!(browser.ask(&h1), "ok");
}

#[test]
fn pages_get_the_reload_script_but_built_files_never_do_and_a_missing_file_is_a_page() {
    let test = bundled_with_page();
    let server = Server::start(&test);
    let served = server.get("index.html", &[]).body;
    assert!(served.contains("<script>/* make-feed serve"), "{served}");
    let built = fs::read_to_string(test.out().join("index.html")).unwrap();
    assert!(!built.contains("<script"), "{built}");
    assert_eq!(without_reload_script(&served), built);
    let missing = server.get("articles/nothing.html", &[]);
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<h1>Not found</h1>"),
        "{}",
        missing.body
    );
    assert!(missing.body.contains("make-feed serve"), "{}", missing.body);
    // Feeds are sent as they are.
    assert_eq!(
        server.get("rss.xml", &[]).body,
        fs::read_to_string(test.out().join("rss.xml")).unwrap()
    );
}

#[cfg(unix)]
#[test]
#[allow(unsafe_code)]
fn sigterm_stops_the_server_at_once_even_during_a_rebuild() {
    let test = bundled_with_page();
    let mut server = Server::start(&test);
    // Another build holds the lock, so the rebuild waits for as long as the
    // test likes: the event is its message, not a delay.
    let lock = fs::File::options()
        .write(true)
        .open(test.out().join(".make-feed-lock"))
        .unwrap();
    lock.lock().unwrap();
    set_title_line(&test, "title = \"Edited while the lock is held\"");
    server.wait_for_stderr("waiting for it to finish", 1);
    // SAFETY: kill(2) on our own child's pid.
    let sent = unsafe { libc::kill(server.child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(sent, 0);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "serve did not stop on SIGTERM while a rebuild waited:\n{}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{}", server.stderr());
    drop(lock);
    // Nothing of the abandoned rebuild was published.
    assert!(!test
        .read_out("rss.xml")
        .contains("Edited while the lock is held"));
}
