//! `make-feed serve`: a preview of the output folder over HTTP on this
//! machine, rebuilt whenever the data folder changes.
//!
//! This module owns what a reader sees over HTTP (which files are served,
//! with which media types, and the answers to conditional requests) and the
//! watch-then-rebuild loop. The builds are the ordinary ones ([`crate::build()`]):
//! because a build publishes by renaming finished files into place, and
//! nothing at all when it fails, requests are answered while a rebuild runs
//! and a failed rebuild leaves the previous files being served.
//!
//! tower-http's `ServeDir` does the file serving. It takes `ETag` (size and
//! modification time to the nanosecond) and `Last-Modified` from the file it
//! has opened, so the validators always describe the bytes sent, and it
//! answers `If-None-Match` before `If-Modified-Since` as RFC 9110 asks. Every
//! published file is a new file with a new modification time, so its `ETag`
//! changes with each rebuild that changes it, and only then.

use std::fmt;
use std::io::{self, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use indicatif::ProgressBar;
use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use percent_encoding::percent_decode_str;
use tower_http::services::ServeDir;

use crate::build::{build, write_failure, write_report, Options};

/// How long the data folder must stay quiet before a rebuild starts: an
/// editor's save, or a `git checkout`, is many events, and one build should
/// see all of them.
pub const SETTLE: Duration = Duration::from_millis(200);

/// Why `serve` could not start or stopped early.
#[derive(Debug)]
pub enum ServeError {
    /// The first build failed; nothing is served from a folder that may not
    /// hold what the data says.
    Build(crate::Error),
    /// The port could not be listened on.
    Port { port: u16, source: io::Error },
    /// The data folder could not be watched.
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    /// The server itself failed.
    Io(io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Build(error) => error.fmt(f),
            ServeError::Port { port, source } if source.kind() == io::ErrorKind::AddrInUse => {
                write!(
                    f,
                    "port {port} on 127.0.0.1 is already in use\n  help: stop what is \
                     listening there, or choose another port with --port (--port 0 lets \
                     the system pick a free one)"
                )
            }
            ServeError::Port { port, source } => write!(
                f,
                "cannot listen on 127.0.0.1 port {port}: {source}\n  help: choose another \
                 port with --port (--port 0 lets the system pick a free one)"
            ),
            ServeError::Watch { path, source } => {
                write!(f, "{}: cannot watch for changes: {source}", path.display())
            }
            ServeError::Io(error) => write!(f, "the server failed: {error}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Build(error) => Some(error),
            ServeError::Port { source, .. } => Some(source),
            ServeError::Watch { source, .. } => Some(source),
            ServeError::Io(error) => Some(error),
        }
    }
}

/// Builds `data_dir` into `out_dir`, serves `out_dir` on 127.0.0.1:`port`
/// (0: a free port the system picks) and rebuilds after every change to
/// `data_dir`, until Ctrl-C or SIGTERM.
///
/// Once it listens and watches, it prints one line to stdout,
/// `Serving <out_dir> at http://127.0.0.1:<port>/`, with the port actually
/// used. Build reports and errors go to stderr, as `make-feed build` prints
/// them. `progress` shows the first build only.
pub fn serve(
    data_dir: &Path,
    out_dir: &Path,
    port: u16,
    progress: ProgressBar,
) -> Result<(), ServeError> {
    // Listening comes first so that a taken port is reported before any
    // building; watching comes before the first build so that an edit made
    // while it runs is not missed.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|source| ServeError::Port { port, source })?;
    let port = listener.local_addr().map_err(ServeError::Io)?.port();
    let (changes, received) = mpsc::channel();
    let watcher = watch(data_dir, out_dir, changes.clone());

    let options = Options {
        progress,
        on_wait: &|message| eprintln!("{message}"),
    };
    let report = build(data_dir, out_dir, &options).map_err(ServeError::Build)?;
    let _ = write_report(&mut io::stderr(), &report, data_dir, out_dir);
    let watcher = watcher?;

    let rebuilder = {
        let (data_dir, out_dir) = (data_dir.to_path_buf(), out_dir.to_path_buf());
        thread::spawn(move || rebuild_on_changes(&received, &data_dir, &out_dir))
    };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(ServeError::Io)?;
    let served = runtime.block_on(async {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let mut stdout = io::stdout();
        writeln!(
            stdout,
            "Serving {} at http://127.0.0.1:{port}/",
            out_dir.display()
        )?;
        // Whoever started us may be waiting for this line to know the address.
        stdout.flush()?;
        eprintln!(
            "rebuilding when {} changes; press Ctrl-C to stop",
            data_dir.display()
        );
        axum::serve(listener, router(out_dir))
            .with_graceful_shutdown(stop_requested())
            .await?;
        eprintln!("stopping");
        finish(watcher, &changes, rebuilder).await;
        Ok(())
    });
    // A rebuild abandoned by a second Ctrl-C must not hold up the exit: the
    // next build removes what it left.
    runtime.shutdown_background();
    served.map_err(ServeError::Io)
}

/// The HTTP side alone: answers GET and HEAD for the files in `out_dir` with
/// [`content_type`]'s media types, `ETag`, `Last-Modified` and `304 Not
/// Modified`. `/` and `/dir/` answer with the folder's `index.html`. Names that
/// start with a dot (make-feed's own bookkeeping, `..`) are never served.
pub fn router(out_dir: &Path) -> Router {
    Router::new()
        .fallback(respond)
        .with_state(ServeDir::new(out_dir))
}

/// The `Content-Type` for a served file named `name`. Feeds get their own
/// types, and every text type says `charset=utf-8`, because some readers
/// (feedparser) take an XML file sent without a charset to be ASCII.
pub fn content_type(name: &str) -> &'static str {
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let feed = |prefix: &str| {
        stem == prefix
            || stem
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    match extension.to_ascii_lowercase().as_str() {
        "xml" if feed("rss") => "application/rss+xml; charset=utf-8",
        "xml" if feed("atom") => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" if stem == "feed" => "application/feed+json; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        other => mime_guess::from_ext(other)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

async fn respond(State(mut files): State<ServeDir>, request: Request) -> Response {
    let Some(name) = served_name(request.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = match files.try_call(request).await {
        Ok(response) => response.map(Body::new),
        // Also a path through a file (`/rss.xml/x`) or a file removed by a
        // rebuild between two steps of ServeDir.
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            StatusCode::NOT_FOUND.into_response()
        }
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    };
    let status = response.status();
    let headers = response.headers_mut();
    if status == StatusCode::OK || status == StatusCode::PARTIAL_CONTENT {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(&name)));
    }
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        // Without it, browsers may keep a feed for a while on the strength of
        // an old Last-Modified and show it after a rebuild; this way they ask
        // each time and get a cheap 304 while nothing changed.
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// The file name a request path asks for (`index.html` for a folder), or
/// `None` when the path must not be served: any segment starting with a dot,
/// which covers make-feed's `.make-feed-*` files, `..` however it is encoded,
/// and other hidden files.
fn served_name(path: &str) -> Option<String> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    // A backslash separates folders on Windows, where a segment could hide a
    // `..` from the check otherwise.
    let segments: Vec<&str> = decoded.split(['/', '\\']).collect();
    if segments.iter().any(|segment| segment.starts_with('.')) {
        return None;
    }
    match segments.last() {
        Some(&"") | None => Some("index.html".to_string()),
        Some(name) => Some(name.to_string()),
    }
}

enum Signal {
    Changed,
    Stop,
}

/// Watches `data_dir` recursively and sends [`Signal::Changed`] for each
/// event that may change what a build reads.
fn watch(
    data_dir: &Path,
    out_dir: &Path,
    changes: Sender<Signal>,
) -> Result<RecommendedWatcher, ServeError> {
    let watch_error = |source| ServeError::Watch {
        path: data_dir.to_path_buf(),
        source,
    };
    let data = std::fs::canonicalize(data_dir)
        .map_err(|e| watch_error(notify::Error::io(e).add_path(data_dir.to_path_buf())))?;
    // The build writes into the output folder; when that lies inside the data
    // folder, its own writes must not start the next build.
    let out = resolve(out_dir).filter(|out| out.starts_with(&data) && *out != data);
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            Ok(event) if is_edit(&event, out.as_deref()) => {
                let _ = changes.send(Signal::Changed);
            }
            Ok(_) => {}
            Err(error) => eprintln!("warning: watching for changes: {error}"),
        })
        .map_err(watch_error)?;
    watcher
        .watch(&data, RecursiveMode::Recursive)
        .map_err(watch_error)?;
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
/// that arrive during a build start another one after it.
fn rebuild_on_changes(signals: &Receiver<Signal>, data_dir: &Path, out_dir: &Path) {
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
        };
        let stderr = &mut io::stderr();
        let _ = match build(data_dir, out_dir, &options) {
            Ok(report) => write_report(stderr, &report, data_dir, out_dir),
            Err(error) => write_failure(stderr, &error, out_dir).and_then(|()| {
                writeln!(
                    stderr,
                    "still serving them; the next change to {} rebuilds",
                    data_dir.display()
                )
            }),
        };
    }
}

/// Lets a rebuild in progress finish, so that the exit leaves no temporary
/// files; a second Ctrl-C does not wait for it.
async fn finish(watcher: RecommendedWatcher, changes: &Sender<Signal>, rebuilder: JoinHandle<()>) {
    drop(watcher);
    let _ = changes.send(Signal::Stop);
    let finished = tokio::task::spawn_blocking(move || rebuilder.join());
    tokio::select! {
        _ = finished => {}
        _ = interrupted() => {}
    }
}

/// Ctrl-C, or SIGTERM where there is one.
async fn stop_requested() {
    #[cfg(unix)]
    let terminated = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminated = std::future::pending::<()>();
    tokio::select! {
        _ = interrupted() => {}
        _ = terminated => {}
    }
}

async fn interrupted() {
    // Without a handler there is no Ctrl-C to wait for; stopping at once
    // instead would end the server as soon as it started.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_have_their_own_types_and_text_says_utf_8() {
        let cases = [
            ("rss.xml", "application/rss+xml; charset=utf-8"),
            ("rss-12.xml", "application/rss+xml; charset=utf-8"),
            ("atom.xml", "application/atom+xml; charset=utf-8"),
            ("atom-3.xml", "application/atom+xml; charset=utf-8"),
            ("rss-x.xml", "application/xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("feed.json", "application/feed+json; charset=utf-8"),
            ("data.json", "application/json; charset=utf-8"),
            ("index.html", "text/html; charset=utf-8"),
            ("style.CSS", "text/css; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("photo.jpg", "image/jpeg"),
            ("logo.png", "image/png"),
            ("noextension", "application/octet-stream"),
        ];
        for (name, expected) in cases {
            assert_eq!(content_type(name), expected, "{name}");
        }
    }

    #[test]
    fn hidden_names_and_parent_folders_are_not_served() {
        assert_eq!(served_name("/rss.xml").as_deref(), Some("rss.xml"));
        assert_eq!(
            served_name("/categories/%E6%89%BF%E5%BE%B7/atom.xml").as_deref(),
            Some("atom.xml")
        );
        assert_eq!(served_name("/").as_deref(), Some("index.html"));
        assert_eq!(served_name("/categories/").as_deref(), Some("index.html"));
        for path in [
            "/.make-feed-manifest",
            "/.make-feed-lock",
            "/%2emake-feed-manifest",
            "/../feed-data/feed.toml",
            "/%2e%2e/feed-data/feed.toml",
            "/a/%2E%2E%2F%2E%2E/etc/passwd",
            "/a%2f..%2f..%2fetc/passwd",
            "/a\\..\\secret",
            "/%ff.xml",
        ] {
            assert_eq!(served_name(path), None, "{path}");
        }
    }

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
