//! Permalink patterns: `/:year/:month/:day/:slug/`, with the tokens the site
//! generators document, expanded for one article.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use super::uri_component;

/// One part of a pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Literal(String),
    Token(Token),
}

/// A `:name` in a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Token {
    Year,
    Month,
    Day,
    /// The year's last two digits.
    ShortYear,
    /// The month and day without a leading zero.
    IMonth,
    IDay,
    /// The day of the year, `001` to `366` (Jekyll's `ordinal` style).
    YDay,
    Hour,
    Minute,
    Second,
    Slug,
    Title,
    Section,
    Filename,
    /// Jekyll: the categories joined by `/`.
    Categories,
    /// Jekyll: `.html`.
    OutputExt,
}

const TOKENS: &[(&str, Token)] = &[
    // Longest first, so `:i_month` is not read as `:i` and `_month`.
    ("short_year", Token::ShortYear),
    ("categories", Token::Categories),
    ("output_ext", Token::OutputExt),
    ("filename", Token::Filename),
    ("i_month", Token::IMonth),
    ("section", Token::Section),
    ("minute", Token::Minute),
    ("second", Token::Second),
    ("i_day", Token::IDay),
    ("y_day", Token::YDay),
    ("month", Token::Month),
    ("title", Token::Title),
    ("year", Token::Year),
    ("hour", Token::Hour),
    ("slug", Token::Slug),
    ("day", Token::Day),
];

/// A pattern, checked: it starts with `/` and names only known tokens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Permalink {
    parts: Vec<Part>,
    text: String,
}

/// What an article's tokens expand to, already in the site's spelling
/// (slugs made the generator's way, dates in the site's zone).
#[derive(Debug, Clone, Default)]
pub(crate) struct PermalinkValues {
    /// `YYYY-MM-DD HH:MM:SS` parts, as numbers.
    pub(crate) date: [u32; 6],
    /// The day of the year.
    pub(crate) ordinal: u32,
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) section: String,
    pub(crate) filename: String,
    pub(crate) categories: Vec<String>,
}

impl PermalinkValues {
    /// The date tokens of `instant`, as its offset shows it; the other
    /// tokens empty.
    pub(crate) fn dated(instant: &DateTime<FixedOffset>) -> PermalinkValues {
        PermalinkValues {
            date: [
                u32::try_from(instant.year()).unwrap_or(0),
                instant.month(),
                instant.day(),
                instant.hour(),
                instant.minute(),
                instant.second(),
            ],
            ordinal: instant.ordinal(),
            ..PermalinkValues::default()
        }
    }
}

impl Permalink {
    /// Reads a pattern such as `/:year/:month/:slug/`.
    pub(crate) fn parse(text: &str) -> Result<Permalink, String> {
        if !text.starts_with('/') {
            return Err(format!("{text:?} does not start with `/`"));
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find(':') {
            if at > 0 {
                parts.push(Part::Literal(rest[..at].to_string()));
            }
            let after = &rest[at + 1..];
            let Some((name, token)) = TOKENS.iter().find(|(name, _)| after.starts_with(name))
            else {
                let shown: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                return Err(format!(
                    "`:{shown}` is not a token make-feed knows (known: {})",
                    TOKENS
                        .iter()
                        .map(|(name, _)| format!(":{name}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            };
            parts.push(Part::Token(*token));
            rest = &after[name.len()..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_string()));
        }
        Ok(Permalink {
            parts,
            text: text.to_string(),
        })
    }

    /// The site path (from `/`) for an article: tokens replaced and
    /// percent-encoded, empty segments (an empty `:categories`) dropped.
    pub(crate) fn expand(&self, values: &PermalinkValues) -> String {
        let [year, month, day, hour, minute, second] = values.date;
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Token(token) => out.push_str(&match token {
                    Token::Year => format!("{year:04}"),
                    Token::Month => format!("{month:02}"),
                    Token::Day => format!("{day:02}"),
                    Token::ShortYear => format!("{:02}", year % 100),
                    Token::IMonth => month.to_string(),
                    Token::IDay => day.to_string(),
                    Token::YDay => format!("{:03}", values.ordinal),
                    Token::Hour => format!("{hour:02}"),
                    Token::Minute => format!("{minute:02}"),
                    Token::Second => format!("{second:02}"),
                    Token::Slug => uri_component(&values.slug),
                    Token::Title => uri_component(&values.title),
                    Token::Section => uri_component(&values.section),
                    Token::Filename => uri_component(&values.filename),
                    Token::Categories => values
                        .categories
                        .iter()
                        .map(|c| uri_component(c))
                        .collect::<Vec<_>>()
                        .join("/"),
                    Token::OutputExt => ".html".to_string(),
                }),
            }
        }
        // `/:categories/:year/…` with no category: one slash, as the
        // generators write it.
        let mut clean = String::with_capacity(out.len());
        for c in out.chars() {
            if !(c == '/' && clean.ends_with('/')) {
                clean.push(c);
            }
        }
        clean
    }
}

impl fmt::Display for Permalink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> PermalinkValues {
        PermalinkValues {
            date: [2016, 3, 10, 9, 5, 0],
            ordinal: 70,
            slug: "jekyll-3-1-3-released".into(),
            title: "Jekyll-3-1-3-Released".into(),
            section: "news".into(),
            filename: "2016-03-10-jekyll".into(),
            categories: vec![],
        }
    }

    #[test]
    fn tokens_expand_and_empty_segments_collapse() {
        let pattern = Permalink::parse("/:categories/:year/:month/:day/:title:output_ext").unwrap();
        assert_eq!(
            pattern.expand(&values()),
            "/2016/03/10/Jekyll-3-1-3-Released.html"
        );
        let pattern = Permalink::parse("/:section/:i_month/:slug/").unwrap();
        assert_eq!(pattern.expand(&values()), "/news/3/jekyll-3-1-3-released/");
    }

    #[test]
    fn unknown_tokens_and_relative_patterns_are_refused() {
        assert!(Permalink::parse("/:yaer/").unwrap_err().contains(":yaer"));
        assert!(Permalink::parse(":year/").is_err());
    }

    #[test]
    fn non_ascii_slugs_are_percent_encoded() {
        let pattern = Permalink::parse("/:slug/").unwrap();
        let values = PermalinkValues {
            slug: "硬核".into(),
            ..values()
        };
        assert_eq!(pattern.expand(&values), "/%E7%A1%AC%E6%A0%B8/");
    }
}
