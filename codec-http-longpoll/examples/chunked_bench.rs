//! Rough throughput check for the chunked decoder (the real benchmarks live in
//! the workspace's bench/ crate). Run in release:
//! `cargo run --release -p codec-http-longpoll --example chunked_bench [mode]`
//! with mode `all` (default), or one of `ours64`, `slice64`, `data64`,
//! `httparse64`, `build64` (one pass over 64-byte chunks, for instruction
//! counting under valgrind: subtract `build64`, divide by 65536).

use std::hint::black_box;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use codec_http_longpoll::{ChunkedDecoder, ChunkedEncoder, ChunkedEvent, Headers, RawEvent};

const TOTAL: usize = 4 << 20;

fn body(chunk: usize) -> Bytes {
    let data: Vec<u8> = (0..TOTAL).map(|i| (i % 251) as u8).collect();
    let mut enc = ChunkedEncoder::new();
    let mut out = BytesMut::with_capacity(TOTAL + TOTAL / chunk * 8 + 16);
    for c in data.chunks(chunk) {
        enc.encode_chunk(c, &mut out).unwrap();
    }
    enc.finish(&Headers::new(), &mut out).unwrap();
    out.freeze()
}

/// Zero-copy: count the data, don't touch it.
fn ours(wire: &Bytes) -> usize {
    ours_buf(BytesMut::from(&wire[..]))
}

fn ours_buf(mut buf: BytesMut) -> usize {
    let mut dec = ChunkedDecoder::new();
    let mut n = 0;
    while let Some(ev) = dec.decode(&mut buf).unwrap() {
        if let ChunkedEvent::Data(d) = ev {
            n += d.len();
        }
    }
    n
}

/// Copy the body out into a preallocated Vec.
fn ours_copy(mut buf: BytesMut, out: &mut Vec<u8>) -> usize {
    out.clear();
    let mut dec = ChunkedDecoder::new();
    while let Some(ev) = dec.decode(&mut buf).unwrap() {
        if let ChunkedEvent::Data(d) = ev {
            out.extend_from_slice(&d);
        }
    }
    out.len()
}

/// The slice API: no refcounts, no allocation.
fn ours_slice(wire: &[u8]) -> usize {
    let mut dec = ChunkedDecoder::new();
    let (mut pos, mut n) = (0, 0);
    loop {
        let step = dec.decode_slice(&wire[pos..]).unwrap();
        pos += step.consumed;
        match step.event {
            Some(RawEvent::Data(r)) => n += r.len(),
            Some(RawEvent::End) | None => return n,
            Some(_) => {}
        }
    }
}

/// The slice API, copying the body out.
fn ours_slice_copy(wire: &[u8], out: &mut Vec<u8>) -> usize {
    out.clear();
    let mut dec = ChunkedDecoder::new();
    let mut pos = 0;
    loop {
        let step = dec.decode_slice(&wire[pos..]).unwrap();
        match step.event {
            Some(RawEvent::Data(r)) => out.extend_from_slice(&wire[pos..][r]),
            Some(RawEvent::End) | None => return out.len(),
            Some(_) => {}
        }
        pos += step.consumed;
    }
}

/// `decode_data`: the hot loop for extension-free chunks.
fn ours_data_loop(wire: &[u8]) -> usize {
    let mut dec = ChunkedDecoder::new();
    let (mut pos, mut n) = (0, 0);
    loop {
        let step = dec.decode_data(&wire[pos..], |d| n += d.len()).unwrap();
        pos += step.consumed;
        match step.event {
            Some(RawEvent::End) | None => return n,
            Some(_) => {}
        }
    }
}

/// `decode_data`, copying the body out.
fn ours_data_loop_copy(wire: &[u8], out: &mut Vec<u8>) -> usize {
    out.clear();
    let mut dec = ChunkedDecoder::new();
    let mut pos = 0;
    loop {
        let step = dec
            .decode_data(&wire[pos..], |d| out.extend_from_slice(d))
            .unwrap();
        pos += step.consumed;
        match step.event {
            Some(RawEvent::End) | None => return out.len(),
            Some(_) => {}
        }
    }
}

/// A loop over httparse::parse_chunk_size, skipping data and CRLF.
fn httparse_loop(wire: &[u8]) -> usize {
    let mut i = 0;
    let mut n = 0;
    loop {
        match httparse::parse_chunk_size(&wire[i..]) {
            Ok(httparse::Status::Complete((_, 0))) => return n,
            Ok(httparse::Status::Complete((used, size))) => {
                i += used + size as usize + 2;
                n += size as usize;
            }
            _ => panic!("bad"),
        }
    }
}

fn time<F: FnMut() -> usize>(name: &str, bytes: usize, lines: usize, mut f: F) {
    time_setup(name, bytes, lines, || (), |()| f());
}

/// Best of 15 runs; `setup` is not timed.
fn time_setup<S, T: FnMut() -> S, F: FnMut(S) -> usize>(
    name: &str,
    bytes: usize,
    lines: usize,
    mut setup: T,
    mut f: F,
) {
    let mut best = f64::MAX;
    for _ in 0..15 {
        let s = setup();
        let t = Instant::now();
        black_box(f(s));
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{name:<28} {:>7.2} GB/s  {:>6.2} ns/chunk",
        bytes as f64 / best / 1e9,
        best * 1e9 / lines as f64
    );
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    if mode == "ours64" {
        black_box(ours(&body(64)));
        return;
    }
    if mode == "ours64x" {
        let w = body(64);
        for _ in 0..40 {
            black_box(ours(&w));
        }
        return;
    }
    if mode == "slice64" {
        black_box(ours_slice(&body(64)));
        return;
    }
    if mode == "data64" {
        black_box(ours_data_loop(&body(64)));
        return;
    }
    if mode == "httparse64" {
        black_box(httparse_loop(&body(64)));
        return;
    }
    if mode == "build64" {
        black_box(body(64));
        return;
    }
    let src: Vec<u8> = vec![7; TOTAL];
    let mut dst = vec![0u8; TOTAL];
    time("memcpy 4 MiB", TOTAL, 1, || {
        dst.copy_from_slice(black_box(&src));
        dst[0] as usize
    });
    for chunk in [64, 1024, 64 * 1024] {
        let wire = body(chunk);
        let lines = TOTAL / chunk;
        let mut out = Vec::with_capacity(TOTAL);
        let setup = || BytesMut::from(&wire[..]);
        time_setup(
            &format!("ours zero-copy {chunk} B"),
            TOTAL,
            lines,
            setup,
            ours_buf,
        );
        time_setup(
            &format!("ours copy-out {chunk} B"),
            TOTAL,
            lines,
            setup,
            |b| ours_copy(b, &mut out),
        );
        time(&format!("ours slice {chunk} B"), TOTAL, lines, || {
            ours_slice(&wire)
        });
        time(
            &format!("ours slice copy-out {chunk} B"),
            TOTAL,
            lines,
            || ours_slice_copy(&wire, &mut out),
        );
        time(&format!("ours data-loop {chunk} B"), TOTAL, lines, || {
            ours_data_loop(&wire)
        });
        time(
            &format!("ours data-loop copy {chunk} B"),
            TOTAL,
            lines,
            || ours_data_loop_copy(&wire, &mut out),
        );
        time(&format!("httparse loop {chunk} B"), TOTAL, lines, || {
            httparse_loop(&wire)
        });
    }
}
