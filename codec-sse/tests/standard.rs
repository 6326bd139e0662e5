//! The repository's own cases, written from WHATWG HTML §9.2.6 and the issue's
//! list of rules most parsers get wrong.

mod common;

use bytes::BytesMut;
use codec_sse::{encode_event, Decoder, Error, Event, Item, Limits, Parser};
use common::{decode_every_way, events, run_chunks};

fn ev(t: &str, d: &str, id: &str) -> (String, String, String) {
    (t.to_owned(), d.to_owned(), id.to_owned())
}

fn drain(p: &mut Parser) -> Result<Vec<Item>, Error> {
    let mut v = Vec::new();
    while let Some(i) = p.next_event()? {
        v.push(i);
    }
    Ok(v)
}

#[test]
fn bom_split_across_chunks() {
    let items = run_chunks(Decoder::new(), &[b"\xEF", b"\xBB", b"\xBFdata:1\n\n"]).unwrap();
    assert_eq!(events(&items), vec![ev("message", "1", "")]);
    // Two bytes of a BOM and then something else: not a BOM, the line is an unknown field.
    let items = run_chunks(Decoder::new(), &[b"\xEF\xBB", b"data:1\n\ndata:2\n\n"]).unwrap();
    assert_eq!(events(&items), vec![ev("message", "2", "")]);
    // Only at the start of the stream.
    let items = decode_every_way(Decoder::new, b"data:1\n\n\xEF\xBB\xBFdata:2\n\n", 16).unwrap();
    assert_eq!(events(&items), vec![ev("message", "1", "")]);
}

#[test]
fn each_stream_may_start_with_a_bom() {
    let mut p = Parser::new();
    p.feed(b"\xEF\xBB\xBFdata:1\n\n");
    p.finish();
    let first = drain(&mut p).unwrap();
    p.feed(b"\xEF\xBB\xBFdata:2\n\n");
    let second = drain(&mut p).unwrap();
    assert_eq!(events(&first), vec![ev("message", "1", "")]);
    assert_eq!(events(&second), vec![ev("message", "2", "")]);
}

#[test]
fn cr_at_chunk_end_is_a_line_end_at_once() {
    let mut p = Parser::new();
    p.feed(b"data: x\r\r");
    // The second CR already dispatched; nothing is held back.
    assert_eq!(
        events(&drain(&mut p).unwrap()),
        vec![ev("message", "x", "")]
    );
    // The LF completing a CRLF in the next chunk is not a blank line.
    p.feed(b"\ndata: y\r");
    assert!(drain(&mut p).unwrap().is_empty());
    p.feed(b"\ndata: z\r");
    assert!(drain(&mut p).unwrap().is_empty());
    p.feed(b"\n\r");
    assert_eq!(
        events(&drain(&mut p).unwrap()),
        vec![ev("message", "y\nz", "")]
    );
    p.feed(b"\n");
    assert!(drain(&mut p).unwrap().is_empty());
    assert_eq!(p.buffered(), 0);
}

#[test]
fn line_end_mixtures() {
    let s = b"data:a\r\ndata:b\rdata:c\n\r\n\r\rdata:d\n\n";
    let items = decode_every_way(Decoder::new, s, 64).unwrap();
    assert_eq!(
        events(&items),
        vec![ev("message", "a\nb\nc", ""), ev("message", "d", "")]
    );
}

#[test]
fn utf8_decoded_per_field() {
    let s = "data: \u{6211}\u{1F600}\nid: \u{2026}\nevent: \u{e9}t\u{e9}\n\n".as_bytes();
    let items = decode_every_way(Decoder::new, s, 64).unwrap();
    assert_eq!(
        events(&items),
        vec![ev("\u{e9}t\u{e9}", "\u{6211}\u{1F600}", "\u{2026}")]
    );
    // Invalid sequences become U+FFFD, one per maximal subpart, field by field.
    let s = b"data: a\xFFb\ndata: \xE2\x80\nid: \xF0\x9F\x98\nevent: \xC3\n\n";
    let items = decode_every_way(Decoder::new, s, 64).unwrap();
    assert_eq!(
        events(&items),
        vec![ev("\u{FFFD}", "a\u{FFFD}b\n\u{FFFD}", "\u{FFFD}")]
    );
}

#[test]
fn id_rules() {
    let s = b"id: 1\n\nid: 2\0\n\ndata: a\n\nid\ndata: b\n\nid: 3\ndata: c\n";
    let items = decode_every_way(Decoder::new, s, 32).unwrap();
    assert_eq!(
        items,
        vec![
            Item::Id("1".into()),
            Item::Event(Event::new("a").with_id("1")),
            Item::Event(Event::new("b").with_id("")),
        ]
    );
    let mut p = Parser::new();
    p.feed(s);
    p.finish();
    drain(&mut p).unwrap();
    // `id: 3` was never committed by a blank line.
    assert_eq!(p.last_event_id(), "");
}

#[test]
fn seeded_last_event_id_is_used_and_kept() {
    let d = || Decoder::new().with_last_event_id("41");
    let items = decode_every_way(d, b"data: a\n\nid: x\ndata: b\n", 8).unwrap();
    assert_eq!(events(&items), vec![ev("message", "a", "41")]);
    assert_eq!(
        Decoder::new().with_last_event_id("41").last_event_id(),
        "41"
    );
}

#[test]
fn retry_in_stream_order() {
    let s = b"retry: 10\ndata: a\nretry: x\nretry:20\n\nretry\nretry: 99999999999999999999\n";
    let items = decode_every_way(Decoder::new, s, 16).unwrap();
    assert_eq!(
        items,
        vec![
            Item::Retry(10),
            Item::Retry(20),
            Item::Event(Event::new("a").with_id(""))
        ]
    );
}

#[test]
fn no_dispatch_at_end_of_stream() {
    let items = decode_every_way(Decoder::new, b"data: a\n\ndata: b\nretry: 5", 16).unwrap();
    assert_eq!(events(&items), vec![ev("message", "a", "")]);
    assert!(
        !items.contains(&Item::Retry(5)),
        "an unterminated line is not a line"
    );
}

#[test]
fn comments_reported_only_when_asked() {
    let s = b": hello\n:\n:  two\ndata: x\n\n";
    let items = decode_every_way(|| Decoder::new().with_comments(true), s, 16).unwrap();
    assert_eq!(
        items,
        vec![
            Item::Comment("hello".into()),
            Item::Comment("".into()),
            Item::Comment(" two".into()),
            Item::Event(Event::new("x").with_id("")),
        ]
    );
    let items = decode_every_way(Decoder::new, s, 16).unwrap();
    assert_eq!(items.len(), 1);
}

#[test]
fn line_limit_with_position() {
    let lim = Limits::default().max_line_len(10);
    let s = b"data: a\n\ndata: 0123456789\n\n";
    for chunk in [1usize, 3, s.len()] {
        let chunks: Vec<&[u8]> = s.chunks(chunk).collect();
        let err = run_chunks(Decoder::with_limits(lim), &chunks).unwrap_err();
        assert_eq!(
            err,
            Error::LineTooLong {
                line: 3,
                offset: 9,
                max: 10
            },
            "chunk size {chunk}"
        );
    }
    // Sticky.
    let mut p = Parser::with_limits(lim);
    p.feed(b"data: 0123456789\n");
    let e = p.next_event().unwrap_err();
    p.feed(b"data: ok\n\n");
    assert_eq!(p.next_event().unwrap_err(), e);
    // Exactly at the limit is fine.
    let items = run_chunks(Decoder::with_limits(lim), &[b"data: 0123\n\n"]).unwrap();
    assert_eq!(events(&items), vec![ev("message", "0123", "")]);
}

#[test]
fn event_limit_with_position() {
    let lim = Limits::default().max_event_len(5);
    let s = b"data: abc\ndata: de\n\n";
    for chunk in [1usize, 4, s.len()] {
        let chunks: Vec<&[u8]> = s.chunks(chunk).collect();
        let err = run_chunks(Decoder::with_limits(lim), &chunks).unwrap_err();
        assert_eq!(
            err,
            Error::EventTooLarge {
                line: 2,
                offset: 10,
                max: 5
            },
            "chunk size {chunk}"
        );
    }
    let items = run_chunks(
        Decoder::with_limits(lim),
        &[b"data: abc\ndata: d\n\ndata: abcde\n\n"],
    )
    .unwrap();
    assert_eq!(
        events(&items),
        vec![ev("message", "abc\nd", ""), ev("message", "abcde", "")]
    );
}

#[test]
fn lines_that_cannot_matter_are_not_buffered() {
    let lim = Limits::default().max_line_len(16);
    let mut s = b"foo:".to_vec();
    s.extend(std::iter::repeat_n(b'x', 10_000));
    s.extend_from_slice(b"\n:");
    s.extend(std::iter::repeat_n(b'y', 10_000));
    s.extend_from_slice(b"\ndata: ok\n\n");
    let mut p = Parser::with_limits(lim);
    let mut items = Vec::new();
    for c in s.chunks(7) {
        p.feed(c);
        items.extend(drain(&mut p).unwrap());
        assert!(p.buffered() < 16, "buffered {}", p.buffered());
    }
    assert_eq!(events(&items), vec![ev("message", "ok", "")]);
    // A long comment is an error once comments are requested.
    let err = run_chunks(
        Decoder::with_limits(lim).with_comments(true),
        &s.chunks(7).collect::<Vec<_>>(),
    );
    assert!(
        matches!(err, Err(Error::LineTooLong { line: 2, .. })),
        "{err:?}"
    );
}

#[test]
fn long_line_in_small_chunks_is_linear() {
    // 4 MiB in 64-byte chunks: a rescanning parser would do ~10^11 byte reads.
    let len = 4 << 20;
    let mut s = Vec::with_capacity(len + 16);
    s.extend_from_slice(b"data: ");
    s.extend(std::iter::repeat_n(b'a', len));
    s.extend_from_slice(b"\n\n");
    let lim = Limits::default().max_line_len(len + 6).max_event_len(len);
    let start = std::time::Instant::now();
    let chunks: Vec<&[u8]> = s.chunks(64).collect();
    let items = run_chunks(Decoder::with_limits(lim), &chunks).unwrap();
    let Item::Event(e) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(e.data().len(), len);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn decode_leaves_partial_line_and_shares_input() {
    let mut dec = Decoder::new();
    let mut src = BytesMut::from(&b"data: single\n\ndata: rest"[..]);
    let range = src.as_ptr() as usize..src.as_ptr() as usize + src.len();
    let Some(Item::Event(e)) = dec.decode(&mut src).unwrap() else {
        panic!()
    };
    assert_eq!(e.data(), "single");
    assert!(
        range.contains(&(e.data().as_ptr() as usize)),
        "data is a slice of the input"
    );
    assert_eq!(dec.decode(&mut src).unwrap(), None);
    assert_eq!(&src[..], b"data: rest");
    assert_eq!(dec.decode(&mut src).unwrap(), None, "may be called again");
    assert_eq!(&src[..], b"data: rest");
}

#[test]
fn emitted_events_parse_back() {
    let evs = [
        Event::new("a\r\nb\rc\n").with_event_type("t").with_id("1"),
        Event::new(""),
        Event::new(" lead").with_id(""),
    ];
    let mut out = BytesMut::new();
    for e in &evs {
        encode_event(e, &mut out).unwrap();
    }
    let items = decode_every_way(Decoder::new, &out, 16).unwrap();
    assert_eq!(
        events(&items),
        vec![
            ev("t", "a\nb\nc\n", "1"),
            ev("message", "", "1"),
            ev("message", " lead", "")
        ]
    );
}
