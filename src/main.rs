//! The `make-feed` binary: parse arguments, run the library, report.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use make_feed::check::Severity;
use make_feed::cli::{BuildArgs, CheckArgs, Cli, Command, Format, NewArgs, ServeArgs};
use make_feed::serve::ServeError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Build(BuildArgs::default())) {
        Command::Build(args) => build(&args),
        Command::Check(args) => check(&args),
        Command::New(args) => new(&args),
        Command::Serve(args) => serve(&args),
    }
}

fn new(args: &NewArgs) -> ExitCode {
    let now = args.now.map_or_else(chrono::Utc::now, |now| now.to_utc());
    match make_feed::new::new_article(&args.data, &args.title, args.slug.as_deref(), now) {
        Ok(path) => {
            println!("{}", path.display());
            eprintln!(
                "wrote {}; edit it, then run `make-feed` to publish",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    if args.url.is_some() && args.files.len() > 1 {
        eprintln!("error: --url names where one file is served; give a single file with it");
        return ExitCode::from(2);
    }
    let context = make_feed::check::Context {
        now: args.now.map_or_else(chrono::Utc::now, |now| now.to_utc()),
        url: args.url.clone(),
    };
    let mut failed = false;
    let mut all = Vec::new();
    for file in &args.files {
        let findings = match std::fs::read(file) {
            Ok(bytes) => make_feed::check::check(&bytes, &context),
            Err(error) => {
                eprintln!("error: {}: {error}", file.display());
                failed = true;
                continue;
            }
        };
        for finding in findings {
            let fails = finding.severity == Severity::Error || args.strict;
            failed |= fails;
            match args.format {
                Format::Text => println!(
                    "{}:{}:{}: {}: {} [{}]",
                    file.display(),
                    finding.line,
                    finding.column,
                    finding.severity,
                    finding.message,
                    finding.rule
                ),
                Format::Json => all.push(serde_json::json!({
                    "file": file.display().to_string(),
                    "line": finding.line,
                    "column": finding.column,
                    "severity": finding.severity,
                    "rule": finding.rule,
                    "message": finding.message,
                })),
            }
        }
    }
    if args.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&all).expect("findings serialise")
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn build(args: &BuildArgs) -> ExitCode {
    let options = make_feed::Options {
        progress: progress_bar(),
        on_wait: &|message| eprintln!("{message}"),
    };
    // Nothing useful is left to do when stderr itself cannot be written.
    let stderr = &mut std::io::stderr();
    match make_feed::build(&args.data, &args.out, &options) {
        Ok(report) => {
            let _ = make_feed::build::write_report(stderr, &report, &args.data, &args.out);
            ExitCode::SUCCESS
        }
        Err(error) => {
            let _ = make_feed::build::write_failure(stderr, &error, &args.out);
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &ServeArgs) -> ExitCode {
    match make_feed::serve::serve(&args.data, &args.out, args.port, progress_bar()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(ServeError::Build(error)) => {
            let _ = make_feed::build::write_failure(&mut std::io::stderr(), &error, &args.out);
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
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
