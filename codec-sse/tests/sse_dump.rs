//! The `sse_dump` example: stdin in, one JSON object per event and per valid
//! retry out, checked against the shared vectors.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// `cargo test` builds the examples next to the test binaries.
fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let path = exe.parent()?.parent()?.join("examples").join(name);
    path.exists().then_some(path)
}

fn dump(bin: &PathBuf, input: &[u8]) -> Vec<Value> {
    let mut child = Command::new(bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run sse_dump");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect()
}

#[test]
fn dumps_events_and_retries_in_order() {
    let Some(bin) = example("sse_dump") else {
        eprintln!("notice: sse_dump example not built; skipping");
        return;
    };
    let lines = dump(&bin, "retry: 10\nid: \u{2026}\nevent: e\ndata: a\"b\n\nretry: x\ndata: 2\n\nretry:20\ndata: never".as_bytes());
    let expect: Vec<Value> = serde_json::from_str(
        r#"[{"retry":10},{"type":"e","data":"a\"b","lastEventId":"…"},{"type":"message","data":"2","lastEventId":"…"},{"retry":20}]"#,
    )
    .unwrap();
    assert_eq!(lines, expect);
    // Key order as the issue writes it.
    let mut child = Command::new(&bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"data: x\n\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.stdout,
        b"{\"type\":\"message\",\"data\":\"x\",\"lastEventId\":\"\"}\n"
    );
}

#[test]
fn dumps_every_vector() {
    let Some(bin) = example("sse_dump") else {
        eprintln!("notice: sse_dump example not built; skipping");
        return;
    };
    let Some(dir) = common::vectors_dir("sse") else {
        return;
    };
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    for case in &cases {
        let lines = dump(&bin, case["stream"].as_str().unwrap().as_bytes());
        let events: Vec<Value> = lines
            .iter()
            .filter(|l| l.get("type").is_some())
            .map(|l| {
                Value::Array(vec![
                    l["type"].clone(),
                    l["data"].clone(),
                    l["lastEventId"].clone(),
                ])
            })
            .collect();
        assert_eq!(Value::Array(events), case["events"], "case {}", case["id"]);
    }
}
