//! Dates as feeds write them: RFC 822 (RSS) and RFC 3339 (Atom, JSON Feed).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

use super::{Context, Findings, Rule};

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Rfc822Problem {
    NotADate,
    DayOfWeek { written: Weekday, actual: Weekday },
}

/// Parses an RFC 822 date-time: `[Wed, ]01 Jun 2022 17:52:50 +0800`.
/// Returns the instant and whether the year had only two digits.
pub(super) fn parse_rfc822(text: &str) -> Result<(DateTime<FixedOffset>, bool), Rfc822Problem> {
    let text = text.trim();
    let (weekday, rest) = match text.split_once(',') {
        Some((day, rest)) => (
            Some(weekday(day.trim()).ok_or(Rfc822Problem::NotADate)?),
            rest.trim(),
        ),
        None => (None, text),
    };
    let parts: Vec<&str> = rest.split_whitespace().collect();
    let [day, month, year, time, zone] = parts[..] else {
        return Err(Rfc822Problem::NotADate);
    };
    let day: u32 = digits(day, 1, 2).ok_or(Rfc822Problem::NotADate)?;
    let month = month_number(month).ok_or(Rfc822Problem::NotADate)?;
    let two_digit_year = year.len() == 2;
    let year: i32 = match year.len() {
        2 => 1900 + digits::<i32>(year, 2, 2).ok_or(Rfc822Problem::NotADate)?,
        4 => digits(year, 4, 4).ok_or(Rfc822Problem::NotADate)?,
        _ => return Err(Rfc822Problem::NotADate),
    };
    let year = if two_digit_year && year < 1950 {
        year + 100
    } else {
        year
    };
    // RFC 822 wants two digits in every field of the time.
    let fields: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&fields.len()) || fields.iter().any(|f| f.len() != 2) {
        return Err(Rfc822Problem::NotADate);
    }
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .map_err(|_| Rfc822Problem::NotADate)?;
    let offset = zone_offset(zone).ok_or(Rfc822Problem::NotADate)?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(Rfc822Problem::NotADate)?;
    if let Some(written) = weekday {
        if written != date.weekday() {
            return Err(Rfc822Problem::DayOfWeek {
                written,
                actual: date.weekday(),
            });
        }
    }
    let instant = offset
        .from_local_datetime(&date.and_time(time))
        .single()
        .ok_or(Rfc822Problem::NotADate)?;
    Ok((instant, two_digit_year))
}

/// Parses an RFC 3339 date-time, which needs the `T`, seconds and an offset.
pub(super) fn parse_rfc3339(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't')) {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok()
}

/// An Atom date (RFC 4287 3.3): RFC 3339 with an upper-case `T` and `Z`.
pub(super) fn parse_atom_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if text.contains('t') || text.contains('z') {
        return None;
    }
    parse_rfc3339(text)
}

/// Warns about a date before 1990 or more than a day in the future.
/// `at` is only called for a finding: working out a line costs a scan.
pub(super) fn check_plausible(
    instant: &DateTime<FixedOffset>,
    at: impl Fn() -> super::Place,
    context: &Context,
    findings: &mut Findings,
) {
    let earliest = Utc.with_ymd_and_hms(1990, 1, 1, 0, 0, 0).unwrap();
    if *instant < earliest {
        findings.add(
            at(),
            Rule::DateImplausible,
            format!("{} is before 1990", instant.to_rfc3339()),
        );
    } else if context
        .now
        .checked_add_signed(chrono::Duration::days(1))
        .is_some_and(|tomorrow| instant.with_timezone(&Utc) > tomorrow)
    {
        findings.add(
            at(),
            Rule::DateImplausible,
            format!("{} is in the future", instant.to_rfc3339()),
        );
    }
}

fn digits<T: std::str::FromStr>(text: &str, min: usize, max: usize) -> Option<T> {
    ((min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn weekday(text: &str) -> Option<Weekday> {
    // RFC 822 names are case-independent.
    Some(match text.to_ascii_lowercase().as_str() {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

fn month_number(text: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(text))
        .map(|i| i as u32 + 1)
}

fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let upper = zone.to_ascii_uppercase();
    let hours = match upper.as_str() {
        "UT" | "GMT" | "Z" => 0,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        // RFC 822's military zones: A to M (not J) east, N to Y west.
        military if military.len() == 1 && military != "J" => {
            let letter = military.as_bytes()[0];
            match letter {
                b'A'..=b'I' => i32::from(letter - b'A') + 1,
                b'K'..=b'M' => i32::from(letter - b'K') + 10,
                b'N'..=b'Y' => -(i32::from(letter - b'N') + 1),
                _ => return None,
            }
        }
        _ => {
            let (sign, digits) = match zone.as_bytes().first()? {
                b'+' => (1, &zone[1..]),
                b'-' => (-1, &zone[1..]),
                _ => return None,
            };
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = digits[2..].parse().ok()?;
            if minutes >= 60 {
                return None;
            }
            return FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60));
        }
    };
    FixedOffset::east_opt(hours * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc822_and_checks_the_weekday() {
        let (instant, two_digit) = parse_rfc822("Wed, 01 Jun 2022 17:52:50 +0800").unwrap();
        assert_eq!((instant.timestamp(), two_digit), (1_654_077_170, false));
        assert!(parse_rfc822("1 Jun 2022 09:52 GMT").is_ok());
        assert_eq!(
            parse_rfc822("Tue, 01 Jun 2022 17:52:50 +0800"),
            Err(Rfc822Problem::DayOfWeek {
                written: Weekday::Tue,
                actual: Weekday::Wed
            })
        );
        assert!(parse_rfc822("01 Jun 22 17:52:50 GMT").unwrap().1);
        assert!(parse_rfc822("wed, 01 jun 2022 17:52:50 gmt").is_ok());
        let (instant, _) = parse_rfc822("Wed, 01 Jun 2022 17:52:50 A").unwrap();
        assert_eq!(instant.offset().local_minus_utc(), 3600);
        assert_eq!(
            parse_rfc822("Wed, 01 Jun 2022 7:2:5 GMT"),
            Err(Rfc822Problem::NotADate)
        );
        for bad in [
            "2022-06-01T17:52:50+08:00",
            "Wed, 01 Jun 2022 17:52:50",
            "Wed, 32 Jun 2022 17:52:50 GMT",
            "Wed, 01 June 2022 17:52:50 GMT",
            "Wed, 01 Jun 2022 17:52:50 +08:00",
        ] {
            assert_eq!(parse_rfc822(bad), Err(Rfc822Problem::NotADate), "{bad}");
        }
    }

    #[test]
    fn reads_rfc3339_strictly() {
        assert!(parse_rfc3339("2022-06-01T17:52:50+08:00").is_some());
        assert!(parse_rfc3339("2022-06-01 17:52:50+08:00").is_none());
        assert!(parse_rfc3339("2022-06-01T17:52:50").is_none());
        assert!(parse_rfc3339("2022-06-01").is_none());
        assert!(parse_atom_date("2022-06-01t17:52:50z").is_none());
        assert!(parse_atom_date("2022-06-01T17:52:50Z").is_some());
    }
}
