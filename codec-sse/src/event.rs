//! The items the decoder produces and the encoder writes.

use bytestring::ByteString;

/// A message event, as dispatched by a blank line in the stream.
///
/// Values are [`ByteString`]s: valid UTF-8 backed by reference-counted
/// [`bytes::Bytes`], so a decoded value usually shares the received buffer.
///
/// ```
/// use codec_sse::Event;
/// let ev = Event::new("hello").with_event_type("greeting").with_id("7");
/// assert_eq!(ev.event_type(), "greeting");
/// assert_eq!(ev.data(), "hello");
/// assert_eq!(ev.last_event_id(), "7");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    event_type: Option<ByteString>,
    data: ByteString,
    id: Option<ByteString>,
}

impl Event {
    /// An event of type `message` with the given data and no id.
    #[must_use]
    pub fn new(data: impl Into<ByteString>) -> Self {
        Self {
            event_type: None,
            data: data.into(),
            id: None,
        }
    }

    /// Sets the event type (the `event` field). An empty value means `message`.
    #[must_use]
    pub fn with_event_type(mut self, event_type: impl Into<ByteString>) -> Self {
        let t = event_type.into();
        self.event_type = (!t.is_empty()).then_some(t);
        self
    }

    /// Sets the `id` field written with this event; on a decoded event this is
    /// the last event ID in force when it was dispatched.
    #[must_use]
    pub fn with_id(mut self, id: impl Into<ByteString>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The event type: the `event` field, or `message` when none was given
    /// (WHATWG HTML §9.2.6, "dispatch the event", step 5).
    #[must_use]
    pub fn event_type(&self) -> &str {
        self.event_type.as_deref().unwrap_or("message")
    }

    /// The event type exactly as given, `None` when it defaults to `message`.
    #[must_use]
    pub fn explicit_event_type(&self) -> Option<&ByteString> {
        self.event_type.as_ref()
    }

    /// The event data: `data` lines joined with LF.
    #[must_use]
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The event data as a shareable [`ByteString`].
    #[must_use]
    pub fn data_bytes(&self) -> &ByteString {
        &self.data
    }

    /// The id set on this event: for a decoded event, the last event ID in
    /// force (possibly empty); for an event built to be sent, the value given
    /// to [`with_id`](Self::with_id), if any.
    #[must_use]
    pub fn id(&self) -> Option<&ByteString> {
        self.id.as_ref()
    }

    /// What `MessageEvent.lastEventId` shows: the id, or the empty string.
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.id.as_deref().unwrap_or("")
    }

    /// Splits the event into event type (if explicit), data and id.
    #[must_use]
    pub fn into_parts(self) -> (Option<ByteString>, ByteString, Option<ByteString>) {
        (self.event_type, self.data, self.id)
    }

    pub(crate) fn from_parts(
        event_type: Option<ByteString>,
        data: ByteString,
        id: Option<ByteString>,
    ) -> Self {
        Self {
            event_type,
            data,
            id,
        }
    }
}

/// One thing the decoder found in the stream, in stream order.
///
/// The same type is accepted by the encoder, so what is decoded can be sent
/// again.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Item {
    /// A dispatched message event.
    Event(Event),
    /// A valid `retry` field: the new reconnection time in milliseconds.
    Retry(u64),
    /// A block without data committed a last event ID (for example `id: 42`
    /// followed by a blank line). No event is dispatched for such a block,
    /// but a reconnect must carry this id.
    Id(ByteString),
    /// A comment line (text after the colon, one leading space removed).
    /// Only produced when comments are requested.
    Comment(ByteString),
}

impl From<Event> for Item {
    fn from(ev: Event) -> Self {
        Self::Event(ev)
    }
}

/// A message event borrowed from the decoder, as
/// [`Decoder::decode_ref`](crate::Decoder::decode_ref) and
/// [`Parser::next_ref`](crate::Parser::next_ref) hand it out.
///
/// Its strings point into the received bytes (or, for data joined from
/// several lines or an event that spanned several reads, into the decoder's
/// own buffers): reading an event costs no allocation and no reference count.
/// Use [`to_event`](Self::to_event) to keep it past the next call.
///
/// ```
/// use bytes::BytesMut;
/// use codec_sse::{Decoder, ItemRef};
///
/// let mut dec = Decoder::new();
/// let mut buf = BytesMut::from(&b"event: tick\nid: 7\ndata: a\ndata: b\n\n"[..]);
/// let Some(ItemRef::Event(ev)) = dec.decode_ref(&mut buf)? else { panic!() };
/// assert_eq!((ev.event_type(), ev.data(), ev.last_event_id()), ("tick", "a\nb", "7"));
/// let owned = ev.to_event();
/// assert_eq!(dec.decode_ref(&mut buf)?, None);
/// assert_eq!(owned.data(), "a\nb");
/// # Ok::<(), codec_sse::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventRef<'a> {
    event_type: Option<&'a str>,
    data: &'a str,
    id: &'a str,
}

impl<'a> EventRef<'a> {
    pub(crate) fn from_parts(event_type: Option<&'a str>, data: &'a str, id: &'a str) -> Self {
        Self {
            event_type,
            data,
            id,
        }
    }

    /// The event type: the `event` field, or `message` when none was given
    /// (WHATWG HTML §9.2.6, "dispatch the event", step 5).
    #[must_use]
    pub fn event_type(&self) -> &'a str {
        self.event_type.unwrap_or("message")
    }

    /// The event type exactly as given, `None` when it defaults to `message`.
    #[must_use]
    pub fn explicit_event_type(&self) -> Option<&'a str> {
        self.event_type
    }

    /// The event data: `data` lines joined with LF.
    #[must_use]
    pub fn data(&self) -> &'a str {
        self.data
    }

    /// The last event ID in force when the event was dispatched (possibly
    /// empty): what `MessageEvent.lastEventId` shows.
    #[must_use]
    pub fn last_event_id(&self) -> &'a str {
        self.id
    }

    /// An owned copy.
    #[must_use]
    pub fn to_event(&self) -> Event {
        Event::from_parts(
            self.event_type.map(ByteString::from),
            ByteString::from(self.data),
            Some(ByteString::from(self.id)),
        )
    }
}

/// One thing the decoder found in the stream, borrowed from the decoder: the
/// allocation-free counterpart of [`Item`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemRef<'a> {
    /// A dispatched message event.
    Event(EventRef<'a>),
    /// A valid `retry` field: the new reconnection time in milliseconds.
    Retry(u64),
    /// A block without data committed this last event ID (see [`Item::Id`]).
    Id(&'a str),
    /// A comment line (text after the colon, one leading space removed).
    /// Only produced when comments are requested.
    Comment(&'a str),
}

impl ItemRef<'_> {
    /// An owned copy.
    #[must_use]
    pub fn to_item(&self) -> Item {
        match *self {
            Self::Event(ev) => Item::Event(ev.to_event()),
            Self::Retry(ms) => Item::Retry(ms),
            Self::Id(id) => Item::Id(ByteString::from(id)),
            Self::Comment(c) => Item::Comment(ByteString::from(c)),
        }
    }
}
