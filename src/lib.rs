//! make-feed turns a folder of Markdown articles (`feed-data/`) into RSS 2.0
//! and Atom 1.0 feeds carrying the full articles.
//!
//! Data flows one way: [`read`] turns the input into the [`model`], [`plan`]
//! decides which documents hold which entries, the [`render`] modules turn
//! each document into bytes, and [`publish`] writes them.
//! See `ARCHITECTURE.md` for the map and the invariants.

pub mod article;
pub mod assets;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod dates;
pub mod error;
pub mod markdown;
pub mod model;
pub mod new;
pub mod plan;
pub mod publish;
pub mod read;
pub mod render;
pub mod serve;
pub mod slug;
pub mod text;
pub mod toml_input;

pub use build::{build, Options, Report};
pub use error::{Diagnostic, Error, Result};
