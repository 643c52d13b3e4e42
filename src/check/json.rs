//! JSON Feed 1.1 rules (https://www.jsonfeed.org/version/1.1/).

use std::collections::HashSet;

use serde_json::Value;

use super::dates::{check_plausible, parse_rfc3339};
use super::html::relative_urls;
use super::json_places::Places;
use super::{is_absolute_url, Context, Findings, Rule};

pub(super) fn check(bytes: &[u8], context: &Context, findings: &mut Findings) {
    let feed: Value = match serde_json::from_slice(bytes) {
        Ok(feed) => feed,
        Err(error) => {
            findings.add(
                (error.line() as u32, error.column() as u32),
                Rule::JsonNotWellFormed,
                error.to_string(),
            );
            return;
        }
    };
    let text = String::from_utf8_lossy(bytes);
    let places = Places::index(&text);
    let at = |path: &str| places.at(path);
    let Some(feed) = feed.as_object() else {
        findings.add(at(""), Rule::JsonType, "a JSON Feed is an object");
        return;
    };
    check_top_level(feed, context, &at, findings);
    let items = match feed.get("items") {
        Some(Value::Array(items)) => items,
        Some(_) => {
            findings.add(at("/items"), Rule::JsonType, "items must be an array");
            return;
        }
        None => {
            findings.add(at(""), Rule::JsonMissingField, "items is missing");
            return;
        }
    };
    let mut ids = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("/items/{i}");
        let Some(item) = item.as_object() else {
            findings.add(
                at(&path),
                Rule::JsonType,
                format!("items[{i}] must be an object"),
            );
            continue;
        };
        check_item(item, i, &mut ids, context, &at, findings);
    }
}

type Object = serde_json::Map<String, Value>;

/// Where the value at a JSON Pointer starts.
type At<'a> = dyn Fn(&str) -> (u32, u32) + 'a;

/// The feed's own fields: version, title, URLs, and its self link.
fn check_top_level(feed: &Object, context: &Context, at: &At<'_>, findings: &mut Findings) {
    match feed.get("version").and_then(Value::as_str) {
        Some(v)
            if v == "https://jsonfeed.org/version/1.1" || v == "https://jsonfeed.org/version/1" => {
        }
        Some(v) => findings.add(
            at("/version"),
            Rule::JsonVersion,
            format!("version {v:?} is not https://jsonfeed.org/version/1.1"),
        ),
        None => findings.add(
            at(""),
            Rule::JsonVersion,
            "version is missing; use \"https://jsonfeed.org/version/1.1\"",
        ),
    }
    require_string(feed, "title", "", at, findings);
    for key in ["home_page_url", "feed_url", "icon", "favicon", "next_url"] {
        check_url(feed, key, "", at, findings);
    }
    match feed.get("feed_url").and_then(Value::as_str) {
        None => findings.add(
            at(""),
            Rule::SelfLinkMissing,
            "feed_url, the feed's own URL, is missing",
        ),
        Some(url) => {
            if let Some(expected) = &context.url {
                if url != expected {
                    findings.add(
                        at("/feed_url"),
                        Rule::SelfLinkMismatch,
                        format!("feed_url is {url}, but the feed is at {expected}"),
                    );
                }
            }
        }
    }
}

/// Item `i`: its id (unique among `ids`), content, field types, URLs and dates.
fn check_item(
    item: &Object,
    i: usize,
    ids: &mut HashSet<String>,
    context: &Context,
    at: &At<'_>,
    findings: &mut Findings,
) {
    let path = format!("/items/{i}");
    let at_key = |key: &str| at(&format!("{path}/{key}"));
    match item.get("id") {
        Some(Value::String(id)) => {
            if !ids.insert(id.clone()) {
                findings.add(
                    at_key("id"),
                    Rule::JsonIdDuplicate,
                    format!("id {id:?} is used by an earlier item"),
                );
            }
        }
        Some(_) => findings.add(
            at_key("id"),
            Rule::JsonType,
            format!("items[{i}].id must be a string"),
        ),
        None => findings.add(
            at(&path),
            Rule::JsonMissingField,
            format!("items[{i}] has no id"),
        ),
    }
    if !item.contains_key("content_html") && !item.contains_key("content_text") {
        findings.add(
            at(&path),
            Rule::JsonMissingField,
            format!("items[{i}] has neither content_html nor content_text"),
        );
    }
    check_item_types(item, i, &at_key, findings);
    for key in ["url", "external_url", "image", "banner_image"] {
        check_url(item, key, &path, at, findings);
    }
    for key in ["date_published", "date_modified"] {
        let Some(date) = item.get(key).and_then(Value::as_str) else {
            continue;
        };
        match parse_rfc3339(date) {
            Some(instant) => check_plausible(&instant, || at_key(key).into(), context, findings),
            None => findings.add(
                at_key(key),
                Rule::JsonDate,
                format!("items[{i}].{key} {date:?} is not an RFC 3339 date"),
            ),
        }
    }
    if let Some(html) = item.get("content_html").and_then(Value::as_str) {
        for url in relative_urls(html) {
            findings.add(
                at_key("content_html"),
                Rule::ContentRelativeUrl,
                format!("relative URL {url:?} in content_html"),
            );
        }
    }
}

/// Item `i`'s strings and typed arrays.
fn check_item_types(item: &Object, i: usize, at_key: &At<'_>, findings: &mut Findings) {
    for key in [
        "content_html",
        "content_text",
        "title",
        "summary",
        "image",
        "language",
        "date_published",
        "date_modified",
    ] {
        if item.get(key).is_some_and(|v| !v.is_string()) {
            findings.add(
                at_key(key),
                Rule::JsonType,
                format!("items[{i}].{key} must be a string"),
            );
        }
    }
    const TYPED_ARRAYS: &[TypedArray] = &[
        ("tags", Value::is_string, "strings"),
        ("authors", Value::is_object, "objects"),
    ];
    for &(key, is_element, elements) in TYPED_ARRAYS {
        let Some(value) = item.get(key) else { continue };
        if !value.as_array().is_some_and(|a| a.iter().all(is_element)) {
            findings.add(
                at_key(key),
                Rule::JsonType,
                format!("items[{i}].{key} must be an array of {elements}"),
            );
        }
    }
}

/// A field that must be an array: its key, what each element must be, and
/// that in words.
type TypedArray = (&'static str, fn(&Value) -> bool, &'static str);

fn require_string(object: &Object, key: &str, path: &str, at: &At<'_>, findings: &mut Findings) {
    match object.get(key) {
        Some(Value::String(_)) => {}
        Some(_) => findings.add(
            at(&format!("{path}/{key}")),
            Rule::JsonType,
            format!("{key} must be a string"),
        ),
        None => findings.add(
            at(path),
            Rule::JsonMissingField,
            format!("{key} is missing"),
        ),
    }
}

fn check_url(object: &Object, key: &str, path: &str, at: &At<'_>, findings: &mut Findings) {
    match object.get(key) {
        None => {}
        Some(Value::String(url)) if is_absolute_url(url) => {}
        Some(Value::String(url)) => findings.add(
            at(&format!("{path}/{key}")),
            Rule::JsonUrlRelative,
            format!("{key} {url:?} is not an absolute URL"),
        ),
        Some(_) => findings.add(
            at(&format!("{path}/{key}")),
            Rule::JsonType,
            format!("{key} must be a string"),
        ),
    }
}
