//! Shared helpers: vector loading (with the CI/skip rule) and a split-feeding harness.
#![allow(dead_code, unreachable_pub)]

use bytes::BytesMut;
use codec_http_longpoll::{BodyKind, Error, Event, Leniency, Limits, MessageDecoder, Role};

/// Read a file from /work/shared/vectors. `None` (after a notice) when the
/// folder is missing and CI is unset; panics when CI is set.
pub fn vector(rel: &str) -> Option<String> {
    let path = format!("{}/../../shared/vectors/{rel}", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("conformance vectors missing at {path}: {e}");
            }
            eprintln!("SKIP: conformance vectors not found at {path} ({e})");
            None
        }
    }
}

/// One decoded message, aggregated so that different splits compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Msg {
    pub status: Option<u16>,
    pub kind: Option<BodyKind>,
    pub sizes: Vec<u64>,
    pub exts: Vec<Vec<u8>>,
    pub body: Vec<u8>,
    pub trailers: Vec<(Vec<u8>, Vec<u8>)>,
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    pub messages: Vec<Msg>,
    /// The error, and whether it only appeared at end of input.
    pub error: Option<(Error, bool)>,
    pub upgraded: bool,
    pub leftover: Vec<u8>,
}

impl Outcome {
    pub fn completed(&self) -> usize {
        self.messages.iter().filter(|m| m.complete).count()
    }
    pub fn error_before_eof(&self) -> bool {
        matches!(self.error, Some((_, false)))
    }
}

fn apply(out: &mut Outcome, ev: Event) {
    match ev {
        Event::Request { body, .. } => out.messages.push(Msg {
            kind: Some(body),
            ..Msg::default()
        }),
        Event::Response { head, body } => out.messages.push(Msg {
            status: Some(head.status()),
            kind: Some(body),
            ..Msg::default()
        }),
        Event::Chunk(h) => {
            let m = out.messages.last_mut().expect("chunk before head");
            m.sizes.push(h.size);
            m.exts.push(h.extensions.raw().to_vec());
        }
        Event::Data(d) => {
            assert!(!d.is_empty(), "empty Data event");
            out.messages
                .last_mut()
                .expect("data before head")
                .body
                .extend_from_slice(&d);
        }
        Event::End(t) => {
            let m = out.messages.last_mut().expect("end before head");
            m.complete = true;
            m.trailers = t
                .iter()
                .map(|f| (f.name().to_vec(), f.value().to_vec()))
                .collect();
        }
        Event::Upgrade => out.upgraded = true,
        _ => {}
    }
}

/// Feed `input` cut at `cuts` (sorted offsets), then signal end of input.
pub fn run(role: Role, limits: Limits, len: Leniency, input: &[u8], cuts: &[usize]) -> Outcome {
    let mut dec = MessageDecoder::with_config(role, limits, len);
    let mut out = Outcome::default();
    let mut buf = BytesMut::new();
    let mut start = 0;
    let ends = cuts.iter().copied().chain(std::iter::once(input.len()));
    for end in ends {
        buf.extend_from_slice(&input[start..end]);
        start = end;
        loop {
            match dec.decode(&mut buf) {
                Ok(Some(ev)) => apply(&mut out, ev),
                Ok(None) => break,
                Err(e) => {
                    // Errors are sticky.
                    assert_eq!(dec.decode(&mut buf), Err(e.clone()));
                    out.error = Some((e, false));
                    out.leftover = buf.to_vec();
                    return out;
                }
            }
        }
    }
    loop {
        match dec.decode_eof(&mut buf) {
            Ok(Some(ev)) => apply(&mut out, ev),
            Ok(None) => break,
            Err(e) => {
                out.error = Some((e, true));
                break;
            }
        }
    }
    out.upgraded |= dec.is_upgraded();
    out.leftover = buf.to_vec();
    out
}

/// Small deterministic PRNG (xorshift64*), so failures reproduce.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn cuts(&mut self, len: usize) -> Vec<usize> {
        if len < 2 {
            return Vec::new();
        }
        let n = (self.next() % 6) as usize;
        let mut v: Vec<usize> = (0..n)
            .map(|_| 1 + (self.next() as usize) % (len - 1))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Run whole, byte by byte and at `random` random splits; assert all agree
/// and return the whole-input outcome.
pub fn run_all_splits(
    role: Role,
    limits: Limits,
    len: Leniency,
    input: &[u8],
    seed: u64,
    random: usize,
) -> Outcome {
    let whole = run(role, limits, len, input, &[]);
    let bytewise: Vec<usize> = (1..input.len()).collect();
    let b = run(role, limits, len, input, &bytewise);
    assert_eq!(normalize(&whole), normalize(&b), "byte-by-byte differs");
    let mut rng = Rng::new(seed);
    for _ in 0..random {
        let cuts = rng.cuts(input.len());
        let r = run(role, limits, len, input, &cuts);
        assert_eq!(
            normalize(&whole),
            normalize(&r),
            "split at {cuts:?} differs"
        );
    }
    whole
}

/// Leftover can differ only in what it means for "consumed before error"
/// (fed-later bytes are not in the buffer when the error shows), so compare
/// everything else.
fn normalize(o: &Outcome) -> Outcome {
    Outcome {
        leftover: Vec::new(),
        ..o.clone()
    }
}
