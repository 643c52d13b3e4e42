//! Atom 1.0 rules (RFC 4287): the structure of feeds, entries and sources.
//! The constructs they are made of (text, content, person, link) are in
//! `atom_constructs`.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::atom_constructs::{
    check_category, check_content, check_links, check_person, check_text_construct,
};
use super::dates::{check_plausible, parse_atom_date};
use super::forms::is_absolute_iri;
use super::xml::{
    at, check_self_link, children, require_children, text, unknown_elements, ATOM_NS,
};
use super::{Context, Findings, Rule};

const FEED_ELEMENTS: &[&str] = &[
    "author",
    "category",
    "contributor",
    "generator",
    "icon",
    "id",
    "link",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
    "entry",
];
/// What may appear more than once (RFC 4287 4.1.1, 4.1.2, 4.2.11); all
/// else, at most once.
const REPEATABLE: &[&str] = &["author", "category", "contributor", "link", "entry"];
/// What feeds and entries must both have (RFC 4287 4.1.1, 4.1.2).
const REQUIRED: &[&str] = &["id", "title", "updated"];
const ENTRY_ELEMENTS: &[&str] = &[
    "author",
    "category",
    "content",
    "contributor",
    "id",
    "link",
    "published",
    "rights",
    "source",
    "summary",
    "title",
    "updated",
];

/// A feed document, or an entry document (RFC 4287 2).
pub(super) fn check(
    doc: &Document<'_>,
    root: Node<'_, '_>,
    context: &Context,
    findings: &mut Findings,
) {
    if root.tag_name().name() == "entry" {
        check_entry(doc, root, false, &mut HashMap::new(), context, findings);
        return;
    }
    let feed = root;
    let atom = Some(ATOM_NS);
    unknown_elements(
        doc,
        feed,
        atom,
        FEED_ELEMENTS,
        Rule::AtomUnknownElement,
        findings,
    );
    require_children(
        doc,
        feed,
        atom,
        REQUIRED,
        Rule::AtomMissingElement,
        findings,
    );
    check_self_link(doc, feed, context, findings);
    check_common(doc, feed, FEED_ELEMENTS, context, findings);
    let feed_has_author = children(feed, atom, "author").next().is_some();

    let mut ids = HashMap::new();
    let mut entries = 0;
    for entry in children(feed, atom, "entry") {
        check_entry(doc, entry, feed_has_author, &mut ids, context, findings);
        entries += 1;
    }
    if entries >= 10 && ids.len() == 1 {
        findings.add(
            at(doc, feed),
            Rule::AtomIdAllSame,
            format!("all {entries} entries have the same id; readers will show one"),
        );
    }
    check_metadata_order(doc, feed, findings);
}

/// The W3C validator wants a feed's own elements before its entries.
fn check_metadata_order(doc: &Document<'_>, feed: Node<'_, '_>, findings: &mut Findings) {
    let after_entries = feed
        .children()
        .filter(Node::is_element)
        .skip_while(|c| c.tag_name().name() != "entry")
        .find(|c| c.tag_name().namespace() == Some(ATOM_NS) && c.tag_name().name() != "entry");
    if let Some(element) = after_entries {
        findings.add(
            at(doc, element),
            Rule::AtomMetadataAfterEntry,
            format!(
                "<{}> comes after an entry; put the feed's own elements first",
                element.tag_name().name()
            ),
        );
    }
}

/// One entry; `ids` holds the ids and updated dates of the entries before it.
fn check_entry(
    doc: &Document<'_>,
    entry: Node<'_, '_>,
    feed_has_author: bool,
    ids: &mut HashMap<String, String>,
    context: &Context,
    findings: &mut Findings,
) {
    let atom = Some(ATOM_NS);
    unknown_elements(
        doc,
        entry,
        atom,
        ENTRY_ELEMENTS,
        Rule::AtomUnknownElement,
        findings,
    );
    require_children(
        doc,
        entry,
        atom,
        REQUIRED,
        Rule::AtomMissingElement,
        findings,
    );
    let updated = children(entry, atom, "updated").next().map(text);
    for id in children(entry, atom, "id") {
        let value = text(id);
        // The same entry may appear twice if updated in between (4.1.1).
        let updated = updated.clone().unwrap_or_default();
        if ids.insert(value.clone(), updated.clone()) == Some(updated) {
            findings.add(
                at(doc, id),
                Rule::AtomIdDuplicate,
                format!("id {value:?} is used by an earlier entry with the same updated date"),
            );
        }
    }
    check_common(doc, entry, ENTRY_ELEMENTS, context, findings);
    let source = children(entry, atom, "source").next();
    if let Some(source) = source {
        check_source(doc, source, context, findings);
    }
    let source_has_author = source.is_some_and(|s| children(s, atom, "author").next().is_some());
    if !feed_has_author && !source_has_author && children(entry, atom, "author").next().is_none() {
        findings.add(
            at(doc, entry),
            Rule::AtomMissingAuthor,
            "entry has no author, and neither has the feed",
        );
    }
    let has_alternate = children(entry, atom, "link")
        .any(|l| l.attribute("rel").is_none_or(|rel| rel == "alternate"));
    let content = children(entry, atom, "content").next();
    let summary = children(entry, atom, "summary").next();
    if content.is_none() && summary.is_none() {
        findings.add(
            at(doc, entry),
            Rule::AtomNoText,
            "entry has neither content nor summary; readers will show nothing",
        );
    }
    if content.is_none() && !has_alternate {
        findings.add(
            at(doc, entry),
            Rule::AtomEntryNoContent,
            "entry has neither content nor an alternate link",
        );
    }
    if let Some(content) = content {
        check_content(doc, content, summary.is_some(), findings);
    }
    for date in children(entry, atom, "published") {
        check_date(doc, date, context, findings);
    }
    for summary in children(entry, atom, "summary") {
        check_text_construct(doc, summary, findings);
    }
}

/// An entry's source: a feed's metadata, without entries (RFC 4287 4.2.11).
fn check_source(
    doc: &Document<'_>,
    source: Node<'_, '_>,
    context: &Context,
    findings: &mut Findings,
) {
    let known = &FEED_ELEMENTS[..FEED_ELEMENTS.len() - 1];
    unknown_elements(
        doc,
        source,
        Some(ATOM_NS),
        known,
        Rule::AtomUnknownElement,
        findings,
    );
    check_common(doc, source, known, context, findings);
}

/// What feeds, entries and sources share: id, dates, text constructs,
/// people, links, categories, and how often each may appear.
fn check_common(
    doc: &Document<'_>,
    parent: Node<'_, '_>,
    known: &[&str],
    context: &Context,
    findings: &mut Findings,
) {
    let atom = Some(ATOM_NS);
    for &name in known.iter().filter(|n| !REPEATABLE.contains(n)) {
        for extra in children(parent, atom, name).skip(1) {
            findings.add(
                at(doc, extra),
                Rule::AtomDuplicateElement,
                format!("{} has more than one <{name}>", parent.tag_name().name()),
            );
        }
    }
    for id in children(parent, atom, "id") {
        let value = text(id);
        if !crate::model::is_uri(&value) {
            findings.add(
                at(doc, id),
                Rule::AtomId,
                format!("id {value:?} is not an absolute URI"),
            );
        }
        check_no_surrounding_space(doc, id, findings);
    }
    for date in children(parent, atom, "updated") {
        check_date(doc, date, context, findings);
    }
    for name in ["title", "subtitle", "rights"] {
        for construct in children(parent, atom, name) {
            check_text_construct(doc, construct, findings);
        }
    }
    for name in ["author", "contributor"] {
        for person in children(parent, atom, name) {
            check_person(doc, person, findings);
        }
    }
    for name in ["icon", "logo"] {
        for image in children(parent, atom, name) {
            check_no_surrounding_space(doc, image, findings);
            super::atom_constructs::check_iri(doc, image, &text(image), findings);
        }
    }
    for generator in children(parent, atom, "generator") {
        super::xml::text_only(doc, generator, Rule::AtomUnknownElement, findings);
        if let Some(uri) = generator.attribute("uri") {
            super::atom_constructs::check_iri(doc, generator, uri, findings);
        }
    }
    for category in children(parent, atom, "category") {
        check_category(doc, category, findings);
    }
    check_links(doc, parent, findings);
    check_license(doc, parent, findings);
}

/// The Creative Commons module's license: an absolute IRI.
fn check_license(doc: &Document<'_>, parent: Node<'_, '_>, findings: &mut Findings) {
    let license = parent.children().filter(|c| {
        c.is_element()
            && c.tag_name().name() == "license"
            && c.tag_name()
                .namespace()
                .is_some_and(|ns| ns.contains("creativeCommons") || ns.contains("creativecommons"))
    });
    for license in license {
        let value = text(license);
        if !is_absolute_iri(&value) {
            findings.add(
                at(doc, license),
                Rule::AtomIri,
                format!("license {value:?} is not an absolute IRI"),
            );
        }
    }
}

/// Values that are IRIs or dates may not have space around them
/// (RFC 4287 3.3, 4.2.6).
pub(super) fn check_no_surrounding_space(
    doc: &Document<'_>,
    node: Node<'_, '_>,
    findings: &mut Findings,
) {
    let raw: String = node
        .children()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect();
    if raw.trim() != raw {
        findings.add(
            at(doc, node),
            Rule::AtomWhitespace,
            format!(
                "<{}> has white space around its value, which it may not",
                node.tag_name().name()
            ),
        );
    }
}

fn check_date(doc: &Document<'_>, date: Node<'_, '_>, context: &Context, findings: &mut Findings) {
    check_no_surrounding_space(doc, date, findings);
    let value = text(date);
    match parse_atom_date(&value) {
        Some(instant) => check_plausible(&instant, || at(doc, date), context, findings),
        None => findings.add(
            at(doc, date),
            Rule::AtomDate,
            format!(
                "<{}> {value:?} is not an RFC 3339 date such as \"2022-06-01T17:52:50+08:00\"",
                date.tag_name().name()
            ),
        ),
    }
}
