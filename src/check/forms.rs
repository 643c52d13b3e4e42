//! The forms values in feeds must have: IRIs, language tags, media types,
//! e-mail addresses, W3C-DTF dates, numbers. Each is a predicate on the
//! value as written; callers decide the rule and message.

/// ASCII characters an IRI may hold as written (RFC 3987's unreserved,
/// reserved and `%`); `[` and `]` only for an IP literal host. Non-ASCII
/// characters are allowed: that is what makes it an IRI.
fn is_iri_char(c: char) -> bool {
    !c.is_ascii() || c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#[]".contains(c)
}

/// An IRI reference (RFC 3987): absolute or relative, with no white space
/// nor character outside the IRI grammar.
pub(super) fn is_iri_reference(value: &str) -> bool {
    value.chars().all(is_iri_char) && !value.chars().any(char::is_whitespace)
}

/// An absolute IRI: a scheme, and for http(s) and ftp an authority.
pub(super) fn is_absolute_iri(value: &str) -> bool {
    if !is_iri_reference(value) {
        return false;
    }
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let needs_authority = matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "ftp"
    );
    scheme_ok
        && !rest.is_empty()
        && (!needs_authority
            || rest
                .strip_prefix("//")
                .is_some_and(|r| !r.is_empty() && !r.starts_with('/')))
}

/// A language tag (RFC 3066 / BCP 47): a primary subtag of two or three
/// letters (or `i`/`x` for registered and private tags), then subtags of
/// one to eight letters or digits, joined by hyphens.
pub(super) fn is_language_tag(value: &str) -> bool {
    let mut subtags = value.split('-');
    let primary = subtags.next().unwrap_or("");
    let primary_ok = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        || matches!(primary, "i" | "x" | "I" | "X");
    primary_ok
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A media type `type/subtype` with optional parameters (RFC 2045).
pub(super) fn is_media_type(value: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?=".contains(c))
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    essence
        .split_once('/')
        .is_some_and(|(kind, subtype)| token(kind) && token(subtype))
}

/// An e-mail address (RFC 2822 addr-spec): `local@domain`, nothing else
/// (no display name).
pub(super) fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let domain_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
    local_ok && domain_ok
}

/// A W3C-DTF date (the profile of ISO 8601 Dublin Core uses): a year,
/// month or day, or a day with a time and a zone.
pub(super) fn is_w3cdtf(value: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let (date, time) = match value.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (value, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let date_ok = match parts[..] {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => {
            digits(y, 4)
                && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok()
                && digits(m, 2)
                && digits(d, 2)
        }
        _ => false,
    };
    let Some(time) = time else {
        return date_ok;
    };
    date_ok && parts.len() == 3 && {
        let (clock, zone) = match time.find(['Z', '+', '-']) {
            Some(at) => time.split_at(at),
            None => return false,
        };
        let zone_ok = zone == "Z"
            || (zone.len() == 6 && zone.as_bytes()[3] == b':' && {
                let (h, m) = (&zone[1..3], &zone[4..]);
                digits(h, 2) && digits(m, 2)
            });
        let fields: Vec<&str> = clock.split(':').collect();
        let clock_ok = match fields[..] {
            [h, m] => digits(h, 2) && digits(m, 2),
            [h, m, s] => {
                let whole = s.split('.').next().unwrap_or("");
                digits(h, 2) && digits(m, 2) && digits(whole, 2)
            }
            _ => false,
        };
        zone_ok && clock_ok
    }
}

/// A decimal number within `-limit..=limit`.
pub(super) fn is_coordinate(value: &str, limit: f64) -> bool {
    value
        .trim()
        .parse::<f64>()
        .is_ok_and(|n| n.is_finite() && n.abs() <= limit)
}

/// Digits only (a non-negative integer).
pub(super) fn is_non_negative_integer(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

/// Base64 text (white space between groups allowed).
pub(super) fn is_base64(value: &str) -> bool {
    let compact: Vec<u8> = value.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let body = compact
        .strip_suffix(b"==")
        .or_else(|| compact.strip_suffix(b"="))
        .unwrap_or(&compact);
    compact.len().is_multiple_of(4)
        && body
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris() {
        assert!(is_iri_reference("a/b.html#x"));
        assert!(is_iri_reference("http://例え.jp/ü"));
        assert!(!is_iri_reference("insert value here"));
        assert!(!is_iri_reference("http://example.org/<a>"));
        assert!(is_absolute_iri("http://example.org/"));
        assert!(is_absolute_iri("urn:uuid:60a76c80"));
        assert!(!is_absolute_iri("mine"));
        assert!(!is_absolute_iri("http:/example.org"));
    }

    #[test]
    fn other_forms() {
        assert!(is_language_tag("en-US") && is_language_tag("zh-Hant-TW"));
        assert!(!is_language_tag("en_us") && !is_language_tag("English") && !is_language_tag(""));
        assert!(is_media_type("text/html; charset=utf-8") && !is_media_type("html"));
        assert!(is_email("a.b@example.org") && !is_email("Wu <wu@example.org>"));
        assert!(is_w3cdtf("2003-09-24T11:36:36+08:00") && is_w3cdtf("2003-09"));
        assert!(!is_w3cdtf("2003-09-24T11:36:36") && !is_w3cdtf("Mon, 31 Dec 2002 14:20:20 GMT"));
        assert!(is_coordinate("-118.2473", 180.0) && !is_coordinate("91.048", 90.0));
        assert!(is_base64("U29tZSBtb3JlIHRleHQu") && !is_base64("not base64!"));
    }
}
