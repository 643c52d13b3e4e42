//! The commands on top of the stages: the command line parsed, the right
//! command run, its report printed, the exit status chosen.
//!
//! This is the only code that reads the clock: `new` and `init` write the
//! present into a new article (input, not output), `check` compares dates
//! with it, and builds are given it (or `--now`) only for a generator's
//! rule that holds back posts dated in the future. Builds never read it.

mod build;
mod check;
#[cfg(feature = "deploy")]
mod deploy;
mod init;
mod new;
#[cfg(feature = "serve")]
mod serve;

use std::ffi::OsString;
use std::io;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset, Utc};
use clap::Parser;

use crate::cli::{BuildArgs, Cli, Command};

/// Runs the command `args` (the program's name first) asks for.
pub(crate) fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = Cli::parse_from(args);
    let ran = match cli.command.unwrap_or(Command::Build(BuildArgs::default())) {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::New(args) => new::run(&args),
        Command::Init(args) => init::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => build::serve(&args),
        #[cfg(feature = "deploy")]
        Command::Deploy(args) => deploy::run(&args),
    };
    match ran {
        Ok(code) => code,
        // Whoever reads the output (`| head`) has all it wants.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: writing the output: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The present: `given` (`--now`), or else the clock.
pub(crate) fn now(given: Option<DateTime<FixedOffset>>) -> DateTime<Utc> {
    given.map_or_else(Utc::now, |now| now.to_utc())
}
