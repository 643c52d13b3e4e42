//! `make-feed deploy` to a real S3 server: Garage (a distributed object
//! store, `cargo install garage --locked`), one node on loopback with a
//! throwaway configuration. The site is read back over S3 (curl signing its
//! requests) and through Garage's website endpoint, where feedparser and
//! newsboat read the feeds. Which requests reached the server, in which
//! order, is taken from Garage's own log.

use std::collections::BTreeSet;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::sample::TITLE;
use crate::common::{article, Run, Test};
use crate::deploy::{
    assert_in_reading_order, deploy_args, files_below, killed_run, newsboat_titles, steps,
    unresolved_links,
};
use crate::readers::{have, may_skip, output, which};

/// The bucket. Garage's website endpoint takes a Host it does not know
/// as a bucket's name, so a bucket named `localhost` is the website at
/// `http://localhost:<port>/`.
const BUCKET: &str = "localhost";

/// The garage binary: on PATH, or where `cargo install` puts it.
fn garage_binary() -> Option<PathBuf> {
    which("garage").or_else(|| {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
        Some(cargo_home.join("bin/garage")).filter(|path| path.is_file())
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Garage {
    binary: PathBuf,
    dir: tempfile::TempDir,
    server: Child,
    s3_port: u16,
    /// The S3 API's address, for `--endpoint`.
    endpoint: String,
    web_port: u16,
    key_id: String,
    secret: String,
}

impl Garage {
    /// A single-node Garage with a bucket served as a website and a key
    /// that may write it.
    fn start(binary: PathBuf) -> Garage {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().display().to_string();
        let (rpc_port, s3_port, web_port) = (free_port(), free_port(), free_port());
        let config = format!(
            "metadata_dir = \"{path}/meta\"\ndata_dir = \"{path}/data\"\ndb_engine = \"sqlite\"\n\
             replication_factor = 1\n\
             rpc_bind_addr = \"127.0.0.1:{rpc_port}\"\nrpc_public_addr = \"127.0.0.1:{rpc_port}\"\n\
             rpc_secret = \"{}\"\n\
             [s3_api]\ns3_region = \"garage\"\napi_bind_addr = \"127.0.0.1:{s3_port}\"\nroot_domain = \".s3.garage.test\"\n\
             [s3_web]\nbind_addr = \"127.0.0.1:{web_port}\"\nroot_domain = \".web.garage.test\"\nindex = \"index.html\"\n",
            "5e".repeat(32)
        );
        fs::write(dir.path().join("garage.toml"), config).unwrap();
        let log = fs::File::create(dir.path().join("garage.log")).unwrap();
        let server = Command::new(&binary)
            .args(["-c", &format!("{path}/garage.toml"), "server"])
            .env(
                "RUST_LOG",
                "garage=info,garage_api_common=info,garage_web=info",
            )
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start garage");
        let mut garage = Garage {
            binary,
            dir,
            server,
            s3_port,
            endpoint: format!("http://127.0.0.1:{s3_port}"),
            web_port,
            key_id: String::new(),
            secret: String::new(),
        };
        garage.until_ok(&["status"]);
        let node = garage.cli(&["node", "id", "-q"]);
        let node = node.trim().split('@').next().unwrap().to_string();
        garage.cli(&["layout", "assign", "-z", "dc1", "-c", "1G", &node]);
        garage.cli(&["layout", "apply", "--version", "1"]);
        garage.until_ok(&["bucket", "create", BUCKET]);
        let key = garage.cli(&["key", "create", "make-feed-test"]);
        let field = |name: &str| {
            key.lines()
                .find_map(|line| line.strip_prefix(name))
                .map(|value| value.trim_start_matches(':').trim().to_string())
                .unwrap_or_else(|| panic!("no {name} in {key}"))
        };
        garage.key_id = field("Key ID");
        garage.secret = field("Secret key");
        garage.cli(&[
            "bucket",
            "allow",
            "--read",
            "--write",
            "--owner",
            BUCKET,
            "--key",
            "make-feed-test",
        ]);
        garage.cli(&["bucket", "website", "--allow", BUCKET]);
        for port in [s3_port, web_port] {
            let deadline = Instant::now() + Duration::from_secs(60);
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "garage does not listen on {port}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        garage
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .args([
                "-c",
                &self.dir.path().join("garage.toml").display().to_string(),
            ])
            .args(args)
            .env("NO_COLOR", "1");
        command
    }

    fn cli(&self, args: &[&str]) -> String {
        output(&mut self.command(args))
    }

    /// Runs `args` until it succeeds: the node needs a moment to boot and
    /// to take its layout (a last-guard deadline of a minute).
    fn until_ok(&self, args: &[&str]) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let run = self.command(args).output().unwrap();
            if run.status.success() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "garage {args:?}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn deploy(&self, test: &Test, extra: &[&str]) -> Run {
        test.run_with(&self.deploy_args(extra), &self.credentials())
    }

    /// A deploy killed at step `halt`.
    fn killed_deploy(&self, test: &Test, halt: usize) -> String {
        killed_run(test, &self.deploy_args(&[]), &self.credentials(), halt)
    }

    fn deploy_args<'a>(&'a self, extra: &[&'a str]) -> Vec<&'a str> {
        let endpoint = self.endpoint.as_str();
        let mut args = deploy_args("s3://localhost/", &["--endpoint", endpoint, "--no-ping"]);
        args.extend_from_slice(extra);
        args
    }

    fn credentials(&self) -> [(&str, &str); 3] {
        [
            ("AWS_ACCESS_KEY_ID", &self.key_id),
            ("AWS_SECRET_ACCESS_KEY", &self.secret),
            ("AWS_REGION", "garage"),
        ]
    }

    /// The files of `names` that the website endpoint serves, copied into
    /// `folder` (emptied first).
    fn mirror(&self, names: &BTreeSet<String>, folder: &Path) {
        if folder.exists() {
            fs::remove_dir_all(folder).unwrap();
        }
        for name in names {
            let answer = ureq::get(&self.web_url(name)).call();
            match answer {
                Ok(mut answer) => {
                    let path = folder.join(name);
                    fs::create_dir_all(path.parent().unwrap()).unwrap();
                    fs::write(path, answer.body_mut().read_to_vec().unwrap()).unwrap();
                }
                Err(ureq::Error::StatusCode(404)) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }

    /// An object read over S3 (SigV4-signed by curl): headers and body.
    fn s3_get(&self, key: &str) -> String {
        let url = format!(
            "http://127.0.0.1:{}/{BUCKET}/{}",
            self.s3_port,
            encode_path(key)
        );
        // Garage wants the payload's hash, which curl does not send itself.
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        output(Command::new("curl").args([
            "-sSf",
            "-i",
            "-H",
            &format!("x-amz-content-sha256: {empty}"),
            "--aws-sigv4",
            "aws:amz:garage:s3",
            "--user",
            &format!("{}:{}", self.key_id, self.secret),
            &url,
        ]))
    }

    fn web_url(&self, path: &str) -> String {
        format!("http://localhost:{}/{}", self.web_port, encode_path(path))
    }

    /// The object writes the server logged, in order: `("PUT", key)`, or
    /// `("DELETE", "")` for a delete request (object_store sends S3's
    /// multi-object `POST ?delete`, whose keys are in its body).
    fn writes(&self) -> Vec<(String, String)> {
        let log = fs::read_to_string(self.dir.path().join("garage.log")).unwrap();
        let put = format!(" PUT /{BUCKET}/");
        let delete = format!(" POST /{BUCKET}?delete");
        log.lines()
            .filter_map(|line| {
                if line.contains(&delete) {
                    return Some(("DELETE".to_string(), String::new()));
                }
                let uri = line.split(&put).nth(1)?;
                let key = uri.split(['?', ' ']).next()?;
                let key = percent_encoding::percent_decode_str(key)
                    .decode_utf8()
                    .ok()?;
                Some(("PUT".to_string(), key.into_owned()))
            })
            .filter(|(_, key)| !key.starts_with(".make-feed"))
            .collect()
    }
}

impl Drop for Garage {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// `path` percent-encoded as S3 signs it: everything but RFC 3986's
/// unreserved characters and the `/` between segments.
fn encode_path(path: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    path.split('/')
        .map(|part| percent_encoding::utf8_percent_encode(part, RESERVED).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Garage, or a failure (a skip only when asked for, never under CI).
fn garage() -> Option<Garage> {
    if !have(&["curl"]) {
        return None;
    }
    match garage_binary() {
        Some(binary) => Some(Garage::start(binary)),
        None => {
            may_skip("garage is missing: run .ci/run (it runs `cargo install garage --locked`) to run this test");
            None
        }
    }
}

#[test]
fn a_deploy_to_garage_is_read_back_over_s3_and_by_readers_through_its_website() {
    if !have(&["newsboat", "sqlite3"]) {
        return;
    }
    let Some(garage) = garage() else { return };
    let test = Test::bundled();
    test.build().success();
    let run = garage.deploy(&test, &[]).success();
    let done = steps(&run);
    assert_in_reading_order(&done);
    let logged: Vec<(String, String)> = garage.writes();
    let planned: Vec<(String, String)> = done
        .iter()
        .map(|s| ("PUT".to_string(), s.path.clone()))
        .collect();
    assert_eq!(
        logged, planned,
        "the server saw the uploads in the plan's order"
    );

    let out = test.out_files();
    for (name, bytes) in out.iter().filter(|(name, _)| !name.starts_with('.')) {
        let answer = garage.s3_get(name);
        let (headers, body) = answer.split_once("\r\n\r\n").unwrap();
        assert_eq!(body.as_bytes(), &bytes[..], "{name} over S3");
        let headers = headers.to_lowercase();
        if name.ends_with(".xml")
            || name.ends_with(".json")
            || name.ends_with(".html")
            || name.ends_with(".css")
        {
            assert!(headers.contains("charset=utf-8"), "{name}: {headers}");
        }
        assert!(
            headers.contains("cache-control: public, max-age="),
            "{name}: {headers}"
        );
    }
    let rss = garage.s3_get("rss.xml").to_lowercase();
    assert!(
        rss.contains("content-type: application/rss+xml; charset=utf-8"),
        "{rss}"
    );
    assert!(rss.contains("cache-control: public, max-age=300"), "{rss}");

    for name in ["rss.xml", "atom.xml"] {
        let url = garage.web_url(name);
        let script = "import sys, feedparser\nd = feedparser.parse(sys.argv[1])\nprint(int(d.bozo), d.entries[0].title)";
        let printed = output(Command::new("/usr/bin/python3").args(["-c", script, &url]));
        assert_eq!(printed.trim(), format!("0 {TITLE}"), "{name}");
        let home = test.dir.path().join(format!("newsboat-{name}"));
        assert_eq!(newsboat_titles(&url, &home), [TITLE], "{name}");
    }
    let index = output(Command::new("curl").args(["-sSf", &garage.web_url("")]));
    assert!(index.contains("rss.xml"), "{index}");
}

#[test]
fn a_second_deploy_to_garage_uploads_nothing_and_an_edit_only_the_changed_files() {
    let Some(garage) = garage() else { return };
    let test = Test::new().file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    test.build().success();
    garage.deploy(&test, &[]).success();
    let first = garage.writes().len();
    let again = garage.deploy(&test, &[]).success();
    assert_eq!(steps(&again), [], "{}", again.stderr);
    assert_eq!(garage.writes().len(), first, "the server saw no upload");

    let before = test.out_files();
    let test = test.remove("articles/second.md").file(
        "articles/third.md",
        &article("Third", "2022-06-03 10:00:00"),
    );
    test.build().success();
    let after = test.out_files();
    let run = garage.deploy(&test, &[]).success();
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(name, bytes)| !name.starts_with('.') && before.get(*name) != Some(bytes))
        .map(|(name, _)| name.clone())
        .collect();
    let logged = garage.writes()[first..].to_vec();
    let puts: BTreeSet<String> = logged
        .iter()
        .filter(|(m, _)| m == "PUT")
        .map(|(_, k)| k.clone())
        .collect();
    let deletes = logged.iter().filter(|(m, _)| m == "DELETE").count();
    assert_eq!(puts, changed, "{}", run.stdout);
    let planned: Vec<String> = steps(&run)
        .into_iter()
        .filter(|s| s.action == "delete")
        .map(|s| s.path)
        .collect();
    assert_eq!(planned, ["articles/second.html"], "{}", run.stdout);
    assert_eq!(deletes, 1, "{logged:?}");
    assert_eq!(logged.last().unwrap().0, "DELETE", "deletions come last");
    let gone = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &garage.web_url("articles/second.html"),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&gone.stdout), "404");
}

#[test]
fn a_deploy_to_garage_killed_at_every_step_leaves_a_readable_site() {
    let Some(garage) = garage() else { return };
    let v1 = |test: Test| {
        test.file("articles/b.md", &article("B", "2022-06-02 10:00:00"))
            .remove("articles/c.md")
    };
    let v2 = |test: Test| {
        test.file(
            "articles/b.md",
            &article("B, edited", "2022-06-02 10:00:00"),
        )
        .file("articles/c.md", &article("C", "2022-06-03 10:00:00"))
    };
    let test = v2(Test::new());
    test.build().success();
    let new_files = files_below(&test.out());
    let test = v1(test);
    test.build().success();
    let old_files = files_below(&test.out());
    let names: BTreeSet<String> = new_files.keys().chain(old_files.keys()).cloned().collect();
    garage.deploy(&test, &[]).success();
    let test = v2(test);
    test.build().success();
    let plan = steps(&garage.deploy(&test, &["--dry-run"]).success());
    assert!(plan.len() > 5, "{plan:?}");
    let mut test = test;
    let mirror = test.dir.path().join("mirror");
    for halt in 1..=plan.len() {
        let said = garage.killed_deploy(&test, halt);
        assert!(said.contains("halted at step"), "step {halt}: {said}");
        garage.mirror(&names, &mirror);
        assert_eq!(
            unresolved_links(&mirror),
            BTreeSet::new(),
            "after step {halt}"
        );
        for (name, digest) in files_below(&mirror) {
            assert!(
                old_files.get(&name) == Some(&digest) || new_files.get(&name) == Some(&digest),
                "{name} after step {halt}"
            );
        }
        // Back to the old site for the next round.
        test = v1(test);
        test.build().success();
        garage.deploy(&test, &[]).success();
        test = v2(test);
        test.build().success();
    }
    garage.deploy(&test, &[]).success();
    garage.mirror(&names, &mirror);
    assert_eq!(files_below(&mirror), new_files);
}
