//! The `make-feed` binary: parse arguments, run the library, report.

use std::process::ExitCode;

use clap::Parser;
use make_feed::cli::{BuildArgs, Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Build(BuildArgs::default())) {
        Command::Build(args) => build(&args),
    }
}

fn build(args: &BuildArgs) -> ExitCode {
    match make_feed::build(&args.data, &args.out) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            let entries = match report.entries {
                1 => "1 entry".to_string(),
                n => format!("{n} entries"),
            };
            eprintln!("built {entries} from {}", args.data.display());
            for path in &report.published.written {
                eprintln!("  wrote     {}", path.display());
            }
            for path in &report.published.unchanged {
                eprintln!("  unchanged {}", path.display());
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
