//! The EventSource client state against the Web Platform Tests' connection
//! cases (vectors README, section B) and the reconnect rules.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use codec_sse::client::{Action, Client, ReadyState, StatusAction};
use codec_sse::{Decoder, Error, Item};

fn drain(c: &mut Client) -> Vec<Item> {
    let mut v = Vec::new();
    while let Some(i) = c.next_event().unwrap() {
        v.push(i);
    }
    v
}

#[test]
fn request_headers() {
    let mut c = Client::new();
    let r = c.request().unwrap();
    assert_eq!(r.header("accept"), Some("text/event-stream"));
    assert_eq!(r.header("Cache-Control"), Some("no-store"));
    assert_eq!(r.header("Last-Event-ID"), None, "omitted while empty");
    assert_eq!(r.attempt, 0);
}

#[test]
fn mime_type_rules() {
    for (ct, ok) in [
        (Some(&b"text/event-stream;"[..]), true),
        (Some(b"text/event-stream;charset=windows-1252"), true),
        (Some(b"text/x-bogus"), false),
        (Some(b"x bogus"), false),
        (None, false),
    ] {
        let mut c = Client::new();
        let a = c.on_response(200, ct);
        if ok {
            assert_eq!(a, Action::Open, "{ct:?}");
            assert_eq!(c.ready_state(), ReadyState::Open);
        } else {
            assert_eq!(
                a,
                Action::Close {
                    error: Some(Error::BadContentType)
                },
                "{ct:?}"
            );
            assert_eq!(c.ready_state(), ReadyState::Closed);
            assert_eq!(
                c.on_disconnect(),
                Action::Close { error: None },
                "no reconnect after failing"
            );
        }
    }
}

#[test]
fn non_200_fails_without_reconnect() {
    for status in [204, 205, 210, 299, 404, 410, 503] {
        let mut c = Client::new();
        let a = c.on_response(status, Some(b"text/event-stream"));
        assert_eq!(
            a,
            Action::Close {
                error: Some(Error::BadStatus { status })
            }
        );
        assert_eq!(c.ready_state(), ReadyState::Closed);
        assert_eq!(c.on_disconnect(), Action::Close { error: None });
    }
}

#[test]
fn policy_can_reconnect_on_some_statuses() {
    let mut c = Client::new();
    c.set_status_action(500..=599, StatusAction::Reconnect);
    c.set_status_action(501..=501, StatusAction::Fail);
    assert_eq!(
        c.on_response(503, None),
        Action::Reconnect { delay_ms: 3000 }
    );
    assert_eq!(c.ready_state(), ReadyState::Connecting);
    assert_eq!(c.request().unwrap().attempt, 1);
    assert!(matches!(c.on_response(501, None), Action::Close { .. }));
}

#[test]
fn reconnect_carries_last_event_id_and_retry() {
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    let mut c = Client::new().with_header_hook(move |attempt, h| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        assert_eq!(attempt, n.min(1), "attempt numbers");
        h.push(("Authorization".into(), format!("Bearer token-{n}").into()));
    });
    let r = c.request().unwrap();
    assert_eq!(r.header("authorization"), Some("Bearer token-0"));
    assert_eq!(c.on_response(200, Some(b"text/event-stream")), Action::Open);
    c.feed("id: \u{2026}\nretry: 200\ndata: hello\n\nid: uncommitted\ndata: x\n".as_bytes());
    let items = drain(&mut c);
    assert_eq!(items.len(), 2);
    assert_eq!(c.reconnection_time(), 200);
    assert_eq!(c.on_disconnect(), Action::Reconnect { delay_ms: 200 });
    let r = c.request().unwrap();
    assert_eq!(r.header("Last-Event-ID"), Some("\u{2026}"));
    assert_eq!(
        r.header("authorization"),
        Some("Bearer token-1"),
        "hook asked again"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // The second body starts clean and keeps the id.
    assert_eq!(c.on_response(200, Some(b"text/event-stream")), Action::Open);
    c.feed(b"data: again\n\n");
    let Item::Event(e) = &drain(&mut c)[0] else {
        panic!()
    };
    assert_eq!((e.data(), e.last_event_id()), ("again", "\u{2026}"));
    c.close();
    assert_eq!(c.on_disconnect(), Action::Close { error: None });
    assert_eq!(
        c.on_response(200, Some(b"text/event-stream")),
        Action::Close { error: None }
    );
}

#[test]
fn id_only_block_is_sent_on_reconnect() {
    let mut c = Client::with_decoder(Decoder::new());
    let _ = c.on_response(200, Some(b"text/event-stream"));
    c.feed(b"id: 7\n\n");
    assert_eq!(drain(&mut c), vec![Item::Id("7".into())]);
    let _ = c.on_disconnect();
    assert_eq!(c.request().unwrap().header("Last-Event-ID"), Some("7"));
}

#[test]
fn host_headers_are_checked_and_override() {
    let mut c = Client::new().with_header_hook(|_, h| {
        h.push(("Accept".into(), "text/event-stream, */*".into()));
    });
    let r = c.request().unwrap();
    assert_eq!(r.header("accept"), Some("text/event-stream, */*"));
    assert_eq!(
        r.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("accept"))
            .count(),
        1
    );

    let mut c = Client::new().with_header_hook(|_, h| {
        h.push(("X-Ok".into(), "1".into()));
        h.push(("X-Bad".into(), "1\r\nInjected: yes".into()));
    });
    assert_eq!(c.request(), Err(Error::InvalidHeader { index: 1 }));
    let mut c = Client::new().with_header_hook(|_, h| h.push(("Bad Name".into(), "1".into())));
    assert_eq!(c.request(), Err(Error::InvalidHeader { index: 0 }));
}
