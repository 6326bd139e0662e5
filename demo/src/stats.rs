//! Bytes on the wire per technique, counted where the server reads and writes them.

use std::sync::atomic::{AtomicU64, Ordering};

/// The five techniques, in panel order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tech {
    Poll,
    LongPoll,
    Sse,
    Ws,
    WebRtc,
}

impl Tech {
    const ALL: [Self; 5] = [
        Self::Poll,
        Self::LongPoll,
        Self::Sse,
        Self::Ws,
        Self::WebRtc,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Poll => "poll",
            Self::LongPoll => "longpoll",
            Self::Sse => "sse",
            Self::Ws => "ws",
            Self::WebRtc => "webrtc",
        }
    }
}

#[derive(Default)]
struct Counter {
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    requests: AtomicU64,
}

/// Counters for every technique.
#[derive(Default)]
pub(crate) struct Stats {
    counters: [Counter; 5],
}

impl Stats {
    fn counter(&self, t: Tech) -> &Counter {
        &self.counters[t as usize]
    }

    /// Counts bytes read from a client of technique `t`.
    pub(crate) fn read(&self, t: Tech, n: usize) {
        self.counter(t)
            .bytes_in
            .fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Counts bytes written to a client of technique `t`.
    pub(crate) fn wrote(&self, t: Tech, n: usize) {
        self.counter(t)
            .bytes_out
            .fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Counts one request (or connection) of technique `t`.
    pub(crate) fn request(&self, t: Tech) {
        self.counter(t).requests.fetch_add(1, Ordering::Relaxed);
    }

    /// All counters as a JSON object keyed by technique.
    pub(crate) fn to_json(&self) -> String {
        let parts: Vec<String> = Tech::ALL
            .iter()
            .map(|&t| {
                let c = self.counter(t);
                format!(
                    r#""{}":{{"bytes_in":{},"bytes_out":{},"requests":{}}}"#,
                    t.name(),
                    c.bytes_in.load(Ordering::Relaxed),
                    c.bytes_out.load(Ordering::Relaxed),
                    c.requests.load(Ordering::Relaxed)
                )
            })
            .collect();
        format!("{{{}}}", parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_technique() {
        let s = Stats::default();
        s.read(Tech::Sse, 10);
        s.wrote(Tech::Sse, 5);
        s.request(Tech::Ws);
        let j = s.to_json();
        assert!(
            j.contains(r#""sse":{"bytes_in":10,"bytes_out":5,"requests":0}"#),
            "{j}"
        );
        assert!(
            j.contains(r#""ws":{"bytes_in":0,"bytes_out":0,"requests":1}"#),
            "{j}"
        );
    }
}
