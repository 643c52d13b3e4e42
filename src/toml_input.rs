//! Deserialising TOML (`feed.toml` and front matter) into typed structs, with
//! errors that name the file, the line and the key.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{line_of, Diagnostic};

/// Where a TOML document sits inside its file.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub path: &'a Path,
    /// The whole file's text, for turning byte offsets into lines.
    pub file_text: &'a str,
    /// Byte offset of the TOML document in `file_text`.
    pub offset: usize,
}

impl Place<'_> {
    pub fn line_at(&self, offset_in_toml: usize) -> usize {
        line_of(self.file_text, self.offset + offset_in_toml)
    }

    /// The line on which `key` is set, if it is set at the top level.
    pub fn line_of_key(&self, toml: &str, key: &str) -> Option<usize> {
        let mut offset = 0;
        for line in toml.split_inclusive('\n') {
            if key_of_line(line) == Some(key) {
                return Some(self.line_at(offset));
            }
            offset += line.len();
        }
        None
    }
}

/// Parses `toml` into `T`, turning serde's complaint into a diagnostic.
pub fn parse<T: DeserializeOwned>(toml: &str, place: Place<'_>) -> Result<T, Diagnostic> {
    toml::from_str(toml).map_err(|error| diagnose(&error, toml, place))
}

fn diagnose(error: &toml::de::Error, toml: &str, place: Place<'_>) -> Diagnostic {
    let message = error.message().trim().to_string();
    let line = error.span().map(|span| place.line_at(span.start));
    if let Some(field) = backticked_after(&message, "missing field ") {
        // Serde reports a missing field at the table, not at a line.
        return Diagnostic::new(place.path, "is required but missing")
            .maybe_line(Some(place.line_at(0)))
            .field(field);
    }
    if let Some(field) = backticked_after(&message, "unknown field ") {
        let known = message
            .split_once("expected ")
            .map(|(_, list)| list.trim_start_matches("one of "))
            .unwrap_or("none");
        return Diagnostic::new(place.path, "is not a known key")
            .maybe_line(line)
            .field(field)
            .help(format!("known keys: {known}; check the spelling"));
    }
    let field = error
        .span()
        .and_then(|span| key_of_line(line_containing(toml, span.start)));
    let mut diagnostic = Diagnostic::new(place.path, message).maybe_line(line);
    if let Some(field) = field {
        diagnostic = diagnostic.field(field);
    }
    diagnostic
}

fn backticked_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split('`').next()
}

fn line_containing(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
}

/// The bare or quoted key a `key = value` line sets.
fn key_of_line(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"').trim_matches('\'');
    (!key.is_empty() && !key.starts_with('#') && !key.starts_with('[')).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Example {
        title: String,
        count: Option<u32>,
    }

    fn place(text: &str) -> Place<'_> {
        Place {
            path: Path::new("x.md"),
            file_text: text,
            offset: 4,
        }
    }

    #[test]
    fn names_the_unknown_key_and_its_line() {
        let file = "+++\ntitle = \"a\"\ntitel = \"b\"\n+++\n";
        let error = parse::<Example>(&file[4..28], place(file)).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("titel"));
        assert_eq!(error.line, Some(3));
        assert_eq!(error.message, "is not a known key");
    }

    #[test]
    fn names_a_missing_key() {
        let file = "+++\ncount = 1\n+++\n";
        let error = parse::<Example>(&file[4..14], place(file)).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("title"));
        assert_eq!(error.message, "is required but missing");
    }

    #[test]
    fn names_the_key_of_a_wrong_type() {
        let file = "+++\ntitle = \"a\"\ncount = \"many\"\n+++\n";
        let error = parse::<Example>(&file[4..31], place(file)).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("count"));
        assert_eq!(error.line, Some(3));
    }
}
