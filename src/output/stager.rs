//! Writing outputs so that a reader never sees a half-written file and a
//! failed build leaves the previous outputs exactly as they were.
//!
//! A [`Stager`] holds the output folder's lock for the whole build. Each
//! output is written in full to a temporary file beside its destination and
//! flushed to disk as soon as it is rendered; only [`Stager::commit`], once
//! every output is ready, renames them over their destinations (a rename
//! within one folder is atomic). Dropping a stager without committing removes
//! its temporary files. An output whose bytes have not changed is left alone,
//! so its modification time, and a web server's `Last-Modified` and `ETag`,
//! stay put.
//!
//! The folder's manifest lists what the last build wrote, so that a document
//! no longer produced (an archive page, a category that is gone) is deleted,
//! while files make-feed did not write are never touched: every path is
//! [checked](super::claim) before anything is staged at it, and a path the
//! manifest does not list is refused if anything stands there. Before the
//! first rename the manifest is extended by every path the build is about
//! to write, so that a build killed half way still knows its files.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rayon::slice::ParallelSliceMut;
use tempfile::TempPath;

use super::claim;
use super::folder::{Found, OpenFolder};
use super::halt;
use super::index::NextIndex;
use super::lock::OutputLock;
use super::locked;
use super::manifest;
use crate::error::{Diagnostic, Error, Result};
use crate::model::Stamp;
use crate::render::Output;

/// Prefix of temporary files. The folder's token follows it (see
/// [`OutputLock`]): a file named so is a leftover of a killed build of this
/// folder, and the next build removes it; no other file is taken for one.
pub(crate) const TEMP_PREFIX: &str = ".make-feed-tmp-";

/// How much of an existing file [`Stager::tail`] reads first.
const TAIL: u64 = 4096;

/// What [`Stager::add_copy`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CopyOutcome {
    /// Staged, or kept because the same bytes are there.
    Staged,
    /// The user's identical file is there; it is left alone and not listed.
    AlreadyThere,
    /// A different file make-feed did not write is there; left alone.
    NotOurs,
    /// This file stands where a folder of the path would go.
    Blocked(PathBuf),
}

/// The end of an existing output ([`Stager::tail`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tail {
    /// The last bytes, holding the whole last line.
    pub(crate) bytes: Vec<u8>,
    /// The whole file's length.
    pub(crate) file_len: u64,
    pub(crate) stamp: Stamp,
}

/// What publishing did, as paths below the output folder, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Published {
    pub(crate) written: Vec<String>,
    pub(crate) unchanged: Vec<String>,
    pub(crate) removed: Vec<String>,
    /// Outputs of the last build that could not be deleted, with why.
    pub(crate) not_removed: Vec<String>,
}

pub(crate) struct Stager {
    out_dir: PathBuf,
    /// The same, open: what stands at each output's path is looked up
    /// from there.
    out: OpenFolder,
    /// Folders known to exist, each with the first output staged in it
    /// (which a claim of the folder's own path names, even while that
    /// output is still being written).
    folders: Mutex<HashMap<PathBuf, String>>,
    /// Folders below the output folder found to be real folders (not
    /// links), as site paths.
    real_folders: Mutex<HashSet<String>>,
    /// Folders this build made, which a failed build removes again if empty.
    made: Mutex<Vec<PathBuf>>,
    /// `TEMP_PREFIX` and this folder's token.
    temp_prefix: String,
    /// Set once the outputs are published; until then, dropping the stager
    /// (an error, or a panic) undoes what it did.
    committed: bool,
    /// The paths the last build wrote.
    previous: manifest::Listed,
    staged: Mutex<Staged>,
    lock: OutputLock,
}

impl Drop for Stager {
    fn drop(&mut self) {
        if !self.committed {
            self.undo();
        }
        // Every staged file is renamed or removed by now (the build index's
        // too: it goes first).
        self.lock.end_work();
    }
}

#[derive(Default)]
struct Staged {
    temps: Vec<(String, TempPath)>,
    unchanged: Vec<String>,
}

impl Stager {
    /// Locks `out_dir` (creating it), waiting for another build that holds
    /// it, and removes what a killed build left behind. The output folder and
    /// its lock file stay even if the build fails: a build waiting for the
    /// lock holds that file.
    pub(crate) fn open(out_dir: &Path, on_wait: &dyn Fn(&str)) -> Result<Stager> {
        let mut lock = OutputLock::acquire(out_dir, on_wait)?;
        let temp_prefix = format!("{TEMP_PREFIX}{}-", lock.token);
        if !lock.clean {
            remove_leftovers(out_dir, &temp_prefix)?;
        }
        lock.begin_work()
            .map_err(|e| Error::io(out_dir.join(super::lock::LOCK), e))?;
        let previous = manifest::Listed::new(&manifest::read(out_dir)?);
        Ok(Stager {
            out_dir: out_dir.to_path_buf(),
            out: OpenFolder::open(out_dir),
            folders: Mutex::default(),
            real_folders: Mutex::default(),
            made: Mutex::default(),
            temp_prefix,
            committed: false,
            previous,
            staged: Mutex::new(Staged::default()),
            lock,
        })
    }

    /// Checks that make-feed may write `path` ([`claim::check`]), and gives
    /// the stamp of the file the last build wrote there, if one is.
    fn claim(&self, path: &str) -> Result<Option<Stamp>> {
        // A folder this build made for another output: say so, whichever of
        // the two is staged first.
        let folders = locked(&self.folders);
        let made_for = if folders.is_empty() {
            None
        } else {
            folders.get(&self.out_dir.join(path)).cloned()
        };
        drop(folders);
        if let Some(first) = made_for {
            let prefix = format!("{path}/");
            let inside = self
                .staged()
                .temps
                .iter()
                .map(|(staged, _)| staged.clone())
                .filter(|staged| staged.starts_with(&prefix))
                .chain([first])
                .min()
                .unwrap_or_else(|| format!("{prefix}…"));
            return Err(Diagnostic::new(
                self.out_dir.join(path),
                format!("would be both a file and the folder of {inside}"),
            )
            .help("rename one of the articles or files these two outputs come from")
            .into());
        }
        claim::check(&self.out, path, &self.previous, &self.real_folders).map_err(Error::from)
    }

    pub(crate) fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Writes `output` to a temporary file beside its destination, unless
    /// the destination already holds the same bytes.
    pub(crate) fn add(&self, output: Output) -> Result<()> {
        self.add_stamped(output).map(|_| ())
    }

    /// [`Stager::add`], giving the stamp of the file already there when
    /// it holds the same bytes, or else the [pending](Stamp::pending) stamp
    /// of the one staged.
    pub(crate) fn add_stamped(&self, output: Output) -> Result<Stamp> {
        let existing = self.claim(&output.path)?;
        let destination = self.out_dir.join(&output.path);
        // Only a regular file of the same length is read (claimed: not a
        // FIFO, a device or a link to one).
        let same_length = existing.filter(|stamp| stamp.size == output.bytes.len() as u64);
        if let Some(stamp) = same_length {
            if fs::read(&destination).is_ok_and(|old| old == output.bytes) {
                self.staged().unchanged.push(output.path);
                return Ok(stamp);
            }
        }
        self.stage_with(output.path, |file| file.write_all(&output.bytes))
    }

    /// Writes `output` to a temporary file beside its destination, without
    /// comparing it with what is there (the caller knows it differs), and
    /// gives its [pending](Stamp::pending) stamp.
    pub(crate) fn add_new(&self, output: Output) -> Result<Stamp> {
        self.claim(&output.path)?;
        self.stage_with(output.path, |file| file.write_all(&output.bytes))
    }

    /// The stamp of the output the last build wrote at `path`, if it is
    /// still there: a regular file the last manifest lists. Only an output
    /// that is kept as it is asks, and only while this stamp is the one the
    /// last build recorded, inode and change time included: the very file
    /// it wrote. So the folders on the way are not checked (one `stat` a
    /// page fewer): nothing is written through them, and an output staged
    /// at `path` is claimed in full.
    pub(crate) fn existing(&self, path: &str) -> Option<Stamp> {
        if !self.previous.contains(path) {
            return None;
        }
        match self.out.stat(path, false).ok()? {
            (Found::File, stamp) => stamp,
            _ => None,
        }
    }

    /// The prefix of this build's temporary files in the output folder.
    pub(crate) fn temp_prefix(&self) -> &str {
        &self.temp_prefix
    }

    /// Creates a temporary file beside the destination of `path` (a path
    /// already claimed), fills it with `write` and stages it.
    fn stage_with(
        &self,
        path: String,
        write: impl FnOnce(&mut File) -> std::io::Result<()>,
    ) -> Result<Stamp> {
        let destination = self.out_dir.join(&path);
        let folder = destination.parent().unwrap_or(&self.out_dir);
        // A site's pages share a few folders: make each once, not per file.
        let known = locked(&self.folders).contains_key(folder);
        if !known {
            let mut new = Vec::new();
            let mut missing = Some(folder);
            while let Some(dir) = missing.filter(|dir| !dir.exists()) {
                new.push(dir.to_path_buf());
                missing = dir.parent();
            }
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
            locked(&self.made).extend(new);
            locked(&self.folders)
                .entry(folder.to_path_buf())
                .or_insert_with(|| path.clone());
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(&self.temp_prefix);
        // Outputs are for a web server; temporary files are created private.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o644));
        }
        let mut temp = builder
            .tempfile_in(folder)
            .map_err(|e| Error::io(folder, e))?;
        halt::step();
        write(temp.as_file_mut()).map_err(|e| Error::io(&destination, e))?;
        halt::step();
        // A rename keeps the size, modification time and inode.
        let meta = temp
            .as_file()
            .metadata()
            .map_err(|e| Error::io(&destination, e))?;
        self.staged().temps.push((path, temp.into_temp_path()));
        Ok(Stamp::pending(&meta))
    }

    /// Gives up: removes the staged files and the folders made for them.
    /// The output folder and its lock file stay. Dropping an uncommitted
    /// stager does the same.
    pub(crate) fn abandon(self) {
        drop(self);
    }

    fn undo(&mut self) {
        locked(&self.staged).temps.clear();
        let mut made = std::mem::take(&mut *locked(&self.made));
        // Deepest first; only empty folders go.
        made.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
        for folder in made {
            let _ = fs::remove_dir(folder);
        }
    }

    /// The end of the output already at `path`, at least its last line
    /// whole (the last [`TAIL`] bytes, or the whole file if its last line is
    /// longer): what a build reads to decide whether to keep the file.
    /// `None` if there is no such file, or it is not one make-feed may
    /// replace (its trailer is never trusted then).
    pub(crate) fn tail(&self, path: &str) -> Option<Tail> {
        self.claim(path).ok()?;
        if !self.previous.contains(path) {
            return None;
        }
        let mut file = File::open(self.out_dir.join(path)).ok()?;
        let meta = file.metadata().ok()?;
        let file_len = meta.len();
        let start = file_len.saturating_sub(TAIL);
        let mut bytes = Vec::with_capacity((file_len - start) as usize);
        file.seek(SeekFrom::Start(start)).ok()?;
        file.read_to_end(&mut bytes).ok()?;
        let last_line_is_whole = bytes
            .split_last()
            .is_some_and(|(_, before)| before.contains(&b'\n'));
        if start > 0 && !last_line_is_whole {
            bytes.clear();
            file.seek(SeekFrom::Start(0)).ok()?;
            file.read_to_end(&mut bytes).ok()?;
        }
        Some(Tail {
            bytes,
            file_len,
            stamp: Stamp::of(&meta),
        })
    }

    /// Whether the previous build wrote `path`: only then can an output be
    /// kept there.
    pub(crate) fn wrote_before(&self, path: &str) -> bool {
        self.previous.contains(path)
    }

    /// Keeps the output at `path` as it is.
    pub(crate) fn keep(&self, path: &str) {
        self.staged().unchanged.push(path.to_string());
    }

    /// Stages a copy of the file at `source` as `path`, unless the
    /// destination already holds the same bytes. The file is streamed, so
    /// a large asset is never held in memory. Nothing is staged, and the
    /// result says why, when a file make-feed did not write is already at
    /// `path`, or a file stands where a folder of `path` would go.
    pub(crate) fn add_copy(&self, path: String, source: &Path) -> Result<CopyOutcome> {
        let destination = self.out_dir.join(&path);
        let in_the_way = Path::new(&path)
            .ancestors()
            .skip(1)
            .filter(|folder| !folder.as_os_str().is_empty())
            .map(|folder| self.out_dir.join(folder))
            .find(|folder| fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir()));
        if let Some(file) = in_the_way {
            return Ok(CopyOutcome::Blocked(file));
        }
        if claim::name_problem(&path).is_some() {
            return Ok(CopyOutcome::NotOurs);
        }
        let exists = fs::symlink_metadata(&destination).is_ok();
        if exists && !self.previous.contains(&path) {
            return Ok(if same_bytes(source, &destination) {
                CopyOutcome::AlreadyThere
            } else {
                CopyOutcome::NotOurs
            });
        }
        if exists && same_bytes(source, &destination) {
            self.staged().unchanged.push(path);
            return Ok(CopyOutcome::Staged);
        }
        let mut input = File::open(source).map_err(|e| Error::io(source, e))?;
        self.stage_with(path, |file| std::io::copy(&mut input, file).map(|_| ()))?;
        Ok(CopyOutcome::Staged)
    }

    /// Runs `f` on the set of every path staged so far.
    pub(crate) fn with_staged<R>(&self, f: impl FnOnce(&HashSet<&str>) -> R) -> R {
        let staged = self.staged();
        let paths: HashSet<&str> = staged
            .temps
            .iter()
            .map(|(path, _)| path.as_str())
            .chain(staged.unchanged.iter().map(String::as_str))
            .collect();
        f(&paths)
    }

    /// Renames every staged file into place, deletes the outputs of the last
    /// build that this one did not produce, and records the new manifest.
    #[cfg(test)]
    pub(crate) fn commit(mut self) -> Result<Published> {
        self.publish()
    }

    /// [`Stager::commit`], and then `index` put in place, while the output
    /// folder is still locked.
    pub(crate) fn commit_with(mut self, index: NextIndex) -> Result<Published> {
        match self.publish() {
            Ok(published) => {
                index.publish(&self.out_dir);
                Ok(published)
            }
            Err(error) => {
                drop(index);
                Err(error)
            }
        }
    }

    fn publish(&mut self) -> Result<Published> {
        let Staged {
            mut temps,
            mut unchanged,
        } = std::mem::take(&mut *self.staged());
        temps.sort_by(|a, b| a.0.cmp(&b.0));
        unchanged.par_sort_unstable();
        let previous = manifest::read(&self.out_dir)?;
        // Every output of the last build kept, and nothing new: nothing to
        // rename, list or remove.
        if temps.is_empty() && previous.lines().eq(unchanged.iter().map(String::as_str)) {
            self.committed = true;
            return Ok(Published {
                unchanged,
                ..Published::default()
            });
        }
        // The manifest lists every output, sorted; it also answers "is this
        // still produced?" below, without a second copy of every path.
        let manifest = manifest::text(
            temps
                .iter()
                .map(|(path, _)| path.as_str())
                .chain(unchanged.iter().map(String::as_str)),
        );
        let produced: Vec<&str> = manifest.lines().collect();
        self.refuse_files_that_are_folders(&produced)?;
        let total = temps.len();
        // Every path about to be written is listed before the first rename,
        // so that a build killed among the renames leaves no file of its own
        // that the next build would take for someone else's.
        if temps.iter().any(|(path, _)| !self.previous.contains(path)) {
            let listed = manifest::text(
                previous
                    .lines()
                    .chain(temps.iter().map(|(path, _)| path.as_str())),
            );
            manifest::write(&self.out_dir, &listed, &self.temp_prefix)?;
        }
        let written = self.rename_into_place(temps)?;
        self.committed = true;

        // The manifest first: from here on the new outputs are published, so
        // a file that cannot be deleted is a warning, not a failed build.
        if manifest != previous {
            if let Err(Error::Io { path, source }) =
                manifest::write(&self.out_dir, &manifest, &self.temp_prefix)
            {
                return Err(Error::Partial {
                    path,
                    source,
                    published: total,
                    total,
                });
            }
            halt::step();
        }
        let (removed, not_removed) = self.remove_no_longer_produced(&previous, &produced);
        if !(written.is_empty() && removed.is_empty()) {
            sync_folder(&self.out_dir);
        }
        Ok(Published {
            written,
            unchanged,
            removed,
            not_removed,
        })
    }

    /// A path that is both a file and the folder of another output would
    /// fail half way through the renames: refuse it before the first.
    fn refuse_files_that_are_folders(&self, produced: &[&str]) -> Result<()> {
        for path in produced {
            let folder = path
                .match_indices('/')
                .map(|(at, _)| &path[..at])
                .find(|folder| produced.binary_search(folder).is_ok());
            if let Some(folder) = folder {
                return Err(Diagnostic::new(
                    self.out_dir.join(folder),
                    format!("would be both a file and the folder of {path}"),
                )
                .help("rename one of the articles or files these two outputs come from")
                .into());
            }
        }
        Ok(())
    }

    /// Renames each staged file over its destination, in order, and gives
    /// the paths written. If one fails after others were renamed, what is
    /// published is listed in the manifest (so that later builds know those
    /// files are theirs) and the error says how much was.
    fn rename_into_place(&mut self, temps: Vec<(String, TempPath)>) -> Result<Vec<String>> {
        // Every temporary file's bytes reach the disk before any rename, so a
        // power cut cannot leave a renamed but empty file.
        if !temps.is_empty() {
            sync_data(&self.out_dir, temps.iter().map(|(_, temp)| temp.as_ref()))?;
        }
        let mut written = Vec::with_capacity(temps.len());
        let total = temps.len();
        for (path, temp) in temps {
            let destination = self.out_dir.join(&path);
            if let Err(e) = temp.persist(&destination) {
                if written.is_empty() {
                    return Err(Error::io(&destination, e.error));
                }
                // The manifest already lists every path of this build.
                self.committed = true;
                return Err(Error::Partial {
                    path: destination,
                    source: e.error,
                    published: written.len(),
                    total,
                });
            }
            written.push(path);
            halt::step();
        }
        Ok(written)
    }

    /// Deletes the files the `previous` manifest lists that are not
    /// `produced` now: the paths removed, and why others could not be.
    fn remove_no_longer_produced(
        &self,
        previous: &str,
        produced: &[&str],
    ) -> (Vec<String>, Vec<String>) {
        let mut removed = Vec::new();
        let mut not_removed = Vec::new();
        for path in previous
            .lines()
            .filter(|p| manifest::is_own_output(p) && produced.binary_search(p).is_err())
        {
            let file = self.out_dir.join(path);
            if let Some(link) = self.link_on_the_way(path) {
                not_removed.push(format!(
                    "{}: not deleted, it is reached through the symbolic link {}",
                    file.display(),
                    link.display()
                ));
                continue;
            }
            match fs::remove_file(&file) {
                Ok(()) => {
                    removed.push(path.to_string());
                    remove_empty_parents(&self.out_dir, &file);
                    halt::step();
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => not_removed.push(format!("{}: {e}", file.display())),
            }
        }
        (removed, not_removed)
    }

    /// The first folder of `path` that is not a real folder.
    fn link_on_the_way(&self, path: &str) -> Option<PathBuf> {
        path.match_indices('/')
            .map(|(at, _)| self.out_dir.join(&path[..at]))
            .find(|folder| fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir()))
    }

    fn staged(&self) -> MutexGuard<'_, Staged> {
        locked(&self.staged)
    }
}

/// True if the files at `a` and `b` both exist, are regular files (`b` not
/// a link to one) and hold the same bytes.
fn same_bytes(a: &Path, b: &Path) -> bool {
    let (Ok(meta_a), Ok(meta_b)) = (fs::metadata(a), fs::symlink_metadata(b)) else {
        return false;
    };
    if !meta_a.is_file() || !meta_b.is_file() || meta_a.len() != meta_b.len() {
        return false;
    }
    let (Ok(mut file_a), Ok(mut file_b)) = (File::open(a), File::open(b)) else {
        return false;
    };
    let (mut buffer_a, mut buffer_b) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let Ok(n) = file_a.read(&mut buffer_a) else {
            return false;
        };
        if n == 0 {
            return true;
        }
        if file_b.read_exact(&mut buffer_b[..n]).is_err() || buffer_a[..n] != buffer_b[..n] {
            return false;
        }
    }
}

fn remove_empty_parents(out_dir: &Path, file: &Path) {
    let mut folder = file.parent();
    while let Some(dir) = folder {
        if dir == out_dir || fs::remove_dir(dir).is_err() {
            break;
        }
        folder = dir.parent();
    }
}

/// Removes temporary files that a killed build left in `out_dir`: regular
/// files whose names start with `prefix`, which holds the folder's token.
fn remove_leftovers(out_dir: &Path, prefix: &str) -> Result<()> {
    for item in walkdir::WalkDir::new(out_dir).follow_links(false) {
        let Ok(item) = item else { continue };
        let is_leftover =
            item.file_type().is_file() && item.file_name().to_string_lossy().starts_with(prefix);
        if is_leftover {
            fs::remove_file(item.path()).map_err(|e| Error::io(item.path(), e))?;
        }
    }
    Ok(())
}

/// Flushes the staged files to disk: on Linux with one `syncfs` for the whole
/// file system, which costs far less than a sync per file when a build writes
/// thousands of small feeds; elsewhere file by file.
fn sync_data<'p>(out_dir: &Path, files: impl Iterator<Item = &'p Path>) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let _ = files;
        let folder = File::open(out_dir).map_err(|e| Error::io(out_dir, e))?;
        rustix::fs::syncfs(&folder).map_err(|e| Error::io(out_dir, e.into()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = out_dir;
        for path in files {
            // Flushing a file on Windows needs write access.
            File::options()
                .write(true)
                .open(path)
                .and_then(|file| file.sync_all())
                .map_err(|e| Error::io(path, e))?;
        }
        Ok(())
    }
}

/// Makes the renames durable. Best effort: not every platform can open a
/// folder for syncing.
fn sync_folder(folder: &Path) {
    if let Ok(handle) = File::open(folder) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;

    fn output(path: &str, text: &str) -> Output {
        Output {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn open(out: &Path) -> Stager {
        Stager::open(out, &|_| panic!("no other build holds the lock")).unwrap()
    }

    fn staged_paths(paths: &HashSet<&str>) -> Vec<String> {
        let mut paths: Vec<String> = paths.iter().map(|p| (*p).to_string()).collect();
        paths.sort();
        paths
    }

    fn inode(path: &Path) -> u64 {
        fs::metadata(path).unwrap().ino()
    }

    fn temps(out: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(out)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(TEMP_PREFIX)
            })
            .collect()
    }

    /// Publishes `outputs` (path, text) into `out` with one build.
    fn publish(out: &Path, outputs: &[(&str, &str)]) -> Published {
        let stager = open(out);
        for (path, text) in outputs {
            stager.add(output(path, text)).unwrap();
        }
        stager.commit().unwrap()
    }

    #[test]
    fn an_unchanged_output_is_left_alone_and_a_changed_one_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = publish(&out, &[("a.xml", "a"), ("sub/b.xml", "b")]);
        assert_eq!(first.written, ["a.xml", "sub/b.xml"]);
        assert_eq!(manifest::read(&out).unwrap(), "a.xml\nsub/b.xml\n");
        let (a, b) = (inode(&out.join("a.xml")), inode(&out.join("sub/b.xml")));

        let second = publish(&out, &[("a.xml", "a"), ("sub/b.xml", "B")]);
        assert_eq!(
            second,
            Published {
                written: vec!["sub/b.xml".into()],
                unchanged: vec!["a.xml".into()],
                ..Published::default()
            }
        );
        assert_eq!(inode(&out.join("a.xml")), a, "kept, not rewritten");
        assert_ne!(inode(&out.join("sub/b.xml")), b);
        assert_eq!(fs::read_to_string(out.join("sub/b.xml")).unwrap(), "B");

        // `add_new` writes without comparing; `keep` keeps without writing.
        let stager = open(&out);
        stager.add_new(output("a.xml", "a")).unwrap();
        stager.keep("sub/b.xml");
        let third = stager.commit().unwrap();
        assert_eq!(
            (third.written, third.unchanged),
            (vec!["a.xml".to_string()], vec!["sub/b.xml".to_string()])
        );
        assert_ne!(inode(&out.join("a.xml")), a);
        assert!(temps(&out).is_empty());
    }

    #[test]
    fn outputs_no_longer_produced_go_and_files_make_feed_did_not_write_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(
            &out,
            &[("a.xml", "a"), ("old/deep/b.xml", "b"), ("old/c.xml", "c")],
        );
        fs::write(out.join("mine.txt"), "user").unwrap();
        fs::write(out.join("old/mine.txt"), "user").unwrap();
        let published = publish(&out, &[("a.xml", "a"), ("old/c.xml", "c")]);
        assert_eq!(published.removed, ["old/deep/b.xml"]);
        assert!(published.not_removed.is_empty());
        assert!(!out.join("old/deep").exists(), "an emptied folder goes too");
        assert!(out.join("old/mine.txt").exists() && out.join("mine.txt").exists());
        assert_eq!(manifest::read(&out).unwrap(), "a.xml\nold/c.xml\n");

        // A listed file already gone is no failure and no news; a listed
        // path that is a folder cannot be deleted, and says so.
        fs::write(
            out.join(manifest::MANIFEST),
            "a.xml\ngone.xml\nold\nold/c.xml\n../outside\n",
        )
        .unwrap();
        fs::write(dir.path().join("outside"), "x").unwrap();
        let published = publish(&out, &[("a.xml", "a"), ("old/c.xml", "c")]);
        assert!(published.removed.is_empty(), "{:?}", published.removed);
        assert_eq!(
            published.not_removed.len(),
            1,
            "{:?}",
            published.not_removed
        );
        assert!(published.not_removed[0].contains("old"));
        assert!(dir.path().join("outside").exists());
        assert_eq!(manifest::read(&out).unwrap(), "a.xml\nold/c.xml\n");
    }

    #[test]
    fn an_abandoned_build_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("new/out");
        let stager = open(&out);
        stager.add(output("x/a.xml", "a")).unwrap();
        assert_eq!(temps(&out).len(), 1);
        stager.abandon();
        // The lock file is never deleted (a waiting build may hold it), so
        // a new output folder stays, holding that file alone.
        let left: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(left, [super::super::lock::LOCK], "only the lock file stays");

        // A folder that was there, empty, stays.
        fs::create_dir(dir.path().join("empty")).unwrap();
        let stager = open(&dir.path().join("empty/out"));
        stager.add(output("a.xml", "a")).unwrap();
        stager.abandon();
        assert!(dir.path().join("empty").is_dir());
        assert!(temps(&dir.path().join("empty/out")).is_empty());

        publish(&out, &[("a.xml", "a")]);
        let stager = open(&out);
        stager.add(output("a.xml", "changed")).unwrap();
        stager.add(output("y/b.xml", "b")).unwrap();
        drop(stager);
        assert_eq!(fs::read_to_string(out.join("a.xml")).unwrap(), "a");
        assert!(temps(&out).is_empty());
        assert!(!out.join("y").exists(), "the folders it made are gone");
        assert!(
            out.join(super::super::lock::LOCK).exists(),
            "an existing folder keeps its lock file"
        );
    }

    #[test]
    fn leftovers_of_a_killed_build_are_removed_on_opening() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(&out, &[("sub/a.xml", "a")]);
        // Temporary files carry the folder's token, kept in the lock file,
        // whose second line says the last build ended cleanly.
        let lock = out.join(super::super::lock::LOCK);
        let text = fs::read_to_string(&lock).unwrap();
        let (token, state) = text.split_once('\n').unwrap();
        assert_eq!(state, "clean\n");
        // As a killed build leaves it.
        fs::write(&lock, format!("{token}\n")).unwrap();
        let prefix = format!("{TEMP_PREFIX}{token}-");
        fs::write(out.join(format!("{prefix}x")), "half").unwrap();
        fs::write(out.join(format!("sub/{prefix}y")), "half").unwrap();
        fs::write(out.join("sub/keep.make-feed-tmp-z"), "mine").unwrap();
        fs::write(out.join(format!("{TEMP_PREFIX}other-z")), "mine too").unwrap();
        let stager = open(&out);
        assert!(!out.join(format!("{prefix}x")).exists());
        assert!(!out.join(format!("sub/{prefix}y")).exists());
        assert!(out.join("sub/keep.make-feed-tmp-z").exists());
        assert!(
            out.join(format!("{TEMP_PREFIX}other-z")).exists(),
            "a name without the token is not make-feed's"
        );
        assert_eq!(stager.out_dir(), out);
    }

    #[test]
    fn an_output_that_is_also_a_folder_is_refused_before_any_rename() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(&out, &[("a.xml", "old")]);
        let stager = open(&out);
        stager.add(output("a.xml", "new")).unwrap();
        stager.add(output("b", "file")).unwrap();
        stager.add(output("b/c.xml", "in a folder")).unwrap();
        let Err(Error::Input(error)) = stager.commit() else {
            panic!("not refused");
        };
        assert_eq!(error.path, out.join("b"));
        assert!(error.message.contains("b/c.xml"), "{}", error.message);
        assert_eq!(fs::read_to_string(out.join("a.xml")).unwrap(), "old");
    }

    #[test]
    fn the_tail_holds_the_whole_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let long_line = "x".repeat(5000);
        let short = "a\nlast line\n".to_string();
        let big = format!("{}\nlast\n", "y".repeat(9000));
        let whole = format!("first\n{long_line}\n");
        publish(
            &out,
            &[("short", &short), ("big", &big), ("whole", &whole)].map(|(p, t)| (p, t.as_str())),
        );
        let stager = open(&out);
        assert_eq!(stager.tail("missing"), None);
        let tail = stager.tail("short").unwrap();
        assert_eq!(
            (tail.bytes, tail.file_len),
            (short.clone().into_bytes(), short.len() as u64)
        );
        let tail = stager.tail("big").unwrap();
        assert_eq!(tail.bytes.len() as u64, TAIL);
        assert!(tail.bytes.ends_with(b"\nlast\n"));
        assert_eq!(tail.file_len, big.len() as u64);
        let tail = stager.tail("whole").unwrap();
        assert_eq!(
            tail.bytes,
            whole.as_bytes(),
            "a last line longer than the tail"
        );
    }

    #[test]
    fn copies_are_staged_kept_or_refused_by_whose_file_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let source = dir.path().join("pic.png");
        fs::write(&source, "png").unwrap();
        let stager = open(&out);
        assert_eq!(
            stager.add_copy("img/pic.png".into(), &source).unwrap(),
            CopyOutcome::Staged
        );
        assert_eq!(stager.with_staged(staged_paths), ["img/pic.png"]);
        stager.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("img/pic.png")).unwrap(), "png");
        let copied = inode(&out.join("img/pic.png"));

        fs::write(out.join("same.png"), "png").unwrap();
        fs::write(out.join("other.png"), "gif").unwrap();
        fs::write(out.join("file"), "x").unwrap();
        let stager = open(&out);
        assert_eq!(
            stager.add_copy("img/pic.png".into(), &source).unwrap(),
            CopyOutcome::Staged
        );
        assert_eq!(
            stager.add_copy("same.png".into(), &source).unwrap(),
            CopyOutcome::AlreadyThere
        );
        assert_eq!(
            stager.add_copy("other.png".into(), &source).unwrap(),
            CopyOutcome::NotOurs
        );
        assert_eq!(
            stager.add_copy("file/pic.png".into(), &source).unwrap(),
            CopyOutcome::Blocked(out.join("file"))
        );
        assert_eq!(stager.with_staged(staged_paths), ["img/pic.png"]);
        let published = stager.commit().unwrap();
        assert_eq!(published.unchanged, ["img/pic.png"]);
        assert!(published.written.is_empty());
        assert_eq!(
            inode(&out.join("img/pic.png")),
            copied,
            "the same bytes are kept"
        );
        assert_eq!(fs::read_to_string(out.join("other.png")).unwrap(), "gif");

        fs::write(&source, "new").unwrap();
        let stager = open(&out);
        assert_eq!(
            stager.add_copy("img/pic.png".into(), &source).unwrap(),
            CopyOutcome::Staged
        );
        assert_eq!(stager.commit().unwrap().written, ["img/pic.png"]);
        assert_eq!(fs::read_to_string(out.join("img/pic.png")).unwrap(), "new");
    }

    #[test]
    fn same_bytes_compares_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            path
        };
        let big: Vec<u8> = (0..200_000u32).map(|n| n as u8).collect();
        let mut other = big.clone();
        other[150_000] ^= 1;
        let (a, b, c) = (path("a", &big), path("b", &big), path("c", &other));
        assert!(same_bytes(&a, &b));
        assert!(!same_bytes(&a, &c));
        assert!(!same_bytes(&a, &path("d", &big[..100])));
        assert!(!same_bytes(&a, &dir.path().join("missing")));
        assert!(same_bytes(&path("e", b""), &path("f", b"")));
    }
}
