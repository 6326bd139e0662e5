//! Throughput of the decoder on the workloads (no external harness:
//! `cargo bench -p codec-sse --bench parse`). The cross-crate comparison
//! lives in the workspace's `bench/` crate; this one tracks our own numbers
//! and a memchr-per-line baseline on the same bytes.

use std::hint::black_box;
use std::time::{Duration, Instant};

use codec_sse::{Item, ItemRef, Parser};

/// About 1 MiB of typical events: id, event, two data lines, a comment now and then.
fn typical() -> Vec<u8> {
    let mut s = Vec::with_capacity(1 << 20);
    let mut n = 0u64;
    while s.len() < 1 << 20 {
        n += 1;
        if n % 16 == 0 {
            s.extend_from_slice(b": keep-alive\n");
        }
        s.extend_from_slice(
            format!(
                "id: {n}\nevent: update\ndata: {{\"user\":\"alice\",\"seq\":{n},\"text\":\"hello world, how are you\"}}\ndata: {{\"more\":true,\"tags\":[\"a\",\"b\"]}}\n\n"
            )
            .as_bytes(),
        );
    }
    s
}

/// About 1 MiB of LLM-style token events.
fn llm() -> Vec<u8> {
    let mut s = Vec::with_capacity(1 << 20);
    let words = [
        "Hello", " world", ",", " the", " quick", " brown", " fox", " jumps",
    ];
    let mut i = 0;
    while s.len() < 1 << 20 {
        s.extend_from_slice(
            format!(
                "data: {{\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{}\"}}}}]}}\n\n",
                words[i % words.len()]
            )
            .as_bytes(),
        );
        i += 1;
    }
    s
}

/// The fast path: `Parser::feed_with` on each chunk, items borrowed.
fn parse(input: &[u8], chunk: usize) -> usize {
    let mut p = Parser::new();
    let mut n = 0;
    for c in input.chunks(chunk) {
        p.feed_with(c, |item| {
            if let ItemRef::Event(e) = item {
                n += e.data().len();
                black_box(&e);
            }
        })
        .expect("valid stream");
    }
    n
}

/// Owned items: `Parser::feed` and `next_event`.
fn parse_owned(input: &[u8], chunk: usize) -> usize {
    let mut p = Parser::new();
    let mut n = 0;
    for c in input.chunks(chunk) {
        p.feed(c);
        while let Some(item) = p.next_event().expect("valid stream") {
            if let Item::Event(e) = item {
                n += e.data().len();
                black_box(&e);
            }
        }
    }
    n
}

/// Baseline: find every line end with one memchr2 call per line.
fn memchr_lines(input: &[u8]) -> usize {
    let mut pos = 0;
    let mut lines = 0;
    while let Some(i) = memchr::memchr2(b'\n', b'\r', &input[pos..]) {
        pos += i + 1;
        lines += 1;
    }
    lines
}

fn measure(name: &str, bytes: usize, mut f: impl FnMut() -> usize) {
    // Warm up, then take the best of several runs of at least 200 ms.
    black_box(f());
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let mut iters = 0u32;
        while start.elapsed() < Duration::from_millis(200) {
            black_box(f());
            iters += 1;
        }
        best = best.min(start.elapsed().as_secs_f64() / f64::from(iters));
    }
    println!("{name:<32} {:>7.2} GB/s", bytes as f64 / best / 1e9);
}

fn main() {
    // `SSE_BENCH_ONLY=typical` runs one parse of that input 200 times (for `perf stat`);
    // `SSE_BENCH_CHUNK=256` sets the chunk size, `SSE_BENCH_OWNED=1` uses owned items.
    if let Ok(which) = std::env::var("SSE_BENCH_ONLY") {
        let input = if which == "llm" { llm() } else { typical() };
        let chunk = std::env::var("SSE_BENCH_CHUNK")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(16 * 1024);
        let iters = std::env::var("SSE_BENCH_ITERS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(200);
        let owned = std::env::var_os("SSE_BENCH_OWNED").is_some();
        for _ in 0..iters {
            if owned {
                black_box(parse_owned(&input, chunk));
            } else {
                black_box(parse(&input, chunk));
            }
        }
        return;
    }
    for (label, input) in [("typical", typical()), ("llm", llm())] {
        let events = input.windows(2).filter(|w| w == b"\n\n").count();
        println!("{label}: {} bytes, {events} events", input.len());
        measure(
            &format!("{label} codec-sse 16 KiB chunks"),
            input.len(),
            || parse(&input, 16 * 1024),
        );
        measure(
            &format!("{label} codec-sse 256 B chunks"),
            input.len(),
            || parse(&input, 256),
        );
        measure(
            &format!("{label} owned items 16 KiB chunks"),
            input.len(),
            || parse_owned(&input, 16 * 1024),
        );
        measure(&format!("{label} memchr2 per line"), input.len(), || {
            memchr_lines(&input)
        });
    }
}
