//! The publish stage: rendered and checked outputs into the output folder.
//!
//! It owns the output folder: the lock that keeps two builds apart, staged
//! temporary files renamed into place only when a whole build has succeeded,
//! the manifest of what make-feed wrote (the only files it ever deletes),
//! the [`cache`] that tells which outputs of the last build are still
//! current, and which referenced data files are copied. It never reads the
//! data folder but to copy the files the input stage found.

pub(crate) mod assets;
mod cache;
mod claim;
#[cfg(feature = "deploy")]
pub(crate) mod deploy;
mod fingerprint;
mod folder;
mod halt;
mod index;
mod lock;
mod manifest;
mod stager;
mod trailer;

pub(crate) use cache::{Cache, PageLookup};
pub(crate) use fingerprint::Key;
pub(crate) use folder::{Found, OpenFolder};
pub(crate) use index::{Header, Index, NextIndex, OutputRecord, SourceView};
pub use stager::Published;
pub(crate) use stager::{CopyOutcome, Stager};

use std::sync::{Mutex, MutexGuard, PoisonError};

/// The data behind `mutex`, also when a thread panicked holding it (the
/// build then fails anyway; what matters is reporting why).
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
