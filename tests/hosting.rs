//! The README's hosting snippet: the configuration the tests serve with,
//! and one that nginx takes without a warning.

use std::fs;
use std::process::Command;

use crate::common::repo_root;
use crate::readers::{have, which};

/// The README's ```nginx block.
fn readme_snippet() -> String {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme.find("```nginx\n").expect("an nginx block") + "```nginx\n".len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

#[test]
fn the_readme_nginx_snippet_is_the_tested_one() {
    let snippet = readme_snippet();
    for fixture in ["nginx-http.conf", "nginx-server.conf"] {
        let text = fs::read_to_string(repo_root().join("tests/fixtures").join(fixture)).unwrap();
        for line in text.lines().map(str::trim) {
            if !line.is_empty() && !line.starts_with('#') {
                assert!(snippet.contains(line), "README lacks {fixture}'s {line:?}");
            }
        }
    }
}

#[test]
fn the_readme_nginx_snippet_passes_nginx_t_without_a_warning() {
    if !have(&["nginx"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().display().to_string();
    let http = readme_snippet()
        .replace("include mime.types;", "include /etc/nginx/mime.types;")
        .replace("/srv/feeds/public", &prefix)
        .replace(
            "server {",
            "access_log off;\n    server {\n        listen 127.0.0.1:1;",
        );
    let config =
        format!("pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n{http}");
    fs::write(dir.path().join("nginx.conf"), config).unwrap();
    let run = Command::new(which("nginx").unwrap())
        .args(["-t", "-p", &prefix, "-c", &format!("{prefix}/nginx.conf")])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    assert!(said.contains("test is successful"), "{said}");
    assert!(!said.contains("[warn]"), "{said}");
}
