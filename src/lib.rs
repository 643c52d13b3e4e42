//! make-feed turns a folder of Markdown articles (`feed-data/`) into RSS 2.0
//! and Atom 1.0 feeds carrying the full articles.
//!
//! Data flows one way: [`read`] turns the input into the [`model`], the
//! [`render`] modules turn the model into bytes, and [`publish`] writes them.
//! See `ARCHITECTURE.md` for the map and the invariants.

pub mod article;
pub mod build;
pub mod cli;
pub mod config;
pub mod dates;
pub mod error;
pub mod markdown;
pub mod model;
pub mod publish;
pub mod read;
pub mod render;
pub mod text;
pub mod toml_input;

pub use build::{build, Report};
pub use error::{Diagnostic, Error, Result};
