//! Every case of ../shared/vectors/sse/cases.json (WPT `eventsource/format-*`
//! and eventsource-parser fixtures), fed whole, byte by byte, in the given
//! chunks and at random splits.

mod common;

use codec_sse::{Decoder, Item, Parser};
use common::{decode_every_way, events, run_chunks, vectors_dir};
use serde_json::Value;

fn load() -> Option<Vec<Value>> {
    let dir = vectors_dir("sse")?;
    let text = std::fs::read_to_string(dir.join("cases.json")).expect("read cases.json");
    Some(serde_json::from_str::<Vec<Value>>(&text).expect("cases.json is a JSON array"))
}

fn expected(case: &Value) -> Vec<(String, String, String)> {
    case["events"]
        .as_array()
        .expect("events array")
        .iter()
        .map(|e| {
            let s = |i: usize| e[i].as_str().expect("string").to_owned();
            (s(0), s(1), s(2))
        })
        .collect()
}

/// Reconnection times stated in the cases' notes, as the last valid `retry`.
fn expected_retry(id: &str) -> Option<u64> {
    Some(match id {
        "wpt-format-data-before-final-empty-line" => 1000,
        "wpt-format-field-id" | "wpt-format-field-id-null" => 200,
        "wpt-format-field-retry" | "wpt-format-field-retry-bogus" => 2000,
        "wpt-frs-retry-space" => 5000,
        "esp-retry-invalid" => 1000,
        _ => return None,
    })
}

#[test]
fn all_cases_every_split() {
    let Some(cases) = load() else { return };
    assert!(
        cases.len() >= 32,
        "expected at least 32 cases, found {}",
        cases.len()
    );
    for case in &cases {
        let id = case["id"].as_str().expect("id");
        let stream = case["stream"].as_str().expect("stream").as_bytes();
        let items =
            decode_every_way(Decoder::new, stream, 24).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(events(&items), expected(case), "case {id}");
        if let Some(chunks) = case.get("chunks").and_then(Value::as_array) {
            let owned: Vec<&[u8]> = chunks
                .iter()
                .map(|c| c.as_str().expect("chunk").as_bytes())
                .collect();
            assert_eq!(owned.concat(), stream, "{id}: chunks join to the stream");
            assert_eq!(
                run_chunks(Decoder::new(), &owned).expect("decode"),
                items,
                "case {id} in its chunks"
            );
        }
        let last_retry = items.iter().rev().find_map(|i| match i {
            Item::Retry(n) => Some(*n),
            _ => None,
        });
        assert_eq!(last_retry, expected_retry(id), "retry of case {id}");
    }
}

/// The `reconnect`/`eof` notes: what a second connection sees.
#[test]
fn reconnect_notes() {
    let Some(cases) = load() else { return };
    let stream = |id: &str| {
        cases
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("case {id}"))["stream"]
            .as_str()
            .expect("stream")
            .as_bytes()
            .to_vec()
    };
    let connect_twice = |bytes: &[u8], second: &[u8]| {
        let mut p = Parser::new();
        let mut all = Vec::new();
        for body in [bytes, second] {
            p.feed(body);
            p.finish();
            while let Some(i) = p.next_event().expect("decode") {
                all.push(i);
            }
        }
        (events(&all), p.last_event_id().to_string())
    };

    // id 'test' set after the last blank line is never committed.
    let s = stream("wpt-format-data-before-final-empty-line");
    let (evs, last) = connect_twice(&s, &s);
    assert_eq!(last, "");
    let test1 = ("message".to_owned(), "test1".to_owned(), String::new());
    assert_eq!(evs, vec![test1.clone(), test1]);

    // U+2026 id persists into the next connection.
    let (evs, last) = connect_twice(
        &stream("wpt-format-field-id"),
        "data: \u{2026}\n\n".as_bytes(),
    );
    assert_eq!(last, "\u{2026}");
    assert_eq!(
        evs[1],
        ("message".into(), "\u{2026}".into(), "\u{2026}".into())
    );

    // An id with NULL is ignored: nothing to send on reconnect.
    let (_, last) = connect_twice(&stream("wpt-format-field-id-null"), b"");
    assert_eq!(last, "");

    // An id-only block commits the id and says so.
    let items = run_chunks(Decoder::new(), &[&stream("esp-id-only-block")]).expect("decode");
    assert_eq!(items[0], Item::Id("42".into()));
}
