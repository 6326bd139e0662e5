//! One HTTP/1.1 connection: requests decoded by codec-http-longpoll, routed to the five
//! techniques, responses written with its encoders. This file only moves bytes between the socket
//! and the codecs; every protocol rule lives in the codec crates.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use codec_http_longpoll::{
    ChunkedEncoder, Event as HttpEvent, Headers, MessageDecoder, RequestHead, ResponseHead, Role,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::hub::{json_string, Event};
use crate::stats::Tech;
use crate::App;

/// The largest request body the demo takes (chat messages, SDP signalling goes over WebSocket).
const MAX_BODY: usize = 64 * 1024;
/// How long a long-poll request is held before it is answered with 204.
/// How often an idle SSE stream sends a keep-alive comment.
const SSE_KEEPALIVE: Duration = Duration::from_secs(15);
/// How many events a poll response carries at most.
const POLL_BATCH: usize = 20;

/// A decoded request with its (small) body.
pub(crate) struct Request {
    pub(crate) head: RequestHead,
    pub(crate) body: Vec<u8>,
    /// Bytes the request took on the wire (head and body).
    pub(crate) wire_len: usize,
}

/// The socket plus the bytes read from it and not yet decoded.
pub(crate) struct Conn {
    pub(crate) stream: TcpStream,
    pub(crate) buf: BytesMut,
    decoder: MessageDecoder,
}

impl Conn {
    /// Reads the next request, or `None` when the client closed the connection between requests.
    async fn next_request(&mut self) -> io::Result<Option<Request>> {
        let start = self.decoder.consumed();
        let mut head = None;
        let mut body = Vec::new();
        loop {
            match self.decoder.decode(&mut self.buf) {
                Ok(Some(HttpEvent::Request { head: h, .. })) => head = Some(h),
                Ok(Some(HttpEvent::Data(d))) => {
                    if body.len() + d.len() > MAX_BODY {
                        self.reply_error(413, "request body too large").await?;
                        return Err(io::Error::other("request body too large"));
                    }
                    body.extend_from_slice(&d);
                }
                Ok(Some(HttpEvent::End(_))) | Ok(Some(HttpEvent::Upgrade)) => {
                    let Some(head) = head.take() else { continue };
                    let wire_len = (self.decoder.consumed() - start) as usize;
                    return Ok(Some(Request {
                        head,
                        body,
                        wire_len,
                    }));
                }
                Ok(Some(_)) => {}
                Ok(None) => {
                    let n = self.stream.read_buf(&mut self.buf).await?;
                    if n == 0 {
                        if head.is_none() && self.buf.is_empty() && self.decoder.is_idle() {
                            return Ok(None);
                        }
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                }
                Err(e) => {
                    let status = e.status_hint().unwrap_or(400);
                    self.reply_error(status, &e.to_string()).await?;
                    return Err(io::Error::new(io::ErrorKind::InvalidData, e));
                }
            }
        }
    }

    async fn write(&mut self, tech: Option<(&App, Tech)>, bytes: &[u8]) -> io::Result<()> {
        if let Some((app, t)) = tech {
            app.stats.wrote(t, bytes.len());
        }
        self.stream.write_all(bytes).await
    }

    async fn reply_error(&mut self, status: u16, message: &str) -> io::Result<()> {
        let mut out = BytesMut::new();
        response(
            status,
            "text/plain; charset=utf-8",
            message.as_bytes(),
            &[],
            &mut out,
        );
        self.write(None, &out).await
    }
}

/// Writes a whole response with a Content-Length body.
fn response(
    status: u16,
    content_type: &str,
    body: &[u8],
    extra: &[(&str, &str)],
    dst: &mut BytesMut,
) {
    let mut head = ResponseHead::new(status).expect("a valid status");
    let mut fields: Vec<(&str, String)> = vec![
        ("Content-Type", content_type.to_string()),
        ("Content-Length", body.len().to_string()),
    ];
    fields.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    for (k, v) in fields {
        head = head
            .header(k.to_string(), v)
            .expect("demo header values are valid");
    }
    head.encode(dst);
    dst.extend_from_slice(body);
}

/// Serves one connection until the client closes it or the server shuts down.
pub(crate) async fn serve(app: Arc<App>, stream: TcpStream) -> io::Result<()> {
    let mut conn = Conn {
        stream,
        buf: BytesMut::with_capacity(8 * 1024),
        decoder: MessageDecoder::new(Role::Server),
    };
    let mut shutdown = app.shutdown.clone();
    loop {
        let req = tokio::select! {
            r = conn.next_request() => r?,
            _ = shutdown.changed() => return Ok(()),
        };
        let Some(req) = req else { return Ok(()) };
        let keep = route(&app, &mut conn, req).await?;
        if !keep {
            return Ok(());
        }
    }
}

fn query_param<'a>(head: &'a RequestHead, name: &str) -> Option<&'a str> {
    head.query()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then_some(v)
    })
}

fn events_json(events: &[Event], last_id: u64) -> String {
    let list: Vec<String> = events.iter().map(Event::to_json).collect();
    format!(r#"{{"events":[{}],"last_id":{}}}"#, list.join(","), last_id)
}

/// Answers one request; returns whether the connection stays open for another.
async fn route(app: &Arc<App>, conn: &mut Conn, req: Request) -> io::Result<bool> {
    let method = req.head.method().to_string();
    let path = req.head.path().to_string();
    let mut out = BytesMut::new();
    match (method.as_str(), path.as_str()) {
        ("GET", "/api/poll") => {
            app.stats.request(Tech::Poll);
            app.stats.read(Tech::Poll, req.wire_len);
            let last = app.hub.last_id();
            let etag = format!("\"{last}\"");
            // RFC 9110 §13.1.2 (weak comparison, `*`, lists) lives in the codec.
            let tag = last.to_string();
            let current = codec_http_longpoll::ETag {
                weak: false,
                tag: tag.as_bytes(),
            };
            let matches = req
                .head
                .headers
                .get("If-None-Match")
                .is_some_and(|v| codec_http_longpoll::if_none_match(v, &current));
            if matches {
                let mut head = ResponseHead::new(304).expect("valid");
                head = head.header("ETag", etag).expect("valid");
                head = head.header("Cache-Control", "no-cache").expect("valid");
                head.encode(&mut out);
            } else {
                let events = app.hub.since(last.saturating_sub(POLL_BATCH as u64));
                let body = events_json(&events, last);
                response(
                    200,
                    "application/json",
                    body.as_bytes(),
                    &[("ETag", &etag), ("Cache-Control", "no-cache")],
                    &mut out,
                );
            }
            conn.write(Some((app, Tech::Poll)), &out).await?;
            Ok(true)
        }
        ("GET", "/api/longpoll") => {
            app.stats.request(Tech::LongPoll);
            app.stats.read(Tech::LongPoll, req.wire_len);
            longpoll(
                app,
                conn,
                query_param(&req.head, "after").and_then(|v| v.parse().ok()),
            )
            .await
        }
        ("GET" | "POST", "/api/sse") => {
            // The panel's bytes per event are the EventSource's; the POST stream (parsed in the
            // page by the WASM parser) carries the same events and is not counted twice.
            let counted = method == "GET";
            if counted {
                app.stats.request(Tech::Sse);
                app.stats.read(Tech::Sse, req.wire_len);
            }
            let last_id = req
                .head
                .headers
                .get_str("Last-Event-ID")
                .and_then(|v| v.trim().parse::<u64>().ok());
            sse(app, conn, last_id, counted).await
        }
        ("GET", "/ws") => {
            let tech = if query_param(&req.head, "tech") == Some("webrtc") {
                Tech::WebRtc
            } else {
                Tech::Ws
            };
            app.stats.request(tech);
            app.stats.read(tech, req.wire_len);
            crate::ws::upgrade(app, conn, &req, tech).await?;
            Ok(false)
        }
        ("GET", "/api/stats") => {
            response(
                200,
                "application/json",
                app.stats.to_json().as_bytes(),
                &[("Cache-Control", "no-store")],
                &mut out,
            );
            conn.write(None, &out).await?;
            Ok(true)
        }
        ("POST", "/api/chat") => {
            let text = String::from_utf8_lossy(&req.body).trim().to_string();
            let ev = app.hub.publish("chat", text);
            response(
                200,
                "application/json",
                ev.to_json().as_bytes(),
                &[],
                &mut out,
            );
            conn.write(None, &out).await?;
            Ok(true)
        }
        ("GET" | "HEAD", _) => match crate::assets::lookup(&app.config.pkg_dir, &path) {
            Some(a) => {
                response(
                    200,
                    a.content_type,
                    &a.body,
                    &[("Cache-Control", "no-cache")],
                    &mut out,
                );
                if method == "HEAD" {
                    out.truncate(out.len() - a.body.len());
                }
                conn.write(None, &out).await?;
                Ok(true)
            }
            None => {
                let msg = format!("no such page: {}", json_string(&path));
                response(
                    404,
                    "text/plain; charset=utf-8",
                    msg.as_bytes(),
                    &[],
                    &mut out,
                );
                conn.write(None, &out).await?;
                Ok(true)
            }
        },
        _ => {
            response(
                405,
                "text/plain; charset=utf-8",
                b"method not allowed",
                &[("Allow", "GET, HEAD, POST")],
                &mut out,
            );
            conn.write(None, &out).await?;
            Ok(true)
        }
    }
}

/// Writes the head of a streamed response whose body is chunked.
fn chunked_head(status: u16, content_type: &str, dst: &mut BytesMut) {
    let head = ResponseHead::new(status)
        .and_then(|h| h.header("Content-Type", content_type.to_string()))
        .and_then(|h| h.header("Cache-Control", "no-store"))
        .and_then(|h| h.header("Transfer-Encoding", "chunked"))
        .expect("demo header values are valid");
    head.encode(dst);
}

/// Long polling: codec-http-longpoll's hub answers at once when events after `after` exist, else
/// holds the request until the next event (200, chunked JSON body) or the hold time (204).
async fn longpoll(app: &Arc<App>, conn: &mut Conn, after: Option<u64>) -> io::Result<bool> {
    let mut shutdown = app.shutdown.clone();
    let answer = tokio::select! {
        a = app.hub.longpoll().wait(after) => Some(a),
        _ = shutdown.changed() => None,
    };
    let mut out = BytesMut::new();
    match answer.filter(|a| !a.messages.is_empty()) {
        None => {
            let head = ResponseHead::new(204)
                .and_then(|h| h.header("Cache-Control", "no-store"))
                .expect("valid");
            head.encode(&mut out);
        }
        Some(a) => {
            chunked_head(200, "application/json", &mut out);
            // Each message is one event's JSON; the cursor after the batch is the last id.
            let mut body = String::from(r#"{"events":["#);
            for (i, m) in a.messages.iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(std::str::from_utf8(m).map_err(io::Error::other)?);
            }
            body.push_str(&format!(r#"],"last_id":{}}}"#, a.next_cursor));
            let mut chunks = ChunkedEncoder::new();
            chunks
                .encode_chunk(body.as_bytes(), &mut out)
                .map_err(io::Error::other)?;
            chunks
                .finish(&Headers::new(), &mut out)
                .map_err(io::Error::other)?;
        }
    }
    conn.write(Some((app, Tech::LongPoll)), &out).await?;
    Ok(true)
}

/// Server-Sent Events over a chunked body: replay after `Last-Event-ID`, then live events, with a
/// keep-alive comment when idle. Each SSE event goes out as one chunk.
async fn sse(
    app: &Arc<App>,
    conn: &mut Conn,
    last_id: Option<u64>,
    counted: bool,
) -> io::Result<bool> {
    let tech = counted.then_some((&**app, Tech::Sse));
    // Read the newest id before subscribing and replay from there after: an event published in
    // between is then sent once (replayed, and filtered out of the live feed), never lost. An id
    // from before a server restart (ahead of every id) starts from now.
    let newest = app.hub.last_id();
    let mut sent_up_to = last_id.map_or(newest, |id| id.min(newest));
    let mut rx = app.hub.subscribe();
    let mut out = BytesMut::new();
    chunked_head(200, "text/event-stream", &mut out);
    let mut ev_buf = BytesMut::new();
    codec_sse::encode_retry(2000, &mut ev_buf);
    for ev in app.hub.since(sent_up_to) {
        sent_up_to = ev.id;
        sse_event(&ev, &mut ev_buf);
    }
    let mut chunks = ChunkedEncoder::new();
    chunks
        .encode_chunk(&ev_buf, &mut out)
        .map_err(io::Error::other)?;
    conn.write(tech, &out).await?;
    let mut shutdown = app.shutdown.clone();
    loop {
        out.clear();
        ev_buf.clear();
        tokio::select! {
            // A slow reader that fell behind the broadcast catches up from the history.
            r = rx.recv() => match app.hub.pending(r, &mut sent_up_to) {
                Some(events) if events.is_empty() => continue,
                Some(events) => events.iter().for_each(|ev| sse_event(ev, &mut ev_buf)),
                None => break,
            },
            _ = tokio::time::sleep(SSE_KEEPALIVE) => codec_sse::encode_heartbeat(&mut ev_buf),
            _ = shutdown.changed() => break,
        }
        chunks
            .encode_chunk(&ev_buf, &mut out)
            .map_err(io::Error::other)?;
        conn.write(tech, &out).await?;
    }
    out.clear();
    chunks
        .finish(&Headers::new(), &mut out)
        .map_err(io::Error::other)?;
    conn.write(tech, &out).await?;
    Ok(false)
}

fn sse_event(ev: &Event, dst: &mut BytesMut) {
    let e = codec_sse::Event::new(ev.to_json())
        .with_event_type(ev.kind)
        .with_id(ev.id.to_string());
    // The JSON has no line breaks and the id and type are plain ASCII: the emitter accepts them.
    codec_sse::encode_event(&e, dst).expect("a demo event is always encodable");
}
