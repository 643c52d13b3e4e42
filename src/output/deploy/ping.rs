//! WebSub (W3C Recommendation, 2018): after a deploy changed a feed, tell
//! each hub the feed names, so that it fetches the feed and pushes the news
//! to subscribers within seconds instead of at their next poll.
//!
//! The publish request is the de facto one every hub takes (the
//! Recommendation leaves it to the hub): a form POST of
//! `hub.mode=publish` and `hub.url=<feed URL>`. Any 2xx is success. A
//! network error, 429 or 5xx is tried again, after 1, 2 and 4 seconds; any
//! other answer is final.

use std::time::Duration;

use url::Url;

/// How many times one notification is sent before it is given up.
pub(crate) const ATTEMPTS: u32 = 4;

/// What became of one notification.
#[derive(Debug)]
pub(crate) struct Ping {
    pub(crate) hub: Url,
    pub(crate) feed: Url,
    pub(crate) attempts: u32,
    /// The hub's status on success; what went wrong otherwise.
    pub(crate) outcome: Result<u16, String>,
}

/// Tells every hub in `hubs` that every feed in `feeds` changed, one
/// request per hub and feed.
pub(crate) fn ping(hubs: &[Url], feeds: &[Url]) -> Vec<Ping> {
    if hubs.is_empty() || feeds.is_empty() {
        return Vec::new();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return failed_all(hubs, feeds, &e.to_string()),
    };
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .user_agent(concat!("make-feed/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(client) => client,
        Err(e) => return failed_all(hubs, feeds, &e.to_string()),
    };
    runtime.block_on(async {
        let mut pings = Vec::new();
        for hub in hubs {
            for feed in feeds {
                pings.push(notify(&client, hub, feed).await);
            }
        }
        pings
    })
}

async fn notify(client: &reqwest::Client, hub: &Url, feed: &Url) -> Ping {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("hub.mode", "publish")
        .append_pair("hub.url", feed.as_str())
        .finish();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let sent = client
            .post(hub.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await;
        let (outcome, again) = match sent {
            Ok(answer) if answer.status().is_success() => (Ok(answer.status().as_u16()), false),
            Ok(answer) => {
                let status = answer.status();
                let again = status.is_server_error() || status.as_u16() == 429;
                (Err(format!("the hub answered {status}")), again)
            }
            Err(e) => (Err(format!("could not reach the hub: {e}")), true),
        };
        if !again || attempts == ATTEMPTS {
            return Ping {
                hub: hub.clone(),
                feed: feed.clone(),
                attempts,
                outcome,
            };
        }
        tokio::time::sleep(Duration::from_secs(1 << (attempts - 1))).await;
    }
}

fn failed_all(hubs: &[Url], feeds: &[Url], why: &str) -> Vec<Ping> {
    hubs.iter()
        .flat_map(|hub| {
            feeds.iter().map(|feed| Ping {
                hub: hub.clone(),
                feed: feed.clone(),
                attempts: 0,
                outcome: Err(why.to_string()),
            })
        })
        .collect()
}
