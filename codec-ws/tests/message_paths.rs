//! The message layer's fast paths (issue #3): whole small frames decoded without frame
//! state, payloads inline or zero-copy, bytes of a run of small messages removed from the
//! caller's buffer together, and large payloads moved once into their own buffer (from
//! `feed`, or spilled out of the caller's buffer by `decode`). Every path must give the
//! same messages and the same errors, at the same offsets, as any other split.

mod common;

use bytes::BytesMut;
use codec_ws::{encode_frame, Config, Connection, Error, Message, OpCode, Payload, Role};
use common::cframe;
use proptest::prelude::*;

type Outcome = (Vec<Message>, Option<Error>);

/// `feed` + `next_event`, the input cut into `chunk`-byte pieces.
fn via_feed(wire: &[u8], chunk: usize) -> Outcome {
    let mut conn = Connection::new(Role::Server, Config::default());
    let mut out = Vec::new();
    for piece in wire.chunks(chunk.max(1)) {
        conn.feed(piece);
        loop {
            match conn.next_event() {
                Ok(Some(m)) => out.push(m),
                Ok(None) => break,
                Err(e) => return (out, Some(e)),
            }
        }
    }
    (out, None)
}

/// `decode` on a caller-owned buffer the input is appended to in `chunk`-byte pieces (as
/// a socket read loop or tokio-util's `FramedRead` does).
fn via_decode(wire: &[u8], chunk: usize) -> Outcome {
    let mut conn = Connection::new(Role::Server, Config::default());
    let mut src = BytesMut::new();
    let mut out = Vec::new();
    for piece in wire.chunks(chunk.max(1)) {
        src.extend_from_slice(piece);
        loop {
            match conn.decode(&mut src) {
                Ok(Some(m)) => out.push(m),
                Ok(None) => break,
                Err(e) => return (out, Some(e)),
            }
        }
    }
    (out, None)
}

/// Every way of feeding `wire` gives the same outcome; returns it.
fn all_ways(wire: &[u8]) -> Outcome {
    let want = via_feed(wire, wire.len());
    for chunk in [1, 7, 100, 4096, 8192 + 3, 65536, wire.len()] {
        assert_eq!(via_feed(wire, chunk), want, "feed in {chunk}-byte pieces");
        assert_eq!(
            via_decode(wire, chunk),
            want,
            "decode in {chunk}-byte pieces"
        );
    }
    want
}

fn text_frame(payload: &[u8]) -> Vec<u8> {
    cframe(true, 0, OpCode::Text, payload)
}

fn header_len(payload_len: usize) -> u64 {
    match payload_len {
        0..=125 => 6,
        126..=0xffff => 8,
        _ => 14,
    }
}

#[test]
fn all_sizes_and_kinds_agree() {
    let mut wire = Vec::new();
    let mut want = Vec::new();
    for len in [
        0usize, 1, 16, 37, 38, 39, 125, 126, 1000, 4095, 4096, 9000, 65535, 65536, 70000,
    ] {
        // Mixed-width characters, at most `len` bytes.
        let text: String = "aé€𐍈"
            .chars()
            .cycle()
            .scan(0, |n, c| {
                *n += c.len_utf8();
                (*n <= len).then_some(c)
            })
            .collect();
        wire.extend(text_frame(text.as_bytes()));
        want.push(Message::text(&text));
        let bin: Vec<u8> = (0..len).map(|i| (i * 31) as u8).collect();
        wire.extend(cframe(true, 0, OpCode::Binary, &bin));
        want.push(Message::binary(&bin));
        wire.extend(cframe(true, 0, OpCode::Pong, b"p"));
        want.push(Message::Pong(Payload::from("p")));
    }
    // A fragmented message and a close end the stream.
    wire.extend(cframe(false, 0, OpCode::Binary, &[1; 5000]));
    wire.extend(cframe(true, 0, OpCode::Continuation, &[2; 10]));
    want.push(Message::binary(
        &[[1u8; 5000].as_slice(), &[2; 10]].concat(),
    ));
    wire.extend(common::close(1000, "bye"));
    let (got, err) = all_ways(&wire);
    assert_eq!(err, None);
    assert_eq!(got.len(), want.len() + 1);
    assert_eq!(got[..want.len()], want[..]);
}

#[test]
fn small_payloads_are_inline_and_compare_by_content() {
    let mut conn = Connection::new(Role::Server, Config::default());
    conn.feed(&cframe(true, 0, OpCode::Binary, b"0123456789abcdef"));
    let m = conn.next_event().unwrap().unwrap();
    assert_eq!(
        m,
        Message::Binary(bytes::Bytes::from_static(b"0123456789abcdef").into())
    );
    assert_eq!(m.payload(), b"0123456789abcdef");
}

#[test]
fn consumed_bytes_leave_the_callers_buffer_by_the_time_decode_needs_more() {
    let mut conn = Connection::new(Role::Server, Config::default());
    let mut src = BytesMut::new();
    for i in 0..3u8 {
        src.extend(cframe(true, 0, OpCode::Binary, &[i; 10]));
    }
    let half = cframe(true, 0, OpCode::Binary, &[9; 10]);
    src.extend_from_slice(&half[..5]);
    for i in 0..3u8 {
        assert_eq!(conn.decode(&mut src), Ok(Some(Message::binary(&[i; 10]))));
    }
    assert_eq!(conn.decode(&mut src), Ok(None));
    assert_eq!(&src[..], &half[..5]);
    src.extend_from_slice(&half[5..]);
    assert_eq!(conn.decode(&mut src), Ok(Some(Message::binary(&[9; 10]))));
    assert_eq!(conn.decode(&mut src), Ok(None));
    assert!(src.is_empty());
}

#[test]
fn buffered_leaves_out_what_was_handed_out() {
    let mut conn = Connection::new(Role::Server, Config::default());
    let mut wire = cframe(true, 0, OpCode::Binary, b"one");
    wire.extend(cframe(true, 0, OpCode::Binary, b"two"));
    let third = cframe(true, 0, OpCode::Binary, b"three");
    wire.extend_from_slice(&third[..4]);
    conn.feed(&wire);
    assert_eq!(conn.next_event(), Ok(Some(Message::binary(b"one"))));
    assert_eq!(conn.buffered().len(), 9 + 4);
    assert_eq!(conn.next_event(), Ok(Some(Message::binary(b"two"))));
    assert_eq!(conn.buffered(), &third[..4]);
    assert_eq!(conn.next_event(), Ok(None));
    assert_eq!(conn.buffered(), &third[..4]);
}

#[test]
fn large_messages_in_read_sized_pieces_reuse_two_buffers() {
    // 64 KiB messages read 64 KiB at a time: every read ends one message and starts the
    // next, so `feed` parks the finished one and spills the next into the other buffer.
    let mut wire = Vec::new();
    for i in 0..20u8 {
        wire.extend(cframe(true, 0, OpCode::Binary, &vec![i; 65536]));
    }
    let mut conn = Connection::new(Role::Server, Config::default());
    let mut n = 0u8;
    let mut peak = 0;
    for piece in wire.chunks(65536) {
        conn.feed(piece);
        while let Some(m) = conn.next_event().unwrap() {
            assert_eq!(m, Message::binary(&vec![n; 65536]));
            n += 1;
        }
        peak = peak.max(conn.buffer_capacity());
    }
    assert_eq!(n, 20);
    assert!(peak <= 3 * 65536 + 4096, "{peak}");
}

#[test]
fn invalid_text_in_a_large_message_fails_at_the_same_byte_every_way() {
    // Positions around the 8 KiB blocks large payloads are unmasked and checked in.
    for pos in [0usize, 100, 8191, 8192, 8193, 16384, 29_999] {
        let mut payload = vec![b'a'; 30_000];
        payload[pos] = 0xff;
        let mut wire = text_frame(b"before");
        let start = wire.len() as u64;
        wire.extend(text_frame(&payload));
        let (got, err) = all_ways(&wire);
        assert_eq!(got, vec![Message::text("before")], "pos {pos}");
        assert_eq!(
            err,
            Some(Error::InvalidUtf8 {
                offset: start + header_len(payload.len()) + pos as u64
            }),
            "pos {pos}"
        );
    }
    // A 4-byte character cut by the end of the message: the error is at its end.
    let mut payload = vec![b'b'; 20_000];
    payload.extend_from_slice(&"𐍈".as_bytes()[..3]);
    let wire = text_frame(&payload);
    let (got, err) = all_ways(&wire);
    assert!(got.is_empty());
    assert_eq!(
        err,
        Some(Error::InvalidUtf8 {
            offset: wire.len() as u64
        })
    );
    // A character split across the 8 KiB block boundary is fine.
    let mut payload = vec![b'c'; 8191];
    payload.extend_from_slice("€".as_bytes());
    payload.extend(vec![b'd'; 10_000]);
    let (got, err) = all_ways(&text_frame(&payload));
    assert_eq!((got, err), (vec![Message::Text(payload.into())], None));
}

/// The frame decoder (`decode` and `decode_slice`) on the whole wire: the frames' payloads,
/// or the first error.
fn via_frames(wire: &[u8]) -> (Vec<Vec<u8>>, Option<Error>) {
    let mut dec = codec_ws::Decoder::new(Role::Server, codec_ws::Limits::default());
    let mut src = BytesMut::from(wire);
    let mut out = Vec::new();
    let owned = loop {
        match dec.decode(&mut src) {
            Ok(Some(f)) => out.push(f.payload.to_vec()),
            Ok(None) => break (out, None),
            Err(e) => break (out, Some(e)),
        }
    };
    let mut dec = codec_ws::Decoder::new(Role::Server, codec_ws::Limits::default());
    let mut buf = wire.to_vec();
    let (mut at, mut out) = (0, Vec::new());
    let borrowed = loop {
        match dec.decode_slice(&mut buf[at..]) {
            Ok(Some(f)) => {
                out.push(buf[at..][f.payload].to_vec());
                at += f.consumed;
            }
            Ok(None) => break (out, None),
            Err(e) => break (out, Some(e)),
        }
    };
    assert_eq!(owned, borrowed, "Decoder::decode and decode_slice");
    owned
}

/// Whole text messages of every size class (inline, copied out, split off), all ASCII or
/// not: payloads of 256 bytes or more are checked for ASCII while they are unmasked and
/// then skip validation. A bad byte anywhere is still reported at the same offset by every
/// message path and by the frame decoder.
#[test]
fn text_ascii_fast_path_agrees_with_full_validation() {
    for len in [24usize, 200, 255, 256, 257, 300, 1024, 4096, 4097, 6000] {
        let ascii: Vec<u8> = (0..len).map(|i| b' ' + (i % 90) as u8).collect();
        let mut accented = ascii[..len - 2].to_vec();
        accented.extend_from_slice("é".as_bytes());
        for p in [ascii.clone(), accented] {
            let wire = text_frame(&p);
            let (got, err) = all_ways(&wire);
            assert_eq!(
                (got, err),
                (vec![Message::Text(p.clone().into())], None),
                "len {len}"
            );
            assert_eq!(via_frames(&wire), (vec![p], None), "len {len}");
        }
        for at in [0, 1, 63, 64, 255, len / 2, len - 1]
            .into_iter()
            .filter(|&at| at < len)
        {
            let mut p = ascii.clone();
            p[at] = 0xff;
            let wire = text_frame(&p);
            let want = Some(Error::InvalidUtf8 {
                offset: header_len(len) + at as u64,
            });
            assert_eq!(all_ways(&wire), (vec![], want.clone()), "len {len} at {at}");
            assert_eq!(via_frames(&wire), (vec![], want), "len {len} at {at}");
        }
        // A character cut by the end of the message.
        let mut p = ascii[..len - 1].to_vec();
        p.push(0xc3);
        let wire = text_frame(&p);
        let want = Some(Error::InvalidUtf8 {
            offset: wire.len() as u64,
        });
        assert_eq!(all_ways(&wire).1, want, "len {len}");
        assert_eq!(via_frames(&wire).1, want, "len {len}");
    }
}

#[test]
fn small_invalid_text_fails_at_the_same_byte_every_way() {
    for payload in [&b"ab\xffcd"[..], b"\xe2\x82", &[b'x'; 60][..]] {
        let mut p = payload.to_vec();
        if p.len() == 60 {
            p[50] = 0xc0;
        }
        let wire = text_frame(&p);
        let whole = all_ways(&wire);
        assert!(matches!(whole.1, Some(Error::InvalidUtf8 { .. })), "{p:x?}");
    }
}

#[test]
fn inline_text_checks_exactly_its_own_bytes() {
    for len in 0..=30usize {
        // Valid text followed by a frame full of high bytes: only the text is checked.
        let text: String = "x".repeat(len);
        let mut wire = text_frame(text.as_bytes());
        wire.extend(cframe(true, 0, OpCode::Binary, &[0xff; 30]));
        let (got, err) = all_ways(&wire);
        assert_eq!(err, None, "len {len}");
        assert_eq!(got[0], Message::text(&text));
        // One bad byte anywhere in it is found.
        for at in 0..len {
            let mut p = text.clone().into_bytes();
            p[at] = 0xfe;
            let (_, err) = all_ways(&text_frame(&p));
            assert_eq!(
                err,
                Some(Error::InvalidUtf8 {
                    offset: header_len(len) + at as u64
                }),
                "len {len} at {at}"
            );
        }
    }
}

#[test]
fn limits_apply_to_large_messages_fed_directly() {
    let config = Config::default().limits(codec_ws::Limits::default().max_message_len(10_000));
    let mut conn = Connection::new(Role::Server, config);
    let wire = cframe(true, 0, OpCode::Binary, &[0; 20_000]);
    conn.feed(&wire[..5000]);
    assert!(matches!(
        conn.next_event(),
        Err(Error::MessageTooLarge { len: 20_000, .. })
    ));
}

#[test]
fn unmasked_large_frames_are_rejected_in_order() {
    let mut wire = text_frame(b"first");
    let mut unmasked = BytesMut::new();
    encode_frame(&mut unmasked, true, 0, OpCode::Binary, None, &[0; 9000]);
    wire.extend_from_slice(&unmasked);
    let (got, err) = all_ways(&wire);
    assert_eq!(got, vec![Message::text("first")]);
    assert!(matches!(err, Some(Error::UnmaskedFrame { offset: 11 })));
}

fn message() -> impl Strategy<Value = (u8, Vec<u8>)> {
    prop_oneof![
        4 => (Just(0u8), proptest::collection::vec(any::<u8>(), 0..200)),
        2 => (Just(1u8), ".{0,60}".prop_map(String::into_bytes)),
        1 => (Just(0u8), (4000usize..20_000).prop_map(|n| vec![7u8; n])),
        1 => (Just(1u8), (4000usize..12_000).prop_map(|n| "é".repeat(n / 2).into_bytes())),
        1 => (Just(2u8), proptest::collection::vec(any::<u8>(), 0..125)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any mix of small and large messages, control frames and trailing garbage: `feed`
    /// and `decode`, in any pieces, agree with each other.
    #[test]
    fn feed_and_decode_agree_for_any_split(
        msgs in proptest::collection::vec(message(), 0..10),
        garbage in proptest::collection::vec(any::<u8>(), 0..20),
        cuts in proptest::collection::vec(1usize..30_000, 1..4),
    ) {
        let mut wire = Vec::new();
        for (kind, p) in &msgs {
            let op = [OpCode::Binary, OpCode::Text, OpCode::Ping][usize::from(*kind)];
            wire.extend(cframe(true, 0, op, p));
        }
        wire.extend_from_slice(&garbage);
        let want = via_feed(&wire, wire.len());
        for &c in &cuts {
            prop_assert_eq!(&via_feed(&wire, c), &want);
            prop_assert_eq!(&via_decode(&wire, c), &want);
        }
    }
}
