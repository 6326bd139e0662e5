//! Interop with a real client: Node's `eventsource` package (npm, 4.x) against
//! the `sse_server` example on 127.0.0.1, including a reconnect that carries
//! `Last-Event-ID`. Needs `node` and `interop/node_modules` (`npm ci` in
//! `interop/`); skipped with a notice when missing, failing when `CI` is set.
#![cfg(feature = "tokio")]

#[allow(dead_code, unreachable_pub)]
#[path = "../examples/sse_server.rs"]
mod sse_server;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

fn tool_missing(what: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is required in CI");
    }
    eprintln!("notice: {what} not available; skipping node interop test");
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_eventsource_reconnects_with_last_event_id() {
    let interop = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../interop"));
    let script = interop.join("sse/eventsource_client.mjs");
    if !interop.join("node_modules/eventsource").is_dir()
        && tool_missing("interop/node_modules/eventsource")
    {
        return;
    }
    let node_ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok && tool_missing("node") {
        return;
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let opts = sse_server::Options {
        interval: Duration::from_millis(20),
        retry_ms: 100,
        per_connection: 3,
        keep_alive: Duration::from_secs(5),
    };
    let server = tokio::spawn(sse_server::serve(listener, opts));

    let child = tokio::process::Command::new("node")
        .arg(&script)
        .arg(format!("http://{addr}/events"))
        .arg("7")
        .arg("15000")
        .current_dir(interop)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn node");
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("node client finished in time")
        .expect("node output");
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );

    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 7);
    for (i, ev) in lines.iter().enumerate() {
        let n = i as u64 + 1;
        assert_eq!(ev["type"], "counter");
        assert_eq!(ev["lastEventId"], n.to_string(), "event {n}");
        let data: serde_json::Value = serde_json::from_str(ev["data"].as_str().unwrap()).unwrap();
        assert_eq!(data["n"], n);
        // Three events per connection: events 4 and 7 come on reconnects
        // that sent the last id seen.
        let since = match n {
            1..=3 => serde_json::Value::Null,
            4..=6 => "3".into(),
            _ => "6".into(),
        };
        assert_eq!(
            data["since"], since,
            "Last-Event-ID seen by the server for event {n}"
        );
    }
}
