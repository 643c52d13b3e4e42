//! Watching the data folder, and rebuilding once it has been quiet.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use indicatif::ProgressBar;
use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::reload::Status;
use super::ServeError;
use crate::build::{build, Options};
use crate::command::build::{write_failure, write_report};

/// How long the data folder must stay quiet before a rebuild starts: an
/// editor's save, or a `git checkout`, is many events, and one build should
/// see all of them.
const SETTLE: Duration = Duration::from_millis(200);

pub(super) enum Signal {
    Changed,
    Stop,
}

/// Watches `data_dir` recursively (and `articles_dir`, when `feed.toml`
/// puts the articles outside it) and sends [`Signal::Changed`] for each
/// event that may change what a build reads.
pub(super) fn watch(
    data_dir: &Path,
    articles_dir: Option<&Path>,
    out_dir: &Path,
    changes: Sender<Signal>,
) -> Result<RecommendedWatcher, ServeError> {
    let watch_error = |source| ServeError::Watch {
        path: data_dir.to_path_buf(),
        source,
    };
    let data = std::fs::canonicalize(data_dir)
        .map_err(|e| watch_error(notify::Error::io(e).add_path(data_dir.to_path_buf())))?;
    let articles = articles_dir
        .and_then(|dir| std::fs::canonicalize(dir).ok())
        .filter(|dir| !dir.starts_with(&data));
    let roots: Vec<_> = std::iter::once(data.clone()).chain(articles).collect();
    // The build writes into the output folder; when that lies inside a
    // watched folder, its own writes must not start the next build.
    let out = resolve(out_dir).filter(|out| {
        roots
            .iter()
            .any(|root| out.starts_with(root) && out != root)
    });
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            Ok(event) if is_edit(&event, out.as_deref()) => {
                let _ = changes.send(Signal::Changed);
            }
            Ok(_) => {}
            Err(error) => eprintln!("warning: watching for changes: {error}"),
        })
        .map_err(watch_error)?;
    for root in &roots {
        watcher
            .watch(root, RecursiveMode::Recursive)
            .map_err(watch_error)?;
    }
    Ok(watcher)
}

/// Whether `event` may change what a build reads: a file created, written,
/// renamed or removed outside `ignored`. Opening and reading files, and
/// metadata changes (the build's own reads touch access times), do not count.
fn is_edit(event: &notify::Event, ignored: Option<&Path>) -> bool {
    if event.need_rescan() {
        return true;
    }
    let edit = match event.kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    };
    edit && event
        .paths
        .iter()
        .any(|path| ignored.is_none_or(|ignored| !path.starts_with(ignored)))
}

/// `path` made absolute with symbolic links resolved, as far as it exists:
/// the output folder may not exist before the first build.
fn resolve(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return Some(rest.iter().rev().fold(real, |real, part| real.join(part)));
        }
        match existing.components().next_back() {
            Some(Component::Normal(part)) => rest.push(part),
            _ => return None,
        }
        existing = existing.parent()?;
    }
}

/// Rebuilds once the changes have settled, until [`Signal::Stop`]. Changes
/// that arrive during a build start another one after it. Each build's
/// outcome goes to `status`, for the pages that reload.
pub(super) fn rebuild_on_changes(
    signals: &Receiver<Signal>,
    data_dir: &Path,
    out_dir: &Path,
    status: &tokio::sync::watch::Sender<Status>,
) {
    while let Ok(Signal::Changed) = signals.recv() {
        loop {
            match signals.recv_timeout(SETTLE) {
                Ok(Signal::Changed) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let options = Options {
            progress: ProgressBar::hidden(),
            on_wait: &|message| eprintln!("{message}"),
            now: Some(crate::command::now(None).fixed_offset()),
        };
        let stderr = &mut io::stderr();
        let error = match build(data_dir, out_dir, &options) {
            Ok(report) => {
                let _ = write_report(stderr, &report, data_dir, out_dir);
                None
            }
            Err(error) => {
                let mut message = Vec::new();
                let _ = write_failure(&mut message, &error, out_dir);
                let _ = stderr.write_all(&message).and_then(|()| {
                    writeln!(
                        stderr,
                        "still serving them; the next change to {} rebuilds",
                        data_dir.display()
                    )
                });
                Some(String::from_utf8_lossy(&message).into_owned())
            }
        };
        status.send_modify(|status| {
            status.builds += 1;
            status.error = error;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_metadata_changes_do_not_rebuild() {
        use notify::event::{AccessKind, CreateKind, DataChange, MetadataKind};
        let event = |kind, path: &str| notify::Event::new(kind).add_path(PathBuf::from(path));
        let out = Path::new("/site/data/public");
        let data_change = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(is_edit(&event(data_change, "/site/data/a.md"), Some(out)));
        assert!(is_edit(
            &event(EventKind::Create(CreateKind::File), "/site/data/b.md"),
            None
        ));
        assert!(!is_edit(
            &event(data_change, "/site/data/public/rss.xml"),
            Some(out)
        ));
        assert!(!is_edit(
            &event(EventKind::Access(AccessKind::Any), "/site/data/a.md"),
            None
        ));
        assert!(!is_edit(
            &event(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
                "/site/data/a.md"
            ),
            None
        ));
    }

    #[test]
    fn an_output_folder_that_does_not_exist_yet_resolves_below_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            resolve(&dir.path().join("public/new")),
            Some(real.join("public/new"))
        );
    }
}
