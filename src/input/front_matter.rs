//! Where an article's front matter ends and its body begins, in the three
//! forms site generators use: TOML between `+++` lines, YAML between `---`
//! lines, or a JSON object. Blank lines before it are fine (a byte-order
//! mark is removed when the file is read).

use std::path::Path;

use crate::error::Diagnostic;

/// The language front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Toml,
    Yaml,
    /// A JSON object; read by the YAML parser, whose language holds JSON's.
    Json,
}

/// An article file cut in two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'t> {
    pub(crate) syntax: Syntax,
    /// The front matter, without its fences (a JSON object keeps its braces).
    pub(crate) front: &'t str,
    /// The 1-based line of the file the front matter starts on.
    pub(crate) front_line: usize,
    pub(crate) body: &'t str,
}

/// Splits as [`split`] does, but a file with no front matter at all is all
/// body, as the generators take it (Hugo and Zola publish such a page; it
/// has no date, so it is in no feed).
pub(crate) fn split_optional<'t>(text: &'t str, path: &Path) -> Result<Split<'t>, Diagnostic> {
    let first = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    if matches!(first.trim_end(), "+++" | "---") || first.starts_with('{') {
        return split(text, path);
    }
    Ok(Split {
        syntax: Syntax::Toml,
        front: "",
        front_line: 1,
        body: text,
    })
}

/// Splits `+++\n<toml>\n+++\n<body>`, `---\n<yaml>\n---\n<body>` or
/// `{<json>}\n<body>`.
pub(crate) fn split<'t>(text: &'t str, path: &Path) -> Result<Split<'t>, Diagnostic> {
    let mut offset = 0;
    let mut line = 1;
    let mut lines = text.split_inclusive('\n');
    let first = loop {
        match lines.next() {
            Some(blank) if blank.trim().is_empty() => {
                offset += blank.len();
                line += 1;
            }
            other => break other.unwrap_or(""),
        }
    };
    let (syntax, closing): (Syntax, &[&str]) = match first.trim_end() {
        "+++" => (Syntax::Toml, &["+++"]),
        "---" => (Syntax::Yaml, &["---", "..."]),
        open if open.starts_with('{') => (Syntax::Json, &["}"]),
        _ => {
            return Err(Diagnostic::new(path, "does not start with front matter")
                .line(line)
                .help("begin the file with a line `+++`, the TOML keys (title, published, …), and another `+++` (or YAML between `---` lines)"));
        }
    };
    let start = if syntax == Syntax::Json {
        offset
    } else {
        offset + first.len()
    };
    let mut end = offset + first.len();
    if syntax == Syntax::Json && first.trim_end().ends_with('}') && first.trim_end() != "{" {
        // `{"title": "x"}` on one line.
        return Ok(Split {
            syntax,
            front: &text[start..end],
            front_line: line,
            body: &text[end..],
        });
    }
    for next in lines {
        if closing.contains(&next.trim_end()) {
            let (front, body_start) = if syntax == Syntax::Json {
                (&text[start..end + next.len()], end + next.len())
            } else {
                (&text[start..end], end + next.len())
            };
            return Ok(Split {
                syntax,
                front,
                front_line: if syntax == Syntax::Json {
                    line
                } else {
                    line + 1
                },
                body: &text[body_start..],
            });
        }
        end += next.len();
    }
    let fence = closing[0];
    Err(Diagnostic::new(path, "front matter is never closed")
        .line(line)
        .help(format!(
            "end the front matter with a line holding only `{fence}`"
        )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter_is_split_at_the_closing_line() {
        let text = "+++\ntitle = \"x\"\n+++\nbody\n";
        let split = split(text, Path::new("a.md")).unwrap();
        assert_eq!(
            split,
            Split {
                syntax: Syntax::Toml,
                front: "title = \"x\"\n",
                front_line: 2,
                body: "body\n"
            }
        );
        assert!(super::split("+++\ntitle = 1\n", Path::new("a.md")).is_err());
        assert!(super::split("title = 1\n", Path::new("a.md")).is_err());
    }

    #[test]
    fn yaml_and_json_and_blank_lines_before() {
        let split = super::split("\n\n---\ntitle: x\n...\nbody\n", Path::new("a.md")).unwrap();
        assert_eq!(
            (split.syntax, split.front, split.front_line, split.body),
            (Syntax::Yaml, "title: x\n", 4, "body\n")
        );
        let split = super::split("{\n\"title\": \"x\"\n}\nbody\n", Path::new("a.md")).unwrap();
        assert_eq!(
            (split.syntax, split.front, split.front_line, split.body),
            (Syntax::Json, "{\n\"title\": \"x\"\n}\n", 1, "body\n")
        );
        let split = super::split("{\"title\": \"x\"}\nbody\n", Path::new("a.md")).unwrap();
        assert_eq!(
            (split.front, split.body),
            ("{\"title\": \"x\"}\n", "body\n")
        );
        let error = super::split("---\ntitle: x\n", Path::new("a.md")).unwrap_err();
        assert!(error.help.unwrap().contains("`---`"));
    }
}
