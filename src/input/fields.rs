//! The keys of one TOML table (`feed.toml`, an article's front matter), each
//! with the line it is on, read into typed values with diagnostics that name
//! the file, the line and the key.
//!
//! The parser's own spans give the lines; nothing here matches error text
//! or scans lines for `key =`. Every string is cleaned of characters XML
//! forbids as it is read (with a warning naming the key and its line), so no
//! TOML escape such as `"\u0001"` can carry one into the model.

use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::value::Datetime;
use toml::Spanned;

use super::front_matter::Syntax;
use super::yaml;
use crate::error::Diagnostic;
use crate::text::strip_xml_unsafe;

/// A value as the file wrote it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Datetime(Datetime),
    Array(Vec<Value>),
    Table(Vec<(String, Value)>),
}

impl Value {
    /// What the value is, for a message: `integer \`12\``, `array`, ….
    fn describe(&self) -> String {
        match self {
            Value::String(text) => format!("string {text:?}"),
            Value::Integer(n) => format!("integer `{n}`"),
            Value::Float(n) => format!("float `{n}`"),
            Value::Boolean(b) => format!("boolean `{b}`"),
            Value::Datetime(d) => format!("datetime `{d}`"),
            Value::Array(_) => "array".to_string(),
            Value::Table(_) => "table".to_string(),
        }
    }
}

#[derive(Debug)]
struct Field {
    key: String,
    line: usize,
    value: Value,
}

/// The top-level keys of a table, in the order the file has them.
#[derive(Debug)]
pub(crate) struct Fields<'p> {
    path: &'p Path,
    /// Where the table starts, which is where a missing key is reported.
    first_line: usize,
    fields: Vec<Field>,
}

impl<'p> Fields<'p> {
    /// Parses `toml`, which starts on line `first_line` of the file at
    /// `path`. Characters XML forbids are removed from every string, each
    /// with a warning.
    pub(crate) fn parse(
        toml: &str,
        path: &'p Path,
        first_line: usize,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Fields<'p>, Diagnostic> {
        let lines = Lines::new(toml, first_line);
        let table = DeTable::parse(toml).map_err(|error| {
            Diagnostic::new(path, error.message().trim().to_string())
                .maybe_line(error.span().map(|span| lines.line_of(span.start)))
        })?;
        let mut entries: Vec<_> = table.into_inner().into_iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        let entries = entries.into_iter().map(|(key, value)| {
            let line = lines.line_of(key.span().start);
            (key.into_inner().into_owned(), line, convert(value))
        });
        Ok(Fields::cleaned(path, first_line, entries, warnings))
    }

    /// Fields from `entries` (key, line, value), every string in them
    /// cleaned of characters XML forbids, each removal a warning on its line.
    fn cleaned(
        path: &'p Path,
        first_line: usize,
        entries: impl Iterator<Item = (String, usize, Value)>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Fields<'p> {
        let fields = entries
            .map(|(key, line, mut value)| {
                clean_all(&mut value, &mut |text: &mut String| {
                    clean(text, &key, line, path, warnings);
                });
                Field { key, line, value }
            })
            .collect();
        Fields {
            path,
            first_line,
            fields,
        }
    }

    /// Parses front matter in any of the syntaxes generators use, starting
    /// on line `first_line` of the file at `path`.
    pub(crate) fn parse_front(
        syntax: Syntax,
        text: &str,
        path: &'p Path,
        first_line: usize,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Fields<'p>, Diagnostic> {
        if syntax == Syntax::Toml {
            return Fields::parse(text, path, first_line, warnings);
        }
        let entries = yaml::top_level(text).map_err(|error| {
            Diagnostic::new(path, format!("front matter: {}", error.message))
                .line(first_line + error.line.saturating_sub(1))
        })?;
        let entries = entries
            .into_iter()
            .map(|(key, line, value)| (key, first_line + line - 1, value));
        Ok(Fields::cleaned(path, first_line, entries, warnings))
    }

    /// The same keys in lower case, as Hugo reads front matter.
    pub(crate) fn lower_case_keys(&self) -> Fields<'p> {
        Fields {
            path: self.path,
            first_line: self.first_line,
            fields: self
                .fields
                .iter()
                .map(|field| Field {
                    key: field.key.to_lowercase(),
                    line: field.line,
                    value: field.value.clone(),
                })
                .collect(),
        }
    }

    /// The keys set, in the order the file has them.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|field| field.key.as_str())
    }

    /// The first of `keys` that is set, with its value.
    pub(crate) fn first_of<'k>(&self, keys: &[&'k str]) -> Option<(&'k str, &Value)> {
        keys.iter()
            .find_map(|key| self.value(key).map(|value| (*key, value)))
    }

    /// A list of strings written as a list or as one string (which
    /// `split` may cut, as Jekyll cuts `categories: a b` at spaces).
    pub(crate) fn string_or_strings(
        &self,
        key: &str,
        split: bool,
    ) -> Result<Vec<String>, Diagnostic> {
        match self.value(key) {
            Some(Value::String(text)) if split => {
                Ok(text.split_whitespace().map(str::to_string).collect())
            }
            Some(Value::String(text)) => Ok(vec![text.clone()]),
            Some(Value::Integer(n)) => Ok(vec![n.to_string()]),
            _ => self.strings(key),
        }
    }

    /// A boolean, also as the strings YAML 1.1 and Ruby take (`"true"`, `yes`).
    pub(crate) fn loose_boolean(&self, key: &str) -> Result<Option<bool>, Diagnostic> {
        match self.value(key) {
            Some(Value::String(text)) => match text.to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => Ok(Some(true)),
                "false" | "no" | "off" => Ok(Some(false)),
                _ => self.boolean(key),
            },
            _ => self.boolean(key),
        }
    }

    /// A table's keys and values.
    pub(crate) fn table(&self, key: &str) -> Option<&[(String, Value)]> {
        match self.value(key) {
            Some(Value::Table(entries)) => Some(entries),
            _ => None,
        }
    }

    /// An error unless every key is one of `known`: a misspelt key would
    /// otherwise be dropped without a word.
    pub(crate) fn deny_unknown(&self, known: &[&str]) -> Result<(), Diagnostic> {
        match self
            .fields
            .iter()
            .find(|f| !known.contains(&f.key.as_str()))
        {
            None => Ok(()),
            Some(field) => {
                let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                Err(self.error(&field.key, "is not a known key").help(format!(
                    "known keys: {}; check the spelling",
                    list.join(", ")
                )))
            }
        }
    }

    /// The line `key` is set on, if it is set.
    pub(crate) fn line(&self, key: &str) -> Option<usize> {
        self.field(key).map(|field| field.line)
    }

    /// A diagnostic about `key`, on its line.
    pub(crate) fn error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.path, message)
            .field(key)
            .maybe_line(self.line(key))
    }

    /// The value of `key`, as written.
    pub(crate) fn value(&self, key: &str) -> Option<&Value> {
        self.field(key).map(|field| &field.value)
    }

    /// The value of `key`, which must be set.
    pub(crate) fn required_value(&self, key: &str) -> Result<&Value, Diagnostic> {
        self.value(key).ok_or_else(|| {
            Diagnostic::new(self.path, "is required but missing")
                .line(self.first_line)
                .field(key)
        })
    }

    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, Diagnostic> {
        self.value(key).map(|v| self.as_string(key, v)).transpose()
    }

    pub(crate) fn required_string(&self, key: &str) -> Result<String, Diagnostic> {
        self.as_string(key, self.required_value(key)?)
    }

    /// A list of strings; empty when `key` is not set.
    pub(crate) fn strings(&self, key: &str) -> Result<Vec<String>, Diagnostic> {
        match self.value(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(values)) => values.iter().map(|v| self.as_string(key, v)).collect(),
            Some(other) => Err(self.wrong_type(key, other, "a sequence")),
        }
    }

    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>, Diagnostic> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(key, other, "a boolean")),
        }
    }

    /// A whole number of zero or more.
    pub(crate) fn count(&self, key: &str) -> Result<Option<usize>, Diagnostic> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Integer(n)) => usize::try_from(*n).map(Some).map_err(|_| {
                self.error(key, format!("invalid value: integer `{n}`, expected usize"))
            }),
            Some(other) => Err(self.wrong_type(key, other, "usize")),
        }
    }

    fn as_string(&self, key: &str, value: &Value) -> Result<String, Diagnostic> {
        match value {
            Value::String(text) => Ok(text.clone()),
            other => Err(self.wrong_type(key, other, "a string")),
        }
    }

    fn wrong_type(&self, key: &str, value: &Value, expected: &str) -> Diagnostic {
        self.error(
            key,
            format!("invalid type: {}, expected {expected}", value.describe()),
        )
    }

    fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|field| field.key == key)
    }
}

/// The value of `value`, as the file wrote it.
fn convert(value: Spanned<DeValue<'_>>) -> Value {
    match value.into_inner() {
        DeValue::String(text) => Value::String(text.into_owned()),
        // TOML integers are 64-bit; a longer number saturates.
        DeValue::Integer(n) => Value::Integer(
            i64::from_str_radix(n.as_str(), n.radix()).unwrap_or(if n.as_str().starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            }),
        ),
        DeValue::Float(n) => Value::Float(n.as_str().parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Boolean(b),
        DeValue::Datetime(d) => Value::Datetime(d),
        DeValue::Array(values) => Value::Array(values.into_iter().map(convert).collect()),
        DeValue::Table(table) => {
            let mut entries: Vec<_> = table.into_iter().collect();
            entries.sort_by_key(|(key, _)| key.span().start);
            Value::Table(
                entries
                    .into_iter()
                    .map(|(key, v)| (key.into_inner().into_owned(), convert(v)))
                    .collect(),
            )
        }
    }
}

/// `clean` applied to every string in `value`.
fn clean_all(value: &mut Value, clean: &mut impl FnMut(&mut String)) {
    match value {
        Value::String(text) => clean(text),
        Value::Array(values) => values.iter_mut().for_each(|v| clean_all(v, clean)),
        Value::Table(entries) => entries.iter_mut().for_each(|(_, v)| clean_all(v, clean)),
        _ => {}
    }
}

/// Removes, in place, characters XML forbids from a string set by `key` on
/// `line`, with a warning for each.
fn clean(text: &mut String, key: &str, line: usize, path: &Path, warnings: &mut Vec<Diagnostic>) {
    let (kept, removed) = strip_xml_unsafe(text);
    if removed.is_empty() {
        return;
    }
    *text = kept.into_owned();
    // Every removal of one string is on its key's line.
    warnings.extend(
        removed
            .warnings(path)
            .into_iter()
            .map(|warning| warning.field(key).line(line)),
    );
}

/// Byte offsets in a TOML text to lines of its file, in O(log n) each.
struct Lines {
    first_line: usize,
    /// Offsets of the line breaks.
    breaks: Vec<usize>,
}

impl Lines {
    fn new(text: &str, first_line: usize) -> Lines {
        Lines {
            first_line,
            breaks: text.match_indices('\n').map(|(at, _)| at).collect(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.first_line + self.breaks.partition_point(|&at| at < offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Result<Fields<'static>, Diagnostic> {
        Fields::parse(text, Path::new("x.md"), 2, &mut Vec::new())
    }

    #[test]
    fn names_the_unknown_key_and_its_line() {
        let fields = fields("title = \"a\"\ntitel = \"b\"\n").unwrap();
        let error = fields.deny_unknown(&["title", "count"]).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("titel"));
        assert_eq!(error.line, Some(3));
        assert_eq!(error.message, "is not a known key");
        assert_eq!(
            error.help.as_deref(),
            Some("known keys: `title`, `count`; check the spelling")
        );
    }

    #[test]
    fn names_a_missing_key_at_the_start_of_the_table() {
        let error = fields("count = 1\n")
            .unwrap()
            .required_string("title")
            .unwrap_err();
        assert_eq!(error.field.as_deref(), Some("title"));
        assert_eq!(error.line, Some(2));
        assert_eq!(error.message, "is required but missing");
    }

    #[test]
    fn names_the_key_of_a_wrong_type() {
        let fields = fields("title = \"a\"\ncount = \"many\"\nauthors = \"Wu\"\n").unwrap();
        let error = fields.count("count").unwrap_err();
        assert_eq!(error.field.as_deref(), Some("count"));
        assert_eq!(error.line, Some(3));
        assert_eq!(
            error.message,
            "invalid type: string \"many\", expected usize"
        );
        let error = fields.strings("authors").unwrap_err();
        assert_eq!(
            (error.line, error.message.as_str()),
            (Some(4), "invalid type: string \"Wu\", expected a sequence")
        );
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let error = fields("title = \"a\"\ncategories = [\"a\"\n").unwrap_err();
        assert_eq!(error.line, Some(3), "{error}");
    }

    #[test]
    fn strings_lose_characters_xml_forbids_with_a_warning_on_their_line() {
        let mut warnings = Vec::new();
        let fields = Fields::parse(
            "title = \"a\"\nauthors = [\"W\\u0001u\"]\n",
            Path::new("x.md"),
            2,
            &mut warnings,
        )
        .unwrap();
        assert_eq!(fields.strings("authors").unwrap(), ["Wu"]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(3));
        assert_eq!(warnings[0].field.as_deref(), Some("authors"));
    }
}
