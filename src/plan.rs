//! Which documents a build writes and which articles go in each.
//!
//! - The main feeds hold the newest `limit` articles.
//! - With archives on, the older articles fill RFC 5005 archive pages of
//!   `archive_page_size` entries, oldest first: page 1 holds the oldest
//!   articles, and only the newest page is ever partly filled. A new article
//!   therefore changes the main feeds and at most the newest archive page
//!   (plus, when that page is full, a new page after it).
//! - Every category gets feeds of its newest `limit` articles.

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Result};
use crate::read::Catalog;
use crate::slug::category_slug;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Indices into `Catalog::articles`, newest first.
    pub main: Vec<usize>,
    /// Page 1 (the oldest) first; each page's indices newest first.
    pub archive_pages: Vec<Vec<usize>>,
    /// Sorted by slug.
    pub categories: Vec<CategoryFeed>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFeed {
    pub name: String,
    pub slug: String,
    /// Indices into `Catalog::articles`, newest first.
    pub entries: Vec<usize>,
}

pub fn plan(catalog: &Catalog) -> Result<Plan> {
    let channel = &catalog.channel;
    let count = catalog.articles.len();
    let main: Vec<usize> = (0..count.min(channel.limit)).collect();

    let archive_pages = match channel.archive_page_size {
        None => Vec::new(),
        Some(size) => {
            let oldest_first: Vec<usize> = (main.len()..count).rev().collect();
            oldest_first
                .chunks(size)
                .map(|page| page.iter().rev().copied().collect())
                .collect()
        }
    };

    let mut newest: Vec<Vec<usize>> = vec![Vec::new(); catalog.categories.len()];
    for (index, article) in catalog.articles.iter().enumerate() {
        for &category in article.categories.iter() {
            let entries = &mut newest[category as usize];
            if entries.len() < channel.limit {
                entries.push(index);
            }
        }
    }
    let mut by_slug: BTreeMap<String, CategoryFeed> = BTreeMap::new();
    for (name, entries) in catalog.categories.iter().zip(newest) {
        let slug = category_slug(name);
        if let Some(other) = by_slug.get(&slug) {
            // Only if two names' 48-bit hashes collide.
            return Err(Diagnostic::new(
                "feed-data",
                format!(
                    "categories {:?} and {name:?} would share the folder categories/{slug}",
                    other.name
                ),
            )
            .field("categories")
            .help("rename one of the two categories")
            .into());
        }
        by_slug.insert(
            slug.clone(),
            CategoryFeed {
                name: name.clone(),
                slug,
                entries,
            },
        );
    }
    Ok(Plan {
        main,
        archive_pages,
        categories: by_slug.into_values().collect(),
    })
}
