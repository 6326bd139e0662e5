//! SSE targets: the parser on hostile bytes, split invariance, emit → parse round trip.

use arbitrary::Arbitrary;
use bytes::BytesMut;
use codec_sse::{Event, Item, Limits, Parser};

/// Everything a parser says for one input: the items, then the error that stopped it, if any.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    /// Items in order.
    pub items: Vec<Item>,
    /// The first error (errors are sticky, so parsing stops there).
    pub error: Option<String>,
}

fn drain(p: &mut Parser, out: &mut Outcome) -> bool {
    loop {
        match p.next_event() {
            Ok(Some(item)) => out.items.push(item),
            Ok(None) => return true,
            Err(e) => {
                out.error = Some(e.to_string());
                return false;
            }
        }
    }
}

fn limits() -> Limits {
    // Small limits so that the fuzzer reaches the limit paths too.
    Limits::default().max_line_len(512).max_event_len(2048)
}

/// Parses `pieces` in order, then finishes the stream.
pub fn parse_pieces(pieces: &[&[u8]]) -> Outcome {
    let mut p = Parser::with_limits(limits());
    let mut out = Outcome { items: Vec::new(), error: None };
    for piece in pieces {
        p.feed(piece);
        if !drain(&mut p, &mut out) {
            return out;
        }
        // Bounded memory: the parser never holds more than a line and an event.
        assert!(p.buffered() <= 512 + 64 * 1024, "parser buffered {} bytes", p.buffered());
    }
    p.finish();
    drain(&mut p, &mut out);
    out
}

/// [`parse_pieces`] through the fast path (`Parser::feed_with`, borrowed items), with the same
/// bounded-memory check.
pub fn parse_pieces_with(pieces: &[&[u8]]) -> Outcome {
    let mut p = Parser::with_limits(limits());
    let mut out = Outcome { items: Vec::new(), error: None };
    for piece in pieces {
        if let Err(e) = p.feed_with(piece, |item| out.items.push(item.to_item())) {
            out.error = Some(e.to_string());
            return out;
        }
        assert!(p.buffered() <= 512 + 64 * 1024, "parser buffered {} bytes", p.buffered());
    }
    p.finish();
    loop {
        match p.next_ref() {
            Ok(Some(item)) => out.items.push(item.to_item()),
            Ok(None) => return out,
            Err(e) => {
                out.error = Some(e.to_string());
                return out;
            }
        }
    }
}

/// `sse_parse`: arbitrary bytes never panic, every dispatched event respects the limits, and
/// the fast path (`feed_with`) says the same as `feed` + `next_event`.
pub fn parse(data: &[u8]) {
    let out = parse_pieces(&[data]);
    assert_eq!(parse_pieces_with(&[data]), out, "feed_with differs");
    for item in &out.items {
        if let Item::Event(ev) = item {
            // The limit counts received bytes; U+FFFD replacement can triple them.
            assert!(ev.data().len() <= 3 * 2048);
        }
    }
}

/// `sse_split`: the same bytes fed whole and in pieces give the same items and the same error.
pub fn split(data: &[u8]) {
    let (control, payload) = crate::control_and_payload(data);
    let whole = parse_pieces(&[payload]);
    let cuts = crate::split_points(payload, control);
    let pieces = crate::pieces(payload, &cuts);
    let split = parse_pieces(&pieces);
    // Errors carry offsets, which are the same whatever the split.
    assert_eq!(whole, split, "cuts at {cuts:?}");
    assert_eq!(parse_pieces_with(&pieces), whole, "feed_with, cuts at {cuts:?}");
}

/// An event built by the fuzzer.
#[derive(Debug, Arbitrary)]
pub struct ArbEvent {
    event_type: Option<String>,
    data: String,
    id: Option<String>,
}

/// `sse_roundtrip`: every event the emitter accepts parses back to itself.
pub fn roundtrip(events: Vec<ArbEvent>) {
    let mut wire = BytesMut::new();
    let mut sent = Vec::new();
    for a in events.iter().take(64) {
        let mut ev = Event::new(a.data.clone());
        if let Some(t) = &a.event_type {
            ev = ev.with_event_type(t.clone());
        }
        if let Some(id) = &a.id {
            ev = ev.with_id(id.clone());
        }
        // The emitter refuses ids and types with CR, LF or NULL: then nothing may be written.
        let before = wire.len();
        match codec_sse::encode_event(&ev, &mut wire) {
            Ok(()) => sent.push(ev),
            Err(_) => assert_eq!(wire.len(), before, "a refused event wrote bytes"),
        }
    }
    let mut p = Parser::new();
    p.feed(&wire);
    p.finish();
    let mut got = Vec::new();
    loop {
        match p.next_event() {
            Ok(Some(Item::Event(ev))) => got.push(ev),
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => panic!("emitted stream does not parse: {e}"),
        }
    }
    assert_eq!(got.len(), sent.len());
    for (g, s) in got.iter().zip(&sent) {
        // SSE carries line breaks in data as separate `data:` lines, and the parser joins them
        // with LF: CR and CRLF come back as LF (WHATWG HTML, event stream interpretation).
        let expected = s.data().replace("\r\n", "\n").replace('\r', "\n");
        assert_eq!(g.data(), expected);
        assert_eq!(g.event_type(), s.event_type());
        if let Some(id) = s.id() {
            assert_eq!(g.last_event_id(), id.as_ref() as &str);
        }
    }
}
