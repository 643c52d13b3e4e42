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
under articles/. It writes rss.xml (RSS 2.0), atom.xml (Atom 1.0) and feed.json (JSON \
Feed 1.1), each with the full article content, plus the same for every category and, if \
feed.toml asks for them, RFC 5005 archive pages; a page for every article, index.html with \
links to every feed, style.css, and the images and files articles link to. All of it goes into \
an output folder (public/ by default) ready to copy to any static web server. Templates in \
feed-data/templates/ replace the built-in ones. `make-feed serve` previews the site while you \
write; `make-feed check` validates feed files; `make-feed deploy` publishes the output folder to \
object storage and tells WebSub hubs.\n\n\
Run with no command, make-feed builds: `make-feed` is `make-feed build --data feed-data --out public`.",
    after_long_help = "EXAMPLES:\n  \
make-feed                                  build feed-data/ into public/\n  \
make-feed build --data site --out dist     build site/ into dist/\n  \
make-feed check public/*.xml public/*.json validate the feeds\n  \
make-feed serve                            preview at http://127.0.0.1:8000/\n  \
make-feed deploy --to s3://bucket/feeds    publish public/ to S3\n\n\
A build either succeeds as a whole or changes nothing: bad input stops it with a message \
naming the file, line and field, and the previous outputs stay as they were.\n\n\
EXIT STATUS:\n  0  the feeds are built\n  1  the input has an error, a file could not be read or written, or serve could not listen\n  2  the command line is wrong"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the feeds and the site (the default when no command is given)
    #[command(
        long_about = "Read feed.toml and articles/**/*.md from the data folder and write \
rss.xml, atom.xml and feed.json (and category feeds and archive pages), a page per article, \
index.html and style.css into the output folder, with the files articles link to. Files and \
folders whose names start with a dot are ignored. Every feed is checked with make-feed check's rules before it is published. Outputs are written to temporary files and \
renamed into place only when the whole build has succeeded; unchanged files are not \
rewritten."
    )]
    Build(BuildArgs),
    /// Check feed files (RSS, Atom, JSON Feed) against the W3C validator's rules
    #[command(
        long_about = "Check feed files against rules modelled on the W3C Feed Validation Service: \
well-formedness, encodings and illegal characters, required elements and those allowed once, RFC 822 \
and RFC 3339 dates, implausible dates, absolute links, guid and id uniqueness and form, self links, \
e-mail addresses, Atom's text, content and person constructs, links and IRIs, xml:base and xml:lang, \
the common RSS modules, relative URLs in content, unknown elements, and JSON Feed's fields and types. \
RSS 2.0 (and 0.91 to 0.94), RSS 1.0 and 0.90, Atom 1.0 and JSON Feed 1.1 are found from the content, \
not the file name.\n\n\
Each finding is printed as `file:line:column: error|warning: message [rule-id]`. The exit status \
is 1 if any file has an error (with --strict, also a warning), 0 otherwise.",
        after_long_help = "EXAMPLES:\n  make-feed check public/*.xml public/*.json\n  make-feed check --strict --format json feed.xml\n  make-feed check --format github public/atom.xml"
    )]
    Check(CheckArgs),
    /// Start a new article: writes articles/<slug>.md with its front matter filled in
    #[command(
        long_about = "Write articles/<slug>.md in the data folder with the title and the \
publication time (now, in feed.toml's time zone) filled in, ready to edit. The slug comes \
from the title unless --slug is given. An existing file is never overwritten.",
        after_long_help = "EXAMPLES:\n  make-feed new \"疫线党员干部的“硬核”担当\"\n  make-feed new \"Release notes\" --slug release-2-0"
    )]
    New(NewArgs),
    /// Write a feed.toml for the Hugo, Jekyll or Zola site here, or start a new site
    #[command(
        long_about = "In a Hugo, Jekyll or Zola site's folder, write feed-data/feed.toml for it: \
make-feed finds the site's configuration (hugo.toml, _config.yml, config.toml), reads its posts \
as that generator does, and writes the feeds only (pages = false) at the site's own URLs, with \
the ids the generator's own feed used. Every setting it wrote is explained in a comment. In any \
other folder, start a new make-feed site: feed-data/feed.toml and one example article. An \
existing file is never overwritten.",
        after_long_help = "EXAMPLES:\n  cd my-hugo-site && make-feed init && make-feed\n  make-feed init --data site"
    )]
    Init(InitArgs),
    /// Build, then serve the output folder on this machine and rebuild when the data changes
    #[command(
        long_about = "Build the data folder into the output folder as `make-feed build` does, then \
serve the output folder over HTTP on 127.0.0.1 (this machine only) and rebuild whenever a file in \
the data folder changes, so that a feed reader or a browser pointed at it shows each edit.\n\n\
Feeds are sent as application/rss+xml, application/atom+xml and application/feed+json, HTML as \
text/html, each with charset=utf-8, and every file with ETag and Last-Modified, so that readers \
that ask again get 304 Not Modified until a rebuild changes the file. `/` and `/dir/` serve \
index.html; make-feed's own files (names starting with a dot) are never served.\n\n\
Once the server listens, one line on stdout gives its address: \
`Serving public at http://127.0.0.1:8000/`. If the first build fails, make-feed stops with its \
error; a later rebuild that fails prints the error and leaves the previous feeds served. \
Ctrl-C stops the server.",
        after_long_help = "EXAMPLES:\n  \
make-feed serve                            preview public/ at http://127.0.0.1:8000/\n  \
make-feed serve --port 8080                the same on port 8080\n  \
make-feed serve --port 0                   on a free port (printed on stdout)\n  \
make-feed serve --data site --out dist     build site/ into dist/ and serve dist/"
    )]
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Publish the built output folder to object storage (S3, GCS, Azure) or a folder, and notify WebSub hubs
    #[command(
        long_about = "Upload what the last `make-feed build` wrote into the output folder to a store: \
s3://bucket/prefix (Amazon S3, or any S3-compatible server with --endpoint), gs://bucket/prefix \
(Google Cloud Storage), az://container/prefix (Azure Blob Storage) or file:///folder. The target \
is --to, or else `deploy` in feed.toml. Credentials come from each cloud's standard environment \
variables and files (AWS_ACCESS_KEY_ID…, GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_…), \
never from feed.toml. deploy does not build: run `make-feed build` first.\n\n\
Only files whose content differs from what the store holds are uploaded, each with its \
Content-Type (charset=utf-8 for text) and a Cache-Control for its kind (feeds and index pages \
5 minutes, article pages and archive feeds a day, assets a week). New files go first, then \
replaced ones in the order assets, pages, list pages, archive feeds, main and category feeds, \
index.html, then deletions of files an earlier deploy put there that the build no longer \
produces; so readers never meet a link to a file not yet uploaded, and a deploy stopped at any \
point leaves a readable site that the next deploy completes. The store keeps a record of what \
was deployed in .make-feed-deploy, written last (and, when files are added, first too).\n\n\
When feed.toml names WebSub hubs (`hub`), each hub is then told of every main and category \
feed the deploy changed (hub.mode=publish), with retries; --no-ping skips that.",
        after_long_help = "EXAMPLES:\n  \
make-feed build && make-feed deploy --to s3://my-bucket/feeds\n  \
make-feed deploy --to s3://site --endpoint http://127.0.0.1:3900   an S3-compatible server\n  \
make-feed deploy --to file:///srv/www/feeds                       a web server's folder\n  \
make-feed deploy --dry-run                                        list what would change\n\n\
EXIT STATUS:\n  0  the store holds the build (and every hub was told)\n  1  the deploy stopped, or a hub could not be told\n  2  the command line is wrong"
    )]
    #[cfg(feature = "deploy")]
    Deploy(DeployArgs),
}

#[cfg(feature = "deploy")]
#[derive(Debug, Clone, Args)]
pub(crate) struct DeployArgs {
    /// The folder holding feed.toml (for `deploy`, `hub` and `base_url`)
    #[arg(long, value_name = "DIR", default_value = "feed-data")]
    pub(crate) data: PathBuf,
    /// The output folder a build wrote
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub(crate) out: PathBuf,
    /// Where to publish: s3://bucket/prefix, gs://…, az://…, file:///folder (default: `deploy` in feed.toml)
    #[arg(long, value_name = "URL")]
    pub(crate) to: Option<crate::model::DeployTarget>,
    /// An S3-compatible server's address, e.g. http://127.0.0.1:3900
    #[arg(long, value_name = "URL")]
    pub(crate) endpoint: Option<url::Url>,
    /// List what would be uploaded and deleted, in order, with sizes; change nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Do not notify the WebSub hubs
    #[arg(long)]
    pub(crate) no_ping: bool,
}

#[cfg(feature = "serve")]
#[derive(Debug, Clone, Args)]
pub(crate) struct ServeArgs {
    /// The folder holding feed.toml and articles/, watched for changes
    #[arg(long, value_name = "DIR", default_value = "feed-data")]
    pub(crate) data: PathBuf,
    /// The folder to write the feeds into and serve (created if missing)
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub(crate) out: PathBuf,
    /// The port to listen on at 127.0.0.1; 0 lets the system pick a free one
    #[arg(long, value_name = "PORT", default_value_t = 8000)]
    pub(crate) port: u16,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct InitArgs {
    /// The folder to write feed.toml into; a generator's site is looked for in the folder above it
    #[arg(long, value_name = "DIR", default_value = "feed-data")]
    pub(crate) data: PathBuf,
    /// The publication time of a new site's example article (RFC 3339; default: now)
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<chrono::DateTime<chrono::FixedOffset>>,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct NewArgs {
    /// The article's title
    pub(crate) title: String,
    /// The file name (without .md), also the article's slug
    #[arg(long)]
    pub(crate) slug: Option<String>,
    /// The folder holding feed.toml and articles/
    #[arg(long, value_name = "DIR", default_value = "feed-data")]
    pub(crate) data: PathBuf,
    /// The publication time to write (RFC 3339; default: now)
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<chrono::DateTime<chrono::FixedOffset>>,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct CheckArgs {
    /// The feed files to check
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// Fail on warnings too
    #[arg(long)]
    pub(crate) strict: bool,
    /// How to print findings
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// The URL the (single) file is served at, to compare with its self link
    #[arg(long, value_name = "URL")]
    pub(crate) url: Option<String>,
    /// The present, for "date in the future" (RFC 3339; default: the clock)
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Show at most this many findings per file (the exit status still counts them all)
    #[arg(long, value_name = "N")]
    pub(crate) max_findings: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// `file:line:column: severity: message [rule-id]`
    Text,
    /// A JSON array of findings, for machines
    Json,
    /// GitHub Actions workflow commands (`::error file=...,line=...::message`), shown on the diff
    Github,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct BuildArgs {
    /// The folder holding feed.toml and articles/
    #[arg(long, value_name = "DIR", default_value = "feed-data")]
    pub(crate) data: PathBuf,
    /// The folder to write the feeds into (created if missing)
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub(crate) out: PathBuf,
    /// The present, for a generator's drafts-and-future rules (RFC 3339; default: the clock)
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Default for BuildArgs {
    fn default() -> Self {
        BuildArgs {
            data: PathBuf::from("feed-data"),
            out: PathBuf::from("public"),
            now: None,
        }
    }
}
