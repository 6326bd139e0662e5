//! WebSocket sessions through codec-ws: the chat and ticker for panel 4, and the signalling relay
//! for the two WebRTC peers of panel 5 (every SDP checked with codec-sdp on the way through).

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::BytesMut;
use codec_ws::handshake::ServerRequest;
use codec_ws::{CloseCode, CloseFrame, Connection, Message, Role};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::conn::{Conn, Request};
use crate::stats::Tech;
use crate::App;

/// The largest chat message the demo relays, in characters.
const MAX_CHAT: usize = 500;
/// The largest WebSocket message the demo accepts (an SDP offer is a few KiB).
const MAX_WS_MESSAGE: u64 = 1 << 20;

/// The members of one room: connection id and a queue to that connection.
type Members = Vec<(u64, mpsc::Sender<String>)>;

/// Signalling rooms: the connections that joined each, with a queue to each of them.
#[derive(Default)]
pub(crate) struct Rooms {
    next_id: AtomicU64,
    rooms: Mutex<HashMap<String, Members>>,
}

impl Rooms {
    fn join(&self, room: &str, tx: mpsc::Sender<String>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        rooms.entry(room.to_string()).or_default().push((id, tx));
        id
    }

    fn leave(&self, room: &str, id: u64) {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(members) = rooms.get_mut(room) {
            members.retain(|(m, _)| *m != id);
            if members.is_empty() {
                rooms.remove(room);
            }
        }
    }

    /// Sends `msg` to every member of `room` but `from`.
    fn relay(&self, room: &str, from: u64, msg: String) {
        let rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        for (id, tx) in rooms.get(room).into_iter().flatten() {
            if *id != from {
                let _ = tx.try_send(msg.clone());
            }
        }
    }
}

/// Checks an SDP with codec-sdp; returns a short summary for the log, or the first error.
fn check_sdp(sdp: &str) -> Result<String, String> {
    let parsed = codec_sdp::Sdp::parse(sdp.as_bytes()).map_err(|e| e.to_string())?;
    Ok(format!("{} m-sections", parsed.media().len()))
}

/// Completes the upgrade handshake for `req` and runs the WebSocket session until it closes.
pub(crate) async fn upgrade(
    app: &Arc<App>,
    conn: &mut Conn,
    req: &Request,
    tech: Tech,
) -> io::Result<()> {
    let limits = codec_ws::Limits::default();
    // The head was already taken apart by codec-http-longpoll; codec-ws validates the upgrade
    // rules (RFC 6455 §4.2.1) on the same head, written back out.
    let mut head = BytesMut::new();
    req.head.encode(&mut head);
    let mut out = BytesMut::new();
    let ws_req = match ServerRequest::parse(&head, &limits) {
        Ok(Some((r, _))) => r,
        Ok(None) => return Err(io::Error::other("incomplete upgrade head")),
        Err(e) => {
            codec_ws::handshake::encode_error_response(&e, &mut out);
            app.stats.wrote(tech, out.len());
            conn.stream.write_all(&out).await?;
            return Ok(());
        }
    };
    ws_req
        .accept(None, None, &mut out)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    app.stats.wrote(tech, out.len());
    conn.stream.write_all(&out).await?;
    session(app, conn, tech).await
}

async fn session(app: &Arc<App>, conn: &mut Conn, tech: Tech) -> io::Result<()> {
    // The demo's messages are chat lines and SDP signalling: 1 MiB is plenty, and it bounds what
    // one client can make the server buffer or relay.
    let limits = codec_ws::Limits::default()
        .max_frame_len(MAX_WS_MESSAGE)
        .max_message_len(MAX_WS_MESSAGE);
    let mut ws = Connection::new(Role::Server, codec_ws::Config::default().limits(limits));
    let mut events = app.hub.subscribe();
    let (relay_tx, mut relay_rx) = mpsc::channel::<String>(64);
    let mut joined: Option<(String, u64)> = None;
    let mut shutdown = app.shutdown.clone();
    let mut out = BytesMut::new();
    // Bytes that arrived with the upgrade request belong to the WebSocket already.
    let mut inbuf = std::mem::take(&mut conn.buf);
    let result = loop {
        // Decode everything buffered; answer what needs answering.
        loop {
            match ws.decode(&mut inbuf) {
                Ok(Some(Message::Text(t))) => {
                    let text = String::from_utf8_lossy(&t);
                    handle_text(app, &text, &relay_tx, &mut joined, &mut ws, &mut out);
                }
                Ok(Some(Message::Close(_))) => {}
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    // The codec says which close code the peer gets (RFC 6455 §7.4.1).
                    if let Some(code) = e.close_code() {
                        let _ = ws.close(Some(&CloseFrame::new(code)), &mut out);
                    }
                    break;
                }
            }
        }
        while ws.poll_transmit(&mut out) {}
        if !out.is_empty() {
            app.stats.wrote(tech, out.len());
            conn.stream.write_all(&out).await?;
            out.clear();
        }
        if ws.is_closed() {
            break Ok(());
        }
        tokio::select! {
            n = conn.stream.read_buf(&mut inbuf) => {
                let n = n?;
                app.stats.read(tech, n);
                if n == 0 { break Ok(()); }
            }
            ev = events.recv(), if tech == Tech::Ws => {
                match ev {
                    Ok(ev) => {
                        let msg = format!(r#"{{"type":"event","event":{}}}"#, ev.to_json());
                        let _ = ws.send_text(&msg, &mut out);
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(_) => break Ok(()),
                }
            }
            Some(msg) = relay_rx.recv() => { let _ = ws.send_text(&msg, &mut out); }
            _ = shutdown.changed() => {
                let _ = ws.close(Some(&CloseFrame::with_reason(CloseCode::GOING_AWAY, "server shutting down")), &mut out);
            }
        }
    };
    if let Some((room, id)) = joined {
        app.rooms.leave(&room, id);
    }
    result
}

/// Handles one text message of the demo's small JSON protocol.
fn handle_text(
    app: &Arc<App>,
    text: &str,
    relay_tx: &mpsc::Sender<String>,
    joined: &mut Option<(String, u64)>,
    ws: &mut Connection,
    out: &mut BytesMut,
) {
    let Ok(msg) = serde_json::from_str::<Value>(text) else {
        return;
    };
    match msg["type"].as_str() {
        Some("chat") => {
            let Some(t) = msg["text"].as_str() else {
                return;
            };
            let t: String = t.chars().take(MAX_CHAT).collect();
            if !t.trim().is_empty() {
                app.hub.publish("chat", t);
            }
        }
        Some("join") => {
            let Some(room) = msg["room"].as_str() else {
                return;
            };
            if joined.is_none() {
                let id = app.rooms.join(room, relay_tx.clone());
                *joined = Some((room.to_string(), id));
            }
            // The acknowledgement lets a peer wait until the room holds it before signalling:
            // a message relayed to a room the other peer has not joined yet would be lost.
            let reply = json!({"type": "joined", "room": room}).to_string();
            let _ = ws.send_text(&reply, out);
        }
        Some("signal") => {
            let Some((room, id)) = joined.as_ref() else {
                return;
            };
            if let Some(sdp) = msg["description"]["sdp"].as_str() {
                match check_sdp(sdp) {
                    Ok(summary) => println!(
                        "demo: signal in room {room}: {} ({summary})",
                        msg["description"]["type"]
                    ),
                    Err(e) => {
                        let reply = json!({"type": "signal", "error": e}).to_string();
                        let _ = ws.send_text(&reply, out);
                        return;
                    }
                }
            }
            app.rooms.relay(room, *id, text.to_string());
        }
        _ => {}
    }
}
