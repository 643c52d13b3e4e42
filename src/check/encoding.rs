//! The character encoding of an XML feed, found as XML 1.0 appendix F
//! says: a byte order mark first, then the XML declaration's `encoding`,
//! else UTF-8. The text is decoded with encoding_rs; a declaration that
//! contradicts the mark, an unknown label or bytes the encoding cannot
//! have are findings.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::{Findings, Rule};

/// The text of `bytes`, decoded, or `None` (with a finding) if it cannot be.
pub(super) fn decode<'a>(bytes: &'a [u8], findings: &mut Findings) -> Option<Cow<'a, str>> {
    let (from_bom, body) = match Encoding::for_bom(bytes) {
        Some((encoding, length)) => (Some(encoding), &bytes[length..]),
        None => (sniff_utf16(bytes), bytes),
    };
    let declared = declared_label(body, from_bom);
    let declared_encoding = match declared.as_deref() {
        Some(label) => match Encoding::for_label(label.as_bytes()) {
            Some(encoding) => Some(encoding),
            None => {
                findings.add(
                    (1, 1),
                    Rule::XmlEncoding,
                    format!("the declared encoding {label:?} is not one this checker knows"),
                );
                return None;
            }
        },
        None => None,
    };
    let encoding = match (from_bom, declared_encoding) {
        (Some(marked), Some(declared)) if !same_family(marked, declared) => {
            findings.add(
                (1, 1),
                Rule::XmlEncoding,
                format!(
                    "the byte order mark says {}, but the XML declaration says {}",
                    marked.name(),
                    declared.name()
                ),
            );
            marked
        }
        (Some(marked), _) => marked,
        // UTF-16 without a mark would begin `<?` in two bytes each.
        (None, Some(declared)) if declared == UTF_16LE || declared == UTF_16BE => {
            findings.add(
                (1, 1),
                Rule::XmlEncoding,
                "the XML declaration says UTF-16, but the file is not (UTF-16 begins with a byte order mark)",
            );
            return None;
        }
        (None, Some(declared)) => declared,
        (None, None) => UTF_8,
    };
    if encoding == UTF_8 {
        // simdutf8 first: feeds of CJK text are slow to validate otherwise.
        return match simdutf8::basic::from_utf8(body).or_else(|_| std::str::from_utf8(body)) {
            Ok(text) => Some(Cow::Borrowed(text)),
            Err(error) => {
                let valid = std::str::from_utf8(&body[..error.valid_up_to()]).unwrap_or_default();
                findings.add(
                    end_of(valid),
                    Rule::XmlEncoding,
                    "bytes that are not UTF-8; save the file as UTF-8, or declare the encoding it is in",
                );
                None
            }
        };
    }
    let (text, malformed) = encoding.decode_without_bom_handling(body);
    if malformed {
        let valid = text.split('\u{FFFD}').next().unwrap_or_default();
        findings.add(
            end_of(valid),
            Rule::XmlEncoding,
            format!("a byte sequence that is not {}", encoding.name()),
        );
        return None;
    }
    Some(text)
}

/// UTF-16 without a mark, known by how `<?` is spelt (XML 1.0 F.1).
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes.get(..4) {
        Some([0, b'<', 0, b'?']) => Some(UTF_16BE),
        Some([b'<', 0, b'?', 0]) => Some(UTF_16LE),
        _ => None,
    }
}

/// UTF-16's labels name either byte order; the mark decides which.
fn same_family(marked: &'static Encoding, declared: &'static Encoding) -> bool {
    marked == declared || (marked != UTF_8 && (declared == UTF_16LE || declared == UTF_16BE))
}

/// The `encoding` of the XML declaration at the start of `body`, if any.
fn declared_label(body: &[u8], utf16: Option<&'static Encoding>) -> Option<String> {
    // The declaration is ASCII; in UTF-16 every other byte is zero.
    let head: Vec<u8> = match utf16 {
        Some(encoding) if encoding != UTF_8 => {
            let (text, _) = encoding.decode_without_bom_handling(&body[..body.len().min(512)]);
            text.bytes().collect()
        }
        _ => body[..body.len().min(256)].to_vec(),
    };
    let head = String::from_utf8_lossy(&head);
    let declaration = head.strip_prefix("<?xml")?;
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = &after[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// The line and column just after `text`.
fn end_of(text: &str) -> (u32, u32) {
    let line = text.matches('\n').count() as u32 + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> Result<String, Vec<String>> {
        let mut findings = Findings::default();
        let text = decode(bytes, &mut findings).map(Cow::into_owned);
        match text {
            Some(text) if findings.found.is_empty() => Ok(text),
            _ => Err(findings.found.into_iter().map(|f| f.message).collect()),
        }
    }

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { vec![] };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn utf16_with_or_without_a_mark() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><a>é</a>";
        assert_eq!(decoded(&utf16le(xml, true)).unwrap(), xml);
        assert_eq!(decoded(&utf16le(xml, false)).unwrap(), xml);
    }

    #[test]
    fn the_declared_encoding_is_honoured() {
        let mut bytes = b"<?xml version='1.0' encoding='iso-8859-1'?><a>".to_vec();
        bytes.extend([0xE9, b'<', b'/', b'a', b'>']);
        assert!(decoded(&bytes).unwrap().ends_with("<a>é</a>"));
        bytes = b"<?xml version=\"1.0\" encoding=\"gb2312\"?><a>".to_vec();
        bytes.extend([0xD6, 0xD0, b'<', b'/', b'a', b'>']);
        assert!(decoded(&bytes).unwrap().ends_with("<a>中</a>"));
    }

    #[test]
    fn contradictions_and_bad_bytes_are_findings() {
        let xml = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a/>";
        assert!(decoded(&utf16le(xml, true)).is_err());
        assert!(decoded(b"<?xml version='1.0' encoding='klingon'?><a/>").is_err());
        assert!(decoded(b"<a>\xE9</a>").is_err());
        assert!(decoded(b"<?xml version='1.0' encoding='utf-16'?><a/>").is_err());
        assert_eq!(decoded(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
    }
}
