//! Names in URLs and folders: category slugs (safe folder names and URL
//! segments for any category name, never the same for two names), article
//! slugs, and URI syntax.
//!
//! A name that is already a clean slug (lower-case letters and digits of any
//! script, single `-` between them) is its own slug, so `地方频道` stays
//! `地方频道` and `rust` stays `rust`. Any other name gets a readable part plus
//! a hash of the exact name: `Rust` → `rust-…`, `a/b` → `a-b-…`. Two names
//! differing only in case or punctuation therefore never share a folder.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `text` percent-encoded for any part of a URI (a `tag:` URI's specific
/// part, a path segment, a fragment): IRIs with raw non-ASCII characters are
/// not URIs, and validators say so.
pub(crate) fn uri_component(text: &str) -> String {
    utf8_percent_encode(text, NOT_UNRESERVED).to_string()
}

/// True for an absolute URI as feed ids need it: it parses, holds only
/// ASCII (an IRI with raw non-ASCII characters is flagged by validators),
/// no white space, and at most one `#`.
pub(crate) fn is_uri(text: &str) -> bool {
    url::Url::parse(text).is_ok()
        && text.is_ascii()
        && !text.contains(char::is_whitespace)
        && text.matches('#').count() <= 1
}

/// Names Windows reserves for devices, which no folder may take.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Longest readable part, in characters, so paths stay well within limits.
const MAX_READABLE: usize = 48;

/// The folder of the category called `name`, below `categories/`.
pub fn category_slug(name: &str) -> String {
    let mut readable = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            readable.push(c);
        } else if !readable.is_empty() && !readable.ends_with('-') {
            readable.push('-');
        }
    }
    let readable: String = readable
        .trim_end_matches('-')
        .chars()
        .take(MAX_READABLE)
        .collect();
    let readable = readable.trim_end_matches('-');
    if readable == name && !is_reserved(readable) {
        return readable.to_string();
    }
    let hash = format!("{:012x}", fnv1a(name.as_bytes()) >> 16);
    if readable.is_empty() {
        format!("c-{hash}")
    } else {
        format!("{readable}-{hash}")
    }
}

/// True for names Windows will not create a file or folder under, such as
/// `con` or `nul.txt`.
pub(crate) fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    RESERVED.contains(&stem.as_str())
}

/// The longest slug, in bytes: its page is `<slug>.html`, and file systems
/// take names of at most 255 bytes.
pub(crate) const MAX_SLUG: usize = 250;

/// Why `slug` cannot name an article's page, if it cannot.
pub(crate) fn check_slug(slug: &str) -> Result<(), &'static str> {
    if slug.is_empty() {
        return Err("is empty");
    }
    if slug.starts_with('.') {
        return Err("starts with a dot");
    }
    if slug.len() > MAX_SLUG {
        return Err("is longer than 250 bytes, so its page (the slug and .html) would have a name longer than file systems take (255 bytes)");
    }
    if is_reserved(slug) {
        return Err("is a name Windows reserves for a device");
    }
    if slug
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "/\\?#%\"<>|*:".contains(c))
    {
        return Err(
            "has spaces, slashes or other characters that do not belong in a file name or URL",
        );
    }
    Ok(())
}

/// FNV-1a, 64 bits: small, fixed forever, the same on every platform.
/// Category slugs depend on it: never change it.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_names_are_their_own_slugs() {
        assert_eq!(category_slug("地方频道"), "地方频道");
        assert_eq!(category_slug("rust"), "rust");
        assert_eq!(category_slug("a-b"), "a-b");
    }

    #[test]
    fn other_names_get_a_readable_part_and_a_hash() {
        let slug = category_slug("Rust");
        assert!(
            slug.starts_with("rust-") && slug.len() == "rust-".len() + 12,
            "{slug}"
        );
        assert!(category_slug("a/b").starts_with("a-b-"));
        assert!(category_slug("中文 频道").starts_with("中文-频道-"));
        assert!(category_slug("///").starts_with("c-"));
        assert!(category_slug("..").starts_with("c-"));
        assert!(category_slug("CON").starts_with("con-"));
        assert!(category_slug("con").starts_with("con-"));
    }

    #[test]
    fn the_hash_is_fnv1a_of_the_exact_name_forever() {
        // Published folders depend on these: they may never change.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            category_slug("Rust"),
            format!("rust-{:012x}", fnv1a(b"Rust") >> 16)
        );
        assert_eq!(
            category_slug("///"),
            format!("c-{:012x}", fnv1a(b"///") >> 16)
        );
    }

    #[test]
    fn readable_parts_are_cut_and_trimmed() {
        let long = "A".repeat(60);
        let slug = category_slug(&long);
        assert_eq!(
            slug,
            format!("{}-{:012x}", "a".repeat(48), fnv1a(long.as_bytes()) >> 16)
        );
        // Punctuation at either end is dropped, inside it is one dash.
        assert!(
            category_slug("-a--b!").starts_with("a-b-"),
            "{}",
            category_slug("-a--b!")
        );
        assert!(category_slug("!a").starts_with("a-"));
        assert_eq!(category_slug("a1"), "a1");
    }

    #[test]
    fn reserved_names_are_only_the_windows_devices() {
        for name in ["con", "CON", "nul.txt", "lpt9", "aux.tar.gz"] {
            assert!(is_reserved(name), "{name}");
        }
        for name in ["cons", "console", "lpt", "a.con", ""] {
            assert!(!is_reserved(name), "{name}");
        }
    }

    #[test]
    fn article_slugs_are_checked() {
        assert_eq!(check_slug("hello-world_1"), Ok(()));
        assert_eq!(check_slug("疫线"), Ok(()));
        assert_eq!(check_slug(""), Err("is empty"));
        assert_eq!(check_slug(".hidden"), Err("starts with a dot"));
        assert!(check_slug("nul").is_err());
        for bad in [
            "a b", "a/b", "a\\b", "a?", "a#", "a%", "a\"", "a<", "a|", "a*", "a:", "a\u{7}", "a\tb",
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn uris_are_absolute_ascii_without_spaces_and_one_fragment_at_most() {
        assert!(is_uri("tag:example.org,2022-06-01:a"));
        assert!(is_uri("https://example.org/a#b"));
        assert!(!is_uri("relative/path"));
        assert!(!is_uri("tag:例え.jp,2022:a"));
        assert!(!is_uri("https://example.org/a b"));
        assert!(!is_uri("https://example.org/a#b#c"));
        assert_eq!(uri_component("a b/硬-._~"), "a%20b%2F%E7%A1%AC-._~");
    }

    #[test]
    fn slugs_are_safe_and_distinct() {
        let names = [
            "Rust",
            "rust",
            "RUST",
            "a/b",
            "a-b",
            "a b",
            "a_b",
            "地方频道",
            "地方 频道",
            "..",
            "/",
            "-",
            "a--b",
        ];
        let slugs: Vec<String> = names.iter().map(|n| category_slug(n)).collect();
        let mut unique = slugs.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{slugs:?}");
        for slug in &slugs {
            assert!(!slug.is_empty() && !slug.starts_with(['.', '-']), "{slug}");
            assert!(!slug.contains(['/', '\\', '\0', ' ', '.']), "{slug}");
        }
    }
}
