//! Errors and warnings, each carrying where it came from.
//!
//! Every problem with the input is a [`Diagnostic`]: the file, the line when
//! known, the field when known, what is wrong and what to do about it. The
//! binary prints them as `path:line: field `x`: message` so that editors and
//! terminals can jump to the spot.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A problem found in one place of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line in `path`, when the problem has a place in the file.
    pub line: Option<usize>,
    /// The key in `feed.toml` or the front matter the problem is about.
    pub field: Option<String>,
    pub message: String,
    /// What the user can do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            field: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn maybe_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Why a build did not publish anything.
#[derive(Debug)]
pub enum Error {
    /// The input is wrong; the user has to change a file.
    Input(Diagnostic),
    /// Several files are wrong: the first ones in full, and how many more.
    Inputs {
        diagnostics: Vec<Diagnostic>,
        more: usize,
    },
    /// Reading or writing failed at the operating-system level.
    Io { path: PathBuf, source: io::Error },
    /// Publishing stopped part way: `published` of `total` outputs were
    /// renamed into place before `path` could not be.
    Partial {
        path: PathBuf,
        source: io::Error,
        published: usize,
        total: usize,
    },
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Input(diagnostic)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(diagnostic) => diagnostic.fmt(f),
            Error::Inputs { diagnostics, more } => {
                for (i, diagnostic) in diagnostics.iter().enumerate() {
                    if i > 0 {
                        write!(f, "\nerror: ")?;
                    }
                    diagnostic.fmt(f)?;
                }
                if *more > 0 {
                    write!(f, "\nerror: {more} more files have errors, not shown; fix these and build again to see them")?;
                }
                write!(f, "\n{} files have errors", diagnostics.len() + more)
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Partial {
                path,
                source,
                published,
                total,
            } => write!(
                f,
                "{}: {source}; {published} of {total} new or changed files were already published",
                path.display()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Input(_) | Error::Inputs { .. } => None,
            Error::Io { source, .. } | Error::Partial { source, .. } => Some(source),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
