//! The article as a feed reader shows it.

use super::Labels;
use crate::model::{Channel, Entry};
use crate::text::escape;

/// The article as a feed reader shows it: the body framed by the credits a
/// news page prints around it, the source above and the editor below.
pub(crate) fn feed_content(entry: &Entry, channel: &Channel) -> String {
    let labels = Labels::for_language(channel.language.as_deref());
    let mut html = String::with_capacity(entry.body_html.len() + 256);
    if let Some(source) = &entry.source {
        let name = escape(&source.name);
        html.push_str("<p>");
        html.push_str(labels.source);
        match &source.url {
            Some(url) => html.push_str(&format!("<a href=\"{}\">{name}</a>", escape(url.as_str()))),
            None => html.push_str(&name),
        }
        html.push_str("</p>\n");
    }
    html.push_str(&entry.body_html);
    if let Some(editor) = &entry.editor {
        html.push_str(&format!("<p>{}{}</p>", labels.editor, escape(editor)));
    }
    html.truncate(html.trim_end().len());
    html
}
