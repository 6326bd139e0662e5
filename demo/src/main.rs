//! The demo server: Polling, Long Polling, Server-Sent Events, WebSocket and WebRTC signalling,
//! side by side on one page, over raw tokio `TcpStream`s. Every byte of HTTP/1.1, SSE, WebSocket
//! and SDP goes through this workspace's Sans-IO codecs (no hyper, axum or tungstenite): the demo
//! exists to show that they are complete enough to build on.

mod assets;
mod conn;
mod hub;
mod stats;
mod ws;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

const HELP: &str = "\
demo — five real-time techniques side by side, on realtime-codecs alone

USAGE:
    cargo run --release -p demo -- [OPTIONS]

OPTIONS:
    --addr ADDR      listen address (default 127.0.0.1:8080)
    --pkg DIR        the built npm package (default: bindings-wasm/npm in this workspace)
    --tick-ms N      ticker period in milliseconds (default 1000)
    -h, --help       print this help

Open http://ADDR/ in a browser. Ctrl-C stops the server gracefully.";

/// Settings from the command line.
pub(crate) struct Config {
    addr: SocketAddr,
    pub(crate) pkg_dir: PathBuf,
    tick: Duration,
}

fn parse_args() -> Result<Config, String> {
    let mut cfg = Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        pkg_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bindings-wasm/npm"),
        tick: Duration::from_millis(1000),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => {
                println!("{HELP}");
                std::process::exit(0);
            }
            "--addr" => {
                cfg.addr = value("--addr")?
                    .parse()
                    .map_err(|e| format!("--addr: {e}"))?
            }
            "--pkg" => cfg.pkg_dir = PathBuf::from(value("--pkg")?),
            "--tick-ms" => {
                let ms: u64 = value("--tick-ms")?
                    .parse()
                    .map_err(|e| format!("--tick-ms: {e}"))?;
                cfg.tick = Duration::from_millis(ms.max(10));
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(cfg)
}

/// What every connection task shares.
pub(crate) struct App {
    pub(crate) hub: hub::Hub,
    pub(crate) stats: stats::Stats,
    pub(crate) config: Config,
    pub(crate) rooms: ws::Rooms,
    /// Flips to true on Ctrl-C: held requests and streams end, connections close.
    pub(crate) shutdown: watch::Receiver<bool>,
}

fn main() {
    let cfg = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("demo: {e}");
            std::process::exit(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("demo: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = rt.block_on(run(cfg)) {
        eprintln!("demo: {e}");
        std::process::exit(1);
    }
}

async fn run(config: Config) -> std::io::Result<()> {
    let listener = TcpListener::bind(config.addr).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let tick = config.tick;
    let app = Arc::new(App {
        hub: hub::Hub::new(),
        stats: stats::Stats::default(),
        config,
        rooms: ws::Rooms::default(),
        shutdown: stop_rx,
    });
    println!("demo: listening on http://{}/", listener.local_addr()?);
    if !app.config.pkg_dir.join("web").is_dir() {
        println!(
            "demo: no WASM package at {} (run scripts/wasm-build.sh); the page works without it",
            app.config.pkg_dir.display()
        );
    }

    let ticker = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut n = 0u64;
            let mut every = tokio::time::interval(tick);
            loop {
                every.tick().await;
                n += 1;
                app.hub.publish("tick", format!("tick {n}"));
            }
        })
    };

    let mut shutdown = app.shutdown.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => { eprintln!("demo: accept: {e}"); continue; }
                };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                tokio::spawn(async move {
                    if let Err(e) = conn::serve(app, stream).await {
                        if e.kind() != std::io::ErrorKind::UnexpectedEof {
                            eprintln!("demo: {peer}: {e}");
                        }
                    }
                });
            }
            _ = tokio::signal::ctrl_c() => {
                println!("demo: Ctrl-C: shutting down");
                break;
            }
            _ = shutdown.changed() => break,
        }
    }
    ticker.abort();
    let _ = stop_tx.send(true);
    // Give open connections a moment to send their goodbyes (WebSocket close, last chunk).
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!("demo: stopped");
    Ok(())
}
