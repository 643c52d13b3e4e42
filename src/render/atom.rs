//! Atom 1.0 (RFC 4287), with the full article as `content type="html"`.

use std::collections::BTreeMap;

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{
    Category, Content, Entry as AtomEntry, Feed, Generator, Link, Person as AtomPerson, Text,
    WriteConfig,
};

use super::content::feed_content;
use super::xml::{archive_marker, DUBLIN_CORE_NS};
use super::{with_final_newline, GENERATOR, VERSION, XML_DECLARATION};
use crate::model::{uri_component, Channel, Document, Entry, Format, Person, Place};

/// The bytes of `doc` as Atom 1.0, published at `path`.
pub(super) fn render(doc: &Document<'_>, path: &str) -> Vec<u8> {
    let channel = doc.channel;
    let media_type = Format::Atom.media_type();
    let mut links = vec![
        link("self", channel.url_of(path).as_str(), media_type),
        link("alternate", channel.base_url.as_str(), "text/html"),
    ];
    for (rel, place) in doc.history.links() {
        links.push(link(
            rel,
            channel.url_of(&place.path(Format::Atom)).as_str(),
            media_type,
        ));
    }
    // WebSub (W3C): the hubs subscribers register with for this feed.
    links.extend(channel.hubs.iter().map(|hub| Link {
        href: hub.to_string(),
        rel: "hub".to_string(),
        ..Link::default()
    }));
    let mut namespaces = BTreeMap::from([("dc".to_string(), DUBLIN_CORE_NS.to_string())]);
    let extensions: ExtensionMap = archive_marker(doc, &mut namespaces, |name| Extension {
        name,
        ..Extension::default()
    });
    let author = channel.author.clone().unwrap_or_else(|| Person {
        name: channel.title.clone(),
        email: None,
        uri: None,
    });
    let feed = Feed {
        title: Text::plain(doc.title.as_str()),
        id: feed_id(doc),
        updated: doc.updated(),
        // Every entry needs an author (RFC 4287 4.1.2); the feed's covers
        // entries whose front matter names none.
        authors: vec![person(&author)],
        generator: Some(Generator {
            value: GENERATOR.to_string(),
            uri: None,
            version: Some(VERSION.to_string()),
        }),
        icon: channel.icon.as_ref().map(ToString::to_string),
        logo: channel.logo.as_ref().map(ToString::to_string),
        links,
        rights: channel.rights.as_deref().map(Text::plain),
        subtitle: Some(Text::plain(channel.description.as_str())),
        entries: doc
            .entries
            .iter()
            .map(|entry| atom_entry(entry, channel))
            .collect(),
        namespaces,
        extensions,
        lang: channel.language.clone(),
        ..Feed::default()
    };
    // The crate's declaration names no encoding, and some readers then take
    // the document for Latin-1: make-feed writes its own.
    let config = WriteConfig {
        write_document_declaration: false,
        indent_size: Some(2),
    };
    let mut bytes = XML_DECLARATION.as_bytes().to_vec();
    feed.write_with_config(&mut bytes, config)
        .expect("writing XML to memory cannot fail");
    with_final_newline(archive_marker_first(bytes))
}

/// The crate writes extension elements after the entries, where RFC 4287's
/// schema has none: `fh:archive` moves to just before the first entry. Text
/// in the document is escaped, so the marker's tag occurs only as the
/// element.
fn archive_marker_first(bytes: Vec<u8>) -> Vec<u8> {
    const START: &str = "\n  <fh:archive";
    const END: &str = "</fh:archive>";
    let xml = String::from_utf8(bytes).expect("the atom_syndication crate writes UTF-8");
    let (Some(start), Some(first_entry)) = (xml.rfind(START), xml.find("\n  <entry>")) else {
        return xml.into_bytes();
    };
    let end = xml[start..].find(END).map_or_else(
        || start + xml[start..].find("/>").expect("an element ends") + "/>".len(),
        |at| start + at + END.len(),
    );
    let mut moved = String::with_capacity(xml.len());
    moved.push_str(&xml[..first_entry]);
    moved.push_str(&xml[start..end]);
    moved.push_str(&xml[first_entry..start]);
    moved.push_str(&xml[end..]);
    moved.into_bytes()
}

/// The feed's id. Archive pages share the main feed's id (RFC 5005: they are
/// parts of one logical feed); a category's feed has an id of its own,
/// derived from the main one so that it is just as stable.
fn feed_id(doc: &Document<'_>) -> String {
    match &doc.place {
        Place::Category(slug) => {
            // One fragment at most: extend the feed id's own if it has one.
            let separator = if doc.channel.feed_id.contains('#') {
                "-"
            } else {
                "#"
            };
            format!(
                "{}{separator}category-{}",
                doc.channel.feed_id,
                uri_component(slug)
            )
        }
        Place::Main | Place::Archive(_) => doc.channel.feed_id.clone(),
    }
}

fn atom_entry(entry: &Entry, channel: &Channel) -> AtomEntry {
    let mut links = vec![link("alternate", entry.url.as_str(), "text/html")];
    if let Some(source) = &entry.source {
        if let Some(url) = &source.url {
            let mut via = link("via", url.as_str(), "text/html");
            via.title = Some(source.name.clone());
            links.push(via);
        }
    }
    let mut extensions = ExtensionMap::new();
    if let Some(source) = &entry.source {
        let dc_source = Extension {
            name: "dc:source".to_string(),
            value: Some(source.name.clone()),
            ..Extension::default()
        };
        extensions.insert(
            "dc".to_string(),
            BTreeMap::from([("source".to_string(), vec![dc_source])]),
        );
    }
    AtomEntry {
        title: Text::plain(entry.title.as_str()),
        id: entry.id.clone(),
        updated: entry.updated(),
        published: Some(entry.published),
        authors: entry.authors.iter().map(|name| named(name)).collect(),
        contributors: entry.editor.iter().map(|name| named(name)).collect(),
        categories: entry
            .categories
            .iter()
            .map(|term| Category {
                term: term.clone(),
                ..Category::default()
            })
            .collect(),
        links,
        // A body that opens with no paragraph of text has no summary; Atom
        // allows none, but not an empty one.
        summary: (!entry.summary.is_empty()).then(|| Text::plain(entry.summary.as_str())),
        content: Some(Content {
            content_type: Some("html".to_string()),
            value: Some(feed_content(entry, channel)),
            ..Content::default()
        }),
        extensions,
        ..AtomEntry::default()
    }
}

fn link(rel: &str, href: &str, mime_type: &str) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: Some(mime_type.to_string()),
        ..Link::default()
    }
}

fn named(name: &str) -> AtomPerson {
    AtomPerson {
        name: name.to_string(),
        ..AtomPerson::default()
    }
}

fn person(person: &Person) -> AtomPerson {
    AtomPerson {
        name: person.name.clone(),
        email: person.email.clone(),
        uri: person.uri.as_ref().map(ToString::to_string),
        ..AtomPerson::default()
    }
}
