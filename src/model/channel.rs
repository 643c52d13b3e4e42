//! The channel: the site as a whole, from `feed.toml`.

use url::Url;

use super::DeployTarget;

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

    /// The title of a category's feeds and page.
    pub(crate) fn category_title(&self, category: &str) -> String {
        format!("{} · {category}", self.title)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) uri: Option<Url>,
}
