//! The one stream of server events every panel shows: a ticker and a shared chat.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use codec_http_longpoll::tokio::LongPollServer;
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

/// How long a long-poll request is held before a 204.
pub(crate) const LONGPOLL_HOLD: std::time::Duration = std::time::Duration::from_secs(25);

/// The event hub: history for pollers, a broadcast for pushers, and codec-http-longpoll's
/// long-poll state (which holds requests and releases them on a publish or a timeout).
pub(crate) struct Hub {
    history: Mutex<VecDeque<Event>>,
    tx: broadcast::Sender<Event>,
    last_id: watch::Sender<u64>,
    /// Message `seq` of this log is the event with id `seq + 1`, so a long-poll cursor is the
    /// id of the last event the client has seen.
    longpoll: LongPollServer,
}

impl Hub {
    pub(crate) fn new() -> Self {
        let (tx, _) = broadcast::channel(256);
        let (last_id, _) = watch::channel(0);
        Self {
            history: Mutex::new(VecDeque::with_capacity(HISTORY)),
            tx,
            last_id,
            longpoll: LongPollServer::new(LONGPOLL_HOLD, HISTORY, HISTORY),
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
        // Published under the history lock so that the long-poll sequence stays id − 1.
        let seq = self.longpoll.publish(Bytes::from(ev.to_json()));
        debug_assert_eq!(seq + 1, id);
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

    /// What a subscriber still has to send after one receive `r` from
    /// [`subscribe`](Self::subscribe), given the newest id it has sent (updated): the event
    /// (once, in order, nothing if it was already sent), or, after the subscriber fell behind
    /// the broadcast, the history it has not sent yet. `None` when the broadcast is closed.
    pub(crate) fn pending(
        &self,
        r: Result<Event, broadcast::error::RecvError>,
        sent_up_to: &mut u64,
    ) -> Option<Vec<Event>> {
        let events = match r {
            Ok(ev) if ev.id > *sent_up_to => vec![ev],
            Ok(_) => Vec::new(),
            Err(broadcast::error::RecvError::Lagged(_)) => self.since(*sent_up_to),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        if let Some(last) = events.last() {
            *sent_up_to = last.id;
        }
        Some(events)
    }

    /// The newest event id (0 before the first).
    pub(crate) fn last_id(&self) -> u64 {
        *self.last_id.borrow()
    }

    /// A receiver of every event published from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// The long-poll state: `wait(Some(after))` answers with the events after id `after`.
    pub(crate) fn longpoll(&self) -> &LongPollServer {
        &self.longpoll
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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

    #[tokio::test]
    async fn longpoll_cursor_is_the_last_seen_id() {
        let hub = Hub::new();
        for i in 0..3 {
            hub.publish("tick", format!("{i}"));
        }
        // Seen id 1: events 2 and 3 come at once, and the next cursor is 3.
        let a = hub.longpoll().wait(Some(1)).await;
        let ids: Vec<u64> = a
            .messages
            .iter()
            .map(|m| {
                let v: serde_json::Value = serde_json::from_slice(m).unwrap();
                v["id"].as_u64().unwrap()
            })
            .collect();
        assert_eq!(ids, [2, 3]);
        assert_eq!(a.next_cursor, 3);
        // Up to date: held until the next publish, which it then carries.
        let a = held_then_published(&hub, 3).await;
        assert_eq!((a.messages.len(), a.next_cursor), (1, 4));
        // A cursor from before a restart (ahead of every id) waits for new events only.
        let a = held_then_published(&hub, 100).await;
        assert_eq!((a.messages.len(), a.next_cursor), (1, 5));
    }

    #[tokio::test]
    async fn a_lagging_subscriber_catches_up_from_the_history() {
        let hub = Hub::new();
        let mut rx = hub.subscribe();
        // More than the broadcast holds (256): the receiver lags.
        for i in 0..300 {
            hub.publish("tick", format!("{i}"));
        }
        let mut sent_up_to = 0;
        let mut sent = Vec::new();
        for _ in 0..300 {
            let Ok(r) = tokio::time::timeout(Duration::from_millis(50), rx.recv()).await else {
                break;
            };
            sent.extend(
                hub.pending(r, &mut sent_up_to)
                    .unwrap()
                    .iter()
                    .map(|e| e.id),
            );
        }
        // The newest HISTORY events once each, in order; what the broadcast still held after
        // the lag is not sent again.
        let newest = 300;
        let want: Vec<u64> = (newest - HISTORY as u64 + 1..=newest).collect();
        assert_eq!(sent, want);
        assert_eq!(sent_up_to, newest);
        // And live again.
        hub.publish("chat", "after".into());
        let r = rx.recv().await;
        let ids: Vec<u64> = hub
            .pending(r, &mut sent_up_to)
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, [newest + 1]);
    }

    #[test]
    fn pending_skips_what_was_sent_and_ends_when_closed() {
        let hub = Hub::new();
        let ev = hub.publish("tick", "a".into());
        let mut sent_up_to = ev.id;
        assert!(hub
            .pending(Ok(ev.clone()), &mut sent_up_to)
            .unwrap()
            .is_empty());
        assert_eq!(sent_up_to, ev.id);
        assert!(hub
            .pending(Err(broadcast::error::RecvError::Closed), &mut sent_up_to)
            .is_none());
    }

    /// A long poll from `cursor` that must be held, answered by one chat message.
    async fn held_then_published(hub: &Hub, cursor: u64) -> codec_http_longpoll::Answer {
        let waiter = {
            let lp = hub.longpoll().clone();
            tokio::spawn(async move { lp.wait(Some(cursor)).await })
        };
        while hub.longpoll().held() == 0 {
            tokio::task::yield_now().await;
        }
        hub.publish("chat", "hi".into());
        waiter.await.unwrap()
    }
}
