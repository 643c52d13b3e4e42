//! Writes `RENDER_VERSION`: a hash of every source file and of `Cargo.lock`,
//! which goes into the key of every kept page and archive feed
//! (`src/output/cache.rs`). Any change to the code or to a dependency that
//! could render differently therefore renders every page again once, and no
//! one has to remember to bump a number.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.sort();
    files.push(root.join("Cargo.lock"));
    // FNV-1a: no build dependency, and enough to tell one version of the
    // sources from another.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        let contents = fs::read(file).unwrap_or_default();
        for bytes in [relative.to_string_lossy().as_bytes(), &contents[..]] {
            for &byte in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    fs::write(
        out.join("render_version.rs"),
        format!(
            "/// A hash of make-feed's sources and locked dependencies.\n\
             pub(crate) const RENDER_VERSION: u64 = {hash:#018x};\n"
        ),
    )
    .expect("OUT_DIR is writable");
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=Cargo.lock");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
