//! What a deploy does, in which order: a pure function of the local files,
//! what the store lists and the deploy record.
//!
//! New objects go first: nothing on the store links to them yet, so they
//! cannot be seen half-published. Then objects being replaced, by [`Kind`]
//! (assets, pages, lists, archive feeds, feeds, `index.html`), so that when
//! a replaced file starts linking to something, that thing is already
//! there. Deletions come last, once nothing published links to them.

use std::collections::{HashMap, HashSet};

use super::kind::Kind;
use super::record::Record;

/// A file of the output folder that make-feed wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Local {
    pub(crate) path: String,
    pub(crate) size: u64,
    pub(crate) hash: String,
}

/// An object as the store lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Remote {
    pub(crate) size: u64,
    pub(crate) e_tag: Option<String>,
}

/// What a step does, in the order steps run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Action {
    /// Upload a file the store does not have.
    Add,
    /// Upload a file over an object that differs (or may).
    Replace,
    /// Delete an object a deploy put there that the build no longer produces.
    Delete,
}

impl Action {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Replace => "replace",
            Action::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) action: Action,
    pub(crate) kind: Kind,
    pub(crate) path: String,
    /// The bytes uploaded, or the size of the object deleted.
    pub(crate) size: u64,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// In the order they must run.
    pub(crate) steps: Vec<Step>,
    /// Local files the store already has, byte for byte.
    pub(crate) unchanged: usize,
}

pub(crate) fn plan(local: &[Local], remote: &HashMap<String, Remote>, record: &Record) -> Plan {
    let mut plan = Plan::default();
    for file in local {
        let listed = remote.get(&file.path);
        let current =
            listed
                .zip(record.objects.get(&file.path))
                .is_some_and(|(remote, uploaded)| {
                    remote.size == file.size
                        && uploaded.hash == file.hash
                        && remote.e_tag.as_deref() == Some(uploaded.e_tag.as_str())
                });
        if current {
            plan.unchanged += 1;
            continue;
        }
        plan.steps.push(Step {
            action: if listed.is_some() {
                Action::Replace
            } else {
                Action::Add
            },
            kind: Kind::of(&file.path),
            path: file.path.clone(),
            size: file.size,
        });
    }
    let produced: HashSet<&str> = local.iter().map(|file| file.path.as_str()).collect();
    for path in record.objects.keys() {
        if let Some(remote) = remote
            .get(path)
            .filter(|_| !produced.contains(path.as_str()))
        {
            plan.steps.push(Step {
                action: Action::Delete,
                kind: Kind::of(path),
                path: path.clone(),
                size: remote.size,
            });
        }
    }
    plan.steps
        .sort_by(|a, b| (a.action, a.kind, &a.path).cmp(&(b.action, b.kind, &b.path)));
    plan
}

#[cfg(test)]
mod tests {
    use super::super::record::{hash, Uploaded};
    use super::*;

    fn local(path: &str, text: &str) -> Local {
        Local {
            path: path.into(),
            size: text.len() as u64,
            hash: hash(text.as_bytes()),
        }
    }

    /// The store and record as a deploy of `files` leaves them.
    fn deployed(files: &[Local]) -> (HashMap<String, Remote>, Record) {
        let mut remote = HashMap::new();
        let mut record = Record::default();
        for (n, file) in files.iter().enumerate() {
            let e_tag = format!("e{n}");
            remote.insert(
                file.path.clone(),
                Remote {
                    size: file.size,
                    e_tag: Some(e_tag.clone()),
                },
            );
            record.objects.insert(
                file.path.clone(),
                Uploaded {
                    hash: file.hash.clone(),
                    e_tag,
                },
            );
        }
        (remote, record)
    }

    fn steps(plan: &Plan) -> Vec<(Action, &str)> {
        plan.steps
            .iter()
            .map(|s| (s.action, s.path.as_str()))
            .collect()
    }

    #[test]
    fn a_first_deploy_adds_everything_in_reading_order() {
        let files = [
            local("index.html", "i"),
            local("rss.xml", "r"),
            local("archive/rss-1.xml", "a"),
            local("articles/a.html", "p"),
            local("categories/c/index.html", "l"),
            local("style.css", "s"),
        ];
        let plan = plan(&files, &HashMap::new(), &Record::default());
        let order: Vec<&str> = plan.steps.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "style.css",
                "articles/a.html",
                "categories/c/index.html",
                "archive/rss-1.xml",
                "rss.xml",
                "index.html"
            ]
        );
        assert!(plan.steps.iter().all(|s| s.action == Action::Add));
    }

    #[test]
    fn nothing_changed_uploads_nothing_and_an_edit_uploads_only_it() {
        let files = [local("rss.xml", "r"), local("articles/a.html", "p")];
        let (remote, record) = deployed(&files);
        assert_eq!(
            plan(&files, &remote, &record),
            Plan {
                steps: vec![],
                unchanged: 2
            }
        );
        let edited = [local("rss.xml", "r2"), local("articles/a.html", "p")];
        assert_eq!(
            steps(&plan(&edited, &remote, &record)),
            [(Action::Replace, "rss.xml")]
        );
    }

    #[test]
    fn an_object_rewritten_behind_make_feeds_back_is_uploaded_again() {
        let files = [local("rss.xml", "r")];
        let (mut remote, record) = deployed(&files);
        remote.get_mut("rss.xml").unwrap().e_tag = Some("other".into());
        assert_eq!(
            steps(&plan(&files, &remote, &record)),
            [(Action::Replace, "rss.xml")]
        );
    }

    #[test]
    fn new_files_go_first_and_only_deployed_objects_are_deleted_last() {
        let old = [local("rss.xml", "r"), local("articles/gone.html", "g")];
        let (mut remote, record) = deployed(&old);
        remote.insert(
            "theirs.txt".into(),
            Remote {
                size: 1,
                e_tag: None,
            },
        );
        let files = [local("rss.xml", "r2"), local("articles/new.html", "n")];
        assert_eq!(
            steps(&plan(&files, &remote, &record)),
            [
                (Action::Add, "articles/new.html"),
                (Action::Replace, "rss.xml"),
                (Action::Delete, "articles/gone.html"),
            ]
        );
    }
}
