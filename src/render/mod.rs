//! The render stage: the model turned into bytes. Feeds in each [`Format`]
//! from a [`Document`], and the site's pages from templates.
//!
//! Renderers take the model and return an [`Output`]: they never read or
//! write files, never decide which documents exist or what they hold, and
//! never validate (the model is clean by the time it gets here).
//!
//! [`Format`]: crate::model::Format
//! [`Document`]: crate::model::Document

mod atom;
mod blocks;
mod content;
mod dates;
mod json;
mod labels;
mod page;
mod rss;
mod templates;
mod views;
mod xml;

use crate::model::{Document, Format};

pub(crate) use labels::Labels;
pub(crate) use page::{Pages, STYLESHEET};
pub(crate) use templates::Templates;

/// The generator's name, as written into every feed and page.
pub(crate) const GENERATOR: &str = "make-feed";
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The first line of every XML output: the encoding is always named, so
/// that no reader guesses another.
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

/// An output file: where it goes below the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    pub(crate) path: String,
    pub(crate) bytes: Vec<u8>,
}

/// `doc` in `format`.
pub(crate) fn feed(doc: &Document<'_>, format: Format) -> Output {
    let path = doc.place.path(format);
    let bytes = match format {
        Format::Rss => rss::render(doc, &path),
        Format::Atom => atom::render(doc, &path),
        Format::JsonFeed => json::render(doc, &path),
    };
    Output { path, bytes }
}

/// Writers stop at the last tag or brace; files end with a newline.
fn with_final_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.last() != Some(&b'\n') {
        bytes.push(b'\n');
    }
    bytes
}
