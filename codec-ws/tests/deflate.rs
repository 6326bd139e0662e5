//! permessage-deflate (RFC 7692) through the connection, grouped like Autobahn 12/13.
#![cfg(feature = "deflate")]

mod common;

use bytes::BytesMut;
use codec_ws::{Config, Connection, DeflateParams, Error, Limits, Message, OpCode, Role};
use common::*;
use flate2::{Compress, Compression, FlushCompress};

fn params(snct: bool, cnct: bool, sbits: u8, cbits: u8) -> DeflateParams {
    let mut p = DeflateParams::default();
    p.server_no_context_takeover = snct;
    p.client_no_context_takeover = cnct;
    p.server_max_window_bits = sbits;
    p.client_max_window_bits = cbits;
    p
}

/// Raw deflate with a sync flush, tail stripped (RFC 7692 §7.2.1).
fn compress(data: &[u8]) -> Vec<u8> {
    let mut c = Compress::new(Compression::default(), false);
    let mut out = Vec::with_capacity(data.len() + 64);
    loop {
        let before = c.total_in() as usize;
        c.compress_vec(&data[before..], &mut out, FlushCompress::Sync)
            .unwrap();
        if c.total_in() as usize == data.len() && out.len() < out.capacity() {
            break;
        }
        out.reserve(out.capacity().max(64));
    }
    assert!(out.ends_with(&[0, 0, 0xff, 0xff]));
    out.truncate(out.len() - 4);
    out
}

fn pump(from: &mut Connection, to: &mut Connection, msgs: &[Message]) -> (Vec<Message>, usize) {
    let mut wire = BytesMut::new();
    for m in msgs {
        from.send(m, &mut wire).unwrap();
    }
    let len = wire.len();
    to.feed(&wire);
    let mut got = Vec::new();
    while let Some(m) = to.next_event().unwrap() {
        got.push(m);
    }
    (got, len)
}

#[test]
fn g12_13_round_trips_for_parameter_sets() {
    let text = "Hello, permessage-deflate! ".repeat(200);
    let msgs = vec![
        Message::text(&text),
        Message::Binary(vec![7u8; 5000].into()),
        Message::text(""),
        Message::text(&text),
    ];
    for snct in [false, true] {
        for bits in [8u8, 9, 12, 15] {
            let p = params(snct, snct, bits, bits);
            let mut client =
                Connection::new(Role::Client, Config::default().mask_seed(3).deflate(p, 6));
            let mut server = Connection::new(Role::Server, Config::default().deflate(p, 6));
            let (got, up) = pump(&mut client, &mut server, &msgs);
            assert_eq!(got, msgs, "client->server snct={snct} bits={bits}");
            let (got, down) = pump(&mut server, &mut client, &msgs);
            assert_eq!(got, msgs, "server->client snct={snct} bits={bits}");
            let raw: usize = msgs.iter().map(|m| m.payload().len()).sum();
            if bits == 8 {
                // zlib cannot deflate with an 8-bit window: messages go out uncompressed.
                assert!(up > raw && down > raw);
            } else {
                assert!(up < raw / 10 && down < raw / 10, "{up} {down} {raw}");
            }
        }
    }
}

#[test]
fn context_takeover_makes_repeats_cheaper() {
    let msg = Message::text(&"a fairly unique sentence with some words in it; ".repeat(4));
    let sizes = |reset: bool| {
        let p = params(reset, reset, 15, 15);
        let mut server = Connection::new(Role::Server, Config::default().deflate(p, 6));
        let mut wire = BytesMut::new();
        server.send(&msg, &mut wire).unwrap();
        let first = wire.len();
        server.send(&msg, &mut wire).unwrap();
        (first, wire.len() - first)
    };
    let (first, second) = sizes(false);
    assert!(second < first / 2, "{first} {second}");
    let (first, second) = sizes(true);
    assert_eq!(first, second);
}

#[test]
fn compressed_message_in_fragments_with_ping_between() {
    let data = "fragmented and compressed ".repeat(100);
    let z = compress(data.as_bytes());
    let (a, b) = z.split_at(z.len() / 2);
    let input = concat(&[
        cframe(false, 0b100, OpCode::Text, a),
        cframe(true, 0, OpCode::Ping, b"p"),
        cframe(true, 0, OpCode::Continuation, b),
    ]);
    let o = run_cfg(
        Config::default().deflate(DeflateParams::default(), 6),
        &input,
    );
    assert_eq!(o.error, None);
    assert_eq!(o.events[1], Message::text(&data));
}

#[test]
fn rsv1_only_on_first_frame_of_data_messages() {
    let cfg = Config::default().deflate(DeflateParams::default(), 6);
    let z = compress(b"abc");
    let o = run_cfg(
        cfg,
        &concat(&[
            cframe(false, 0b100, OpCode::Text, &z),
            cframe(true, 0b100, OpCode::Continuation, b""),
        ]),
    );
    assert!(matches!(
        o.error,
        Some(Error::MisplacedCompressionBit { .. })
    ));
    assert_eq!(o.sent_close_code(), Some(1002));
    let o = run_cfg(cfg, &cframe(true, 0b100, OpCode::Ping, b""));
    assert!(matches!(
        o.error,
        Some(Error::MisplacedCompressionBit { .. })
    ));
    // RSV2/RSV3 stay reserved with deflate.
    let o = run_cfg(cfg, &cframe(true, 0b110, OpCode::Text, &z));
    assert!(matches!(o.error, Some(Error::ReservedBits { bits: 6, .. })));
    // Uncompressed messages remain fine.
    assert_eq!(
        run_cfg(cfg, &text("plain")).events,
        vec![Message::text("plain")]
    );
}

#[test]
fn decompression_bomb_is_cut_at_the_message_limit() {
    let zeros = vec![0u8; 8 << 20];
    let z = compress(&zeros);
    assert!(z.len() < 16 << 10);
    let limits = Limits::default().max_message_len(1 << 20);
    let cfg = Config::default()
        .limits(limits)
        .deflate(DeflateParams::default(), 6);
    let o = run_with(cfg, &cframe(true, 0b100, OpCode::Binary, &z), 1 << 20);
    assert!(
        matches!(o.error, Some(Error::MessageTooLarge { max: 1048576, .. })),
        "{:?}",
        o.error
    );
    assert_eq!(o.sent_close_code(), Some(1009));
}

#[test]
fn bad_compressed_data_and_bad_inflated_text() {
    let cfg = Config::default().deflate(DeflateParams::default(), 6);
    let o = run_cfg(
        cfg,
        &cframe(true, 0b100, OpCode::Binary, &[0xff, 0xff, 0xff, 0xff]),
    );
    assert!(
        matches!(o.error, Some(Error::Inflate { .. })),
        "{:?}",
        o.error
    );
    assert_eq!(o.sent_close_code(), Some(1007));
    let o = run_cfg(
        cfg,
        &cframe(true, 0b100, OpCode::Text, &compress(b"ok \xff bad")),
    );
    assert!(matches!(o.error, Some(Error::InvalidUtf8 { .. })));
    assert_eq!(o.sent_close_code(), Some(1007));
}

#[test]
fn streamed_compressed_send_with_interleaved_ping() {
    for reset in [false, true] {
        let p = params(reset, reset, 15, 15);
        let mut client =
            Connection::new(Role::Client, Config::default().mask_seed(5).deflate(p, 6));
        let mut server = Connection::new(Role::Server, Config::default().deflate(p, 6));
        for round in 0..2 {
            let mut wire = BytesMut::new();
            let text = "κόσμε streamed and compressed ".repeat(50);
            let bytes = text.as_bytes();
            // Split inside a multi-byte character on purpose.
            client
                .send_fragment(true, &bytes[..1], false, &mut wire)
                .unwrap();
            client
                .send_fragment(true, &bytes[1..700], false, &mut wire)
                .unwrap();
            client.send_ping(b"mid", &mut wire).unwrap();
            client
                .send_fragment(true, &bytes[700..], false, &mut wire)
                .unwrap();
            client.send_fragment(true, b"", true, &mut wire).unwrap();
            assert!(
                wire.len() < bytes.len() / 2,
                "round {round}: {} bytes",
                wire.len()
            );
            server.feed(&wire);
            assert_eq!(server.next_event(), Ok(Some(Message::Ping("mid".into()))));
            assert_eq!(server.next_event(), Ok(Some(Message::text(&text))));
            assert_eq!(server.next_event(), Ok(None));
        }
    }
}

mod props {
    use super::*;
    use codec_ws::DeflateConfig;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Arbitrary bytes at a deflate-enabled connection never panic; errors carry a code.
        #[test]
        fn arbitrary_bytes_with_deflate(data in proptest::collection::vec(any::<u8>(), 0..400), rsv1 in any::<bool>()) {
            let cfg = Config::default()
                .limits(Limits::default().max_message_len(1 << 16))
                .deflate(DeflateParams::default(), 6);
            // Also wrap the bytes in a compressed-looking frame so the inflater sees them.
            let framed = cframe(true, if rsv1 { 0b100 } else { 0 }, OpCode::Binary, &data);
            for input in [&data[..], &framed[..]] {
                let o = run_with(cfg, input, 7);
                if let Some(e) = o.error {
                    prop_assert!(e.close_code().is_some());
                }
            }
        }

        /// Offer parsing never panics, and whatever is accepted is a valid answer the
        /// offering client config (defaults) accepts back.
        #[test]
        fn offers_never_panic(
            noise in "[ -~]{0,60}",
            params in proptest::collection::vec(prop_oneof![
                Just("server_no_context_takeover".to_string()),
                Just("client_no_context_takeover".to_string()),
                Just("client_max_window_bits".to_string()),
                (0u8..20).prop_map(|b| format!("client_max_window_bits={b}")),
                (0u8..20).prop_map(|b| format!("server_max_window_bits=\"{b}\"")),
                Just("x=1".to_string()),
            ], 0..5),
            noisy in any::<bool>(),
        ) {
            let mut offer = String::from("permessage-deflate");
            for p in &params {
                offer.push_str("; ");
                offer.push_str(p);
            }
            if noisy {
                offer = format!("{noise}, {offer}");
            }
            let cfg = DeflateConfig::default();
            if let Some((params, answer)) = cfg.accept([offer.as_str()]) {
                prop_assert!((8..=15).contains(&params.server_max_window_bits));
                prop_assert!((8..=15).contains(&params.client_max_window_bits));
                let back = DeflateConfig::default().parse_response(&answer);
                prop_assert_eq!(back, Ok(params), "{}", answer);
            }
            let _ = cfg.parse_response(&offer);
        }
    }
}
