//! Incremental UTF-8 validation across frame pieces (RFC 6455 §8.1: fail as soon as
//! the bytes cannot be UTF-8, not only at the end of the message).

/// Validates UTF-8 fed in arbitrary pieces; keeps at most 3 bytes of an incomplete
/// character between calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Utf8Validator {
    partial: [u8; 4],
    len: u8,
}

impl Utf8Validator {
    /// Validates the next piece. On failure returns how many bytes before the end of
    /// `chunk` the invalid sequence starts (it may have started in an earlier piece), so
    /// the reported position does not depend on how the input was split.
    #[inline]
    pub(crate) fn feed(&mut self, mut chunk: &[u8]) -> Result<(), usize> {
        if self.len != 0 {
            let have = usize::from(self.len);
            let need = char_width(self.partial[0]);
            let take = (need - have).min(chunk.len());
            self.partial[have..have + take].copy_from_slice(&chunk[..take]);
            match core::str::from_utf8(&self.partial[..have + take]) {
                Ok(_) => self.len = 0,
                Err(e) if e.error_len().is_none() => {
                    self.len = (have + take) as u8;
                    return Ok(());
                }
                Err(_) => {
                    // The bad sequence starts at the carried lead byte.
                    return Err(chunk.len() + have);
                }
            }
            chunk = &chunk[take..];
        }
        if is_utf8(chunk) {
            return Ok(());
        }
        match simdutf8::compat::from_utf8(chunk) {
            Ok(_) => Ok(()),
            Err(e) => match e.error_len() {
                None => {
                    // A valid but incomplete character at the end: keep it for the next piece.
                    let tail = &chunk[e.valid_up_to()..];
                    self.partial[..tail.len()].copy_from_slice(tail);
                    self.len = tail.len() as u8;
                    Ok(())
                }
                Some(_) => Err(chunk.len() - e.valid_up_to()),
            },
        }
    }

    /// True when no incomplete character is pending (the message may end here).
    #[inline]
    pub(crate) fn is_complete(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn reset(&mut self) {
        self.len = 0;
    }
}

/// Pieces up to this long are first tested for all-ASCII a word at a time; longer ones go
/// straight to simdutf8, which has its own (SIMD) ASCII fast path.
const ASCII_FIRST: usize = 256;

/// True when `chunk` is whole, valid UTF-8.
#[inline]
fn is_utf8(chunk: &[u8]) -> bool {
    // Small all-ASCII pieces are the common case for chat-like text.
    (chunk.len() <= ASCII_FIRST && is_ascii(chunk)) || simdutf8::basic::from_utf8(chunk).is_ok()
}

/// The all-ASCII word test: ORs the bytes together eight at a time (no branch per word, so
/// the compiler turns it into SIMD with the baseline target features), then looks at the
/// top bits once.
#[inline]
pub(crate) fn is_ascii(chunk: &[u8]) -> bool {
    let mut acc = 0u64;
    let mut words = chunk.chunks_exact(8);
    for w in &mut words {
        let mut a = [0; 8];
        a.copy_from_slice(w);
        acc |= u64::from_ne_bytes(a);
    }
    let tail = words.remainder().iter().fold(0, |t, &b| t | b);
    (acc | u64::from(tail)) & 0x8080_8080_8080_8080 == 0
}

/// Validates a complete message on its own (no carried state). On failure returns how many
/// bytes before the end of `chunk` the bad sequence starts, 0 when the text ends inside a
/// character (as [`Utf8Validator::feed`] followed by [`Utf8Validator::is_complete`]).
#[inline]
pub(crate) fn validate_whole(chunk: &[u8]) -> Result<(), usize> {
    if is_utf8(chunk) {
        return Ok(());
    }
    match simdutf8::compat::from_utf8(chunk) {
        Ok(_) => Ok(()),
        Err(e) if e.error_len().is_none() => Err(0),
        Err(e) => Err(chunk.len() - e.valid_up_to()),
    }
}

/// Width of the character a valid lead byte starts (only called on lead bytes that
/// `from_utf8` accepted as the start of an incomplete sequence, so 2-4).
fn char_width(lead: u8) -> usize {
    match lead {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn check_all_splits(bytes: &[u8]) {
        let whole_ok = core::str::from_utf8(bytes).is_ok();
        for cut in 0..=bytes.len() {
            let mut v = Utf8Validator::default();
            let r = v.feed(&bytes[..cut]).and_then(|()| v.feed(&bytes[cut..]));
            assert_eq!(
                r.is_ok() && v.is_complete(),
                whole_ok,
                "{bytes:x?} cut {cut}"
            );
        }
        // One byte at a time: fails at the same byte as std reports.
        let mut v = Utf8Validator::default();
        let mut failed_at = None;
        for (i, b) in bytes.iter().enumerate() {
            if v.feed(core::slice::from_ref(b)).is_err() {
                failed_at = Some(i);
                break;
            }
        }
        if let Err(e) = core::str::from_utf8(bytes) {
            if let Some(n) = e.error_len() {
                // std's bad sequence ends at valid_up_to + n; we fail no later than that byte.
                let at = failed_at.expect("must fail");
                assert!(
                    at >= e.valid_up_to() && at <= e.valid_up_to() + n,
                    "{bytes:x?}"
                );
            }
        }
    }

    #[test]
    fn splits_agree_with_std() {
        let cases: &[&[u8]] = &[
            "κόσμε".as_bytes(),
            "a€b𐍈c".as_bytes(),
            b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited",
            b"\xf4\x90\x80\x80",
            b"\xf0\x9f\x98",
            b"\xc0\xaf",
            b"ab\xffcd",
            b"\xe2\x82",
            b"",
        ];
        for c in cases {
            check_all_splits(c);
        }
    }

    #[test]
    fn whole_agrees_with_the_validator() {
        let long_bad = [&[b'a'; 300][..], b"\xff", &[b'b'; 10]].concat();
        let cases: &[&[u8]] = &[
            b"plain ascii",
            "a€b𐍈c".as_bytes(),
            b"ab\xffcd",
            b"\xe2\x82",
            b"",
            &long_bad,
        ];
        for c in cases {
            let mut v = Utf8Validator::default();
            let want = match v.feed(c) {
                Ok(()) if v.is_complete() => Ok(()),
                Ok(()) => Err(0),
                Err(back) => Err(back),
            };
            assert_eq!(validate_whole(c), want, "{c:x?}");
        }
        assert_eq!(validate_whole(&long_bad), Err(11));
    }

    #[test]
    fn ascii_test_matches_std() {
        for len in 0usize..70 {
            for bad in [None, Some(0), Some(len / 2), Some(len.saturating_sub(1))] {
                let mut v: Vec<u8> = (0..len).map(|i| (i % 128) as u8).collect();
                if let (Some(at), false) = (bad, v.is_empty()) {
                    v[at] = 0x80 | at as u8;
                }
                assert_eq!(is_ascii(&v), v.is_ascii(), "{v:x?}");
            }
        }
    }

    #[test]
    fn fails_fast_inside_a_sequence() {
        // Autobahn 6.4.x: F4 90 is already invalid, before the character completes.
        let mut v = Utf8Validator::default();
        assert_eq!(v.feed(b"ok\xf4"), Ok(()));
        assert_eq!(v.feed(b"\x90\x80\x80"), Err(4)); // starts 1 byte before this piece
    }
}
