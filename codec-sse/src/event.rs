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
