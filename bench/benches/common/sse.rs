//! SSE contenders: each parses the same body, delivered as the same chunks, and reports the
//! data of every dispatched event.

use std::convert::Infallible;

use bytes::{Bytes, BytesMut};
use eventsource_stream::Eventsource;
use futures::StreamExt;

use super::digest::Digest;

/// The body cut into pieces of `chunk` bytes (the network's delivery).
pub fn split(body: &[u8], chunk: usize) -> Vec<Bytes> {
    body.chunks(chunk).map(Bytes::copy_from_slice).collect()
}

/// Ours: [`codec_sse::Parser::feed_with`] on each chunk as received: complete lines are parsed
/// in place, only an unfinished line is copied, items are borrowed.
pub fn ours<const CHECK: bool>(chunks: &[Bytes]) -> Digest {
    let mut p = codec_sse::Parser::new();
    let mut d = Digest::default();
    for c in chunks {
        p.feed_with(c, |item| {
            if let codec_sse::ItemRef::Event(ev) = item {
                d.add::<CHECK>(ev.data().as_bytes());
            }
        })
        .expect("valid stream");
    }
    p.finish();
    while let Some(item) = p.next_ref().expect("valid stream") {
        if let codec_sse::ItemRef::Event(ev) = item {
            d.add::<CHECK>(ev.data().as_bytes());
        }
    }
    d
}

/// Ours through the tokio-util shape with borrowed items: [`codec_sse::Decoder::decode_ref`]
/// over a reused `BytesMut`, one `extend` per chunk (the socket read).
pub fn ours_ref<const CHECK: bool>(chunks: &[Bytes], buf: &mut BytesMut) -> Digest {
    let mut dec = codec_sse::Decoder::new();
    let mut d = Digest::default();
    buf.clear();
    for c in chunks {
        buf.extend_from_slice(c);
        while let Some(item) = dec.decode_ref(buf).expect("valid stream") {
            if let codec_sse::ItemRef::Event(ev) = item {
                d.add::<CHECK>(ev.data().as_bytes());
            }
        }
    }
    while let Some(item) = dec.decode_eof_ref(buf).expect("valid stream") {
        if let codec_sse::ItemRef::Event(ev) = item {
            d.add::<CHECK>(ev.data().as_bytes());
        }
    }
    d
}

/// Ours with owned items: [`codec_sse::Decoder::decode`] (what the tokio adapter uses) over a
/// reused `BytesMut`, one `extend` per chunk.
pub fn ours_owned<const CHECK: bool>(chunks: &[Bytes], buf: &mut BytesMut) -> Digest {
    let mut dec = codec_sse::Decoder::new();
    let mut d = Digest::default();
    buf.clear();
    for c in chunks {
        buf.extend_from_slice(c);
        while let Some(item) = dec.decode(buf).expect("valid stream") {
            if let codec_sse::Item::Event(ev) = item {
                d.add::<CHECK>(ev.data().as_bytes());
            }
        }
    }
    while let Some(item) = dec.decode_eof(buf).expect("valid stream") {
        if let codec_sse::Item::Event(ev) = item {
            d.add::<CHECK>(ev.data().as_bytes());
        }
    }
    d
}

/// sse-stream's byte-stream decoder (`SseByteStream`) over `stream::iter` of the chunks.
pub fn sse_stream<const CHECK: bool>(chunks: &[Bytes]) -> Digest {
    let input = futures::stream::iter(chunks.iter().cloned().map(Ok::<_, Infallible>));
    let mut s = sse_stream::SseByteStream::new(input);
    let mut d = Digest::default();
    futures::executor::block_on(async {
        while let Some(r) = s.next().await {
            if let Some(data) = r.expect("valid stream").data {
                d.add::<CHECK>(data.as_bytes());
            }
        }
    });
    d
}

/// eventsource-stream over `stream::iter` of the chunks.
pub fn eventsource_stream<const CHECK: bool>(chunks: &[Bytes]) -> Digest {
    let mut s =
        futures::stream::iter(chunks.iter().cloned().map(Ok::<_, Infallible>)).eventsource();
    let mut d = Digest::default();
    futures::executor::block_on(async {
        while let Some(r) = s.next().await {
            d.add::<CHECK>(r.expect("valid stream").data.as_bytes());
        }
    });
    d
}

/// sse-parse's sans-IO core (`SseParser`): `feed` each chunk, drain `next_event`.
pub fn sse_parse<const CHECK: bool>(chunks: &[Bytes]) -> Digest {
    let mut p = sse_parse::SseParser::new();
    let mut d = Digest::default();
    for c in chunks {
        p.feed(c);
        while let Some(ev) = p.next_event() {
            d.add::<CHECK>(ev.data.as_bytes());
        }
    }
    p.finish();
    while let Some(ev) = p.next_event() {
        d.add::<CHECK>(ev.data.as_bytes());
    }
    d
}

/// The floor for a line-at-a-time parser: one `memchr` call per line over the whole body,
/// nothing else (no fields, no events, no chunk boundaries).
pub fn memchr_lines(body: &[u8]) -> u64 {
    let mut pos = 0;
    let mut lines = 0u64;
    while let Some(i) = memchr::memchr(b'\n', &body[pos..]) {
        pos += i + 1;
        lines += 1;
    }
    lines ^ pos as u64
}
