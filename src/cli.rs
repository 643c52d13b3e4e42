//! The command line: what `make-feed --help` documents.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Publish a folder of Markdown articles as RSS 2.0 and Atom 1.0 feeds that
/// carry the full articles.
#[derive(Debug, Parser)]
#[command(
    name = "make-feed",
    version,
    long_about = "make-feed reads a site's articles from a folder (feed-data/ by default): \
feed.toml for the channel, and one Markdown file with TOML front matter per article \
under articles/. It writes rss.xml (RSS 2.0) and atom.xml (Atom 1.0), each with the \
full article content, into an output folder (public/ by default) ready to copy to any \
static web server.\n\n\
Run with no command, make-feed builds: `make-feed` is `make-feed build --data feed-data --out public`.",
    after_long_help = "EXAMPLES:\n  \
make-feed                                  build feed-data/ into public/\n  \
make-feed build --data site --out dist     build site/ into dist/\n\n\
A build either succeeds as a whole or changes nothing: bad input stops it with a message \
naming the file, line and field, and the previous outputs stay as they were.\n\n\
EXIT STATUS:\n  0  the feeds are built\n  1  the input has an error, or a file could not be read or written\n  2  the command line is wrong"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the feeds (the default when no command is given)
    #[command(
        long_about = "Read feed.toml and articles/**/*.md from the data folder and write \
rss.xml and atom.xml into the output folder. Outputs are written to temporary files and \
renamed into place only when the whole build has succeeded; unchanged files are not \
rewritten."
    )]
    Build(BuildArgs),
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// The folder holding feed.toml and articles/
    #[arg(long, value_name = "DIR", default_value = "feed-data")]
    pub data: PathBuf,
    /// The folder to write the feeds into (created if missing)
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
}

impl Default for BuildArgs {
    fn default() -> Self {
        BuildArgs {
            data: PathBuf::from("feed-data"),
            out: PathBuf::from("public"),
        }
    }
}
