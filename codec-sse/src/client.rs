//! EventSource reconnection state, Sans-IO (WHATWG HTML §9.2.3–§9.2.5).
//!
//! The host does the HTTP and keeps the clock; the [`Client`] says which
//! headers to send, whether a response opens the stream, and when to
//! reconnect. Its body parser tracks the last event ID and the reconnection
//! time across connections.

use alloc::boxed::Box;
use alloc::vec::Vec;
use bytestring::ByteString;
use core::fmt;
use core::ops::RangeInclusive;

use crate::{Decoder, Error, Item, ItemRef, Parser};

/// The `readyState` of an EventSource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadyState {
    /// Not connected yet, or waiting to reconnect.
    Connecting,
    /// A stream is open and being read.
    Open,
    /// Failed or closed: no more reconnects.
    Closed,
}

/// What the host does next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// The response opened the stream: feed its body to the client.
    Open,
    /// Wait `delay_ms` milliseconds, then send [`Client::request`] again.
    Reconnect {
        /// The reconnection time in force.
        delay_ms: u64,
    },
    /// Stop for good (the EventSource fires `error` and is closed). `error`
    /// says why, `None` after [`Client::close`].
    Close {
        /// Why the connection failed, if it did.
        error: Option<Error>,
    },
}

/// What to do with a response status other than 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatusAction {
    /// Fail the connection: no reconnect (the standard's rule for every
    /// status but 200, checked by the Web Platform Tests for 204, 205, 210,
    /// 299, 404, 410 and 503).
    Fail,
    /// Treat the response like a dropped connection and reconnect after the
    /// reconnection time (a host choice, for example for 502/503 behind a
    /// load balancer).
    Reconnect,
}

/// A header the host adds to each request: name and value.
pub type Header = (ByteString, ByteString);

/// Called before every request (the first and each reconnect) so the host can
/// add its own headers, for example a refreshed `Authorization` token.
/// The argument is the number of the attempt since the stream last opened
/// (0 for the first request).
pub type HeaderHook = Box<dyn FnMut(u32, &mut Vec<Header>) + Send>;

/// The request to send for the next connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Headers in order: `Accept`, `Cache-Control`, `Last-Event-ID` when the
    /// last event ID is non-empty, then the host's own (which replace a
    /// standard header of the same name).
    pub headers: Vec<Header>,
    /// Attempt number since the stream last opened (0 = first).
    pub attempt: u32,
}

impl Request {
    /// The value of a header, by case-insensitive name.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| &**v)
    }
}

/// The client side of an event stream across reconnects.
///
/// ```
/// use codec_sse::client::{Action, Client};
/// use codec_sse::Item;
///
/// let mut c = Client::new();
/// let req = c.request()?;
/// assert_eq!(req.header("Accept"), Some("text/event-stream"));
/// assert_eq!(c.on_response(200, Some(b"text/event-stream; charset=utf-8")), Action::Open);
/// c.feed(b"retry: 500\nid: 7\ndata: hi\n\n");
/// while let Some(item) = c.next_event()? {
///     if let Item::Event(ev) = item { assert_eq!(ev.data(), "hi"); }
/// }
/// assert_eq!(c.on_disconnect(), Action::Reconnect { delay_ms: 500 });
/// assert_eq!(c.request()?.header("last-event-id"), Some("7"));
/// # Ok::<(), codec_sse::Error>(())
/// ```
pub struct Client {
    parser: Parser,
    state: ReadyState,
    reconnection_time: u64,
    rules: Vec<(RangeInclusive<u16>, StatusAction)>,
    hook: Option<HeaderHook>,
    attempt: u32,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("state", &self.state)
            .field("reconnection_time", &self.reconnection_time)
            .field("last_event_id", &self.parser.last_event_id())
            .field("rules", &self.rules)
            .field("hook", &self.hook.is_some())
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// Default reconnection time before any `retry` field: 3 seconds (the
    /// standard leaves it to the user agent; Chromium uses 3 s).
    pub const DEFAULT_RECONNECTION_TIME: u64 = 3000;

    /// A client with a default decoder.
    #[must_use]
    pub fn new() -> Self {
        Self::with_decoder(Decoder::new())
    }

    /// A client whose bodies are read by `decoder` (limits, seeded last event ID).
    #[must_use]
    pub fn with_decoder(decoder: Decoder) -> Self {
        Self {
            parser: Parser::from_decoder(decoder),
            state: ReadyState::Connecting,
            reconnection_time: Self::DEFAULT_RECONNECTION_TIME,
            rules: Vec::new(),
            hook: None,
            attempt: 0,
        }
    }

    /// Sets the reconnection time until the stream sends `retry`.
    #[must_use]
    pub fn with_reconnection_time(mut self, ms: u64) -> Self {
        self.reconnection_time = ms;
        self
    }

    /// Installs the hook asked for extra headers before every request.
    #[must_use]
    pub fn with_header_hook(
        mut self,
        hook: impl FnMut(u32, &mut Vec<Header>) + Send + 'static,
    ) -> Self {
        self.hook = Some(Box::new(hook));
        self
    }

    /// Sets what to do for the statuses in `range` (later rules win). Status
    /// 200 always opens the stream; without a rule every other status fails.
    pub fn set_status_action(&mut self, range: RangeInclusive<u16>, action: StatusAction) {
        self.rules.push((range, action));
    }

    /// The current ready state.
    #[must_use]
    pub fn ready_state(&self) -> ReadyState {
        self.state
    }

    /// The reconnection time in milliseconds.
    #[must_use]
    pub fn reconnection_time(&self) -> u64 {
        self.reconnection_time
    }

    /// The last event ID string (sent as `Last-Event-ID` when non-empty).
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.parser.last_event_id()
    }

    /// The request for the next connection. The header hook, if any, is
    /// called now.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHeader`] when a host header has an empty name, or a
    /// name or value with CR, LF, NULL (or, in a name, a colon or space):
    /// such a header would be split or injected on the wire.
    pub fn request(&mut self) -> Result<Request, Error> {
        let mut headers: Vec<Header> = Vec::with_capacity(4);
        headers.push(("Accept".into(), "text/event-stream".into()));
        // §9.2.2: the request's cache mode is "no-store".
        headers.push(("Cache-Control".into(), "no-store".into()));
        let id = self.parser.last_event_id();
        if !id.is_empty() {
            headers.push(("Last-Event-ID".into(), ByteString::from(id)));
        }
        if let Some(hook) = &mut self.hook {
            let mut extra = Vec::new();
            hook(self.attempt, &mut extra);
            for (index, (name, value)) in extra.into_iter().enumerate() {
                let bad_name = name.is_empty()
                    || name
                        .bytes()
                        .any(|b| matches!(b, b'\r' | b'\n' | 0 | b':' | b' ' | b'\t'));
                let bad_value = value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0));
                if bad_name || bad_value {
                    return Err(Error::InvalidHeader { index });
                }
                headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
                headers.push((name, value));
            }
        }
        Ok(Request {
            headers,
            attempt: self.attempt,
        })
    }

    /// Judges the response head. `content_type` is the raw `Content-Type`
    /// value, if the response has one.
    ///
    /// Status 200 with a `text/event-stream` essence (parameters such as
    /// `charset` ignored: the body is always UTF-8) opens the stream. Status
    /// 200 with any other type fails. Other statuses follow the rules set
    /// with [`set_status_action`](Self::set_status_action), failing by
    /// default. Redirects are the HTTP client's to follow.
    #[must_use]
    pub fn on_response(&mut self, status: u16, content_type: Option<&[u8]>) -> Action {
        if self.state == ReadyState::Closed {
            return Action::Close { error: None };
        }
        if status == 200 {
            if content_type.is_some_and(is_event_stream) {
                self.state = ReadyState::Open;
                self.attempt = 0;
                return Action::Open;
            }
            return self.fail(Error::BadContentType);
        }
        let rule = self.rules.iter().rev().find(|(r, _)| r.contains(&status));
        match rule.map_or(StatusAction::Fail, |(_, a)| *a) {
            StatusAction::Reconnect => self.reconnect(),
            StatusAction::Fail => self.fail(Error::BadStatus { status }),
        }
    }

    /// Appends body bytes of the open stream.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.parser.feed(chunk);
    }

    /// The next item of the body; a `retry` item also updates the
    /// reconnection time.
    ///
    /// # Errors
    ///
    /// As for [`Decoder::decode`]. A limit error leaves the stream unusable:
    /// the host should [`close`](Self::close) or reconnect.
    #[must_use = "items must be drained until Ok(None)"]
    pub fn next_event(&mut self) -> Result<Option<Item>, Error> {
        let item = self.parser.next_event()?;
        if let Some(Item::Retry(ms)) = item {
            self.reconnection_time = ms;
        }
        Ok(item)
    }

    /// Parses body bytes of the open stream and hands each completed item to
    /// `f`, borrowed (no allocation per item; see [`Parser::feed_with`]). A
    /// `retry` item also updates the reconnection time.
    ///
    /// ```
    /// use codec_sse::client::Client;
    /// use codec_sse::ItemRef;
    ///
    /// let mut c = Client::new();
    /// let mut data = Vec::new();
    /// c.feed_with(b"retry: 250\ndata: hi\n\n", |item| {
    ///     if let ItemRef::Event(ev) = item { data.push(ev.data().to_owned()); }
    /// })?;
    /// assert_eq!((data, c.reconnection_time()), (vec!["hi".to_owned()], 250));
    /// # Ok::<(), codec_sse::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`Parser::feed_with`]: items before the fault are handed to
    /// `f` first. A limit error leaves the stream unusable.
    pub fn feed_with<F: FnMut(ItemRef<'_>)>(
        &mut self,
        chunk: &[u8],
        mut f: F,
    ) -> Result<(), Error> {
        let time = &mut self.reconnection_time;
        let mut each = |item: ItemRef<'_>| {
            if let ItemRef::Retry(ms) = item {
                *time = ms;
            }
            f(item);
        };
        // Through `dyn`: one copy of the parser's loop for every caller that
        // does the same (an indirect call per item, against a second copy
        // of the loop in code size, which matters to the WebAssembly build).
        self.parser
            .feed_with(chunk, &mut each as &mut dyn FnMut(ItemRef<'_>))
    }

    /// The body ended or the connection dropped. What was not dispatched is
    /// discarded; drain [`next_event`](Self::next_event) before calling.
    #[must_use]
    pub fn on_disconnect(&mut self) -> Action {
        self.parser.reset_stream();
        if self.state == ReadyState::Closed {
            return Action::Close { error: None };
        }
        self.reconnect()
    }

    /// Closes the client: no further reconnects.
    pub fn close(&mut self) {
        self.state = ReadyState::Closed;
        self.parser.reset_stream();
    }

    fn reconnect(&mut self) -> Action {
        self.state = ReadyState::Connecting;
        self.attempt = self.attempt.saturating_add(1);
        Action::Reconnect {
            delay_ms: self.reconnection_time,
        }
    }

    fn fail(&mut self, error: Error) -> Action {
        self.state = ReadyState::Closed;
        Action::Close { error: Some(error) }
    }
}

/// Is the MIME type essence `text/event-stream`? Parameters are ignored.
#[must_use]
pub fn is_event_stream(content_type: &[u8]) -> bool {
    let essence = content_type
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default();
    trim_http_ws(essence).eq_ignore_ascii_case(b"text/event-stream")
}

fn trim_http_ws(mut s: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    while s.first().is_some_and(ws) {
        s = &s[1..];
    }
    while s.last().is_some_and(ws) {
        s = &s[..s.len() - 1];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_with_and_next_event_agree_and_track_retry() {
        let body: &[u8] = b"retry: 120\nid: 4\ndata: a\n\nretry: x\ndata: b\nretry: 90\n\n";
        for split in 0..=body.len() {
            let mut a = Client::new();
            let mut owned = Vec::new();
            for part in [&body[..split], &body[split..]] {
                a.feed(part);
                while let Some(item) = a.next_event().unwrap() {
                    owned.push(item);
                }
            }
            let mut b = Client::new();
            let mut borrowed = Vec::new();
            for part in [&body[..split], &body[split..]] {
                b.feed_with(part, |i| borrowed.push(i.to_item())).unwrap();
            }
            assert_eq!(borrowed, owned, "split at {split}");
            assert_eq!((a.reconnection_time(), b.reconnection_time()), (90, 90));
            assert_eq!(
                (a.last_event_id(), b.last_event_id()),
                ("4", "4"),
                "split at {split}"
            );
        }
    }

    #[test]
    fn mime_essence() {
        assert!(is_event_stream(b"text/event-stream"));
        assert!(is_event_stream(b"text/event-stream;"));
        assert!(is_event_stream(
            b" Text/Event-Stream ; charset=windows-1252"
        ));
        assert!(!is_event_stream(b"text/x-bogus"));
        assert!(!is_event_stream(b"x bogus"));
        assert!(!is_event_stream(b"text/event-stream2"));
        assert!(!is_event_stream(b""));
    }
}
