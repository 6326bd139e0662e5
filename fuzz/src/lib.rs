//! The bodies of the fuzz targets, one function per target in `fuzz_targets/`, so that each target
//! file is one line and the same bodies can be replayed over the seeds by hand
//! (`cargo +nightly fuzz run TARGET seeds/TARGET -- -runs=0`).
//!
//! Every body asserts an invariant beyond "does not panic": splits give the same events,
//! encode → decode gives back what was encoded, and so on. A failed assertion is a finding.

pub mod http;
pub mod sdp;
pub mod sse;
pub mod ws;

/// Cuts `data` into pieces at the split points drawn from `seed` (each piece 1..=64 bytes), so a
/// split target can compare one input fed whole against the same input fed in pieces.
pub fn split_points(data: &[u8], seed: &[u8]) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut at = 0usize;
    let mut seeds = seed.iter().cycle();
    if seed.is_empty() {
        return (1..data.len()).collect();
    }
    loop {
        let step = 1 + (*seeds.next().unwrap_or(&0) as usize % 64);
        at += step;
        if at >= data.len() {
            return cuts;
        }
        cuts.push(at);
    }
}

/// The pieces of `data` between the given cut points.
pub fn pieces<'a>(data: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for &c in cuts {
        out.push(&data[start..c]);
        start = c;
    }
    out.push(&data[start..]);
    out
}

/// Splits fuzz input into a small control prefix and the payload: the first byte says how many
/// of the following bytes are control bytes (at most 16).
pub fn control_and_payload(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        None => (&[], &[]),
        Some((&n, rest)) => rest.split_at((n as usize % 17).min(rest.len())),
    }
}
