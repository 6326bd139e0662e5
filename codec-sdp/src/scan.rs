//! Small byte and token helpers shared by the field parsers.

use crate::error::Problem;

/// A problem at a byte offset inside the value being parsed; the caller turns
/// it into an [`Error`](crate::Error) with the line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) at: usize,
    pub(crate) problem: Problem,
}

pub(crate) type FResult<T> = Result<T, FieldError>;

pub(crate) const fn ferr(at: usize, problem: Problem) -> FieldError {
    FieldError { at, problem }
}

/// RFC 8866 §9 `token-char`.
pub(crate) const fn is_token_char(b: u8) -> bool {
    TOKEN[b as usize]
}

/// `token-char` as a table: one load per byte instead of seven compares.
static TOKEN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b, 0x21 | 0x23..=0x27 | 0x2A..=0x2B | 0x2D..=0x2E | 0x30..=0x39 | 0x41..=0x5A | 0x5E..=0x7E);
        b += 1;
    }
    t
};

/// Visible ASCII (RFC 5234 `VCHAR`).
pub(crate) const fn is_vchar(b: u8) -> bool {
    matches!(b, 0x21..=0x7E)
}

/// Splits on single spaces and yields `(offset, field)`; empty fields (two
/// spaces in a row) are yielded too so callers can report them.
#[derive(Clone)]
pub(crate) struct Fields<'a> {
    s: &'a str,
    pos: usize,
    done: bool,
}

impl<'a> Fields<'a> {
    /// Fields of `s`; an empty `s` has none.
    pub(crate) const fn new(s: &'a str) -> Self {
        Self {
            s,
            pos: 0,
            done: s.is_empty(),
        }
    }

    /// Offset of the next field (or the end of the input).
    pub(crate) const fn pos(&self) -> usize {
        self.pos
    }

    /// Everything not yet consumed.
    pub(crate) fn rest(&self) -> &'a str {
        if self.done {
            ""
        } else {
            &self.s[self.pos..]
        }
    }

    /// The next field, which must exist and be non-empty.
    pub(crate) fn req(&mut self) -> FResult<(usize, &'a str)> {
        let at = self.pos;
        match self.next() {
            None => Err(ferr(at, Problem::MissingField)),
            Some((at, "")) => Err(ferr(at, Problem::EmptyField)),
            Some(f) => Ok(f),
        }
    }

    /// A required token field (RFC 8866 `token`).
    pub(crate) fn token(&mut self) -> FResult<&'a str> {
        let (at, f) = self.req()?;
        check_token(f, at)?;
        Ok(f)
    }

    /// A required decimal number field.
    pub(crate) fn num<T: Num>(&mut self) -> FResult<T> {
        let (at, f) = self.req()?;
        T::parse_dec(f).ok_or_else(|| ferr(at, Problem::InvalidNumber))
    }

    /// Fails if any field is left.
    pub(crate) fn end(&self) -> FResult<()> {
        if self.done {
            Ok(())
        } else {
            Err(ferr(self.pos, Problem::ExtraField))
        }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let rest = &self.s[start..];
        match find_byte(b' ', rest.as_bytes()) {
            Some(i) => {
                self.pos = start + i + 1;
                Some((start, &rest[..i]))
            }
            None => {
                self.done = true;
                self.pos = self.s.len();
                Some((start, rest))
            }
        }
    }
}

/// Position of `needle` in a short slice. A plain loop beats memchr's setup
/// cost on SDP fields, which are a few bytes long.
pub(crate) fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|b| *b == needle)
}

/// Byte-wise equality without a libc `memcmp` call (names are short).
pub(crate) fn eq_short(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Checks that `s` is a non-empty token; `at` is its offset for the error.
pub(crate) fn check_token(s: &str, at: usize) -> FResult<()> {
    if s.is_empty() {
        return Err(ferr(at, Problem::EmptyField));
    }
    match s.bytes().position(|b| !is_token_char(b)) {
        Some(i) => Err(ferr(at + i, Problem::InvalidToken)),
        None => Ok(()),
    }
}

/// Checks that `s` is non-empty visible ASCII.
pub(crate) fn check_vchars(s: &str, at: usize) -> FResult<()> {
    if s.is_empty() {
        return Err(ferr(at, Problem::EmptyField));
    }
    // Branch-free pass first (it vectorizes); locate the bad byte only on
    // failure. URIs and ids are the long fields of browser SDP.
    if s.bytes()
        .fold(true, |ok, b| ok & (b.wrapping_sub(0x21) < 0x5E))
    {
        return Ok(());
    }
    match s.bytes().position(|b| !is_vchar(b)) {
        Some(i) => Err(ferr(at + i, Problem::InvalidToken)),
        None => Ok(()),
    }
}

/// Unsigned decimal numbers without sign, spaces or overflow.
pub(crate) trait Num: Sized + Copy {
    fn parse_dec(s: &str) -> Option<Self>;
}

macro_rules! num_impl {
    ($($t:ty),*) => {$(
        impl Num for $t {
            fn parse_dec(s: &str) -> Option<Self> {
                if s.is_empty() || s.len() > 20 {
                    return None;
                }
                let mut v: $t = 0;
                for b in s.bytes() {
                    if !b.is_ascii_digit() {
                        return None;
                    }
                    v = v.checked_mul(10)?.checked_add((b - b'0') as $t)?;
                }
                Some(v)
            }
        }
    )*};
}
num_impl!(u8, u16, u32, u64);

/// Decimal with optional fraction (`29.97`, `0.125`), as SDP writes them.
pub(crate) fn parse_decimal(s: &str) -> Option<f64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let int_ok = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !(int_ok && frac_ok) || s.len() > 32 {
        return None;
    }
    s.parse::<f64>().ok()
}

/// The value as text, or a `NotText` problem at the first bad byte.
pub(crate) fn as_text(b: &[u8]) -> FResult<&str> {
    core::str::from_utf8(b).map_err(|e| ferr(e.valid_up_to(), Problem::NotText))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn fields_split_and_offsets() {
        let v: Vec<_> = Fields::new("a bb  c").collect();
        assert_eq!(v, [(0, "a"), (2, "bb"), (5, ""), (6, "c")]);
        let mut f = Fields::new("x");
        assert_eq!(f.req(), Ok((0, "x")));
        assert_eq!(f.req(), Err(ferr(1, Problem::MissingField)));
        assert_eq!(Fields::new("").next(), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(u8::parse_dec("255"), Some(255));
        assert_eq!(u8::parse_dec("256"), None);
        assert_eq!(u32::parse_dec("+1"), None);
        assert_eq!(u32::parse_dec(""), None);
        assert_eq!(parse_decimal("29.97"), Some(29.97));
        assert_eq!(parse_decimal("1."), None);
        assert_eq!(parse_decimal("-1"), None);
    }

    #[test]
    fn tokens() {
        assert!(check_token("abc-1.x", 0).is_ok());
        assert_eq!(check_token(" 0", 4), Err(ferr(4, Problem::InvalidToken)));
    }
}
