//! The files of the data folder: which are articles, and reading any of
//! them as clean text.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::model::{uri_component, Generator, Stamp};
use crate::text::{line_of, strip_xml_unsafe};

/// The largest input file make-feed reads: far beyond any real article, and
/// small enough that a build's time and memory stay bounded.
pub(crate) const MAX_FILE_BYTES: u64 = 32 << 20;

/// Where an article file sits, as the reader found it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Location<'a> {
    /// The path to show in messages.
    pub(crate) path: &'a Path,
    /// The folder below `articles/`, `/`-separated and percent-encoded, empty or ending in `/`.
    pub(crate) folder: &'a str,
    /// The file name without `.md`: the default slug.
    pub(crate) stem: &'a str,
    /// The path below the content folder (`articles/`, or a generator's
    /// content folder), `/`-separated: `posts/a.md`.
    pub(crate) relative: &'a str,
}

/// One article file as read: its text, where it is, and a fingerprint of
/// both that changes whenever either does.
pub(crate) struct ArticleText {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
    folder: String,
    stem: String,
    relative: String,
    pub(crate) fingerprint: u64,
    /// What `stat` said of the file when it was opened, before it was read.
    pub(crate) stamp: Stamp,
    /// Characters XML forbids that were removed, each a warning.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// How much of an article a build's first reading takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The whole file: its page needs the body (and the files it links to).
    Whole,
    /// The first [`HEAD_BYTES`] (or up to the end of the front matter, if
    /// later): with the feeds alone, only the newest articles' bodies are
    /// ever rendered, and those are read again in full. Its fingerprint is
    /// taken over those bytes, the file's size and its modification time.
    Head,
}

/// How much of an article [`Reading::Head`] reads first: front matter is a
/// few hundred bytes.
pub(crate) const HEAD_BYTES: usize = 2048;

impl ArticleText {
    /// Reads the whole article at `path` below `root`.
    pub(crate) fn read(root: &Path, path: PathBuf) -> Result<ArticleText> {
        ArticleText::read_as(root, path, Reading::Whole, Reading::Whole)
    }

    /// Reads the article at `path` below `root`, whole or its head, its
    /// fingerprint taken as a `keyed` reading takes it (a whole article read
    /// back can be checked against the fingerprint its head had).
    pub(crate) fn read_as(
        root: &Path,
        path: PathBuf,
        reading: Reading,
        keyed: Reading,
    ) -> Result<ArticleText> {
        let mut warnings = Vec::new();
        let (bytes, meta, stamp) = read_bytes(&path, reading)?;
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let relative_text = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let folder: String = relative
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .map(|c| format!("{}/", uri_component(&c.as_os_str().to_string_lossy())))
            .collect();
        let folder = format!("articles/{folder}");
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let head_fingerprint = |bytes: &[u8]| {
            let head = &bytes[..bytes.len().min(HEAD_BYTES)];
            fingerprint(
                &[&folder, &stem, &meta.0.to_string(), &meta.1.to_string()],
                head,
            )
        };
        let head = (keyed == Reading::Head).then(|| head_fingerprint(&bytes));
        let mut bytes = bytes;
        let partial = reading == Reading::Head && (bytes.len() as u64) < meta.0;
        if partial {
            // Only the front matter is read from a head: the rest of it is
            // body, checked when the body is read whole.
            if let Some(end) = front_matter_end(&bytes).filter(|end| *end > 0) {
                bytes.truncate(end);
            }
        }
        let text = decode(&path, bytes, partial, &mut warnings)?;
        let fingerprint = head.unwrap_or_else(|| fingerprint(&[&folder, &stem], text.as_bytes()));
        Ok(ArticleText {
            path,
            text,
            folder,
            stem,
            relative: relative_text,
            fingerprint,
            stamp,
            warnings,
        })
    }

    pub(crate) fn at(&self) -> Location<'_> {
        Location {
            path: &self.path,
            folder: &self.folder,
            stem: &self.stem,
            relative: &self.relative,
        }
    }
}

/// Every article below `dir`, in the order the file system lists them: for
/// make-feed's own format every `*.md`; for a generator, the files it
/// publishes as posts ([`is_post`]). A symbolic link is followed only to a
/// file inside `dir`.
pub(crate) fn article_files(
    dir: &Path,
    generator: Generator,
) -> impl Iterator<Item = Result<PathBuf>> + '_ {
    let root = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    walkdir::WalkDir::new(dir)
        .into_iter()
        // Hidden files and folders (`.drafts/`, an editor's `.a.md.swp`)
        // are not articles, as for most site generators.
        .filter_entry(move |item| {
            let name = item.file_name().to_string_lossy();
            // What Jekyll itself never reads: its output and the folders
            // of dependencies, which can hold thousands of files.
            let skipped = generator == Generator::Jekyll
                && item.file_type().is_dir()
                && matches!(
                    name.as_ref(),
                    "_site" | "node_modules" | "vendor" | "_drafts"
                );
            item.depth() == 0 || !(name.starts_with('.') || skipped)
        })
        .filter_map(move |item| {
            let item = match item {
                Ok(item) => item,
                Err(e) => {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    return Some(Err(Error::io(path, e.into())));
                }
            };
            if !is_post(item.path(), dir, generator) {
                return None;
            }
            // A folder named `x.md` is a folder; anything else must be a
            // regular file, or a link to one inside the articles folder.
            if item.file_type().is_dir() {
                return None;
            }
            // A regular file as the folder lists it needs no second look;
            // anything else (a link, a FIFO) is said for what it is.
            if item.file_type().is_file() {
                return Some(Ok(item.into_path()));
            }
            Some(
                match source_problem(item.path(), &root, "articles folder") {
                    None => Ok(item.into_path()),
                    Some(problem) => Err(problem.into()),
                },
            )
        })
}

/// Whether the file at `path` (below `dir`) is an article: `*.md` for
/// make-feed; for Hugo and Zola `*.md` and `*.markdown` but `_index.md`
/// (a section's page) and the other files of a leaf bundle (a folder with
/// an `index.md`, which is the page); for Jekyll, the files in a `_posts`
/// folder named `YYYY-MM-DD-title.md` (or `.markdown`), never in `_drafts`
/// or the built `_site`.
fn is_post(path: &Path, dir: &Path, generator: Generator) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let markdown = name.ends_with(".md") || name.ends_with(".markdown");
    match generator {
        Generator::MakeFeed => path.extension().is_some_and(|ext| ext == "md"),
        Generator::Hugo | Generator::Zola => {
            if !markdown || name.starts_with("_index.") {
                return false;
            }
            if name.starts_with("index.") {
                return true;
            }
            // A file inside a leaf bundle is one of the bundle's resources.
            let inside = path.parent().into_iter().flat_map(Path::ancestors);
            !inside
                .take_while(|folder| folder.starts_with(dir) && *folder != dir)
                .any(|folder| {
                    folder.join("index.md").is_file() || folder.join("index.markdown").is_file()
                })
        }
        Generator::Jekyll => {
            let relative = path.strip_prefix(dir).unwrap_or(path);
            let folders: Vec<_> = relative
                .parent()
                .into_iter()
                .flat_map(Path::components)
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            markdown
                && folders.iter().any(|f| f == "_posts")
                && !folders
                    .iter()
                    .any(|f| f == "_drafts" || f == "_site" || f == "node_modules" || f == "vendor")
                // Jekyll's posts are `YYYY-MM-DD-title`, with a hyphen.
                && super::generator::dated_name(name).is_some()
                && name.as_bytes()[10] == b'-'
        }
    }
}

/// Why the file at `path` cannot be read as one of the site's sources, said
/// of what is really there, if it cannot: it must be a regular file, or a
/// symbolic link to one inside `root` (which has its links resolved), the
/// `folder` messages name.
pub(crate) fn source_problem(path: &Path, root: &Path, folder: &str) -> Option<Diagnostic> {
    let problem = |message: String, help: &str| {
        let diagnostic = Diagnostic::new(path, message);
        Some(if help.is_empty() {
            diagnostic
        } else {
            diagnostic.help(help)
        })
    };
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return problem("not found".into(), "");
        }
        Err(e) => return problem(e.to_string(), ""),
    };
    if meta.is_dir() {
        return problem("is a folder, not a file".into(), "");
    }
    if !meta.is_symlink() {
        if meta.is_file() {
            return None;
        }
        return problem(
            "is a FIFO, socket or device, not a regular file".into(),
            "make-feed reads only regular files; replace it with one",
        );
    }
    let target = fs::read_link(path).map_or_else(|_| "?".into(), |t| t.display().to_string());
    let real = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) if is_loop(&e) => {
            return problem(
                format!("is a symbolic link to {target} that leads round in a loop"),
                "point the link at a file, or replace it with the file",
            );
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return problem(
                format!("is a symbolic link to {target}, which does not exist"),
                "point the link at an existing file, or remove it",
            );
        }
        Err(e) => return problem(format!("is a symbolic link to {target}: {e}"), ""),
    };
    if !real.starts_with(root) {
        return problem(
            format!("is a symbolic link to a file outside the {folder} ({target})"),
            &format!("copy the file into the {folder} instead of linking to it"),
        );
    }
    match fs::metadata(&real) {
        Ok(meta) if meta.is_file() => None,
        Ok(meta) if meta.is_dir() => problem(
            format!("is a symbolic link to a folder ({target}), not a file"),
            "",
        ),
        _ => problem(
            format!(
                "is a symbolic link to a FIFO, socket or device ({target}), not a regular file"
            ),
            "make-feed reads only regular files; point the link at one",
        ),
    }
}

/// True if `error` is a loop of symbolic links.
fn is_loop(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
}

/// A fingerprint of `parts` and `bytes` (each length-prefixed, so
/// `("ab", "c")` and `("a", "bc")` differ). xxh3 is specified, so it is the
/// same on every platform and in every version.
fn fingerprint(parts: &[&str], bytes: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts.iter().map(|p| p.as_bytes()).chain([bytes]) {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest()
}

/// Reads a UTF-8 file, removing (with a warning) any character XML forbids.
pub(crate) fn read_text(path: &Path, warnings: &mut Vec<Diagnostic>) -> Result<String> {
    let (bytes, _, _) = read_bytes(path, Reading::Whole)?;
    decode(path, bytes, false, warnings)
}

/// The bytes of the file at `path` (all of them, or a head that ends past
/// its front matter), its size and its modification time in nanoseconds.
fn read_bytes(path: &Path, reading: Reading) -> Result<(Vec<u8>, (u64, i128), Stamp)> {
    // Opened without waiting (a FIFO would wait for a writer) and read only
    // if it is a regular file (a device could be endless).
    let mut options = fs::File::options();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let mut bytes = Vec::new();
    let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Diagnostic::new(
            path,
            "is not a regular file (a FIFO, socket, device or folder)",
        )
        .help("make-feed reads only regular files; replace it with one")
        .into());
    }
    let stamp = Stamp::of(&meta);
    let size = meta.len();
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX));
    let whole = match reading {
        Reading::Whole => true,
        Reading::Head => {
            let want = (HEAD_BYTES as u64).min(size) as usize;
            bytes.resize(want, 0);
            file.read_exact(&mut bytes)
                .map_err(|e| Error::io(path, e))?;
            // A head whose front matter goes on is read to the end.
            want as u64 == size || front_matter_end(&bytes).is_none()
        }
    };
    if whole {
        // `Take` gives `read_to_end` no size hint: without room for the
        // whole file it reads in doubling steps, nine calls for 7 KB.
        let rest = size
            .min(MAX_FILE_BYTES + 1)
            .saturating_sub(bytes.len() as u64);
        bytes.reserve_exact(usize::try_from(rest).unwrap_or(0) + 1);
        (&mut file)
            .take(MAX_FILE_BYTES + 1 - bytes.len() as u64)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(
            Diagnostic::new(path, format!("is larger than {} MB", MAX_FILE_BYTES >> 20))
                .help("split it into several articles, or move large data out of it")
                .into(),
        );
    }
    Ok((bytes, (size, modified), stamp))
}

/// Where the front matter of `head` (the start of an article) ends: just
/// after its closing `+++`, `---`, `...` or `}` line; `None` if `head` does
/// not hold all of it. A head with no front matter needs nothing more.
fn front_matter_end(head: &[u8]) -> Option<usize> {
    // The last line may be cut short; only whole lines count.
    let complete = &head[..head
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |at| at + 1)];
    let mut offset = 0;
    let mut lines = complete.split_inclusive(|b| *b == b'\n').map(|line| {
        let at = offset;
        offset += line.len();
        (at + line.len(), line)
    });
    let first = loop {
        let (_, line) = lines.next()?;
        if !line.trim_ascii().is_empty() {
            break line;
        }
    };
    let closing: &[&[u8]] = match first.trim_ascii_end() {
        b"+++" => &[b"+++"],
        b"---" => &[b"---", b"..."],
        open if open.starts_with(b"{") => &[b"}"],
        _ => return Some(0),
    };
    lines
        .find(|(_, line)| closing.contains(&line.trim_ascii_end()))
        .map(|(end, _)| end)
}

/// `bytes` as text: UTF-8 (a head cut inside a character ends before it),
/// without a byte-order mark or any character XML forbids (each removal a
/// warning).
fn decode(
    path: &Path,
    mut bytes: Vec<u8>,
    partial: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<String> {
    if partial {
        if let Err(error) = simdutf8::compat::from_utf8(&bytes) {
            if error.error_len().is_none() {
                bytes.truncate(error.valid_up_to());
            }
        }
    }
    // simdutf8 first: most of a build's time is spent checking text (and a
    // copy costs less than std's second check).
    let text = if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        text.to_owned()
    } else {
        String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = line_of(std::str::from_utf8(valid).unwrap_or_default(), valid.len());
            Diagnostic::new(path, "is not UTF-8 text")
                .line(line)
                .help("save the file as UTF-8 (e.g. `iconv -f GBK -t UTF-8`)")
        })?
    };
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let (kept, removed) = strip_xml_unsafe(&text);
    warnings.extend(removed.warnings(path));
    Ok(match kept {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(kept) => kept,
    })
}

#[cfg(test)]
mod tests {
    use super::front_matter_end;

    #[test]
    fn a_head_holds_the_front_matter_only_when_its_closing_line_is_whole() {
        assert_eq!(front_matter_end(b"+++\ntitle = 1\n+++\nbody"), Some(18));
        assert_eq!(front_matter_end(b"\n---\ntitle: x\n...\n"), Some(18));
        assert_eq!(front_matter_end(b"+++\ntitle = 1\n++"), None);
        assert_eq!(front_matter_end(b"+++\ntitle = \"a very long"), None);
        assert_eq!(front_matter_end(b"no front matter at all\n"), Some(0));
    }
}
