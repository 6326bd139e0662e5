//! A whole-message decoder: head, then body events, then the end, for a
//! stream of requests (server side) or responses (client side).

use alloc::collections::VecDeque;
use alloc::string::String;
use bytes::{Buf, Bytes, BytesMut};

use crate::body_framing::{request_body, response_body, BodyKind};
use crate::chunked::{ChunkHeader, ChunkedDecoder, ChunkedEvent};
use crate::head::{
    parse_request, parse_response, scan_in_place, HeadScanner, RequestHead, ResponseHead, Spans,
};
use crate::headers::Headers;
use crate::{Error, Leniency, Limits};

/// Which side of the connection we are: a server reads requests, a client
/// reads responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reads responses.
    Client,
    /// Reads requests.
    Server,
}

/// What [`MessageDecoder::decode`] produces.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A request head (server role). The body framing is in `body`.
    Request {
        /// The head.
        head: RequestHead,
        /// How the body is delimited.
        body: BodyKind,
    },
    /// A response head (client role).
    Response {
        /// The head.
        head: ResponseHead,
        /// How the body is delimited.
        body: BodyKind,
    },
    /// A chunk-size line of a chunked body (with its extensions).
    Chunk(ChunkHeader),
    /// A piece of the body.
    Data(Bytes),
    /// The message is complete; trailers of a chunked body (else empty).
    End(Headers),
    /// The connection switched protocols (101, or 2xx to CONNECT): every
    /// later byte in the buffer belongs to the new protocol and is left alone.
    Upgrade,
}

#[derive(Debug, Clone)]
enum State {
    Head,
    Length(u64),
    Chunked(ChunkedDecoder),
    Close,
    UpgradePending,
    Upgraded,
    Closed,
}

/// Incremental HTTP/1.1 message decoder (tokio-util `Decoder` shape).
///
/// Call [`decode`](Self::decode) until `Ok(None)`, feed more bytes, repeat;
/// call [`decode_eof`](Self::decode_eof) at end of input. Error offsets
/// count from the first byte ever given to this decoder.
///
/// ```
/// use bytes::BytesMut;
/// use codec_http_longpoll::{Event, MessageDecoder, Role};
///
/// let mut dec = MessageDecoder::new(Role::Server);
/// let mut buf = BytesMut::from(&b"POST /publish HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"[..]);
/// let mut body = Vec::new();
/// while let Some(ev) = dec.decode(&mut buf)? {
///     match ev {
///         Event::Request { head, .. } => assert_eq!(head.path(), "/publish"),
///         Event::Data(d) => body.extend_from_slice(&d),
///         Event::End(_) => break,
///         _ => {}
///     }
/// }
/// assert_eq!(body, b"hi");
/// # Ok::<(), codec_http_longpoll::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MessageDecoder {
    role: Role,
    limits: Limits,
    leniency: Leniency,
    state: State,
    scanner: HeadScanner,
    /// The fast path's parse result (reused: its field list is allocated once).
    spans: Spans,
    consumed: u64,
    body_start: u64,
    methods: VecDeque<String>,
    error: Option<Error>,
}

impl MessageDecoder {
    /// A strict decoder with default limits.
    #[must_use]
    pub fn new(role: Role) -> Self {
        Self::with_config(role, Limits::default(), Leniency::default())
    }

    /// A decoder with the given limits and leniency.
    #[must_use]
    pub fn with_config(role: Role, limits: Limits, leniency: Leniency) -> Self {
        Self {
            role,
            limits,
            leniency,
            state: State::Head,
            scanner: HeadScanner::default(),
            spans: Spans::default(),
            consumed: 0,
            body_start: 0,
            methods: VecDeque::new(),
            error: None,
        }
    }

    /// Client role: the method of the next request sent, so the response is
    /// framed right (a HEAD response has no body, a 2xx to CONNECT is a
    /// tunnel). Call once per request, in order; `GET` is assumed when none
    /// is queued.
    pub fn expect_response_to(&mut self, method: &str) {
        self.methods.push_back(String::from(method));
    }

    /// True between messages (no partial head or body pending).
    #[must_use]
    pub fn is_idle(&self) -> bool {
        matches!(self.state, State::Head)
    }

    /// Bytes consumed so far.
    #[must_use]
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Decode the next event, removing the bytes used from `src`.
    ///
    /// # Errors
    /// Malformed heads, smuggling-prone framing, chunked-coding errors and
    /// limit overruns; sticky.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Event>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let r = self.step(src);
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    /// Decode at end of input: a close-delimited body ends here; a partial
    /// head or body is [`Error::UnexpectedEof`].
    ///
    /// # Errors
    /// As `decode`, plus `UnexpectedEof`.
    pub fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Event>, Error> {
        if let Some(ev) = self.decode(src)? {
            return Ok(Some(ev));
        }
        let r = match &mut self.state {
            State::Head if src.is_empty() => Ok(None),
            State::Close => {
                self.state = State::Closed;
                Ok(Some(Event::End(Headers::new())))
            }
            State::Chunked(c) => c
                .decode_eof(src)
                .map(|_| None)
                .map_err(|e| e.shifted(self.body_start)),
            State::Upgraded | State::Closed => Ok(None),
            _ => Err(Error::UnexpectedEof {
                offset: self.consumed + src.len() as u64,
            }),
        };
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    fn step(&mut self, src: &mut BytesMut) -> Result<Option<Event>, Error> {
        match &mut self.state {
            State::Head => self.head(src),
            State::Length(0) => {
                self.state = State::Head;
                Ok(Some(Event::End(Headers::new())))
            }
            State::Length(remaining) => {
                if src.is_empty() {
                    return Ok(None);
                }
                let n = usize::try_from(*remaining)
                    .unwrap_or(usize::MAX)
                    .min(src.len());
                // A remaining count of 0 (the End event) is handled above.
                *remaining -= n as u64;
                self.consumed += n as u64;
                Ok(Some(Event::Data(src.split_to(n).freeze())))
            }
            State::Chunked(c) => {
                let before = c.consumed();
                let r = c.decode(src).map_err(|e| e.shifted(self.body_start));
                self.consumed += c.consumed() - before;
                match r? {
                    None => Ok(None),
                    Some(ChunkedEvent::Chunk(h)) => Ok(Some(Event::Chunk(h))),
                    Some(ChunkedEvent::Data(d)) => Ok(Some(Event::Data(d))),
                    Some(ChunkedEvent::End(t)) => {
                        self.state = State::Head;
                        Ok(Some(Event::End(t)))
                    }
                }
            }
            State::Close => {
                if src.is_empty() {
                    return Ok(None);
                }
                self.consumed += src.len() as u64;
                Ok(Some(Event::Data(src.split().freeze())))
            }
            State::UpgradePending => {
                self.state = State::Upgraded;
                Ok(Some(Event::Upgrade))
            }
            State::Upgraded | State::Closed => Ok(None),
        }
    }

    fn head(&mut self, src: &mut BytesMut) -> Result<Option<Event>, Error> {
        // A Length(0) state means "data done, End pending" and is handled
        // by step(); here we only parse heads.
        let server = self.role == Role::Server;
        // Fast path: the whole head is already in the buffer (see
        // `scan_in_place` for why it agrees with the general path).
        if self.scanner.is_fresh()
            && !self.leniency.allow_lenient_headers
            && scan_in_place(src, server, &self.limits, &mut self.spans)
        {
            let head_start = self.consumed;
            let raw = src.split_to(self.spans.len).freeze();
            self.consumed += self.spans.len as u64;
            self.body_start = self.consumed;
            return if server {
                let head = self.spans.request(raw);
                self.request(head, head_start)
            } else {
                let head = self.spans.response(raw);
                self.response(head, head_start)
            }
            .map(Some);
        }
        let Some((leading, len)) = self
            .scanner
            .scan(src, &self.limits, &self.leniency)
            .map_err(|e| e.shifted(self.consumed))?
        else {
            return Ok(None);
        };
        let head_start = self.consumed + leading as u64;
        src.advance(leading);
        let raw = src.split_to(len - leading).freeze();
        self.consumed += len as u64;
        self.body_start = self.consumed;
        if server {
            let head = parse_request(&raw, &self.limits, &self.leniency)
                .map_err(|e| e.shifted(head_start))?;
            self.request(head, head_start)
        } else {
            let head = parse_response(&raw, &self.limits, &self.leniency)
                .map_err(|e| e.shifted(head_start))?;
            self.response(head, head_start)
        }
        .map(Some)
    }

    /// Frame the body of a request head that starts at `head_start`.
    fn request(&mut self, head: RequestHead, head_start: u64) -> Result<Event, Error> {
        let body = request_body(&head, &self.leniency).map_err(|e| e.shifted(head_start))?;
        self.enter(body);
        Ok(Event::Request { head, body })
    }

    /// Frame the body of a response head that starts at `head_start`.
    fn response(&mut self, head: ResponseHead, head_start: u64) -> Result<Event, Error> {
        let informational = (100..200).contains(&head.status()) && head.status() != 101;
        let method = if informational {
            self.methods.front().cloned()
        } else {
            self.methods.pop_front()
        };
        let body = response_body(&head, method.as_deref().unwrap_or("GET"), &self.leniency)
            .map_err(|e| e.shifted(head_start))?;
        self.enter(body);
        Ok(Event::Response { head, body })
    }

    fn enter(&mut self, body: BodyKind) {
        self.state = match body {
            BodyKind::Length(n) => State::Length(n),
            BodyKind::Chunked => {
                State::Chunked(ChunkedDecoder::with_config(self.limits, self.leniency))
            }
            BodyKind::CloseDelimited => State::Close,
            BodyKind::Upgrade => State::UpgradePending,
            // An empty body: the End event comes next.
            _ => State::Length(0),
        };
    }

    /// True once a 101 / CONNECT tunnel was seen: the rest of the stream is
    /// not HTTP/1.1.
    #[must_use]
    pub fn is_upgraded(&self) -> bool {
        matches!(self.state, State::Upgraded | State::UpgradePending)
    }
}
