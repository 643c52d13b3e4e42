//! The domain model: what a site is once its input has been read, and the
//! documents every output format is rendered from.
//!
//! It owns no behaviour beyond naming things: where a document lives
//! ([`Place`], [`Format`]), how categories, slugs and ids are spelled, and the
//! paths below the output folder that URLs name. Everything here is already
//! checked and normalised by the input stage: URLs are absolute, dates carry
//! the offset they were published in, text holds no character XML forbids,
//! HTML is sanitised. Renderers can therefore format without re-validating.

mod channel;
mod deploy_target;
mod dialect;
mod document;
mod entry;
mod id;
mod listing;
mod neighbours;
mod permalink;
mod place;
mod site;
mod site_path;
mod slug;
mod stamp;

pub(crate) use channel::{Channel, Person};
pub(crate) use deploy_target::DeployTarget;
#[cfg(feature = "deploy")]
pub(crate) use deploy_target::StoreKind;
pub(crate) use dialect::{Dialect, Generator, IdScheme};
pub(crate) use document::{Document, History};
pub(crate) use entry::{Entry, Head, Source};
pub(crate) use id::tag_uri;
pub(crate) use listing::{Listing, LISTING_PAGE_SIZE};
pub(crate) use neighbours::{Neighbour, Neighbours};
pub(crate) use permalink::{Permalink, PermalinkValues};
pub(crate) use place::{Format, Place};
pub(crate) use site::{Site, SiteTemplate};
pub(crate) use site_path::{has_site_path, is_safe_path, on_site, relative_href, site_path};
pub use slug::category_slug;
pub(crate) use slug::{check_slug, is_reserved, is_uri, uri_component};
pub(crate) use stamp::{Recorded, Stamp};
