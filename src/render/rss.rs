//! RSS 2.0, with `content:encoded` for the full article and Dublin Core for
//! the people, since RSS's own `<author>` must be an e-mail address.

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{CategoryBuilder, ChannelBuilder, GuidBuilder, ImageBuilder, Item, ItemBuilder};

use super::content::feed_content;
use super::dates::rfc822;
use super::xml::{archive_marker, DUBLIN_CORE_NS};
use super::{with_final_newline, GENERATOR, VERSION};
use crate::model::{Channel, Document, Entry, Format};
use crate::text::escape;

/// The bytes of `doc` as RSS 2.0, published at `path`.
pub(super) fn render(doc: &Document<'_>, path: &str) -> Vec<u8> {
    let channel = doc.channel;
    let mut namespaces = BTreeMap::from([
        (
            "atom".to_string(),
            rss::extension::atom::NAMESPACE.to_string(),
        ),
        (
            "content".to_string(),
            "http://purl.org/rss/1.0/modules/content/".to_string(),
        ),
        ("dc".to_string(), DUBLIN_CORE_NS.to_string()),
    ]);
    let mut links = vec![atom_link("self", channel.url_of(path).as_str())];
    for (rel, place) in doc.history.links() {
        links.push(atom_link(
            rel,
            channel.url_of(&place.path(Format::Rss)).as_str(),
        ));
    }
    // WebSub (W3C): the hubs subscribers register with for this feed.
    links.extend(channel.hubs.iter().map(|hub| Link {
        href: hub.to_string(),
        rel: "hub".to_string(),
        ..Link::default()
    }));
    let extensions: ExtensionMap = archive_marker(doc, &mut namespaces, |name| Extension {
        name,
        ..Extension::default()
    });
    let image = channel.logo.as_ref().map(|logo| {
        ImageBuilder::default()
            .url(logo.as_str())
            .title(channel.title.as_str())
            .link(channel.base_url.as_str())
            .build()
    });
    let feed = ChannelBuilder::default()
        .namespaces(namespaces)
        .title(doc.title.as_str())
        .link(channel.base_url.as_str())
        .description(channel.description.as_str())
        .language(channel.language.clone())
        .copyright(channel.rights.clone())
        .generator(Some(format!("{GENERATOR} {VERSION}")))
        .docs(Some(
            "https://www.rssboard.org/rss-specification".to_string(),
        ))
        .last_build_date(doc.newest().map(|newest| rfc822(&newest)))
        .image(image)
        .atom_ext(Some(AtomExtension { links }))
        .extensions(extensions)
        .items(
            doc.entries
                .iter()
                .map(|entry| item(entry, channel))
                .collect::<Vec<_>>(),
        )
        .build();
    let bytes = feed
        .pretty_write_to(Vec::new(), b' ', 2)
        .expect("writing XML to memory cannot fail");
    let xml = simdutf8::basic::from_utf8(&bytes).expect("the rss crate writes UTF-8");
    with_final_newline(hex_references_outside_cdata(xml).into_bytes())
}

fn atom_link(rel: &str, href: &str) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: Some(Format::Rss.media_type().to_string()),
        ..Link::default()
    }
}

fn item(entry: &Entry, channel: &Channel) -> Item {
    let is_permalink = entry.id == entry.url.as_str();
    let dublin_core = DublinCoreExtension {
        creators: entry.authors.clone(),
        contributors: entry.editor.iter().cloned().collect(),
        sources: entry.source.iter().map(|s| s.name.clone()).collect(),
        ..DublinCoreExtension::default()
    };
    ItemBuilder::default()
        .title(Some(entry.title.clone()))
        .link(Some(entry.url.to_string()))
        .guid(Some(
            GuidBuilder::default()
                .value(entry.id.as_str())
                .permalink(is_permalink)
                .build(),
        ))
        .pub_date(Some(rfc822(&entry.published)))
        // RSS readers take `description` as HTML: the plain-text summary is
        // escaped so that a `<` in it is shown, not interpreted.
        // A body with no text at all has no summary: the title stands in, as
        // readers and validators want a description before the content.
        .description(Some(escape(if entry.summary.is_empty() {
            &entry.title
        } else {
            &entry.summary
        })))
        .content(Some(feed_content(entry, channel)))
        .categories(
            entry
                .categories
                .iter()
                .map(|name| CategoryBuilder::default().name(name.as_str()).build())
                .collect::<Vec<_>>(),
        )
        .dublin_core_ext(Some(dublin_core))
        .build()
}

/// Writes `&` and `<` in text as `&#x26;` and `&#x3C;` instead of `&amp;` and
/// `&lt;`: the same characters to any XML parser, but the form the RSS
/// Profile recommends so that readers which double-decode plain-text fields
/// (titles, categories) show them literally; the W3C validator warns about
/// the named forms. CDATA sections are left as they are.
fn hex_references_outside_cdata(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find("<![CDATA[") {
        let end = rest[start..]
            .find("]]>")
            .map_or(rest.len(), |i| start + i + "]]>".len());
        push_hex_references(&mut out, &rest[..start]);
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    push_hex_references(&mut out, rest);
    out
}

fn push_hex_references(out: &mut String, text: &str) {
    out.push_str(&text.replace("&amp;", "&#x26;").replace("&lt;", "&#x3C;"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_references_replace_named_ones_outside_cdata_only() {
        let xml = "<t>R&amp;D &lt;c&gt;</t><c><![CDATA[a &amp; <b>]]]]><![CDATA[> &lt;]]></c><t>&amp;</t>";
        assert_eq!(
            hex_references_outside_cdata(xml),
            "<t>R&#x26;D &#x3C;c&gt;</t><c><![CDATA[a &amp; <b>]]]]><![CDATA[> &lt;]]></c><t>&#x26;</t>"
        );
    }
}
