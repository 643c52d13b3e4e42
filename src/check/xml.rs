//! The XML formats: well-formedness first, then RSS or Atom by root element.

use roxmltree::{Document, Node, ParsingOptions};

use super::{atom, encoding, entities, forms, rdf, rss, Context, Findings, Place, Rule};

pub(super) const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

pub(super) fn check(bytes: &[u8], context: &Context, findings: &mut Findings) {
    let Some(text) = encoding::decode(bytes, findings) else {
        return;
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    if let Some((offset, size)) = entities::too_wide(text) {
        findings.add(
            Place::Offset(offset),
            Rule::XmlEntityExpansion,
            format!(
                "the entities expand to {} MB of text, more than the {} MB this checker reads",
                size >> 20,
                entities::EXPANSION_LIMIT >> 20
            ),
        );
        findings.resolve(text);
        return;
    }
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = match Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(error) => {
            let pos = error.pos();
            let rule = match error {
                roxmltree::Error::NonXmlChar(..) => Rule::XmlIllegalCharacter,
                _ => Rule::XmlNotWellFormed,
            };
            findings.add((pos.row, pos.col), rule, error.to_string());
            return;
        }
    };
    check_xml_attributes(&doc, findings);
    check_document(&doc, context, findings);
    // roxmltree's offsets count from the text it parsed.
    findings.resolve(text);
}

/// Checks a well-formed document as RSS or Atom, by its root element.
fn check_document(doc: &Document<'_>, context: &Context, findings: &mut Findings) {
    let root = doc.root_element();
    match (root.tag_name().namespace(), root.tag_name().name()) {
        (None, "rss") => rss::check(doc, root, context, findings),
        (Some(ATOM_NS), "feed" | "entry") => atom::check(doc, root, context, findings),
        (Some(rdf::RDF_NS), "RDF") => rdf::check(doc, root, findings),
        (namespace, name) => findings.add(
            at(doc, root),
            Rule::UnknownFormat,
            format!(
                "the root element is {}{name}, not rss (RSS 2.0), rdf:RDF (RSS 1.0) or feed (Atom 1.0)",
                namespace.map(|ns| format!("{{{ns}}}")).unwrap_or_default()
            ),
        ),
    }
}

/// `xml:base` and `xml:lang`, wherever they are (XML 1.0 2.12, XML Base).
fn check_xml_attributes(doc: &Document<'_>, findings: &mut Findings) {
    const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
    let mut reported = std::collections::HashSet::new();
    for node in doc.descendants().filter(Node::is_element) {
        // Namespaces in XML 1.0: a namespace name is a URI reference. The
        // first element to have it in scope is the one declaring it.
        for namespace in node.namespaces() {
            let uri = namespace.uri();
            if uri.contains(char::is_whitespace) && reported.insert(uri) {
                findings.add(
                    at(doc, node),
                    Rule::XmlNotWellFormed,
                    format!("namespace name {uri:?} has white space; it must be a URI"),
                );
            }
        }
        if let Some(base) = node.attribute((XML_NS, "base")) {
            if !forms::is_iri_reference(base) {
                findings.add(
                    at(doc, node),
                    Rule::XmlBase,
                    format!("xml:base {base:?} is not an IRI reference"),
                );
            }
        }
        if let Some(language) = node.attribute((XML_NS, "lang")) {
            if !language.is_empty() && !forms::is_language_tag(language) {
                findings.add(
                    at(doc, node),
                    Rule::LanguageTag,
                    format!("xml:lang {language:?} is not a language tag such as en-US"),
                );
            }
        }
    }
}

/// Where `node` starts (its line and column are found once every check
/// has run, by [`Findings::resolve`]).
pub(super) fn at(_doc: &Document<'_>, node: Node<'_, '_>) -> Place {
    Place::Offset(node.range().start)
}

/// The text of `node`, with surrounding white space trimmed.
pub(super) fn text<'a>(node: Node<'a, '_>) -> String {
    node.descendants()
        .filter(roxmltree::Node::is_text)
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string()
}

/// Child elements of `node` named `name` in `namespace`.
pub(super) fn children<'a, 'input>(
    node: Node<'a, 'input>,
    namespace: Option<&'a str>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == namespace
    })
}

/// Checks the `atom:link rel="self"` (RSS) or `link rel="self"` (Atom).
pub(super) fn check_self_link(
    doc: &Document<'_>,
    parent: Node<'_, '_>,
    context: &Context,
    findings: &mut Findings,
) {
    let self_link =
        children(parent, Some(ATOM_NS), "link").find(|l| l.attribute("rel") == Some("self"));
    match self_link {
        None => findings.add(
            at(doc, parent),
            Rule::SelfLinkMissing,
            "no link with rel=\"self\" gives the feed's own URL",
        ),
        Some(link) => {
            if let (Some(expected), Some(href)) = (&context.url, link.attribute("href")) {
                if href != expected {
                    findings.add(
                        at(doc, link),
                        Rule::SelfLinkMismatch,
                        format!("self link is {href}, but the feed is at {expected}"),
                    );
                }
            }
        }
    }
}

/// Warns about relative URLs in an HTML fragment.
pub(super) fn check_html(
    doc: &Document<'_>,
    node: Node<'_, '_>,
    html: &str,
    findings: &mut Findings,
) {
    for url in super::html::relative_urls(html) {
        findings.add(
            at(doc, node),
            Rule::ContentRelativeUrl,
            format!("relative URL {url:?} in content; readers may not resolve it"),
        );
    }
}

/// Flags the first child element of `node`, which holds only text (HTML
/// in it must be escaped or in CDATA).
pub(super) fn text_only(
    doc: &Document<'_>,
    node: Node<'_, '_>,
    rule: Rule,
    findings: &mut Findings,
) {
    if let Some(child) = node.children().find(Node::is_element) {
        findings.add(
            at(doc, child),
            rule,
            format!(
                "<{}> holds an element <{}>; it holds only text (escape HTML, or put it in CDATA)",
                node.tag_name().name(),
                child.tag_name().name()
            ),
        );
    }
}

/// Flags children of `parent` in `namespace` (`None`: no namespace, as RSS's
/// core elements are) that the format does not define.
pub(super) fn unknown_elements(
    doc: &Document<'_>,
    parent: Node<'_, '_>,
    namespace: Option<&str>,
    known: &[&str],
    rule: Rule,
    findings: &mut Findings,
) {
    let parent_name = parent.tag_name().name();
    for child in parent
        .children()
        .filter(|c| c.is_element() && c.tag_name().namespace() == namespace)
    {
        let name = child.tag_name().name();
        if !known.contains(&name) {
            findings.add(
                at(doc, child),
                rule,
                format!("{parent_name} has an element <{name}> that the format does not define"),
            );
        }
    }
}

/// Flags each of `names` that `parent` has no child element for.
pub(super) fn require_children(
    doc: &Document<'_>,
    parent: Node<'_, '_>,
    namespace: Option<&str>,
    names: &[&str],
    rule: Rule,
    findings: &mut Findings,
) {
    let parent_name = parent.tag_name().name();
    for &name in names {
        if children(parent, namespace, name).next().is_none() {
            findings.add(
                at(doc, parent),
                rule,
                format!("{parent_name} has no {name}"),
            );
        }
    }
}
