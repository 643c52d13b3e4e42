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

use std::collections::BTreeMap;

use catalog::Category;
pub(crate) use catalog::{Article, Catalog};

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
