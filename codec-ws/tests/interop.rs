//! Interop on 127.0.0.1 with Python's `websockets` (client and server, deflate on/off:
//! interpreter from `$PYTHON_WEBSOCKETS`, else ~/.cache/realtime-codecs/py-websockets, else
//! `python3`), with Node's `ws` (interop/node_modules), as a client against our
//! server and as a server for our client, with permessage-deflate on and off; and with
//! headless Chromium's WebSocket (via playwright-core) against our server.
//! Needs `node`, `npm ci` in interop/ and `/usr/bin/chromium` (or `$CHROMIUM`); skips with
//! a notice when missing (fails under CI).
#![cfg(feature = "tokio")]

mod common;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use codec_ws::handshake::ClientRequest;
use codec_ws::tokio::{accept, connect, AcceptConfig};
use codec_ws::{Config, DeflateConfig, Limits};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::Command;

fn interop_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../interop"));
    if !common::tool_available("node", "--version") {
        return None;
    }
    if !dir.join("node_modules/ws").is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "interop/node_modules/ws missing under CI"
        );
        eprintln!("notice: interop/node_modules/ws missing (run npm ci in interop/); skipping");
        return None;
    }
    Some(dir)
}

fn python() -> Option<(String, PathBuf)> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../interop"));
    let home = std::env::var("HOME").unwrap_or_default();
    let candidates = [
        std::env::var("PYTHON_WEBSOCKETS").ok(),
        Some(format!(
            "{home}/.cache/realtime-codecs/py-websockets/bin/python"
        )),
        Some("python3".to_string()),
    ];
    for py in candidates.into_iter().flatten() {
        let ok = std::process::Command::new(&py)
            .args(["-c", "import websockets"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some((py, dir));
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "Python with `websockets` is required under CI"
    );
    eprintln!("notice: no Python with the `websockets` package; skipping");
    None
}

/// Reads "PORT n" from a child's first stdout line.
async fn child_port(child: &mut tokio::process::Child) -> u16 {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    first.strip_prefix("PORT ").unwrap().trim().parse().unwrap()
}

/// Connects our client, echoes until the server closes; returns the data messages seen.
async fn echo_client(port: u16, deflate: bool) -> usize {
    let sock = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let req = ClientRequest::new(&format!("127.0.0.1:{port}"), "/", [3; 16])
        .deflate(DeflateConfig::default());
    let (mut ws, result) = connect(
        sock,
        &req,
        Config::default().mask_seed(0x1234_5678),
        &Limits::default(),
    )
    .await
    .unwrap();
    assert_eq!(result.deflate.is_some(), deflate);
    let run = async {
        let mut n = 0;
        while let Some(m) = ws.next().await {
            let m = m.unwrap();
            if m.is_data() {
                n += 1;
                ws.send(m).await.unwrap();
            }
        }
        n
    };
    tokio::time::timeout(Duration::from_secs(240), run)
        .await
        .expect("client timed out")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_client_against_our_server() {
    let Some((py, dir)) = python() else { return };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(echo_server(listener));
    for mode in ["deflate", "plain"] {
        let mut child = Command::new(&py)
            .current_dir(&dir)
            .arg("ws/py_client.py")
            .arg(format!("ws://127.0.0.1:{port}/py"))
            .arg(mode)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let status = tokio::time::timeout(Duration::from_secs(240), child.wait())
            .await
            .expect("python timed out")
            .unwrap();
        assert!(status.success(), "python client ({mode}) failed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_against_python_server() {
    let Some((py, dir)) = python() else { return };
    for mode in ["deflate", "plain"] {
        let mut child = Command::new(&py)
            .current_dir(&dir)
            .arg("ws/py_server.py")
            .arg(mode)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let port = child_port(&mut child).await;
        assert_eq!(echo_client(port, mode == "deflate").await, 5);
        let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .unwrap()
            .unwrap();
        assert!(
            status.success(),
            "python server ({mode}) reported a failure"
        );
    }
}

async fn echo_server(listener: TcpListener) {
    loop {
        let Ok((sock, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let opts = AcceptConfig {
                deflate: Some(DeflateConfig::default()),
                ..AcceptConfig::default()
            };
            let Ok((mut ws, _)) = accept(sock, &opts).await else {
                return;
            };
            while let Some(Ok(m)) = ws.next().await {
                if m.is_data() && ws.send(m).await.is_err() {
                    break;
                }
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_ws_client_against_our_server() {
    let Some(dir) = interop_dir() else { return };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(echo_server(listener));
    for mode in ["deflate", "plain"] {
        let mut child = Command::new("node")
            .current_dir(&dir)
            .arg("ws/client.mjs")
            .arg(format!("ws://127.0.0.1:{port}/interop"))
            .arg(mode)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let status = tokio::time::timeout(Duration::from_secs(240), child.wait())
            .await
            .expect("node timed out")
            .unwrap();
        assert!(status.success(), "node ws client ({mode}) failed");
    }
}

/// Headless Chromium's WebSocket (deflate offered by the browser) against our server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_websocket_against_our_server() {
    let Some(dir) = interop_dir() else { return };
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !common::tool_available(&chromium, "--version") {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(echo_server(listener));
    let out = Command::new("node")
        .current_dir(&dir)
        .arg("ws/chromium.mjs")
        .arg(format!("ws://127.0.0.1:{port}/browser"))
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), out)
        .await
        .expect("chromium timed out")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "chromium run failed: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\"closeCode\":4000"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_against_node_ws_server() {
    let Some(dir) = interop_dir() else { return };
    for mode in ["deflate", "plain"] {
        let mut child = Command::new("node")
            .current_dir(&dir)
            .arg("ws/server.mjs")
            .arg(mode)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let port = child_port(&mut child).await;
        assert_eq!(echo_client(port, mode == "deflate").await, 5);
        let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .unwrap()
            .unwrap();
        assert!(
            status.success(),
            "node ws server ({mode}) reported a failure"
        );
    }
}
