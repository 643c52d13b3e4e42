//! The check stage: an offline validator for RSS 2.0, Atom 1.0 and JSON
//! Feed 1.1, with rules modelled on the W3C Feed Validation Service. It is
//! `make-feed check`, and every build runs it on every feed it writes and
//! refuses to publish one with an error.
//!
//! The format is found from the content, never the file name. Each finding
//! has a place (line and column, 1-based), a severity and a [`Rule`]. It
//! reads only the bytes it is given.

mod atom;
mod atom_constructs;
mod dates;
mod encoding;
mod entities;
mod forms;
mod html;
mod json;
mod json_places;
mod rdf;
mod rss;
mod rss_modules;
mod rss_parts;
mod rule;
mod xml;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use rule::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// The largest file `make-feed check` reads: twice what `build` reads for
/// an article, as a feed holds many.
pub const MAX_FEED_BYTES: u64 = 64 << 20;

/// One thing wrong with a feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
}

/// What a check may know beyond the bytes.
#[derive(Debug, Clone)]
pub struct Context {
    /// The present, for "in the future" (passed in so that tests and builds
    /// never depend on the clock).
    pub now: DateTime<Utc>,
    /// Where the file will be served, to compare with its self link.
    pub url: Option<String>,
}

/// Where a finding is: a line and column, or a byte offset into the text
/// whose line and column [`Findings::resolve`] finds later, for all findings
/// in one pass (finding each from the start of the text would cost the
/// text's length per finding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    LineColumn(u32, u32),
    Offset(usize),
}

impl From<(u32, u32)> for Place {
    fn from((line, column): (u32, u32)) -> Place {
        Place::LineColumn(line, column)
    }
}

/// Collects findings; the severity comes from the rule.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    found: Vec<Finding>,
    /// Findings placed by offset: their index in `found`, and the offset.
    by_offset: Vec<(usize, usize)>,
}

impl Findings {
    pub(crate) fn add(&mut self, place: impl Into<Place>, rule: Rule, message: impl Into<String>) {
        let (line, column) = match place.into() {
            Place::LineColumn(line, column) => (line, column),
            Place::Offset(offset) => {
                self.by_offset.push((self.found.len(), offset));
                (0, 0)
            }
        };
        self.found.push(Finding {
            line,
            column,
            severity: rule.severity(),
            rule,
            message: message.into(),
        });
    }

    /// Gives the findings placed by offset into `text` their lines and
    /// columns, walking the text once.
    pub(crate) fn resolve(&mut self, text: &str) {
        self.by_offset.sort_unstable_by_key(|&(_, offset)| offset);
        let (mut line, mut column, mut at) = (1u32, 1u32, 0usize);
        for &(index, offset) in &self.by_offset {
            let offset = offset.min(text.len());
            if offset > at {
                for c in text[at..offset].chars() {
                    if c == '\n' {
                        line += 1;
                        column = 1;
                    } else {
                        column += 1;
                    }
                }
                at = offset;
            }
            self.found[index].line = line;
            self.found[index].column = column;
        }
        self.by_offset.clear();
    }
}

/// Checks one feed file's bytes.
pub fn check(bytes: &[u8], context: &Context) -> Vec<Finding> {
    let mut findings = Findings::default();
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| bytes[i]);
    let start = if bytes.starts_with("\u{FEFF}".as_bytes()) {
        bytes.get(3).copied()
    } else {
        start
    };
    if matches!(start, Some(b'{' | b'[')) {
        json::check(bytes, context, &mut findings);
    } else {
        xml::check(bytes, context, &mut findings);
    }
    let mut findings = findings.found;
    findings.sort_by(|a, b| (a.line, a.column, a.rule.id()).cmp(&(b.line, b.column, b.rule.id())));
    findings.dedup();
    findings
}

/// True for an absolute http(s) URL (or another scheme with an authority or
/// path), as feeds need for links.
pub(crate) fn is_absolute_url(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && !text.contains(char::is_whitespace) && url::Url::parse(text).is_ok()
}
