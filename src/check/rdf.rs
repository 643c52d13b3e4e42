//! RSS 1.0 and RSS 0.90, the RDF formats: checked as what they are (their
//! own required elements and `rdf:about`), not as RSS 2.0.

use roxmltree::{Document, Node};

use super::forms::is_absolute_iri;
use super::xml::{at, check_html, children, require_children, text, text_only, unknown_elements};
use super::{Findings, Rule};

pub(super) const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub(super) const RSS1_NS: &str = "http://purl.org/rss/1.0/";
pub(super) const RSS090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";
const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";

/// Each element of the format: what it must have, and what it may have
/// in the format's own namespace.
struct Shape {
    name: &'static str,
    required: &'static [&'static str],
    allowed: &'static [&'static str],
}

const IMAGE: Shape = Shape {
    name: "image",
    required: &["title", "url", "link"],
    allowed: &["title", "url", "link"],
};
const TEXTINPUT: Shape = Shape {
    name: "textinput",
    required: &["title", "description", "name", "link"],
    allowed: &["title", "description", "name", "link"],
};

const RSS1_SHAPES: &[Shape] = &[
    Shape {
        name: "channel",
        required: &["title", "link", "description", "items"],
        allowed: &[
            "title",
            "link",
            "description",
            "image",
            "items",
            "textinput",
        ],
    },
    Shape {
        name: "item",
        required: &["title", "link"],
        allowed: &["title", "link", "description"],
    },
    IMAGE,
    TEXTINPUT,
];

const RSS090_SHAPES: &[Shape] = &[
    Shape {
        name: "channel",
        required: &["title", "link", "description"],
        allowed: &["title", "link", "description"],
    },
    Shape {
        name: "item",
        required: &["title", "link"],
        allowed: &["title", "link"],
    },
    IMAGE,
    TEXTINPUT,
];

/// An `rdf:RDF` document: RSS 1.0 or 0.90 by the namespace of its channel.
pub(super) fn check(doc: &Document<'_>, root: Node<'_, '_>, findings: &mut Findings) {
    let channels: Vec<Node<'_, '_>> = root
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "channel")
        .collect();
    let Some(&channel) = channels.first() else {
        findings.add(
            at(doc, root),
            Rule::Rss1MissingElement,
            "rdf:RDF has no RSS 1.0 or 0.90 channel",
        );
        return;
    };
    let (namespace, shapes) = match channel.tag_name().namespace() {
        Some(RSS1_NS) => (RSS1_NS, RSS1_SHAPES),
        Some(RSS090_NS) => (RSS090_NS, RSS090_SHAPES),
        other => {
            findings.add(
                at(doc, channel),
                Rule::Rss1MissingElement,
                format!(
                    "the channel is in namespace {:?}, not RSS 1.0's {RSS1_NS}",
                    other.unwrap_or("")
                ),
            );
            return;
        }
    };
    for extra in channels.iter().skip(1) {
        findings.add(
            at(doc, *extra),
            Rule::Rss1DuplicateElement,
            "rdf:RDF has more than one channel",
        );
    }
    let top = ["channel", "image", "item", "textinput"];
    unknown_elements(
        doc,
        root,
        Some(namespace),
        &top,
        Rule::Rss1UnknownElement,
        findings,
    );
    if children(root, Some(namespace), "item").next().is_none() {
        findings.add(
            at(doc, root),
            Rule::Rss1MissingElement,
            "the feed has no item",
        );
    }
    for shape in shapes {
        let parent = if shape.name == "channel" {
            channel
        } else {
            root
        };
        let nodes: Vec<Node<'_, '_>> = if shape.name == "channel" {
            vec![channel]
        } else {
            children(parent, Some(namespace), shape.name).collect()
        };
        for node in nodes {
            check_element(doc, node, namespace, shape, findings);
        }
    }
    super::rss_modules::check(doc, root, namespace == RSS1_NS, findings);
    if namespace == RSS1_NS {
        if let Some(items) = children(channel, Some(namespace), "items").next() {
            check_items(doc, items, findings);
        }
    }
}

/// The channel's list of items: an `rdf:Seq` (or nothing) of `rdf:li`
/// naming each item with `rdf:resource`.
fn check_items(doc: &Document<'_>, items: Node<'_, '_>, findings: &mut Findings) {
    let has_children = items.children().any(|c| c.is_element());
    let seq = children(items, Some(RDF_NS), "Seq").next();
    if has_children && seq.is_none() {
        findings.add(
            at(doc, items),
            Rule::Rss1MissingElement,
            "items has no rdf:Seq",
        );
    }
    for li in seq
        .into_iter()
        .flat_map(|seq| children(seq, Some(RDF_NS), "li"))
    {
        // The RSS 1.0 specification's own sample omits the prefix.
        if li.attribute((RDF_NS, "resource")).is_none() && li.attribute("resource").is_none() {
            findings.add(
                at(doc, li),
                Rule::Rss1About,
                "rdf:li has no rdf:resource naming an item",
            );
        }
    }
}

/// One channel, item, image or textinput.
fn check_element(
    doc: &Document<'_>,
    node: Node<'_, '_>,
    namespace: &str,
    shape: &Shape,
    findings: &mut Findings,
) {
    let rss = Some(namespace);
    require_children(
        doc,
        node,
        rss,
        shape.required,
        Rule::Rss1MissingElement,
        findings,
    );
    unknown_elements(
        doc,
        node,
        rss,
        shape.allowed,
        Rule::Rss1UnknownElement,
        findings,
    );
    for &name in shape.allowed {
        for extra in children(node, rss, name).skip(1) {
            findings.add(
                at(doc, extra),
                Rule::Rss1DuplicateElement,
                format!("{} has more than one <{name}>", shape.name),
            );
        }
    }
    if namespace == RSS1_NS {
        match node.attribute((RDF_NS, "about")) {
            None => findings.add(
                at(doc, node),
                Rule::Rss1About,
                format!("{} has no rdf:about", shape.name),
            ),
            Some(about) if !is_absolute_iri(about.trim()) => findings.add(
                at(doc, node),
                Rule::Rss1About,
                format!("{} rdf:about {about:?} is not an absolute URI", shape.name),
            ),
            Some(_) => {}
        }
    }
    for link in children(node, rss, "link").chain(children(node, rss, "url")) {
        super::rss::check_link(doc, link, findings);
    }
    for &name in shape.allowed.iter().filter(|&&n| n != "items") {
        for element in children(node, rss, name) {
            text_only(doc, element, Rule::Rss1UnknownElement, findings);
        }
    }
    for html in
        children(node, rss, "description").chain(children(node, Some(CONTENT_NS), "encoded"))
    {
        check_html(doc, html, &text(html), findings);
    }
}
