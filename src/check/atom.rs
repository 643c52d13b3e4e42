//! Atom 1.0 rules (RFC 4287).

use std::collections::HashSet;

use roxmltree::{Document, Node};

use super::dates::{check_plausible, parse_atom_date};
use super::xml::{
    at, check_html, check_self_link, children, require_children, text, unknown_elements, ATOM_NS,
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

pub(super) fn check(
    doc: &Document<'_>,
    feed: Node<'_, '_>,
    context: &Context,
    findings: &mut Findings,
) {
    let atom = Some(ATOM_NS);
    unknown_elements(
        doc,
        feed,
        Some(ATOM_NS),
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
    check_common(doc, feed, context, findings);
    let feed_has_author = children(feed, atom, "author").next().is_some();

    let mut ids = HashSet::new();
    for entry in children(feed, atom, "entry") {
        check_entry(doc, entry, feed_has_author, &mut ids, context, findings);
    }
}

/// One entry; `ids` holds those of the entries before it.
fn check_entry(
    doc: &Document<'_>,
    entry: Node<'_, '_>,
    feed_has_author: bool,
    ids: &mut HashSet<String>,
    context: &Context,
    findings: &mut Findings,
) {
    let atom = Some(ATOM_NS);
    unknown_elements(
        doc,
        entry,
        Some(ATOM_NS),
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
    for id in children(entry, atom, "id") {
        let value = text(id);
        if !ids.insert(value.clone()) {
            findings.add(
                at(doc, id),
                Rule::AtomIdDuplicate,
                format!("id {value:?} is used by an earlier entry"),
            );
        }
    }
    check_common(doc, entry, context, findings);
    let source_has_author =
        children(entry, atom, "source").any(|s| children(s, atom, "author").next().is_some());
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
    if content.is_none() && children(entry, atom, "summary").next().is_none() {
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
        match content.attribute("type") {
            Some("html") => check_html(doc, content, &text(content), findings),
            None | Some("text" | "xhtml") => {}
            Some(mime) if mime.contains('/') => {}
            Some(other) => findings.add(
                at(doc, content),
                Rule::AtomTextType,
                format!("content type {other:?} is neither text, html, xhtml nor a media type"),
            ),
        }
    }
    for date in children(entry, atom, "published") {
        check_date(doc, date, context, findings);
    }
    for summary in children(entry, atom, "summary") {
        check_text_type(doc, summary, findings);
    }
}

/// What feeds and entries share: id, title, updated, rights, links.
fn check_common(
    doc: &Document<'_>,
    parent: Node<'_, '_>,
    context: &Context,
    findings: &mut Findings,
) {
    let atom = Some(ATOM_NS);
    for id in children(parent, atom, "id") {
        let value = text(id);
        if !crate::model::is_uri(&value) {
            findings.add(
                at(doc, id),
                Rule::AtomId,
                format!("id {value:?} is not an absolute URI"),
            );
        }
    }
    for date in children(parent, atom, "updated") {
        check_date(doc, date, context, findings);
    }
    for name in ["title", "subtitle", "rights"] {
        for construct in children(parent, atom, name) {
            check_text_type(doc, construct, findings);
        }
    }
    for link in children(parent, atom, "link") {
        let href = link.attribute("href").unwrap_or("");
        let has_base = link.ancestors().any(|a| {
            a.attribute(("http://www.w3.org/XML/1998/namespace", "base"))
                .is_some()
        });
        if url::Url::parse(href).is_err() && !has_base {
            findings.add(
                at(doc, link),
                Rule::AtomLinkRelative,
                format!("link href {href:?} is relative and no xml:base says to what"),
            );
        }
    }
}

fn check_text_type(doc: &Document<'_>, construct: Node<'_, '_>, findings: &mut Findings) {
    if let Some(kind) = construct.attribute("type") {
        if !matches!(kind, "text" | "html" | "xhtml") {
            let name = construct.tag_name().name();
            findings.add(
                at(doc, construct),
                Rule::AtomTextType,
                format!("<{name}> has type {kind:?}; use text, html or xhtml"),
            );
        }
    }
}

fn check_date(doc: &Document<'_>, date: Node<'_, '_>, context: &Context, findings: &mut Findings) {
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
