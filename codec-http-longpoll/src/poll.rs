//! A Sans-IO poll scheduler for clients: from each response (status,
//! fields, body size) and the time the caller passes in, it says when to
//! send the next request and with which conditional fields.

use alloc::borrow::Cow;

use bytes::Bytes;

use crate::error::Error;
use crate::fields::RetryAfter;
use crate::head::ResponseHead;
use crate::headers::Headers;
use crate::syntax::is_token;

/// Scheduler settings (times in milliseconds).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollConfig {
    /// Wait after a 200 with a body or a 304. Default 1000 ms (0 for long polling).
    pub interval_ms: u64,
    /// First back-off after an error. Default 500 ms.
    pub backoff_base_ms: u64,
    /// Largest back-off (and largest honoured Retry-After). Default 60 000 ms.
    pub backoff_max_ms: u64,
    /// Response field whose value is sent back on the next request (a
    /// cursor such as `X-Cursor`), if any. Default none.
    pub cursor_field: Option<Cow<'static, str>>,
}

impl Default for PollConfig {
    fn default() -> Self {
        Self {
            interval_ms: 1000,
            backoff_base_ms: 500,
            backoff_max_ms: 60_000,
            cursor_field: None,
        }
    }
}

impl PollConfig {
    /// Set [`PollConfig::interval_ms`].
    #[must_use]
    pub fn interval_ms(mut self, v: u64) -> Self {
        self.interval_ms = v;
        self
    }
    /// Set [`PollConfig::backoff_base_ms`].
    #[must_use]
    pub fn backoff_base_ms(mut self, v: u64) -> Self {
        self.backoff_base_ms = v;
        self
    }
    /// Set [`PollConfig::backoff_max_ms`].
    #[must_use]
    pub fn backoff_max_ms(mut self, v: u64) -> Self {
        self.backoff_max_ms = v;
        self
    }
    /// Set [`PollConfig::cursor_field`].
    #[must_use]
    pub fn cursor_field<S: Into<Cow<'static, str>>>(mut self, v: Option<S>) -> Self {
        self.cursor_field = v.map(Into::into);
        self
    }
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextPoll {
    /// Send the next request at this time (caller's clock, ms).
    At(u64),
    /// The server ended the stream (204): stop polling.
    Closed,
}

/// The poll scheduler. Feed it every response with
/// [`on_response`](Self::on_response) (or [`on_failure`](Self::on_failure)
/// for a transport error) and build the next request with
/// [`conditional_headers`](Self::conditional_headers).
///
/// ```
/// use codec_http_longpoll::{NextPoll, PollConfig, PollScheduler, ResponseHead};
///
/// let mut s = PollScheduler::new(PollConfig::default().interval_ms(2000));
/// let ok = ResponseHead::new(200)?.header("ETag", "\"v1\"")?;
/// assert_eq!(s.on_response(10_000, None, &ok, 5, 0), NextPoll::At(12_000));
/// assert_eq!(s.conditional_headers().get("if-none-match"), Some(&b"\"v1\""[..]));
/// let not_modified = ResponseHead::new(304)?;
/// assert_eq!(s.on_response(12_050, None, &not_modified, 0, 0), NextPoll::At(14_050));
/// # Ok::<(), codec_http_longpoll::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PollScheduler {
    config: PollConfig,
    etag: Option<Bytes>,
    last_modified: Option<Bytes>,
    cursor: Option<Bytes>,
    failures: u32,
    closed: bool,
}

impl PollScheduler {
    /// A scheduler with `config`. A [`cursor_field`](PollConfig::cursor_field)
    /// that is not a valid field name is never sent; [`try_new`](Self::try_new)
    /// refuses it instead.
    #[must_use]
    pub fn new(config: PollConfig) -> Self {
        Self {
            config,
            etag: None,
            last_modified: None,
            cursor: None,
            failures: 0,
            closed: false,
        }
    }

    /// A scheduler with `config`, checked first.
    ///
    /// # Errors
    /// [`Error::InvalidHeaderInput`] when `config.cursor_field` is not a
    /// field name (RFC 9110 §5.1: a token), which no request could carry.
    ///
    /// ```
    /// use codec_http_longpoll::{Error, PollConfig, PollScheduler};
    ///
    /// assert!(PollScheduler::try_new(PollConfig::default().cursor_field(Some("X-Cursor"))).is_ok());
    /// let bad = PollConfig::default().cursor_field(Some("X Cursor"));
    /// assert!(matches!(PollScheduler::try_new(bad), Err(Error::InvalidHeaderInput)));
    /// ```
    pub fn try_new(config: PollConfig) -> Result<Self, Error> {
        if config
            .cursor_field
            .as_ref()
            .is_some_and(|name| !is_token(name.as_bytes()))
        {
            return Err(Error::InvalidHeaderInput);
        }
        Ok(Self::new(config))
    }

    /// True after a 204.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Consecutive failures so far.
    #[must_use]
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Take in a response received at `now_ms`. `now_unix` (wall clock, s)
    /// is needed only for a Retry-After given as an HTTP-date; `random` is
    /// any random value from the caller, used for back-off jitter.
    pub fn on_response(
        &mut self,
        now_ms: u64,
        now_unix: Option<u64>,
        head: &ResponseHead,
        body_len: u64,
        random: u32,
    ) -> NextPoll {
        if self.closed {
            return NextPoll::Closed;
        }
        let h = &head.headers;
        match head.status() {
            200..=299 if head.status() != 204 => {
                self.failures = 0;
                self.remember(h);
                if body_len == 0 {
                    // An empty 200: the hold timed out; ask again at once.
                    NextPoll::At(now_ms)
                } else {
                    NextPoll::At(now_ms.saturating_add(self.config.interval_ms))
                }
            }
            204 => {
                self.closed = true;
                NextPoll::Closed
            }
            304 => {
                self.failures = 0;
                self.remember(h);
                NextPoll::At(now_ms.saturating_add(self.config.interval_ms))
            }
            429 | 503 => {
                let retry =
                    h.get("retry-after")
                        .and_then(RetryAfter::parse)
                        .and_then(|r| match r {
                            RetryAfter::Seconds(s) => Some(s),
                            RetryAfter::Date(_) => now_unix.map(|n| r.delay_secs(n)),
                        });
                match retry {
                    Some(s) => {
                        self.failures = self.failures.saturating_add(1);
                        let ms = s.saturating_mul(1000).min(self.config.backoff_max_ms);
                        NextPoll::At(now_ms.saturating_add(ms))
                    }
                    None => self.on_failure(now_ms, random),
                }
            }
            _ => self.on_failure(now_ms, random),
        }
    }

    /// A failed request (transport error or error status): exponential
    /// back-off with "equal jitter": half the back-off fixed, half random.
    pub fn on_failure(&mut self, now_ms: u64, random: u32) -> NextPoll {
        if self.closed {
            return NextPoll::Closed;
        }
        let exp = self.failures.min(30);
        self.failures = self.failures.saturating_add(1);
        let backoff = self
            .config
            .backoff_base_ms
            .saturating_mul(1u64 << exp)
            .min(self.config.backoff_max_ms);
        let half = backoff / 2;
        let jitter = if half == 0 {
            0
        } else {
            u64::from(random) % (half + 1)
        };
        NextPoll::At(now_ms.saturating_add(half + jitter))
    }

    fn remember(&mut self, h: &Headers) {
        if let Some(f) = h.iter().find(|f| f.is("etag")) {
            self.etag = Some(f.value_bytes().clone());
        }
        if let Some(f) = h.iter().find(|f| f.is("last-modified")) {
            self.last_modified = Some(f.value_bytes().clone());
        }
        if let Some(name) = &self.config.cursor_field {
            if let Some(f) = h.iter().find(|f| f.is(name)) {
                self.cursor = Some(f.value_bytes().clone());
            }
        }
    }

    /// The conditional fields for the next request: If-None-Match (from the
    /// last ETag), If-Modified-Since (from Last-Modified) and the cursor field.
    #[must_use]
    pub fn conditional_headers(&self) -> Headers {
        let mut h = Headers::new();
        // The values came from a parsed response, so they are valid field values.
        if let Some(e) = &self.etag {
            let _ = h.push("If-None-Match", e.clone());
        }
        if let Some(l) = &self.last_modified {
            let _ = h.push("If-Modified-Since", l.clone());
        }
        if let (Some(name), Some(c)) = (&self.config.cursor_field, &self.cursor) {
            let name = match name {
                Cow::Borrowed(s) => Bytes::from_static(s.as_bytes()),
                Cow::Owned(s) => Bytes::copy_from_slice(s.as_bytes()),
            };
            let _ = h.push(name, c.clone());
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(status: u16, fields: &[(&'static str, &'static str)]) -> ResponseHead {
        let mut h = ResponseHead::new(status).unwrap();
        for (n, v) in fields {
            h = h.header(*n, *v).unwrap();
        }
        h
    }

    #[test]
    fn statuses() {
        let mut s = PollScheduler::new(PollConfig::default().cursor_field(Some("X-Cursor")));
        assert_eq!(
            s.on_response(100, None, &res(200, &[("X-Cursor", "7")]), 0, 0),
            NextPoll::At(100)
        );
        assert_eq!(s.conditional_headers().get("x-cursor"), Some(&b"7"[..]));
        assert_eq!(
            s.on_response(100, None, &res(200, &[]), 3, 0),
            NextPoll::At(1100)
        );
        assert_eq!(
            s.on_response(0, None, &res(429, &[("Retry-After", "7")]), 0, 0),
            NextPoll::At(7000)
        );
        assert_eq!(
            s.on_response(
                0,
                Some(784_111_770),
                &res(503, &[("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")]),
                0,
                0
            ),
            NextPoll::At(7000)
        );
        assert_eq!(
            s.on_response(0, None, &res(429, &[("Retry-After", "99999")]), 0, 0),
            NextPoll::At(60_000)
        );
        assert_eq!(
            s.on_response(5, None, &res(204, &[]), 0, 0),
            NextPoll::Closed
        );
        assert!(s.is_closed());
        assert_eq!(s.on_failure(5, 0), NextPoll::Closed);
    }

    #[test]
    fn backoff_grows_with_bounded_jitter() {
        let mut s = PollScheduler::new(PollConfig::default());
        let mut last_max = 0;
        for i in 0..10 {
            let r = s.on_response(0, None, &res(500, &[]), 0, u32::MAX - i);
            let NextPoll::At(t) = r else { panic!() };
            let backoff = (500u64 << i).min(60_000);
            assert!(t >= backoff / 2 && t <= backoff, "{i}: {t}");
            last_max = last_max.max(t);
        }
        assert!(last_max <= 60_000);
        assert_eq!(s.failures(), 10);
        s.on_response(0, None, &res(304, &[]), 0, 0);
        assert_eq!(s.failures(), 0);
    }
}
