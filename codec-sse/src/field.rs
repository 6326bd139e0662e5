//! One line of the event stream: which field it is and where its value starts.
//!
//! WHATWG HTML §9.2.6 "Interpreting an event stream": a line starting with a
//! colon is a comment; otherwise the field name runs up to the first colon (or
//! the whole line when there is none), and a single space after the colon is
//! not part of the value. Names are case-sensitive.

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

/// [`classify`] for the line `buf[pos..end]`, reading its first eight bytes
/// at once when `buf` has them (the bytes past `end` are never used).
#[inline(always)]
pub(crate) fn classify_at(buf: &[u8], pos: usize, end: usize) -> (Field, usize) {
    let Some(head) = buf.get(pos..).and_then(<[u8]>::first_chunk::<8>) else {
        return classify(&buf[pos..end]);
    };
    let w = u64::from_le_bytes(*head);
    // The first bytes of the line against a name and its colon. The line
    // end after a shorter line is CR or LF, which no name contains, so a
    // match means the line is long enough; likewise the byte after the colon
    // is a space only if the value starts with one (§9.2.6: it is dropped).
    const fn name(s: &[u8; 8]) -> u64 {
        u64::from_le_bytes(*s)
    }
    const M3: u64 = (1 << 24) - 1;
    const M5: u64 = (1 << 40) - 1;
    const M6: u64 = (1 << 48) - 1;
    let space = |n: u32| usize::from((w >> (8 * n)) as u8 == b' ');
    if w & M5 == name(b"data:\0\0\0") {
        (Field::Data, 5 + space(5))
    } else if w & M3 == name(b"id:\0\0\0\0\0") {
        (Field::Id, 3 + space(3))
    } else if w & M6 == name(b"event:\0\0") {
        (Field::Event, 6 + space(6))
    } else if w & M6 == name(b"retry:\0\0") {
        (Field::Retry, 6 + space(6))
    } else {
        classify(&buf[pos..end])
    }
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
    let name: &[u8] = match head.first() {
        None => return true,
        Some(b':') => return comments,
        Some(b'd') => b"data:",
        Some(b'e') => b"event:",
        Some(b'i') => b"id:",
        Some(b'r') => b"retry:",
        Some(_) => return false,
    };
    head.iter().zip(name).all(|(a, b)| a == b)
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

/// Does an `id` value contain U+0000 NULL (§9.2.6: then it is ignored)?
#[inline(always)]
pub(crate) fn has_nul(value: &[u8]) -> bool {
    // Ids are short: a plain loop beats a search call for them.
    if value.len() < 32 {
        // `contains` would call memchr: slower for a few bytes.
        #[expect(clippy::manual_contains)]
        value.iter().any(|&b| b == 0)
    } else {
        memchr::memchr(0, value).is_some()
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
    fn classify_at_agrees_with_classify() {
        let lines: [&[u8]; 22] = [
            b"data:x",
            b"data: x",
            b"data:  x",
            b"data",
            b"data:",
            b"data: ",
            b"event: a",
            b"event:",
            b"id",
            b"id:",
            b"id: 1",
            b"id:1",
            b"retry:1",
            b"retry: 10",
            b": hi",
            b":",
            b"Data:x",
            b"datax:x",
            b"data\0:x",
            b" data:x",
            b"\xEF\xBB\xBFdata:x",
            b"eventually",
        ];
        for line in lines {
            // Alone (short buffer) and followed by more bytes (word reads).
            let mut buf = line.to_vec();
            assert_eq!(classify_at(&buf, 0, line.len()), classify(line), "{line:?}");
            buf.extend_from_slice(b"\ndata: more\n");
            assert_eq!(classify_at(&buf, 0, line.len()), classify(line), "{line:?}");
            let mut at = b"xx\n".to_vec();
            at.extend_from_slice(&buf);
            assert_eq!(
                classify_at(&at, 3, 3 + line.len()),
                classify(line),
                "{line:?}"
            );
        }
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
    fn nul_anywhere_in_an_id() {
        assert!(!has_nul(b""));
        assert!(!has_nul(b"42"));
        assert!(has_nul(b"4\x002"));
        let mut long = [b'x'; 100];
        assert!(!has_nul(&long));
        long[99] = 0;
        assert!(has_nul(&long));
    }
}
