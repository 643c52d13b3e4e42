//! YAML front matter (and JSON, which YAML's language holds) read into the
//! same [`Value`]s as TOML, each top-level key with its line.
//!
//! Scalars are typed by YAML 1.2's core schema (`true`, `12`, `1.5`, `~`);
//! a quoted scalar is always a string; dates stay strings, which the date
//! reader parses. A key whose value is null is as if it were not set, as the
//! generators treat it. Aliases (`*name`) are refused: expanding them is how
//! a few lines of YAML become gigabytes.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::fields::Value;

/// How deep front matter may nest.
const MAX_DEPTH: usize = 64;

/// A top-level key, its 1-based line within the text, and its value.
pub(crate) type Entry = (String, usize, Value);

/// Why the text is not a YAML mapping, and the line (within the text).
#[derive(Debug)]
pub(crate) struct YamlError {
    pub(crate) message: String,
    pub(crate) line: usize,
}

/// How many closing brackets at the start of a line [`top_level`] indents
/// before it gives up.
const MAX_INDENTED: usize = 100;

/// The top-level keys of the mapping `text` holds (empty text: none).
///
/// A flow list or mapping whose closing `]` or `}` starts a line at column
/// 0 (`aliases: [\n  '/a/',\n]`) is accepted, as the YAML parsers of Hugo
/// (go-yaml) and Jekyll (libyaml) accept it, though YAML 1.2 asks for the
/// bracket to be indented.
pub(crate) fn top_level(text: &str) -> Result<Vec<Entry>, YamlError> {
    let mut text = std::borrow::Cow::Borrowed(text);
    for _ in 0..MAX_INDENTED {
        match parse(&text) {
            Err(error) if error.message.contains("indentation") => {
                let Some(line) = text.lines().nth(error.line.saturating_sub(1)) else {
                    return Err(error);
                };
                if !line.starts_with([']', '}']) {
                    return Err(error);
                }
                let start = line.as_ptr() as usize - text.as_ptr() as usize;
                let mut fixed = text.into_owned();
                fixed.insert(start, ' ');
                text = std::borrow::Cow::Owned(fixed);
            }
            done => return done,
        }
    }
    parse(&text)
}

fn parse(text: &str) -> Result<Vec<Entry>, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut builder, false)
        .map_err(|error| YamlError {
            message: error.info().to_string(),
            line: error.marker().line(),
        })?;
    if let Some(error) = builder.error {
        return Err(error);
    }
    match builder.root {
        None => Ok(Vec::new()),
        Some((Node::Map(entries), _)) => Ok(entries
            .into_iter()
            .filter_map(|(key, line, value)| value.map(|value| (key, line, value)))
            .collect()),
        Some((_, line)) => Err(YamlError {
            message: "front matter must be a mapping of keys to values".to_string(),
            line,
        }),
    }
}

/// A container being built.
enum Node {
    Map(Vec<(String, usize, Option<Value>)>),
    Seq(Vec<Value>),
}

#[derive(Default)]
struct Builder {
    /// Open containers, innermost last, each with the key it will be set at
    /// (in a mapping: the pending key and its line).
    stack: Vec<(Node, Option<(String, usize)>)>,
    /// A mapping's key waiting for its value.
    pending: Option<(String, usize)>,
    root: Option<(Node, usize)>,
    error: Option<YamlError>,
    documents: usize,
}

impl Builder {
    fn fail(&mut self, message: &str, mark: Marker) {
        if self.error.is_none() {
            self.error = Some(YamlError {
                message: message.to_string(),
                line: mark.line(),
            });
        }
    }

    /// Puts a finished value where it belongs: as the pending key's value,
    /// a sequence's next item, or a mapping's next key.
    fn place(&mut self, value: Option<Value>, mark: Marker) {
        let Some((top, _)) = self.stack.last_mut() else {
            return;
        };
        match top {
            Node::Seq(items) => items.extend(value),
            Node::Map(entries) => match self.pending.take() {
                Some((key, line)) => entries.push((key, line, value)),
                None => match value {
                    Some(Value::String(key)) => self.pending = Some((key, mark.line())),
                    Some(Value::Integer(n)) => self.pending = Some((n.to_string(), mark.line())),
                    Some(Value::Boolean(b)) => self.pending = Some((b.to_string(), mark.line())),
                    _ => self.fail("a key must be a plain name", mark),
                },
            },
        }
    }

    fn open(&mut self, node: Node, mark: Marker) {
        if self.stack.len() >= MAX_DEPTH {
            self.fail("nests too deep", mark);
            return;
        }
        let key = self.pending.take();
        if key.is_none() && matches!(self.stack.last(), Some((Node::Map(_), _))) {
            self.fail("a key must be a plain name, not a list or a mapping", mark);
        }
        self.stack.push((node, key));
    }

    fn close(&mut self, mark: Marker) {
        let Some((node, key)) = self.stack.pop() else {
            return;
        };
        if self.stack.is_empty() {
            self.root = Some((node, mark.line()));
            return;
        }
        let value = match node {
            Node::Map(entries) => Value::Table(
                entries
                    .into_iter()
                    .filter_map(|(key, _, value)| value.map(|value| (key, value)))
                    .collect(),
            ),
            Node::Seq(items) => Value::Array(items),
        };
        self.pending = key;
        self.place(Some(value), mark);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.fail("holds a second YAML document", mark);
                }
            }
            Event::Alias(_) => self.fail("uses an alias (*name); write the value out", mark),
            Event::Scalar(text, style, _, tag) => {
                if self.stack.is_empty() {
                    if !(style == TScalarStyle::Plain && text.is_empty()) {
                        self.root = Some((Node::Seq(Vec::new()), mark.line()));
                    }
                    return;
                }
                let as_string = tag.is_some_and(|tag| tag.suffix == "str");
                self.place(scalar(text, style, as_string), mark);
            }
            Event::SequenceStart(..) => self.open(Node::Seq(Vec::new()), mark),
            Event::MappingStart(..) => self.open(Node::Map(Vec::new()), mark),
            Event::SequenceEnd | Event::MappingEnd => self.close(mark),
            _ => {}
        }
    }
}

/// A scalar typed by YAML 1.2's core schema; `None` for null.
fn scalar(text: String, style: TScalarStyle, as_string: bool) -> Option<Value> {
    if style != TScalarStyle::Plain || as_string {
        return Some(Value::String(text));
    }
    Some(match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return None,
        "true" | "True" | "TRUE" => Value::Boolean(true),
        "false" | "False" | "FALSE" => Value::Boolean(false),
        _ => {
            if let Ok(n) = text.parse::<i64>() {
                Value::Integer(n)
            } else if looks_like_float(&text) {
                text.parse::<f64>()
                    .map_or(Value::String(text), Value::Float)
            } else {
                Value::String(text)
            }
        }
    })
}

fn looks_like_float(text: &str) -> bool {
    let digits = text.trim_start_matches(['-', '+']);
    digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || ".eE-+".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_lines_and_types() {
        let entries = top_level(
            "title: \"Hello: world\"\ndate: 2016-03-10 10:00:00 -0800\ntags:\n  - a\n  - b\ndraft: false\nweight: 3\nempty:\nextra: {x: 1}\n",
        )
        .unwrap();
        let shown: Vec<(&str, usize)> = entries.iter().map(|(k, l, _)| (k.as_str(), *l)).collect();
        assert_eq!(
            shown,
            [
                ("title", 1),
                ("date", 2),
                ("tags", 3),
                ("draft", 6),
                ("weight", 7),
                ("extra", 9)
            ]
        );
        assert_eq!(entries[0].2, Value::String("Hello: world".into()));
        assert_eq!(
            entries[1].2,
            Value::String("2016-03-10 10:00:00 -0800".into())
        );
        assert_eq!(
            entries[2].2,
            Value::Array(vec![Value::String("a".into()), Value::String("b".into())])
        );
        assert_eq!(entries[3].2, Value::Boolean(false));
        assert_eq!(entries[4].2, Value::Integer(3));
    }

    #[test]
    fn a_closing_bracket_at_the_start_of_a_line_is_accepted() {
        let entries =
            top_level("title: x\naliases: [\n  '/a/',\n  '/b/',\n]\nweight: 3\n").unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2].1, 6);
    }

    #[test]
    fn json_is_yaml() {
        let entries = top_level("{\n\"title\": \"x\",\n\"tags\": [\"a\"]\n}\n").unwrap();
        assert_eq!(entries[1].0, "tags");
        assert_eq!(entries[1].1, 3);
    }

    #[test]
    fn aliases_lists_and_syntax_errors_are_refused_with_a_line() {
        let error = top_level("a: &x [1, 2]\nb: *x\n").unwrap_err();
        assert_eq!((error.line, error.message.contains("alias")), (2, true));
        assert!(top_level("- a\n- b\n").is_err());
        assert!(top_level("title: [a\nb: c\n").unwrap_err().line > 0);
    }
}
