//! RSS 2.0's structured channel and item elements: image, textInput,
//! cloud, ttl, skipHours, skipDays, and the attributes of enclosure and
//! source, each as the specification defines it.

use std::collections::HashSet;

use roxmltree::{Document, Node};

use super::forms::{is_media_type, is_non_negative_integer};
use super::xml::{at, children, require_children, text, unknown_elements};
use super::{Findings, Rule};

const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The channel's image, textInput, cloud, ttl, skipHours and skipDays.
pub(super) fn check_channel(doc: &Document<'_>, channel: Node<'_, '_>, findings: &mut Findings) {
    for image in children(channel, None, "image") {
        let parts = ["url", "title", "link", "width", "height", "description"];
        check_parts(doc, image, &parts[..3], &parts, findings);
        for (name, most) in [("width", 144), ("height", 400)] {
            for size in children(image, None, name) {
                let value = text(size);
                if value.parse::<u32>().map_or(true, |n| n == 0 || n > most) {
                    value_finding(
                        doc,
                        size,
                        &value,
                        &format!("a number from 1 to {most}"),
                        findings,
                    );
                }
            }
        }
    }
    let parts = children(channel, None, "image").chain(children(channel, None, "textInput"));
    for part in parts {
        for link in children(part, None, "link").chain(children(part, None, "url")) {
            super::rss::check_link(doc, link, findings);
        }
    }
    for docs in children(channel, None, "docs") {
        super::rss::check_link(doc, docs, findings);
    }
    for input in children(channel, None, "textInput") {
        let parts = ["title", "description", "name", "link"];
        check_parts(doc, input, &parts, &parts, findings);
    }
    for cloud in children(channel, None, "cloud") {
        for attribute in ["domain", "port", "path", "registerProcedure", "protocol"] {
            if cloud.attribute(attribute).is_none() {
                findings.add(
                    at(doc, cloud),
                    Rule::RssMissingElement,
                    format!("cloud has no {attribute} attribute"),
                );
            }
        }
        if let Some(port) = cloud
            .attribute("port")
            .filter(|p| p.parse::<u16>().is_err())
        {
            value_finding(doc, cloud, port, "a port number", findings);
        }
    }
    for ttl in children(channel, None, "ttl") {
        let value = text(ttl);
        if value.parse::<u32>().map_or(true, |n| n == 0) {
            value_finding(doc, ttl, &value, "a positive number of minutes", findings);
        }
    }
    check_skip_list(doc, channel, "skipHours", "hour", findings);
    check_skip_list(doc, channel, "skipDays", "day", findings);
}

/// An item's enclosures and source.
pub(super) fn check_item(doc: &Document<'_>, item: Node<'_, '_>, findings: &mut Findings) {
    for enclosure in children(item, None, "enclosure") {
        if let Some(length) = enclosure
            .attribute("length")
            .filter(|l| !is_non_negative_integer(l.trim()))
        {
            value_finding(doc, enclosure, length, "a length in bytes", findings);
        }
        if let Some(kind) = enclosure.attribute("type").filter(|t| !is_media_type(t)) {
            value_finding(
                doc,
                enclosure,
                kind,
                "a media type such as audio/mpeg",
                findings,
            );
        }
    }
    for source in children(item, None, "source") {
        match source.attribute("url") {
            None => findings.add(
                at(doc, source),
                Rule::RssMissingElement,
                "source has no url attribute",
            ),
            Some(url) if !super::is_absolute_url(url) => findings.add(
                at(doc, source),
                Rule::RssLinkRelative,
                format!("source url {url:?} is not an absolute URL"),
            ),
            Some(_) => {}
        }
    }
}

/// An element made of parts: each required one present, none unknown,
/// none twice.
fn check_parts(
    doc: &Document<'_>,
    node: Node<'_, '_>,
    required: &[&str],
    known: &[&str],
    findings: &mut Findings,
) {
    require_children(doc, node, None, required, Rule::RssMissingElement, findings);
    unknown_elements(doc, node, None, known, Rule::RssUnknownElement, findings);
    let mut seen = HashSet::new();
    for part in node
        .children()
        .filter(|c| c.is_element() && c.tag_name().namespace().is_none())
    {
        let name = part.tag_name().name();
        if !seen.insert(name) {
            findings.add(
                at(doc, part),
                Rule::RssDuplicateElement,
                format!("{} has more than one <{name}>", node.tag_name().name()),
            );
        }
    }
}

/// skipHours (hours 0 to 23) or skipDays (Monday to Sunday), each once.
fn check_skip_list(
    doc: &Document<'_>,
    channel: Node<'_, '_>,
    list: &str,
    entry: &str,
    findings: &mut Findings,
) {
    for node in children(channel, None, list) {
        unknown_elements(doc, node, None, &[entry], Rule::RssUnknownElement, findings);
        require_children(doc, node, None, &[entry], Rule::RssMissingElement, findings);
        let mut seen = HashSet::new();
        for value_node in children(node, None, entry) {
            let value = text(value_node);
            let valid = if entry == "hour" {
                // 24 is an old spelling of midnight that readers still take.
                value.parse::<u32>().is_ok_and(|h| h <= 24)
            } else {
                DAYS.contains(&value.as_str())
            };
            if !valid {
                let form = if entry == "hour" {
                    "an hour from 0 to 23"
                } else {
                    "a day from Monday to Sunday"
                };
                value_finding(doc, value_node, &value, form, findings);
            } else if !seen.insert(value.clone()) {
                findings.add(
                    at(doc, value_node),
                    Rule::RssValue,
                    format!("<{entry}> {value:?} is listed twice in <{list}>"),
                );
            }
        }
    }
}

fn value_finding(
    doc: &Document<'_>,
    node: Node<'_, '_>,
    value: &str,
    form: &str,
    findings: &mut Findings,
) {
    findings.add(
        at(doc, node),
        Rule::RssValue,
        format!("<{}> {value:?} is not {form}", node.tag_name().name()),
    );
}
