//! An article's neighbours in the site's order, which its page links to.

/// Another article, as a link shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Neighbour {
    pub(crate) title: String,
    /// The article's own page, absolute.
    pub(crate) url: String,
}

/// The articles published just before and just after one, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Neighbours {
    pub(crate) older: Option<Neighbour>,
    pub(crate) newer: Option<Neighbour>,
}
