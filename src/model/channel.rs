//! The channel: the site as a whole, from `feed.toml`.

use url::Url;

use super::DeployTarget;
use super::Dialect;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Channel {
    pub(crate) title: String,
    pub(crate) description: String,
    /// Where the output folder is served; its path always ends in `/`.
    pub(crate) base_url: Url,
    /// A BCP 47 language tag such as `zh-CN`.
    pub(crate) language: Option<String>,
    /// The zone of front-matter times written without an offset.
    pub(crate) timezone: Option<chrono_tz::Tz>,
    /// The feed-level author: who answers for the channel as a whole.
    pub(crate) author: Option<Person>,
    pub(crate) rights: Option<String>,
    pub(crate) icon: Option<Url>,
    pub(crate) logo: Option<Url>,
    /// The authority in generated `tag:` ids (RFC 4151): the base URL's host
    /// unless `feed.toml` pins it, so that a site can move host and keep ids.
    pub(crate) id_authority: String,
    /// The feed's permanent id (Atom `id`): `feed.toml`'s `id`, or else the
    /// base URL.
    pub(crate) feed_id: String,
    /// How many of the newest entries the main and category feeds hold.
    pub(crate) limit: usize,
    /// Entries per archive page (RFC 5005) when archives are on.
    pub(crate) archive_page_size: Option<usize>,
    /// How the articles are written and where entries link.
    pub(crate) dialect: Dialect,
    /// WebSub hubs (`hub`) that feeds name and `deploy` notifies.
    pub(crate) hubs: Vec<Url>,
    /// Where `make-feed deploy` publishes unless `--to` says otherwise.
    pub(crate) deploy: Option<DeployTarget>,
}

impl Channel {
    /// A plain channel for unit tests: no zone, no author, 20 entries.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Channel {
        Channel {
            title: "t".into(),
            description: "d".into(),
            base_url: Url::parse("https://example.org/").expect("a URL"),
            language: None,
            timezone: None,
            author: None,
            rights: None,
            icon: None,
            logo: None,
            id_authority: "example.org".into(),
            feed_id: "https://example.org/".into(),
            limit: 20,
            archive_page_size: None,
            dialect: Dialect::make_feed(),
            hubs: Vec::new(),
            deploy: None,
        }
    }

    /// The absolute URL of a file in the output folder.
    pub(crate) fn url_of(&self, output_path: &str) -> Url {
        self.base_url
            .join(output_path)
            .expect("a relative path joins onto an absolute http(s) URL")
    }

    /// [`url_of`](Channel::url_of) as text, without building a `Url` for a
    /// path of letters, digits, `-`, `_`, `.` and `/` (which `join` would only
    /// percent-encode): pages name a dozen feeds each, and a `Url` costs far
    /// more than the text.
    pub(crate) fn url_text_of(&self, output_path: &str) -> String {
        let plain = output_path
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./".contains(c))
            && output_path
                .split('/')
                .all(|segment| !segment.is_empty() && segment != "." && segment != "..");
        if !plain {
            return self.url_of(output_path).to_string();
        }
        let mut url = String::with_capacity(self.base_url.as_str().len() + output_path.len() * 3);
        url.push_str(self.base_url.as_str());
        url.extend(percent_encoding::utf8_percent_encode(
            output_path,
            percent_encoding::CONTROLS,
        ));
        url
    }

    /// The title of a category's feeds and page.
    pub(crate) fn category_title(&self, category: &str) -> String {
        format!("{} · {category}", self.title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_text_is_what_join_gives() {
        let mut channel = Channel::for_tests();
        for base in ["https://example.org/", "https://example.org/feeds/"] {
            channel.base_url = Url::parse(base).unwrap();
            for path in [
                "rss.xml",
                "categories/地方频道/atom.xml",
                "categories/rust-0a1b2c/feed.json",
                "a b/c.xml",
                "x#y.xml",
                "../up.xml",
                "a//b.xml",
                "é.xml",
            ] {
                assert_eq!(
                    channel.url_text_of(path),
                    channel.url_of(path).to_string(),
                    "{path}"
                );
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) uri: Option<Url>,
}
