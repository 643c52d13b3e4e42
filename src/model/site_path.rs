//! Paths below the output folder: what the site's own URLs name, and how a
//! path is written as a link.

use url::Url;

use super::uri_component;

/// The path below the output folder that `url` names, if it is on the site
/// served at `base`: percent-decoded, without query or fragment; a folder
/// means its `index.html`. `None` for other sites and for paths no file can
/// have.
pub(crate) fn site_path(url: &str, base: &Url) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(on_site(url, base)?)
        .decode_utf8()
        .ok()?;
    let mut path = decoded.into_owned();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    is_safe_path(&path).then_some(path)
}

/// Whether `url` has a [`site_path`], told without making it (a rebuild
/// asks this of every article the index holds).
pub(crate) fn has_site_path(url: &str, base: &Url) -> bool {
    let Some(path) = on_site(url, base) else {
        return false;
    };
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return false;
    };
    // A folder's `index.html` is a safe last name: the folder must be safe.
    decoded.is_empty() || is_safe_path(decoded.strip_suffix('/').unwrap_or(&decoded))
}

/// The part of `url` below `base`, without query or fragment, as written.
pub(crate) fn on_site<'u>(url: &'u str, base: &Url) -> Option<&'u str> {
    let rest = url.strip_prefix(base.as_str())?;
    Some(&rest[..rest.find(['?', '#']).unwrap_or(rest.len())])
}

/// True for a path below the output folder that a file can have and the
/// manifest can list: no empty, `.` or `..` segment, no backslash, no
/// control character (a line break would split a manifest line).
pub(crate) fn is_safe_path(path: &str) -> bool {
    path.split('/').all(|segment| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && !segment.contains(|c: char| c == '\\' || c.is_control())
    })
}

/// A path below the output folder as a relative href: each segment
/// percent-encoded (category folders may be CJK or hold spaces).
pub(crate) fn relative_href(path: &str) -> String {
    path.split('/')
        .map(uri_component)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_are_decoded_and_stop_at_query_and_fragment() {
        let base = Url::parse("https://example.org/site/").unwrap();
        let path = |url: &str| site_path(url, &base);
        assert_eq!(
            path("https://example.org/site/a/b.jpg?x=1#y").as_deref(),
            Some("a/b.jpg")
        );
        assert_eq!(
            path("https://example.org/site/%E6%89%BF.png").as_deref(),
            Some("承.png")
        );
        assert_eq!(
            path("https://example.org/site/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            path("https://example.org/site/d/").as_deref(),
            Some("d/index.html")
        );
        assert_eq!(path("https://example.org/other/a.jpg"), None);
        assert_eq!(path("https://example.org/site/a/%2e%2e/b"), None);
        assert_eq!(path("https://example.org/site/a%2F..%2F..%2Fb"), None);
    }

    #[test]
    fn whether_a_url_has_a_site_path_is_what_making_it_says() {
        let base = Url::parse("https://example.org/site/").unwrap();
        for rest in [
            "",
            "/",
            "//",
            "a",
            "a/",
            "a//",
            "a/b.jpg?x=1#y",
            "%E6%89%BF.png",
            "d/",
            ".",
            "./",
            "..",
            "a/../b",
            "a/%2e%2e/b",
            "a%2F..%2F..%2Fb",
            "%FF",
            "a\\b",
            "a%0Ab",
            "?q",
            "#f",
        ] {
            let url = format!("https://example.org/site/{rest}");
            assert_eq!(
                has_site_path(&url, &base),
                site_path(&url, &base).is_some(),
                "{url}"
            );
        }
        assert!(!has_site_path("https://example.org/other/a.jpg", &base));
    }

    #[test]
    fn hrefs_encode_each_segment() {
        assert_eq!(
            relative_href("categories/承德 频道/rss.xml"),
            "categories/%E6%89%BF%E5%BE%B7%20%E9%A2%91%E9%81%93/rss.xml"
        );
    }
}
