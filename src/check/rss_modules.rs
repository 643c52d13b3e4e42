//! The common RSS modules (in RSS 2.0 and 1.0 alike): Dublin Core, geo
//! (W3C, ICBM, GeoURL), slash, syndication, trackback and iTunes basics.
//! Each element's value must have its module's form.

use roxmltree::{Document, Node};

use super::forms::{is_absolute_iri, is_coordinate, is_language_tag, is_w3cdtf};
use super::rdf::RDF_NS;
use super::xml::{at, text};
use super::{Findings, Rule};

const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const DCTERMS_NS: &str = "http://purl.org/dc/terms/";
const GEO_NS: &str = "http://www.w3.org/2003/01/geo/wgs84_pos#";
const ICBM_NS: &str = "http://postneo.com/icbm";
const GEOURL_NS: &str = "http://geourl.org/rss/module/";
const SLASH_NS: &str = "http://purl.org/rss/1.0/modules/slash/";
const SY_NS: &str = "http://purl.org/rss/1.0/modules/syndication/";
const TRACKBACK_NS: &str = "http://madskills.com/public/xml/rss/module/trackback/";
const ITUNES_NS: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";

/// Checks every module element below `root`; `rdf` for RSS 1.0, where
/// trackback links are `rdf:resource` attributes instead of text.
pub(super) fn check(doc: &Document<'_>, root: Node<'_, '_>, rdf: bool, findings: &mut Findings) {
    for node in root.descendants().filter(Node::is_element) {
        let Some(namespace) = node.tag_name().namespace() else {
            continue;
        };
        const MODULES: &[&str] = &[
            DC_NS,
            DCTERMS_NS,
            GEO_NS,
            ICBM_NS,
            GEOURL_NS,
            SLASH_NS,
            SY_NS,
            TRACKBACK_NS,
            ITUNES_NS,
        ];
        if !MODULES.contains(&namespace) {
            continue;
        }
        let name = node.tag_name().name();
        let value = text(node);
        let problem = match (namespace, name) {
            (DC_NS | DCTERMS_NS, "date" | "created" | "modified" | "issued")
                if !is_w3cdtf(&value) =>
            {
                Some("a W3C-DTF date such as 2022-06-01T17:52:50+08:00 (with a zone if it has a time)")
            }
            (DC_NS | DCTERMS_NS, "language") if !is_language_tag(&value) => {
                findings.add(
                    at(doc, node),
                    Rule::LanguageTag,
                    format!("<dc:language> {value:?} is not a language tag such as en-US"),
                );
                None
            }
            (GEO_NS, "lat") | (ICBM_NS | GEOURL_NS, "latitude") if !is_coordinate(&value, 90.0) => {
                Some("a latitude between -90 and 90")
            }
            (GEO_NS, "long") | (ICBM_NS | GEOURL_NS, "longitude")
                if !is_coordinate(&value, 180.0) =>
            {
                Some("a longitude between -180 and 180")
            }
            (SLASH_NS, "comments") if value.parse::<u64>().is_err() => Some("a number"),
            (SLASH_NS, "hit_parade") if !value.split(',').all(|n| n.trim().parse::<u64>().is_ok()) => {
                Some("numbers separated by commas")
            }
            (SY_NS, "updatePeriod")
                if !matches!(value.as_str(), "hourly" | "daily" | "weekly" | "monthly" | "yearly") =>
            {
                Some("hourly, daily, weekly, monthly or yearly")
            }
            (SY_NS, "updateFrequency") if value.parse::<u64>().map_or(true, |n| n == 0) => {
                Some("a positive number")
            }
            (SY_NS, "updateBase") if !is_w3cdtf(&value) => Some("a W3C-DTF date"),
            (TRACKBACK_NS, "ping" | "about") => trackback(node, &value, rdf),
            (ITUNES_NS, "explicit")
                if !matches!(value.to_ascii_lowercase().as_str(), "yes" | "no" | "clean" | "true" | "false") =>
            {
                Some("yes, no, clean, true or false")
            }
            (ITUNES_NS, "image")
                if !node.attribute("href").is_some_and(|h| is_absolute_iri(h.trim())) =>
            {
                Some("empty, with an href that is an absolute URL")
            }
            (ITUNES_NS, "category") if node.attribute("text").is_none() => {
                Some("empty, with a text attribute naming the category")
            }
            _ => None,
        };
        if let Some(form) = problem {
            let prefix = node.lookup_prefix(namespace).unwrap_or("");
            findings.add(
                at(doc, node),
                Rule::RssModule,
                format!("<{prefix}:{name}> {value:?} is not {form}"),
            );
        }
    }
}

/// A trackback link: text in RSS 2.0, an `rdf:resource` in RSS 1.0.
fn trackback(node: Node<'_, '_>, value: &str, rdf: bool) -> Option<&'static str> {
    if rdf {
        let resource = node.attribute((RDF_NS, "resource"));
        (!resource.is_some_and(|r| is_absolute_iri(r.trim())))
            .then_some("empty, with an rdf:resource that is an absolute URL (RSS 1.0)")
    } else {
        (!is_absolute_iri(value) || node.attributes().len() > 0)
            .then_some("an absolute URL as text, with no attributes (RSS 2.0)")
    }
}
