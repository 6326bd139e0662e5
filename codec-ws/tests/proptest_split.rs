//! Property tests: any split of the input gives the same events, and encode -> decode
//! round-trips for both roles.

mod common;

use bytes::BytesMut;
use codec_ws::{CloseCode, CloseFrame, Config, Connection, Message, Role};
use proptest::prelude::*;

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        ".{0,40}".prop_map(|s: String| Message::text(&s)),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(|v| Message::Binary(v.into())),
        proptest::collection::vec(any::<u8>(), 0..125).prop_map(|v| Message::Ping(v.into())),
        proptest::collection::vec(any::<u8>(), 0..125).prop_map(|v| Message::Pong(v.into())),
    ]
}

fn events(role: Role, config: Config, chunks: &[&[u8]]) -> (Vec<Message>, Option<codec_ws::Error>) {
    let mut conn = Connection::new(role, config);
    let mut out = Vec::new();
    for c in chunks {
        conn.feed(c);
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

fn split_at<'a>(data: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut last = 0;
    for c in cuts {
        out.push(&data[last..c]);
        last = c;
    }
    out.push(&data[last..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip_client_to_server(msgs in proptest::collection::vec(message(), 0..12), seed in any::<u64>()) {
        let mut client = Connection::new(Role::Client, Config::default().mask_seed(seed));
        let mut wire = BytesMut::new();
        for m in &msgs {
            client.send(m, &mut wire).unwrap();
        }
        client.close(Some(&CloseFrame::new(CloseCode::NORMAL)), &mut wire).unwrap();
        let (got, err) = events(Role::Server, Config::default(), &[&wire]);
        prop_assert_eq!(err, None);
        let mut want = msgs.clone();
        want.push(Message::Close(Some(CloseFrame::new(CloseCode::NORMAL))));
        prop_assert_eq!(got, want);
    }

    #[test]
    fn round_trip_server_to_client(msgs in proptest::collection::vec(message(), 0..12)) {
        let mut server = Connection::new(Role::Server, Config::default());
        let mut wire = BytesMut::new();
        for m in &msgs {
            server.send(m, &mut wire).unwrap();
        }
        let (got, err) = events(Role::Client, Config::default(), &[&wire]);
        prop_assert_eq!(err, None);
        prop_assert_eq!(got, msgs);
    }

    /// Valid traffic, fragmented sends and garbage alike: any split gives the same outcome.
    #[test]
    fn any_split_same_events(
        msgs in proptest::collection::vec(message(), 0..8),
        garbage in proptest::collection::vec(any::<u8>(), 0..64),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
        frag in any::<bool>(),
    ) {
        let mut client = Connection::new(Role::Client, Config::default().mask_seed(1));
        let mut wire = BytesMut::new();
        for m in &msgs {
            client.send(m, &mut wire).unwrap();
        }
        if frag {
            client.send_fragment(true, "αβ".as_bytes(), false, &mut wire).unwrap();
            client.send_ping(b"x", &mut wire).unwrap();
            client.send_fragment(true, "γ".as_bytes(), true, &mut wire).unwrap();
        }
        wire.extend_from_slice(&garbage);
        let whole = events(Role::Server, Config::default(), &[&wire]);
        let parts = events(Role::Server, Config::default(), &split_at(&wire, &cuts));
        prop_assert_eq!(&whole, &parts);
        let bytewise: Vec<&[u8]> = wire.chunks(1).collect();
        prop_assert_eq!(whole, events(Role::Server, Config::default(), &bytewise));
    }

    /// Arbitrary bytes never panic, and errors carry a close code or are end-of-data.
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        for role in [Role::Server, Role::Client] {
            let (_, err) = events(role, Config::default(), &[&data]);
            if let Some(e) = err {
                prop_assert!(e.close_code().is_some());
            }
        }
    }
}

/// (opcode, fin, payload) of each decoded frame.
type Frames = Vec<(codec_ws::OpCode, bool, Vec<u8>)>;

/// Frames from `decode_slice` (borrowed fast path) and `decode` (Bytes path), and whether
/// each failed.
fn frames_both_ways(role: Role, wire: &[u8]) -> (Frames, Frames, bool, bool) {
    use codec_ws::{Decoder, Limits};
    let mut a = Decoder::new(role, Limits::default());
    let mut src = BytesMut::from(wire);
    let mut fa = Vec::new();
    let ea = loop {
        match a.decode(&mut src) {
            Ok(Some(f)) => fa.push((f.opcode, f.fin, f.payload.to_vec())),
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    let mut b = Decoder::new(role, Limits::default());
    let mut buf = wire.to_vec();
    let mut at = 0;
    let mut fb = Vec::new();
    let eb = loop {
        match b.decode_slice(&mut buf[at..]) {
            Ok(Some(f)) => {
                fb.push((
                    f.opcode,
                    f.fin,
                    buf[at + f.payload.start..at + f.payload.end].to_vec(),
                ));
                at += f.consumed;
            }
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    (fa, fb, ea, eb)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decode_slice_matches_decode(msgs in proptest::collection::vec(message(), 0..10), garbage in proptest::collection::vec(any::<u8>(), 0..40)) {
        let mut client = Connection::new(Role::Client, Config::default().mask_seed(11));
        let mut wire = BytesMut::new();
        for m in &msgs {
            client.send(m, &mut wire).unwrap();
        }
        wire.extend_from_slice(&garbage);
        let (fa, fb, ea, eb) = frames_both_ways(Role::Server, &wire);
        prop_assert_eq!(fa, fb);
        // decode fails fast on bad text inside a frame still arriving; decode_slice waits
        // for the whole frame. Otherwise both agree.
        prop_assert!(!eb || ea);
    }
}
