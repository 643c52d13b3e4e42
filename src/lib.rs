//! make-feed turns a folder of Markdown articles (`feed-data/`) into RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 feeds carrying the full articles, with a page
//! per article, an index and archives.
//!
//! Data flows one way, one folder a stage:
//!
//! - [`input`]: the data folder read into the [`model`] (config, front
//!   matter, Markdown, dates, the files articles link to);
//! - [`plan`]: which feed documents exist and which articles each holds;
//! - [`render`]: documents and pages turned into bytes;
//! - [`check`]: every feed validated before it may be published;
//! - [`output`]: the output folder (lock, cache, staged files, manifest).
//!
//! [`build`](mod@build) runs them in order; [`command`] is the command line
//! on top (`build`, `check`, `new`, `serve`, `deploy`). See `ARCHITECTURE.md` for the
//! map and the invariants.

mod build;
pub mod check;
mod cli;
mod command;
mod error;
mod input;
mod model;
mod output;
mod plan;
mod render;
mod text;

pub use build::{build, Options, Report};
pub use error::{Diagnostic, Error, Result};
pub use model::category_slug;
pub use output::Published;

/// Runs make-feed with the command line `args` (the program's name first),
/// as the `make-feed` binary does.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> std::process::ExitCode {
    command::run(args)
}
