//! What the two XML formats share: namespaces and the RFC 5005 archive
//! marker.

use std::collections::BTreeMap;

use crate::model::Document;

/// Dublin Core elements: `dc:creator`, `dc:contributor`, `dc:source`.
pub(super) const DUBLIN_CORE_NS: &str = "http://purl.org/dc/elements/1.1/";

/// RFC 5005 feed history: `fh:archive`.
pub(super) const HISTORY_NS: &str = "http://purl.org/syndication/history/1.0";

/// The `fh` namespace and the `fh:archive` element of an archive document,
/// in the shape both the rss and the atom_syndication crates take
/// (`prefix → name → elements`); nothing for other documents.
pub(super) fn archive_marker<E>(
    doc: &Document<'_>,
    namespaces: &mut BTreeMap<String, String>,
    element: impl FnOnce(String) -> E,
) -> BTreeMap<String, BTreeMap<String, Vec<E>>> {
    let mut extensions = BTreeMap::new();
    if doc.history.archive {
        namespaces.insert("fh".to_string(), HISTORY_NS.to_string());
        extensions.insert(
            "fh".to_string(),
            BTreeMap::from([(
                "archive".to_string(),
                vec![element("fh:archive".to_string())],
            )]),
        );
    }
    extensions
}
