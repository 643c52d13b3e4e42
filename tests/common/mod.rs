//! A small builder that lays out a `feed-data/` folder in a temporary
//! directory and runs the real `make-feed` binary on it.
#![allow(dead_code)]

pub(crate) mod sample;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

pub(crate) const FEED_TOML: &str = r#"title = "Test channel"
description = "A channel for tests"
base_url = "https://feeds.example.org/"
language = "en"
timezone = "Asia/Shanghai"
"#;

/// A front matter and body that build.
pub(crate) fn article(title: &str, published: &str) -> String {
    format!("+++\ntitle = {title:?}\npublished = {published}\n+++\n\nFirst paragraph of {title}.\n")
}

pub(crate) struct Test {
    pub(crate) dir: TempDir,
}

impl Test {
    /// An empty workspace; `data/` and `out/` are inside it.
    pub(crate) fn empty() -> Test {
        Test {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// A workspace with a valid `feed.toml` and one article.
    pub(crate) fn new() -> Test {
        Test::empty().file("feed.toml", FEED_TOML).file(
            "articles/first.md",
            &article("First", "2022-06-01 17:52:50"),
        )
    }

    /// A workspace holding a copy of the bundled `feed-data/`.
    pub(crate) fn bundled() -> Test {
        let test = Test::empty();
        copy_tree(&repo_root().join("feed-data"), &test.data());
        test
    }

    pub(crate) fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub(crate) fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Writes `contents` at `path` below `data/`.
    pub(crate) fn file(self, path: &str, contents: &str) -> Test {
        self.bytes(path, contents.as_bytes())
    }

    pub(crate) fn bytes(self, path: &str, contents: &[u8]) -> Test {
        let path = self.data().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    pub(crate) fn remove(self, path: &str) -> Test {
        let path = self.data().join(path);
        if path.is_dir() {
            fs::remove_dir_all(path).unwrap();
        } else {
            fs::remove_file(path).unwrap();
        }
        self
    }

    /// Runs `make-feed build --data data --out out`.
    pub(crate) fn build(&self) -> Run {
        self.run(&["build", "--data", "data", "--out", "out"])
    }

    /// Runs the binary in the workspace, under a time zone far from any the
    /// tests use, to show that nothing depends on the machine's zone.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_in_zone(args, "America/New_York")
    }

    pub(crate) fn run_in_zone(&self, args: &[&str], zone: &str) -> Run {
        self.run_with(args, &[("TZ", zone)])
    }

    /// Runs the binary with extra environment variables.
    pub(crate) fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_make-feed"))
            .args(args)
            .current_dir(self.dir.path())
            .env("TZ", "America/New_York")
            .envs(env.iter().copied())
            .output()
            .expect("run make-feed");
        Run {
            status: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// Leaves the output folder's lock file as a build killed half way
    /// leaves it (its token, without the line `clean` that a build which
    /// ended writes), and gives the folder's token, which make-feed's
    /// temporary files there carry.
    pub(crate) fn as_if_killed(&self) -> String {
        let lock = self.out().join(".make-feed-lock");
        let text = fs::read_to_string(&lock).unwrap();
        let token = text.lines().next().unwrap().to_string();
        assert_eq!(text, format!("{token}\nclean\n"), "a build that ended");
        fs::write(&lock, format!("{token}\n")).unwrap();
        token
    }

    /// True if the output folder holds nothing but make-feed's lock file,
    /// which even a failed first build leaves (a build waiting for the lock
    /// holds that file).
    pub(crate) fn out_holds_only_the_lock(&self) -> bool {
        walkdir::WalkDir::new(self.out())
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .eq([".make-feed-lock".to_string()])
    }

    /// Every file below the output folder (`/`-separated), with its bytes,
    /// but the lock file (whose token is random) and the build index (which
    /// records the files' `stat`).
    pub(crate) fn out_files(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(self.out())
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| {
                e.file_type().is_file()
                    && e.file_name() != ".make-feed-lock"
                    && e.file_name() != ".make-feed-index"
            })
            .map(|e| {
                let name = e
                    .path()
                    .strip_prefix(self.out())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                (name, fs::read(e.path()).unwrap())
            })
            .collect()
    }

    pub(crate) fn read_out(&self, name: &str) -> String {
        fs::read_to_string(self.out().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) status: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn success(self) -> Run {
        assert_eq!(self.status, Some(0), "make-feed failed:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub(crate) fn failure(self) -> Run {
        assert_eq!(
            self.status,
            Some(1),
            "expected exit status 1:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_contains(self, expected: &str) -> Run {
        assert!(
            self.stderr.contains(expected),
            "stderr lacks {expected:?}:\n{}",
            self.stderr
        );
        self
    }
}

pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}
