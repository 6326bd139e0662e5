//! The demo's HTTP techniques against curl, a client nobody here wrote: SSE replay after
//! `Last-Event-ID` (what an `EventSource` reconnect sends), polling with ETag/304, and a held
//! long-poll request released by a chat message.

mod common;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{require, Demo};

fn have_curl() -> bool {
    require(
        "curl",
        Command::new("curl").arg("--version").output().is_ok(),
    )
}

fn curl(args: &[&str]) -> Output {
    Command::new("curl")
        .args(["-s", "--max-time", "30"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run curl")
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The newest event id, from `/api/poll`'s JSON body.
fn last_id(demo: &Demo) -> u64 {
    let body = text(&curl(&[&demo.url("/api/poll")]));
    let v: serde_json::Value = serde_json::from_str(&body).expect(&body);
    v["last_id"].as_u64().expect("last_id")
}

/// Reads the SSE stream for `secs` seconds (curl stops itself) and returns the `id:` values in
/// order, plus the whole text.
fn sse_ids(demo: &Demo, last_event_id: Option<u64>, secs: &str) -> (Vec<u64>, String) {
    let header = last_event_id.map(|id| format!("Last-Event-ID: {id}"));
    let mut args = vec!["-N", "--max-time", secs];
    if let Some(h) = &header {
        args.extend(["-H", h.as_str()]);
    }
    let url = demo.url("/api/sse");
    args.push(&url);
    let out = Command::new("curl")
        .arg("-s")
        .args(&args)
        .output()
        .expect("run curl");
    let body = text(&out);
    let ids = body
        .lines()
        .filter_map(|l| l.strip_prefix("id:"))
        .map(|v| v.trim_start().parse().expect("numeric id"))
        .collect();
    (ids, body)
}

#[test]
fn sse_reconnect_replays_after_last_event_id() {
    if !have_curl() {
        return;
    }
    let demo = Demo::start(100);
    let start = Instant::now();
    while last_id(&demo) < 6 {
        assert!(start.elapsed() < Duration::from_secs(20), "no ticks");
        std::thread::sleep(Duration::from_millis(100));
    }
    // A reconnect after id 2: the stream replays 3, 4, … with no gap, then goes on live.
    let (ids, body) = sse_ids(&demo, Some(2), "1");
    assert!(
        body.starts_with("retry:") || body.contains("\nretry:"),
        "{body}"
    );
    assert!(ids.len() >= 4, "{body}");
    assert_eq!(ids[0], 3, "{body}");
    assert!(
        ids.windows(2).all(|w| w[1] == w[0] + 1),
        "gap or repeat: {ids:?}"
    );
    // The next reconnect carries the last id seen: it continues exactly there.
    let seen = *ids.last().unwrap();
    let (again, body) = sse_ids(&demo, Some(seen), "1");
    assert_eq!(again.first(), Some(&(seen + 1)), "{body}");
    assert!(again.windows(2).all(|w| w[1] == w[0] + 1), "{again:?}");
    // A first connection (no Last-Event-ID) gets live events only.
    let now = last_id(&demo);
    let (fresh, body) = sse_ids(&demo, None, "1");
    assert!(fresh.first().is_some_and(|id| *id > now), "{now} {body}");
    // An id from before a server restart (ahead of every id) gets live events, not silence.
    let (stale, body) = sse_ids(&demo, Some(1_000_000), "1");
    assert!(!stale.is_empty(), "{body}");
}

#[test]
fn poll_etag_and_held_longpoll() {
    if !have_curl() {
        return;
    }
    // One tick a minute: the state stays put while the ETag checks run.
    let demo = Demo::start(60_000);
    let head = text(&curl(&["-i", &demo.url("/api/poll")]));
    let etag = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("etag"))
        })
        .map(|(_, v)| v.trim().to_string())
        .expect("an ETag on /api/poll");
    let status = |inm: &str| {
        let h = format!("If-None-Match: {inm}");
        text(&curl(&[
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-H",
            &h,
            &demo.url("/api/poll"),
        ]))
    };
    assert_eq!(status(&etag), "304");
    assert_eq!(status(&format!("\"nope\", W/{etag}")), "304");
    assert_eq!(status("*"), "304");
    assert_eq!(status("\"nope\""), "200");

    // A long-poll request that is up to date is held until the next event (a chat message).
    let after = last_id(&demo);
    let url = demo.url(&format!("/api/longpoll?after={after}"));
    let held = Command::new("curl")
        .args(["-s", "-i", "--max-time", "20", &url])
        .stdout(Stdio::piped())
        .spawn()
        .expect("run curl");
    std::thread::sleep(Duration::from_millis(500));
    let posted = text(&curl(&[
        "-X",
        "POST",
        "--data-binary",
        "hello from curl",
        &demo.url("/api/chat"),
    ]));
    assert!(posted.contains("hello from curl"), "{posted}");
    let out = held.wait_with_output().expect("curl ends");
    let resp = text(&out);
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(
        resp.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{resp}"
    );
    let body = &resp[resp.find("\r\n\r\n").expect("a body") + 4..];
    let v: serde_json::Value = serde_json::from_str(body).expect(body);
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{body}");
    assert_eq!(events[0]["text"], "hello from curl");
    assert_eq!(events[0]["id"].as_u64(), Some(after + 1));
    assert_eq!(v["last_id"].as_u64(), Some(after + 1));
}
