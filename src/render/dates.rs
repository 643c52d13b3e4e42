//! Dates as each feed format writes them, keeping the offset the article
//! was published in.

use chrono::{DateTime, FixedOffset};

/// RFC 822 as RSS 2.0 wants it, with a two-digit day and a numeric offset:
/// `Wed, 01 Jun 2022 17:52:50 +0800`.
pub(crate) fn rfc822(instant: &DateTime<FixedOffset>) -> String {
    instant.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// RFC 3339 as Atom wants it, keeping the offset: `2022-06-01T17:52:50+08:00`.
pub(crate) fn rfc3339(instant: &DateTime<FixedOffset>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_keep_the_offset() {
        let instant = DateTime::parse_from_rfc3339("2022-06-01T17:52:50+08:00").unwrap();
        assert_eq!(rfc822(&instant), "Wed, 01 Jun 2022 17:52:50 +0800");
        assert_eq!(rfc3339(&instant), "2022-06-01T17:52:50+08:00");
        let utc = DateTime::parse_from_rfc3339("2022-06-01T09:52:50Z").unwrap();
        assert_eq!(rfc822(&utc), "Wed, 01 Jun 2022 09:52:50 +0000");
        assert_eq!(rfc3339(&utc), "2022-06-01T09:52:50+00:00");
    }
}
