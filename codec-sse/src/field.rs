//! One line of the event stream: which field it is and where its value starts.
//!
//! WHATWG HTML §9.2.6 "Interpreting an event stream": a line starting with a
//! colon is a comment; otherwise the field name runs up to the first colon (or
//! the whole line when there is none), and a single space after the colon is
//! not part of the value. Names are case-sensitive.

use alloc::string::String;
use bytes::Bytes;
use bytestring::ByteString;

/// The fields the standard gives a meaning to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Comment,
    Data,
    Event,
    Id,
    Retry,
    /// Any other name: ignored (§9.2.6 "Otherwise: the field is ignored").
    Other,
}

/// Classifies a complete line (without its line end, never empty) and returns
/// the index where the value starts.
#[inline(always)]
pub(crate) fn classify(line: &[u8]) -> (Field, usize) {
    let (field, name_len) = match line.first() {
        Some(b':') => return (Field::Comment, value_start(line, 1)),
        Some(b'd') if has_name(line, b"data") => (Field::Data, 4),
        Some(b'e') if has_name(line, b"event") => (Field::Event, 5),
        Some(b'i') if has_name(line, b"id") => (Field::Id, 2),
        Some(b'r') if has_name(line, b"retry") => (Field::Retry, 5),
        _ => return (Field::Other, line.len()),
    };
    // A known name followed by a colon or by the end of the line; in the
    // latter case the value is empty.
    (field, value_start(line, name_len + 1))
}

#[inline]
fn has_name(line: &[u8], name: &[u8]) -> bool {
    line.starts_with(name) && line.get(name.len()).is_none_or(|&b| b == b':')
}

/// Index after the colon, skipping one U+0020 SPACE (only one: §9.2.6).
#[inline]
fn value_start(line: &[u8], after_colon: usize) -> usize {
    match line.get(after_colon) {
        Some(b' ') => after_colon + 1,
        Some(_) => after_colon,
        None => line.len(),
    }
}

/// Could an unterminated line that starts with `head` still become a field
/// that matters? Used to skip unknown fields without buffering them.
pub(crate) fn may_matter(head: &[u8], comments: bool) -> bool {
    const NAMES: [&[u8]; 4] = [b"data:", b"event:", b"id:", b"retry:"];
    match head.first() {
        None => true,
        Some(b':') => comments,
        Some(_) => NAMES.iter().any(|n| {
            let k = head.len().min(n.len());
            head[..k] == n[..k]
        }),
    }
}

/// `retry`: only ASCII digits, read in base ten (§9.2.6). An empty value, any
/// other byte, or a value beyond `u64` is ignored.
pub(crate) fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |acc, &b| {
        if b.is_ascii_digit() {
            acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// UTF-8 decodes one value, replacing each maximal invalid subpart with
/// U+FFFD as the WHATWG UTF-8 decoder does. Valid input is shared, not copied.
///
/// Decoding each value on its own gives the same text as decoding the whole
/// stream: values are cut at ASCII bytes (CR, LF, colon), and a UTF-8 decoder
/// never lets an ASCII byte join an invalid sequence.
#[inline]
pub(crate) fn text(bytes: Bytes) -> ByteString {
    if bytes.is_ascii() || core::str::from_utf8(&bytes).is_ok() {
        // Validated just above, so this cannot fail; the fallback keeps it panic-free.
        ByteString::try_from(bytes).unwrap_or_default()
    } else {
        ByteString::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_known_and_unknown() {
        assert_eq!(classify(b"data:x"), (Field::Data, 5));
        assert_eq!(classify(b"data: x"), (Field::Data, 6));
        assert_eq!(classify(b"data:  x"), (Field::Data, 6));
        assert_eq!(classify(b"data"), (Field::Data, 4));
        assert_eq!(classify(b"data:"), (Field::Data, 5));
        assert_eq!(classify(b"event: a"), (Field::Event, 7));
        assert_eq!(classify(b"id"), (Field::Id, 2));
        assert_eq!(classify(b"retry:1"), (Field::Retry, 6));
        assert_eq!(classify(b": hi"), (Field::Comment, 2));
        assert_eq!(classify(b":"), (Field::Comment, 1));
        assert_eq!(classify(b"Data:x").0, Field::Other);
        assert_eq!(classify(b"datax:x").0, Field::Other);
        assert_eq!(classify(b"data\0:x").0, Field::Other);
        assert_eq!(classify(b" data:x").0, Field::Other);
        assert_eq!(classify(b"\xEF\xBB\xBFdata:x").0, Field::Other);
    }

    #[test]
    fn retry_digits_only() {
        assert_eq!(parse_retry(b"02000"), Some(2000));
        assert_eq!(parse_retry(b"0"), Some(0));
        assert_eq!(parse_retry(b""), None);
        assert_eq!(parse_retry(b"1000x"), None);
        assert_eq!(parse_retry(b" 1"), None);
        assert_eq!(parse_retry(b"-1"), None);
        assert_eq!(parse_retry(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_retry(b"18446744073709551616"), None);
    }

    #[test]
    fn may_matter_prefixes() {
        assert!(may_matter(b"", false));
        assert!(may_matter(b"da", false));
        assert!(may_matter(b"data", false));
        assert!(may_matter(b"data:xxxxxxxx", false));
        assert!(may_matter(b"retry:", false));
        assert!(!may_matter(b"dat_", false));
        assert!(!may_matter(b"foo", false));
        assert!(!may_matter(b":x", false));
        assert!(may_matter(b":x", true));
    }

    #[test]
    fn text_replaces_invalid_sequences() {
        assert_eq!(&*text(Bytes::from_static(b"ok\xE2\x80\xA6")), "ok\u{2026}");
        assert_eq!(&*text(Bytes::from_static(b"a\xE2\x80b")), "a\u{FFFD}b");
        assert_eq!(&*text(Bytes::from_static(b"\xFF\xFE")), "\u{FFFD}\u{FFFD}");
        assert_eq!(&*text(Bytes::from_static(b"\xE2\x80")), "\u{FFFD}");
    }
}
