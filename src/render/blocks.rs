//! The blocks a template defines and the template it extends, so that an
//! override that fills a block its layout does not have is an error, not a
//! silently empty page. minijinja ignores such a block; it has no public
//! syntax tree to ask, so the tags are read here.

use super::Templates;
use crate::error::Diagnostic;

/// What one template declares.
#[derive(Debug, Default, PartialEq, Eq)]
struct Declared {
    extends: Option<String>,
    /// Each block's name and line.
    blocks: Vec<(String, usize)>,
}

/// Reads the `{% extends %}` and `{% block %}` tags of `source`, skipping
/// comments and `{% raw %}` sections.
fn declared(source: &str) -> Declared {
    let mut found = Declared::default();
    let mut rest = source;
    let mut in_raw = false;
    while let Some(start) = rest.find("{%").or_else(|| rest.find("{#")) {
        let start = match rest.find("{#") {
            Some(comment) if comment < start => {
                rest = rest[comment..]
                    .find("#}")
                    .map_or("", |end| &rest[comment + end..]);
                continue;
            }
            _ => start,
        };
        let Some(length) = rest[start..].find("%}") else {
            break;
        };
        let tag = rest[start + 2..start + length].trim_matches(['-', '+', '~']);
        let line = 1 + source[..source.len() - rest.len() + start]
            .matches('\n')
            .count();
        let mut words = tag.split_whitespace();
        match (words.next(), words.next()) {
            (Some("raw"), _) => in_raw = true,
            (Some("endraw"), _) => in_raw = false,
            (Some("extends"), Some(name)) if !in_raw => {
                found.extends = Some(name.trim_matches(['"', '\'']).to_string());
            }
            (Some("block"), Some(name)) if !in_raw => found.blocks.push((name.to_string(), line)),
            _ => {}
        }
        rest = &rest[start + length + 2..];
    }
    found
}

/// Every block a template defines must be one that the template it extends
/// (or that one's own parent, and so on) defines too.
pub(super) fn check_blocks(templates: &Templates) -> Result<(), Diagnostic> {
    for (name, source) in templates.sources() {
        let declared = declared(source);
        let Some(parent) = &declared.extends else {
            continue;
        };
        let available = inherited_blocks(templates, parent);
        for (block, line) in &declared.blocks {
            if !available.contains(block) {
                return Err(Diagnostic::new(
                    templates.origin(name),
                    format!(
                        "template error: block `{block}` is not in {parent}, which {name} extends, \
                         so nothing it holds would be shown"
                    ),
                )
                .line(*line)
                .help(format!(
                    "use one of {parent}'s blocks ({}), or add the block to {parent}",
                    available.join(", ")
                )));
            }
        }
    }
    Ok(())
}

/// The blocks `name` and the templates it extends define, in order.
fn inherited_blocks(templates: &Templates, name: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut next = Some(name.to_string());
    // A chain longer than the number of templates is a loop.
    for _ in 0..=templates.sources().count() {
        let Some(name) = next.take() else { break };
        let Some(source) = templates.get(&name) else {
            break;
        };
        let declared = declared(source);
        for (block, _) in declared.blocks {
            if !blocks.contains(&block) {
                blocks.push(block);
            }
        }
        next = declared.extends;
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_with_their_lines_and_comments_and_raw_are_skipped() {
        let source = "{% extends \"base.html\" %}\n{#- {% block nope %} -#}\n{%- block main -%}\n\
                      {% raw %}{% block fake %}{% endraw %}\n{% block title %}x{% endblock %}";
        assert_eq!(
            declared(source),
            Declared {
                extends: Some("base.html".to_string()),
                blocks: vec![("main".to_string(), 3), ("title".to_string(), 5)],
            }
        );
    }

    #[test]
    fn the_built_in_templates_fill_only_their_layout_s_blocks() {
        assert_eq!(check_blocks(&Templates::new(&[])), Ok(()));
        assert_eq!(
            inherited_blocks(&Templates::new(&[]), "base.html"),
            ["title", "head", "main"]
        );
    }
}
