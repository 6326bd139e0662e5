//! Opening handshake (RFC 6455 §4): what Autobahn does not test.

use bytes::BytesMut;
use codec_ws::handshake::{accept_key, encode_error_response, ClientRequest, ServerRequest};
use codec_ws::{Error, Limits};

const RFC_REQUEST: &[u8] = b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\
Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n\
Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n";

fn parse(req: &[u8]) -> Result<Option<(ServerRequest, usize)>, Error> {
    ServerRequest::parse(req, &Limits::default())
}

fn with_header(replace: &str, by: &str) -> Vec<u8> {
    String::from_utf8(RFC_REQUEST.to_vec())
        .unwrap()
        .replace(replace, by)
        .into_bytes()
}

#[test]
fn rfc_1_3_example() {
    assert_eq!(
        accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    );
    let (req, used) = parse(RFC_REQUEST).unwrap().unwrap();
    assert_eq!(used, RFC_REQUEST.len());
    assert_eq!(req.protocols, ["chat", "superchat"]);
    assert_eq!(req.origin.as_deref(), Some("http://example.com"));
    let mut out = BytesMut::new();
    req.accept(Some("chat"), None, &mut out).unwrap();
    let text = std::str::from_utf8(&out).unwrap();
    assert!(text.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
    assert!(text.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    assert!(text.contains("Sec-WebSocket-Protocol: chat\r\n"));
    assert_eq!(
        req.accept(Some("other"), None, &mut out),
        Err(Error::UnexpectedSubprotocol)
    );
}

#[test]
fn partial_heads_and_leftover_bytes() {
    for cut in 0..RFC_REQUEST.len() {
        assert_eq!(parse(&RFC_REQUEST[..cut]), Ok(None), "cut {cut}");
    }
    let mut with_frame = RFC_REQUEST.to_vec();
    with_frame.extend_from_slice(&[0x81, 0x80, 1, 2, 3, 4]);
    let (_, used) = parse(&with_frame).unwrap().unwrap();
    assert_eq!(&with_frame[used..], &[0x81, 0x80, 1, 2, 3, 4]);
}

#[test]
fn request_errors_map_to_status() {
    let cases: Vec<(Vec<u8>, Error, u16)> = vec![
        (with_header("GET", "POST"), Error::MethodNotGet, 405),
        (with_header("HTTP/1.1", "HTTP/1.0"), Error::HttpVersion, 400),
        (
            with_header("Host: server.example.com\r\n", ""),
            Error::MissingHeader { name: "Host" },
            400,
        ),
        (
            with_header("Upgrade: websocket", "Upgrade: h2c"),
            Error::MissingHeader { name: "Upgrade" },
            400,
        ),
        (
            with_header("Connection: Upgrade", "Connection: keep-alive"),
            Error::MissingHeader { name: "Connection" },
            400,
        ),
        (
            with_header("Version: 13", "Version: 8"),
            Error::UnsupportedVersion,
            426,
        ),
        (
            with_header("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ"),
            Error::InvalidKey,
            400,
        ),
        (
            with_header("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZXg="),
            Error::InvalidKey,
            400,
        ),
        (
            with_header(
                "Origin",
                "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nOrigin",
            ),
            Error::InvalidHeader {
                name: "Sec-WebSocket-Key",
            },
            400,
        ),
    ];
    for (req, err, status) in cases {
        let got = parse(&req).unwrap_err();
        assert_eq!(got, err);
        assert_eq!(got.status_hint(), Some(status));
    }
    // Token lists are case-insensitive.
    let ok = with_header("Connection: Upgrade", "connection: keep-alive, UPGRADE");
    assert!(parse(&ok).unwrap().is_some());
}

#[test]
fn upgrade_required_response() {
    let err = parse(&with_header("Version: 13", "Version: 7")).unwrap_err();
    let mut out = BytesMut::new();
    encode_error_response(&err, &mut out);
    let text = std::str::from_utf8(&out).unwrap();
    assert!(text.starts_with("HTTP/1.1 426 Upgrade Required\r\n"));
    assert!(text.contains("\r\nSec-WebSocket-Version: 13\r\n"));
    let body_at = text.find("\r\n\r\n").unwrap() + 4;
    assert!(text.contains(&format!("Content-Length: {}\r\n", text.len() - body_at)));
}

#[test]
fn head_limits() {
    let limits = Limits::default().max_head_len(64);
    assert_eq!(
        ServerRequest::parse(RFC_REQUEST, &limits),
        Err(Error::HeadTooLarge { max: 64 })
    );
    // Over the limit without an end: rejected before the head completes.
    assert_eq!(
        ServerRequest::parse(&[b'a'; 64], &limits),
        Err(Error::HeadTooLarge { max: 64 })
    );
    let limits = Limits::default().max_headers(3);
    let e = ServerRequest::parse(RFC_REQUEST, &limits).unwrap_err();
    assert_eq!(e, Error::TooManyHeaders { max: 3 });
    assert_eq!(e.status_hint(), Some(431));
    assert!(matches!(
        parse(b"GET / HTTP/1.1\r\nHo st: x\r\n\r\n"),
        Err(Error::MalformedHead(_))
    ));
}

fn response(accept: &str, extra: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: {accept}\r\n{extra}\r\n"
    )
    .into_bytes()
}

#[test]
fn client_request_and_response_validation() {
    let req = ClientRequest::new("example.com:8080", "/x?y=1", *b"the sample nonce")
        .origin("http://example.com")
        .protocol("chat")
        .header("Authorization", "Bearer t");
    let mut out = BytesMut::new();
    req.encode(&mut out).unwrap();
    // Our own server parser accepts it.
    let (parsed, _) = parse(&out).unwrap().unwrap();
    assert_eq!(
        (parsed.path.as_str(), parsed.host.as_str()),
        ("/x?y=1", "example.com:8080")
    );
    assert_eq!(parsed.key, "dGhlIHNhbXBsZSBub25jZQ==");

    let good = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    let l = Limits::default();
    let (r, _) = req
        .parse_response(&response(good, ""), &l)
        .unwrap()
        .unwrap();
    assert_eq!(r.protocol, None);
    assert_eq!(req.parse_response(&response(good, "")[..20], &l), Ok(None));
    assert_eq!(
        req.parse_response(&response("xxxx", ""), &l),
        Err(Error::AcceptMismatch)
    );
    assert_eq!(
        req.parse_response(&response(good, "Sec-WebSocket-Protocol: other\r\n"), &l),
        Err(Error::UnexpectedSubprotocol)
    );
    assert_eq!(
        req.parse_response(
            &response(good, "Sec-WebSocket-Extensions: permessage-deflate\r\n"),
            &l
        ),
        Err(Error::InvalidExtension),
        "extension not offered"
    );
    assert_eq!(
        req.parse_response(b"HTTP/1.1 403 Forbidden\r\n\r\n", &l),
        Err(Error::UnexpectedStatus { status: 403 })
    );
    let no_upgrade = b"HTTP/1.1 101 OK\r\nConnection: upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    assert_eq!(
        req.parse_response(no_upgrade, &l),
        Err(Error::MissingHeader { name: "Upgrade" })
    );
    // Header injection is refused.
    let bad = ClientRequest::new("h", "/", [0; 16]).header("X", "a\r\nInjected: 1");
    assert!(bad.encode(&mut BytesMut::new()).is_err());
}

#[cfg(feature = "deflate")]
#[test]
fn deflate_negotiation_through_the_handshake() {
    use codec_ws::DeflateConfig;
    let req = ClientRequest::new("h", "/", [7; 16])
        .deflate(DeflateConfig::default().server_max_window_bits(10));
    let mut out = BytesMut::new();
    req.encode(&mut out).unwrap();
    let (parsed, _) = parse(&out).unwrap().unwrap();
    let (params, value) = parsed.negotiate_deflate(&DeflateConfig::default()).unwrap();
    assert_eq!(params.server_max_window_bits, 10);
    let mut resp = BytesMut::new();
    parsed.accept(None, Some(&value), &mut resp).unwrap();
    let (r, _) = req
        .parse_response(&resp, &Limits::default())
        .unwrap()
        .unwrap();
    assert_eq!(r.deflate, Some(params));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Hostile heads never panic, and a parsed head never claims more bytes than given.
        #[test]
        fn arbitrary_heads(data in proptest::collection::vec(any::<u8>(), 0..600), prefix in any::<bool>()) {
            let mut input = if prefix { RFC_REQUEST[..40].to_vec() } else { Vec::new() };
            input.extend_from_slice(&data);
            if let Ok(Some((_, used))) = parse(&input) {
                prop_assert!(used <= input.len());
            }
            let req = ClientRequest::new("h", "/", [0; 16]);
            if let Ok(Some((_, used))) = req.parse_response(&input, &Limits::default()) {
                prop_assert!(used <= input.len());
            }
        }

        /// Whatever our client builds, our server parses back, and the 101 it writes is
        /// accepted by that client.
        #[test]
        fn request_round_trip(
            host in "[a-z0-9.-]{1,30}(:[0-9]{1,5})?",
            path in "/[a-zA-Z0-9/._~?=&-]{0,40}",
            protocols in proptest::collection::vec("[a-zA-Z0-9!#$%&'*+.^_`|~-]{1,12}", 0..4),
            nonce in any::<[u8; 16]>(),
        ) {
            let mut req = ClientRequest::new(&host, &path, nonce);
            for p in &protocols {
                req = req.protocol(p);
            }
            let mut out = BytesMut::new();
            req.encode(&mut out).unwrap();
            let (parsed, used) = parse(&out).unwrap().unwrap();
            prop_assert_eq!(used, out.len());
            prop_assert_eq!(&parsed.host, &host);
            prop_assert_eq!(&parsed.path, &path);
            prop_assert_eq!(&parsed.protocols, &protocols);
            let mut resp = BytesMut::new();
            parsed.accept(protocols.first().map(String::as_str), None, &mut resp).unwrap();
            let (result, _) = req.parse_response(&resp, &Limits::default()).unwrap().unwrap();
            prop_assert_eq!(result.protocol.as_ref(), protocols.first());
        }
    }
}
