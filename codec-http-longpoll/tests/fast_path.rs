//! The chunked decoder's fast paths (a whole plain size line already in the
//! buffer) against its byte-by-byte scanner, which a buffer fed one byte at a
//! time always takes: every entry point (`decode`, `decode_slice`,
//! `decode_data`) fed the whole input must give the same sizes, extensions,
//! body, trailers and error (with its offset) as the scanner, on generated
//! size lines (accepted and rejected, strict and lenient) and on the bodies
//! of every llhttp vector case.

mod common;

use bytes::BytesMut;
use codec_http_longpoll::{
    ChunkedDecoder, ChunkedEvent, Error, Event, Leniency, Limits, MessageDecoder, RawEvent, Role,
};
use common::vector;
use proptest::prelude::*;
use serde_json::Value;

/// What a decode produced. `sizes` and `exts` list every chunk, except for
/// `decode_data`, which reports only chunks with extensions and the last one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Outcome {
    sizes: Vec<u64>,
    exts: Vec<Vec<u8>>,
    body: Vec<u8>,
    trailers: Vec<(Vec<u8>, Vec<u8>)>,
    error: Option<Error>,
    done: bool,
}

fn decoder(len: Leniency) -> ChunkedDecoder {
    ChunkedDecoder::with_config(
        Limits::default().max_chunk_ext_len(24).max_trailer_len(64),
        len,
    )
}

/// The slice API fed at `cuts`, dropping `consumed` bytes after each step.
/// With a cut after every byte this is the scanner alone.
fn slice_api(input: &[u8], cuts: &[usize], len: Leniency, data_loop: bool) -> Outcome {
    let mut dec = decoder(len);
    let mut o = Outcome::default();
    let mut held: Vec<u8> = Vec::new();
    let mut start = 0;
    for end in cuts.iter().copied().chain([input.len()]) {
        held.extend_from_slice(&input[start..end]);
        start = end;
        loop {
            let step = if data_loop {
                dec.decode_data(&held, |d| o.body.extend_from_slice(d))
            } else {
                dec.decode_slice(&held)
            };
            let step = match step {
                Ok(s) => s,
                Err(e) => {
                    o.error = Some(e);
                    return o;
                }
            };
            let more = match &step.event {
                None | Some(RawEvent::End) => false,
                Some(RawEvent::Chunk { size, ext }) => {
                    o.sizes.push(*size);
                    o.exts.push(held[ext.clone()].to_vec());
                    true
                }
                Some(RawEvent::Data(r)) => {
                    o.body.extend_from_slice(&held[r.clone()]);
                    true
                }
                Some(RawEvent::Trailer { name, value }) => {
                    o.trailers
                        .push((held[name.clone()].to_vec(), held[value.clone()].to_vec()));
                    true
                }
                Some(_) => unreachable!(),
            };
            held.drain(..step.consumed);
            if !more {
                break;
            }
        }
    }
    o.error = dec.check_eof(held.len()).err();
    o.done = dec.is_done();
    o
}

/// The `BytesMut` API on the whole input.
fn bytes_api(input: &[u8], len: Leniency) -> Outcome {
    let mut dec = decoder(len);
    let mut o = Outcome::default();
    let mut buf = BytesMut::from(input);
    loop {
        match dec.decode_eof(&mut buf) {
            Ok(Some(ChunkedEvent::Chunk(h))) => {
                o.sizes.push(h.size);
                o.exts.push(h.extensions.raw().to_vec());
            }
            Ok(Some(ChunkedEvent::Data(d))) => o.body.extend_from_slice(&d),
            Ok(Some(ChunkedEvent::End(t))) => {
                o.trailers = t
                    .iter()
                    .map(|f| (f.name().to_vec(), f.value().to_vec()))
                    .collect();
            }
            Ok(None) => break,
            Err(e) => {
                o.error = Some(e);
                return o;
            }
        }
    }
    o.done = dec.is_done();
    o
}

/// `decode_data` reports only chunks with extensions and the last chunk.
fn data_view(o: &Outcome) -> Outcome {
    let (sizes, exts) = o
        .sizes
        .iter()
        .zip(&o.exts)
        .filter(|(s, e)| **s == 0 || !e.is_empty())
        .map(|(s, e)| (*s, e.clone()))
        .unzip();
    Outcome {
        sizes,
        exts,
        ..o.clone()
    }
}

/// All entry points, whole, against the scanner; returns the scanner's outcome.
fn check_all(input: &[u8], len: Leniency) -> Outcome {
    let bytewise: Vec<usize> = (1..input.len()).collect();
    let slow = slice_api(input, &bytewise, len, false);
    assert_eq!(bytes_api(input, len), slow, "decode, {input:?}");
    assert_eq!(
        slice_api(input, &[], len, false),
        slow,
        "decode_slice, {input:?}"
    );
    let data = data_view(&slow);
    assert_eq!(
        slice_api(input, &[], len, true),
        data,
        "decode_data, {input:?}"
    );
    assert_eq!(
        slice_api(input, &bytewise, len, true),
        data,
        "decode_data bytewise, {input:?}"
    );
    slow
}

/// A body around one size line under test: a chunk before it (so the line
/// follows chunk data, the hottest path) or not, data for the size it
/// announces when small, then more chunks and the last chunk.
fn body_around(line: &[u8], after_data: bool) -> Vec<u8> {
    let mut v = Vec::new();
    if after_data {
        v.extend_from_slice(b"3\r\nabc\r\n");
    }
    v.extend_from_slice(line);
    let size = line
        .iter()
        .take_while(|b| b.is_ascii_hexdigit())
        .fold(0u64, |a, &b| {
            a.saturating_mul(16)
                .saturating_add(u64::from((b as char).to_digit(16).unwrap()))
        });
    if size <= 300 {
        v.extend((0..size).map(|i| b'a' + (i % 26) as u8));
        v.extend_from_slice(b"\r\n1a\r\n");
        v.extend_from_slice(&[b'z'; 26]);
        v.extend_from_slice(b"\r\n0\r\nX-T: 1\r\n\r\n");
    } else {
        v.extend_from_slice(b"partial");
    }
    v
}

#[test]
fn listed_size_lines() {
    let lines: &[&[u8]] = &[
        b"1\r\n",
        b"40\r\n",
        b"0040\r\n",
        b"ffff\r\n",
        b"FfFf\r\n",
        b"1000\r\n",
        b"10000\r\n",
        b"000000000000012c\r\n",
        b"0000000000000012c\r\n",
        b"ffffffffffffffff\r\n",
        b"10000000000000000\r\n",
        b"0\r\n",
        b"00\r\n",
        b"\r\n",
        b"g\r\n",
        b"4g\r\n",
        b"4 \r\n",
        b"4\t\r\n",
        b"4 ;a\r\n",
        b"4;a=b\r\n",
        b"4;\r\n",
        b"4\n",
        b"4\r",
        b"4\rx\r\n",
        b"4\r\r\n",
        b"-4\r\n",
        b"+4\r\n",
        b" 4\r\n",
        b"0x4\r\n",
        b"4\r\n\r\n",
    ];
    let modes = [
        Leniency::default(),
        Leniency::all(),
        Leniency::default().allow_spaces_after_chunk_size(true),
        Leniency::default().allow_optional_cr_before_lf(true),
        Leniency::default().allow_optional_lf_after_cr(true),
        Leniency::default().allow_optional_crlf_after_chunk(true),
    ];
    let mut accepted = 0;
    for line in lines {
        for after_data in [false, true] {
            let input = body_around(line, after_data);
            for len in modes {
                accepted += usize::from(check_all(&input, len).done);
            }
        }
        // The CRLF after the data goes missing or goes bare.
        for sep in [&b""[..], b"\n", b"\r", b"\r\r\n", b" \r\n"] {
            let mut input = b"3\r\nabc".to_vec();
            input.extend_from_slice(sep);
            input.extend_from_slice(&body_around(line, false));
            for len in modes {
                check_all(&input, len);
            }
        }
    }
    assert!(accepted > 40, "{accepted}");
}

fn size_line() -> impl Strategy<Value = Vec<u8>> {
    let digits = proptest::collection::vec(
        prop_oneof![Just(b'0'), Just(b'1'), Just(b'f'), Just(b'A'), Just(b'9')],
        0..20,
    );
    let tail = prop_oneof![
        4 => Just(&b""[..]),
        1 => Just(&b" "[..]),
        1 => Just(&b"\t"[..]),
        1 => Just(&b";e"[..]),
        1 => Just(&b";e=\"v\""[..]),
        1 => Just(&b" ;e"[..]),
        1 => Just(&b"g"[..]),
        1 => Just(&b";"[..]),
    ];
    let end = prop_oneof![
        6 => Just(&b"\r\n"[..]),
        1 => Just(&b"\n"[..]),
        1 => Just(&b"\r"[..]),
        1 => Just(&b"\rx"[..]),
        1 => Just(&b"\r\r\n"[..]),
        1 => Just(&b""[..]),
    ];
    (digits, tail, end).prop_map(|(d, t, e)| [&d[..], t, e].concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Generated size lines, accepted and rejected, after data or first.
    #[test]
    fn generated_size_lines(lines in proptest::collection::vec(size_line(), 1..4),
                            after_data in any::<bool>(), lenient in any::<bool>()) {
        let len = if lenient { Leniency::all() } else { Leniency::default() };
        let mut input = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let mut b = body_around(line, after_data || i > 0);
            if i + 1 < lines.len() {
                // Keep going: drop the last chunk and trailers of all but the last body.
                if let Some(p) = b.windows(3).rposition(|w| w == b"\n0\r") {
                    b.truncate(p + 1);
                }
            }
            input.extend_from_slice(&b);
        }
        check_all(&input, len);
    }
}

/// Size lines that look alike: the same size written in other ways, and the
/// same digits with something wrong after them. The data loop remembers the
/// last line it parsed; these make it meet near misses of that line.
const LOOKALIKES: &[(&[u8], usize)] = &[
    (b"4\r\n", 4),
    (b"04\r\n", 4),
    (b"004\r\n", 4),
    (b"0004\r\n", 4),
    (b"40\r\n", 64),
    (b"a\r\n", 10),
    (b"A\r\n", 10),
    (b"0a\r\n", 10),
    (b"4;e\r\n", 4),
    (b"4 \r\n", 4),
    (b"4\n", 4),
    (b"4\r\r\n", 4),
    (b"4\rx", 4),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Runs of chunks that mostly repeat the previous size line, with
    /// look-alike and broken lines among them, and data of every byte value
    /// (so the bytes after a short line differ from chunk to chunk).
    #[test]
    fn repeated_and_lookalike_size_lines(
        picks in proptest::collection::vec((0..LOOKALIKES.len(), 0u8..4, any::<u8>()), 1..40),
        lenient in any::<bool>(),
    ) {
        let len = if lenient { Leniency::all() } else { Leniency::default() };
        let mut input = Vec::new();
        let mut line = 0;
        for (pick, keep, seed) in picks {
            // Three times in four: the same line as before.
            if keep == 0 {
                line = pick;
            }
            let (text, size) = LOOKALIKES[line];
            input.extend_from_slice(text);
            input.extend((0..size).map(|i| seed.wrapping_add((i as u8).wrapping_mul(37))));
            input.extend_from_slice(b"\r\n");
        }
        input.extend_from_slice(b"0\r\n\r\n");
        check_all(&input, len);
    }
}

/// The chunked bodies of the llhttp cases (what follows a head that says
/// chunked), strict and with every leniency.
#[test]
fn llhttp_bodies() {
    let Some(text) = vector("chunked/llhttp_cases.json") else {
        return;
    };
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut bodies = 0;
    for case in &cases {
        let input = case["input"].as_str().unwrap().as_bytes();
        let role = match case["kind"].as_str().unwrap() {
            "request" => Role::Server,
            _ => Role::Client,
        };
        let mut dec = MessageDecoder::with_config(role, Limits::default(), Leniency::all());
        let mut buf = BytesMut::from(input);
        let chunked = matches!(
            dec.decode(&mut buf),
            Ok(Some(
                Event::Request {
                    body: codec_http_longpoll::BodyKind::Chunked,
                    ..
                } | Event::Response {
                    body: codec_http_longpoll::BodyKind::Chunked,
                    ..
                }
            ))
        );
        if chunked {
            bodies += 1;
            for len in [Leniency::default(), Leniency::all()] {
                check_all(&buf, len);
            }
        }
    }
    assert!(bodies >= 30, "{bodies}");
}
