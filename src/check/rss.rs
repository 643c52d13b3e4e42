//! RSS 2.0 rules (the RSS Advisory Board's specification, as the W3C
//! validator applies it).

use std::collections::HashSet;

use roxmltree::{Document, Node};

use super::dates::{check_plausible, parse_rfc822, Rfc822Problem};
use super::forms::is_language_tag;
use super::xml::{
    at, check_html, check_self_link, children, require_children, text, text_only, unknown_elements,
};
use super::{is_absolute_url, Context, Findings, Rule};

const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";

const CHANNEL_ELEMENTS: &[&str] = &[
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "managingEditor",
    "webMaster",
    "pubDate",
    "lastBuildDate",
    "category",
    "generator",
    "docs",
    "cloud",
    "ttl",
    "image",
    "rating",
    "textInput",
    "skipHours",
    "skipDays",
    "item",
];
/// The core elements that hold elements; all others hold text.
const CONTAINERS: &[&str] = &[
    "channel",
    "cloud",
    "enclosure",
    "image",
    "item",
    "skipDays",
    "skipHours",
    "textInput",
];
const ITEM_ELEMENTS: &[&str] = &[
    "title",
    "link",
    "description",
    "author",
    "category",
    "comments",
    "enclosure",
    "guid",
    "pubDate",
    "source",
];

pub(super) fn check(
    doc: &Document<'_>,
    rss: Node<'_, '_>,
    context: &Context,
    findings: &mut Findings,
) {
    // 0.91 to 0.94 are what 2.0 grew from; it reads them unchanged.
    let version = rss.attribute("version");
    if !matches!(version, Some("2.0" | "0.91" | "0.92" | "0.93" | "0.94")) {
        findings.add(
            at(doc, rss),
            Rule::RssVersion,
            format!(
                "the rss element's version is {:?}; it needs version=\"2.0\"",
                version.unwrap_or("missing")
            ),
        );
    }
    let Some(channel) = children(rss, None, "channel").next() else {
        findings.add(at(doc, rss), Rule::RssMissingElement, "rss has no channel");
        return;
    };
    let required = ["title", "link", "description"];
    require_children(
        doc,
        channel,
        None,
        &required,
        Rule::RssMissingElement,
        findings,
    );
    unknown_elements(
        doc,
        channel,
        None,
        CHANNEL_ELEMENTS,
        Rule::RssUnknownElement,
        findings,
    );
    check_self_link(doc, channel, context, findings);
    check_duplicates_and_text(doc, rss, channel, findings);
    super::rss_modules::check(doc, rss, false, findings);
    super::rss_parts::check_channel(doc, channel, findings);
    for language in children(channel, None, "language") {
        let value = text(language);
        if !is_language_tag(&value) {
            findings.add(
                at(doc, language),
                Rule::LanguageTag,
                format!("<language> {value:?} is not a language tag such as en-US"),
            );
        }
    }
    for link in children(channel, None, "link") {
        check_link(doc, link, findings);
    }
    for name in ["pubDate", "lastBuildDate"] {
        for date in children(channel, None, name) {
            check_date(doc, date, context, findings);
        }
    }
    for name in ["managingEditor", "webMaster"] {
        for person in children(channel, None, name) {
            check_email(doc, person, findings);
        }
    }

    let mut guids = HashSet::new();
    for item in children(channel, None, "item") {
        check_item(doc, item, &mut guids, context, findings);
    }
}

/// One item; `guids` holds those of the items before it.
fn check_item(
    doc: &Document<'_>,
    item: Node<'_, '_>,
    guids: &mut HashSet<String>,
    context: &Context,
    findings: &mut Findings,
) {
    unknown_elements(
        doc,
        item,
        None,
        ITEM_ELEMENTS,
        Rule::RssUnknownElement,
        findings,
    );
    if children(item, None, "title").next().is_none()
        && children(item, None, "description").next().is_none()
    {
        findings.add(
            at(doc, item),
            Rule::RssItemEmpty,
            "an item needs a title or a description",
        );
    }
    for link in children(item, None, "link").chain(children(item, None, "comments")) {
        check_link(doc, link, findings);
    }
    for date in children(item, None, "pubDate") {
        check_date(doc, date, context, findings);
    }
    for author in children(item, None, "author") {
        check_email(doc, author, findings);
    }
    for guid in children(item, None, "guid") {
        let value = text(guid);
        if !guids.insert(value.clone()) {
            findings.add(
                at(doc, guid),
                Rule::RssGuidDuplicate,
                format!("guid {value:?} is used by an earlier item"),
            );
        }
        let permalink = guid.attribute("isPermaLink").is_none_or(|v| v != "false");
        let is_web_url =
            url::Url::parse(&value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if permalink && !is_web_url {
            findings.add(
                at(doc, guid),
                Rule::RssGuidPermalink,
                format!("guid {value:?} is not a web address; add isPermaLink=\"false\""),
            );
        }
    }
    super::rss_parts::check_item(doc, item, findings);
    for enclosure in children(item, None, "enclosure") {
        for attribute in ["url", "length", "type"] {
            if enclosure.attribute(attribute).is_none() {
                findings.add(
                    at(doc, enclosure),
                    Rule::RssEnclosure,
                    format!("enclosure has no {attribute}"),
                );
            }
        }
        if let Some(url) = enclosure.attribute("url") {
            if !is_absolute_url(url) {
                findings.add(
                    at(doc, enclosure),
                    Rule::RssLinkRelative,
                    format!("enclosure url {url:?} is not an absolute URL"),
                );
            }
        }
    }
    for html in
        children(item, None, "description").chain(children(item, Some(CONTENT_NS), "encoded"))
    {
        check_html(doc, html, &text(html), findings);
    }
}

/// Elements but category appear once in a channel or item; text belongs
/// inside elements.
fn check_duplicates_and_text(
    doc: &Document<'_>,
    rss: Node<'_, '_>,
    channel: Node<'_, '_>,
    findings: &mut Findings,
) {
    let items = children(channel, None, "item");
    for parent in [rss, channel].into_iter().chain(items) {
        let mut seen = HashSet::new();
        for child in parent.children() {
            if child.is_text() && child.text().is_some_and(|t| !t.trim().is_empty()) {
                findings.add(
                    at(doc, child),
                    Rule::RssStrayText,
                    format!(
                        "text {:?} directly inside <{}>",
                        text(child),
                        parent.tag_name().name()
                    ),
                );
            }
            let name = child.tag_name().name();
            if child.is_element()
                && child.tag_name().namespace().is_none()
                && !CONTAINERS.contains(&name)
            {
                text_only(doc, child, Rule::RssUnknownElement, findings);
            }
            if child.is_element()
                && child.tag_name().namespace().is_none()
                && !matches!(name, "category" | "item" | "enclosure")
                && !seen.insert(name)
            {
                findings.add(
                    at(doc, child),
                    Rule::RssDuplicateElement,
                    format!("{} has more than one <{name}>", parent.tag_name().name()),
                );
            }
        }
    }
}

pub(super) fn check_link(doc: &Document<'_>, link: Node<'_, '_>, findings: &mut Findings) {
    let value = text(link);
    if !is_absolute_url(&value) {
        findings.add(
            at(doc, link),
            Rule::RssLinkRelative,
            format!(
                "<{}> {value:?} is not an absolute URL",
                link.tag_name().name()
            ),
        );
    }
}

fn check_date(doc: &Document<'_>, date: Node<'_, '_>, context: &Context, findings: &mut Findings) {
    let value = text(date);
    let name = date.tag_name().name();
    match parse_rfc822(&value) {
        Ok((instant, two_digit_year)) => {
            if two_digit_year {
                findings.add(at(doc, date), Rule::RssDateYear, format!("<{name}> {value:?} has a two-digit year"));
            }
            check_plausible(&instant, || at(doc, date), context, findings);
        }
        Err(Rfc822Problem::DayOfWeek { written, actual }) => findings.add(
            at(doc, date),
            Rule::RssDateDayOfWeek,
            format!("<{name}> {value:?} says {written}, but that date is a {actual}"),
        ),
        Err(Rfc822Problem::NotADate) => findings.add(
            at(doc, date),
            Rule::RssDate,
            format!("<{name}> {value:?} is not an RFC 822 date such as \"Wed, 01 Jun 2022 17:52:50 +0800\""),
        ),
    }
}

fn check_email(doc: &Document<'_>, person: Node<'_, '_>, findings: &mut Findings) {
    let value = text(person);
    let address = value.split_whitespace().next().unwrap_or("");
    let valid = address.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.ends_with('.')
    });
    if !valid {
        findings.add(
            at(doc, person),
            Rule::RssAuthorEmail,
            format!(
                "<{}> {value:?} is not an e-mail address",
                person.tag_name().name()
            ),
        );
    }
}
