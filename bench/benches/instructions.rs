//! Instruction counts (gungraun over valgrind's callgrind): exact and repeatable on this noisy
//! shared machine, unlike wall-clock time. Every benchmark handles a batch of items (messages,
//! events, chunks); its id ends in `_per_N`, and `scripts/bench.sh` divides the count by N to
//! print instructions per item. Setup (building inputs, filling buffers, creating the peers'
//! streams) runs outside the measured function.
//!
//! Issue gates: at most 170 instructions per 16 B binary WebSocket message (ours); at most 50
//! per chunk-size line. SSE (issue 4 names no number; `scripts/bench.sh` holds what we reach):
//! at most 750 per typical event and 280 per LLM token event in 16 KiB chunks, 930 and 380 in
//! 256 B chunks.

// gungraun's macros expand to fully qualified paths and undocumented modules.
#![allow(unused_qualifications, missing_docs)]

mod common;

use std::hint::black_box;

use bench::inputs;
use bytes::{Bytes, BytesMut};
use common::digest::Digest;
use common::{http, sdp, sse, ws, MemStream};
use futures::StreamExt;
use gungraun::{library_benchmark, library_benchmark_group, main};

/// Messages per WebSocket batch.
const WS_N: usize = 1000;

fn leak(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

/// Added to a payload length in a bench's args: text frames (JSON-like ASCII) instead of binary.
const TEXT: usize = 1 << 40;

fn ws_wire(len: usize) -> &'static [u8] {
    leak(inputs::ws_client_frames(len & !TEXT, WS_N, len & TEXT != 0).wire)
}

fn ws_buf(len: usize) -> BytesMut {
    BytesMut::from(ws_wire(len))
}

fn ws_tungstenite(len: usize) -> tungstenite::WebSocket<MemStream<'static>> {
    let s = MemStream::new(ws_wire(len));
    tungstenite::WebSocket::from_raw_socket(s, tungstenite::protocol::Role::Server, None)
}

fn ws_tokio(len: usize) -> tokio_websockets::WebSocketStream<MemStream<'static>> {
    tokio_websockets::ServerBuilder::new().serve(MemStream::new(ws_wire(len)))
}

fn ws_fast(len: usize) -> fastwebsockets::WebSocket<MemStream<'static>> {
    let s = MemStream::new(ws_wire(len));
    let mut ws = fastwebsockets::WebSocket::after_handshake(s, fastwebsockets::Role::Server);
    ws.set_auto_close(false);
    ws.set_auto_pong(false);
    ws
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_buf)]
#[bench::t16_per_1000(args = (16 | TEXT), setup = ws_buf)]
#[bench::b125_per_1000(args = (125), setup = ws_buf)]
fn ws_ours(mut buf: BytesMut) -> Digest {
    let mut conn = codec_ws::Connection::new(codec_ws::Role::Server, codec_ws::Config::default());
    let mut d = Digest::default();
    while let Some(m) = conn.decode(black_box(&mut buf)).expect("valid") {
        d.add::<false>(m.payload());
    }
    assert_eq!(d.msgs as usize, WS_N);
    black_box(d)
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_buf)]
#[bench::t16_per_1000(args = (16 | TEXT), setup = ws_buf)]
#[bench::b125_per_1000(args = (125), setup = ws_buf)]
fn ws_ours_frames(mut buf: BytesMut) -> Digest {
    let mut dec = codec_ws::Decoder::new(codec_ws::Role::Server, codec_ws::Limits::default());
    let mut d = Digest::default();
    while let Some(f) = dec.decode(black_box(&mut buf)).expect("valid") {
        d.add::<false>(&f.payload);
    }
    assert_eq!(d.msgs as usize, WS_N);
    black_box(d)
}

fn ws_vec(len: usize) -> Vec<u8> {
    ws_wire(len).to_vec()
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_vec)]
#[bench::t16_per_1000(args = (16 | TEXT), setup = ws_vec)]
#[bench::b125_per_1000(args = (125), setup = ws_vec)]
fn ws_ours_slice(mut buf: Vec<u8>) -> Digest {
    let mut dec = codec_ws::Decoder::new(codec_ws::Role::Server, codec_ws::Limits::default());
    let mut d = Digest::default();
    let mut start = 0;
    while let Some(f) = dec
        .decode_slice(black_box(&mut buf[start..]))
        .expect("valid")
    {
        d.add::<false>(&buf[start..][f.payload]);
        start += f.consumed;
    }
    assert_eq!(d.msgs as usize, WS_N);
    black_box(d)
}

// The harness alone: the same loop and checksum over the same frames, with the frame walk
// reduced to reading a 7-bit length (no checks, no unmasking). Subtract it from the
// `ws_ours_*` counts to get the codec's own cost.
#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_vec)]
#[bench::t16_per_1000(args = (16 | TEXT), setup = ws_vec)]
#[bench::b125_per_1000(args = (125), setup = ws_vec)]
fn ws_harness_only(buf: Vec<u8>) -> Digest {
    let mut d = Digest::default();
    let mut start = 0;
    let buf = black_box(&buf[..]);
    while start < buf.len() {
        let len = usize::from(buf[start + 1] & 0x7f);
        d.add::<false>(&buf[start + 6..start + 6 + len]);
        start += 6 + len;
    }
    assert_eq!(d.msgs as usize, WS_N);
    black_box(d)
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_tungstenite)]
#[bench::t16_per_1000(args = (16 | TEXT), setup = ws_tungstenite)]
#[bench::b125_per_1000(args = (125), setup = ws_tungstenite)]
fn ws_tungstenite_read(mut ws: tungstenite::WebSocket<MemStream<'static>>) -> Digest {
    let mut d = Digest::default();
    for _ in 0..WS_N {
        d.add::<false>(&ws.read().expect("valid").into_data());
    }
    black_box(d)
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_tokio)]
#[bench::t16_per_1000(args = (16 | TEXT), setup = ws_tokio)]
#[bench::b125_per_1000(args = (125), setup = ws_tokio)]
fn ws_tokio_websockets(mut ws: tokio_websockets::WebSocketStream<MemStream<'static>>) -> Digest {
    let mut d = Digest::default();
    futures::executor::block_on(async {
        for _ in 0..WS_N {
            d.add::<false>(ws.next().await.expect("some").expect("valid").as_payload());
        }
    });
    black_box(d)
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_fast)]
#[bench::t16_per_1000(args = (16 | TEXT), setup = ws_fast)]
#[bench::b125_per_1000(args = (125), setup = ws_fast)]
fn ws_fastwebsockets(mut ws: fastwebsockets::WebSocket<MemStream<'static>>) -> Digest {
    let mut d = Digest::default();
    futures::executor::block_on(async {
        for _ in 0..WS_N {
            d.add::<false>(&ws.read_frame().await.expect("valid").payload);
        }
    });
    black_box(d)
}

library_benchmark_group!(
    name = ws_decode_16b_125b_binary_16b_text;
    benchmarks = ws_ours, ws_ours_frames, ws_ours_slice, ws_harness_only, ws_tungstenite_read, ws_tokio_websockets, ws_fastwebsockets
);

fn ws_payloads(len: usize) -> Vec<Bytes> {
    let f = inputs::ws_client_frames(len, WS_N, false);
    f.payloads.chunks(len).map(Bytes::copy_from_slice).collect()
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_payloads)]
fn ws_encode_ours(payloads: Vec<Bytes>) -> usize {
    let mut dst = BytesMut::with_capacity(WS_N * 32);
    black_box(ws::encode_ours(
        black_box(&payloads),
        ws::Side::Server,
        &mut dst,
    ))
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_payloads)]
fn ws_encode_ours_frames(payloads: Vec<Bytes>) -> usize {
    let mut dst = BytesMut::with_capacity(WS_N * 32);
    black_box(ws::encode_ours_frames(
        black_box(&payloads),
        ws::Side::Server,
        &mut dst,
    ))
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_payloads)]
fn ws_encode_tungstenite(payloads: Vec<Bytes>) -> usize {
    let mut out = Vec::with_capacity(WS_N * 32);
    black_box(ws::encode_tungstenite(
        black_box(&payloads),
        ws::Side::Server,
        &mut out,
    ))
}

#[library_benchmark]
#[bench::b16_per_1000(args = (16), setup = ws_payloads)]
fn ws_encode_fastwebsockets(payloads: Vec<Bytes>) -> usize {
    let mut out = Vec::with_capacity(WS_N * 32);
    black_box(ws::encode_fastwebsockets(
        black_box(&payloads),
        ws::Side::Server,
        &mut out,
    ))
}

library_benchmark_group!(
    name = ws_encode_16b_binary_unmasked;
    benchmarks = ws_encode_ours, ws_encode_ours_frames, ws_encode_tungstenite, ws_encode_fastwebsockets
);

/// Events per SSE batch (both streams are cut to this many events).
const SSE_N: usize = 1000;

fn sse_body(kind: &str) -> Vec<u8> {
    // Both generators make events of a steady size; take exactly SSE_N of them.
    let s = if kind == "llm" {
        inputs::sse_llm(1 << 20)
    } else {
        inputs::sse_typical(1 << 20)
    };
    let mut seen = 0;
    let end = s
        .body
        .windows(2)
        .position(|w| {
            seen += usize::from(w == b"\n\n");
            seen == SSE_N
        })
        .expect("enough events");
    s.body[..end + 2].to_vec()
}

/// The stream as the network delivers it (each contender hands the chunks back, so freeing
/// them is not counted): 16 KiB chunks, the same for every contender (one
/// big chunk would make eventsource-stream quadratic: it re-scans its whole buffer per event).
fn sse_chunks(kind: &str) -> Vec<Bytes> {
    sse::split(&sse_body(kind), 16 << 10)
}

/// The same stream in small reads (256 B): the cost of carrying lines across chunks.
fn sse_small_chunks(kind: &str) -> Vec<Bytes> {
    sse::split(&sse_body(kind), 256)
}

#[library_benchmark]
#[bench::typical_per_1000(args = ("typical"), setup = sse_chunks)]
#[bench::llm_per_1000(args = ("llm"), setup = sse_chunks)]
#[bench::typical_256b_per_1000(args = ("typical"), setup = sse_small_chunks)]
#[bench::llm_256b_per_1000(args = ("llm"), setup = sse_small_chunks)]
fn sse_ours(chunks: Vec<Bytes>) -> (Digest, Vec<Bytes>) {
    let d = sse::ours::<false>(black_box(&chunks));
    assert_eq!(d.msgs as usize, SSE_N);
    // The chunks are freed after the measurement, not in it.
    (black_box(d), chunks)
}

#[library_benchmark]
#[bench::typical_per_1000(args = ("typical"), setup = sse_chunks)]
#[bench::llm_per_1000(args = ("llm"), setup = sse_chunks)]
#[bench::typical_256b_per_1000(args = ("typical"), setup = sse_small_chunks)]
#[bench::llm_256b_per_1000(args = ("llm"), setup = sse_small_chunks)]
fn sse_ours_ref(chunks: Vec<Bytes>) -> (Digest, Vec<Bytes>) {
    let mut buf = BytesMut::with_capacity(32 << 10);
    let d = sse::ours_ref::<false>(black_box(&chunks), &mut buf);
    assert_eq!(d.msgs as usize, SSE_N);
    // The chunks are freed after the measurement, not in it.
    (black_box(d), chunks)
}

#[library_benchmark]
#[bench::typical_per_1000(args = ("typical"), setup = sse_chunks)]
#[bench::llm_per_1000(args = ("llm"), setup = sse_chunks)]
#[bench::typical_256b_per_1000(args = ("typical"), setup = sse_small_chunks)]
#[bench::llm_256b_per_1000(args = ("llm"), setup = sse_small_chunks)]
fn sse_ours_owned(chunks: Vec<Bytes>) -> (Digest, Vec<Bytes>) {
    let mut buf = BytesMut::with_capacity(32 << 10);
    let d = sse::ours_owned::<false>(black_box(&chunks), &mut buf);
    assert_eq!(d.msgs as usize, SSE_N);
    // The chunks are freed after the measurement, not in it.
    (black_box(d), chunks)
}

#[library_benchmark]
#[bench::typical_per_1000(args = ("typical"), setup = sse_chunks)]
#[bench::llm_per_1000(args = ("llm"), setup = sse_chunks)]
#[bench::typical_256b_per_1000(args = ("typical"), setup = sse_small_chunks)]
#[bench::llm_256b_per_1000(args = ("llm"), setup = sse_small_chunks)]
fn sse_sse_stream(chunks: Vec<Bytes>) -> (Digest, Vec<Bytes>) {
    let d = sse::sse_stream::<false>(black_box(&chunks));
    assert_eq!(d.msgs as usize, SSE_N);
    // The chunks are freed after the measurement, not in it.
    (black_box(d), chunks)
}

#[library_benchmark]
#[bench::typical_per_1000(args = ("typical"), setup = sse_chunks)]
#[bench::llm_per_1000(args = ("llm"), setup = sse_chunks)]
#[bench::typical_256b_per_1000(args = ("typical"), setup = sse_small_chunks)]
#[bench::llm_256b_per_1000(args = ("llm"), setup = sse_small_chunks)]
fn sse_eventsource_stream(chunks: Vec<Bytes>) -> (Digest, Vec<Bytes>) {
    let d = sse::eventsource_stream::<false>(black_box(&chunks));
    assert_eq!(d.msgs as usize, SSE_N);
    // The chunks are freed after the measurement, not in it.
    (black_box(d), chunks)
}

#[library_benchmark]
#[bench::typical_per_1000(args = ("typical"), setup = sse_chunks)]
#[bench::llm_per_1000(args = ("llm"), setup = sse_chunks)]
#[bench::typical_256b_per_1000(args = ("typical"), setup = sse_small_chunks)]
#[bench::llm_256b_per_1000(args = ("llm"), setup = sse_small_chunks)]
fn sse_sse_parse(chunks: Vec<Bytes>) -> (Digest, Vec<Bytes>) {
    let d = sse::sse_parse::<false>(black_box(&chunks));
    assert_eq!(d.msgs as usize, SSE_N);
    // The chunks are freed after the measurement, not in it.
    (black_box(d), chunks)
}

library_benchmark_group!(
    name = sse_per_event;
    benchmarks = sse_ours, sse_ours_ref, sse_ours_owned, sse_sse_stream, sse_eventsource_stream, sse_sse_parse
);

/// Chunks per chunked-body batch (64-byte chunks, so the size line dominates).
const CHUNKS_N: usize = 1000;

fn chunked_wire(chunk: usize) -> Vec<u8> {
    inputs::chunked_body(CHUNKS_N * chunk, chunk).0
}

/// `CHUNKS_N` chunks of 32-96 bytes: neighbouring size lines seldom alike, so nearly every
/// one is parsed. With the body's length, for the check.
fn chunked_wire_varying(_: usize) -> (Vec<u8>, usize) {
    let (wire, data) = inputs::chunked_body_count(CHUNKS_N, 32, 96);
    (wire, data.len())
}

/// [`chunked_wire_varying`] without the length.
fn chunked_wire_varying_only(n: usize) -> Vec<u8> {
    chunked_wire_varying(n).0
}

/// [`chunked_wire`] with the body's length.
fn chunked_wire_len(chunk: usize) -> (Vec<u8>, usize) {
    (chunked_wire(chunk), CHUNKS_N * chunk)
}

fn chunked_buf(chunk: usize) -> BytesMut {
    BytesMut::from(&chunked_wire(chunk)[..])
}

#[library_benchmark]
#[bench::c64_per_1001(args = (64), setup = chunked_buf)]
fn chunked_ours(mut buf: BytesMut) -> Digest {
    let mut dec = codec_http_longpoll::ChunkedDecoder::new();
    let mut d = Digest::default();
    while let Some(ev) = dec.decode(black_box(&mut buf)).expect("valid") {
        match ev {
            codec_http_longpoll::ChunkedEvent::Data(b) => d.add_piece::<false>(&b),
            codec_http_longpoll::ChunkedEvent::Chunk(_) => d.msgs += 1,
            codec_http_longpoll::ChunkedEvent::End(_) => {}
        }
    }
    assert_eq!(d.msgs as usize, CHUNKS_N + 1);
    black_box(d)
}

#[library_benchmark]
#[bench::c64_per_1001(args = (64), setup = chunked_wire)]
fn chunked_ours_slice(wire: Vec<u8>) -> Digest {
    let d = http::chunked_ours_slice::<false>(black_box(&wire));
    assert_eq!(d.msgs as usize, CHUNKS_N + 1);
    black_box(d)
}

#[library_benchmark]
#[bench::c64_per_1001(args = (64), setup = chunked_wire_len)]
#[bench::vary_per_1001(args = (64), setup = chunked_wire_varying)]
fn chunked_ours_data((wire, len): (Vec<u8>, usize)) -> Digest {
    let d = http::chunked_ours_data::<false>(black_box(&wire));
    assert_eq!(d.bytes as usize, len);
    black_box(d)
}

#[library_benchmark]
#[bench::c64_per_1001(args = (64), setup = chunked_wire)]
#[bench::vary_per_1001(args = (64), setup = chunked_wire_varying_only)]
fn chunked_httparse(wire: Vec<u8>) -> Digest {
    let d = http::chunked_httparse::<false>(black_box(&wire));
    assert_eq!(d.msgs as usize, CHUNKS_N + 1);
    black_box(d)
}

fn size_lines(_: usize) -> Vec<u8> {
    // Only size lines, one per chunk: what a chunk-size parser alone costs.
    (0..CHUNKS_N)
        .flat_map(|i| format!("{:x}\r\n", 64 + i % 4000).into_bytes())
        .collect()
}

#[library_benchmark]
#[bench::lines_per_1000(args = (0), setup = size_lines)]
fn size_line_httparse(lines: Vec<u8>) -> u64 {
    let (mut pos, mut sum) = (0, 0u64);
    while pos < lines.len() {
        let Ok(httparse::Status::Complete((n, size))) =
            httparse::parse_chunk_size(black_box(&lines[pos..]))
        else {
            panic!("bad size line");
        };
        pos += n;
        sum += size;
    }
    black_box(sum)
}

/// Response heads per batch.
const HEADS_N: usize = 100;

fn heads(n: usize) -> Vec<u8> {
    inputs::response_heads(n)
}

fn heads_buf(n: usize) -> BytesMut {
    BytesMut::from(&heads(n)[..])
}

#[library_benchmark]
#[bench::heads_per_100(args = (HEADS_N), setup = heads_buf)]
fn heads_ours(mut buf: BytesMut) -> u64 {
    let mut dec = codec_http_longpoll::MessageDecoder::new(codec_http_longpoll::Role::Client);
    let mut n = 0;
    while let Some(ev) = dec.decode(black_box(&mut buf)).expect("valid") {
        n += u64::from(matches!(ev, codec_http_longpoll::Event::Response { .. }));
    }
    assert_eq!(n as usize, HEADS_N);
    black_box(n)
}

#[library_benchmark]
#[bench::heads_per_100(args = (HEADS_N), setup = heads)]
fn heads_httparse(input: Vec<u8>) -> u64 {
    black_box(http::heads_httparse(black_box(&input)))
}

library_benchmark_group!(
    name = http_per_chunk_and_head;
    benchmarks = chunked_ours, chunked_ours_slice, chunked_ours_data, chunked_httparse, size_line_httparse, heads_ours, heads_httparse
);

/// The vector's text; empty (and a notice) when the shared vectors are missing, unless `CI`
/// is set, where a missing vector fails the run.
fn sdp_text(file: &str) -> String {
    let path = bench::shared_vector(&format!("sdp/chromium/{file}"));
    match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if std::env::var_os("CI").is_some() => panic!("{}: {e}", path.display()),
        Err(e) => {
            eprintln!("notice: skipping SDP ({}: {e})", path.display());
            String::new()
        }
    }
}

#[library_benchmark]
#[bench::av_offer_per_1(args = ("02-audio-video-offer.sdp"), setup = sdp_text)]
#[bench::simulcast_offer_per_1(args = ("03-simulcast-offer.sdp"), setup = sdp_text)]
fn sdp_ours(text: String) -> usize {
    if text.is_empty() {
        return 0;
    }
    black_box(sdp::parse_ours(black_box(text.as_bytes())).line_count())
}

#[library_benchmark]
#[bench::av_offer_per_1(args = ("02-audio-video-offer.sdp"), setup = sdp_text)]
#[bench::simulcast_offer_per_1(args = ("03-simulcast-offer.sdp"), setup = sdp_text)]
fn sdp_ours_typed(text: String) -> u64 {
    if text.is_empty() {
        return 0;
    }
    black_box(sdp::parse_ours_typed(black_box(text.as_bytes())))
}

#[library_benchmark]
#[bench::av_offer_per_1(args = ("02-audio-video-offer.sdp"), setup = sdp_text)]
#[bench::simulcast_offer_per_1(args = ("03-simulcast-offer.sdp"), setup = sdp_text)]
fn sdp_webrtc_sdp(text: String) -> usize {
    if text.is_empty() {
        return 0;
    }
    black_box(sdp::parse_webrtc_sdp(black_box(&text)).media.len())
}

#[library_benchmark]
#[bench::av_offer_per_1(args = ("02-audio-video-offer.sdp"), setup = sdp_text)]
#[bench::simulcast_offer_per_1(args = ("03-simulcast-offer.sdp"), setup = sdp_text)]
fn sdp_sdp_crate(text: String) -> usize {
    if text.is_empty() {
        return 0;
    }
    black_box(
        sdp::parse_sdp_crate(black_box(&text))
            .media_descriptions
            .len(),
    )
}

library_benchmark_group!(
    name = sdp_parse;
    benchmarks = sdp_ours, sdp_ours_typed, sdp_webrtc_sdp, sdp_sdp_crate
);

main!(
    library_benchmark_groups = ws_decode_16b_125b_binary_16b_text,
    ws_encode_16b_binary_unmasked,
    sse_per_event,
    http_per_chunk_and_head,
    sdp_parse
);
