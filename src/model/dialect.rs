//! How a site's articles are written and where their entries link: make-feed's
//! own format, or the way a site generator (Hugo, Jekyll, Zola) reads them.

use std::fmt;

use super::Permalink;

/// The program a site was made for, whose reading of its content make-feed
/// follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Generator {
    /// make-feed's own strict format: TOML front matter, known keys only.
    MakeFeed,
    Hugo,
    Jekyll,
    Zola,
}

impl Generator {
    /// The name `feed.toml`'s `generator` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Generator::MakeFeed => "make-feed",
            Generator::Hugo => "hugo",
            Generator::Jekyll => "jekyll",
            Generator::Zola => "zola",
        }
    }

    /// The generator `feed.toml` names (`hugo`, `jekyll`, `zola`).
    pub(crate) fn from_name(name: &str) -> Option<Generator> {
        [Generator::Hugo, Generator::Jekyll, Generator::Zola]
            .into_iter()
            .find(|g| g.name() == name)
    }
}

impl fmt::Display for Generator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Generator::MakeFeed => "make-feed",
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
            Generator::Zola => "Zola",
        })
    }
}

/// Where entry ids come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum IdScheme {
    /// make-feed's `tag:` URIs, from the host, the date and the slug.
    Tag,
    /// Exactly what the generator's own feed uses today (the page's URL for
    /// Hugo and Zola, jekyll-feed's `post.id` for Jekyll), so that moving a
    /// site's feeds to make-feed shows no old post as new.
    Generator,
}

/// How a site's articles are read and where their entries link.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dialect {
    pub(crate) generator: Generator,
    pub(crate) ids: IdScheme,
    /// make-feed writes each article's page, the index, the lists and the
    /// stylesheet; `false` writes the feeds only.
    pub(crate) pages: bool,
    /// Where an article's page is: `feed.toml`'s `permalink`, or else the
    /// generator's rule.
    pub(crate) permalink: Option<Permalink>,
    /// Hugo's `permalinks`: a pattern per section (its first folder).
    pub(crate) section_permalinks: Vec<(String, Permalink)>,
    /// Hugo's `uglyURLs`: `/posts/a.html` rather than `/posts/a/`.
    pub(crate) ugly_urls: bool,
    /// Drafts, future-dated and expired posts are published anyway (as the
    /// generator's configuration may say).
    pub(crate) drafts: bool,
    pub(crate) future: bool,
    pub(crate) expired: bool,
    /// Hugo's `[frontmatter]`: where `date`, `publishDate`, `lastmod` and
    /// `expiryDate` come from, first set first (lower case keys, or
    /// `:default`, `:filename`); empty for Hugo's defaults.
    pub(crate) date_rules: [Vec<String>; 4],
    /// Jekyll's `_config.yml` strings, which Liquid's `{{ site.x }}` prints.
    pub(crate) site_variables: Vec<(String, String)>,
}

impl Dialect {
    /// make-feed's own format and pages.
    pub(crate) fn make_feed() -> Dialect {
        Dialect {
            generator: Generator::MakeFeed,
            ids: IdScheme::Tag,
            pages: true,
            permalink: None,
            section_permalinks: Vec::new(),
            ugly_urls: false,
            drafts: true,
            future: true,
            expired: true,
            date_rules: Default::default(),
            site_variables: Vec::new(),
        }
    }

    /// The pattern for an article in `section` (Hugo's first folder below
    /// the content folder), if any rule gives one.
    pub(crate) fn permalink_for(&self, section: &str) -> Option<&Permalink> {
        self.section_permalinks
            .iter()
            .find(|(name, _)| name == section)
            .map(|(_, pattern)| pattern)
            .or(self.permalink.as_ref())
    }
}
