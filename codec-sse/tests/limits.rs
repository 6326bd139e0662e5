//! `max_event_len` counts the bytes received, not the decoded text (regression for a fuzz finding:
//! `sse_reemit` assumed the decoded data stays under the limit, but every invalid byte decodes to
//! U+FFFD, three bytes long).

use codec_sse::{Error, Item, Limits, Parser};

fn parse(limit: usize, input: &[u8]) -> Result<Vec<Item>, Error> {
    let mut p = Parser::with_limits(Limits::default().max_event_len(limit));
    p.feed(input);
    p.finish();
    let mut out = Vec::new();
    while let Some(item) = p.next_event()? {
        out.push(item);
    }
    Ok(out)
}

#[test]
fn invalid_bytes_at_the_limit_decode_to_three_times_as_many_bytes() {
    let mut input = b"data: ".to_vec();
    input.extend(std::iter::repeat_n(0xFF, 100));
    input.extend_from_slice(b"\n\n");
    let items = parse(100, &input).expect("100 received bytes fit a 100-byte limit");
    let [Item::Event(ev)] = items.as_slice() else {
        panic!("{items:?}")
    };
    assert_eq!(ev.data(), "\u{FFFD}".repeat(100));
    assert_eq!(ev.data().len(), 300);
}

#[test]
fn one_received_byte_over_the_limit_is_an_error() {
    let mut input = b"data: ".to_vec();
    input.extend(std::iter::repeat_n(0xFF, 101));
    input.extend_from_slice(b"\n\n");
    assert!(
        matches!(parse(100, &input), Err(Error::EventTooLarge { .. })),
        "{:?}",
        parse(100, &input)
    );
}
