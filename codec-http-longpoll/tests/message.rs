//! The repo's own RFC 9112 message cases: framing per §6.3, pipelining,
//! interim responses, tunnels, EOF handling and offsets. Each is checked
//! whole, byte by byte and at random splits.

mod common;

use bytes::BytesMut;
use codec_http_longpoll::{
    BodyKind, Error, Event, HeadPart, Leniency, Limits, MessageDecoder, Role,
};
use common::run_all_splits;

fn strict(role: Role, input: &[u8]) -> common::Outcome {
    run_all_splits(
        role,
        Limits::default(),
        Leniency::default(),
        input,
        input.len() as u64,
        16,
    )
}

#[test]
fn pipelined_requests_with_every_framing() {
    let input = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n\
POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc\
POST /c HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2;x=\"y\"\r\nde\r\n0\r\nT: 1\r\n\r\n\
\r\nGET /d HTTP/1.0\r\n\r\n";
    let o = strict(Role::Server, input);
    assert!(o.error.is_none(), "{o:?}");
    let kinds: Vec<_> = o.messages.iter().map(|m| m.kind.unwrap()).collect();
    assert_eq!(
        kinds,
        [
            BodyKind::Empty,
            BodyKind::Length(3),
            BodyKind::Chunked,
            BodyKind::Empty
        ]
    );
    assert_eq!(o.messages[1].body, b"abc");
    assert_eq!(o.messages[2].body, b"de");
    assert_eq!(o.messages[2].exts, [b";x=\"y\"".to_vec(), Vec::new()]);
    assert_eq!(o.messages[2].trailers, [(b"T".to_vec(), b"1".to_vec())]);
    assert!(o.messages.iter().all(|m| m.complete));
}

#[test]
fn responses_framed_by_request_method_and_status() {
    let input = b"HTTP/1.1 100 Continue\r\n\r\n\
HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n\
HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n\
HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\
HTTP/1.1 200 OK\r\n\r\nuntil close";
    let mut dec = MessageDecoder::new(Role::Client);
    // 100 is interim: the HEAD method stays queued for the final answer.
    for m in ["HEAD", "GET", "GET", "GET"] {
        dec.expect_response_to(m);
    }
    let mut buf = BytesMut::from(&input[..]);
    let mut seen = Vec::new();
    let mut body = Vec::new();
    loop {
        let ev = match dec.decode(&mut buf).unwrap() {
            Some(ev) => ev,
            None => match dec.decode_eof(&mut buf).unwrap() {
                Some(ev) => ev,
                None => break,
            },
        };
        match ev {
            Event::Response { head, body: k } => seen.push((head.status(), k)),
            Event::Data(d) => body.extend_from_slice(&d),
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            (100, BodyKind::Empty),
            (200, BodyKind::Empty), // answer to HEAD: Content-Length describes the GET body
            (304, BodyKind::Empty),
            (200, BodyKind::Length(2)),
            (200, BodyKind::CloseDelimited),
        ]
    );
    assert_eq!(body, b"okuntil close");
}

#[test]
fn connect_tunnel_leaves_bytes_alone() {
    let mut dec = MessageDecoder::new(Role::Client);
    dec.expect_response_to("CONNECT");
    let mut buf =
        BytesMut::from(&b"HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03\x01TLS"[..]);
    assert!(matches!(
        dec.decode(&mut buf),
        Ok(Some(Event::Response {
            body: BodyKind::Upgrade,
            ..
        }))
    ));
    assert_eq!(dec.decode(&mut buf), Ok(Some(Event::Upgrade)));
    assert_eq!(dec.decode(&mut buf), Ok(None));
    assert_eq!(&buf[..], b"\x16\x03\x01TLS");
    assert!(dec.is_upgraded());
}

#[test]
fn eof_rules() {
    // A Content-Length body cut short.
    let o = strict(
        Role::Server,
        b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
    );
    assert_eq!(o.error, Some((Error::UnexpectedEof { offset: 42 }, true)));
    // A partial head.
    let o = strict(Role::Server, b"GET / HTTP/1.1\r\nHost");
    assert_eq!(o.error, Some((Error::UnexpectedEof { offset: 20 }, true)));
    // A clean end between messages.
    let o = strict(Role::Server, b"GET / HTTP/1.1\r\n\r\n");
    assert!(o.error.is_none() && o.messages[0].complete);
    // A chunked body without its last chunk.
    let o = strict(
        Role::Client,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nZ\r\n",
    );
    assert_eq!(o.error, Some((Error::UnexpectedEof { offset: 53 }, true)));
}

#[test]
fn framing_errors_point_at_the_field() {
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n";
    let o = strict(Role::Server, input);
    assert_eq!(
        o.error,
        Some((Error::InvalidContentLength { offset: 26 }, false))
    );
    assert_eq!(o.error.unwrap().0.status_hint(), Some(400));
    // Offsets count from the first byte fed: here the second message.
    let input = b"GET / HTTP/1.1\r\n\r\nPOST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n";
    let o = strict(Role::Server, input);
    assert_eq!(
        o.error,
        Some((Error::TransferEncodingInHttp10 { offset: 35 }, false))
    );
}

#[test]
fn head_limits_and_syntax() {
    let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(100));
    let o = run_all_splits(
        Role::Server,
        Limits::default().max_head_len(64),
        Leniency::default(),
        big.as_bytes(),
        3,
        8,
    );
    assert_eq!(o.error, Some((Error::HeadTooLarge { max: 64 }, false)));
    assert_eq!(o.error.unwrap().0.status_hint(), Some(431));
    let o = strict(Role::Server, b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n");
    assert!(
        matches!(
            o.error,
            Some((
                Error::InvalidHead {
                    what: HeadPart::FieldName,
                    offset: 19
                },
                false
            ))
        ),
        "{o:?}"
    );
    let o = strict(Role::Server, b"GET / HTTP/2.0\r\n\r\n");
    assert!(
        matches!(
            o.error,
            Some((
                Error::InvalidHead {
                    what: HeadPart::Version,
                    ..
                },
                false
            ))
        ),
        "{o:?}"
    );
    let o = strict(Role::Server, b"GET / HTTP/1.1\r\nA: b\x00c\r\n\r\n");
    assert!(o.error_before_eof(), "NUL in a value: {o:?}");
    let o = strict(Role::Client, b"HTTP/1.1 20 OK\r\n\r\n");
    assert!(o.error_before_eof(), "two-digit status: {o:?}");
}

#[test]
fn fields_are_case_insensitive_and_zero_copy() {
    let mut dec = MessageDecoder::new(Role::Server);
    let mut buf = BytesMut::from(&b"GET /poll HTTP/1.1\r\nIF-NONE-MATCH: \"v1\", W/\"v2\"\r\nCache-Control: no-cache\r\n\r\n"[..]);
    let Ok(Some(Event::Request { head, .. })) = dec.decode(&mut buf) else {
        panic!()
    };
    let current = codec_http_longpoll::ETag::parse(b"\"v2\"").unwrap();
    assert!(codec_http_longpoll::if_none_match(
        head.headers.get("if-none-match").unwrap(),
        &current
    ));
    let cc = codec_http_longpoll::CacheControl::parse(head.headers.get_all("cache-control"));
    assert!(cc.no_cache && !cc.no_store);
}
