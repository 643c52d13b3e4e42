//! Publication times: TOML date-times to instants that keep their offset.
//!
//! A time written with an offset keeps that offset. A local time is read in
//! the feed's zone, and a local time that the zone skips (a daylight-saving
//! gap) or passes twice is an error rather than a guess: an entry's instant is
//! part of what readers use to tell old from new.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use toml::value::{Datetime, Offset};

use super::fields::Value;

/// Why a value is not a usable publication time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateError {
    NotADate(String),
    TimeWithoutDate,
    /// A local time was given but the feed has no `timezone`.
    NoZone,
    Nonexistent {
        local: NaiveDateTime,
        zone: Tz,
    },
    Ambiguous {
        local: NaiveDateTime,
        zone: Tz,
        earlier: DateTime<FixedOffset>,
        later: DateTime<FixedOffset>,
    },
}

impl DateError {
    pub(crate) fn message(&self) -> String {
        match self {
            DateError::NotADate(shown) => format!("{shown} is not a date"),
            DateError::TimeWithoutDate => "a time of day needs a date".to_string(),
            DateError::NoZone => "a time without an offset needs the feed's time zone".to_string(),
            DateError::Nonexistent { local, zone } => {
                format!("{local} does not exist in {zone} (the clocks skip it)")
            }
            DateError::Ambiguous { local, zone, .. } => {
                format!("{local} happens twice in {zone} (the clocks go back)")
            }
        }
    }

    pub(crate) fn help(&self) -> String {
        match self {
            DateError::NotADate(_) | DateError::TimeWithoutDate => {
                "write it as 2022-06-01 17:52:50 (in the feed's zone) or 2022-06-01T17:52:50+08:00"
                    .to_string()
            }
            DateError::NoZone => {
                "set `timezone` in feed.toml (e.g. \"Asia/Shanghai\") or give the offset, e.g. 2022-06-01T17:52:50+08:00"
                    .to_string()
            }
            DateError::Nonexistent { .. } => {
                "give the offset explicitly, e.g. 2022-06-01T17:52:50+08:00".to_string()
            }
            DateError::Ambiguous { earlier, later, .. } => format!(
                "give the offset to say which one: {} or {}",
                earlier.to_rfc3339(),
                later.to_rfc3339()
            ),
        }
    }
}

/// Reads a front-matter value: a TOML date-time, or a string holding one.
pub(crate) fn from_value(
    value: &Value,
    zone: Option<Tz>,
) -> Result<DateTime<FixedOffset>, DateError> {
    let datetime = match value {
        Value::Datetime(datetime) => *datetime,
        Value::String(text) => normalise(text)
            .parse::<Datetime>()
            .map_err(|_| DateError::NotADate(format!("{text:?}")))?,
        Value::Integer(n) => return Err(DateError::NotADate(n.to_string())),
        Value::Float(n) => return Err(DateError::NotADate(n.to_string())),
        Value::Boolean(b) => return Err(DateError::NotADate(b.to_string())),
        Value::Array(_) | Value::Table(_) => {
            return Err(DateError::NotADate("a list or table".to_string()))
        }
    };
    resolve(&datetime, zone)
}

/// True when a front-matter value is a date alone, with no time of day
/// (`published = 2026-08-20`): pages then show the date alone.
pub(crate) fn is_date_only(value: &Value) -> bool {
    let datetime = match value {
        Value::Datetime(datetime) => Some(*datetime),
        Value::String(text) => normalise(text).parse::<Datetime>().ok(),
        _ => None,
    };
    datetime.is_some_and(|d| d.date.is_some() && d.time.is_none())
}

/// A date-time as the generators' YAML writes it, in RFC 3339's form:
/// `2016-03-10 10:00:00 -0800` becomes `2016-03-10 10:00:00-08:00`, and
/// `… UTC` becomes `…Z`.
fn normalise(text: &str) -> String {
    let text = text.trim();
    let (head, tail) = match text.rsplit_once(' ') {
        Some((head, tail)) if head.contains(':') && is_offset(tail) => (head, tail),
        _ => match text
            .len()
            .checked_sub(5)
            .and_then(|at| text.get(at..).map(|t| (at, t)))
        {
            Some((at, tail)) if text[..at].contains(':') && is_offset(tail) => (&text[..at], tail),
            _ => return text.to_string(),
        },
    };
    let offset = match tail {
        "UTC" | "Z" => "Z".to_string(),
        _ if tail.len() == 5 => format!("{}:{}", &tail[..3], &tail[3..]),
        _ => tail.to_string(),
    };
    format!("{head}{offset}")
}

/// `Z`, `UTC`, `+0800` or `-08:00`.
fn is_offset(text: &str) -> bool {
    let bytes = text.as_bytes();
    matches!(text, "Z" | "UTC")
        || (matches!(bytes.first(), Some(b'+' | b'-'))
            && match bytes.len() {
                5 => bytes[1..].iter().all(u8::is_ascii_digit),
                6 => {
                    bytes[3] == b':'
                        && bytes[1..3]
                            .iter()
                            .chain(&bytes[4..])
                            .all(u8::is_ascii_digit)
                }
                _ => false,
            })
}

fn resolve(datetime: &Datetime, zone: Option<Tz>) -> Result<DateTime<FixedOffset>, DateError> {
    let not_a_date = || DateError::NotADate(datetime.to_string());
    let date = datetime.date.ok_or(DateError::TimeWithoutDate)?;
    let date = NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
        .ok_or_else(not_a_date)?;
    let time = match datetime.time {
        Some(time) => NaiveTime::from_hms_nano_opt(
            time.hour.into(),
            time.minute.into(),
            time.second.unwrap_or(0).into(),
            time.nanosecond.unwrap_or(0),
        )
        .ok_or_else(not_a_date)?,
        None => NaiveTime::MIN,
    };
    let local = date.and_time(time);
    match datetime.offset {
        Some(offset) => {
            let seconds = match offset {
                Offset::Z => 0,
                Offset::Custom { minutes } => i32::from(minutes) * 60,
            };
            let offset = FixedOffset::east_opt(seconds).ok_or_else(not_a_date)?;
            offset
                .from_local_datetime(&local)
                .single()
                .ok_or_else(not_a_date)
        }
        None => {
            let zone = zone.ok_or(DateError::NoZone)?;
            match zone.from_local_datetime(&local) {
                LocalResult::Single(instant) => Ok(instant.fixed_offset()),
                LocalResult::None => Err(DateError::Nonexistent { local, zone }),
                LocalResult::Ambiguous(earlier, later) => Err(DateError::Ambiguous {
                    local,
                    zone,
                    earlier: earlier.fixed_offset(),
                    later: later.fixed_offset(),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_style_offsets_are_read() {
        let read =
            |text: &str| from_value(&Value::String(text.into()), None).map(|d| d.to_rfc3339());
        assert_eq!(
            read("2016-03-10 10:00:00 -0800").unwrap(),
            "2016-03-10T10:00:00-08:00"
        );
        assert_eq!(
            read("2016-03-10 10:00:00+0530").unwrap(),
            "2016-03-10T10:00:00+05:30"
        );
        assert_eq!(
            read("2016-03-10 10:00:00 UTC").unwrap(),
            "2016-03-10T10:00:00+00:00"
        );
        assert_eq!(
            read("2016-03-10T10:00:00Z").unwrap(),
            "2016-03-10T10:00:00+00:00"
        );
        assert_eq!(read("2016-03-10"), Err(DateError::NoZone));
    }

    fn parse(text: &str, zone: Option<Tz>) -> Result<DateTime<FixedOffset>, DateError> {
        let text = format!("v = {text}\n");
        let fields = super::super::fields::Fields::parse(
            &text,
            std::path::Path::new("x.md"),
            1,
            &mut Vec::new(),
        )
        .unwrap();
        from_value(fields.value("v").unwrap(), zone)
    }

    #[test]
    fn local_time_is_read_in_the_feed_zone() {
        let instant = parse("2022-06-01 17:52:50", Some(chrono_tz::Asia::Shanghai)).unwrap();
        assert_eq!(instant.to_rfc3339(), "2022-06-01T17:52:50+08:00");
        assert_eq!(instant.timestamp(), 1_654_077_170);
    }

    #[test]
    fn explicit_offset_is_kept() {
        let instant = parse("2022-06-01T04:52:50-05:00", Some(chrono_tz::Asia::Shanghai)).unwrap();
        assert_eq!(instant.to_rfc3339(), "2022-06-01T04:52:50-05:00");
        let utc = parse("2022-06-01T09:52:50Z", None).unwrap();
        assert_eq!(utc.offset().local_minus_utc(), 0);
    }

    #[test]
    fn strings_holding_dates_are_accepted() {
        let instant = parse("\"2022-06-01 17:52:50\"", Some(chrono_tz::Asia::Shanghai)).unwrap();
        assert_eq!(instant.timestamp(), 1_654_077_170);
    }

    #[test]
    fn gaps_and_overlaps_are_errors() {
        let zone = Some(chrono_tz::America::New_York);
        assert!(matches!(
            parse("2022-03-13 02:30:00", zone),
            Err(DateError::Nonexistent { .. })
        ));
        assert!(matches!(
            parse("2022-11-06 01:30:00", zone),
            Err(DateError::Ambiguous { .. })
        ));
    }

    #[test]
    fn non_dates_are_errors() {
        assert!(matches!(
            parse("\"yesterday\"", None),
            Err(DateError::NotADate(_))
        ));
        assert!(matches!(parse("5", None), Err(DateError::NotADate(_))));
        assert!(matches!(
            parse("17:52:50", None),
            Err(DateError::TimeWithoutDate)
        ));
        assert!(matches!(
            parse("2022-06-01 17:52:50", None),
            Err(DateError::NoZone)
        ));
    }

    #[test]
    fn each_error_says_what_is_wrong_and_what_to_write() {
        let zone = Some(chrono_tz::America::New_York);
        let error = parse("\"yesterday\"", None).unwrap_err();
        assert_eq!(error.message(), "\"yesterday\" is not a date");
        assert!(error.help().starts_with("write it as 2022-06-01 17:52:50"));
        let error = parse("2022-06-01 17:52:50", None).unwrap_err();
        assert_eq!(
            error.message(),
            "a time without an offset needs the feed's time zone"
        );
        assert!(error.help().starts_with("set `timezone` in feed.toml"));
        let error = parse("2022-03-13 02:30:00", zone).unwrap_err();
        assert_eq!(
            error.message(),
            "2022-03-13 02:30:00 does not exist in America/New_York (the clocks skip it)"
        );
        let error = parse("2022-11-06 01:30:00", zone).unwrap_err();
        assert_eq!(
            error.help(),
            "give the offset to say which one: 2022-11-06T01:30:00-04:00 or 2022-11-06T01:30:00-05:00"
        );
    }
}
