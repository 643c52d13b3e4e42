//! `make-feed serve`: a preview of the output folder over HTTP on this
//! machine, rebuilt whenever the data folder changes.
//!
//! [`http`] owns what a reader sees over HTTP and [`watch`] the
//! watch-then-rebuild loop. The builds are the ordinary ones ([`build()`]):
//! because a build publishes by renaming finished files into place, and
//! nothing at all when it fails, requests are answered while a rebuild runs
//! and a failed rebuild leaves the previous files being served.
//!

mod http;
mod reload;
mod watch;

use std::fmt;
use std::io::{self, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};

use indicatif::ProgressBar;
use notify::RecommendedWatcher;

use super::build::write_report;
use crate::build::{build, Options};
use watch::Signal;

/// Why `serve` could not start or stopped early.
#[derive(Debug)]
pub(crate) enum ServeError {
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
pub(crate) fn serve(
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
    // The articles may be outside the data folder (`articles` in feed.toml).
    let articles = crate::input::read_site(data_dir)
        .ok()
        .map(|(site, _)| site.articles_dir);
    let watcher = watch::watch(data_dir, articles.as_deref(), out_dir, changes.clone());

    let options = Options {
        progress,
        on_wait: &|message| eprintln!("{message}"),
        now: Some(super::now(None).fixed_offset()),
    };
    let report = build(data_dir, out_dir, &options).map_err(ServeError::Build)?;
    let _ = write_report(&mut io::stderr(), &report, data_dir, out_dir);
    let watcher = watcher?;

    let (status, status_received) = tokio::sync::watch::channel(reload::Status::default());
    let rebuilder = {
        let (data_dir, out_dir) = (data_dir.to_path_buf(), out_dir.to_path_buf());
        thread::spawn(move || watch::rebuild_on_changes(&received, &data_dir, &out_dir, &status))
    };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
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
        let (stop, stopped) = tokio::sync::oneshot::channel();
        axum::serve(listener, http::router(out_dir, status_received))
            .with_graceful_shutdown(async move {
                let _ = stop.send(stop_requested().await);
            })
            .await?;
        eprintln!("stopping");
        finish(watcher, &changes, rebuilder, stopped.await.ok()).await;
        Ok(())
    });
    // A rebuild abandoned by a second Ctrl-C must not hold up the exit: the
    // next build removes what it left.
    runtime.shutdown_background();
    served.map_err(ServeError::Io)
}

/// How the server was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Ctrl-C: a person at the terminal, who can press it again.
    Interrupt,
    /// SIGTERM: a service manager or a script, which expects a prompt exit.
    Terminate,
}

/// After Ctrl-C, lets a rebuild in progress finish, so that the exit leaves
/// no temporary files; a second Ctrl-C does not wait for it. After SIGTERM,
/// exits at once: a build stopped at any moment leaves every published file
/// whole, and the next build removes its temporary files.
async fn finish(
    watcher: RecommendedWatcher,
    changes: &Sender<Signal>,
    rebuilder: JoinHandle<()>,
    stop: Option<Stop>,
) {
    drop(watcher);
    let _ = changes.send(Signal::Stop);
    if stop == Some(Stop::Terminate) {
        return;
    }
    let finished = tokio::task::spawn_blocking(move || rebuilder.join());
    tokio::select! {
        _ = finished => {}
        () = stop_requested_again() => {}
    }
}

/// A second Ctrl-C, or a SIGTERM.
async fn stop_requested_again() {
    let _ = stop_requested().await;
}

/// Ctrl-C, or SIGTERM where there is one.
async fn stop_requested() -> Stop {
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
        () = interrupted() => Stop::Interrupt,
        () = terminated => Stop::Terminate,
    }
}

async fn interrupted() {
    // Without a handler there is no Ctrl-C to wait for; stopping at once
    // instead would end the server as soon as it started.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
