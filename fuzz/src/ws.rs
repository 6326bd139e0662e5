//! WebSocket targets: the connection in both roles on hostile bytes (what it sends back must be
//! valid frames), split invariance, client → server round trips, and the handshake parsers.

use arbitrary::Arbitrary;
use bytes::BytesMut;
use codec_ws::handshake::{ClientRequest, ServerRequest};
use codec_ws::{Config, Connection, Limits, Message, Role};

fn limits() -> Limits {
    Limits::default()
        .max_frame_len(64 * 1024)
        .max_message_len(128 * 1024)
        .max_fragments(64)
        .max_head_len(4096)
        .max_headers(32)
}

/// Messages then the first error, for one input.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    /// Messages in order.
    pub messages: Vec<Message>,
    /// The first error (errors are sticky).
    pub error: Option<String>,
    /// What the connection queued to send back (pongs, close replies).
    pub sent: Vec<u8>,
}

/// The two ways bytes reach a connection.
#[derive(Clone, Copy)]
enum Path {
    /// `decode` on a caller's buffer.
    Decode,
    /// `feed` + `next_event`: the connection's own buffer and the direct path for large
    /// payloads.
    Feed,
}

fn run(role: Role, pieces: &[&[u8]]) -> Outcome {
    run_via(Path::Decode, role, pieces)
}

fn run_via(path: Path, role: Role, pieces: &[&[u8]]) -> Outcome {
    let mut conn = Connection::new(role, Config::default().limits(limits()));
    let mut out = Outcome { messages: Vec::new(), error: None, sent: Vec::new() };
    let mut buf = BytesMut::new();
    'outer: for p in pieces {
        match path {
            Path::Decode => buf.extend_from_slice(p),
            Path::Feed => conn.feed(p),
        }
        loop {
            let next = match path {
                Path::Decode => conn.decode(&mut buf),
                Path::Feed => conn.next_event(),
            };
            match next {
                Ok(Some(m)) => out.messages.push(m),
                Ok(None) => break,
                Err(e) => {
                    out.error = Some(e.to_string());
                    break 'outer;
                }
            }
        }
    }
    let mut sent = BytesMut::new();
    while conn.poll_transmit(&mut sent) {}
    out.sent = sent.to_vec();
    out
}

/// The peer's view of what a connection sent: it must decode without error.
fn check_sent_is_valid(sender: Role, sent: &[u8]) {
    let receiver = match sender {
        Role::Server => Role::Client,
        Role::Client => Role::Server,
    };
    let r = run(receiver, &[sent]);
    assert!(r.error.is_none(), "we sent frames our peer rejects: {:?}", r.error);
}

fn role_from(control: &[u8]) -> Role {
    if control.first().is_some_and(|b| b & 1 == 1) {
        Role::Client
    } else {
        Role::Server
    }
}

/// `ws_frames`: hostile bytes in either role; what we send back (pongs, close) is valid.
pub fn frames(data: &[u8]) {
    let (control, payload) = crate::control_and_payload(data);
    let role = role_from(control);
    let r = run(role, &[payload]);
    for m in &r.messages {
        if let Message::Text(t) = m {
            assert!(core::str::from_utf8(t).is_ok(), "a text message that is not UTF-8");
        }
    }
    check_sent_is_valid(role, &r.sent);
}

/// `ws_split`: fed whole or in pieces, the same messages, error and replies.
pub fn split(data: &[u8]) {
    let (control, payload) = crate::control_and_payload(data);
    let role = role_from(control);
    let cuts = crate::split_points(payload, control);
    let whole = run(role, &[payload]);
    let split = run(role, &crate::pieces(payload, &cuts));
    assert_eq!(whole, split, "cuts at {cuts:?}");
    let fed = run_via(Path::Feed, role, &crate::pieces(payload, &cuts));
    assert_eq!(whole, fed, "fed, cuts at {cuts:?}");
}

/// A message built by the fuzzer.
#[derive(Debug, Arbitrary)]
pub enum ArbMessage {
    /// Text.
    Text(String),
    /// Binary.
    Binary(Vec<u8>),
    /// Ping (cut to 125 bytes).
    Ping(Vec<u8>),
}

/// `ws_roundtrip`: what a client sends, the server receives unchanged (and vice versa).
pub fn roundtrip(input: (bool, Vec<ArbMessage>)) {
    let (client_sends, msgs) = input;
    let (from, to) =
        if client_sends { (Role::Client, Role::Server) } else { (Role::Server, Role::Client) };
    let mut sender = Connection::new(from, Config::default().limits(limits()));
    let mut wire = BytesMut::new();
    let mut expected = Vec::new();
    for m in msgs.iter().take(32) {
        let r = match m {
            ArbMessage::Text(t) => {
                sender.send_text(t, &mut wire).map(|_| Message::Text(t.clone().into_bytes().into()))
            }
            ArbMessage::Binary(b) => {
                sender.send_binary(b, &mut wire).map(|_| Message::Binary(b.clone().into()))
            }
            ArbMessage::Ping(p) => {
                let p = &p[..p.len().min(125)];
                sender.send_ping(p, &mut wire).map(|_| Message::Ping(p.to_vec().into()))
            }
        };
        if let Ok(m) = r {
            expected.push(m);
        }
    }
    let r = run(to, &[&wire]);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.messages, expected);
}

/// `ws_handshake`: the server's request parser and the client's response validator on hostile
/// heads; a request we accept gets a 101 that a matching client accepts.
pub fn handshake(data: &[u8]) {
    let (control, payload) = crate::control_and_payload(data);
    if let Ok(Some((req, used))) = ServerRequest::parse(payload, &limits()) {
        assert!(used <= payload.len());
        let mut out = BytesMut::new();
        req.accept(None, None, &mut out).expect("accepting a valid request");
        assert!(out.starts_with(b"HTTP/1.1 101 "));
    }
    let mut nonce = [0u8; 16];
    for (n, c) in nonce.iter_mut().zip(control) {
        *n = *c;
    }
    let client = ClientRequest::new("example.com", "/", nonce);
    if let Ok(Some((_, used))) = client.parse_response(payload, &limits()) {
        assert!(used <= payload.len());
    }
}
