//! Byte classes from the RFC 9110/9112 ABNF, as lookup tables.

/// `tchar` (RFC 9110 §5.6.2): `!#$%&'*+-.^_`|~`, DIGIT, ALPHA.
pub(crate) const fn is_tchar(b: u8) -> bool {
    TCHAR[b as usize]
}

static TCHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        i += 1;
    }
    t
};

/// Hex digit value, or 0xFF for a non-hex byte.
pub(crate) static HEX: [u8; 256] = {
    let mut t = [0xFF_u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// A non-empty token.
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// `field-vchar / SP / HTAB` (RFC 9110 §5.5): anything but CTLs other than HTAB, and DEL.
pub(crate) const fn is_field_value_byte(b: u8) -> bool {
    b == b'\t' || (b >= 0x20 && b != 0x7F)
}

/// `qdtext` (RFC 9110 §5.6.4).
pub(crate) const fn is_qdtext(b: u8) -> bool {
    b == b'\t' || b == b' ' || b == 0x21 || (b >= 0x23 && b <= 0x5B) || (b >= 0x5D && b != 0x7F)
}

/// The byte after a backslash in a `quoted-pair`: HTAB / SP / VCHAR / obs-text.
pub(crate) const fn is_quoted_pair_byte(b: u8) -> bool {
    b == b'\t' || (b >= 0x20 && b != 0x7F)
}

/// Optional whitespace.
pub(crate) const fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Strip leading and trailing OWS.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if is_ws(*first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if is_ws(*last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        assert!(is_tchar(b'a') && is_tchar(b'~') && !is_tchar(b'"') && !is_tchar(b' '));
        assert_eq!(HEX[b'f' as usize], 15);
        assert_eq!(HEX[b'F' as usize], 15);
        assert_eq!(HEX[b'9' as usize], 9);
        assert_eq!(HEX[b'g' as usize], 0xFF);
        assert!(is_qdtext(b'a') && !is_qdtext(b'"') && !is_qdtext(b'\\') && !is_qdtext(b'\r'));
        assert_eq!(trim_ows(b" \t a b \t"), b"a b");
        assert_eq!(trim_ows(b"   "), b"");
    }
}
