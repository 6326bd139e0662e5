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

/// `&s[i..]`, for an `i` known to be a character boundary (just after an
/// ASCII byte that a search found, or after an ASCII prefix), without the
/// panic path of `str` indexing: its message prints the character with
/// `{:?}`, which brings core's Unicode tables into the npm package's `.wasm`
/// (about 5 KB gzipped). Returns `""` if `i` is not a boundary (never).
#[inline]
pub(crate) fn tail(s: &str, i: usize) -> &str {
    s.get(i..).unwrap_or_default()
}

/// `&s[..i]`, as [`tail`] for `&s[i..]`.
#[inline]
pub(crate) fn head(s: &str, i: usize) -> &str {
    s.get(..i).unwrap_or_default()
}

/// What comes before and after the ASCII byte at `i` (found by a search).
pub(crate) fn split_around(s: &str, i: usize) -> (&str, &str) {
    (head(s, i), tail(s, i + 1))
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
            tail(self.s, self.pos)
        }
    }

    /// The next field, which must exist and be non-empty.
    #[inline]
    pub(crate) fn req(&mut self) -> FResult<(usize, &'a str)> {
        let at = self.pos;
        match self.next() {
            None => Err(ferr(at, Problem::MissingField)),
            Some((at, "")) => Err(ferr(at, Problem::EmptyField)),
            Some(f) => Ok(f),
        }
    }

    /// A required token field (RFC 8866 `token`).
    #[inline]
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
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let rest = tail(self.s, start);
        match find_byte(b' ', rest.as_bytes()) {
            Some(i) => {
                self.pos = start + i + 1;
                Some((start, head(rest, i)))
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
#[inline]
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
///
/// The value is the `f64` nearest to the decimal (ties to even), exactly what
/// `s.parse::<f64>()` gives, but converted here: core's general float parser
/// brings about 14 KB (gzipped) of tables into the npm package's `.wasm`, for
/// a form this narrow (at most 32 bytes of digits and one point).
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
    // s = n / 10^k exactly; with at most 32 digits, n < 10^32 < 2^107.
    let mut n: u128 = 0;
    for b in s.bytes().filter(|&b| b != b'.') {
        n = n * 10 + u128::from(b - b'0');
    }
    let k = frac.map_or(0, str::len) as u32;
    if n == 0 {
        return Some(0.0);
    }
    if n < 1 << 53 && k <= 22 {
        // Both operands are exact f64 values (10^22 < 2^53 * 2^22), so the
        // one correctly rounded division is the answer (Clinger's fast path,
        // as core's parser takes it too).
        let mut p = 1.0_f64;
        for _ in 0..k {
            p *= 10.0;
        }
        return Some(n as u64 as f64 / p);
    }
    Some(ratio_to_f64(n, 10u128.pow(k)))
}

/// `n / d` rounded to the nearest `f64`, ties to even, for `0 < n < 2^107` and
/// `0 < d < 2^104` (so the result is a normal number): 53 quotient bits by
/// long division, then the remainder decides the rounding.
fn ratio_to_f64(n: u128, d: u128) -> f64 {
    let bits = |x: u128| 128 - x.leading_zeros() as i32;
    // 2^(e0 - 1) < n / d < 2^(e0 + 1); e = floor(log2(n / d)).
    let e0 = bits(n) - bits(d);
    let ge = if e0 >= 0 { n >= d << e0 } else { n << -e0 >= d };
    let mut e = if ge { e0 } else { e0 - 1 };
    // Scale so that 1 <= r / b < 2; no shift leaves 110 bits.
    let (mut r, b) = if e >= 0 { (n, d << e) } else { (n << -e, d) };
    let mut q: u64 = 0;
    for _ in 0..53 {
        q <<= 1;
        if r >= b {
            r -= b;
            q |= 1;
        }
        r <<= 1;
    }
    // q in [2^52, 2^53) and r = 2 * remainder: round half to even.
    if r > b || (r == b && q & 1 == 1) {
        q += 1;
        if q == 1 << 53 {
            q >>= 1;
            e += 1;
        }
    }
    f64::from_bits((((e + 1023) as u64) << 52) | (q & ((1 << 52) - 1)))
}

/// The value as text, or a `NotText` problem at the first bad byte.
pub(crate) fn as_text(b: &[u8]) -> FResult<&str> {
    core::str::from_utf8(b).map_err(|e| ferr(e.valid_up_to(), Problem::NotText))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
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

    /// `parse_decimal` agrees with core's float parser on every value it
    /// accepts: fast-path and long-division cases, halfway cases, zeros.
    #[test]
    fn decimal_matches_core() {
        let check = |s: &str| {
            let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            let form = match s.split_once('.') {
                Some((i, f)) => digits(i) && digits(f),
                None => digits(s),
            };
            let want = (form && s.len() <= 32).then(|| s.parse::<f64>().unwrap().to_bits());
            assert_eq!(parse_decimal(s).map(f64::to_bits), want, "{s}");
        };
        for s in [
            "0",
            "0.0",
            "000",
            "1",
            "20",
            "29.97",
            "0.125",
            "0.1",
            "0.3",
            "123456789.123456789",
            "9007199254740992",
            "9007199254740993",
            "9007199254740995",
            "9007199254740994.5",
            "18014398509481985",
            "18014398509481986",
            "18014398509481987",
            "2.5e0",
            "99999999999999999999999999999999",
            "0.0000000000000000000000000000001",
            "1.0000000000000000000000000000001",
            "0.9999999999999999999999999999999",
            "10000000000000000000000000000000",
            "4503599627370496.5",
            "4503599627370497.5",
            "1.7976931348623157",
            "0.30000000000000004",
            "3.0000000000000004440892098500626",
            "179769313486231570000000000000000",
            "1.00000000000000011102230246251565",
            "1.00000000000000011102230246251566",
            "1.00000000000000011102230246251564",
            "1.",
            ".5",
            "1.2.3",
            "",
        ] {
            check(s);
        }
        // Random digit strings of every length, with the point anywhere.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let len = (next() % 32 + 1) as usize;
            let mut s = String::new();
            for _ in 0..len {
                // Runs of 0s and 9s make carries and halfway cases likely.
                let d = match next() % 4 {
                    0 => b'0',
                    1 => b'9',
                    _ => b'0' + (next() % 10) as u8,
                };
                s.push(char::from(d));
            }
            if len > 1 && next() % 4 != 0 {
                let at = (next() % (len as u64 - 1) + 1) as usize;
                s.replace_range(at..at + 1, ".");
            }
            check(&s);
        }
    }

    #[test]
    fn tokens() {
        assert!(check_token("abc-1.x", 0).is_ok());
        assert_eq!(check_token(" 0", 4), Err(ferr(4, Problem::InvalidToken)));
    }
}
