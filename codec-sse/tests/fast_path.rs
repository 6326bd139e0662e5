//! The in-place fast path (`Parser::feed_with`) against owned decoding, on streams long enough
//! for every way it takes: small chunks staged in the parser's buffer, large chunks parsed in
//! place, switches between the two, lines and events cut anywhere, invalid UTF-8 and limits.

mod common;

use codec_sse::{Decoder, Error, Item, Limits, Parser};
use common::XorShift;

/// A long random stream of typical and odd lines.
fn stream(rng: &mut XorShift, len: usize) -> Vec<u8> {
    let mut s = Vec::with_capacity(len + 256);
    let pieces: [&[u8]; 24] = [
        b"id: 7\n",
        b"id: \n",
        b"id:\x00x\n",
        b"event: chat.message\n",
        b"event:\n",
        b"data: {\"user\":\"alice\",\"text\":\"hello world\"}\n",
        b"data:x\r\n",
        b"data\n",
        b"data:  two spaces\r",
        b"data: caf\xC3\xA9 \xE2\x80\xA6 \xF0\x9F\x98\x80\n",
        b"data: bad \xFF\xFE bytes\n",
        b"data: cut \xE2\x80\n",
        b": keep-alive\n",
        b"retry: 1500\n",
        b"retry: x\n",
        b"unknown: field\n",
        b"\n",
        b"\r\n",
        b"\r",
        b"\n\n",
        b"id: 42\ndata: a\ndata: b\n\n",
        b"data: long ",
        b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        b"\xEF\xBB\xBF",
    ];
    while s.len() < len {
        let p = pieces[(rng.next() % pieces.len() as u64) as usize];
        s.extend_from_slice(p);
    }
    s
}

fn owned(dec: Decoder, chunks: &[&[u8]]) -> Result<Vec<Item>, Error> {
    let mut p = Parser::from_decoder(dec);
    let mut out = Vec::new();
    for c in chunks {
        p.feed(c);
        while let Some(i) = p.next_event()? {
            out.push(i);
        }
    }
    p.finish();
    while let Some(i) = p.next_event()? {
        out.push(i);
    }
    Ok(out)
}

fn fast(dec: Decoder, chunks: &[&[u8]]) -> Result<Vec<Item>, Error> {
    let mut p = Parser::from_decoder(dec);
    let mut out = Vec::new();
    for c in chunks {
        p.feed_with(c, |i| out.push(i.to_item()))?;
        // Bounded: an unfinished line and a few KiB of lines the event points into.
        assert!(
            p.buffered() <= 2 * (4096 + 1024 + 4096) + 8192,
            "{}",
            p.buffered()
        );
    }
    p.finish();
    while let Some(i) = p.next_ref()? {
        out.push(i.to_item());
    }
    Ok(out)
}

/// Chunk sizes mixing small (staged) and large (in place) ones, or (`small`) only small ones,
/// so that the parser's buffer fills up and is compacted.
fn chunks<'a>(rng: &mut XorShift, bytes: &'a [u8], small: bool) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let n = match rng.next() % if small { 2 } else { 4 } {
            0 => 1 + (rng.next() % 16) as usize,
            1 => 1 + (rng.next() % 400) as usize,
            2 => 3000 + (rng.next() % 3000) as usize,
            _ => 1 + (rng.next() % 20_000) as usize,
        };
        let end = (at + n).min(bytes.len());
        out.push(&bytes[at..end]);
        at = end;
    }
    out
}

#[test]
fn fast_path_matches_owned_decoding_in_any_chunks() {
    let mut rng = XorShift(0x5EED_F00D_1234_5678);
    for round in 0..40 {
        let bytes = stream(&mut rng, 30_000 + round * 1000);
        let comments = round % 3 == 0;
        let make = || Decoder::new().with_comments(comments);
        let want = owned(make(), &[&bytes]);
        assert!(want.as_ref().map_or(0, Vec::len) > 100);
        for k in 0..4 {
            let c = chunks(&mut rng, &bytes, k % 2 == 0);
            assert_eq!(fast(make(), &c), want, "round {round}");
            assert_eq!(owned(make(), &c), want, "round {round}");
        }
    }
}

#[test]
fn fast_path_limits_match_owned_decoding() {
    let mut rng = XorShift(0x00DD_BA11_0000_0001);
    for round in 0..40 {
        let bytes = stream(&mut rng, 20_000);
        let make = || Decoder::with_limits(Limits::default().max_line_len(40).max_event_len(120));
        let want = owned(make(), &[&bytes]);
        for k in 0..4 {
            let c = chunks(&mut rng, &bytes, k % 2 == 0);
            assert_eq!(fast(make(), &c), want, "round {round}");
        }
    }
}

#[test]
fn values_outlive_their_chunk() {
    // An id set once, then many events in small and large chunks: the id must survive every
    // compaction of the parser's buffer and every large chunk.
    let mut s = b"id: first\nevent: t\n".to_vec();
    for i in 0..3000 {
        s.extend_from_slice(format!("data: {i}\n\n").as_bytes());
        if i == 1500 {
            s.extend_from_slice(b"id: second\n");
        }
    }
    let mut rng = XorShift(99);
    for small in [true, false] {
        let c = chunks(&mut rng, &s, small);
        let items = fast(Decoder::new(), &c).unwrap();
        assert_eq!(items.len(), 3000);
        for (i, item) in items.iter().enumerate() {
            let Item::Event(ev) = item else { panic!() };
            assert_eq!(ev.data(), i.to_string());
            assert_eq!(
                ev.last_event_id(),
                if i <= 1500 { "first" } else { "second" }
            );
            assert_eq!(ev.event_type(), if i == 0 { "t" } else { "message" });
        }
    }
}
