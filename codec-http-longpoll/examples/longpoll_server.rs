//! Long-poll demo server on the Sans-IO codec (feature `tokio`).
//!
//! ```text
//! cargo run --release -p codec-http-longpoll --features tokio --example longpoll_server -- --addr 127.0.0.1:9003
//! ```
//! - `GET /poll`: the latest event at once, with an ETag (304 when If-None-Match matches).
//! - `GET /longpoll[?cursor=N]`: held until the next event or 25 s (then 204); `X-Cursor` says where to go on.
//! - `GET /stream`: a chunked body, one NDJSON line per event, as they happen.
//! - `POST /publish`: the body becomes an event for all of the above.
//! - `/engine.io/`: an Engine.IO v4 polling endpoint that echoes messages (text and binary).
//!
//! The protocol work is in the codec; this file only moves bytes and owns the clocks.
#![allow(dead_code)] // also compiled into tests/interop.rs as a module

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use codec_http_longpoll::engineio::{self, Packet, PacketType};
use codec_http_longpoll::tokio::{HttpCodec, LongPollServer};
use codec_http_longpoll::{
    if_none_match, Delimiter, ETag, Event, Headers, MessageEncoder, Outgoing, RequestHead,
    ResponseHead, Role,
};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, Notify};
use tokio_util::codec::FramedRead;

/// Server settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Config {
    /// How long `/longpoll` holds a request.
    pub(crate) hold: Duration,
    /// Engine.IO ping interval.
    pub(crate) ping_interval: Duration,
    /// Engine.IO ping timeout.
    pub(crate) ping_timeout: Duration,
    /// Largest request body.
    pub(crate) max_body: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            hold: Duration::from_secs(25),
            ping_interval: Duration::from_secs(25),
            ping_timeout: Duration::from_secs(20),
            max_body: 1 << 20,
        }
    }
}

struct EioSession {
    queue: VecDeque<Packet>,
    notify: Arc<Notify>,
    last_seen: Instant,
}

struct Shared {
    config: Config,
    start: Instant,
    latest: Mutex<(u64, Bytes)>,
    hub: LongPollServer,
    stream: broadcast::Sender<Bytes>,
    eio: Mutex<HashMap<String, EioSession>>,
    next_id: Mutex<u64>,
}

impl Shared {
    fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }
    fn next_id(&self) -> u64 {
        let mut n = self.next_id.lock().unwrap();
        *n += 1;
        *n
    }
}

/// Start the server on `listener`; returns when the listener fails.
pub(crate) async fn serve(listener: TcpListener, config: Config) {
    let (stream_tx, _) = broadcast::channel(256);
    let shared = Arc::new(Shared {
        config,
        start: Instant::now(),
        latest: Mutex::new((0, Bytes::from_static(b"{}"))),
        hub: LongPollServer::new(config.hold, 100, 1000),
        stream: stream_tx,
        eio: Mutex::new(HashMap::new()),
        next_id: Mutex::new(0),
    });
    while let Ok((sock, _)) = listener.accept().await {
        let shared = shared.clone();
        tokio::spawn(async move {
            let _ = connection(sock, shared).await;
        });
    }
}

type Res = Result<(), Box<dyn std::error::Error + Send + Sync>>;

async fn send(w: &mut tokio::net::tcp::OwnedWriteHalf, items: Vec<Outgoing>) -> Res {
    let mut enc = MessageEncoder::new();
    let mut out = BytesMut::new();
    for it in items {
        enc.encode(it, &mut out)?;
    }
    w.write_all(&out).await?;
    Ok(())
}

fn simple(
    status: u16,
    ctype: &str,
    body: Bytes,
    extra: &[(&'static str, String)],
) -> Vec<Outgoing> {
    let mut head = ResponseHead::new(status)
        .unwrap()
        .header("Content-Length", body.len().to_string())
        .unwrap()
        .header("Content-Type", ctype.to_owned())
        .unwrap();
    for (n, v) in extra {
        head = head.header(*n, v.clone()).unwrap();
    }
    vec![
        Outgoing::Response(head, "GET"),
        Outgoing::Data(body),
        Outgoing::End(Headers::new()),
    ]
}

fn query_param<'a>(head: &'a RequestHead, name: &str) -> Option<&'a str> {
    head.query()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

async fn connection(sock: TcpStream, shared: Arc<Shared>) -> Res {
    let (r, mut w) = sock.into_split();
    let mut reader = FramedRead::new(r, HttpCodec::new(Role::Server));
    loop {
        // Read one request: head, then body (bounded).
        let Some(ev) = reader.next().await else {
            return Ok(());
        };
        let (head, _) = match ev {
            Ok(Event::Request { head, body }) => (head, body),
            Ok(_) => continue,
            Err(e) => {
                let status = match &e {
                    codec_http_longpoll::tokio::TokioCodecError::Codec(c) => {
                        c.status_hint().unwrap_or(400)
                    }
                    _ => return Ok(()),
                };
                let mut items = simple(status, "text/plain", Bytes::from(e.to_string()), &[]);
                if let Outgoing::Response(h, _) = &mut items[0] {
                    h.headers.push("Connection", "close")?;
                }
                send(&mut w, items).await?;
                return Ok(());
            }
        };
        let mut body = BytesMut::new();
        loop {
            match reader.next().await {
                Some(Ok(Event::Data(d))) => {
                    if body.len() + d.len() > shared.config.max_body {
                        send(
                            &mut w,
                            simple(413, "text/plain", Bytes::from_static(b"too large"), &[]),
                        )
                        .await?;
                        return Ok(());
                    }
                    body.extend_from_slice(&d);
                }
                Some(Ok(Event::End(_))) => break,
                Some(Ok(_)) => {}
                _ => return Ok(()),
            }
        }
        let close = head.headers.has_token("Connection", "close");
        route(&head, body.freeze(), &shared, &mut w).await?;
        if close {
            return Ok(());
        }
    }
}

async fn route(
    head: &RequestHead,
    body: Bytes,
    shared: &Arc<Shared>,
    w: &mut tokio::net::tcp::OwnedWriteHalf,
) -> Res {
    match (head.method(), head.path()) {
        ("GET", "/poll") => {
            let (version, latest) = shared.latest.lock().unwrap().clone();
            let etag = format!("\"v{version}\"");
            let current = ETag::parse(etag.as_bytes()).expect("our own tag is valid");
            let fresh = head
                .headers
                .get("if-none-match")
                .is_some_and(|v| if_none_match(v, &current));
            if fresh {
                let h = ResponseHead::new(304)?
                    .header("ETag", etag)?
                    .header("Cache-Control", "no-cache")?;
                send(
                    w,
                    vec![Outgoing::Response(h, "GET"), Outgoing::End(Headers::new())],
                )
                .await
            } else {
                let extra = [("ETag", etag), ("Cache-Control", "no-cache".to_owned())];
                send(w, simple(200, "application/json", latest, &extra)).await
            }
        }
        ("GET", "/longpoll") => {
            let cursor = query_param(head, "cursor")
                .or_else(|| head.headers.get_str("x-cursor"))
                .and_then(|c| c.parse().ok());
            // The hub holds the request until a publish or the hold time.
            let answer = shared.hub.wait(cursor).await;
            let (h, b) = answer.to_response(Delimiter::Newline)?;
            let mut items = vec![Outgoing::Response(h, "GET")];
            if !b.is_empty() {
                items.push(Outgoing::Data(b));
            }
            items.push(Outgoing::End(Headers::new()));
            send(w, items).await
        }
        ("GET", "/stream") => {
            let mut sub = shared.stream.subscribe();
            let h = ResponseHead::new(200)?
                .header("Transfer-Encoding", "chunked")?
                .header("Content-Type", "application/x-ndjson")?
                .header("Cache-Control", "no-store")?;
            let mut enc = MessageEncoder::new();
            let mut out = BytesMut::new();
            enc.encode(Outgoing::Response(h, "GET"), &mut out)?;
            w.write_all(&out).await?;
            loop {
                let ev = match sub.recv().await {
                    Ok(ev) => ev,
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(_) => break,
                };
                out.clear();
                let mut line = BytesMut::new();
                codec_http_longpoll::encode_delimited(Delimiter::Newline, &ev, &mut line)?;
                enc.encode(Outgoing::Data(line.freeze()), &mut out)?;
                if w.write_all(&out).await.is_err() {
                    break;
                }
            }
            Err("stream ended".into())
        }
        ("POST", "/publish") => {
            if body.contains(&b'\n') {
                return send(
                    w,
                    simple(
                        400,
                        "text/plain",
                        Bytes::from_static(b"one line per event"),
                        &[],
                    ),
                )
                .await;
            }
            let version = {
                let mut l = shared.latest.lock().unwrap();
                l.0 += 1;
                l.1 = body.clone();
                l.0
            };
            shared.hub.publish(body.clone());
            let _ = shared.stream.send(body);
            send(
                w,
                simple(
                    200,
                    "application/json",
                    Bytes::from(format!("{{\"version\":{version}}}")),
                    &[],
                ),
            )
            .await
        }
        (_, p) if p == "/engine.io/" || p == "/engine.io" => engine_io(head, body, shared, w).await,
        _ => {
            send(
                w,
                simple(404, "text/plain", Bytes::from_static(b"not found"), &[]),
            )
            .await
        }
    }
}

fn eio_text(body: Bytes) -> Vec<Outgoing> {
    simple(200, "text/plain; charset=UTF-8", body, &[])
}

async fn engine_io(
    head: &RequestHead,
    body: Bytes,
    shared: &Arc<Shared>,
    w: &mut tokio::net::tcp::OwnedWriteHalf,
) -> Res {
    if query_param(head, "EIO") != Some("4") || query_param(head, "transport") != Some("polling") {
        return send(
            w,
            simple(
                400,
                "application/json",
                Bytes::from_static(b"{\"code\":0,\"message\":\"Transport unknown\"}"),
                &[],
            ),
        )
        .await;
    }
    let cfg = shared.config;
    let Some(sid) = query_param(head, "sid").map(str::to_owned) else {
        // Handshake: open packet with the session parameters.
        let sid = format!("s{}x{}", shared.next_id(), shared.now_ms());
        let notify = Arc::new(Notify::new());
        shared.eio.lock().unwrap().insert(
            sid.clone(),
            EioSession {
                queue: VecDeque::new(),
                notify: notify.clone(),
                last_seen: Instant::now(),
            },
        );
        // Server pings (Engine.IO v4: the server sends "2", the client answers "3").
        let (s2, sid2) = (shared.clone(), sid.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(cfg.ping_interval).await;
                let mut map = s2.eio.lock().unwrap();
                let Some(sess) = map.get_mut(&sid2) else {
                    return;
                };
                if sess.last_seen.elapsed() > cfg.ping_interval + cfg.ping_timeout {
                    map.remove(&sid2);
                    return;
                }
                sess.queue
                    .push_back(Packet::Text(PacketType::Ping, Bytes::new()));
                sess.notify.notify_one();
            }
        });
        let open = format!(
            "{{\"sid\":\"{sid}\",\"upgrades\":[],\"pingInterval\":{},\"pingTimeout\":{},\"maxPayload\":{}}}",
            cfg.ping_interval.as_millis(),
            cfg.ping_timeout.as_millis(),
            cfg.max_body
        );
        let mut out = BytesMut::new();
        engineio::encode_payload(
            &[Packet::Text(PacketType::Open, Bytes::from(open))],
            &mut out,
        )?;
        return send(w, eio_text(out.freeze())).await;
    };
    let notify = {
        let mut map = shared.eio.lock().unwrap();
        map.get_mut(&sid).map(|sess| {
            sess.last_seen = Instant::now();
            sess.notify.clone()
        })
    };
    let Some(notify) = notify else {
        return send(
            w,
            simple(
                400,
                "application/json",
                Bytes::from_static(b"{\"code\":1,\"message\":\"Session ID unknown\"}"),
                &[],
            ),
        )
        .await;
    };
    match head.method() {
        "POST" => {
            let packets = match engineio::decode_payload(&body, cfg.max_body) {
                Ok(p) => p,
                Err(e) => {
                    return send(
                        w,
                        simple(400, "text/plain", Bytes::from(e.to_string()), &[]),
                    )
                    .await
                }
            };
            let mut closed = false;
            {
                let mut map = shared.eio.lock().unwrap();
                if let Some(sess) = map.get_mut(&sid) {
                    for p in packets {
                        match p {
                            // Echo messages back, text and binary alike.
                            Packet::Text(PacketType::Message, _) | Packet::Binary(_) => {
                                sess.queue.push_back(p)
                            }
                            Packet::Text(PacketType::Close, _) => closed = true,
                            _ => {}
                        }
                    }
                    sess.notify.notify_one();
                }
                if closed {
                    map.remove(&sid);
                }
            }
            send(w, eio_text(Bytes::from_static(b"ok"))).await
        }
        "GET" => {
            // Long poll: wait until something is queued (pings guarantee an answer).
            loop {
                let notified = notify.notified();
                // None: session gone; Some(empty): keep waiting; Some(packets): answer.
                let ready: Option<Vec<Packet>> = {
                    let mut map = shared.eio.lock().unwrap();
                    map.get_mut(&sid).map(|sess| sess.queue.drain(..).collect())
                };
                let packets = match ready {
                    None => vec![Packet::Text(PacketType::Close, Bytes::new())],
                    Some(p) if !p.is_empty() => p,
                    Some(_) => {
                        if tokio::time::timeout(cfg.ping_interval + cfg.ping_timeout, notified)
                            .await
                            .is_ok()
                        {
                            continue;
                        }
                        vec![Packet::Text(PacketType::Noop, Bytes::new())]
                    }
                };
                let mut out = BytesMut::new();
                engineio::encode_payload(&packets, &mut out)?;
                return send(w, eio_text(out.freeze())).await;
            }
        }
        _ => {
            send(
                w,
                simple(
                    405,
                    "text/plain",
                    Bytes::from_static(b"method not allowed"),
                    &[],
                ),
            )
            .await
        }
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main]
async fn main() {
    let addr = arg("--addr").unwrap_or_else(|| "127.0.0.1:9003".to_owned());
    let mut config = Config::default();
    if let Some(ms) = arg("--ping-interval-ms").and_then(|v| v.parse().ok()) {
        config.ping_interval = Duration::from_millis(ms);
    }
    if let Some(ms) = arg("--hold-ms").and_then(|v| v.parse().ok()) {
        config.hold = Duration::from_millis(ms);
    }
    let listener = TcpListener::bind(&addr).await.expect("bind");
    eprintln!(
        "longpoll_server listening on http://{}",
        listener.local_addr().unwrap()
    );
    serve(listener, config).await;
}
