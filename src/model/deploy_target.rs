//! Where `make-feed deploy` publishes: an object store and a prefix in it.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use url::Url;

/// The kinds of store a deploy can write to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoreKind {
    /// `s3://bucket/prefix`: Amazon S3 or any S3-compatible server.
    S3,
    /// `gs://bucket/prefix`: Google Cloud Storage.
    Gcs,
    /// `az://container/prefix`: Azure Blob Storage.
    Azure,
    /// `file:///path`: a folder on this machine (a web server's root).
    Folder,
}

/// A deploy target, checked: one of the schemes make-feed knows, a bucket
/// (or an absolute folder), no user name, password, query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeployTarget {
    url: Url,
    kind: StoreKind,
}

impl DeployTarget {
    #[cfg_attr(not(feature = "deploy"), allow(dead_code))]
    pub(crate) fn kind(&self) -> StoreKind {
        self.kind
    }

    /// The bucket or container (empty for a folder).
    pub(crate) fn bucket(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// The prefix below the bucket, without leading or trailing `/`.
    #[cfg_attr(not(feature = "deploy"), allow(dead_code))]
    pub(crate) fn prefix(&self) -> &str {
        self.url.path().trim_matches('/')
    }

    /// The folder of a `file://` target.
    pub(crate) fn folder(&self) -> Option<PathBuf> {
        (self.kind == StoreKind::Folder)
            .then(|| self.url.to_file_path().ok())
            .flatten()
    }
}

impl FromStr for DeployTarget {
    type Err = String;

    fn from_str(text: &str) -> Result<DeployTarget, String> {
        let url = Url::parse(text).map_err(|e| {
            format!("{text:?} is not a URL ({e}); give s3://bucket/prefix, gs://…, az://… or file:///folder")
        })?;
        let kind = match url.scheme() {
            "s3" => StoreKind::S3,
            "gs" => StoreKind::Gcs,
            "az" => StoreKind::Azure,
            "file" => StoreKind::Folder,
            other => {
                return Err(format!(
                    "{text:?}: make-feed cannot deploy to {other}:// (it knows s3://, gs://, az:// and file://)"
                ))
            }
        };
        if !url.username().is_empty() || url.password().is_some() {
            // Not echoed: the message would print the password.
            return Err("the deploy URL holds a user name or password; credentials come from the cloud's environment variables and files, never from the URL".to_string());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("{text:?} has a query or fragment"));
        }
        let target = DeployTarget { url, kind };
        match kind {
            StoreKind::Folder
                if target.folder().is_none()
                    || target.url.host_str().is_some_and(|h| !h.is_empty()) =>
            {
                Err(format!(
                    "{text:?} is not an absolute folder (write file:///srv/www)"
                ))
            }
            StoreKind::S3 | StoreKind::Gcs | StoreKind::Azure if target.bucket().is_empty() => {
                Err(format!(
                    "{text:?} names no bucket (write {}://bucket/prefix)",
                    target.url.scheme()
                ))
            }
            _ => Ok(target),
        }
    }
}

impl fmt::Display for DeployTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_name_a_store_a_bucket_and_a_prefix() {
        let target: DeployTarget = "s3://site/feeds/".parse().unwrap();
        assert_eq!(target.kind(), StoreKind::S3);
        assert_eq!((target.bucket(), target.prefix()), ("site", "feeds"));
        let target: DeployTarget = "file:///srv/www".parse().unwrap();
        assert_eq!(target.folder(), Some(PathBuf::from("/srv/www")));
        assert_eq!(target.prefix(), "srv/www");
    }

    #[test]
    fn unknown_schemes_credentials_and_missing_buckets_are_refused() {
        for bad in [
            "ftp://h/p",
            "s3:///p",
            "s3://key:secret@b/p",
            "site/feeds",
            "file://host/x",
        ] {
            assert!(bad.parse::<DeployTarget>().is_err(), "{bad}");
        }
        let message = "s3://key:secret@b/p".parse::<DeployTarget>().unwrap_err();
        assert!(!message.contains("secret"));
    }
}
