//! Every rule `make-feed check` knows: its id, its severity and what it
//! means. Findings carry a [`Rule`], never a string, so a rule cannot be
//! misspelt or given a severity of its own.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Severity;

macro_rules! rules {
    ($($rule:ident = ($id:literal, $severity:ident, $meaning:literal),)*) => {
        /// One rule of `make-feed check`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($rule,)*
        }

        impl Rule {
            /// Every rule, in the order `--help` and the README list them.
            pub const ALL: &[Rule] = &[$(Rule::$rule,)*];

            /// The stable id shown in findings, e.g. `rss-date`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$rule => $id,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Rule::$rule => Severity::$severity,)*
                }
            }

            /// What a finding of this rule means.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Rule::$rule => $meaning,)*
                }
            }
        }
    };
}

rules! {
    XmlNotWellFormed = ("xml-not-well-formed", Error, "the file is not well-formed XML"),
    XmlIllegalCharacter = ("xml-illegal-character", Error, "a character XML 1.0 forbids"),
    XmlEncoding = ("xml-encoding", Error, "bytes that are not in the file's encoding, an unknown encoding, or a declaration contradicting the byte order mark"),
    XmlBase = ("xml-base", Error, "an xml:base that is not an IRI reference"),
    LanguageTag = ("language-tag", Error, "a language (xml:lang, hreflang, language, dc:language) that is not a language tag such as en-US"),
    XmlEntityExpansion = ("xml-entity-expansion", Error, "entities that expand to more text than the checker reads"),
    UnknownFormat = ("unknown-format", Error, "neither RSS 2.0, Atom 1.0 nor JSON Feed"),
    DateImplausible = ("date-implausible", Warning, "a date before 1990 or in the future"),
    SelfLinkMissing = ("self-link-missing", Warning, "no link to the feed's own URL (rel=\"self\")"),
    SelfLinkMismatch = ("self-link-mismatch", Warning, "the self link is not where the feed is served"),
    ContentRelativeUrl = ("content-relative-url", Warning, "a relative URL in HTML content, which many readers cannot resolve"),
    RssVersion = ("rss-version", Error, "the rss element's version is not 2.0 (nor 0.91 to 0.94)"),
    RssMissingElement = ("rss-missing-element", Error, "a required RSS element is missing"),
    RssItemEmpty = ("rss-item-empty", Error, "an item with neither title nor description"),
    RssDate = ("rss-date", Error, "a date that is not RFC 822"),
    RssDateDayOfWeek = ("rss-date-day-of-week", Error, "the day of the week does not match the date"),
    RssDateYear = ("rss-date-year", Warning, "a two-digit year"),
    RssLinkRelative = ("rss-link-relative", Error, "a link that is not an absolute URL"),
    RssGuidDuplicate = ("rss-guid-duplicate", Error, "two items with the same guid"),
    RssGuidPermalink = ("rss-guid-permalink", Error, "a guid that is a permalink but not a URL (set isPermaLink=\"false\")"),
    RssAuthorEmail = ("rss-author-email", Error, "an author that is not an e-mail address (use dc:creator for names)"),
    RssUnknownElement = ("rss-unknown-element", Error, "an element RSS 2.0 does not define"),
    RssDuplicateElement = ("rss-duplicate-element", Error, "a channel, item, image or textInput element other than category and enclosure that appears twice"),
    RssStrayText = ("rss-stray-text", Error, "text directly inside rss, channel or item, outside any element"),
    RssValue = ("rss-value", Error, "a ttl, image size, cloud port, skipHours hour, skipDays day or enclosure length or type not of its form"),
    RssModule = ("rss-module", Error, "a Dublin Core, geo, slash, syndication, trackback or iTunes element whose value is not of its form"),
    RssEnclosure = ("rss-enclosure", Error, "an enclosure without url, length or type"),
    Rss1MissingElement = ("rss1-missing-element", Error, "RSS 1.0 or 0.90: a required element is missing"),
    Rss1DuplicateElement = ("rss1-duplicate-element", Error, "RSS 1.0 or 0.90: an element that may appear once appears twice"),
    Rss1UnknownElement = ("rss1-unknown-element", Error, "RSS 1.0 or 0.90: an element the format does not define"),
    Rss1About = ("rss1-about", Error, "RSS 1.0: a channel, item, image or textinput without an rdf:about URI"),
    AtomMissingElement = ("atom-missing-element", Error, "a required Atom element or attribute is missing (a summary for content that is not inline text, a category's term)"),
    AtomDuplicateElement = ("atom-duplicate-element", Error, "an element that may appear once appears twice (id, title, updated, rights, icon, logo, generator, subtitle, content, summary, published, source, a person's name, uri or email)"),
    AtomMissingAuthor = ("atom-missing-author", Error, "an entry with no author, in a feed with none"),
    AtomDate = ("atom-date", Error, "a date that is not RFC 3339"),
    AtomId = ("atom-id", Error, "an id that is not an absolute URI"),
    AtomIdAllSame = ("atom-id-all-same", Error, "ten entries or more, all with the same id"),
    AtomMetadataAfterEntry = ("atom-metadata-after-entry", Error, "a feed element after the first entry (the W3C validator refuses it)"),
    AtomIdDuplicate = ("atom-id-duplicate", Warning, "two entries with the same id and the same updated date"),
    AtomLinkRelative = ("atom-link-relative", Warning, "a relative link with no xml:base"),
    AtomLink = ("atom-link", Error, "a link without href, or with a type or length of the wrong form"),
    AtomLinkDuplicate = ("atom-link-duplicate", Error, "two alternate links with the same type and hreflang"),
    AtomIri = ("atom-iri", Error, "an IRI (href, src, uri, scheme, icon, logo, license) with characters IRIs cannot have, or relative where it must be absolute"),
    AtomWhitespace = ("atom-whitespace", Error, "white space around an id, date, uri, icon or logo"),
    AtomContent = ("atom-content", Error, "content whose src, type and value do not fit (RFC 4287 4.1.3)"),
    AtomXhtmlDiv = ("atom-xhtml-div", Error, "an xhtml text construct that is not exactly one xhtml div"),
    AtomPerson = ("atom-person", Error, "an author or contributor with no name, or an email that is not an e-mail address"),
    AtomEntryNoContent = ("atom-entry-no-content", Error, "an entry with neither content nor an alternate link"),
    AtomNoText = ("atom-no-text", Warning, "an entry with neither content nor summary"),
    AtomTextType = ("atom-text-type", Error, "a text construct whose type is not text, html or xhtml"),
    AtomUnknownElement = ("atom-unknown-element", Error, "an element Atom does not define"),
    JsonNotWellFormed = ("json-not-well-formed", Error, "the file is not well-formed JSON"),
    JsonVersion = ("json-version", Error, "version is not a JSON Feed version URL"),
    JsonMissingField = ("json-missing-field", Error, "a required field is missing"),
    JsonType = ("json-type", Error, "a field of the wrong type"),
    JsonDate = ("json-date", Error, "a date that is not RFC 3339"),
    JsonUrlRelative = ("json-url-relative", Error, "a URL that is not absolute"),
    JsonIdDuplicate = ("json-id-duplicate", Error, "two items with the same id"),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_kebab_case() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert!(ids.iter().all(|id| id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
