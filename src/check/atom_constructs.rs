//! The constructs Atom elements are made of (RFC 4287 3, 4.1.3, 4.2.2,
//! 4.2.7): text and content, people, links and categories.

use std::collections::HashSet;

use roxmltree::{Document, Node};

use super::forms::{
    is_absolute_iri, is_base64, is_email, is_iri_reference, is_language_tag, is_media_type,
    is_non_negative_integer,
};
use super::xml::{at, check_html, children, text, text_only, ATOM_NS};
use super::{Findings, Rule};

const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// A text construct: title, subtitle, rights, summary (RFC 4287 3.1).
pub(super) fn check_text_construct(
    doc: &Document<'_>,
    construct: Node<'_, '_>,
    findings: &mut Findings,
) {
    let name = construct.tag_name().name();
    match construct.attribute("type") {
        None | Some("text" | "html") => {
            text_only(doc, construct, Rule::AtomUnknownElement, findings);
        }
        Some("xhtml") => check_xhtml_div(doc, construct, findings),
        Some(kind) => findings.add(
            at(doc, construct),
            Rule::AtomTextType,
            format!("<{name}> has type {kind:?}; use text, html or xhtml"),
        ),
    }
    if construct.attribute("type") == Some("html") {
        check_html(doc, construct, &text(construct), findings);
    }
}

/// An entry's content (RFC 4287 4.1.3): inline text, html or xhtml, inline
/// XML or base64 of another media type, or out of line with `src`.
pub(super) fn check_content(
    doc: &Document<'_>,
    content: Node<'_, '_>,
    has_summary: bool,
    findings: &mut Findings,
) {
    let kind = content.attribute("type");
    if let Some(src) = content.attribute("src") {
        check_iri(doc, content, src, findings);
        if content.children().any(|c| c.is_element() || has_text(c)) {
            findings.add(
                at(doc, content),
                Rule::AtomContent,
                "content with src must be empty",
            );
        }
        if let Some(kind @ ("text" | "html" | "xhtml")) = kind {
            findings.add(
                at(doc, content),
                Rule::AtomContent,
                format!(
                    "content with src has type {kind:?}; give the media type of what src points to"
                ),
            );
        }
        require_summary(doc, content, has_summary, findings);
        return;
    }
    match kind {
        None | Some("text") => text_only(doc, content, Rule::AtomUnknownElement, findings),
        Some("html") => {
            text_only(doc, content, Rule::AtomUnknownElement, findings);
            check_html(doc, content, &text(content), findings);
        }
        Some("xhtml") => check_xhtml_div(doc, content, findings),
        Some(media) if !is_media_type(media) => findings.add(
            at(doc, content),
            Rule::AtomTextType,
            format!("content type {media:?} is neither text, html, xhtml nor a media type"),
        ),
        Some(media) if is_xml_media_type(media) => {
            let elements = content.children().filter(Node::is_element).count();
            if elements > 1 || (elements == 1 && content.children().any(has_text)) {
                findings.add(
                    at(doc, content),
                    Rule::AtomContent,
                    format!(
                        "content of type {media:?} must be one XML element, without text around it"
                    ),
                );
            }
        }
        Some(media) if media.to_ascii_lowercase().starts_with("text/") => {
            text_only(doc, content, Rule::AtomUnknownElement, findings);
        }
        Some(media) => {
            if content.children().any(|c| c.is_element()) || !is_base64(&text(content)) {
                findings.add(
                    at(doc, content),
                    Rule::AtomContent,
                    format!("content of type {media:?} must be base64"),
                );
            }
            require_summary(doc, content, has_summary, findings);
        }
    }
}

/// Content that is out of line or not text needs a summary (RFC 4287 4.1.1.1).
fn require_summary(
    doc: &Document<'_>,
    content: Node<'_, '_>,
    has_summary: bool,
    findings: &mut Findings,
) {
    if !has_summary {
        findings.add(
            at(doc, content),
            Rule::AtomMissingElement,
            "entry has content that is not inline text but no summary",
        );
    }
}

fn is_xml_media_type(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence.ends_with("+xml") || essence.ends_with("/xml")
}

fn has_text(node: Node<'_, '_>) -> bool {
    node.is_text() && node.text().is_some_and(|t| !t.trim().is_empty())
}

/// A construct of type xhtml holds one xhtml `div` and nothing else
/// (RFC 4287 3.1.1.3).
fn check_xhtml_div(doc: &Document<'_>, construct: Node<'_, '_>, findings: &mut Findings) {
    let elements: Vec<Node<'_, '_>> = construct.children().filter(Node::is_element).collect();
    let one_div = matches!(elements[..], [div] if div.tag_name().name() == "div"
        && div.tag_name().namespace() == Some(XHTML_NS));
    if !one_div || construct.children().any(has_text) {
        findings.add(
            at(doc, construct),
            Rule::AtomXhtmlDiv,
            format!(
                "<{}> of type xhtml must hold exactly one <div xmlns=\"{XHTML_NS}\">",
                construct.tag_name().name()
            ),
        );
        return;
    }
    let no_namespace = elements[0]
        .descendants()
        .find(|d| d.is_element() && d.tag_name().namespace().is_none_or(str::is_empty));
    if let Some(element) = no_namespace {
        findings.add(
            at(doc, element),
            Rule::AtomXhtmlDiv,
            format!(
                "<{}> inside xhtml has no namespace (xmlns=\"\" takes it out of XHTML)",
                element.tag_name().name()
            ),
        );
    }
}

/// A person construct: author or contributor (RFC 4287 3.2).
pub(super) fn check_person(doc: &Document<'_>, person: Node<'_, '_>, findings: &mut Findings) {
    let atom = Some(ATOM_NS);
    let kind = person.tag_name().name();
    if children(person, atom, "name").next().is_none() {
        findings.add(
            at(doc, person),
            Rule::AtomPerson,
            format!("{kind} has no name"),
        );
    }
    for name in ["name", "uri", "email"] {
        for extra in children(person, atom, name).skip(1) {
            findings.add(
                at(doc, extra),
                Rule::AtomDuplicateElement,
                format!("{kind} has more than one <{name}>"),
            );
        }
    }
    for uri in children(person, atom, "uri") {
        super::atom::check_no_surrounding_space(doc, uri, findings);
        check_iri(doc, uri, &text(uri), findings);
    }
    for email in children(person, atom, "email") {
        let value = text(email);
        if !is_email(&value) {
            findings.add(
                at(doc, email),
                Rule::AtomPerson,
                format!("{kind} email {value:?} is not an e-mail address such as wu@example.org"),
            );
        }
    }
}

/// Flags an IRI reference that has characters IRIs cannot have.
pub(super) fn check_iri(
    doc: &Document<'_>,
    node: Node<'_, '_>,
    value: &str,
    findings: &mut Findings,
) {
    if !is_iri_reference(value) {
        findings.add(
            at(doc, node),
            Rule::AtomIri,
            format!(
                "<{}> has {value:?}, which is not an IRI (no spaces, no <>\"{{}}|\\^`)",
                node.tag_name().name()
            ),
        );
    }
}

/// A category: a term, and a scheme that is an absolute IRI (RFC 4287 4.2.2).
pub(super) fn check_category(doc: &Document<'_>, category: Node<'_, '_>, findings: &mut Findings) {
    if category.attribute("term").is_none() {
        findings.add(
            at(doc, category),
            Rule::AtomMissingElement,
            "category has no term attribute",
        );
    }
    if let Some(scheme) = category.attribute("scheme") {
        if !is_absolute_iri(scheme) {
            findings.add(
                at(doc, category),
                Rule::AtomIri,
                format!("category scheme {scheme:?} is not an absolute IRI"),
            );
        }
    }
}

/// The links of a feed, entry or source (RFC 4287 4.2.7).
pub(super) fn check_links(doc: &Document<'_>, parent: Node<'_, '_>, findings: &mut Findings) {
    let mut alternates = HashSet::new();
    for link in children(parent, Some(ATOM_NS), "link") {
        let Some(href) = link.attribute("href") else {
            findings.add(at(doc, link), Rule::AtomLink, "link has no href");
            continue;
        };
        if !is_iri_reference(href) {
            check_iri(doc, link, href, findings);
        } else if url::Url::parse(href).is_err() && !has_base(link) {
            findings.add(
                at(doc, link),
                Rule::AtomLinkRelative,
                format!("link href {href:?} is relative and no xml:base says to what"),
            );
        }
        if let Some(kind) = link.attribute("type").filter(|t| !is_media_type(t)) {
            findings.add(
                at(doc, link),
                Rule::AtomLink,
                format!("link type {kind:?} is not a media type such as text/html"),
            );
        }
        if let Some(language) = link.attribute("hreflang").filter(|l| !is_language_tag(l)) {
            findings.add(
                at(doc, link),
                Rule::LanguageTag,
                format!("link hreflang {language:?} is not a language tag such as en-US"),
            );
        }
        if let Some(length) = link
            .attribute("length")
            .filter(|l| !is_non_negative_integer(l))
        {
            findings.add(
                at(doc, link),
                Rule::AtomLink,
                format!("link length {length:?} is not a number of bytes"),
            );
        }
        let rel = link.attribute("rel").unwrap_or("alternate");
        if rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate" {
            let key = (link.attribute("type"), link.attribute("hreflang"));
            if !alternates.insert(key) {
                findings.add(
                    at(doc, link),
                    Rule::AtomLinkDuplicate,
                    "two alternate links with the same type and hreflang",
                );
            }
        }
    }
}

fn has_base(node: Node<'_, '_>) -> bool {
    node.ancestors().any(|a| {
        a.attribute(("http://www.w3.org/XML/1998/namespace", "base"))
            .is_some()
    })
}
