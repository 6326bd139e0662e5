//! Echo client: connects, offers permessage-deflate, echoes every message back until the
//! server closes, then exits 0. With `--autobahn` it drives an Autobahn fuzzingserver:
//! `/getCaseCount`, `/runCase?case=i&agent=A` for each case, then `/updateReports?agent=A`.
//!
//! `cargo run --release -p codec-ws --features tokio --example echo_client -- ws://127.0.0.1:9001/some/path`
//! `cargo run --release -p codec-ws --features tokio --example echo_client -- --autobahn ws://127.0.0.1:9001 --agent codec-ws`

use codec_ws::handshake::ClientRequest;
use codec_ws::tokio::{connect, TokioError, WebSocketStream};
use codec_ws::{Config, DeflateConfig, Limits};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;

#[tokio::main]
async fn main() {
    let mut url = None;
    let mut autobahn = false;
    let mut agent = String::from("codec-ws");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--autobahn" => autobahn = true,
            "--agent" => agent = args.next().expect("--agent needs a value"),
            _ if a.starts_with("ws://") => url = Some(a),
            other => {
                eprintln!("unknown argument {other}; usage: echo_client [--autobahn] [--agent NAME] ws://HOST:PORT[/PATH]");
                std::process::exit(2);
            }
        }
    }
    let Some(url) = url else {
        eprintln!("usage: echo_client [--autobahn] [--agent NAME] ws://HOST:PORT[/PATH]");
        std::process::exit(2);
    };
    let Some((hostport, path)) = parse_url(&url) else {
        eprintln!("bad url {url}");
        std::process::exit(2);
    };
    let result = if autobahn {
        run_autobahn(&hostport, &agent).await
    } else {
        echo(&hostport, &path).await.map(|_| ())
    };
    if let Err(e) = result {
        eprintln!("echo_client: {e}");
        std::process::exit(1);
    }
}

fn parse_url(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("ws://")?;
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Some((hostport.to_string(), path.to_string()))
}

/// Random bytes for the key nonce and mask seed (examples may use the OS directly).
fn random<const N: usize>() -> [u8; N] {
    use std::io::Read;
    let mut b = [0u8; N];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .is_err()
    {
        use std::hash::{BuildHasher, Hasher};
        for chunk in b.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_nanos() as u64,
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    b
}

async fn open(hostport: &str, path: &str) -> Result<WebSocketStream<TcpStream>, TokioError> {
    let sock = TcpStream::connect(hostport).await?;
    sock.set_nodelay(true)?;
    let request = ClientRequest::new(hostport, path, random()).deflate(DeflateConfig::default());
    let config = Config::default().mask_seed(u64::from_le_bytes(random()));
    let (ws, _) = connect(sock, &request, config, &Limits::default()).await?;
    Ok(ws)
}

/// Echoes until the server closes; returns the first text message seen.
async fn echo(hostport: &str, path: &str) -> Result<Option<String>, TokioError> {
    let mut ws = open(hostport, path).await?;
    let mut first_text = None;
    while let Some(event) = ws.next().await {
        let m = event?;
        if m.is_data() {
            if first_text.is_none() {
                first_text = m.as_text().map(String::from);
            }
            // The server may close while we echo; that is its right.
            if ws.send(m).await.is_err() {
                break;
            }
        }
    }
    Ok(first_text)
}

async fn run_autobahn(hostport: &str, agent: &str) -> Result<(), TokioError> {
    let count: u32 = echo(hostport, "/getCaseCount")
        .await?
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(0);
    println!("running {count} cases as {agent}");
    for case in 1..=count {
        // Protocol errors in a case are what the case tests; keep going.
        if let Err(e) = echo(hostport, &format!("/runCase?case={case}&agent={agent}")).await {
            eprintln!("case {case}: {e}");
        }
    }
    let mut ws = open(hostport, &format!("/updateReports?agent={agent}")).await?;
    while let Some(event) = ws.next().await {
        event?;
    }
    Ok(())
}
