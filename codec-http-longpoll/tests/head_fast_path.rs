//! The message decoder's head fast path (httparse straight on a buffer that
//! already holds the whole head) against its general path (the resumable
//! end-of-head scan, the line checks, then httparse), which a buffer fed one
//! byte at a time always takes: same events (heads compared field by field,
//! raw bytes included) and same errors with offsets, on generated heads that
//! are valid or broken in the ways the general path rejects.

use bytes::BytesMut;
use codec_http_longpoll::{Error, Event, Leniency, Limits, MessageDecoder, Role};
use proptest::prelude::*;

fn events(
    role: Role,
    limits: Limits,
    len: Leniency,
    input: &[u8],
    bytewise: bool,
) -> (Vec<Event>, Option<Error>) {
    let mut dec = MessageDecoder::with_config(role, limits, len);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let pieces: Vec<&[u8]> = if bytewise {
        input.chunks(1).collect()
    } else {
        vec![input]
    };
    for piece in pieces {
        buf.extend_from_slice(piece);
        loop {
            match dec.decode(&mut buf) {
                Ok(Some(ev)) => push(&mut out, ev),
                Ok(None) => break,
                Err(e) => return (out, Some(e)),
            }
        }
    }
    (out, dec.decode_eof(&mut buf).err())
}

/// Body data arrives in pieces that depend on the split: join them.
fn push(out: &mut Vec<Event>, ev: Event) {
    if let (Some(Event::Data(prev)), Event::Data(d)) = (out.last_mut(), &ev) {
        *prev = [&prev[..], &d[..]].concat().into();
        return;
    }
    out.push(ev);
}

fn check(role: Role, limits: Limits, input: &[u8]) -> bool {
    let mut ok = false;
    for len in [Leniency::default(), Leniency::all()] {
        let whole = events(role, limits, len, input, false);
        let slow = events(role, limits, len, input, true);
        assert_eq!(whole, slow, "{:?}", String::from_utf8_lossy(input));
        ok |= whole.1.is_none() && !whole.0.is_empty();
    }
    ok
}

#[test]
fn listed_heads() {
    let lim = Limits::default();
    let small = Limits::default().max_headers(2).max_head_len(60);
    let mut accepted = 0;
    for (role, head) in [
        (
            Role::Client,
            &b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"[..],
        ),
        (Role::Client, b"HTTP/1.1 204\r\n\r\n"),
        (Role::Client, b"HTTP/1.1 200 \r\nA:\r\nB:  x  \r\n\r\n"),
        (
            Role::Client,
            b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\nHTTP/1.1 304 x\r\n\r\n",
        ),
        (Role::Client, b"HTTP/1.1 200 OK\nA: b\r\n\r\n"),
        (Role::Client, b"HTTP/1.1 200 OK\r\nA: b\n\r\n"),
        (Role::Client, b"HTTP/1.1 200 OK\r\nA: b\r\n\n"),
        (Role::Client, b"HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n"),
        (Role::Client, b"HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n"),
        (Role::Client, b"HTTP/1.1 200 OK\r\nA : b\r\n\r\n"),
        (Role::Client, b"HTTP/1.1 200 O\rK\r\n\r\n"),
        (
            Role::Client,
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n",
        ),
        (Role::Client, b"\r\nHTTP/1.1 200 OK\r\n\r\n"),
        (Role::Server, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        (Role::Server, b"\r\nGET / HTTP/1.1\r\n\r\n"),
        (
            Role::Server,
            b"GET /a?b HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
        ),
        (
            Role::Server,
            b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n",
        ),
        (Role::Server, b"GET / HTTP/1.1\r\nA: \x00\r\n\r\n"),
        (Role::Server, b"GET / HTTP/1.1\r\nA: \xff\r\n\r\n"),
        (Role::Server, b"GET  / HTTP/1.1\r\n\r\n"),
        (Role::Server, b"GET / HTTP/1.1\r\r\n\r\n"),
    ] {
        for limits in [lim, small] {
            accepted += usize::from(check(role, limits, head));
        }
    }
    assert!(accepted >= 10, "{accepted}");
}

fn line() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        Just(b"Content-Length".to_vec()),
        Just(b"transfer-encoding".to_vec()),
        Just(b"X-A".to_vec()),
        "[A-Za-z-]{1,6}".prop_map(String::into_bytes),
        Just(b"B c".to_vec()),
        Just(Vec::new()),
    ];
    let value = prop_oneof![
        Just(b"0".to_vec()),
        Just(b"chunked".to_vec()),
        Just(b" 5 ".to_vec()),
        "[ -~\t]{0,8}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..4),
    ];
    let sep = prop_oneof![8 => Just(&b": "[..]), 1 => Just(&b":"[..]), 1 => Just(&b" :"[..])];
    let end = prop_oneof![8 => Just(&b"\r\n"[..]), 1 => Just(&b"\n"[..]), 1 => Just(&b"\r"[..])];
    (name, sep, value, end).prop_map(|(n, s, v, e)| [&n[..], s, &v, e].concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn generated_heads(
        server in any::<bool>(),
        lead in prop_oneof![8 => Just(&b""[..]), 1 => Just(&b"\r\n"[..])],
        start_end in prop_oneof![8 => Just(&b"\r\n"[..]), 1 => Just(&b"\n"[..]), 1 => Just(&b" \r\n"[..])],
        lines in proptest::collection::vec(line(), 0..5),
        blank in prop_oneof![8 => Just(&b"\r\n"[..]), 1 => Just(&b"\n"[..])],
        tail in prop_oneof![Just(&b""[..]), Just(&b"xyz"[..]), Just(&b"HTTP/1.1 200 OK\r\n\r\n"[..])],
        small in any::<bool>(),
    ) {
        let (role, start): (Role, &[u8]) = if server {
            (Role::Server, b"POST /p HTTP/1.1")
        } else {
            (Role::Client, b"HTTP/1.1 200 OK")
        };
        let mut input = [lead, start, start_end].concat();
        for l in &lines {
            input.extend_from_slice(l);
        }
        input.extend_from_slice(blank);
        input.extend_from_slice(tail);
        let limits = if small {
            Limits::default().max_headers(3).max_head_len(70)
        } else {
            Limits::default()
        };
        check(role, limits, &input);
    }
}
