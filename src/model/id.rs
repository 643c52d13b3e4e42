//! The id scheme of generated entry ids.

use chrono::{DateTime, FixedOffset};

use super::uri_component;

/// `tag:<authority>,<published date>:<slug>` (RFC 4151): independent of the
/// title and of where the site is served, so neither an edit nor a move makes
/// an old entry look new.
pub(crate) fn tag_uri(authority: &str, published: &DateTime<FixedOffset>, slug: &str) -> String {
    format!(
        "tag:{},{}:{}",
        authority,
        published.format("%Y-%m-%d"),
        uri_component(slug)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_uri_encodes_the_slug() {
        let published = DateTime::parse_from_rfc3339("2022-06-01T17:52:50+08:00").unwrap();
        assert_eq!(
            tag_uri("feeds.example.org", &published, "硬核-a_b"),
            "tag:feeds.example.org,2022-06-01:%E7%A1%AC%E6%A0%B8-a_b"
        );
        // The date is the one the article gives, in its own offset.
        let late = DateTime::parse_from_rfc3339("2022-06-01T23:30:00-05:00").unwrap();
        assert_eq!(
            tag_uri("a.example", &late, "x"),
            "tag:a.example,2022-06-01:x"
        );
    }
}
