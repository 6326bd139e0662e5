//! End to end: start the demo, open its page in headless Chromium (Debian's `chromium`, driven by
//! `playwright-core` from interop/), and check that all five panels receive server events, that a
//! chat message sent over the WebSocket reaches every panel, and that the two WebRTC peers open
//! their DataChannel. Saves a screenshot to `target/demo-e2e.png`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct KillOnDrop(Child);
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Missing tools skip the test on a user's machine; under CI they fail it.
fn require(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is required under CI (scripts/setup.sh installs it)"
        );
        eprintln!("notice: {what} not found: skipping the demo end-to-end test");
    }
    ok
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn five_panels_in_chromium() {
    let root = workspace();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !require("chromium", Path::new(&chromium).exists())
        || !require(
            "node",
            Command::new("node").arg("--version").output().is_ok(),
        )
        || !require(
            "interop/node_modules (npm ci)",
            root.join("interop/node_modules/playwright-core").exists(),
        )
    {
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let _demo = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_demo"))
            .args(["--addr", &addr.to_string(), "--tick-ms", "400"])
            .stdout(Stdio::null())
            .spawn()
            .expect("start the demo"),
    );
    let start = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the demo did not start listening"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Under CI the npm package is built before the tests (scripts/test.sh), so the page must use it.
    let pkg_built = root.join("bindings-wasm/npm/web").is_dir();
    assert!(
        pkg_built || std::env::var_os("CI").is_none(),
        "under CI the WASM package must be built before this test (scripts/wasm-build.sh)"
    );
    let shot = root.join("target/demo-e2e.png");
    let out = Command::new("node")
        .arg(root.join("interop/demo/e2e.mjs"))
        .arg(format!("http://{addr}/"))
        .arg(&shot)
        .env("CHROMIUM", &chromium)
        .env("REQUIRE_WASM", if pkg_built { "1" } else { "" })
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the page checks failed: {stdout}");
    assert!(stdout.contains(r#""failures":[]"#), "{stdout}");
    assert!(shot.exists(), "no screenshot at {}", shot.display());
}
