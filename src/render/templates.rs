//! The templates a site is built with: the built-in ones
//! (`src/render/templates/`), each replaced by the site's own file of the
//! same name from `feed-data/templates/`, plus any extra the site includes.

use std::path::PathBuf;

use super::STYLESHEET;
use crate::model::SiteTemplate;

/// The built-in templates and stylesheet, by name.
const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("page.html", include_str!("templates/page.html")),
    ("index.html", include_str!("templates/index.html")),
    ("list.html", include_str!("templates/list.html")),
    ("style.css", include_str!("templates/style.css")),
];

/// The templates a site is built with: the built-in ones, each replaced by
/// the site's own file of the same name, plus any extra the site includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Templates {
    /// Name, source text, and the file it came from (`None` for built-ins).
    sources: Vec<(String, String, Option<PathBuf>)>,
}

impl Templates {
    /// The built-in templates with the site's own in place of those of the
    /// same name.
    pub(crate) fn new(site: &[SiteTemplate]) -> Templates {
        let mut sources: Vec<(String, String, Option<PathBuf>)> = BUILT_IN
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string(), None))
            .collect();
        for template in site {
            let replacement = (
                template.name.clone(),
                template.text.clone(),
                Some(template.path.clone()),
            );
            match sources
                .iter_mut()
                .find(|(name, _, _)| *name == template.name)
            {
                Some(slot) => *slot = replacement,
                None => sources.push(replacement),
            }
        }
        Templates { sources }
    }

    /// The text of the template called `name`.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.find(name).map(|(_, text, _)| text.as_str())
    }

    /// Where the template called `name` comes from, for messages.
    pub(super) fn origin(&self, name: &str) -> PathBuf {
        match self.find(name) {
            Some((_, _, Some(path))) => path.clone(),
            _ => PathBuf::from(format!("(built-in template) {name}")),
        }
    }

    fn find(&self, name: &str) -> Option<&(String, String, Option<PathBuf>)> {
        self.sources.iter().find(|(n, _, _)| n == name)
    }

    /// Every template by name and text, built-in or the site's.
    pub(super) fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources
            .iter()
            .map(|(name, text, _)| (name.as_str(), text.as_str()))
    }

    /// The templates pages are made from, by name and text (the stylesheet
    /// is a file of its own): what a kept page depends on.
    pub(crate) fn page_sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources().filter(|(name, _)| *name != STYLESHEET)
    }
}
