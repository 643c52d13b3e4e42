//! `make-feed check`: an offline validator for RSS 2.0, Atom 1.0 and JSON
//! Feed 1.1, with rules modelled on the W3C Feed Validation Service.
//!
//! The format is found from the content, never the file name. Each finding
//! has a place (line and column, 1-based), a severity and a stable rule id;
//! `RULES` lists every rule with what it means. `build` runs the same checks
//! on every feed it writes and refuses to publish one with an error.

mod atom;
mod dates;
mod json;
mod rss;
mod xml;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

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

/// One thing wrong with a feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub rule: &'static str,
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

/// Every rule: its id, its severity and what it means.
pub const RULES: &[(&str, Severity, &str)] = &[
    (
        "xml-not-well-formed",
        Severity::Error,
        "the file is not well-formed XML",
    ),
    (
        "xml-illegal-character",
        Severity::Error,
        "a character XML 1.0 forbids",
    ),
    (
        "unknown-format",
        Severity::Error,
        "neither RSS 2.0, Atom 1.0 nor JSON Feed",
    ),
    (
        "date-implausible",
        Severity::Warning,
        "a date before 1990 or in the future",
    ),
    (
        "self-link-missing",
        Severity::Warning,
        "no link to the feed's own URL (rel=\"self\")",
    ),
    (
        "self-link-mismatch",
        Severity::Warning,
        "the self link is not where the feed is served",
    ),
    (
        "content-relative-url",
        Severity::Warning,
        "a relative URL in HTML content, which many readers cannot resolve",
    ),
    (
        "rss-version",
        Severity::Error,
        "the rss element lacks version=\"2.0\"",
    ),
    (
        "rss-missing-element",
        Severity::Error,
        "a required RSS element is missing",
    ),
    (
        "rss-item-empty",
        Severity::Error,
        "an item with neither title nor description",
    ),
    ("rss-date", Severity::Error, "a date that is not RFC 822"),
    (
        "rss-date-day-of-week",
        Severity::Error,
        "the day of the week does not match the date",
    ),
    ("rss-date-year", Severity::Warning, "a two-digit year"),
    (
        "rss-link-relative",
        Severity::Error,
        "a link that is not an absolute URL",
    ),
    (
        "rss-guid-duplicate",
        Severity::Error,
        "two items with the same guid",
    ),
    (
        "rss-guid-permalink",
        Severity::Error,
        "a guid that is a permalink but not a URL (set isPermaLink=\"false\")",
    ),
    (
        "rss-author-email",
        Severity::Error,
        "an author that is not an e-mail address (use dc:creator for names)",
    ),
    (
        "rss-unknown-element",
        Severity::Error,
        "an element RSS 2.0 does not define",
    ),
    (
        "rss-enclosure",
        Severity::Error,
        "an enclosure without url, length or type",
    ),
    (
        "atom-missing-element",
        Severity::Error,
        "a required Atom element is missing",
    ),
    (
        "atom-missing-author",
        Severity::Error,
        "an entry with no author, in a feed with none",
    ),
    ("atom-date", Severity::Error, "a date that is not RFC 3339"),
    (
        "atom-id",
        Severity::Error,
        "an id that is not an absolute URI",
    ),
    (
        "atom-id-duplicate",
        Severity::Error,
        "two entries with the same id",
    ),
    (
        "atom-link-relative",
        Severity::Warning,
        "a relative link with no xml:base",
    ),
    (
        "atom-entry-no-content",
        Severity::Error,
        "an entry with neither content nor an alternate link",
    ),
    (
        "atom-no-text",
        Severity::Warning,
        "an entry with neither content nor summary",
    ),
    (
        "atom-text-type",
        Severity::Error,
        "a text construct whose type is not text, html or xhtml",
    ),
    (
        "atom-unknown-element",
        Severity::Error,
        "an element Atom does not define",
    ),
    (
        "json-not-well-formed",
        Severity::Error,
        "the file is not well-formed JSON",
    ),
    (
        "json-version",
        Severity::Error,
        "version is not a JSON Feed version URL",
    ),
    (
        "json-missing-field",
        Severity::Error,
        "a required field is missing",
    ),
    ("json-type", Severity::Error, "a field of the wrong type"),
    ("json-date", Severity::Error, "a date that is not RFC 3339"),
    (
        "json-url-relative",
        Severity::Error,
        "a URL that is not absolute",
    ),
    (
        "json-id-duplicate",
        Severity::Error,
        "two items with the same id",
    ),
];

fn severity_of(rule: &str) -> Severity {
    RULES
        .iter()
        .find(|(id, ..)| *id == rule)
        .map(|(_, severity, _)| *severity)
        .unwrap_or(Severity::Error)
}

/// Collects findings; the severity comes from the rule.
#[derive(Debug, Default)]
pub(crate) struct Findings(Vec<Finding>);

impl Findings {
    pub(crate) fn add(
        &mut self,
        (line, column): (u32, u32),
        rule: &'static str,
        message: impl Into<String>,
    ) {
        self.0.push(Finding {
            line,
            column,
            severity: severity_of(rule),
            rule,
            message: message.into(),
        });
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
    let mut findings = findings.0;
    findings.sort_by(|a, b| (a.line, a.column, a.rule).cmp(&(b.line, b.column, b.rule)));
    findings.dedup();
    findings
}

/// True for an absolute http(s) URL (or another scheme with an authority or
/// path), as feeds need for links.
pub(crate) fn is_absolute_url(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && !text.contains(char::is_whitespace) && url::Url::parse(text).is_ok()
}

/// URLs in `href` and `src` attributes of an HTML fragment, for
/// `content-relative-url`. A rough scan, enough for a warning.
pub(crate) fn relative_urls_in_html(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    for attribute in ["href=", "src="] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(attribute) {
            let start = from + at + attribute.len();
            from = start;
            let rest = &html[start..];
            let value = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            let value = value.trim();
            let is_fragment_or_special = value.starts_with('#') || value.is_empty();
            if !is_fragment_or_special && url::Url::parse(value).is_err() {
                found.push(value.to_string());
            }
        }
    }
    found
}
