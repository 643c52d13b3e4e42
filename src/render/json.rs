//! JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), served as
//! `application/feed+json`. The editor and the source, which JSON Feed has
//! no fields for, go in the `_make_feed` extension object.

use serde_json::{json, Map, Value};

use super::content::feed_content;
use super::dates::rfc3339;
use super::with_final_newline;
use crate::model::{Document, Entry};

/// The bytes of `doc` as JSON Feed 1.1, published at `path`.
pub(super) fn render(doc: &Document<'_>, path: &str) -> Vec<u8> {
    let channel = doc.channel;
    let mut feed = Map::new();
    feed.insert("version".into(), json!("https://jsonfeed.org/version/1.1"));
    feed.insert("title".into(), json!(doc.title));
    feed.insert("home_page_url".into(), json!(channel.base_url.as_str()));
    feed.insert("feed_url".into(), json!(channel.url_of(path).as_str()));
    feed.insert("description".into(), json!(channel.description));
    if let Some(language) = &channel.language {
        feed.insert("language".into(), json!(language));
    }
    if let Some(author) = &channel.author {
        let mut person = Map::new();
        person.insert("name".into(), json!(author.name));
        if let Some(uri) = &author.uri {
            person.insert("url".into(), json!(uri.as_str()));
        }
        // `author` is JSON Feed 1.0's field, which readers that predate 1.1
        // read; 1.1 allows writing both.
        feed.insert("author".into(), Value::Object(person.clone()));
        feed.insert("authors".into(), json!([person]));
    }
    if let Some(icon) = &channel.logo {
        feed.insert("icon".into(), json!(icon.as_str()));
    }
    if let Some(favicon) = &channel.icon {
        feed.insert("favicon".into(), json!(favicon.as_str()));
    }
    if !channel.hubs.is_empty() {
        // JSON Feed's `hubs`: WebSub is the type readers know.
        let hubs: Vec<Value> = channel
            .hubs
            .iter()
            .map(|hub| json!({"type": "WebSub", "url": hub.as_str()}))
            .collect();
        feed.insert("hubs".into(), Value::Array(hubs));
    }
    let items: Vec<Value> = doc.entries.iter().map(|entry| item(entry, doc)).collect();
    feed.insert("items".into(), Value::Array(items));
    let bytes = serde_json::to_vec_pretty(&Value::Object(feed)).expect("JSON serialises");
    with_final_newline(bytes)
}

fn item(entry: &Entry, doc: &Document<'_>) -> Value {
    let mut item = Map::new();
    item.insert("id".into(), json!(entry.id));
    item.insert("url".into(), json!(entry.url.as_str()));
    item.insert("title".into(), json!(entry.title));
    item.insert(
        "content_html".into(),
        json!(feed_content(entry, doc.channel)),
    );
    if !entry.summary.is_empty() {
        item.insert("summary".into(), json!(entry.summary));
    }
    item.insert("date_published".into(), json!(rfc3339(&entry.published)));
    if let Some(updated) = &entry.updated {
        item.insert("date_modified".into(), json!(rfc3339(updated)));
    }
    if let Some(first) = entry.authors.first() {
        let authors: Vec<Value> = entry
            .authors
            .iter()
            .map(|name| json!({ "name": name }))
            .collect();
        // JSON Feed 1.0 has one author: the first, for readers that predate 1.1.
        item.insert("author".into(), json!({ "name": first }));
        item.insert("authors".into(), Value::Array(authors));
    }
    if !entry.categories.is_empty() {
        item.insert("tags".into(), json!(entry.categories));
    }
    let mut extension = Map::new();
    if let Some(editor) = &entry.editor {
        extension.insert("editor".into(), json!(editor));
    }
    if let Some(source) = &entry.source {
        let mut value = Map::new();
        value.insert("name".into(), json!(source.name));
        if let Some(url) = &source.url {
            value.insert("url".into(), json!(url.as_str()));
        }
        extension.insert("source".into(), Value::Object(value));
    }
    if !extension.is_empty() {
        item.insert("_make_feed".into(), Value::Object(extension));
    }
    Value::Object(item)
}
