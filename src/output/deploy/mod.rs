//! Publishing the output folder to an object store (or another folder):
//! only what changed, in an order readers never see broken, deleting only
//! what an earlier deploy put there and the build no longer produces.
//!
//! A deploy reads the files the last build wrote (the manifest), under the
//! output folder's lock so that no build changes them meanwhile; lists the
//! store and reads its [`record`]; [`plan`](plan::plan)s the steps; records
//! the objects it is about to add; runs the steps one by one; and writes
//! the record last. Killed at any point, it
//! leaves every object whole (a store replaces an object at once) and the
//! previous record in place, so the next deploy uploads what is missing.

mod kind;
pub(crate) mod ping;
mod plan;
mod record;
mod store;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use url::Url;

pub(crate) use kind::Kind;
pub(crate) use plan::{Action, Plan, Step};

use super::lock::OutputLock;
use super::{halt, manifest};
use crate::error::{Diagnostic, Error, Result};
use crate::model::DeployTarget;
use plan::{Local, Remote};
use record::{Record, Uploaded, RECORD};
use store::Store;

/// The output folder and the store, read, ready to plan and publish.
pub(crate) struct Deployment {
    _lock: OutputLock,
    out_dir: PathBuf,
    store: Store,
    local: Vec<Local>,
    remote: HashMap<String, Remote>,
    record: Record,
}

impl Deployment {
    /// Reads what the last build into `out_dir` wrote and what `target`
    /// holds.
    pub(crate) fn open(
        out_dir: &Path,
        target: &DeployTarget,
        endpoint: Option<&Url>,
        on_wait: &dyn Fn(&str),
    ) -> Result<Deployment> {
        let lock = OutputLock::acquire(out_dir, on_wait)?;
        let paths = manifest::read(out_dir)?;
        let paths: Vec<&str> = paths
            .lines()
            .filter(|p| manifest::is_own_output(p))
            .collect();
        if paths.is_empty() {
            return Err(
                Diagnostic::new(out_dir, "holds no build of make-feed's to deploy")
                    .help(
                        "run `make-feed build` first (deploy publishes what the last build wrote)",
                    )
                    .into(),
            );
        }
        let local = paths
            .iter()
            .map(|path| {
                let file = out_dir.join(path);
                let bytes = fs::read(&file).map_err(|e| Error::io(&file, e))?;
                Ok(Local {
                    path: (*path).to_string(),
                    size: bytes.len() as u64,
                    hash: record::hash(&bytes),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let store = Store::open(target, endpoint)?;
        let remote = store.list()?;
        let record = match store.get(RECORD)? {
            Some(bytes) => Record::parse(&String::from_utf8_lossy(&bytes)),
            None => Record::default(),
        };
        Ok(Deployment {
            _lock: lock,
            out_dir: out_dir.to_path_buf(),
            store,
            local,
            remote,
            record,
        })
    }

    pub(crate) fn plan(&self) -> Plan {
        plan::plan(&self.local, &self.remote, &self.record)
    }

    /// Runs `plan`'s steps in order, telling `on_step` after each, then
    /// writes the record (and, when objects are added, a provisional one
    /// first).
    pub(crate) fn run(self, plan: &Plan, on_step: &dyn Fn(&Step)) -> Result<()> {
        let hashes: HashMap<&str, &str> = self
            .local
            .iter()
            .map(|file| (file.path.as_str(), file.hash.as_str()))
            .collect();
        // Objects about to be added are recorded before the first upload
        // (with no ETag, so none counts as current): a deploy killed after
        // adding one, followed by a build that no longer produces it, still
        // deletes it.
        let mut provisional = self.record.clone();
        for step in plan.steps.iter().filter(|s| s.action != Action::Delete) {
            provisional
                .objects
                .entry(step.path.clone())
                .or_insert_with(|| Uploaded {
                    hash: hashes[step.path.as_str()].to_string(),
                    e_tag: String::new(),
                });
        }
        if provisional != self.record {
            self.store
                .put(RECORD, provisional.text().into_bytes(), Kind::Asset)?;
            halt::step();
        }
        for step in &plan.steps {
            match step.action {
                Action::Add | Action::Replace => {
                    let file = self.out_dir.join(&step.path);
                    let bytes = fs::read(&file).map_err(|e| Error::io(&file, e))?;
                    if record::hash(&bytes) != hashes[step.path.as_str()] {
                        return Err(
                            Diagnostic::new(&file, "changed while it was being deployed")
                                .help("deploy again")
                                .into(),
                        );
                    }
                    self.store.put(&step.path, bytes, step.kind)?;
                }
                Action::Delete => self.store.delete(&step.path)?,
            }
            halt::step();
            on_step(step);
        }
        // The ETags the store gives what it holds now, for the next deploy.
        let listed = self.store.list()?;
        let objects = self
            .local
            .iter()
            .filter_map(|file| {
                let e_tag = listed.get(&file.path)?.e_tag.clone()?;
                let uploaded = Uploaded {
                    hash: file.hash.clone(),
                    e_tag,
                };
                Some((file.path.clone(), uploaded))
            })
            .collect();
        let record = Record { objects };
        if record != self.record {
            self.store
                .put(RECORD, record.text().into_bytes(), Kind::Asset)?;
            halt::step();
        }
        Ok(())
    }
}
