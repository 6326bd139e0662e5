//! HTTP/1.1 contenders: chunked bodies (RFC 9112 §7.1) and response heads.

use bytes::BytesMut;
use codec_http_longpoll::{ChunkedDecoder, ChunkedEvent, Event, MessageDecoder, RawEvent, Role};

use super::digest::Digest;
use super::READ;

/// Ours, zero-copy: [`ChunkedDecoder`] fed in socket-sized reads; each data piece is a
/// `Bytes` slice of the read buffer, counted and dropped.
pub fn chunked_ours<const CHECK: bool>(wire: &[u8], buf: &mut BytesMut) -> Digest {
    let mut dec = ChunkedDecoder::new();
    let mut d = Digest::default();
    buf.clear();
    for piece in wire.chunks(READ) {
        buf.extend_from_slice(piece);
        while let Some(ev) = dec.decode(buf).expect("valid body") {
            match ev {
                ChunkedEvent::Data(b) => d.add_piece::<CHECK>(&b),
                ChunkedEvent::Chunk(_) => d.msgs += 1,
                ChunkedEvent::End(_) => {}
            }
        }
    }
    assert!(dec.is_done());
    d
}

/// Ours, copying the body out into a reused `Vec`.
pub fn chunked_ours_copy(wire: &[u8], buf: &mut BytesMut, body: &mut Vec<u8>) -> u64 {
    let mut dec = ChunkedDecoder::new();
    buf.clear();
    body.clear();
    for piece in wire.chunks(READ) {
        buf.extend_from_slice(piece);
        while let Some(ev) = dec.decode(buf).expect("valid body") {
            if let ChunkedEvent::Data(b) = ev {
                body.extend_from_slice(&b);
            }
        }
    }
    body.len() as u64
}

/// Ours over a borrowed slice, one event per call: [`ChunkedDecoder::decode_slice`]
/// (no `BytesMut`, no read copy; the caller drops `consumed` bytes itself).
pub fn chunked_ours_slice<const CHECK: bool>(wire: &[u8]) -> Digest {
    let mut dec = ChunkedDecoder::new();
    let mut d = Digest::default();
    let mut pos = 0;
    loop {
        let step = dec.decode_slice(&wire[pos..]).expect("valid body");
        let base = pos;
        pos += step.consumed;
        match step.event {
            Some(RawEvent::Data(r)) => d.add_piece::<CHECK>(&wire[base..][r]),
            Some(RawEvent::Chunk { .. }) => d.msgs += 1,
            Some(RawEvent::End) | None => break,
            Some(_) => {}
        }
    }
    assert!(dec.is_done());
    d
}

/// Ours over a borrowed slice, fast path: [`ChunkedDecoder::decode_data`] runs through data
/// and plain size lines, handing each data piece to a closure. Counts pieces, not chunks.
pub fn chunked_ours_data<const CHECK: bool>(wire: &[u8]) -> Digest {
    let mut dec = ChunkedDecoder::new();
    let mut d = Digest::default();
    let mut pos = 0;
    loop {
        let step = dec
            .decode_data(&wire[pos..], |p| d.add::<CHECK>(p))
            .expect("valid body");
        pos += step.consumed;
        if matches!(step.event, Some(RawEvent::End) | None) {
            break;
        }
    }
    assert!(dec.is_done());
    d
}

/// Ours over a borrowed slice, copying the body out with [`ChunkedDecoder::decode_data`].
pub fn chunked_ours_data_copy(wire: &[u8], body: &mut Vec<u8>) -> u64 {
    let mut dec = ChunkedDecoder::new();
    body.clear();
    let mut pos = 0;
    loop {
        let step = dec
            .decode_data(&wire[pos..], |p| body.extend_from_slice(p))
            .expect("valid body");
        pos += step.consumed;
        if matches!(step.event, Some(RawEvent::End) | None) {
            break;
        }
    }
    body.len() as u64
}

/// The minimal loop over httparse: `parse_chunk_size`, slice the data, skip the CRLF, on the
/// whole input at once (no reads, no buffer, no trailers beyond the final CRLF).
pub fn chunked_httparse<const CHECK: bool>(wire: &[u8]) -> Digest {
    let mut d = Digest::default();
    let mut pos = 0;
    loop {
        let httparse::Status::Complete((n, size)) =
            httparse::parse_chunk_size(&wire[pos..]).expect("valid size line")
        else {
            panic!("truncated size line at {pos}");
        };
        pos += n;
        d.msgs += 1;
        if size == 0 {
            break;
        }
        let size = size as usize;
        d.add_piece::<CHECK>(&wire[pos..pos + size]);
        assert_eq!(&wire[pos + size..pos + size + 2], b"\r\n");
        pos += size + 2;
    }
    d
}

/// The httparse loop, copying the body out into a reused `Vec`.
pub fn chunked_httparse_copy(wire: &[u8], body: &mut Vec<u8>) -> u64 {
    body.clear();
    let mut pos = 0;
    loop {
        let httparse::Status::Complete((n, size)) =
            httparse::parse_chunk_size(&wire[pos..]).expect("valid size line")
        else {
            panic!("truncated size line at {pos}");
        };
        pos += n;
        if size == 0 {
            break;
        }
        let size = size as usize;
        body.extend_from_slice(&wire[pos..pos + size]);
        pos += size + 2;
    }
    body.len() as u64
}

/// The read path alone: the input copied through the same 64 KiB buffer ours is fed
/// through, nothing decoded. Ours minus this is the decoder's own cost.
pub fn read_copy(wire: &[u8], buf: &mut BytesMut) -> u64 {
    let mut n = 0u64;
    for piece in wire.chunks(READ) {
        buf.clear();
        buf.extend_from_slice(piece);
        n += u64::from(buf[buf.len() - 1]);
    }
    n
}

/// Ours: [`MessageDecoder`] (client role) over a buffer of back-to-back responses.
pub fn heads_ours(input: &[u8], buf: &mut BytesMut) -> u64 {
    let mut dec = MessageDecoder::new(Role::Client);
    buf.clear();
    buf.extend_from_slice(input);
    let mut n = 0u64;
    while let Some(ev) = dec.decode(buf).expect("valid heads") {
        if let Event::Response { head, .. } = ev {
            n += u64::from(head.status()) + head.headers.len() as u64;
        }
    }
    n
}

/// httparse: `Response::parse` in a loop over the same buffer (borrowed fields, no copy).
pub fn heads_httparse(input: &[u8]) -> u64 {
    let mut pos = 0;
    let mut n = 0u64;
    while pos < input.len() {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut r = httparse::Response::new(&mut headers);
        let httparse::Status::Complete(len) = r.parse(&input[pos..]).expect("valid head") else {
            panic!("partial head at {pos}");
        };
        n += u64::from(r.code.unwrap_or(0)) + r.headers.len() as u64;
        pos += len;
    }
    n
}
