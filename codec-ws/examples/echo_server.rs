//! Echo server: accepts WebSocket connections on any path, echoes every text/binary
//! message back as it came, answers pings, completes the close handshake and accepts
//! permessage-deflate when offered. Used by the Autobahn fuzzingclient run.
//!
//! `cargo run --release -p codec-ws --features tokio --example echo_server -- --addr 127.0.0.1:9001`

use codec_ws::tokio::{accept, AcceptConfig};
use codec_ws::{Config, DeflateConfig, Message};
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut addr = String::from("127.0.0.1:9001");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--addr" => addr = args.next().expect("--addr needs a value"),
            other => {
                eprintln!("unknown argument {other}; usage: echo_server [--addr HOST:PORT]");
                std::process::exit(2);
            }
        }
    }
    let listener = TcpListener::bind(&addr).await?;
    println!("echo_server listening on {}", listener.local_addr()?);
    loop {
        let (sock, _) = listener.accept().await?;
        tokio::spawn(handle(sock));
    }
}

async fn handle(sock: TcpStream) {
    let _ = sock.set_nodelay(true);
    let options = AcceptConfig {
        config: Config::default(),
        deflate: Some(DeflateConfig::default()),
        protocols: Vec::new(),
    };
    let Ok((mut ws, _request)) = accept(sock, &options).await else {
        return;
    };
    while let Some(event) = ws.next().await {
        match event {
            Ok(m @ (Message::Text(_) | Message::Binary(_))) => {
                if ws.send(m).await.is_err() {
                    break;
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
}
