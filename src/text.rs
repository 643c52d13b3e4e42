//! Plain-text helpers every stage may use: characters XML cannot carry,
//! escaping for HTML and XML, cutting text without splitting a character,
//! and line numbers of byte offsets.

use std::borrow::Cow;
use std::path::Path;

use crate::error::Diagnostic;

/// True for characters that may appear in an XML 1.0 document and that the
/// W3C validator does not flag. XML 1.0 forbids C0 controls other than tab,
/// newline and carriage return, and U+FFFE/U+FFFF; the C1 controls (and DEL)
/// are allowed but "discouraged" and never meaningful in UTF-8 text.
pub(crate) fn is_xml_safe(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// A character removed by [`strip_xml_unsafe`], with its 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Removed {
    pub(crate) line: usize,
    pub(crate) character: char,
}

/// True when `text` may hold a character [`is_xml_safe`] rejects. Looks at
/// bytes, not characters, in a form the compiler vectorises: every article is
/// checked on every build, and almost none has such a character.
fn may_be_xml_unsafe(text: &str) -> bool {
    let bytes = text.as_bytes();
    let single = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7F);
    // C1 controls are C2 80..C2 9F; U+FFFE and U+FFFF are EF BF BE and EF BF BF.
    let pair = |a: u8, b: u8| ((a == 0xC2) & (b < 0xA0)) | ((a == 0xEF) & (b == 0xBF));
    // Windows of 65 bytes overlapping by one, so no pair is split; each is
    // two plain folds, which vectorise.
    (0..bytes.len()).step_by(64).any(|start| {
        let window = &bytes[start..bytes.len().min(start + 65)];
        let singles = window.iter().fold(false, |found, &b| found | single(b));
        let pairs = window
            .iter()
            .zip(&window[1..])
            .fold(false, |found, (&a, &b)| found | pair(a, b));
        singles | pairs
    })
}

/// How many removed characters of one text are named one by one; past that,
/// one summary says how many more there were. A file of millions of them
/// costs neither memory nor a line of output per character.
pub(crate) const MAX_REMOVED_LISTED: usize = 10;

/// What [`strip_xml_unsafe`] removed: the first [`MAX_REMOVED_LISTED`]
/// with their lines, how many in all, and which characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Removals {
    pub(crate) listed: Vec<Removed>,
    pub(crate) total: usize,
    /// The line of the first removal not listed.
    pub(crate) first_unlisted_line: usize,
    /// Each removed character once, sorted (at most the few dozen XML forbids).
    pub(crate) characters: std::collections::BTreeSet<char>,
}

impl Removals {
    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The warnings for these removals from the file at `path`: one per
    /// listed character (at its line), and a summary of the rest.
    pub(crate) fn warnings(&self, path: &Path) -> Vec<Diagnostic> {
        let mut warnings: Vec<Diagnostic> = self
            .listed
            .iter()
            .map(|removed| removal_warning(path, removed.character, "").line(removed.line))
            .collect();
        if self.total > self.listed.len() {
            warnings.push(
                Diagnostic::new(
                    path,
                    format!(
                        "removed characters XML does not allow {} more times, from this line on",
                        self.total - self.listed.len(),
                    ),
                )
                .line(self.first_unlisted_line),
            );
        }
        warnings
    }
}

/// Removes every character [`is_xml_safe`] rejects, reporting where the
/// first few were and how many there were.
pub(crate) fn strip_xml_unsafe(text: &str) -> (Cow<'_, str>, Removals) {
    if !may_be_xml_unsafe(text) || text.chars().all(is_xml_safe) {
        return (Cow::Borrowed(text), Removals::default());
    }
    let mut kept = String::with_capacity(text.len());
    let mut removed = Removals::default();
    let mut line = 1;
    for c in text.chars() {
        if is_xml_safe(c) {
            kept.push(c);
        } else {
            if removed.listed.len() < MAX_REMOVED_LISTED {
                removed.listed.push(Removed { line, character: c });
            } else if removed.total == MAX_REMOVED_LISTED {
                removed.first_unlisted_line = line;
            }
            removed.total += 1;
            removed.characters.insert(c);
        }
        if c == '\n' {
            line += 1;
        }
    }
    (Cow::Owned(kept), removed)
}

/// The warning for a character removed because XML forbids it; `how` says
/// where it was written when that is not plain in the file (e.g. ", written
/// as a character reference in the body").
pub(crate) fn removal_warning(path: &Path, character: char, how: &str) -> Diagnostic {
    Diagnostic::new(
        path,
        format!(
            "removed character U+{:04X}{how}, which XML does not allow",
            u32::from(character)
        ),
    )
}

/// The first `max_chars` characters of `text`, with an ellipsis when cut.
/// Counts characters, not bytes, so CJK text is never split mid-character.
pub(crate) fn truncate_chars(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
    }
}

/// Collapses runs of white space into single spaces and trims the ends.
pub(crate) fn squash_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes text for an HTML or XML attribute value or element content.
pub(crate) fn escape(text: &str) -> String {
    escape_with(text, false)
}

/// Escapes `&`, `<`, `>`, `"` and, if `apostrophe`, `'` too (for attributes a
/// template may quote with it). Copies runs of plain text at once: most text
/// has nothing to escape.
pub(crate) fn escape_with(text: &str, apostrophe: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' if apostrophe => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain..at]);
        out.push_str(replacement);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
    out
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_forbidden_characters_with_their_lines() {
        let (kept, removed) = strip_xml_unsafe("a\u{0}b\nc\u{1b}d\u{FFFF}\te");
        assert_eq!(kept, "ab\ncd\te");
        assert_eq!(removed.total, 3);
        assert_eq!(
            removed.listed,
            vec![
                Removed {
                    line: 1,
                    character: '\u{0}'
                },
                Removed {
                    line: 2,
                    character: '\u{1b}'
                },
                Removed {
                    line: 2,
                    character: '\u{FFFF}'
                },
            ]
        );
    }

    #[test]
    fn millions_of_removals_list_ten_and_count_the_rest() {
        let text = "\u{1}x\n".repeat(100_000);
        let (kept, removed) = strip_xml_unsafe(&text);
        assert_eq!(kept.len(), 200_000);
        assert_eq!((removed.listed.len(), removed.total), (10, 100_000));
        let warnings = removed.warnings(Path::new("a.md"));
        assert_eq!(warnings.len(), 11);
        assert_eq!(warnings[10].line, Some(11));
        assert_eq!(
            warnings[10].message,
            "removed characters XML does not allow 99990 more times, from this line on"
        );
    }

    #[test]
    fn the_fast_check_sees_every_unsafe_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let unsafe_char = !is_xml_safe(c);
            for text in [
                format!("{c}"),
                format!("疫线{c}"),
                format!("{}{c}", "a".repeat(63)),
            ] {
                if unsafe_char {
                    assert!(may_be_xml_unsafe(&text), "U+{:04X} in {text:?}", c as u32);
                }
            }
        }
        assert!(!may_be_xml_unsafe("疫线党员干部的“硬核”担当,。、……\r\n\t"));
    }

    #[test]
    fn the_fast_check_passes_safe_text() {
        // Its only false alarms are U+FFC0..U+FFFD, which share their first
        // two bytes with U+FFFE and U+FFFF; the slow check clears them.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if !is_xml_safe(c) || ('\u{FFC0}'..='\u{FFFD}').contains(&c) {
                continue;
            }
            for text in [format!("{c}"), format!("{}{c}{c}", "a".repeat(62))] {
                assert!(!may_be_xml_unsafe(&text), "U+{:04X} in {text:?}", c as u32);
            }
        }
        assert!(may_be_xml_unsafe("\u{FFFD}"));
        let (kept, removed) = strip_xml_unsafe("a\u{FFFD}b");
        assert!(matches!(kept, Cow::Borrowed("a\u{FFFD}b")));
        assert!(removed.is_empty());
    }

    #[test]
    fn xml_safe_characters_are_exactly_those_xml_allows_and_the_validator_does_not_flag() {
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            'a',
            '疫',
            '\u{FFFD}',
            '\u{10000}',
            '\u{10FFFF}',
        ] {
            assert!(is_xml_safe(c), "U+{:04X}", c as u32);
        }
        for c in [
            '\u{0}', '\u{8}', '\u{b}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\u{FFFE}',
            '\u{FFFF}',
        ] {
            assert!(!is_xml_safe(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn a_removed_character_is_named_by_its_code_point() {
        let warning = removal_warning(Path::new("a.md"), '\u{1b}', ", in a title");
        assert_eq!(warning.path, Path::new("a.md"));
        assert_eq!(
            warning.message,
            "removed character U+001B, in a title, which XML does not allow"
        );
    }

    #[test]
    fn white_space_is_squashed_and_trimmed() {
        assert_eq!(squash_whitespace("  a \t\n b\u{3000}c  "), "a b c");
        assert_eq!(squash_whitespace(" \n "), "");
    }

    #[test]
    fn escaping_covers_the_markup_characters_and_quotes_on_request() {
        assert_eq!(escape("plain 文字"), "plain 文字");
        assert_eq!(escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e'f");
        assert_eq!(escape_with("<'x'>&", true), "&lt;&#39;x&#39;&gt;&amp;");
        assert_eq!(escape_with("&&", false), "&amp;&amp;");
    }

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("ab\ncd\nef", 0), 1);
        assert_eq!(line_of("ab\ncd\nef", 2), 1);
        assert_eq!(line_of("ab\ncd\nef", 3), 2);
        assert_eq!(line_of("ab\ncd\nef", 7), 3);
        assert_eq!(line_of("ab\n", 99), 2);
    }

    #[test]
    fn the_fast_check_sees_several_unsafe_characters_together() {
        for text in [
            "\u{0}\u{1}",
            "a\u{80}b\u{9f}",
            "\u{1}\u{FFFF}\u{2}\u{FFFE}",
            "\u{7f}\u{7f}\u{7f}",
        ] {
            assert!(may_be_xml_unsafe(text), "{text:?}");
            let (kept, _) = strip_xml_unsafe(text);
            assert!(kept.chars().all(is_xml_safe), "{text:?}");
        }
    }

    #[test]
    fn keeps_clean_text_borrowed() {
        let (kept, removed) = strip_xml_unsafe("疫线党员\r\n干部");
        assert!(matches!(kept, Cow::Borrowed(_)));
        assert!(removed.is_empty());
    }

    #[test]
    fn truncates_on_character_boundaries() {
        assert_eq!(truncate_chars("疫线党员干部", 4), "疫线党员…");
        assert_eq!(truncate_chars("疫线", 4), "疫线");
        assert_eq!(truncate_chars("ab  cd", 3), "ab…");
    }
}
