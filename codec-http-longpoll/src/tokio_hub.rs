//! A long-poll helper a tokio server can drive: [`LongPollHub`] behind a
//! mutex, woken by publishes and by tokio's clock. The hub holds all the
//! logic; this only waits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ::bytes::Bytes;
use ::tokio::sync::Notify;
use ::tokio::time::Instant;

use crate::{Answer, LongPollHub};

#[derive(Debug)]
struct Inner {
    hub: LongPollHub,
    /// Answers released for requests whose waiter has not picked them up yet.
    ready: HashMap<u64, Answer>,
    next_id: u64,
}

/// Shared long-poll state for a tokio server (clone it into each connection task).
#[derive(Debug, Clone)]
pub struct LongPollServer {
    inner: Arc<Mutex<Inner>>,
    notify: Arc<Notify>,
    start: Instant,
}

/// Removes a held request when its waiter goes away (the client hung up).
struct Guard<'a>(&'a LongPollServer, u64);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let mut g = self.0.lock();
        g.hub.cancel(self.1);
        g.ready.remove(&self.1);
    }
}

impl LongPollServer {
    /// See [`LongPollHub::new`]; `hold` is how long [`wait`](Self::wait) holds a request.
    #[must_use]
    pub fn new(hold: Duration, max_batch: usize, max_log: usize) -> Self {
        let hold_ms = u64::try_from(hold.as_millis()).unwrap_or(u64::MAX);
        Self {
            inner: Arc::new(Mutex::new(Inner {
                hub: LongPollHub::new(hold_ms, max_batch, max_log),
                ready: HashMap::new(),
                next_id: 0,
            })),
            notify: Arc::new(Notify::new()),
            start: Instant::now(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Requests currently held.
    #[must_use]
    pub fn held(&self) -> usize {
        self.lock().hub.held()
    }

    /// Publish a message to every waiting and future request; returns its sequence number.
    pub fn publish(&self, msg: Bytes) -> u64 {
        let seq = self.lock().hub.publish(msg);
        self.notify.notify_waiters();
        seq
    }

    /// Wait for messages after `cursor` (`None`: only new ones) or the hold
    /// timeout; turn the answer into a response with [`Answer::to_response`].
    pub async fn wait(&self, cursor: Option<u64>) -> Answer {
        let id = {
            let mut g = self.lock();
            g.next_id += 1;
            let id = g.next_id;
            if let Some(a) = g.hub.hold(id, cursor, self.now_ms()) {
                return a;
            }
            id
        };
        let _guard = Guard(self, id);
        loop {
            // Register for wake-ups before looking, so a publish in between is not missed.
            let notified = self.notify.notified();
            let deadline = {
                let mut g = self.lock();
                let now = self.now_ms();
                for a in g.hub.poll_answers(now) {
                    g.ready.insert(a.id, a);
                }
                if let Some(a) = g.ready.remove(&id) {
                    return a;
                }
                g.hub.next_deadline()
            };
            let until = deadline.map_or(self.start + Duration::from_secs(3600), |d| {
                self.start + Duration::from_millis(d)
            });
            // Either a publish, or some request's deadline: look again.
            let _ = ::tokio::time::timeout_at(until, notified).await;
        }
    }
}
