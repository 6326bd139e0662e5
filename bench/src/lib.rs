//! The side-by-side benchmark harness: our codecs and the best peers on the same bytes, in one
//! process, with their rounds interleaved so that the noise of this shared machine hits every
//! contender alike.
//!
//! Absolute timings move 1.5-2× from run to run on the 2-core VM we develop on, so the harness
//! reports *ratios of medians* measured in one run (ours against each peer, and each contender
//! against a `memcpy` of the same input), never absolute numbers alone. Pin the process to one core
//! (`taskset -c 1`, as `scripts/bench.sh` does) for steadier numbers.
//!
//! Why no criterion or divan here: both run one benchmark to completion before the next, so a
//! burst of load from another tenant lands on one contender only. Interleaving the rounds is the
//! point, and it takes a hundred lines.
//!
//! Two benchmark binaries use this harness and [`inputs`]: `benches/throughput.rs` (the table)
//! and `benches/instructions.rs` (gungraun instruction counts per item). The library itself has
//! no dependencies; the dev-dependencies are there because each is a contender or drives one:
//! - ours: `codec-ws`, `codec-sse`, `codec-http-longpoll`, `codec-sdp`, with `bytes`;
//! - WebSocket peers: `tungstenite` (blocking `Read + Write`), `tokio-websockets` and
//!   `fastwebsockets` (tokio's `AsyncRead`/`AsyncWrite`, hence `tokio`, polled by `futures`'
//!   executor over an in-memory stream: no runtime);
//! - SSE peers: `sse-stream`, `eventsource-stream` (stream adapters, driven through `futures`),
//!   `sse-parse` (a sans-IO core),
//!   and `memchr` for the one-`memchr`-per-line floor;
//! - HTTP peer: `httparse` (`parse_chunk_size` loop, `Response::parse`);
//! - SDP peers: `webrtc-sdp` (Mozilla) and `sdp` (webrtc-rs);
//! - `gungraun`: instruction counts over valgrind (exact on a noisy shared machine).

pub mod inputs;

use std::hint::black_box;
use std::time::{Duration, Instant};

/// One contender in a comparison: a name and a closure that does one unit of work and returns a
/// value derived from the output (so the optimiser cannot drop the work).
pub struct Contender<'a> {
    /// Shown in the table, e.g. `"ours"`, `"tungstenite"`, `"memcpy"`.
    pub name: &'static str,
    /// One unit of work (decode the whole input once, say).
    pub run: Box<dyn FnMut() -> u64 + 'a>,
}

impl<'a> Contender<'a> {
    /// Wraps a closure as a contender.
    pub fn new(name: &'static str, run: impl FnMut() -> u64 + 'a) -> Self {
        Self {
            name,
            run: Box::new(run),
        }
    }
}

/// What one unit of work covers, for throughput figures.
#[derive(Clone, Copy, Debug)]
pub struct Work {
    /// Input bytes handled per unit.
    pub bytes: u64,
    /// Items (messages, events, chunks) handled per unit.
    pub items: u64,
}

/// The result of one comparison: the median time per unit for each contender.
#[derive(Debug)]
pub struct Comparison {
    /// The comparison's name, e.g. `"ws decode 16 B binary"`.
    pub name: String,
    /// Work per unit.
    pub work: Work,
    /// Contender names and median nanoseconds per unit, in the order given.
    pub medians: Vec<(&'static str, f64)>,
    /// The fastest sample of each contender (ns per unit), same order. On a loaded machine the
    /// best sample is the one least disturbed by other tenants: when the median ratio and the
    /// best ratio disagree, the row was noisy.
    pub best: Vec<f64>,
}

/// Settings for [`compare`].
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Rounds; each round times every contender once, in turn.
    pub rounds: usize,
    /// Target duration of one timed sample.
    pub sample: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        let quick = std::env::var_os("BENCH_QUICK").is_some();
        Self {
            rounds: if quick { 5 } else { 31 },
            sample: Duration::from_millis(if quick { 2 } else { 10 }),
        }
    }
}

/// Times every contender in interleaved rounds and returns the median time per unit of each.
///
/// Each contender first runs until it has taken `settings.sample` once, which fixes its iteration
/// count; then every round times each contender for that many iterations.
pub fn compare(
    name: &str,
    work: Work,
    settings: Settings,
    contenders: &mut [Contender<'_>],
) -> Comparison {
    let iters: Vec<u64> = contenders
        .iter_mut()
        .map(|c| calibrate(&mut c.run, settings.sample))
        .collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(settings.rounds); contenders.len()];
    for _ in 0..settings.rounds {
        for (i, c) in contenders.iter_mut().enumerate() {
            let t = Instant::now();
            let mut acc = 0u64;
            for _ in 0..iters[i] {
                acc = acc.wrapping_add((c.run)());
            }
            black_box(acc);
            samples[i].push(t.elapsed().as_nanos() as f64 / iters[i] as f64);
        }
    }
    let medians = contenders
        .iter()
        .zip(samples.iter_mut())
        .map(|(c, s)| (c.name, median(s)))
        .collect();
    // `median` sorted each sample list.
    let best = samples
        .iter()
        .map(|s| s.first().copied().unwrap_or(f64::NAN))
        .collect();
    Comparison {
        name: name.to_string(),
        work,
        medians,
        best,
    }
}

fn calibrate(run: &mut dyn FnMut() -> u64, sample: Duration) -> u64 {
    let mut n = 1u64;
    loop {
        let t = Instant::now();
        let mut acc = 0u64;
        for _ in 0..n {
            acc = acc.wrapping_add(run());
        }
        black_box(acc);
        let took = t.elapsed();
        if took >= sample / 4 || n >= 1 << 30 {
            let per = took.as_nanos().max(1) as f64 / n as f64;
            return ((sample.as_nanos() as f64 / per) as u64).max(1);
        }
        n *= 4;
    }
}

fn median(s: &mut [f64]) -> f64 {
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Formats comparisons as a Markdown table: time per unit, throughput, and for each contender its
/// speed relative to the first contender (`ours / peer`: above 1 means ours is faster) and, when a
/// contender named `memcpy` exists, the time relative to that copy. The last column repeats the
/// speed ratio from each contender's best sample, as a check on noise.
pub fn table(rows: &[Comparison]) -> String {
    let mut out = String::from(
        "| benchmark | contender | time/unit | GB/s | M items/s | ours ÷ this (speed) | × memcpy time | ours ÷ this (best) |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let ours = r.medians.first().map(|m| m.1).unwrap_or(f64::NAN);
        let ours_best = r.best.first().copied().unwrap_or(f64::NAN);
        let memcpy = r
            .medians
            .iter()
            .find(|m| m.0 == "memcpy")
            .map(|m| m.1)
            .unwrap_or(f64::NAN);
        for (i, (name, ns)) in r.medians.iter().enumerate() {
            let gbs = r.work.bytes as f64 / ns;
            let mits = r.work.items as f64 * 1e3 / ns;
            let best = r.best.get(i).copied().unwrap_or(f64::NAN);
            out.push_str(&format!(
                "| {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |\n",
                r.name,
                name,
                fmt_ns(*ns),
                gbs,
                mits,
                ns / ours,
                ns / memcpy,
                best / ours_best
            ));
        }
    }
    out
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// Copies `src` into `dst` (same length): the memcpy baseline every table row is held against.
pub fn memcpy(dst: &mut [u8], src: &[u8]) -> u64 {
    dst.copy_from_slice(black_box(src));
    black_box(&dst);
    dst.len() as u64
}

/// Path of a file in the team's shared test vectors (`../shared/vectors/...` beside the clone).
pub fn shared_vector(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors")
        .join(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }

    #[test]
    fn compare_orders_a_slow_and_a_fast_contender() {
        let data = vec![7u8; 1 << 16];
        let mut dst = vec![0u8; 1 << 16];
        let mut small = [0u8; 16];
        let settings = Settings {
            rounds: 3,
            sample: Duration::from_micros(500),
        };
        let cmp = compare(
            "t",
            Work { bytes: 1, items: 1 },
            settings,
            &mut [
                Contender::new("big", || memcpy(&mut dst, &data)),
                Contender::new("small", || memcpy(&mut small, &data[..16])),
            ],
        );
        // Copying 64 KiB cannot be faster than copying 16 bytes.
        assert!(cmp.medians[0].1 > cmp.medians[1].1, "{cmp:?}");
        assert!(
            cmp.best[0] > cmp.best[1] && cmp.best[0] <= cmp.medians[0].1,
            "{cmp:?}"
        );
        let t = table(&[cmp]);
        assert!(t.contains("| t | big |"));
    }
}

/// The workspace README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
