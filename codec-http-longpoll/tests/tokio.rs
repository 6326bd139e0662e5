//! The tokio-util adapters over in-memory streams.
#![cfg(feature = "tokio")]

use bytes::Bytes;
use codec_http_longpoll::tokio::{DelimitedCodec, HttpCodec, TokioCodecError};
use codec_http_longpoll::{Delimiter, Error, Event, Headers, Outgoing, ResponseHead, Role};
use futures_util::{SinkExt, StreamExt};
use tokio_util::codec::{FramedRead, FramedWrite};

#[tokio::test]
async fn framed_read_requests_with_chunked_bodies() {
    let wire: &[u8] = b"POST /publish HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /poll HTTP/1.1\r\n\r\n";
    let mut r = FramedRead::with_capacity(wire, HttpCodec::new(Role::Server), 7);
    let mut paths = Vec::new();
    let mut body = Vec::new();
    let mut ends = 0;
    while let Some(ev) = r.next().await {
        match ev.unwrap() {
            Event::Request { head, .. } => paths.push(head.path().to_owned()),
            Event::Data(d) => body.extend_from_slice(&d),
            Event::End(_) => ends += 1,
            _ => {}
        }
    }
    assert_eq!(paths, ["/publish", "/poll"]);
    assert_eq!(body, b"abc");
    assert_eq!(ends, 2);
}

#[tokio::test]
async fn truncated_chunked_body_is_an_error_at_eof() {
    let wire: &[u8] = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab";
    let mut r = FramedRead::new(wire, HttpCodec::new(Role::Client));
    let mut last = None;
    while let Some(ev) = r.next().await {
        last = Some(ev);
    }
    assert!(
        matches!(
            last,
            Some(Err(TokioCodecError::Codec(Error::UnexpectedEof { .. })))
        ),
        "{last:?}"
    );
}

#[tokio::test]
async fn framed_write_then_read_back() {
    let mut out = Vec::new();
    {
        let mut w = FramedWrite::new(&mut out, HttpCodec::new(Role::Server));
        let head = ResponseHead::new(200)
            .unwrap()
            .header("Transfer-Encoding", "chunked")
            .unwrap();
        w.send(Outgoing::Response(head, "GET")).await.unwrap();
        w.send(Outgoing::Data(Bytes::from_static(b"{\"n\":1}\n")))
            .await
            .unwrap();
        w.send(Outgoing::End(Headers::new().with("X-Done", "1").unwrap()))
            .await
            .unwrap();
    }
    let mut r = FramedRead::new(&out[..], HttpCodec::new(Role::Client));
    let mut trailers = None;
    while let Some(ev) = r.next().await {
        if let Event::End(t) = ev.unwrap() {
            trailers = Some(t);
        }
    }
    assert_eq!(trailers.unwrap().get("x-done"), Some(&b"1"[..]));
}

#[tokio::test]
async fn ndjson_codec() {
    let wire: &[u8] = b"{\"a\":1}\n{\"b\":2}";
    let frames: Vec<Bytes> = FramedRead::new(wire, DelimitedCodec::new(Delimiter::Newline, 64))
        .map(|f| f.unwrap())
        .collect()
        .await;
    assert_eq!(
        frames,
        [
            Bytes::from_static(b"{\"a\":1}"),
            Bytes::from_static(b"{\"b\":2}")
        ]
    );
}

#[tokio::test]
async fn long_poll_server_wakes_waiters_and_times_out() {
    use codec_http_longpoll::tokio::LongPollServer;
    use std::time::Duration;
    let lp = LongPollServer::new(Duration::from_millis(300), 10, 10);
    let (a, b) = (lp.clone(), lp.clone());
    let w1 = tokio::spawn(async move { a.wait(None).await });
    let w2 = tokio::spawn(async move { b.wait(None).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    lp.publish(Bytes::from_static(b"m1"));
    let (r1, r2) = (w1.await.unwrap(), w2.await.unwrap());
    assert_eq!(r1.messages, [Bytes::from_static(b"m1")]);
    assert_eq!(r2.messages, [Bytes::from_static(b"m1")]);
    // Nothing new: answered empty (204) after the hold time.
    let t = std::time::Instant::now();
    let r3 = lp.wait(Some(r1.next_cursor)).await;
    assert!(r3.messages.is_empty());
    assert!(
        t.elapsed() >= Duration::from_millis(250),
        "{:?}",
        t.elapsed()
    );
    // A dropped waiter leaves nothing behind.
    let c = lp.clone();
    let w = tokio::spawn(async move { c.wait(None).await });
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(lp.held(), 1);
    w.abort();
    let _ = w.await;
    assert_eq!(lp.held(), 0);
    let r4 = lp.wait(Some(0)).await;
    assert_eq!(r4.messages, [Bytes::from_static(b"m1")]);
}
