//! The site as read: its channel, its templates, and where its articles are.

use std::path::PathBuf;

use super::Channel;

/// Everything of a site but its articles, which are read as they are needed.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub(crate) channel: Channel,
    pub(crate) templates: Vec<SiteTemplate>,
    /// The data folder, as the user named it (for messages and assets).
    pub(crate) data_dir: PathBuf,
    /// Where the articles are: `articles/` in the data folder, `feed.toml`'s
    /// `articles`, or the generator's content folder.
    pub(crate) articles_dir: PathBuf,
    /// What an article's path is taken relative to: the articles folder,
    /// or the generator's content folder (Hugo's sections and links
    /// between posts start there).
    pub(crate) content_root: PathBuf,
    /// The generator's configuration file make-feed read, if any.
    pub(crate) generator_config: Option<PathBuf>,
    /// `feed.toml`, where it is and its text (for messages about the files
    /// it names).
    pub(crate) config_path: PathBuf,
    pub(crate) config_text: String,
}

/// A template (or the stylesheet) a site supplies in `feed-data/templates/`,
/// replacing the built-in one of the same name or adding one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SiteTemplate {
    /// The file name, e.g. `page.html`.
    pub(crate) name: String,
    pub(crate) text: String,
    /// Where it was read from, for messages.
    pub(crate) path: PathBuf,
}
