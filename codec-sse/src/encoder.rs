//! Writing event streams into a caller's [`BytesMut`].
//!
//! Values that would change the meaning of the stream are refused with
//! [`Error::ForbiddenByte`] before anything is written: a CR or LF in an `id`,
//! `event` or comment would end the line early and let the value inject fields
//! or events; a NULL in an `id` makes receivers ignore the id (WHATWG HTML
//! §9.2.6), and is refused in `event` too. Data may hold any text: it is split
//! into one `data:` line per line of the value.

use bytes::{BufMut, BytesMut};

use crate::event::{Event, Item};
use crate::{Error, FieldName};

/// Writes [`Item`]s; the counterpart of [`Decoder`](crate::Decoder).
///
/// ```
/// use bytes::BytesMut;
/// use codec_sse::{Encoder, Event, Item};
///
/// let mut out = BytesMut::new();
/// Encoder::new().encode(&Item::Event(Event::new("a\nb").with_id("1")), &mut out)?;
/// assert_eq!(&out[..], b"id: 1\ndata: a\ndata: b\n\n");
/// # Ok::<(), codec_sse::Error>(())
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct Encoder {
    _private: (),
}

impl Encoder {
    /// A new encoder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes one item: an event, a `retry` line, an id-only block or a comment.
    ///
    /// # Errors
    ///
    /// [`Error::ForbiddenByte`] for a CR, LF or NULL in an `id` or `event`
    /// value, or a CR or LF in a comment; `dst` is then left unchanged.
    pub fn encode(&mut self, item: &Item, dst: &mut BytesMut) -> Result<(), Error> {
        match item {
            Item::Event(ev) => encode_event(ev, dst),
            Item::Retry(ms) => {
                encode_retry(*ms, dst);
                Ok(())
            }
            Item::Id(id) => {
                check(FieldName::Id, id.as_bytes(), true)?;
                write_field(dst, b"id", id.as_bytes());
                dst.put_u8(b'\n');
                Ok(())
            }
            Item::Comment(text) => encode_comment(text, dst),
        }
    }
}

/// Refuses CR and LF (and NULL when `nul`) in a single-line value.
fn check(field: FieldName, value: &[u8], nul: bool) -> Result<(), Error> {
    let hit = if nul {
        memchr::memchr3(b'\r', b'\n', 0, value)
    } else {
        memchr::memchr2(b'\r', b'\n', value)
    };
    match hit {
        Some(at) => Err(Error::ForbiddenByte {
            field,
            byte: value[at],
            at,
        }),
        None => Ok(()),
    }
}

/// `name: value\n`, or `name:\n` for an empty value. The space keeps a value
/// that starts with a space intact: receivers strip exactly one.
fn write_field(dst: &mut BytesMut, name: &[u8], value: &[u8]) {
    dst.reserve(name.len() + value.len() + 3);
    dst.put_slice(name);
    if value.is_empty() {
        dst.put_slice(b":\n");
    } else {
        dst.put_slice(b": ");
        dst.put_slice(value);
        dst.put_u8(b'\n');
    }
}

/// Writes an event block: `event`, `id`, one `data` line per line of the data
/// (split on CRLF, CR and LF, as the receiver splits lines), and a blank line.
///
/// Empty data gives one `data:` line, so the event is still dispatched; data
/// ending in a line break gives a final empty `data:` line, so the receiver
/// gets the line break back (as LF).
///
/// # Errors
///
/// [`Error::ForbiddenByte`] for a CR, LF or NULL in the event type or id;
/// nothing is written then.
pub fn encode_event(ev: &Event, dst: &mut BytesMut) -> Result<(), Error> {
    if let Some(t) = ev.explicit_event_type() {
        check(FieldName::Event, t.as_bytes(), true)?;
    }
    if let Some(id) = ev.id() {
        check(FieldName::Id, id.as_bytes(), true)?;
    }
    if let Some(t) = ev.explicit_event_type() {
        write_field(dst, b"event", t.as_bytes());
    }
    if let Some(id) = ev.id() {
        write_field(dst, b"id", id.as_bytes());
    }
    let mut data = ev.data().as_bytes();
    dst.reserve(data.len() + 8);
    loop {
        match memchr::memchr2(b'\r', b'\n', data) {
            Some(i) => {
                write_field(dst, b"data", &data[..i]);
                let skip = if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                data = &data[i + skip..];
            }
            None => {
                write_field(dst, b"data", data);
                break;
            }
        }
    }
    dst.put_u8(b'\n');
    Ok(())
}

/// Writes `retry: <ms>\n`, setting the client's reconnection time.
pub fn encode_retry(ms: u64, dst: &mut BytesMut) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = ms;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    write_field(dst, b"retry", &digits[i..]);
}

/// Writes a comment line `: text\n` (`:\n` when empty). Receivers ignore it;
/// it keeps idle connections and proxies alive.
///
/// # Errors
///
/// [`Error::ForbiddenByte`] when the text contains CR or LF.
pub fn encode_comment(text: &str, dst: &mut BytesMut) -> Result<(), Error> {
    check(FieldName::Comment, text.as_bytes(), false)?;
    write_field(dst, b"", text.as_bytes());
    Ok(())
}

/// Writes a keep-alive heartbeat: the empty comment `:\n`.
pub fn encode_heartbeat(dst: &mut BytesMut) {
    dst.put_slice(b":\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn ev(e: &Event) -> Result<Vec<u8>, Error> {
        let mut b = BytesMut::new();
        encode_event(e, &mut b).map(|()| b.to_vec())
    }

    #[test]
    fn data_lines() {
        assert_eq!(ev(&Event::new("")).unwrap(), b"data:\n\n");
        assert_eq!(
            ev(&Event::new("a\r\nb\rc\nd")).unwrap(),
            b"data: a\ndata: b\ndata: c\ndata: d\n\n"
        );
        assert_eq!(ev(&Event::new("a\n")).unwrap(), b"data: a\ndata:\n\n");
        assert_eq!(ev(&Event::new(" x")).unwrap(), b"data:  x\n\n");
        assert_eq!(ev(&Event::new("\r\n")).unwrap(), b"data:\ndata:\n\n");
    }

    #[test]
    fn fields_and_errors() {
        let e = Event::new("x").with_event_type("t").with_id("");
        assert_eq!(ev(&e).unwrap(), b"event: t\nid:\ndata: x\n\n");
        let bad = Event::new("x").with_id("1\n\ndata: injected");
        assert_eq!(
            ev(&bad),
            Err(Error::ForbiddenByte {
                field: FieldName::Id,
                byte: b'\n',
                at: 1
            })
        );
        let bad = Event::new("x").with_event_type("a\rb");
        assert!(matches!(
            ev(&bad),
            Err(Error::ForbiddenByte {
                field: FieldName::Event,
                at: 1,
                ..
            })
        ));
        let bad = Event::new("x").with_id("a\0");
        assert!(matches!(
            ev(&bad),
            Err(Error::ForbiddenByte { byte: 0, .. })
        ));
        let mut b = BytesMut::new();
        assert!(encode_comment("a\nb", &mut b).is_err());
        assert!(b.is_empty(), "nothing written on error");
        encode_comment("hi", &mut b).unwrap();
        encode_comment("", &mut b).unwrap();
        encode_heartbeat(&mut b);
        encode_retry(0, &mut b);
        encode_retry(u64::MAX, &mut b);
        assert_eq!(
            &b[..],
            b": hi\n:\n:\nretry: 0\nretry: 18446744073709551615\n"
        );
    }
}
