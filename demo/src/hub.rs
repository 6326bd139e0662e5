//! The one stream of server events every panel shows: a ticker and a shared chat.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::{broadcast, watch};

/// How many recent events the hub keeps for polling clients and SSE reconnects.
const HISTORY: usize = 64;

/// One server event, as every technique delivers it (serialized as JSON).
#[derive(Clone, Debug)]
pub(crate) struct Event {
    /// Increasing from 1; the SSE id and the long-poll cursor.
    pub(crate) id: u64,
    /// Server send time, milliseconds since the Unix epoch (latency = receipt − this).
    pub(crate) ts: u64,
    /// `"tick"` or `"chat"`.
    pub(crate) kind: &'static str,
    /// The ticker's text or the chat message.
    pub(crate) text: String,
}

impl Event {
    /// The event as a JSON object.
    pub(crate) fn to_json(&self) -> String {
        format!(
            r#"{{"id":{},"ts":{},"kind":"{}","text":{}}}"#,
            self.id,
            self.ts,
            self.kind,
            json_string(&self.text)
        )
    }
}

/// Quotes a string as a JSON string literal.
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The event hub: history for pollers, a broadcast for pushers, a watch of the last id for
/// held long-poll requests.
pub(crate) struct Hub {
    history: Mutex<VecDeque<Event>>,
    tx: broadcast::Sender<Event>,
    last_id: watch::Sender<u64>,
}

impl Hub {
    pub(crate) fn new() -> Self {
        let (tx, _) = broadcast::channel(256);
        let (last_id, _) = watch::channel(0);
        Self {
            history: Mutex::new(VecDeque::with_capacity(HISTORY)),
            tx,
            last_id,
        }
    }

    /// Publishes an event to every technique.
    pub(crate) fn publish(&self, kind: &'static str, text: String) -> Event {
        let mut h = self.history.lock().unwrap_or_else(|e| e.into_inner());
        let id = h.back().map_or(1, |e| e.id + 1);
        let ev = Event {
            id,
            ts: now_ms(),
            kind,
            text,
        };
        if h.len() == HISTORY {
            h.pop_front();
        }
        h.push_back(ev.clone());
        drop(h);
        let _ = self.tx.send(ev.clone());
        self.last_id.send_replace(id);
        ev
    }

    /// Events with an id above `after`, oldest first (as many as the history still holds).
    pub(crate) fn since(&self, after: u64) -> Vec<Event> {
        let h = self.history.lock().unwrap_or_else(|e| e.into_inner());
        h.iter().filter(|e| e.id > after).cloned().collect()
    }

    /// The newest event id (0 before the first).
    pub(crate) fn last_id(&self) -> u64 {
        *self.last_id.borrow()
    }

    /// A receiver of every event published from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// A watch of the newest id, for held requests.
    pub(crate) fn watch_last_id(&self) -> watch::Receiver<u64> {
        self.last_id.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_quotes_controls_and_separators() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u0001""#);
        assert_eq!(json_string("\u{2028}"), r#""\u2028""#);
    }

    #[test]
    fn history_is_bounded_and_ordered() {
        let hub = Hub::new();
        for i in 0..(HISTORY + 10) {
            hub.publish("tick", format!("{i}"));
        }
        let all = hub.since(0);
        assert_eq!(all.len(), HISTORY);
        assert_eq!(all.last().unwrap().id, (HISTORY + 10) as u64);
        assert!(all.windows(2).all(|w| w[0].id + 1 == w[1].id));
        assert_eq!(hub.since(hub.last_id()).len(), 0);
    }
}
