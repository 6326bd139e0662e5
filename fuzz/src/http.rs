//! HTTP/1.1 targets: the chunked decoder (strict and lenient), split invariance, a differential
//! check of chunk-size lines against httparse, and the message head decoder in both roles.

use bytes::BytesMut;
use codec_http_longpoll::{
    ChunkedDecoder, ChunkedEvent, Event, Leniency, Limits, MessageDecoder, Role,
};

/// What a decoder said: events with adjacent data pieces merged (pieces depend on the split, the
/// bytes do not), then the first error.
#[derive(Debug, PartialEq)]
pub struct Outcome<E> {
    /// Events in order; data merged.
    pub events: Vec<E>,
    /// Body bytes, in order.
    pub data: Vec<u8>,
    /// The first error, as text (it carries the offset).
    pub error: Option<String>,
}

impl<E> Default for Outcome<E> {
    fn default() -> Self {
        Self {
            events: Vec::new(),
            data: Vec::new(),
            error: None,
        }
    }
}

fn small_limits() -> Limits {
    Limits::default()
        .max_chunk_ext_len(256)
        .max_trailer_len(512)
        .max_trailers(8)
        .max_head_len(2048)
        .max_headers(16)
}

/// Feeds `pieces` one after the other, then ends the input, handing every event to `on` (which
/// says whether to go on); the first error ends the run.
fn drive<D, E>(
    pieces: &[&[u8]],
    dec: &mut D,
    step: fn(&mut D, &mut BytesMut, bool) -> Result<Option<E>, codec_http_longpoll::Error>,
    mut on: impl FnMut(E, &mut Outcome<E>) -> bool,
) -> Outcome<E> {
    let mut out = Outcome::default();
    let mut buf = BytesMut::new();
    let mut feed = |buf: &mut BytesMut, out: &mut Outcome<E>, eof: bool| loop {
        match step(dec, buf, eof) {
            Ok(Some(ev)) => {
                if !on(ev, out) {
                    return false;
                }
            }
            Ok(None) => return true,
            Err(e) => {
                out.error = Some(e.to_string());
                return false;
            }
        }
    };
    for p in pieces {
        buf.extend_from_slice(p);
        if !feed(&mut buf, &mut out, false) {
            return out;
        }
    }
    feed(&mut buf, &mut out, true);
    out
}

fn chunked_pieces(pieces: &[&[u8]], leniency: Leniency) -> Outcome<ChunkedEvent> {
    let mut dec = ChunkedDecoder::with_config(small_limits(), leniency);
    let mut declared: u64 = 0;
    let step = |d: &mut ChunkedDecoder, b: &mut BytesMut, eof| {
        if eof {
            d.decode_eof(b)
        } else {
            d.decode(b)
        }
    };
    drive(pieces, &mut dec, step, |ev, out| {
        match ev {
            ChunkedEvent::Data(d) => {
                out.data.extend_from_slice(&d);
                // Data never runs past what the chunk-size lines declared.
                assert!(out.data.len() as u64 <= declared, "more data than declared");
            }
            ev => {
                if let ChunkedEvent::Chunk(h) = &ev {
                    declared = declared.saturating_add(h.size);
                }
                if let ChunkedEvent::End(_) = &ev {
                    assert_eq!(out.data.len() as u64, declared, "body ended short");
                }
                out.events.push(ev);
            }
        }
        true
    })
}

/// `http_chunked`: arbitrary bytes as a chunked body, strict and fully lenient; data never exceeds
/// the declared sizes, and strict never accepts what lenient rejects.
pub fn chunked(data: &[u8]) {
    let strict = chunked_pieces(&[data], Leniency::default());
    let lenient = chunked_pieces(&[data], Leniency::all());
    if strict.error.is_none() {
        assert!(
            lenient.error.is_none(),
            "lenient rejects what strict accepts: {:?}",
            lenient.error
        );
        assert_eq!(strict.data, lenient.data);
    }
}

/// `http_chunked_split`: the same body fed whole and in pieces gives the same events, bytes and error.
pub fn chunked_split(data: &[u8]) {
    let (control, payload) = crate::control_and_payload(data);
    let cuts = crate::split_points(payload, control);
    let whole = chunked_pieces(&[payload], Leniency::default());
    let split = chunked_pieces(&crate::pieces(payload, &cuts), Leniency::default());
    assert_eq!(whole, split, "cuts at {cuts:?}");
}

/// `http_chunk_size_diff`: a chunk-size line we accept, httparse accepts with the same size.
///
/// Only this direction is checked: httparse is deliberately more lenient than our strict mode (it
/// takes a bare LF inside an extension, the pattern behind the 2025 request-smuggling CVEs, and
/// spaces before the line end), so "httparse accepts, we reject" is expected and not a finding.
pub fn chunk_size_diff(data: &[u8]) {
    let mut dec = ChunkedDecoder::with_config(small_limits(), Leniency::default());
    let mut buf = BytesMut::from(data);
    if let Ok(Some(ChunkedEvent::Chunk(h))) = dec.decode(&mut buf) {
        let used = data.len() - buf.len();
        match httparse::parse_chunk_size(&data[..used]) {
            Ok(httparse::Status::Complete((n, size))) => {
                assert_eq!(size, h.size, "sizes differ");
                assert_eq!(n, used, "line lengths differ");
            }
            other => panic!(
                "we accepted {:?} as size {}, httparse says {other:?}",
                &data[..used],
                h.size
            ),
        }
    }
}

fn head_pieces(role: Role, pieces: &[&[u8]]) -> Outcome<Event> {
    let mut dec = MessageDecoder::with_config(role, small_limits(), Leniency::default());
    let step = |d: &mut MessageDecoder, b: &mut BytesMut, eof| {
        if eof {
            d.decode_eof(b)
        } else {
            d.decode(b)
        }
    };
    drive(pieces, &mut dec, step, |ev, out| match ev {
        Event::Data(d) => {
            out.data.extend_from_slice(&d);
            true
        }
        Event::Upgrade => {
            out.events.push(Event::Upgrade);
            false
        }
        ev => {
            out.events.push(ev);
            true
        }
    })
}

/// `http_message`: arbitrary bytes as requests (server role) and responses (client role), whole
/// and split: the same messages, bodies and errors either way.
pub fn message(data: &[u8]) {
    let (control, payload) = crate::control_and_payload(data);
    let role = if control.first().is_some_and(|b| b & 1 == 1) {
        Role::Client
    } else {
        Role::Server
    };
    let cuts = crate::split_points(payload, control);
    let whole = head_pieces(role, &[payload]);
    let split = head_pieces(role, &crate::pieces(payload, &cuts));
    assert_eq!(whole, split, "cuts at {cuts:?}");
}
