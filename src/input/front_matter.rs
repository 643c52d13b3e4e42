//! Where an article's front matter ends and its body begins.

use std::path::Path;

use crate::error::Diagnostic;

/// An article file cut in two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'t> {
    /// The front matter, without its fences.
    pub(crate) front: &'t str,
    /// The 1-based line of the file the front matter starts on.
    pub(crate) front_line: usize,
    pub(crate) body: &'t str,
}

/// Splits `+++\n<toml>\n+++\n<body>`.
pub(crate) fn split<'t>(text: &'t str, path: &Path) -> Result<Split<'t>, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(Diagnostic::new(path, "does not start with front matter")
            .line(1)
            .help("begin the file with a line `+++`, the TOML keys (title, published, …), and another `+++`"));
    }
    let start = first.len();
    let mut offset = start;
    for line in lines {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front: &text[start..offset],
                front_line: 2,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(path, "front matter is never closed")
        .line(1)
        .help("end the front matter with a line holding only `+++`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_at_the_closing_line() {
        let text = "+++\ntitle = \"x\"\n+++\nbody\n";
        let split = split(text, Path::new("a.md")).unwrap();
        assert_eq!(
            split,
            Split {
                front: "title = \"x\"\n",
                front_line: 2,
                body: "body\n"
            }
        );
        assert!(super::split("+++\ntitle = 1\n", Path::new("a.md")).is_err());
        assert!(super::split("title = 1\n", Path::new("a.md")).is_err());
    }
}
