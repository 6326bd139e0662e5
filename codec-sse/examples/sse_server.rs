//! A small SSE server for browsers and other clients.
//!
//! `cargo run --release -p codec-sse --features tokio --example sse_server -- --addr 127.0.0.1:9002`
//!
//! `GET /events` streams counter events (`id: n`, `event: counter`, data
//! `{"n":n,"since":<Last-Event-ID or null>}`), starting after the
//! `Last-Event-ID` the client sends, with a `retry` field first.
//! Options: `--interval-ms` between events (default 1000), `--retry` in ms
//! (default 1000), `--per-connection N` to close the stream after N events
//! so clients reconnect (default 0: never), `--keep-alive-ms` (default 15000).
//! `GET /` serves a page that shows the events with `EventSource`; `GET /blank`
//! an empty page.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::BytesMut;
use codec_sse::tokio::keep_alive;
use codec_sse::{encode_retry, Event, Item};
use futures_util::{stream, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Server settings.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Time between two events.
    pub interval: Duration,
    /// The `retry` value sent at the start of each stream, in ms.
    pub retry_ms: u64,
    /// Close each stream after this many events (0: never).
    pub per_connection: u64,
    /// Send a comment after this much silence.
    pub keep_alive: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            interval: Duration::from_millis(1000),
            retry_ms: 1000,
            per_connection: 0,
            keep_alive: Duration::from_secs(15),
        }
    }
}

const PAGE: &str = "<!doctype html><meta charset=utf-8><title>sse_server</title><pre id=log></pre>\
<script>const es=new EventSource('/events');es.addEventListener('counter',e=>{\
log.textContent+=e.lastEventId+' '+e.data+'\\n'});es.onerror=()=>{log.textContent+='(error)\\n'};</script>";

/// Accepts connections on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, opts: Options) -> std::io::Result<()> {
    loop {
        let (sock, _) = listener.accept().await?;
        tokio::spawn(async move {
            if let Err(e) = handle(sock, opts).await {
                eprintln!("sse_server: connection: {e}");
            }
        });
    }
}

async fn handle(mut sock: TcpStream, opts: Options) -> std::io::Result<()> {
    // Read the request head (bounded: 16 KiB).
    let mut head = Vec::with_capacity(1024);
    let (path, last_id) = loop {
        let mut buf = [0u8; 1024];
        let n = sock.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&head) {
            Ok(httparse::Status::Complete(_)) => {
                let path = req.path.unwrap_or("/").to_owned();
                let last = req
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("last-event-id"))
                    .map(|h| String::from_utf8_lossy(h.value).into_owned());
                break (path, last);
            }
            Ok(httparse::Status::Partial) if head.len() < 16 * 1024 => continue,
            _ => {
                sock.write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await?;
                return Ok(());
            }
        }
    };
    match path.split('?').next().unwrap_or("/") {
        "/" => {
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
                PAGE.len()
            );
            sock.write_all(resp.as_bytes()).await
        }
        // An empty same-origin page for scripted tests.
        "/blank" => {
            sock.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await
        }
        "/events" => events(sock, opts, last_id).await,
        _ => {
            sock.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await
        }
    }
}

async fn events(
    mut sock: TcpStream,
    opts: Options,
    last_id: Option<String>,
) -> std::io::Result<()> {
    sock.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
    )
    .await?;
    let mut first = BytesMut::new();
    encode_retry(opts.retry_ms, &mut first);
    sock.write_all(&first).await?;
    let start = last_id
        .as_deref()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(0)
        + 1;
    let since = serde_json::to_string(&last_id).unwrap_or_else(|_| "null".into());
    let limit = if opts.per_connection == 0 {
        u64::MAX
    } else {
        opts.per_connection
    };
    let counter = stream::iter(start..).take(limit as usize).then(move |n| {
        let since = since.clone();
        async move {
            tokio::time::sleep(opts.interval).await;
            Item::from(
                Event::new(format!("{{\"n\":{n},\"since\":{since}}}"))
                    .with_event_type("counter")
                    .with_id(n.to_string()),
            )
        }
    });
    let mut body = keep_alive(Box::pin(counter), opts.keep_alive);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(std::io::Error::from)?;
        sock.write_all(&chunk).await?;
    }
    sock.shutdown().await
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    let i = args.iter().position(|a| a == name)?;
    match args.get(i + 1).map(|v| v.parse()) {
        Some(Ok(v)) => Some(v),
        _ => {
            eprintln!("sse_server: {name} needs a valid value");
            std::process::exit(2);
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let addr: SocketAddr =
        arg(&args, "--addr").unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 9002)));
    let d = Options::default();
    let opts = Options {
        interval: arg(&args, "--interval-ms").map_or(d.interval, Duration::from_millis),
        retry_ms: arg(&args, "--retry").unwrap_or(d.retry_ms),
        per_connection: arg(&args, "--per-connection").unwrap_or(d.per_connection),
        keep_alive: arg(&args, "--keep-alive-ms").map_or(d.keep_alive, Duration::from_millis),
    };
    let listener = TcpListener::bind(addr).await?;
    eprintln!(
        "sse_server: listening on http://{}/events",
        listener.local_addr()?
    );
    serve(listener, opts).await
}
