//! The integration tests: one binary, one module per subject. Each runs the
//! real `make-feed` binary on a data folder laid out by [`common::Test`].

mod common;

mod archives;
mod bounds;
mod check;
mod crawl;
#[cfg(feature = "deploy")]
mod deploy;
mod errors;
mod fuzz;
#[cfg(feature = "deploy")]
mod garage;
mod generators;
mod hostile;
mod hosting;
mod matrix;
mod messages;
mod new;
mod output;
mod ownership;
mod readers;
mod rebuild;
mod roundtrip;
#[cfg(feature = "serve")]
mod serve;
mod site;
mod w3c;
