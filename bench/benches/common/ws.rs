//! WebSocket contenders: each decodes a server's view of masked client frames (or encodes
//! messages) through its public API, over the same bytes.

use bytes::{Bytes, BytesMut};
use futures::{SinkExt, StreamExt};

use super::digest::Digest;
use super::{MemStream, READ};

/// Ours, message level: [`codec_ws::Connection`] fed in socket-sized reads.
pub fn ours<const CHECK: bool>(wire: &[u8], buf: &mut BytesMut) -> Digest {
    let mut conn = codec_ws::Connection::new(codec_ws::Role::Server, codec_ws::Config::default());
    let mut d = Digest::default();
    buf.clear();
    for piece in wire.chunks(READ) {
        buf.extend_from_slice(piece);
        while let Some(m) = conn.decode(buf).expect("valid frames") {
            d.add::<CHECK>(m.payload());
        }
    }
    d
}

/// Ours, message level through `feed` + `next_event` (the connection's own input buffer):
/// a large message's payload goes straight from the fed bytes to its own buffer, unmasked
/// on the way (one pass instead of the read copy plus an unmask pass).
pub fn ours_feed<const CHECK: bool>(wire: &[u8]) -> Digest {
    let mut conn = codec_ws::Connection::new(codec_ws::Role::Server, codec_ws::Config::default());
    let mut d = Digest::default();
    for piece in wire.chunks(READ) {
        conn.feed(piece);
        while let Some(m) = conn.next_event().expect("valid frames") {
            d.add::<CHECK>(m.payload());
        }
    }
    d
}

/// Ours, frame level: [`codec_ws::Decoder`] (no message reassembly layer).
pub fn ours_frames<const CHECK: bool>(wire: &[u8], buf: &mut BytesMut) -> Digest {
    let mut dec = codec_ws::Decoder::new(codec_ws::Role::Server, codec_ws::Limits::default());
    let mut d = Digest::default();
    buf.clear();
    for piece in wire.chunks(READ) {
        buf.extend_from_slice(piece);
        while let Some(f) = dec.decode(buf).expect("valid frames") {
            d.add::<CHECK>(&f.payload);
        }
    }
    d
}

/// Ours, borrowing fast path: [`codec_ws::Decoder::decode_slice`] over a plain `Vec` read
/// buffer (whole frames only; a partial frame is moved to the front before the next read).
pub fn ours_slice<const CHECK: bool>(wire: &[u8], buf: &mut Vec<u8>) -> Digest {
    let mut dec = codec_ws::Decoder::new(codec_ws::Role::Server, codec_ws::Limits::default());
    let mut d = Digest::default();
    buf.clear();
    let mut start = 0;
    for piece in wire.chunks(READ) {
        buf.drain(..start);
        start = 0;
        buf.extend_from_slice(piece);
        while let Some(f) = dec.decode_slice(&mut buf[start..]).expect("valid frames") {
            d.add::<CHECK>(&buf[start..][f.payload]);
            start += f.consumed;
        }
    }
    d
}

/// tungstenite over a blocking in-memory stream. As configured here (0.30, no default
/// features): unmasks 4 bytes at a time (no SIMD), validates text with `std`'s
/// `from_utf8`, reads through its 128 KiB read buffer.
pub fn tungstenite<const CHECK: bool>(wire: &[u8], count: usize) -> Digest {
    use tungstenite::protocol::{Role, WebSocket};
    use tungstenite::Message;
    let mut ws = WebSocket::from_raw_socket(MemStream::new(wire), Role::Server, None);
    let mut d = Digest::default();
    for _ in 0..count {
        match ws.read().expect("valid frames") {
            Message::Binary(b) => d.add::<CHECK>(&b),
            Message::Text(t) => d.add::<CHECK>(t.as_bytes()),
            other => panic!("unexpected {other:?}"),
        }
    }
    d
}

/// tokio-websockets over an in-memory stream, polled by a trivial executor. Its SIMD needs
/// no feature (0.13): unmasking picks AVX-512, AVX2 or SSE2 at run time (aligned, in
/// place) and text goes through `simdutf8` with run-time detection. It reads through
/// tokio-util's `FramedRead`, at most what its buffer has room for: 8 KiB at first (more
/// once a large frame makes it reserve), so with small frames its reads stay in L1 cache;
/// ours get [`READ`]-sized (64 KiB) pieces.
pub fn tokio_websockets<const CHECK: bool>(wire: &[u8], count: usize) -> Digest {
    let mut ws = tokio_websockets::ServerBuilder::new().serve(MemStream::new(wire));
    let mut d = Digest::default();
    futures::executor::block_on(async {
        for _ in 0..count {
            let m = ws.next().await.expect("a message").expect("valid frames");
            d.add::<CHECK>(m.as_payload());
        }
    });
    d
}

/// fastwebsockets over an in-memory stream, polled by a trivial executor. Feature `simd`
/// (on) only switches `simdutf8` on; unmasking is a plain loop the compiler vectorizes.
pub fn fastwebsockets<const CHECK: bool>(wire: &[u8], count: usize) -> Digest {
    let mut ws = fastwebsockets::WebSocket::after_handshake(
        MemStream::new(wire),
        fastwebsockets::Role::Server,
    );
    ws.set_auto_close(false);
    ws.set_auto_pong(false);
    let mut d = Digest::default();
    futures::executor::block_on(async {
        for _ in 0..count {
            let f = ws.read_frame().await.expect("valid frames");
            d.add::<CHECK>(&f.payload);
        }
    });
    d
}

/// Which side encodes: a server sends unmasked frames, a client masks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Unmasked (server to client).
    Server,
    /// Masked (client to server).
    Client,
}

/// Ours, message level: [`codec_ws::Connection::send_binary`] into a reused `BytesMut`.
pub fn encode_ours(payloads: &[Bytes], side: Side, dst: &mut BytesMut) -> usize {
    let (role, config) = match side {
        Side::Server => (codec_ws::Role::Server, codec_ws::Config::default()),
        Side::Client => (
            codec_ws::Role::Client,
            codec_ws::Config::default().mask_seed(0x1234_5678),
        ),
    };
    let mut conn = codec_ws::Connection::new(role, config);
    dst.clear();
    for p in payloads {
        conn.send_binary(p, dst).expect("open connection");
    }
    dst.len()
}

/// Ours, frame level: [`codec_ws::encode_frame`].
pub fn encode_ours_frames(payloads: &[Bytes], side: Side, dst: &mut BytesMut) -> usize {
    dst.clear();
    let mut key = 0x9e37_79b9u32;
    for p in payloads {
        let mask = (side == Side::Client).then(|| {
            key = key.rotate_left(5) ^ 0x5bd1_e995;
            key.to_be_bytes()
        });
        codec_ws::encode_frame(dst, true, 0, codec_ws::OpCode::Binary, mask, p);
    }
    dst.len()
}

/// tungstenite: `write` each message, then one `flush`, into a reused `Vec`.
pub fn encode_tungstenite(payloads: &[Bytes], side: Side, out: &mut Vec<u8>) -> usize {
    use tungstenite::protocol::{Role, WebSocket};
    let role = if side == Side::Server {
        Role::Server
    } else {
        Role::Client
    };
    let mut stream = MemStream::new(&[]);
    stream.out = std::mem::take(out);
    stream.out.clear();
    let mut ws = WebSocket::from_raw_socket(stream, role, None);
    for p in payloads {
        ws.write(tungstenite::Message::Binary(p.clone()))
            .expect("write");
    }
    ws.flush().expect("flush");
    *out = std::mem::take(&mut ws.get_mut().out);
    out.len()
}

/// tokio-websockets (server only: its client role needs a random-number feature): `feed`
/// each message, then one `flush`.
pub fn encode_tokio_websockets(payloads: &[Bytes], out: &mut Vec<u8>) -> usize {
    let mut stream = MemStream::new(&[]);
    stream.out = std::mem::take(out);
    stream.out.clear();
    let mut ws = tokio_websockets::ServerBuilder::new().serve(stream);
    futures::executor::block_on(async {
        for p in payloads {
            ws.feed(tokio_websockets::Message::binary(p.clone()))
                .await
                .expect("feed");
        }
        ws.flush().await.expect("flush");
    });
    *out = std::mem::take(&mut ws.get_mut().out);
    out.len()
}

/// fastwebsockets: `write_frame` each message (it writes through at once).
pub fn encode_fastwebsockets(payloads: &[Bytes], side: Side, out: &mut Vec<u8>) -> usize {
    use fastwebsockets::{Frame, Payload, Role, WebSocket};
    let role = if side == Side::Server {
        Role::Server
    } else {
        Role::Client
    };
    let mut stream = MemStream::new(&[]);
    stream.out = std::mem::take(out);
    stream.out.clear();
    let mut ws = WebSocket::after_handshake(stream, role);
    futures::executor::block_on(async {
        for p in payloads {
            ws.write_frame(Frame::binary(Payload::Borrowed(p)))
                .await
                .expect("write");
        }
    });
    *out = ws.into_inner().out;
    out.len()
}
