//! End to end: start the demo, open its page in headless Chromium (Debian's `chromium`, driven by
//! `playwright-core` from interop/), and check that all five panels receive server events, that a
//! chat message sent over the WebSocket reaches every panel, and that the two WebRTC peers open
//! their DataChannel. Saves a screenshot to `target/demo-e2e.png`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{require, workspace, Demo};

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
    let demo = Demo::start(400);
    let addr = demo.addr;
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
