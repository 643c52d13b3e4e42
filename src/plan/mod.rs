//! The plan stage: which feed documents a build writes, which articles each
//! holds, and how archive pages link to each other.
//!
//! - The main feeds hold the newest `limit` articles; every category's feeds
//!   hold its newest `limit` ([`newest_per_feed`], the one rule for both,
//!   which the [`Catalog`] also uses to drop articles no feed can hold).
//! - With archives on, the older articles fill RFC 5005 archive pages of
//!   `archive_page_size` entries, oldest first: page 1 holds the oldest
//!   articles, and only the newest page is ever partly filled. A new article
//!   therefore changes the main feeds and at most the newest archive page
//!   (plus, when that page is full, a new page after it).
//!
//! It works on the [`Catalog`] alone: it reads no file and renders nothing.

mod catalog;
mod listing;

use std::collections::BTreeMap;

use catalog::Category;
pub(crate) use catalog::{Article, Catalog};
pub(crate) use listing::{listing_pages, ListingPage};

use crate::error::{Diagnostic, Result};
use crate::model::{category_slug, Channel, History, Place};

/// One feed document to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Planned {
    pub(crate) place: Place,
    pub(crate) title: String,
    /// Indices into [`Catalog::articles`], newest first.
    pub(crate) entries: Vec<usize>,
    pub(crate) history: History,
}

/// Every document of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) main: Planned,
    /// Sorted by slug.
    pub(crate) categories: Vec<Planned>,
    /// Page 1 (the oldest) first.
    pub(crate) archive_pages: Vec<Planned>,
    /// Each category's name and folder, sorted by folder.
    pub(crate) category_names: Vec<(String, String)>,
}

impl Plan {
    /// How many documents (each written in every format) the plan holds.
    pub(crate) fn len(&self) -> usize {
        1 + self.categories.len() + self.archive_pages.len()
    }
}

/// The articles the main feed holds and those each category's feed holds:
/// the newest `limit` of each, as indices into `articles` (newest first).
pub(crate) fn newest_per_feed(
    articles: &[Article],
    limit: usize,
    category_count: usize,
) -> (Vec<usize>, Vec<Vec<usize>>) {
    let main: Vec<usize> = (0..articles.len().min(limit)).collect();
    let mut categories: Vec<Vec<usize>> = vec![Vec::new(); category_count];
    for (index, article) in articles.iter().enumerate() {
        for &category in &article.categories {
            let entries = &mut categories[category as usize];
            if entries.len() < limit {
                entries.push(index);
            }
        }
    }
    (main, categories)
}

/// Plans the documents of `catalog`, whose articles are sorted newest first.
pub(crate) fn plan(catalog: &Catalog, channel: &Channel) -> Result<Plan> {
    let count = catalog.articles.len();
    let (main, newest) =
        newest_per_feed(&catalog.articles, channel.limit, catalog.categories.len());
    let oldest_first: Vec<usize> = (main.len()..count).rev().collect();
    let pages: Vec<Vec<usize>> = match channel.archive_page_size {
        None => Vec::new(),
        Some(size) => oldest_first
            .chunks(size)
            .map(|page| page.iter().rev().copied().collect())
            .collect(),
    };
    let page_count = pages.len();
    let archive_pages = pages
        .into_iter()
        .enumerate()
        .map(|(i, entries)| Planned {
            place: Place::Archive(i + 1),
            title: channel.title.clone(),
            entries,
            history: History {
                archive: true,
                current: Some(Place::Main),
                ..archive_links(i + 1, page_count)
            },
        })
        .collect::<Vec<_>>();
    let main = Planned {
        place: Place::Main,
        title: channel.title.clone(),
        entries: main,
        history: archive_links(page_count + 1, page_count),
    };
    let categories = categories(catalog, channel, newest)?;
    let category_names = categories
        .iter()
        .map(|(name, feed)| {
            let Place::Category(slug) = &feed.place else {
                unreachable!("category feeds have category places")
            };
            (name.clone(), slug.clone())
        })
        .collect();
    Ok(Plan {
        main,
        categories: categories.into_iter().map(|(_, feed)| feed).collect(),
        archive_pages,
        category_names,
    })
}

/// Every category's feed, with its name, sorted by folder. Two names whose
/// folders clash (only if their 48-bit hashes do) are an error.
fn categories(
    catalog: &Catalog,
    channel: &Channel,
    newest: Vec<Vec<usize>>,
) -> Result<Vec<(String, Planned)>> {
    let mut by_slug: BTreeMap<String, (&Category, Planned)> = BTreeMap::new();
    for (category, entries) in catalog.categories.iter().zip(newest) {
        let slug = category_slug(&category.name);
        if let Some((other, _)) = by_slug.get(&slug) {
            return Err(Diagnostic::new(
                &category.first,
                format!(
                    "categories {:?} and {:?} would share the folder categories/{slug}",
                    other.name, category.name
                ),
            )
            .field("categories")
            .help(format!(
                "rename one of the two categories ({:?} is first named in {})",
                other.name,
                other.first.display()
            ))
            .into());
        }
        let feed = Planned {
            place: Place::Category(slug.clone()),
            title: channel.category_title(&category.name),
            entries,
            history: History::default(),
        };
        by_slug.insert(slug, (category, feed));
    }
    Ok(by_slug
        .into_values()
        .map(|(category, feed)| (category.name.clone(), feed))
        .collect())
}

/// The archive neighbours of page `number` of `pages` (the main feed counts
/// as the page after the newest archive page). The newest archive page's
/// `next-archive` is the main feed, so that every archive page links onward.
fn archive_links(number: usize, pages: usize) -> History {
    let prev_archive = (number > 1 && number - 1 <= pages).then(|| Place::Archive(number - 1));
    let next_archive = match number {
        n if n < pages => Some(Place::Archive(n + 1)),
        n if n == pages => Some(Place::Main),
        _ => None,
    };
    History {
        prev_archive,
        next_archive,
        ..History::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Head;

    /// Article `n` is published on day `n` of 2022 (so a higher `n` is
    /// newer), in `categories`.
    fn head(n: u32, categories: &[&str]) -> Head {
        Head::for_tests(
            &format!("urn:x:{n}"),
            &format!("a{n}"),
            "Z",
            n.into(),
            categories,
        )
    }

    /// A catalog of `count` articles, `a0` the oldest; article `n` is in
    /// category `c{n % 3}` and, when even, in `even`.
    fn catalog(channel: &Channel, count: u32) -> Catalog {
        let mut catalog = Catalog::new(channel);
        for n in 0..count {
            let category = format!("c{}", n % 3);
            let mut categories = vec![category.as_str()];
            if n % 2 == 0 {
                categories.push("even");
            }
            catalog.add(format!("a{n}.md").into(), n.into(), head(n, &categories));
        }
        catalog.sort();
        catalog
    }

    /// The slugs of the entries of `planned`, in order.
    fn slugs<'c>(catalog: &'c Catalog, planned: &Planned) -> Vec<&'c str> {
        planned
            .entries
            .iter()
            .map(|&i| &*catalog.articles[i].slug)
            .collect()
    }

    #[test]
    fn each_feed_holds_its_newest_limit_of_articles() {
        let channel = Channel {
            limit: 2,
            ..Channel::for_tests()
        };
        let catalog = catalog(&channel, 7);
        let plan = plan(&catalog, &channel).unwrap();
        assert_eq!(slugs(&catalog, &plan.main), ["a6", "a5"]);
        assert_eq!(plan.main.history, History::default());
        assert_eq!(plan.main.title, "t");
        assert!(plan.archive_pages.is_empty());
        let categories: Vec<(&str, Vec<&str>)> = plan
            .categories
            .iter()
            .map(|feed| (feed.title.as_str(), slugs(&catalog, feed)))
            .collect();
        assert_eq!(
            categories,
            [
                ("t · c0", vec!["a6", "a3"]),
                ("t · c1", vec!["a4", "a1"]),
                ("t · c2", vec!["a5", "a2"]),
                ("t · even", vec!["a6", "a4"]),
            ]
        );
        assert_eq!(
            plan.category_names,
            [("c0", "c0"), ("c1", "c1"), ("c2", "c2"), ("even", "even")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(plan.categories[0].place, Place::Category("c0".into()));
        assert_eq!(plan.len(), 5);
    }

    #[test]
    fn archive_pages_hold_the_rest_oldest_first_in_full_pages() {
        let channel = Channel {
            limit: 2,
            archive_page_size: Some(2),
            ..Channel::for_tests()
        };
        let catalog = catalog(&channel, 7);
        let plan = plan(&catalog, &channel).unwrap();
        assert_eq!(slugs(&catalog, &plan.main), ["a6", "a5"]);
        let pages: Vec<Vec<&str>> = plan
            .archive_pages
            .iter()
            .map(|page| slugs(&catalog, page))
            .collect();
        assert_eq!(pages, [vec!["a1", "a0"], vec!["a3", "a2"], vec!["a4"]]);
        let places: Vec<&Place> = plan.archive_pages.iter().map(|p| &p.place).collect();
        assert_eq!(
            places,
            [&Place::Archive(1), &Place::Archive(2), &Place::Archive(3)]
        );
        assert_eq!(
            plan.archive_pages[0].history,
            History {
                archive: true,
                prev_archive: None,
                next_archive: Some(Place::Archive(2)),
                current: Some(Place::Main),
            }
        );
        assert_eq!(
            plan.archive_pages[2].history,
            History {
                archive: true,
                prev_archive: Some(Place::Archive(2)),
                next_archive: Some(Place::Main),
                current: Some(Place::Main),
            }
        );
        assert_eq!(
            plan.main.history,
            History {
                prev_archive: Some(Place::Archive(3)),
                ..History::default()
            }
        );
        assert_eq!(plan.archive_pages[1].title, "t");
        assert_eq!(plan.len(), 1 + 4 + 3);
    }

    #[test]
    fn two_categories_that_would_share_a_folder_are_an_error_naming_the_article() {
        let channel = Channel::for_tests();
        let clash = category_slug("Rust");
        let mut catalog = Catalog::new(&channel);
        catalog.add("b.md".into(), 1, head(1, &[&clash]));
        catalog.add("a.md".into(), 2, head(2, &["Rust"]));
        catalog.sort();
        let Err(crate::Error::Input(error)) = plan(&catalog, &channel) else {
            panic!("no error");
        };
        assert_eq!(error.path, std::path::Path::new("a.md"));
        assert_eq!(error.field.as_deref(), Some("categories"));
        assert_eq!(
            error.message,
            format!("categories {clash:?} and \"Rust\" would share the folder categories/{clash}")
        );
        assert_eq!(
            error.help.as_deref(),
            Some(
                format!("rename one of the two categories ({clash:?} is first named in b.md)")
                    .as_str()
            )
        );
    }

    #[test]
    fn archive_pages_link_to_their_neighbours_and_the_newest_to_the_main_feed() {
        assert_eq!(archive_links(1, 0), History::default());
        let main_of_three = archive_links(4, 3);
        assert_eq!(
            (main_of_three.prev_archive, main_of_three.next_archive),
            (Some(Place::Archive(3)), None)
        );
        let first = archive_links(1, 3);
        assert_eq!(
            (first.prev_archive, first.next_archive),
            (None, Some(Place::Archive(2)))
        );
        let newest = archive_links(3, 3);
        assert_eq!(
            (newest.prev_archive, newest.next_archive),
            (Some(Place::Archive(2)), Some(Place::Main))
        );
    }
}
