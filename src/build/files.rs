//! Step 4: the data files articles refer to, staged as copies once every
//! page and feed is staged (the build's own files win over a data file of
//! the same path), and a warning for each referenced file that is missing.

use rayon::prelude::*;

use super::Build;
use crate::error::{Diagnostic, Result};
use crate::output::{assets, CopyOutcome};

impl Build<'_> {
    /// Stages the copies and gives how many files were referenced and
    /// published.
    pub(super) fn copy_files(&self) -> Result<usize> {
        let data_dir = &self.site.data_dir;
        let (found, unresolved) = self.assets.take();
        let ((copies, clashes), missing) = self.stager.with_staged(|produced| {
            (
                assets::to_copy(&found, produced, data_dir),
                assets::missing(&unresolved, produced, data_dir),
            )
        });
        self.warn(clashes);
        let left_out: Vec<Diagnostic> = copies
            .par_iter()
            .filter_map(|(path, source)| {
                let not_published = |why: String, help: &str| {
                    let shown = data_dir.join(path);
                    Some(Ok(
                        Diagnostic::new(shown, format!("is not published: {why}")).help(help)
                    ))
                };
                match self.stager.add_copy(path.clone(), source) {
                    Ok(CopyOutcome::Staged | CopyOutcome::AlreadyThere) => None,
                    Ok(CopyOutcome::NotOurs) => not_published(
                        format!(
                            "{} is a file make-feed did not write",
                            self.stager.out_dir().join(path).display()
                        ),
                        "move that file away, or rename this one and the links to it",
                    ),
                    Ok(CopyOutcome::Blocked(file)) => not_published(
                        format!("{} is a file where its folder should be", file.display()),
                        "if make-feed wrote that file, the next build publishes this one; if not, move it away",
                    ),
                    Err(error) => Some(Err(error)),
                }
            })
            .collect::<Result<_>>()?;
        self.warn(left_out);
        self.warn(missing);
        Ok(copies.len())
    }
}
