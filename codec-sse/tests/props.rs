//! Property tests: any chunking gives the same items; emit -> parse gives back
//! the values.

mod common;

use bytes::BytesMut;
use codec_sse::{encode_event, encode_retry, Decoder, Event, Item, Limits};
use common::{run_chunks, split_at};
use proptest::prelude::*;

/// Byte strings built from the pieces that matter to the grammar.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"data".to_vec()),
        Just(b"data:".to_vec()),
        Just(b"data: ".to_vec()),
        Just(b"id:".to_vec()),
        Just(b"event:".to_vec()),
        Just(b"retry:".to_vec()),
        Just(b":".to_vec()),
        Just(b" ".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just("\u{2026}\u{1F600}".as_bytes().to_vec()),
        Just(b"\xE2\x80".to_vec()),
        "[0-9]{1,3}".prop_map(String::into_bytes),
        "[a-z]{1,4}".prop_map(String::into_bytes),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// A single-line value for `id` and `event`.
fn line_value() -> impl Strategy<Value = String> {
    "[^\r\n\0]{0,12}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_chunking_gives_the_same_items(
        bytes in stream(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
        comments in any::<bool>(),
    ) {
        let make = || Decoder::with_limits(Limits::default().max_line_len(64)).with_comments(comments);
        let whole = run_chunks(make(), &[&bytes]);
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        at.sort_unstable();
        let chunks = split_at(&bytes, &at);
        prop_assert_eq!(run_chunks(make(), &chunks), whole.clone());
        let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(run_chunks(make(), &bytewise), whole);
    }

    #[test]
    fn emit_then_parse_round_trips(
        evs in prop::collection::vec(
            (prop::option::of(line_value()), any::<String>(), prop::option::of(line_value()), prop::option::of(any::<u64>())),
            0..8,
        ),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let mut out = BytesMut::new();
        let mut expected = Vec::new();
        let mut last_id = String::new();
        for (ty, data, id, retry) in &evs {
            if let Some(ms) = retry {
                encode_retry(*ms, &mut out);
                expected.push(Item::Retry(*ms));
            }
            let mut ev = Event::new(data.as_str());
            if let Some(t) = ty {
                ev = ev.with_event_type(t.as_str());
            }
            if let Some(id) = id {
                ev = ev.with_id(id.as_str());
                last_id.clone_from(id);
            }
            encode_event(&ev, &mut out).unwrap();
            let mut want = Event::new(normalize_newlines(data)).with_id(last_id.as_str());
            if let Some(t) = ty {
                want = want.with_event_type(t.as_str());
            }
            expected.push(Item::Event(want));
        }
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(out.len() + 1)).collect();
        at.sort_unstable();
        let items = run_chunks(Decoder::new(), &split_at(&out, &at)).unwrap();
        prop_assert_eq!(items, expected);
    }
}

#[cfg(feature = "__fuzz")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The fuzz target bodies hold on the grammar-shaped streams too.
    #[test]
    fn fuzz_bodies_hold(bytes in stream(), k in any::<u8>()) {
        codec_sse::__fuzz::sse_decode(&bytes);
        let mut with_k = vec![k];
        with_k.extend_from_slice(&bytes);
        codec_sse::__fuzz::sse_split(&with_k);
    }
}
