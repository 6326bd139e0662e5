//! Starting the demo binary on a free 127.0.0.1 port for a test, and stopping it on drop.
#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The running demo; killed when dropped.
pub(crate) struct Demo {
    child: Child,
    /// Where it listens.
    pub(crate) addr: SocketAddr,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Demo {
    /// Starts the demo with a ticker every `tick_ms` and waits until it accepts connections.
    pub(crate) fn start(tick_ms: u64) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_demo"))
            .args([
                "--addr",
                &addr.to_string(),
                "--tick-ms",
                &tick_ms.to_string(),
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("start the demo");
        let demo = Self { child, addr };
        let start = Instant::now();
        while TcpStream::connect(addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the demo did not start listening"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        demo
    }

    /// `http://127.0.0.1:port` + `path`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// Missing tools skip the test on a user's machine; under CI they fail it.
pub(crate) fn require(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is required under CI (scripts/setup.sh installs it)"
        );
        eprintln!("notice: {what} not found: skipping this test");
    }
    ok
}

/// The workspace root.
pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}
