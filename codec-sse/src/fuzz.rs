//! Fuzz target bodies (feature `__fuzz`, private: no stability promise).
//! The cargo-fuzz binaries are one-line calls into these, so the bodies build
//! and run in ordinary `cargo test` too.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use bytes::BytesMut;

use crate::{encode_event, Decoder, Error, Item, Limits, Parser};

fn limits() -> Limits {
    Limits::default().max_line_len(256).max_event_len(1024)
}

fn run(chunks: &[&[u8]], comments: bool) -> Result<Vec<Item>, Error> {
    run_with(limits(), chunks, comments)
}

/// Parses `chunks` with owned items, and checks that borrowed items and
/// `feed_with` give the same items and the same error, and the same last
/// event ID after every chunk (what a reconnect sends).
fn run_with(limits: Limits, chunks: &[&[u8]], comments: bool) -> Result<Vec<Item>, Error> {
    let dec = Decoder::with_limits(limits).with_comments(comments);
    let mut ids = [Vec::new(), Vec::new(), Vec::new()];
    let owned = run_owned(dec.clone(), chunks, &mut ids[0]);
    assert_eq!(
        run_borrowed(dec.clone(), chunks, false, &mut ids[1]),
        owned,
        "next_ref"
    );
    assert_eq!(
        run_borrowed(dec, chunks, true, &mut ids[2]),
        owned,
        "feed_with"
    );
    assert_eq!(ids[1], ids[0], "last_event_id with next_ref");
    assert_eq!(ids[2], ids[0], "last_event_id with feed_with");
    owned
}

fn run_owned(dec: Decoder, chunks: &[&[u8]], ids: &mut Vec<String>) -> Result<Vec<Item>, Error> {
    let mut p = Parser::from_decoder(dec);
    let mut out = Vec::new();
    for c in chunks {
        p.feed(c);
        while let Some(i) = p.next_event()? {
            out.push(i);
        }
        ids.push(p.last_event_id().to_string());
    }
    p.finish();
    while let Some(i) = p.next_event()? {
        out.push(i);
    }
    Ok(out)
}

fn run_borrowed(
    dec: Decoder,
    chunks: &[&[u8]],
    with: bool,
    ids: &mut Vec<String>,
) -> Result<Vec<Item>, Error> {
    let mut p = Parser::from_decoder(dec);
    let mut out = Vec::new();
    for c in chunks {
        if with {
            p.feed_with(c, |i| out.push(i.to_item()))?;
        } else {
            p.feed(c);
            while let Some(i) = p.next_ref()? {
                out.push(i.to_item());
            }
        }
        ids.push(p.last_event_id().to_string());
    }
    p.finish();
    while let Some(i) = p.next_ref()? {
        out.push(i.to_item());
    }
    Ok(out)
}

/// `sse_decode`: arbitrary bytes never panic, event data respects the
/// limit, and re-emitting the events parses back to the same events.
pub fn sse_decode(data: &[u8]) {
    let Ok(items) = run(&[data], true) else {
        return;
    };
    let mut out = BytesMut::new();
    let mut events = Vec::new();
    for item in &items {
        if let Item::Event(ev) = item {
            // The limit counts received bytes; U+FFFD replacement can triple them.
            assert!(ev.data().len() <= 3 * limits().event_len());
            // A NULL is legal in a received event type but refused when
            // sending (the rule), so such events are not re-emitted.
            if ev.event_type().contains('\0') {
                continue;
            }
            encode_event(ev, &mut out).expect("decoded ids have no NULL, no value has CR or LF");
            events.push(item.clone());
        }
    }
    // The emitter may add a space after each colon: parse back with room.
    let again = run_with(Limits::default(), &[&out], false).expect("re-emitted events parse");
    assert_eq!(again, events);
}

/// `sse_split`: the first byte picks a chunk size; any chunking gives the
/// same items (or the same error) as the whole input.
pub fn sse_split(data: &[u8]) {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let size = usize::from(k % 17) + 1;
    let chunks: Vec<&[u8]> = rest.chunks(size).collect();
    assert_eq!(run(&chunks, k & 0x80 != 0), run(&[rest], k & 0x80 != 0));
}

#[cfg(test)]
mod tests {
    #[test]
    fn seeds() {
        let seeds: [&[u8]; 8] = [
            b"",
            b"\x05data: a\r\n\r\nid: 1\revent: x\rdata\n\n",
            b"\x83\xEF\xBB\xBFretry: 5\n: c\ndata: \xE2\x80\n\n",
            b"\x00id: \x00\n\ndata:\n\n",
            b"\x10event: a\nevent:\ndata:  x\ndata:\n\n",
            b"\x01data: 0123456789012345678901234567890123456789\n\n",
            // An `id` line cut across chunks, then the event it belongs to.
            b"\x05retry: 120\nid: 4\ndata: a\n\nretry: x\ndata: b\n\n",
            &[b"data:".as_slice(), &[b'x'; 251], b"\n\n"].concat(),
        ];
        for s in seeds {
            super::sse_decode(s);
            super::sse_split(s);
        }
    }
}
