//! Live reload: the open page follows the build. Every HTML page `serve`
//! sends gets a small script (in the response only, never in the built
//! files) that listens on [`EVENTS`] with server-sent events: after a
//! successful rebuild the page reloads itself; after a failed one it shows
//! the build's error over the page until the next success.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::watch;

/// Where pages listen. Its first segment starts with a dot, so no file of
/// the site can be there (hidden files are never published or served).
pub(super) const EVENTS: &str = "/.make-feed/events";

/// What the last build did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Status {
    /// How many builds have finished since `serve` started.
    pub(super) builds: u64,
    /// The failed build's message, as the terminal shows it.
    pub(super) error: Option<String>,
}

/// The script put before `</body>` of every page served.
pub(super) const SCRIPT: &str = concat!(
    "<script>/* make-feed serve: reloads after each rebuild */(()=>{",
    "const events=new EventSource(\"/.make-feed/events\");",
    "events.addEventListener(\"reload\",()=>location.reload());",
    "events.addEventListener(\"failed\",e=>{",
    "let box=document.getElementById(\"make-feed-error\");",
    "if(!box){box=document.createElement(\"pre\");box.id=\"make-feed-error\";",
    "box.style.cssText=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;",
    "margin:0;padding:1em;background:#fff0f0;color:#900;border-top:3px solid #900;",
    "font:14px/1.5 monospace;white-space:pre-wrap;z-index:2147483647\";",
    "document.body.append(box);}",
    "box.textContent=e.data;});})();</script>\n"
);

/// `html` with [`SCRIPT`] before its `</body>`, or at its end.
pub(super) fn with_script(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|window| window.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The event stream a page listens to: a `failed` event at once if the last
/// build failed, then one event per finished build.
pub(super) async fn events(
    State(status): State<watch::Receiver<Status>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut status = status;
    let first = status.borrow_and_update().error.clone().map(failed);
    let later = stream::unfold(status, |mut status| async move {
        status.changed().await.ok()?;
        let event = match &status.borrow_and_update().error {
            Some(error) => failed(error.clone()),
            None => Event::default().event("reload").data("built"),
        };
        Some((Ok(event), status))
    });
    let stream = futures_util::StreamExt::chain(stream::iter(first.map(Ok)), later);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn failed(error: String) -> Event {
    Event::default().event("failed").data(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends_or_at_the_end() {
        let html = with_script(b"<p>a</p></BODY></html>");
        assert!(html.starts_with(b"<p>a</p><script>"));
        assert!(html.ends_with(b"</script>\n</BODY></html>"));
        let bare = with_script(b"<p>a</p>");
        assert!(bare.starts_with(b"<p>a</p><script>") && bare.ends_with(b"</script>\n"));
    }
}
