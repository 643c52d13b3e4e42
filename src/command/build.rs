//! `make-feed build` (and `serve`'s builds): the report a build prints.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::{build, Options, Report};
use crate::cli::BuildArgs;
use crate::error::Error;

pub(super) fn run(args: &BuildArgs) -> io::Result<ExitCode> {
    let options = Options {
        progress: progress_bar(),
        on_wait: &|message| eprintln!("{message}"),
        now: Some(super::now(args.now).fixed_offset()),
    };
    let stderr = &mut io::stderr();
    Ok(match build(&args.data, &args.out, &options) {
        Ok(report) => {
            write_report(stderr, &report, &args.data, &args.out)?;
            ExitCode::SUCCESS
        }
        Err(error) => {
            write_failure(stderr, &error, &args.out)?;
            ExitCode::FAILURE
        }
    })
}

#[cfg(feature = "serve")]
pub(super) fn serve(args: &crate::cli::ServeArgs) -> io::Result<ExitCode> {
    use super::serve::ServeError;
    Ok(
        match super::serve::serve(&args.data, &args.out, args.port, progress_bar()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(ServeError::Build(error)) => {
                write_failure(&mut io::stderr(), &error, &args.out)?;
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
    )
}

/// A progress bar on a terminal; nothing when stderr is a file or a pipe.
pub(crate) fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg:>16} [{bar:30}] {pos}/{len} ({eta})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Writes what a build that published has to say (its warnings, then one
/// summary line and the files it wrote, when they are few), so that every
/// command that builds reports alike.
pub(crate) fn write_report(
    w: &mut dyn Write,
    report: &Report,
    data_dir: &Path,
    out_dir: &Path,
) -> io::Result<()> {
    for warning in &report.warnings {
        writeln!(w, "warning: {warning}")?;
    }
    for note in &report.notes {
        writeln!(w, "note: {note}")?;
    }
    let published = &report.published;
    for problem in &published.not_removed {
        writeln!(
            w,
            "warning: could not delete an output this build no longer produces: {problem}"
        )?;
    }
    writeln!(
        w,
        "built {} from {} into {}: {} written, {} unchanged{}",
        count(report.entries, "entry", "entries"),
        data_dir.display(),
        out_dir.display(),
        count(published.written.len(), "file", "files"),
        published.unchanged.len(),
        match published.removed.len() {
            0 => String::new(),
            n => format!(", {n} no longer produced and removed"),
        }
    )?;
    if published.written.len() <= 12 {
        for path in &published.written {
            writeln!(w, "  wrote {}", out_dir.join(path).display())?;
        }
    }
    Ok(())
}

/// Writes why a build failed and that it changed nothing.
pub(crate) fn write_failure(w: &mut dyn Write, error: &Error, out_dir: &Path) -> io::Result<()> {
    writeln!(w, "error: {error}")?;
    if let Error::Partial { .. } = error {
        return writeln!(
            w,
            "the files in {} are partly from this build; fix the problem and build again",
            out_dir.display()
        );
    }
    writeln!(
        w,
        "nothing was published; the files in {} are as they were",
        out_dir.display()
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}
