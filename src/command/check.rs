//! `make-feed check FILE...`: findings printed for people or machines.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::check::{check, Context, Finding, Severity};
use crate::cli::{CheckArgs, Format};

pub(super) fn run(args: &CheckArgs) -> io::Result<ExitCode> {
    if args.url.is_some() && args.files.len() > 1 {
        eprintln!("error: --url names where one file is served; give a single file with it");
        return Ok(ExitCode::from(2));
    }
    let context = Context {
        now: super::now(args.now),
        url: args.url.clone(),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    let mut all = Vec::new();
    for file in &args.files {
        let findings = match std::fs::read(file) {
            Ok(bytes) => check(&bytes, &context),
            Err(error) => {
                eprintln!("error: {}: {error}", file.display());
                failed = true;
                continue;
            }
        };
        for finding in findings {
            failed |= finding.severity == Severity::Error || args.strict;
            let shown = file.display().to_string();
            match args.format {
                Format::Text => writeln!(out, "{}", text(&shown, &finding))?,
                Format::Json => all.push(json(shown, &finding)),
            }
        }
    }
    if args.format == Format::Json {
        let json = serde_json::to_string_pretty(&all).expect("findings serialise");
        writeln!(out, "{json}")?;
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `file:line:column: severity: message [rule]`, as compilers print.
fn text(file: &str, finding: &Finding) -> String {
    format!(
        "{file}:{}:{}: {}: {} [{}]",
        finding.line, finding.column, finding.severity, finding.message, finding.rule
    )
}

fn json(file: String, finding: &Finding) -> serde_json::Value {
    serde_json::json!({
        "file": file,
        "line": finding.line,
        "column": finding.column,
        "severity": finding.severity,
        "rule": finding.rule,
        "message": finding.message,
    })
}
