//! Chunk extensions (RFC 9112 §7.1.1), kept as the validated raw bytes and
//! parsed lazily.
//!
//! ```text
//! chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
//! chunk-ext-name = token
//! chunk-ext-val  = token / quoted-string
//! ```

use alloc::borrow::Cow;
use alloc::vec::Vec;
use bytes::Bytes;

use crate::syntax::{is_tchar, is_ws};

/// The extensions of one chunk: the raw text after the chunk size (already
/// validated by the decoder), zero-copy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extensions {
    raw: Bytes,
}

impl Extensions {
    pub(crate) fn from_validated(raw: Bytes) -> Self {
        Self { raw }
    }

    /// The raw extension text, e.g. `;name=value;flag` (empty when none).
    #[must_use]
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// True when the chunk had no extension.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The extensions in order.
    #[must_use]
    pub fn iter(&self) -> ExtIter<'_> {
        ExtIter { rest: &self.raw }
    }

    /// The value of the first extension called `name` (ASCII case ignored):
    /// `Some(None)` for a bare name, `None` when absent.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Option<ExtValue<'_>>> {
        self.iter()
            .find(|e| e.name.eq_ignore_ascii_case(name.as_bytes()))
            .map(|e| e.value)
    }
}

/// One `name[=value]` extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension<'a> {
    /// The name (a token).
    pub name: &'a [u8],
    /// The value, if there was an `=`.
    pub value: Option<ExtValue<'a>>,
}

/// An extension value as sent: a token or a quoted string (quotes kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtValue<'a> {
    raw: &'a [u8],
}

impl<'a> ExtValue<'a> {
    /// The value as it appeared on the wire (a quoted string keeps its quotes).
    #[must_use]
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The value with quotes removed and `\x` pairs resolved (RFC 9110 §5.6.4).
    #[must_use]
    pub fn unquoted(&self) -> Cow<'a, [u8]> {
        match self.raw {
            [b'"', inner @ .., b'"'] => {
                if !inner.contains(&b'\\') {
                    return Cow::Borrowed(inner);
                }
                let mut out = Vec::with_capacity(inner.len());
                let mut esc = false;
                for &b in inner {
                    if esc || b != b'\\' {
                        out.push(b);
                        esc = false;
                    } else {
                        esc = true;
                    }
                }
                Cow::Owned(out)
            }
            raw => Cow::Borrowed(raw),
        }
    }
}

/// Iterator over [`Extensions`].
#[derive(Debug, Clone)]
pub struct ExtIter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for ExtIter<'a> {
    type Item = Extension<'a>;

    fn next(&mut self) -> Option<Extension<'a>> {
        // The text was validated against the grammar above, so this walk
        // only has to find boundaries.
        let s = self.rest;
        let mut i = 0;
        while i < s.len() && (is_ws(s[i]) || s[i] == b';') {
            i += 1;
        }
        if i >= s.len() {
            self.rest = &[];
            return None;
        }
        let ns = i;
        while i < s.len() && is_tchar(s[i]) {
            i += 1;
        }
        let name = &s[ns..i];
        let mut j = i;
        while j < s.len() && is_ws(s[j]) {
            j += 1;
        }
        let mut value = None;
        if j < s.len() && s[j] == b'=' {
            j += 1;
            while j < s.len() && is_ws(s[j]) {
                j += 1;
            }
            let vs = j;
            if j < s.len() && s[j] == b'"' {
                j += 1;
                while j < s.len() && s[j] != b'"' {
                    j += if s[j] == b'\\' { 2 } else { 1 };
                }
                j = (j + 1).min(s.len());
            } else {
                while j < s.len() && is_tchar(s[j]) {
                    j += 1;
                }
            }
            value = Some(ExtValue { raw: &s[vs..j] });
            i = j;
        }
        self.rest = &s[i..];
        Some(Extension { name, value })
    }
}

/// Check an extension for the encoder: a token name and, if given, a value
/// that is a token (sent bare) or anything quotable (sent quoted).
pub(crate) fn valid_ext_input(name: &[u8], value: Option<&[u8]>) -> bool {
    crate::syntax::is_token(name)
        && value.is_none_or(|v| v.iter().all(|&b| crate::syntax::is_quoted_pair_byte(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterates_names_and_values() {
        let e =
            Extensions::from_validated(Bytes::from_static(br#";a ; b = c;q="x \"y\"; z";flag"#));
        let v: Vec<_> = e.iter().collect();
        assert_eq!(v.len(), 4);
        assert_eq!(v[0].name, b"a");
        assert!(v[0].value.is_none());
        assert_eq!(v[1].name, b"b");
        assert_eq!(v[1].value.unwrap().raw(), b"c");
        assert_eq!(v[2].value.unwrap().raw(), br#""x \"y\"; z""#);
        assert_eq!(&*v[2].value.unwrap().unquoted(), br#"x "y"; z"#);
        assert_eq!(v[3].name, b"flag");
        assert_eq!(e.get("B").unwrap().unwrap().raw(), b"c");
        assert!(e.get("nope").is_none());
    }
}
