//! Conformance tests written from RFC 6455 / RFC 7692, grouped like the Autobahn cases.
//! Every case runs whole and one byte at a time (common::run).

mod common;

use bytes::BytesMut;
use codec_ws::{CloseCode, Config, Connection, Error, Limits, Message, OpCode, Role, State};
use common::*;

fn bin(b: &[u8]) -> Message {
    Message::binary(b)
}

// ---- 1. Framing ----
#[test]
fn g1_text_and_binary_all_length_forms() {
    for len in [0usize, 1, 125, 126, 127, 128, 65535, 65536, 70000] {
        let s = "*".repeat(len);
        let o = run_with(Config::default(), &text(&s), 4096);
        assert_eq!(o.events, vec![Message::text(&s)], "len {len}");
        let b = vec![0xfe; len];
        let o = run_with(
            Config::default(),
            &cframe(true, 0, OpCode::Binary, &b),
            4096,
        );
        assert_eq!(o.events, vec![bin(&b)], "len {len}");
    }
}

#[test]
fn g1_rfc_5_7_examples() {
    let hello = [
        0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
    ];
    assert_eq!(run(&hello).events, vec![Message::text("Hello")]);
    // Fragmented unmasked "Hel" + "lo" is invalid at a server (clients must mask)...
    let o = run(&[0x01, 0x03, 0x48, 0x65, 0x6c]);
    assert!(matches!(o.error, Some(Error::UnmaskedFrame { offset: 0 })));
    assert_eq!(o.sent_close_code(), Some(1002));
    // ...but fine with the leniency switch.
    let lenient = Config::default().limits(Limits::default().allow_unmasked(true));
    let o = run_cfg(
        lenient,
        &[0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f],
    );
    assert_eq!(o.events, vec![Message::text("Hello")]);
}

#[test]
fn g1_masked_frame_at_client_is_rejected() {
    let mut c = Connection::new(Role::Client, Config::default());
    c.feed(&text("x"));
    assert_eq!(c.next_event(), Err(Error::MaskedFrame { offset: 0 }));
}

// ---- 2. Pings and pongs ----
#[test]
fn g2_ping_gets_pong_with_same_payload() {
    for payload in [&b""[..], b"hello", &[0xab; 125]] {
        let o = run(&cframe(true, 0, OpCode::Ping, payload));
        assert_eq!(
            o.events,
            vec![Message::Ping(codec_ws::Payload::copy_from_slice(payload))]
        );
        assert_eq!(o.sent.len(), 1);
        assert_eq!(
            (o.sent[0].opcode, &o.sent[0].payload[..]),
            (OpCode::Pong, payload)
        );
    }
}

#[test]
fn g2_ten_pings_ten_pongs_and_unsolicited_pong() {
    let mut input = cframe(true, 0, OpCode::Pong, b"unsolicited");
    for i in 0..10u8 {
        input.extend(cframe(true, 0, OpCode::Ping, &[i]));
    }
    let o = run(&input);
    assert_eq!(o.events.len(), 11);
    assert_eq!(
        o.sent.iter().filter(|f| f.opcode == OpCode::Pong).count(),
        10
    );
}

#[test]
fn g2_oversized_and_fragmented_pings_fail() {
    let o = run(&cframe(true, 0, OpCode::Ping, &[0; 126]));
    assert!(matches!(
        o.error,
        Some(Error::ControlFrameTooLong { len: 126, .. })
    ));
    assert_eq!(o.sent_close_code(), Some(1002));
    let o = run(&cframe(false, 0, OpCode::Ping, b"x"));
    assert!(matches!(
        o.error,
        Some(Error::FragmentedControlFrame { .. })
    ));
}

#[test]
fn g2_auto_pong_can_be_disabled() {
    let o = run_cfg(
        Config::default().auto_pong(false),
        &cframe(true, 0, OpCode::Ping, b"p"),
    );
    assert_eq!(o.events.len(), 1);
    assert!(o.sent.is_empty());
}

// ---- 3. Reserved bits ----
#[test]
fn g3_reserved_bits_without_extension() {
    for rsv in 1..8u8 {
        for op in [OpCode::Text, OpCode::Binary, OpCode::Ping] {
            let input = concat(&[text("before"), cframe(true, rsv, op, b"x"), text("after")]);
            let o = run(&input);
            assert_eq!(o.events, vec![Message::text("before")]);
            assert_eq!(
                o.error,
                Some(Error::ReservedBits {
                    bits: rsv,
                    offset: 12
                })
            );
            assert_eq!(o.sent_close_code(), Some(1002));
        }
    }
}

// ---- 4. Opcodes ----
#[test]
fn g4_reserved_opcodes() {
    for op in [3u8, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf] {
        let o = run(&concat(&[text("a"), raw_frame(0x80 | op, b"zz")]));
        assert_eq!(o.events, vec![Message::text("a")]);
        assert_eq!(
            o.error,
            Some(Error::ReservedOpcode {
                opcode: op,
                offset: 7
            })
        );
        assert_eq!(o.sent_close_code(), Some(1002));
    }
}

// ---- 5. Fragmentation ----
#[test]
fn g5_fragments_with_interleaved_control_frames() {
    let input = concat(&[
        cframe(false, 0, OpCode::Text, b"frag"),
        cframe(true, 0, OpCode::Ping, b"p1"),
        cframe(false, 0, OpCode::Continuation, b""),
        cframe(true, 0, OpCode::Pong, b"p2"),
        cframe(true, 0, OpCode::Continuation, b"ment"),
    ]);
    let o = run(&input);
    assert_eq!(
        o.events,
        vec![
            Message::Ping(b"p1"[..].into()),
            Message::Pong(b"p2"[..].into()),
            Message::text("fragment")
        ]
    );
    assert_eq!(o.sent.len(), 1);
}

#[test]
fn g5_continuation_without_start_and_data_inside_message() {
    let o = run(&cframe(true, 0, OpCode::Continuation, b"x"));
    assert_eq!(o.error, Some(Error::UnexpectedContinuation { offset: 0 }));
    assert_eq!(o.sent_close_code(), Some(1002));
    let o = run(&concat(&[
        cframe(false, 0, OpCode::Binary, b"a"),
        cframe(true, 0, OpCode::Binary, b"b"),
    ]));
    assert_eq!(o.error, Some(Error::ExpectedContinuation { offset: 7 }));
    assert_eq!(o.sent_close_code(), Some(1002));
}

#[test]
fn g5_many_empty_fragments() {
    let mut input = cframe(false, 0, OpCode::Binary, b"");
    for _ in 0..100 {
        input.extend(cframe(false, 0, OpCode::Continuation, b""));
    }
    input.extend(cframe(true, 0, OpCode::Continuation, b"!"));
    assert_eq!(run(&input).events, vec![bin(b"!")]);
    // The same flood against a fragment limit is cut off as it arrives.
    let cfg = Config::default().limits(Limits::default().max_fragments(50));
    let o = run_cfg(cfg, &input);
    assert!(matches!(
        o.error,
        Some(Error::TooManyFragments { max: 50, .. })
    ));
    assert_eq!(o.sent_close_code(), Some(1009));
}

// ---- 6. UTF-8 ----
#[test]
fn g6_valid_text_split_at_every_byte_across_fragments() {
    let s = "κόσμε-€-𐍈-ascii".as_bytes();
    for cut in 0..=s.len() {
        let input = concat(&[
            cframe(false, 0, OpCode::Text, &s[..cut]),
            cframe(true, 0, OpCode::Continuation, &s[cut..]),
        ]);
        let o = run(&input);
        assert_eq!(
            o.events,
            vec![Message::Text(codec_ws::Payload::copy_from_slice(s))],
            "cut {cut}"
        );
    }
}

#[test]
fn g6_invalid_text_fails_with_1007() {
    for bad in [
        &b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64"[..],
        b"\xff",
        b"\xc0\xaf",
        b"ok\xe2\x82",
    ] {
        let o = run(&cframe(true, 0, OpCode::Text, bad));
        assert!(
            matches!(o.error, Some(Error::InvalidUtf8 { .. })),
            "{bad:x?}"
        );
        assert_eq!(o.sent_close_code(), Some(1007));
    }
}

#[test]
fn g6_fail_fast_inside_a_frame_still_arriving() {
    // Autobahn 6.4.3: the bad byte arrives, the rest of the frame never does.
    let payload =
        b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80\x65\x64\x69\x74\x65\x64";
    let frame = cframe(true, 0, OpCode::Text, payload);
    let mut conn = Connection::new(Role::Server, Config::default());
    conn.feed(&frame[..6 + 13]); // header + bytes up to F4 90
    assert_eq!(
        conn.next_event(),
        Err(Error::InvalidUtf8 { offset: 6 + 11 })
    );
    let mut out = BytesMut::new();
    assert!(conn.poll_transmit(&mut out));
    assert_eq!(&out[..4], &[0x88, 0x02, 0x03, 0xef]); // close 1007
                                                      // Sticky.
    conn.feed(&frame[19..]);
    assert!(conn.next_event().is_err());
}

// ---- 7. Close handling ----
#[test]
fn g7_close_echo_and_nothing_after() {
    let input = concat(&[
        close(1000, "bye"),
        text("ignored"),
        cframe(true, 0, OpCode::Ping, b"ignored"),
    ]);
    let o = run(&input);
    assert_eq!(
        o.events,
        vec![Message::Close(Some(codec_ws::CloseFrame::with_reason(
            CloseCode::NORMAL,
            "bye"
        )))]
    );
    assert_eq!(o.sent.len(), 1);
    assert_eq!(o.sent_close_code(), Some(1000));
    assert_eq!(o.error, None);
}

#[test]
fn g7_empty_close_and_echo() {
    let o = run(&cframe(true, 0, OpCode::Close, b""));
    assert_eq!(o.events, vec![Message::Close(None)]);
    assert_eq!(o.sent_close_code(), Some(1005)); // empty body echoed
}

#[test]
fn g7_close_payload_rules() {
    let o = run(&cframe(true, 0, OpCode::Close, b"\x03"));
    assert_eq!(o.error, Some(Error::CloseTooShort { offset: 0 }));
    assert_eq!(o.sent_close_code(), Some(1002));
    for code in [
        0u16, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535,
    ] {
        let o = run(&close(code, ""));
        assert_eq!(
            o.error,
            Some(Error::InvalidCloseCode { code, offset: 0 }),
            "{code}"
        );
        assert_eq!(o.sent_close_code(), Some(1002));
    }
    for code in [
        1000u16, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
        4000, 4999,
    ] {
        let o = run(&close(code, "reason"));
        assert_eq!(o.error, None, "{code}");
        assert_eq!(o.sent_close_code(), Some(code));
    }
    let mut bad_reason = 1000u16.to_be_bytes().to_vec();
    bad_reason.extend_from_slice(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80");
    let o = run(&cframe(true, 0, OpCode::Close, &bad_reason));
    assert_eq!(o.error, Some(Error::InvalidCloseReason { offset: 0 }));
    assert_eq!(o.sent_close_code(), Some(1007));
    let long = "r".repeat(123);
    assert_eq!(run(&close(1000, &long)).error, None);
}

#[test]
fn g7_local_close_handshake_and_sends_after_close() {
    let mut server = Connection::new(Role::Server, Config::default());
    let mut out = BytesMut::new();
    server
        .close(
            Some(&codec_ws::CloseFrame::new(CloseCode::GOING_AWAY)),
            &mut out,
        )
        .unwrap();
    assert_eq!(server.state(), State::CloseSent);
    assert_eq!(server.send_text("late", &mut out), Err(Error::Closed));
    assert_eq!(server.close(None, &mut out), Err(Error::Closed));
    // Messages still arrive until the peer's close.
    server.feed(&concat(&[text("in flight"), close(1001, "")]));
    assert_eq!(server.next_event(), Ok(Some(Message::text("in flight"))));
    assert!(matches!(
        server.next_event(),
        Ok(Some(Message::Close(Some(_))))
    ));
    assert_eq!(server.state(), State::Closed);
    assert!(
        !server.poll_transmit(&mut BytesMut::new()),
        "no second close"
    );
    assert_eq!(server.finish(), None);
}

#[test]
fn g7_eof_without_close_is_1006() {
    let mut c = Connection::new(Role::Server, Config::default());
    c.feed(&text("x")[..3]);
    assert_eq!(c.next_event(), Ok(None));
    assert_eq!(
        c.finish(),
        Some(Message::Close(Some(codec_ws::CloseFrame::new(
            CloseCode::ABNORMAL
        ))))
    );
}

#[test]
fn g7_unsendable_close_codes() {
    let mut c = Connection::new(Role::Server, Config::default());
    let mut out = BytesMut::new();
    for code in [1005u16, 1006, 1015, 999, 5000] {
        assert_eq!(
            c.close(Some(&codec_ws::CloseFrame::new(CloseCode(code))), &mut out),
            Err(Error::CloseCodeNotSendable { code })
        );
    }
    assert_eq!(
        c.send_ping(&[0; 126], &mut out),
        Err(Error::ControlPayloadTooLong { len: 126 })
    );
    assert!(out.is_empty());
}

// ---- 9. Limits (as frames arrive) ----
#[test]
fn g9_frame_and_message_limits_before_buffering() {
    let cfg = Config::default().limits(Limits::default().max_frame_len(1000).max_message_len(1500));
    // Only the header of a huge frame: rejected without waiting for the payload.
    let mut c = Connection::new(Role::Server, cfg);
    c.feed(&[0x82, 0xff, 0, 0, 0, 0, 0x7f, 0, 0, 0, 1, 2, 3, 4]);
    assert_eq!(
        c.next_event(),
        Err(Error::FrameTooLarge {
            len: 0x7f00_0000,
            max: 1000,
            offset: 0
        })
    );
    let input = concat(&[
        cframe(false, 0, OpCode::Binary, &[0; 1000]),
        cframe(true, 0, OpCode::Continuation, &[0; 501]),
    ]);
    let o = run_cfg(cfg, &input);
    assert_eq!(
        o.error,
        Some(Error::MessageTooLarge {
            len: 1501,
            max: 1500,
            offset: 1008
        })
    );
    assert_eq!(o.sent_close_code(), Some(1009));
}

#[test]
fn g9_length_encoding_rules() {
    // 5 bytes written in the 16-bit form.
    let mut f = vec![0x82, 0xfe, 0, 5];
    f.extend_from_slice(&KEY);
    f.extend_from_slice(&[1, 2, 3, 4, 5]);
    let o = run(&f);
    assert_eq!(o.error, Some(Error::NonMinimalLength { len: 5, offset: 0 }));
    assert_eq!(o.sent_close_code(), Some(1002));
    let lenient = Config::default().limits(Limits::default().allow_non_minimal_lengths(true));
    assert_eq!(run_cfg(lenient, &f).events.len(), 1);
    let top = [0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4];
    assert_eq!(run(&top).error, Some(Error::LengthTopBit { offset: 0 }));
}

#[test]
fn buffers_shrink_after_a_large_message() {
    let mut conn = Connection::new(Role::Server, Config::default());
    let chunk = vec![b'x'; 64 << 10];
    let mut input = cframe(false, 0, OpCode::Text, &chunk);
    for _ in 0..14 {
        input.extend(cframe(false, 0, OpCode::Continuation, &chunk));
    }
    input.extend(cframe(true, 0, OpCode::Continuation, &chunk));
    conn.feed(&input);
    let Ok(Some(Message::Text(t))) = conn.next_event() else {
        panic!("no message")
    };
    assert_eq!(t.len(), 1 << 20);
    assert_eq!(conn.next_event(), Ok(None));
    assert!(
        conn.buffer_capacity() < 64 << 10,
        "{}",
        conn.buffer_capacity()
    );
    conn.feed(&text("small"));
    assert_eq!(conn.next_event(), Ok(Some(Message::text("small"))));
}

#[test]
fn connection_state_is_small() {
    let size = size_of::<Connection>();
    assert!(size <= 256, "Connection is {size} bytes");
    assert!(size_of::<codec_ws::Decoder>() <= 128);
}

#[test]
fn client_server_pair_all_message_kinds() {
    let mut client = Connection::new(Role::Client, Config::default().mask_seed(7));
    let mut server = Connection::new(Role::Server, Config::default());
    let mut wire = BytesMut::new();
    client.send_text("t", &mut wire).unwrap();
    client.send_binary(&[1, 2], &mut wire).unwrap();
    client.send_ping(b"p", &mut wire).unwrap();
    client.send_pong(b"q", &mut wire).unwrap();
    client
        .send_fragment(true, "ab".as_bytes(), false, &mut wire)
        .unwrap();
    assert_eq!(client.send_text("x", &mut wire), Err(Error::FragmentedSend));
    assert_eq!(
        client.send_fragment(false, b"", false, &mut wire),
        Err(Error::FragmentedSend)
    );
    client.send_ping(b"mid", &mut wire).unwrap();
    client
        .send_fragment(true, "cd".as_bytes(), true, &mut wire)
        .unwrap();
    client
        .close(
            Some(&codec_ws::CloseFrame::with_reason(
                CloseCode::NORMAL,
                "done",
            )),
            &mut wire,
        )
        .unwrap();
    server.feed(&wire);
    let mut got = Vec::new();
    while let Some(m) = server.next_event().unwrap() {
        got.push(m);
    }
    assert_eq!(got.len(), 7);
    assert_eq!(got[5], Message::text("abcd"));
    let mut back = BytesMut::new();
    server.poll_transmit(&mut back);
    client.feed(&back);
    let mut replies = Vec::new();
    while let Some(m) = client.next_event().unwrap() {
        replies.push(m);
    }
    assert!(matches!(replies.last(), Some(Message::Close(Some(c))) if c.code == CloseCode::NORMAL));
    assert_eq!(client.state(), State::Closed);
}
