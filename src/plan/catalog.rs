//! The catalog: what a build keeps of every article until it is written,
//! a few small fields each, so that memory does not grow with the bodies.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use rustc_hash::{FxHashMap, FxHashSet};

use super::newest_per_feed;
use crate::model::{Channel, Head, Recorded, Stamp};

/// What a build keeps of each article until it is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Article {
    pub(crate) path: PathBuf,
    /// Changes whenever the file's text or place does.
    pub(crate) fingerprint: u64,
    pub(crate) id: Box<str>,
    pub(crate) slug: Box<str>,
    /// For the pages that list articles and link to them.
    pub(crate) title: Box<str>,
    pub(crate) url: Box<str>,
    pub(crate) published: DateTime<FixedOffset>,
    pub(crate) published_date_only: bool,
    /// `updated`, or else `published`.
    pub(crate) updated: DateTime<FixedOffset>,
    /// A digest of the site paths its body links to, when they can be told
    /// without rendering it: what a kept page's trailer must claim.
    pub(crate) links: Option<u64>,
    /// Indices into [`Catalog::categories`].
    pub(crate) categories: Box<[u32]>,
    /// The article file's stamp when it was read, if what reading it gave
    /// may be recorded in the build index (no warnings, nothing that
    /// changes with the date).
    pub(crate) source: Option<Stamp>,
    /// Where the last build's index holds what it says, if it was taken
    /// from there.
    pub(crate) recorded: Option<Recorded>,
}

/// A category some article names, and the first article (by path) that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Category {
    pub(crate) name: String,
    pub(crate) first: PathBuf,
}

/// Every article of a site, as much as planning needs. Unless archives are
/// on, only the articles some feed will hold are kept: the newest `limit`
/// overall and in each category; the others can never come back into a
/// feed.
#[derive(Debug)]
pub(crate) struct Catalog {
    limit: usize,
    keep_all: bool,
    /// How many articles the site has.
    pub(crate) total: usize,
    /// Newest first, ties broken by id, once [`Catalog::sort`] has run.
    pub(crate) articles: Vec<Article>,
    pub(crate) categories: Vec<Category>,
    category_index: FxHashMap<String, u32>,
    slugs: Seen,
    ids: Seen,
}

impl Catalog {
    pub(crate) fn new(channel: &Channel) -> Catalog {
        Catalog {
            limit: channel.limit,
            keep_all: channel.archive_page_size.is_some(),
            total: 0,
            articles: Vec::new(),
            categories: Vec::new(),
            category_index: FxHashMap::default(),
            slugs: Seen::default(),
            ids: Seen::default(),
        }
    }

    /// The index into [`Catalog::categories`] of the category called `name`.
    pub(crate) fn category_named(&self, name: &str) -> Option<usize> {
        self.category_index.get(name).map(|&index| index as usize)
    }

    /// Keeps every article, not only those some feed holds.
    pub(crate) fn keep_every_article(&mut self) {
        self.keep_all = true;
    }

    /// Adds the article at `path`.
    #[cfg(test)]
    pub(crate) fn add(&mut self, path: PathBuf, fingerprint: u64, head: Head) {
        self.add_with_links(path, fingerprint, head, None, None, None);
    }

    /// Adds the article at `path`, whose body links to the site paths
    /// `links` digests (see [`Article::links`]), read from a file with the
    /// stamp `source` (see [`Article::source`]), or taken from the build
    /// index where it is `recorded`.
    pub(crate) fn add_with_links(
        &mut self,
        path: PathBuf,
        fingerprint: u64,
        head: Head,
        links: Option<u64>,
        source: Option<Stamp>,
        recorded: Option<Recorded>,
    ) {
        self.total += 1;
        self.slugs.insert(&head.slug);
        self.ids.insert(&head.id);
        let categories = head
            .categories
            .iter()
            .map(|name| self.category(name, &path))
            .collect();
        self.articles.push(Article {
            path,
            fingerprint,
            id: head.id.into(),
            slug: head.slug.into(),
            title: head.title.into(),
            url: head.url.into(),
            updated: head.updated.unwrap_or(head.published),
            published: head.published,
            published_date_only: head.published_date_only,
            links,
            categories,
            source,
            recorded,
        });
    }

    /// Unless every article is kept, drops those no feed can hold (and
    /// leaves the rest sorted newest first). Called after each batch, so
    /// that what is held stays small.
    pub(crate) fn prune(&mut self) {
        if self.keep_all {
            return;
        }
        self.sort();
        let (main, categories) = newest_per_feed(&self.articles, self.limit, self.categories.len());
        let mut kept = vec![false; self.articles.len()];
        for index in main.into_iter().chain(categories.into_iter().flatten()) {
            kept[index] = true;
        }
        let mut kept = kept.into_iter();
        self.articles.retain(|_| kept.next().unwrap_or(false));
    }

    /// Newest first; ties broken by id.
    pub(crate) fn sort(&mut self) {
        self.articles
            .sort_unstable_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
    }

    /// Whether two articles may share a slug, and whether two may share an
    /// id (only hashes are kept: a repeat needs a closer look).
    pub(crate) fn may_repeat(&self) -> (bool, bool) {
        (self.slugs.repeated, self.ids.repeated)
    }

    fn category(&mut self, name: &str, path: &PathBuf) -> u32 {
        if let Some(&index) = self.category_index.get(name) {
            if *path < self.categories[index as usize].first {
                self.categories[index as usize].first.clone_from(path);
            }
            return index;
        }
        let index = u32::try_from(self.categories.len()).expect("fewer than 2^32 categories");
        self.categories.push(Category {
            name: name.to_string(),
            first: path.clone(),
        });
        self.category_index.insert(name.to_string(), index);
        index
    }
}

/// Hashes of the slugs or ids seen so far: a few bytes per article, where
/// keeping the strings would grow with the archive.
#[derive(Debug, Default)]
struct Seen {
    hashes: FxHashSet<u64>,
    repeated: bool,
}

impl Seen {
    fn insert(&mut self, value: &str) {
        let hash = xxhash_rust::xxh3::xxh3_64(value.as_bytes());
        self.repeated |= !self.hashes.insert(hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(id: &str, slug: &str, day: u64, categories: &[&str]) -> Head {
        Head::for_tests(id, slug, "+08:00", day, categories)
    }

    fn ids(catalog: &Catalog) -> Vec<&str> {
        catalog.articles.iter().map(|a| &*a.id).collect()
    }

    #[test]
    fn articles_are_sorted_newest_first_ties_by_id() {
        let mut catalog = Catalog::new(&Channel::for_tests());
        catalog.add("x.md".into(), 1, head("b", "x", 1, &[]));
        catalog.add("y.md".into(), 2, head("c", "y", 2, &[]));
        catalog.add("z.md".into(), 3, head("a", "z", 1, &[]));
        catalog.sort();
        assert_eq!(ids(&catalog), ["c", "a", "b"]);
        assert_eq!(catalog.total, 3);
        let article = &catalog.articles[0];
        assert_eq!(
            (&*article.slug, article.fingerprint, article.path.to_str()),
            ("y", 2, Some("y.md"))
        );
        assert_eq!(
            article.updated, article.published,
            "updated defaults to published"
        );
    }

    #[test]
    fn without_archives_only_what_some_feed_holds_is_kept() {
        let channel = Channel {
            limit: 2,
            ..Channel::for_tests()
        };
        let mut catalog = Catalog::new(&channel);
        for day in 0..6 {
            let category: &[&str] = if day == 0 { &["old"] } else { &[] };
            catalog.add(
                format!("{day}.md").into(),
                day,
                head(&format!("{day}"), &format!("s{day}"), day, category),
            );
        }
        catalog.prune();
        // The newest two, and the oldest, which its category's feed holds.
        assert_eq!(ids(&catalog), ["5", "4", "0"]);
        assert_eq!(catalog.total, 6);
        assert_eq!(catalog.articles[2].categories.as_ref(), [0]);

        let channel = Channel {
            limit: 2,
            archive_page_size: Some(10),
            ..Channel::for_tests()
        };
        let mut catalog = Catalog::new(&channel);
        for day in 0..6 {
            catalog.add(
                format!("{day}.md").into(),
                day,
                head(&format!("{day}"), &format!("s{day}"), day, &[]),
            );
        }
        catalog.prune();
        catalog.sort();
        assert_eq!(
            ids(&catalog),
            ["5", "4", "3", "2", "1", "0"],
            "archives keep all"
        );
    }

    #[test]
    fn categories_are_numbered_once_with_the_first_file_naming_them() {
        let mut catalog = Catalog::new(&Channel::for_tests());
        catalog.add("b.md".into(), 1, head("1", "1", 1, &["x", "y"]));
        catalog.add("a.md".into(), 2, head("2", "2", 2, &["y"]));
        catalog.add("c.md".into(), 3, head("3", "3", 3, &["y", "x"]));
        let categories: Vec<Box<[u32]>> = catalog
            .articles
            .iter()
            .map(|a| a.categories.clone())
            .collect();
        assert_eq!(
            categories,
            [vec![0, 1].into(), vec![1].into(), vec![1, 0].into()]
        );
        assert_eq!(
            catalog.categories,
            [
                Category {
                    name: "x".into(),
                    first: "b.md".into()
                },
                Category {
                    name: "y".into(),
                    first: "a.md".into()
                },
            ]
        );
    }

    #[test]
    fn repeated_slugs_and_ids_are_noticed() {
        let mut catalog = Catalog::new(&Channel::for_tests());
        catalog.add("a.md".into(), 1, head("1", "a", 1, &[]));
        catalog.add("b.md".into(), 2, head("2", "b", 2, &[]));
        assert_eq!(catalog.may_repeat(), (false, false));
        catalog.add("c.md".into(), 3, head("3", "a", 3, &[]));
        assert_eq!(catalog.may_repeat(), (true, false));
        catalog.add("d.md".into(), 4, head("2", "d", 4, &[]));
        assert_eq!(catalog.may_repeat(), (true, true));
        catalog.add("e.md".into(), 5, head("5", "e", 5, &[]));
        assert_eq!(catalog.may_repeat(), (true, true), "a repeat stays noticed");
    }
}
