//! The server side of long polling: hold a request until a message arrives
//! or the caller's clock passes a deadline, then answer 200 with the batch
//! or 204, both with `Cache-Control: no-store`.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use bytes::{Bytes, BytesMut};

use crate::delimited::{encode_delimited, Delimiter};
use crate::head::ResponseHead;
use crate::Error;

/// Identifies a held request (chosen by the caller, e.g. a connection id).
pub type HoldId = u64;

/// A finished exchange: the answer for one held request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The request this answers.
    pub id: HoldId,
    /// The messages (empty on timeout).
    pub messages: Vec<Bytes>,
    /// The cursor to poll with next (sequence number after the last message).
    pub next_cursor: u64,
}

impl Answer {
    /// Build the response: 200 with the messages as NDJSON (or `framing`)
    /// and a Content-Length, or 204 on timeout; always `Cache-Control:
    /// no-store` and an `X-Cursor` field.
    ///
    /// # Errors
    /// [`Error::ContainsSeparator`] when a message contains the delimiter.
    pub fn to_response(&self, framing: Delimiter) -> Result<(ResponseHead, Bytes), Error> {
        self.to_response_with(framing, 204)
    }

    /// As [`to_response`](Self::to_response), with the status for a timeout
    /// chosen by the caller: 204 (the issue's convention, which a
    /// [`crate::PollScheduler`] reads as "closed") or 200 with an empty body
    /// (which it reads as "poll again at once").
    ///
    /// # Errors
    /// [`Error::ContainsSeparator`]; [`Error::InvalidStartLineInput`] for a bad status.
    pub fn to_response_with(
        &self,
        framing: Delimiter,
        timeout_status: u16,
    ) -> Result<(ResponseHead, Bytes), Error> {
        let mut body = BytesMut::new();
        for m in &self.messages {
            encode_delimited(framing, m, &mut body)?;
        }
        let status = if self.messages.is_empty() {
            timeout_status
        } else {
            200
        };
        let mut head = ResponseHead::new(status)?
            .header("Cache-Control", "no-store")?
            .header("X-Cursor", alloc::format!("{}", self.next_cursor))?;
        if status != 204 && status != 304 {
            let ct = match framing {
                Delimiter::Newline => "application/x-ndjson",
                Delimiter::JsonSeq => "application/json-seq",
                _ => "application/json",
            };
            head = head
                .header("Content-Type", ct)?
                .header("Content-Length", alloc::format!("{}", body.len()))?;
        }
        Ok((head, body.freeze()))
    }
}

#[derive(Debug, Clone)]
struct Held {
    id: HoldId,
    cursor: u64,
    deadline: u64,
}

/// A message log plus the requests waiting on it. Time is the caller's
/// (ms); nothing here sleeps or reads a clock.
///
/// ```
/// use codec_http_longpoll::LongPollHub;
///
/// let mut hub = LongPollHub::new(25_000, 100, 64);
/// assert!(hub.hold(1, None, 0).is_none()); // nothing yet: held
/// hub.publish("hello".into());
/// let answers = hub.poll_answers(10);
/// assert_eq!(answers[0].messages, vec![bytes::Bytes::from("hello")]);
/// hub.hold(2, Some(answers[0].next_cursor), 20);
/// assert_eq!(hub.next_deadline(), Some(25_020));
/// assert!(hub.poll_answers(25_020)[0].messages.is_empty()); // timeout: 204
/// ```
#[derive(Debug, Clone)]
pub struct LongPollHub {
    hold_ms: u64,
    max_batch: usize,
    max_log: usize,
    log: VecDeque<Bytes>,
    /// Sequence number of `log[0]`.
    first_seq: u64,
    held: Vec<Held>,
}

impl LongPollHub {
    /// `hold_ms`: how long a request waits; `max_batch`: most messages per
    /// answer; `max_log`: messages kept for clients that come back later.
    #[must_use]
    pub fn new(hold_ms: u64, max_batch: usize, max_log: usize) -> Self {
        Self {
            hold_ms,
            max_batch: max_batch.max(1),
            max_log: max_log.max(1),
            log: VecDeque::new(),
            first_seq: 0,
            held: Vec::new(),
        }
    }

    /// Sequence number the next published message gets.
    #[must_use]
    pub fn next_seq(&self) -> u64 {
        self.first_seq + self.log.len() as u64
    }

    /// Append a message; returns its sequence number.
    pub fn publish(&mut self, msg: Bytes) -> u64 {
        let seq = self.next_seq();
        self.log.push_back(msg);
        while self.log.len() > self.max_log {
            self.log.pop_front();
            self.first_seq += 1;
        }
        seq
    }

    fn batch(&self, cursor: u64) -> (Vec<Bytes>, u64) {
        let start = cursor.max(self.first_seq);
        let skip = (start - self.first_seq) as usize;
        let msgs: Vec<Bytes> = self
            .log
            .iter()
            .skip(skip)
            .take(self.max_batch)
            .cloned()
            .collect();
        let next = start + msgs.len() as u64;
        (msgs, next)
    }

    /// A request arrives at `now` asking for messages from `cursor` (`None`:
    /// only new ones). Returns the answer at once if messages are waiting,
    /// else holds it until [`poll_answers`](Self::poll_answers) releases it.
    pub fn hold(&mut self, id: HoldId, cursor: Option<u64>, now: u64) -> Option<Answer> {
        // A cursor from the future (a restarted server) means "only new ones".
        let next = self.next_seq();
        let cursor = cursor.map_or(next, |c| c.min(next));
        let (messages, next_cursor) = self.batch(cursor);
        if !messages.is_empty() {
            return Some(Answer {
                id,
                messages,
                next_cursor,
            });
        }
        self.held.push(Held {
            id,
            cursor,
            deadline: now.saturating_add(self.hold_ms),
        });
        None
    }

    /// Forget a held request (its connection went away).
    pub fn cancel(&mut self, id: HoldId) {
        self.held.retain(|h| h.id != id);
    }

    /// The earliest deadline of a held request: wake up then.
    #[must_use]
    pub fn next_deadline(&self) -> Option<u64> {
        self.held.iter().map(|h| h.deadline).min()
    }

    /// Answers that are due at `now`: held requests that now have messages,
    /// and those whose deadline passed (empty batch, answered 204).
    pub fn poll_answers(&mut self, now: u64) -> Vec<Answer> {
        let mut out = Vec::new();
        let mut keep = Vec::with_capacity(self.held.len());
        for h in core::mem::take(&mut self.held) {
            let (messages, next_cursor) = self.batch(h.cursor);
            if !messages.is_empty() || now >= h.deadline {
                let next_cursor = if messages.is_empty() {
                    h.cursor.max(self.first_seq)
                } else {
                    next_cursor
                };
                out.push(Answer {
                    id: h.id,
                    messages,
                    next_cursor,
                });
            } else {
                keep.push(h);
            }
        }
        self.held = keep;
        out
    }

    /// Number of held requests.
    #[must_use]
    pub fn held(&self) -> usize {
        self.held.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hold_publish_timeout() {
        let mut hub = LongPollHub::new(1000, 2, 3);
        assert!(hub.hold(1, None, 0).is_none());
        assert!(hub.hold(2, None, 500).is_none());
        assert!(hub.poll_answers(999).is_empty());
        let a = hub.poll_answers(1000);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].id, 1);
        let (head, body) = a[0].to_response(Delimiter::Newline).unwrap();
        assert_eq!(head.status(), 204);
        assert_eq!(head.headers.get("cache-control"), Some(&b"no-store"[..]));
        assert!(body.is_empty());
        for m in ["a", "b", "c", "d"] {
            hub.publish(Bytes::from(m));
        }
        let a = hub.poll_answers(1001);
        assert_eq!(a[0].id, 2);
        // The log keeps 3 messages (b, c, d); a batch is at most 2.
        assert_eq!(a[0].messages, [Bytes::from("b"), Bytes::from("c")]);
        assert_eq!(a[0].next_cursor, 3);
        let again = hub.hold(3, Some(3), 1002).unwrap();
        assert_eq!(again.messages, [Bytes::from("d")]);
        let (head, body) = again.to_response(Delimiter::Newline).unwrap();
        assert_eq!(head.status(), 200);
        assert_eq!(&body[..], b"d\n");
        assert_eq!(head.headers.get("content-length"), Some(&b"2"[..]));
        let (head, body) = a[0].to_response_with(Delimiter::Newline, 200).unwrap();
        assert_eq!((head.status(), body.len()), (200, 4));
        let empty = Answer {
            id: 9,
            messages: Vec::new(),
            next_cursor: 4,
        };
        let (head, _) = empty.to_response_with(Delimiter::Newline, 200).unwrap();
        assert_eq!(head.headers.get("content-length"), Some(&b"0"[..]));
        hub.hold(4, None, 0);
        hub.cancel(4);
        assert_eq!(hub.held(), 0);
    }
}
