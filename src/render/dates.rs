//! Dates as each feed format writes them, keeping the offset the article
//! was published in.

use chrono::{DateTime, FixedOffset};

/// RFC 822 as RSS 2.0 wants it, with a two-digit day and a numeric offset:
/// `Wed, 01 Jun 2022 17:52:50 +0800`.
///
/// The offset is kept when it is a whole or half hour. The few zones a
/// quarter hour off (Nepal's +05:45, Chatham's +12:45) are written as the
/// same instant in UTC: the W3C validator warns about such offsets in RSS,
/// and readers convert RSS dates to their own zone anyway. Atom and JSON
/// Feed keep every offset.
pub(crate) fn rfc822(instant: &DateTime<FixedOffset>) -> String {
    let offset_minutes = instant.offset().local_minus_utc() / 60;
    if offset_minutes % 30 == 0 {
        instant.format("%a, %d %b %Y %H:%M:%S %z").to_string()
    } else {
        instant
            .naive_utc()
            .format("%a, %d %b %Y %H:%M:%S +0000")
            .to_string()
    }
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
        let marquesas = DateTime::parse_from_rfc3339("2024-05-01T09:30:00-09:30").unwrap();
        assert_eq!(rfc822(&marquesas), "Wed, 01 May 2024 09:30:00 -0930");
    }

    #[test]
    fn rss_gives_quarter_hour_offsets_in_utc_and_atom_keeps_them() {
        let nepal = DateTime::parse_from_rfc3339("2024-05-01T09:30:00+05:45").unwrap();
        assert_eq!(rfc822(&nepal), "Wed, 01 May 2024 03:45:00 +0000");
        assert_eq!(rfc3339(&nepal), "2024-05-01T09:30:00+05:45");
    }
}
