//! The tokio adapter: FramedRead/FramedWrite and the keep-alive body.
#![cfg(feature = "tokio")]

use std::time::Duration;

use codec_sse::tokio::{keep_alive, SseCodec};
use codec_sse::{Decoder, Event, Item, Limits};
use futures_util::{stream, SinkExt, StreamExt};
use tokio::io::AsyncWriteExt;
use tokio_util::codec::{FramedRead, FramedWrite};

#[tokio::test]
async fn framed_read_over_split_writes() {
    let (mut tx, rx) = tokio::io::duplex(64);
    let writer = tokio::spawn(async move {
        for piece in [
            &b"\xEF\xBB"[..],
            b"\xBFid: 1\r",
            b"\ndata: a\r",
            b"\n\r",
            b"\ndata: b\n\ndata: never",
        ] {
            tx.write_all(piece).await.unwrap();
            tx.flush().await.unwrap();
            tokio::task::yield_now().await;
        }
    });
    let mut read = FramedRead::new(rx, SseCodec::default());
    let mut got = Vec::new();
    while let Some(item) = read.next().await {
        got.push(item.unwrap());
    }
    writer.await.unwrap();
    assert_eq!(
        got,
        vec![
            Item::Event(Event::new("a").with_id("1")),
            Item::Event(Event::new("b").with_id("1"))
        ]
    );
    assert_eq!(read.decoder().decoder().last_event_id(), "1");
}

#[tokio::test]
async fn framed_read_reports_limit_errors() {
    let body: &[u8] = b"data: 0123456789abcdef\n\n";
    let codec = SseCodec::new(Decoder::with_limits(Limits::default().max_line_len(8)));
    let mut read = FramedRead::new(body, codec);
    let err = read.next().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[tokio::test]
async fn framed_write_then_read_back() {
    let mut out = Vec::new();
    {
        let mut w = FramedWrite::new(&mut out, SseCodec::default());
        w.send(Item::Retry(1500)).await.unwrap();
        w.send(Event::new("x\ny").with_event_type("t").with_id("9"))
            .await
            .unwrap();
        let bad = w.send(Event::new("x").with_id("a\nb")).await;
        assert!(bad.is_err());
    }
    assert_eq!(out, b"retry: 1500\nevent: t\nid: 9\ndata: x\ndata: y\n\n");
}

#[tokio::test(start_paused = true)]
async fn keep_alive_fills_silences() {
    let events = stream::iter(vec![
        Item::from(Event::new("1")),
        Item::from(Event::new("2")),
    ])
    .then(|e| async move {
        tokio::time::sleep(Duration::from_secs(25)).await;
        e
    });
    let body = keep_alive(Box::pin(events), Duration::from_secs(10));
    let chunks: Vec<_> = body.map(|c| c.unwrap()).collect().await;
    let text: Vec<&[u8]> = chunks.iter().map(|c| &c[..]).collect();
    assert_eq!(
        text,
        vec![
            &b":\n"[..],
            b":\n",
            b"data: 1\n\n",
            b":\n",
            b":\n",
            b"data: 2\n\n"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn keep_alive_custom_comment() {
    let body = keep_alive(Box::pin(stream::pending::<Item>()), Duration::from_secs(1))
        .with_comment("ping")
        .unwrap();
    let first: Vec<_> = body.take(2).map(|c| c.unwrap()).collect().await;
    assert_eq!(first, vec![bytes::Bytes::from_static(b": ping\n"); 2]);
    assert!(
        keep_alive(Box::pin(stream::pending::<Item>()), Duration::from_secs(1))
            .with_comment("a\nb")
            .is_err()
    );
}
