//! `make-feed check FILE...`: findings printed for people or machines.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::check::{check, Context, Finding, Severity, MAX_FEED_BYTES};
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
        let findings = match read(file) {
            Ok(bytes) => check(&bytes, &context),
            Err(error) => {
                eprintln!("error: {}: {error}", file.display());
                failed = true;
                continue;
            }
        };
        let shown = file.display().to_string();
        for finding in &findings {
            failed |= finding.severity == Severity::Error || args.strict;
        }
        let shown_at_most = args.max_findings.unwrap_or(usize::MAX);
        for finding in findings.iter().take(shown_at_most) {
            match args.format {
                Format::Text => writeln!(out, "{}", text(&shown, finding))?,
                Format::Github => writeln!(out, "{}", github(&shown, finding))?,
                Format::Json => all.push(json(shown.clone(), finding)),
            }
        }
        if findings.len() > shown_at_most {
            eprintln!(
                "{shown}: {} more findings not shown (--max-findings {shown_at_most})",
                findings.len() - shown_at_most,
            );
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

/// The bytes of a regular file of at most [`MAX_FEED_BYTES`]. A FIFO would
/// block and a device could be endless, so the file is opened without
/// waiting and refused unless it is regular.
fn read(path: &Path) -> io::Result<Vec<u8>> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file: File = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(
            "is not a regular file (a FIFO, socket, device or folder); check reads only regular files",
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FEED_BYTES) as usize + 1);
    file.take(MAX_FEED_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FEED_BYTES {
        return Err(io::Error::other(format!(
            "is larger than {} MB, more than a feed should be; split it into pages",
            MAX_FEED_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// `file:line:column: severity: message [rule]`, as compilers print.
fn text(file: &str, finding: &Finding) -> String {
    format!(
        "{file}:{}:{}: {}: {} [{}]",
        finding.line, finding.column, finding.severity, finding.message, finding.rule
    )
}

/// A GitHub Actions workflow command, which the run shows as an annotation
/// on the line. Properties and message escape `%`, CR and LF; properties
/// also `:` and `,`.
fn github(file: &str, finding: &Finding) -> String {
    let property = |value: &str| escape(value).replace(':', "%3A").replace(',', "%2C");
    format!(
        "::{} file={},line={},col={},title={}::{}",
        finding.severity,
        property(file),
        finding.line,
        finding.column,
        property(finding.rule.id()),
        escape(&finding.message)
    )
}

fn escape(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
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
