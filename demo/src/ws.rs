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

/// Checks an SDP with codec-sdp in strict mode (what the receiving browser would reject is
/// not relayed); returns a short summary for the log, or the first error.
fn check_sdp(sdp: &str) -> Result<String, String> {
    let parsed = codec_sdp::Sdp::parse_with(sdp.as_bytes(), codec_sdp::ParseOptions::strict())
        .map_err(|e| e.to_string())?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn app() -> Arc<App> {
        let (_stop, shutdown) = tokio::sync::watch::channel(false);
        Arc::new(App {
            hub: crate::hub::Hub::new(),
            stats: crate::stats::Stats::default(),
            config: crate::Config {
                addr: ([127, 0, 0, 1], 0).into(),
                pkg_dir: std::path::PathBuf::new(),
                tick: Duration::from_secs(1),
            },
            rooms: Rooms::default(),
            shutdown,
        })
    }

    /// One signalling peer: its connection, what it sent on the wire, its relay queue.
    struct Peer {
        ws: Connection,
        out: BytesMut,
        joined: Option<(String, u64)>,
        tx: mpsc::Sender<String>,
        rx: mpsc::Receiver<String>,
    }

    impl Peer {
        fn new() -> Self {
            let (tx, rx) = mpsc::channel(8);
            Self {
                ws: Connection::new(Role::Server, codec_ws::Config::default()),
                out: BytesMut::new(),
                joined: None,
                tx,
                rx,
            }
        }

        fn says(&mut self, app: &Arc<App>, text: &str) {
            handle_text(
                app,
                text,
                &self.tx,
                &mut self.joined,
                &mut self.ws,
                &mut self.out,
            );
        }

        /// The text messages this peer's connection sent back, as a browser reads them.
        fn replies(&mut self) -> Vec<Value> {
            let mut browser = Connection::new(Role::Client, codec_ws::Config::default());
            let mut got = Vec::new();
            while let Some(m) = browser.decode(&mut self.out).unwrap() {
                if let Message::Text(t) = m {
                    got.push(serde_json::from_slice(&t).unwrap());
                }
            }
            got
        }
    }

    #[test]
    fn join_is_acknowledged_and_signals_go_to_the_other_peer_only() {
        let app = app();
        let (mut a, mut b) = (Peer::new(), Peer::new());
        // A signal before joining goes nowhere.
        a.says(&app, r#"{"type":"signal","candidate":{"candidate":""}}"#);
        assert!(a.replies().is_empty());
        a.says(&app, r#"{"type":"join","room":"r1"}"#);
        assert_eq!(a.replies(), [json!({"type": "joined", "room": "r1"})]);
        b.says(&app, r#"{"type":"join","room":"r1"}"#);
        assert_eq!(b.replies(), [json!({"type": "joined", "room": "r1"})]);
        // Once both hold the acknowledgement, a signal reaches the other peer, once.
        let signal = r#"{"type":"signal","candidate":{"candidate":"c"}}"#;
        a.says(&app, signal);
        assert_eq!(b.rx.try_recv().unwrap(), signal);
        assert!(b.rx.try_recv().is_err());
        assert!(
            a.rx.try_recv().is_err(),
            "a signal is not echoed to its sender"
        );
        // A peer in another room hears nothing.
        let mut c = Peer::new();
        c.says(&app, r#"{"type":"join","room":"r2"}"#);
        c.says(&app, signal);
        assert!(a.rx.try_recv().is_err() && b.rx.try_recv().is_err());
    }

    #[test]
    fn a_bad_sdp_is_answered_with_an_error_and_not_relayed() {
        let app = app();
        let (mut a, mut b) = (Peer::new(), Peer::new());
        a.says(&app, r#"{"type":"join","room":"r"}"#);
        b.says(&app, r#"{"type":"join","room":"r"}"#);
        a.replies();
        a.says(
            &app,
            r#"{"type":"signal","description":{"type":"offer","sdp":"o=only\r\n"}}"#,
        );
        let replies = a.replies();
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0]["type"], "signal");
        assert!(replies[0]["error"].as_str().is_some_and(|e| !e.is_empty()));
        assert!(b.rx.try_recv().is_err());
    }
}
