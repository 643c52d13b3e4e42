//! What a reader sees over HTTP: which files are served, with which media
//! types, and the answers to conditional requests.
//!
//! tower-http's `ServeDir` does the file serving. It takes `ETag` (size and
//! modification time to the nanosecond) and `Last-Modified` from the file it
//! has opened, so the validators always describe the bytes sent, and it
//! answers `If-None-Match` before `If-Modified-Since` as RFC 9110 asks. Every
//! published file is a new file with a new modification time, so its `ETag`
//! changes with each rebuild that changes it, and only then.

use std::io;
use std::path::Path;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use percent_encoding::percent_decode_str;
use tokio::sync::watch;
use tower_http::services::ServeDir;

use super::reload::{self, with_script, Status, EVENTS, SCRIPT};
use crate::model::Format;

/// The HTTP side alone: answers GET and HEAD for the files in `out_dir` with
/// [`content_type`]'s media types, `ETag`, `Last-Modified` and `304 Not
/// Modified`. `/` and `/dir/` answer with the folder's `index.html`. Names that
/// start with a dot (make-feed's own bookkeeping, `..`) are never served.
/// Pages get the [live reload](super::reload) script, whose events come
/// from `status`; a missing file gets a page that says so.
pub(super) fn router(out_dir: &Path, status: watch::Receiver<Status>) -> Router {
    let events = Router::new()
        .route(EVENTS, get(reload::events))
        .with_state(status);
    Router::new()
        .fallback(respond)
        .with_state(ServeDir::new(out_dir))
        .merge(events)
}

/// Pages larger than this are sent without the live reload script.
const MAX_PAGE_BYTES: usize = 64 << 20;

/// The 404 page: it reloads too, so it turns into the page once a rebuild
/// makes it.
fn not_found() -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Not found</title>\n\
         </head>\n<body>\n<h1>Not found</h1>\n<p>make-feed serve has no file here: the last build \
         did not write one. <a href=\"/\">Back to the front page</a>.</p>\n{SCRIPT}</body>\n</html>\n"
    );
    let mut response = (StatusCode::NOT_FOUND, Html(page)).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The `Content-Type` for a served file named `name`. Feeds get their own
/// types, and every text type says `charset=utf-8`, because some readers
/// (feedparser) take an XML file sent without a charset to be ASCII.
fn content_type(name: &str) -> &'static str {
    match Format::of_file_name(name) {
        Some(Format::Rss) => return "application/rss+xml; charset=utf-8",
        Some(Format::Atom) => return "application/atom+xml; charset=utf-8",
        Some(Format::JsonFeed) => return "application/feed+json; charset=utf-8",
        None => {}
    }
    let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
    match extension.to_ascii_lowercase().as_str() {
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        other => mime_guess::from_ext(other)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

async fn respond(State(mut files): State<ServeDir>, request: Request) -> Response {
    let Some(name) = served_name(request.uri().path()) else {
        return not_found();
    };
    let method = request.method().clone();
    let mut response = match files.try_call(request).await {
        Ok(response) => response.map(Body::new),
        // Also a path through a file (`/rss.xml/x`) or a file removed by a
        // rebuild between two steps of ServeDir.
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return not_found();
        }
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    };
    let status = response.status();
    if status == StatusCode::NOT_FOUND {
        return not_found();
    }
    let headers = response.headers_mut();
    if status == StatusCode::OK || status == StatusCode::PARTIAL_CONTENT {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(&name)));
    }
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        // Without it, browsers may keep a feed for a while on the strength of
        // an old Last-Modified and show it after a rebuild; this way they ask
        // each time and get a cheap 304 while nothing changed.
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    if status == StatusCode::OK && content_type(&name).starts_with("text/html") {
        return with_reload_script(response, &method).await;
    }
    response
}

/// A page as served: with the live reload script (a HEAD answer gives the
/// length the GET body has).
async fn with_reload_script(response: Response, method: &Method) -> Response {
    let (mut parts, body) = response.into_parts();
    if *method == Method::HEAD {
        let length = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
        if let Some(length) = length {
            parts
                .headers
                .insert(CONTENT_LENGTH, (length + SCRIPT.len()).into());
        }
        return Response::from_parts(parts, body);
    }
    let Ok(html) = to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(with_script(&html)))
}

/// The file name a request path asks for (`index.html` for a folder), or
/// `None` when the path must not be served: any segment starting with a dot,
/// which covers make-feed's `.make-feed-*` files, `..` however it is encoded,
/// and other hidden files, or longer than any file name can be.
fn served_name(path: &str) -> Option<String> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    // A backslash separates folders on Windows, where a segment could hide a
    // `..` from the check otherwise.
    let segments: Vec<&str> = decoded.split(['/', '\\']).collect();
    // No file has a name over 255 bytes: asking for one is a 404, not an
    // operating-system error.
    if segments
        .iter()
        .any(|segment| segment.starts_with('.') || segment.len() > 255)
    {
        return None;
    }
    match segments.last() {
        Some(&"") | None => Some("index.html".to_string()),
        Some(name) => Some(name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_have_their_own_types_and_text_says_utf_8() {
        let cases = [
            ("rss.xml", "application/rss+xml; charset=utf-8"),
            ("rss-12.xml", "application/rss+xml; charset=utf-8"),
            ("atom.xml", "application/atom+xml; charset=utf-8"),
            ("atom-3.xml", "application/atom+xml; charset=utf-8"),
            ("rss-x.xml", "application/xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("feed.json", "application/feed+json; charset=utf-8"),
            ("data.json", "application/json; charset=utf-8"),
            ("index.html", "text/html; charset=utf-8"),
            ("style.CSS", "text/css; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("photo.jpg", "image/jpeg"),
            ("logo.png", "image/png"),
            ("noextension", "application/octet-stream"),
        ];
        for (name, expected) in cases {
            assert_eq!(content_type(name), expected, "{name}");
        }
    }

    #[test]
    fn hidden_names_and_parent_folders_are_not_served() {
        assert_eq!(served_name("/rss.xml").as_deref(), Some("rss.xml"));
        assert_eq!(
            served_name("/categories/%E6%89%BF%E5%BE%B7/atom.xml").as_deref(),
            Some("atom.xml")
        );
        assert_eq!(served_name("/").as_deref(), Some("index.html"));
        assert_eq!(served_name("/categories/").as_deref(), Some("index.html"));
        for path in [
            "/.make-feed-manifest",
            "/.make-feed-lock",
            "/%2emake-feed-manifest",
            "/../feed-data/feed.toml",
            "/%2e%2e/feed-data/feed.toml",
            "/a/%2E%2E%2F%2E%2E/etc/passwd",
            "/a%2f..%2f..%2fetc/passwd",
            "/a\\..\\secret",
            "/%ff.xml",
        ] {
            assert_eq!(served_name(path), None, "{path}");
        }
    }
}
