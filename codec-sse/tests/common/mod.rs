//! Helpers shared by the integration tests.
#![allow(dead_code)]

use codec_sse::{Decoder, Error, Item, Parser};

/// Feeds `chunks` one after another, draining after each, then finishes.
/// Every way to read (owned items, borrowed items, `feed_with`, and
/// `feed`/`feed_with` taking turns) must give the same items and the same
/// error; returns them.
pub(crate) fn run_chunks(decoder: Decoder, chunks: &[&[u8]]) -> Result<Vec<Item>, Error> {
    let owned = run_owned(decoder.clone(), chunks);
    assert_eq!(
        run_ref(decoder.clone(), chunks),
        owned,
        "next_ref differs from next_event"
    );
    assert_eq!(
        run_with(decoder.clone(), chunks, false),
        owned,
        "feed_with differs from next_event"
    );
    assert_eq!(
        run_with(decoder, chunks, true),
        owned,
        "feed/feed_with in turns differ from next_event"
    );
    owned
}

fn run_owned(decoder: Decoder, chunks: &[&[u8]]) -> Result<Vec<Item>, Error> {
    let mut p = Parser::from_decoder(decoder);
    let mut out = Vec::new();
    for c in chunks {
        p.feed(c);
        while let Some(item) = p.next_event()? {
            out.push(item);
        }
    }
    p.finish();
    while let Some(item) = p.next_event()? {
        out.push(item);
    }
    Ok(out)
}

fn run_ref(decoder: Decoder, chunks: &[&[u8]]) -> Result<Vec<Item>, Error> {
    let mut p = Parser::from_decoder(decoder);
    let mut out = Vec::new();
    for c in chunks {
        p.feed(c);
        while let Some(item) = p.next_ref()? {
            out.push(item.to_item());
        }
    }
    p.finish();
    while let Some(item) = p.next_ref()? {
        out.push(item.to_item());
    }
    Ok(out)
}

/// With `turns`, odd chunks go through `feed` (drained only up to the first
/// item) and even ones through `feed_with`.
fn run_with(decoder: Decoder, chunks: &[&[u8]], turns: bool) -> Result<Vec<Item>, Error> {
    let mut p = Parser::from_decoder(decoder);
    let mut out = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        if turns && i % 2 == 1 {
            p.feed(c);
            if let Some(item) = p.next_ref()? {
                out.push(item.to_item());
            }
        } else {
            p.feed_with(c, |item| out.push(item.to_item()))?;
        }
    }
    p.finish();
    while let Some(item) = p.next_ref()? {
        out.push(item.to_item());
    }
    Ok(out)
}

/// Splits `bytes` at the given sorted cut points.
pub(crate) fn split_at<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut prev = 0;
    for &c in cuts {
        let c = c.min(bytes.len());
        if c >= prev {
            out.push(&bytes[prev..c]);
            prev = c;
        }
    }
    out.push(&bytes[prev..]);
    out
}

/// A small deterministic generator for random splits (tests only).
pub(crate) struct XorShift(pub(crate) u64);

impl XorShift {
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Sorted random cut points in `0..=len`.
    pub(crate) fn cuts(&mut self, len: usize) -> Vec<usize> {
        let n = (self.next() % 8) as usize;
        let mut v: Vec<usize> = (0..n)
            .map(|_| (self.next() % (len as u64 + 1)) as usize)
            .collect();
        v.sort_unstable();
        v
    }
}

/// Decodes `bytes` whole, one byte at a time and at `rounds` random splits,
/// asserts all give the same items and returns them.
pub(crate) fn decode_every_way(
    make: impl Fn() -> Decoder,
    bytes: &[u8],
    rounds: usize,
) -> Result<Vec<Item>, Error> {
    let whole = run_chunks(make(), &[bytes])?;
    let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(
        run_chunks(make(), &bytewise)?,
        whole,
        "byte-by-byte differs for {bytes:?}"
    );
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ bytes.len() as u64);
    for _ in 0..rounds {
        let cuts = rng.cuts(bytes.len());
        let chunks = split_at(bytes, &cuts);
        assert_eq!(
            run_chunks(make(), &chunks)?,
            whole,
            "split {cuts:?} differs for {bytes:?}"
        );
    }
    Ok(whole)
}

/// `(type, data, lastEventId)` of every event, in order.
pub(crate) fn events(items: &[Item]) -> Vec<(String, String, String)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Event(e) => Some((
                e.event_type().to_owned(),
                e.data().to_owned(),
                e.last_event_id().to_owned(),
            )),
            _ => None,
        })
        .collect()
}

/// The shared vectors folder, or `None` (after a notice) when it is missing
/// outside CI. In CI a missing folder fails the test.
pub(crate) fn vectors_dir(sub: &str) -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors"))
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("conformance vectors missing at {}", dir.display());
    }
    eprintln!("notice: {} not found; skipping vector tests", dir.display());
    None
}
