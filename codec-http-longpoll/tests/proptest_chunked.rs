//! Property tests: split invariance and encode -> decode round trips.

mod common;

use bytes::BytesMut;
use codec_http_longpoll::{
    ChunkedDecoder, ChunkedEncoder, ChunkedEvent, Headers, Leniency, Limits, Role,
};
use common::run;
use proptest::prelude::*;

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,8}"
}

fn ext_value() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        token().prop_map(Some),
        "[ -~\t]{0,10}".prop_map(Some)
    ]
}

type Ext = Vec<(String, Option<String>)>;
type Chunk = (Vec<u8>, Ext);

#[derive(Debug, Clone)]
struct Body {
    chunks: Vec<Chunk>,
    trailers: Vec<(String, String)>,
}

fn body() -> impl Strategy<Value = Body> {
    let chunk = (
        proptest::collection::vec(any::<u8>(), 1..200),
        proptest::collection::vec((token(), ext_value()), 0..3),
    );
    (
        proptest::collection::vec(chunk, 0..6),
        proptest::collection::vec((token(), "[!-~]([ -~]{0,10}[!-~])?"), 0..4),
    )
        .prop_map(|(chunks, trailers)| Body { chunks, trailers })
}

fn encode(b: &Body) -> BytesMut {
    let mut enc = ChunkedEncoder::new();
    let mut out = BytesMut::new();
    for (data, ext) in &b.chunks {
        let ext: Vec<(&str, Option<&str>)> = ext
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_deref()))
            .collect();
        enc.encode_chunk_with_ext(data, &ext, &mut out).unwrap();
    }
    let mut t = Headers::new();
    for (n, v) in &b.trailers {
        t.push(n.clone(), v.clone()).unwrap();
    }
    enc.finish(&t, &mut out).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn roundtrip_bodies_extensions_trailers(b in body(), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let wire = encode(&b);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % wire.len()).collect();
        cuts.sort_unstable();
        let mut dec = ChunkedDecoder::new();
        let mut buf = BytesMut::new();
        let mut got_chunks: Vec<Chunk> = Vec::new();
        let mut trailers = None;
        let mut start = 0;
        for end in cuts.into_iter().chain(std::iter::once(wire.len())) {
            buf.extend_from_slice(&wire[start..end]);
            start = end;
            while let Some(ev) = dec.decode(&mut buf).unwrap() {
                match ev {
                    ChunkedEvent::Chunk(h) if h.size > 0 => {
                        let ext = h.extensions.iter().map(|e| (
                            String::from_utf8(e.name.to_vec()).unwrap(),
                            e.value.map(|v| String::from_utf8(v.unquoted().into_owned()).unwrap()),
                        )).collect();
                        got_chunks.push((Vec::new(), ext));
                    }
                    ChunkedEvent::Chunk(_) => {}
                    ChunkedEvent::Data(d) => got_chunks.last_mut().unwrap().0.extend_from_slice(&d),
                    ChunkedEvent::End(t) => trailers = Some(t),
                }
            }
        }
        prop_assert!(dec.is_done());
        prop_assert!(buf.is_empty());
        prop_assert_eq!(got_chunks, b.chunks.clone());
        let t = trailers.unwrap();
        let t: Vec<(String, String)> = t.iter().map(|f| (f.name_str().to_owned(), String::from_utf8(f.value().to_vec()).unwrap())).collect();
        prop_assert_eq!(t, b.trailers);
    }

    /// Any bytes, any split: the same events and the same error (with offset).
    #[test]
    fn split_invariance_arbitrary_bytes(prefix in prop_oneof![
            Just(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec()),
            Just(b"POST / HTTP/1.1\r\nContent-Length: 7\r\n\r\n".to_vec()),
            Just(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec()),
            Just(b"HTTP/1.1 200 OK\r\n".to_vec()),
            Just(Vec::new())],
        tail in proptest::collection::vec(prop_oneof![
            Just(b'\r'), Just(b'\n'), Just(b';'), Just(b'='), Just(b'"'), Just(b' '), Just(b'0'), Just(b'5'),
            Just(b'a'), Just(b':'), any::<u8>()], 0..80),
        cuts in proptest::collection::vec(any::<usize>(), 0..10),
        lenient in any::<bool>()) {
        let mut input = prefix;
        input.extend_from_slice(&tail);
        let len = if lenient { Leniency::all() } else { Leniency::default() };
        let limits = Limits::default().max_chunk_ext_len(24).max_trailer_len(40).max_head_len(120);
        let role = if input.starts_with(b"HTTP/") { Role::Client } else { Role::Server };
        let whole = run(role, limits, len, &input, &[]);
        if input.len() > 1 {
            let mut c: Vec<usize> = cuts.into_iter().map(|c| 1 + c % (input.len() - 1)).collect();
            c.sort_unstable();
            c.dedup();
            let split = run(role, limits, len, &input, &c);
            prop_assert_eq!(&whole.messages, &split.messages);
            prop_assert_eq!(&whole.error, &split.error);
        }
    }

    /// Valid chunked encodings of random data decode in strict mode via the message decoder.
    #[test]
    fn message_roundtrip(b in body()) {
        let mut wire = b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        wire.extend_from_slice(&encode(&b));
        let o = run(Role::Server, Limits::default(), Leniency::default(), &wire, &[]);
        prop_assert!(o.error.is_none(), "{:?}", o.error);
        let want: Vec<u8> = b.chunks.iter().flat_map(|c| c.0.clone()).collect();
        prop_assert_eq!(&o.messages[0].body, &want);
        prop_assert!(o.messages[0].complete);
    }
}

/// Decode with the slice API (caller-owned Vec, dropping `consumed` each
/// step), fed at `cuts`; returns (sizes, body, trailers, error).
type SliceOutcome = (
    Vec<u64>,
    Vec<u8>,
    Vec<(Vec<u8>, Vec<u8>)>,
    Option<codec_http_longpoll::Error>,
    bool,
);

fn slice_decode(input: &[u8], cuts: &[usize], len: Leniency) -> SliceOutcome {
    use codec_http_longpoll::RawEvent;
    let mut dec = ChunkedDecoder::with_config(
        Limits::default().max_chunk_ext_len(24).max_trailer_len(40),
        len,
    );
    let mut held: Vec<u8> = Vec::new();
    let (mut sizes, mut body, mut trailers) = (Vec::new(), Vec::new(), Vec::new());
    let mut start = 0;
    for end in cuts.iter().copied().chain(std::iter::once(input.len())) {
        held.extend_from_slice(&input[start..end]);
        start = end;
        loop {
            let step = match dec.decode_slice(&held) {
                Ok(s) => s,
                Err(e) => return (sizes, body, trailers, Some(e), false),
            };
            let done = match &step.event {
                None => true,
                Some(RawEvent::Chunk { size, .. }) => {
                    sizes.push(*size);
                    false
                }
                Some(RawEvent::Data(r)) => {
                    body.extend_from_slice(&held[r.clone()]);
                    false
                }
                Some(RawEvent::Trailer { name, value }) => {
                    trailers.push((held[name.clone()].to_vec(), held[value.clone()].to_vec()));
                    false
                }
                Some(_) => true,
            };
            held.drain(..step.consumed);
            if done {
                break;
            }
        }
    }
    let err = dec.check_eof(held.len()).err();
    (sizes, body, trailers, err, dec.is_done())
}

fn bytes_decode(input: &[u8], len: Leniency) -> SliceOutcome {
    let mut dec = ChunkedDecoder::with_config(
        Limits::default().max_chunk_ext_len(24).max_trailer_len(40),
        len,
    );
    let mut buf = BytesMut::from(input);
    let (mut sizes, mut body, mut trailers) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        match dec.decode_eof(&mut buf) {
            Ok(Some(ChunkedEvent::Chunk(h))) => sizes.push(h.size),
            Ok(Some(ChunkedEvent::Data(d))) => body.extend_from_slice(&d),
            Ok(Some(ChunkedEvent::End(t))) => {
                trailers = t
                    .iter()
                    .map(|f| (f.name().to_vec(), f.value().to_vec()))
                    .collect();
                if let Err(e) = dec.decode_eof(&mut buf) {
                    return (sizes, body, trailers, Some(e), false);
                }
                return (sizes, body, trailers, None, true);
            }
            Ok(None) => return (sizes, body, trailers, None, dec.is_done()),
            Err(e) => return (sizes, body, trailers, Some(e), false),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The slice API and the BytesMut API agree on any bytes and any split.
    #[test]
    fn slice_api_matches_bytes_api(
        tail in proptest::collection::vec(prop_oneof![
            Just(b'\r'), Just(b'\n'), Just(b';'), Just(b'='), Just(b'"'), Just(b' '), Just(b'0'), Just(b'3'),
            Just(b'a'), Just(b':'), any::<u8>()], 0..80),
        cuts in proptest::collection::vec(any::<usize>(), 0..10),
        lenient in any::<bool>()) {
        let len = if lenient { Leniency::all() } else { Leniency::default() };
        let mut c: Vec<usize> = cuts.into_iter().map(|c| c % (tail.len() + 1)).collect();
        c.sort_unstable();
        let a = slice_decode(&tail, &c, len);
        let b = bytes_decode(&tail, len);
        if a.3.is_some() && b.2.is_empty() {
            // A fault inside the trailer section: the slice API has already
            // handed out the complete trailer fields before it (one event
            // each), the BytesMut API hands them out only with the end of
            // the section, which never came. The rest agrees.
            prop_assert_eq!((&a.0, &a.1, &a.3, a.4), (&b.0, &b.1, &b.3, b.4));
        } else {
            prop_assert_eq!(a, b);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Leniency only ever widens what is accepted: a body the strict decoder
    /// accepts decodes the same with every switch on.
    #[test]
    fn strict_is_a_subset_of_lenient(b in body(), noise in proptest::collection::vec(any::<u8>(), 0..4), at in any::<usize>()) {
        let mut wire = encode(&b).to_vec();
        let at = at % (wire.len() + 1);
        wire.splice(at..at, noise);
        let strict = bytes_decode(&wire, Leniency::default());
        if strict.3.is_none() && strict.4 {
            let lenient = bytes_decode(&wire, Leniency::all());
            prop_assert_eq!(strict, lenient);
        }
    }
}

/// Decode with `decode_data` (falling back to nothing else: it returns the
/// non-data events itself), fed at `cuts`.
fn data_loop_decode(
    input: &[u8],
    cuts: &[usize],
    len: Leniency,
) -> (
    Vec<u8>,
    Vec<Vec<u8>>,
    Option<codec_http_longpoll::Error>,
    bool,
) {
    use codec_http_longpoll::RawEvent;
    let mut dec = ChunkedDecoder::with_config(
        Limits::default().max_chunk_ext_len(24).max_trailer_len(40),
        len,
    );
    let mut held: Vec<u8> = Vec::new();
    let (mut body, mut exts) = (Vec::new(), Vec::new());
    let mut start = 0;
    for end in cuts.iter().copied().chain(std::iter::once(input.len())) {
        held.extend_from_slice(&input[start..end]);
        start = end;
        loop {
            let step = match dec.decode_data(&held, |d| body.extend_from_slice(d)) {
                Ok(s) => s,
                Err(e) => return (body, exts, Some(e), false),
            };
            let more = match &step.event {
                Some(RawEvent::Chunk { ext, .. }) => {
                    exts.push(held[ext.clone()].to_vec());
                    true
                }
                Some(RawEvent::Trailer { .. }) => true,
                _ => false,
            };
            held.drain(..step.consumed);
            if !more {
                break;
            }
        }
    }
    let err = dec.check_eof(held.len()).err();
    (body, exts, err, dec.is_done())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `decode_data` gives the same body, extensions (of chunks that have
    /// them, and of the last chunk) and errors as the BytesMut API.
    #[test]
    fn data_loop_matches(b in body(), noise in proptest::collection::vec(any::<u8>(), 0..3), at in any::<usize>(),
                         raw in proptest::collection::vec(any::<usize>(), 0..8), lenient in any::<bool>()) {
        let len = if lenient { Leniency::all() } else { Leniency::default() };
        let mut wire = encode(&b).to_vec();
        let at = at % (wire.len() + 1);
        wire.splice(at..at, noise);
        let mut c: Vec<usize> = raw.into_iter().map(|c| c % (wire.len() + 1)).collect();
        c.sort_unstable();
        let fast = data_loop_decode(&wire, &c, len);
        // Reference: the BytesMut API, keeping extensions of chunks that have
        // them plus the last chunk's (which decode_data always reports).
        let mut dec = ChunkedDecoder::with_config(Limits::default().max_chunk_ext_len(24).max_trailer_len(40), len);
        let mut buf = BytesMut::from(&wire[..]);
        let (mut body, mut exts, mut err) = (Vec::new(), Vec::new(), None);
        loop {
            match dec.decode_eof(&mut buf) {
                Ok(Some(ChunkedEvent::Chunk(h))) => {
                    if h.size == 0 || !h.extensions.is_empty() {
                        exts.push(h.extensions.raw().to_vec());
                    }
                }
                Ok(Some(ChunkedEvent::Data(d))) => body.extend_from_slice(&d),
                Ok(Some(ChunkedEvent::End(_))) => {}
                Ok(None) => break,
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        prop_assert_eq!(fast, (body, exts, err.clone(), err.is_none() && dec.is_done()));
    }
}
