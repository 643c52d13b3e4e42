//! A bound on internal entity expansion. roxmltree stops entity loops and
//! deep nesting, but not a wide entity referenced many times, which can
//! turn a small file into gigabytes of text; this sizes the expansion from
//! the declarations first, without expanding anything.

use std::collections::HashMap;

/// The most text a document's entity references may expand to.
pub(super) const EXPANSION_LIMIT: usize = 16 << 20;

/// The byte offset of the first entity declaration and the size the
/// references of `text` would expand to, if that passes [`EXPANSION_LIMIT`].
pub(super) fn too_wide(text: &str) -> Option<(usize, usize)> {
    let first = text.find("<!ENTITY")?;
    let mut values = HashMap::new();
    let mut end_of_declarations = first;
    let mut rest = first;
    while let Some(found) = text[rest..].find("<!ENTITY") {
        let start = rest + found + "<!ENTITY".len();
        let (name, value, end) = declaration(text, start);
        if let (Some(name), Some(value)) = (name, value) {
            values.entry(name).or_insert(value);
        }
        end_of_declarations = end;
        rest = end;
    }
    let mut sizes = HashMap::new();
    let total = references(&text[end_of_declarations..])
        .map(|name| size(name, &values, &mut sizes, 0))
        .fold(0usize, usize::saturating_add);
    (total > EXPANSION_LIMIT).then_some((first, total))
}

/// The name and replacement text of the declaration starting at `start`
/// (just after `<!ENTITY`), and where it ends. Parameter and external
/// entities have no value here.
fn declaration(text: &str, start: usize) -> (Option<&str>, Option<&str>, usize) {
    let rest = text[start..].trim_start();
    let at = text.len() - rest.len();
    if rest.starts_with('%') {
        return (None, None, at);
    }
    let name_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let name = &rest[..name_end];
    let after = rest[name_end..].trim_start();
    let after_at = text.len() - after.len();
    let Some(quote) = after.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
        return (Some(name), None, after_at);
    };
    match after[1..].find(quote) {
        Some(length) => (Some(name), Some(&after[1..=length]), after_at + length + 2),
        None => (Some(name), None, text.len()),
    }
}

/// The names of the entity references `&name;` in `text`.
fn references(text: &str) -> impl Iterator<Item = &str> {
    text.split('&').skip(1).filter_map(|after| {
        let name = &after[..after.find(';')?];
        (!name.is_empty() && !name.starts_with('#') && !name.contains(char::is_whitespace))
            .then_some(name)
    })
}

/// The length of entity `name` once expanded (a name without a value,
/// such as `amp`, counts one).
fn size<'a>(
    name: &'a str,
    values: &HashMap<&'a str, &'a str>,
    sizes: &mut HashMap<&'a str, usize>,
    depth: u32,
) -> usize {
    if let Some(&known) = sizes.get(name) {
        return known;
    }
    let Some(value) = values.get(name) else {
        return 1;
    };
    // Loops are roxmltree's to report; they count as their text here.
    if depth > 16 {
        return value.len();
    }
    let nested = references(value)
        .map(|inner| size(inner, values, sizes, depth + 1))
        .fold(0usize, usize::saturating_add);
    let total = value.len().saturating_add(nested);
    sizes.insert(name, total);
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_entity_used_often_is_too_wide() {
        let wide = "x".repeat(100_000);
        let mut xml = format!("<!DOCTYPE a [<!ENTITY w \"{wide}\"> <!ENTITY v '&w;&w;'>]><a>");
        xml.push_str(&"&v;".repeat(100));
        xml.push_str("</a>");
        let (offset, size) = too_wide(&xml).unwrap();
        assert_eq!(offset, 13);
        assert!(size > 20_000_000);
    }

    #[test]
    fn ordinary_entities_are_fine() {
        let xml = "<!DOCTYPE rss [<!ENTITY nbsp \"&#160;\">]><rss>&nbsp;&amp;&nbsp;</rss>";
        assert_eq!(too_wide(xml), None);
        assert_eq!(too_wide("<rss>&amp;</rss>"), None);
    }
}
