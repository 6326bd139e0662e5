//! Chunked decoder unit cases (RFC 9112 §7.1): size lines, extensions,
//! CRLF rules, trailers, limits and the leniency switches.

use bytes::BytesMut;
use codec_http_longpoll::{ChunkedDecoder, ChunkedEvent, Error, Leniency, Limits};

fn run(input: &[u8], len: Leniency) -> Result<(Vec<u64>, Vec<u8>, bool), Error> {
    let mut d = ChunkedDecoder::with_config(Limits::default(), len);
    let mut buf = BytesMut::from(input);
    let (mut sizes, mut body) = (Vec::new(), Vec::new());
    while let Some(ev) = d.decode(&mut buf)? {
        match ev {
            ChunkedEvent::Chunk(h) => sizes.push(h.size),
            ChunkedEvent::Data(b) => body.extend_from_slice(&b),
            ChunkedEvent::End(_) => {}
        }
    }
    Ok((sizes, body, d.is_done()))
}

fn strict(input: &[u8]) -> Result<(Vec<u64>, Vec<u8>, bool), Error> {
    run(input, Leniency::default())
}

#[test]
fn size_lines_accepted() {
    for (line, size) in [
        (&b"1\r\n"[..], 1u64),
        (b"01\r\n", 1),
        (b"A\r\n", 10),
        (b"Ff\r\n", 255),
        (b"ffffffffffffffff\r\n", u64::MAX),
        (b"1;ext\r\n", 1),
        (b"1 ;ext\r\n", 1),
        (b"1; ext = val\r\n", 1),
        (b"1;a=\"q;\\\"x\"\r\n", 1),
        (b"3735AB1;foo\r\n", 57_891_505),
    ] {
        let mut d = ChunkedDecoder::new();
        let mut b = BytesMut::from(line);
        match d.decode(&mut b) {
            Ok(Some(ChunkedEvent::Chunk(h))) => assert_eq!(h.size, size, "{line:?}"),
            other => panic!("{line:?}: {other:?}"),
        }
        assert!(b.is_empty());
    }
}

#[test]
fn size_lines_rejected() {
    for line in [
        &b"\r\n"[..],
        b"X\r\n",
        b"1X\r\n",
        b"-1\r\n",
        b"1 \r\n",
        b"1 A\r\n",
        b"2 xyz\r\n",
        b"123x\r\n",
        b"F\rF",
        b"1\n",
        b"1;\r\n",
        b"1;;a\r\n",
        b"1;a \r\n",
        b"1;a=\r\n",
        b"1;a=\"x\r\n",
        b"1;a\nb\r\n",
        b"1;a=b c\r\n",
        b"f0000000000000003\r\n",
        b"00000000000000001\r\n",
    ] {
        let mut d = ChunkedDecoder::new();
        let mut b = BytesMut::from(line);
        assert!(d.decode(&mut b).is_err(), "{line:?} accepted");
    }
}

#[test]
fn incomplete_lines_wait() {
    for line in [&b"F"[..], b"1;noCRLF", b"1;a=\"x", b"1\r"] {
        let mut d = ChunkedDecoder::new();
        let mut b = BytesMut::from(line);
        assert_eq!(d.decode(&mut b), Ok(None), "{line:?}");
        assert_eq!(b.len(), line.len());
    }
}

#[test]
fn body_with_trailers() {
    let (s, b, done) =
        strict(b"5\r\nhello\r\n6\r\n world\r\n0\r\nVary: *\r\nA:  b c \r\n\r\n").unwrap();
    assert_eq!(s, [5, 6, 0]);
    assert_eq!(b, b"hello world");
    assert!(done);
}

#[test]
fn data_must_end_in_crlf() {
    assert!(matches!(
        strict(b"5\r\nhelloXX0\r\n\r\n"),
        Err(Error::MissingChunkCrlf { offset: 8 })
    ));
    assert!(matches!(
        strict(b"5\r\nhello\rX"),
        Err(Error::ExpectedLf { offset: 9 })
    ));
    assert!(matches!(
        strict(b"5\r\nhello\n0\r\n\r\n"),
        Err(Error::MissingChunkCrlf { .. })
    ));
}

#[test]
fn trailer_errors() {
    assert!(matches!(
        strict(b"10\r\n1234567890abcdef\r\n0\r\nbad\r\r\n"),
        Err(Error::InvalidTrailer { .. })
    ));
    assert!(matches!(
        strict(b"0\r\nA: b\n\r\n"),
        Err(Error::BareLf { offset: 7 })
    ));
    assert!(matches!(
        strict(b"0\r\n b\r\n\r\n"),
        Err(Error::InvalidTrailer { .. })
    ));
    assert!(matches!(
        strict(b"0\r\nA : b\r\n\r\n"),
        Err(Error::InvalidTrailer { .. })
    ));
    let mut d = ChunkedDecoder::with_config(Limits::default().max_trailers(1), Leniency::default());
    let mut b = BytesMut::from(&b"0\r\nA: 1\r\nB: 2\r\n\r\n"[..]);
    assert!(d.decode(&mut b).is_ok());
    assert!(matches!(
        d.decode(&mut b),
        Err(Error::TooManyTrailers { max: 1, .. })
    ));
}

#[test]
fn extension_limit_is_per_message() {
    // hyper's case: two chunks with ~11 KiB of extension each.
    let mut input = Vec::new();
    for _ in 0..2 {
        input.extend_from_slice(b"1;");
        input.extend(core::iter::repeat_n(b'x', 10_922));
        input.extend_from_slice(b"\r\nZ\r\n");
    }
    let mut d = ChunkedDecoder::new();
    let mut b = BytesMut::from(&input[..]);
    assert!(matches!(d.decode(&mut b), Ok(Some(ChunkedEvent::Chunk(_)))));
    assert!(matches!(d.decode(&mut b), Ok(Some(ChunkedEvent::Data(_)))));
    assert!(matches!(
        d.decode(&mut b),
        Err(Error::ChunkExtensionsTooLarge { max: 16384, .. })
    ));
}

#[test]
fn eof_in_body_is_an_error_and_sticky() {
    let mut d = ChunkedDecoder::new();
    let mut b = BytesMut::from(&b"1\r\nZ\r\n"[..]);
    while d.decode(&mut b).unwrap().is_some() {}
    assert_eq!(
        d.decode_eof(&mut b),
        Err(Error::UnexpectedEof { offset: 6 })
    );
    assert_eq!(d.decode(&mut b), Err(Error::UnexpectedEof { offset: 6 }));
}

#[test]
fn leniency_flags() {
    let l = Leniency::default();
    assert!(run(
        b"a \r\n0123456789\r\n0\r\n\r\n",
        l.allow_spaces_after_chunk_size(true)
    )
    .is_ok());
    assert!(
        run(b"1\nA\r\n0\n\n", l.allow_optional_cr_before_lf(true))
            .unwrap()
            .2
    );
    let (s, b, _) = run(
        b"5\r\nABCDE0\r\n\r\n",
        l.allow_optional_crlf_after_chunk(true),
    )
    .unwrap();
    assert_eq!((s, b), (vec![5, 0], b"ABCDE".to_vec()));
    let (_, b, _) = run(b"2\rAB\r\n0\r\n\r\n", l.allow_optional_lf_after_cr(true)).unwrap();
    assert_eq!(b, b"AB");
}

#[test]
fn trailing_bytes_left_alone() {
    let mut d = ChunkedDecoder::new();
    let mut b = BytesMut::from(&b"0\r\n\r\nNEXT"[..]);
    while d.decode(&mut b).unwrap().is_some() {}
    assert_eq!(&b[..], b"NEXT");
    assert_eq!(d.consumed(), 5);
}
