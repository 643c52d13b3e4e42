//! The store a deploy writes to, through `object_store`: one interface for
//! S3 and its compatibles, Google Cloud Storage, Azure Blob Storage and a
//! folder. Credentials come from each cloud's own environment variables
//! and files (`from_env`), never from make-feed's input.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions};
use tokio::runtime::Runtime;
use url::Url;

use super::kind::{content_type, Kind};
use super::plan::Remote;
use crate::error::{Diagnostic, Error, Result};
use crate::model::{DeployTarget, StoreKind};

pub(crate) struct Store {
    inner: Arc<dyn ObjectStore>,
    runtime: Runtime,
    target: DeployTarget,
    /// Whether objects carry their own `Content-Type` and `Cache-Control`
    /// (a folder's web server decides those itself).
    has_headers: bool,
}

impl Store {
    /// The store `target` names; `endpoint` is an S3-compatible server's
    /// address (Garage, MinIO, Ceph, R2…) instead of Amazon's.
    pub(crate) fn open(target: &DeployTarget, endpoint: Option<&Url>) -> Result<Store> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io(PathBuf::from(target.to_string()), e))?;
        let refused = |e: object_store::Error| -> Error {
            Diagnostic::new(target.to_string(), format!("cannot open the store: {e}"))
                .help(credentials_help(target.kind()))
                .into()
        };
        if endpoint.is_some() && target.kind() != StoreKind::S3 {
            return Err(Diagnostic::new(
                target.to_string(),
                "--endpoint names an S3-compatible server, but this target is not s3://",
            )
            .help("leave out --endpoint, or deploy to s3://bucket/prefix")
            .into());
        }
        let store: Arc<dyn ObjectStore> = match target.kind() {
            StoreKind::Folder => {
                let folder = target
                    .folder()
                    .expect("a checked file:// target has a folder");
                std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
                let store = LocalFileSystem::new_with_prefix(&folder).map_err(refused)?;
                return Ok(Store {
                    inner: Arc::new(store.with_automatic_cleanup(true)),
                    runtime,
                    target: target.clone(),
                    has_headers: false,
                });
            }
            StoreKind::S3 => {
                let mut builder = AmazonS3Builder::from_env().with_bucket_name(target.bucket());
                if let Some(endpoint) = endpoint {
                    builder = builder
                        .with_endpoint(endpoint.as_str().trim_end_matches('/'))
                        .with_allow_http(endpoint.scheme() == "http");
                }
                Arc::new(builder.build().map_err(refused)?)
            }
            StoreKind::Gcs => Arc::new(
                GoogleCloudStorageBuilder::from_env()
                    .with_bucket_name(target.bucket())
                    .build()
                    .map_err(refused)?,
            ),
            StoreKind::Azure => Arc::new(
                MicrosoftAzureBuilder::from_env()
                    .with_container_name(target.bucket())
                    .build()
                    .map_err(refused)?,
            ),
        };
        let inner = match target.prefix() {
            "" => store,
            prefix => Arc::new(PrefixStore::new(store, prefix)),
        };
        Ok(Store {
            inner,
            runtime,
            target: target.clone(),
            has_headers: true,
        })
    }

    /// Every object below the prefix, with its size and `ETag`.
    pub(crate) fn list(&self) -> Result<HashMap<String, Remote>> {
        self.runtime.block_on(async {
            let mut objects = HashMap::new();
            let mut listing = self.inner.list(None);
            while let Some(meta) = listing.next().await {
                let meta = meta.map_err(|e| self.error("", "list", &e))?;
                let remote = Remote {
                    size: meta.size,
                    e_tag: meta.e_tag,
                };
                objects.insert(meta.location.to_string(), remote);
            }
            Ok(objects)
        })
    }

    /// The object at `path`, or `None` if there is none.
    pub(crate) fn get(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let location = self.location(path)?;
        self.runtime.block_on(async {
            let got = match self.inner.get(&location).await {
                Err(object_store::Error::NotFound { .. }) => return Ok(None),
                got => got.map_err(|e| self.error(path, "read", &e))?,
            };
            let bytes = got
                .bytes()
                .await
                .map_err(|e| self.error(path, "read", &e))?;
            Ok(Some(bytes.to_vec()))
        })
    }

    /// Uploads `bytes` to `path`, served as `kind` wants.
    pub(crate) fn put(&self, path: &str, bytes: Vec<u8>, kind: Kind) -> Result<()> {
        let location = self.location(path)?;
        let mut attributes = Attributes::new();
        if self.has_headers {
            attributes.insert(Attribute::ContentType, content_type(path).into());
            attributes.insert(Attribute::CacheControl, kind.cache_control().into());
        }
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.runtime
            .block_on(self.inner.put_opts(&location, bytes.into(), options))
            .map_err(|e| self.error(path, "upload", &e))?;
        Ok(())
    }

    /// Deletes the object at `path`; one already gone is no error.
    pub(crate) fn delete(&self, path: &str) -> Result<()> {
        let location = self.location(path)?;
        match self.runtime.block_on(self.inner.delete(&location)) {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.error(path, "delete", &e)),
        }
    }

    fn location(&self, path: &str) -> Result<ObjectPath> {
        ObjectPath::parse(path).map_err(|e| {
            Diagnostic::new(
                self.where_(path),
                format!("cannot be an object's name: {e}"),
            )
            .into()
        })
    }

    fn where_(&self, path: &str) -> PathBuf {
        PathBuf::from(format!(
            "{}/{path}",
            self.target.to_string().trim_end_matches('/')
        ))
    }

    fn error(&self, path: &str, doing: &str, error: &object_store::Error) -> Error {
        Diagnostic::new(self.where_(path), format!("could not {doing}: {error}"))
            .help(credentials_help(self.target.kind()))
            .into()
    }
}

/// Where each store's credentials come from.
fn credentials_help(kind: StoreKind) -> &'static str {
    match kind {
        StoreKind::S3 => "S3 credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION (or the instance's role); an S3-compatible server needs --endpoint",
        StoreKind::Gcs => "Google Cloud credentials come from GOOGLE_APPLICATION_CREDENTIALS (a service account file) or GOOGLE_SERVICE_ACCOUNT",
        StoreKind::Azure => "Azure credentials come from AZURE_STORAGE_ACCOUNT_NAME with AZURE_STORAGE_ACCOUNT_KEY (or a SAS token or managed identity)",
        StoreKind::Folder => "check that the folder exists and make-feed may write there",
    }
}
