//! The `make-feed` binary: parse arguments, run the library, report.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use make_feed::cli::{BuildArgs, Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Build(BuildArgs::default())) {
        Command::Build(args) => build(&args),
    }
}

fn build(args: &BuildArgs) -> ExitCode {
    let options = make_feed::Options {
        progress: progress_bar(),
        on_wait: &|message| eprintln!("{message}"),
    };
    match make_feed::build(&args.data, &args.out, &options) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            let published = &report.published;
            eprintln!(
                "built {} from {} into {}: {} written, {} unchanged{}",
                count(report.entries, "entry", "entries"),
                args.data.display(),
                args.out.display(),
                count(published.written.len(), "file", "files"),
                published.unchanged.len(),
                match published.removed.len() {
                    0 => String::new(),
                    n => format!(", {n} no longer produced and removed"),
                }
            );
            if published.written.len() <= 12 {
                for path in &published.written {
                    eprintln!("  wrote {}", args.out.join(path).display());
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!(
                "nothing was published; the files in {} are as they were",
                args.out.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// A progress bar on a terminal; nothing when stderr is a file or a pipe.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
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

fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}
