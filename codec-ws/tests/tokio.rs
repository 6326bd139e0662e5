//! The tokio adapter over in-memory pipes.
#![cfg(feature = "tokio")]

use bytes::BytesMut;
use codec_ws::handshake::ClientRequest;
use codec_ws::tokio::{accept, connect, AcceptConfig, TokioError, WsCodec};
use codec_ws::{CloseCode, CloseFrame, Config, Connection, DeflateConfig, Limits, Message, Role};
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn accept_connect_echo_and_close() {
    for deflate in [false, true] {
        let (a, b) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(async move {
            let opts = AcceptConfig {
                deflate: deflate.then(DeflateConfig::default),
                protocols: vec!["chat".into()],
                ..AcceptConfig::default()
            };
            let (mut ws, req) = accept(b, &opts).await.unwrap();
            assert_eq!(req.path, "/echo");
            let mut n = 0;
            while let Some(m) = ws.next().await {
                let m = m.unwrap();
                if m.is_data() {
                    n += 1;
                    ws.send(m).await.unwrap();
                }
            }
            n
        });
        let mut req = ClientRequest::new("localhost", "/echo", [1; 16]).protocol("chat");
        if deflate {
            req = req.deflate(DeflateConfig::default());
        }
        let (mut ws, result) = connect(a, &req, Config::default().mask_seed(9), &Limits::default())
            .await
            .unwrap();
        assert_eq!(result.protocol.as_deref(), Some("chat"));
        assert_eq!(result.deflate.is_some(), deflate);
        let big = "x".repeat(1 << 20);
        for m in [
            Message::text("one"),
            Message::Binary(vec![1, 2, 3].into()),
            Message::text(&big),
        ] {
            ws.send(m.clone()).await.unwrap();
            assert_eq!(ws.next().await.unwrap().unwrap(), m);
        }
        ws.send(Message::Ping("p".into())).await.unwrap();
        assert_eq!(ws.next().await.unwrap().unwrap(), Message::Pong("p".into()));
        ws.send(Message::Close(Some(CloseFrame::new(CloseCode::NORMAL))))
            .await
            .unwrap();
        let last = ws.next().await.unwrap().unwrap();
        assert_eq!(
            last,
            Message::Close(Some(CloseFrame::new(CloseCode::NORMAL)))
        );
        assert!(
            ws.next().await.is_none(),
            "stream ends after the close handshake"
        );
        assert_eq!(
            tokio::time::timeout(Duration::from_secs(5), server)
                .await
                .unwrap()
                .unwrap(),
            3
        );
    }
}

#[tokio::test]
async fn bad_upgrade_gets_error_response() {
    let (mut a, b) = tokio::io::duplex(4096);
    let server = tokio::spawn(async move { accept(b, &AcceptConfig::default()).await.map(|_| ()) });
    a.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").await.unwrap();
    let mut resp = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut a, &mut resp)
        .await
        .unwrap();
    assert!(resp.starts_with(b"HTTP/1.1 426 Upgrade Required\r\n"));
    assert!(matches!(
        server.await.unwrap(),
        Err(TokioError::Ws(codec_ws::Error::UnsupportedVersion))
    ));
}

#[tokio::test]
async fn eof_without_close_reports_1006() {
    let (a, b) = tokio::io::duplex(4096);
    let mut ws = codec_ws::tokio::WebSocketStream::from_parts(
        b,
        Connection::new(Role::Server, Config::default()),
        &[],
    );
    drop(a);
    let m = ws.next().await.unwrap().unwrap();
    assert_eq!(
        m,
        Message::Close(Some(CloseFrame::new(CloseCode::ABNORMAL)))
    );
    assert!(ws.next().await.is_none());
}

#[test]
fn tokio_util_codec_shape() {
    use tokio_util::codec::{Decoder, Encoder};
    let mut client = WsCodec {
        conn: Connection::new(Role::Client, Config::default().mask_seed(5)),
    };
    let mut server = WsCodec {
        conn: Connection::new(Role::Server, Config::default()),
    };
    let mut wire = BytesMut::new();
    client.encode(Message::text("hi"), &mut wire).unwrap();
    client.encode(Message::Ping("x".into()), &mut wire).unwrap();
    let mut half = wire.split_to(3);
    assert_eq!(server.decode(&mut half).unwrap(), None);
    half.unsplit(wire);
    assert_eq!(server.decode(&mut half).unwrap(), Some(Message::text("hi")));
    assert_eq!(
        server.decode(&mut half).unwrap(),
        Some(Message::Ping("x".into()))
    );
    let mut back = BytesMut::new();
    assert!(server.poll_transmit(&mut back));
    assert_eq!(
        client.decode(&mut back).unwrap(),
        Some(Message::Pong("x".into()))
    );
    assert_eq!(
        client.decode_eof(&mut BytesMut::new()).unwrap(),
        Some(Message::Close(Some(CloseFrame::new(CloseCode::ABNORMAL))))
    );
}
