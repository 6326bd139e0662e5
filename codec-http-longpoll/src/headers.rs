//! Header (and trailer) fields: an ordered list with case-insensitive lookup.

use alloc::vec::Vec;
use bytes::Bytes;

use crate::syntax::{is_field_value_byte, is_tchar, is_token, is_ws, trim_ows};
use crate::Error;

/// One field line: a name and a value, both zero-copy slices of the received
/// head (or owned copies when built by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    name: Bytes,
    value: Bytes,
}

impl Field {
    /// Build a field, checking the name is a token and the value has no CR,
    /// LF, NUL or other control byte (RFC 9110 §5.5), so it can be sent as is.
    ///
    /// # Errors
    /// [`Error::InvalidHeaderInput`] when the name or value cannot be sent.
    pub fn new(name: impl Into<Bytes>, value: impl Into<Bytes>) -> Result<Self, Error> {
        let (name, value) = (name.into(), value.into());
        if !is_token(&name) || !value.iter().all(|&b| is_field_value_byte(b)) {
            return Err(Error::InvalidHeaderInput);
        }
        // Leading/trailing whitespace is not part of a value (RFC 9110 §5.5).
        if value.first().is_some_and(|&b| is_ws(b)) || value.last().is_some_and(|&b| is_ws(b)) {
            return Err(Error::InvalidHeaderInput);
        }
        Ok(Self { name, value })
    }

    /// Build without checks; the decoder has already validated both parts.
    pub(crate) fn from_parts(name: Bytes, value: Bytes) -> Self {
        Self { name, value }
    }

    /// The field name, as received (case preserved).
    #[must_use]
    pub fn name(&self) -> &[u8] {
        &self.name
    }

    /// The field name as text. Names are tokens, so always ASCII.
    #[must_use]
    pub fn name_str(&self) -> &str {
        core::str::from_utf8(&self.name).unwrap_or("")
    }

    /// The field value, without surrounding whitespace.
    #[must_use]
    pub fn value(&self) -> &[u8] {
        &self.value
    }

    /// The value as a `Bytes` handle (zero-copy).
    #[must_use]
    pub fn value_bytes(&self) -> &Bytes {
        &self.value
    }

    /// True when the name equals `name`, ignoring ASCII case.
    #[must_use]
    #[inline]
    pub fn is(&self, name: &str) -> bool {
        // Lengths first: most fields are rejected without a byte compare.
        self.name.len() == name.len() && self.name.eq_ignore_ascii_case(name.as_bytes())
    }
}

/// An ordered list of fields. Lookups ignore ASCII case; order and
/// duplicates are kept, since both matter for framing (RFC 9110 §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headers {
    fields: Vec<Field>,
}

impl Headers {
    /// An empty list.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Append a field after checking it (see [`Field::new`]).
    ///
    /// # Errors
    /// [`Error::InvalidHeaderInput`] when the name or value cannot be sent.
    pub fn push(&mut self, name: impl Into<Bytes>, value: impl Into<Bytes>) -> Result<(), Error> {
        self.fields.push(Field::new(name, value)?);
        Ok(())
    }

    /// Append a field (chained form of [`Headers::push`]).
    ///
    /// # Errors
    /// [`Error::InvalidHeaderInput`] when the name or value cannot be sent.
    pub fn with(mut self, name: impl Into<Bytes>, value: impl Into<Bytes>) -> Result<Self, Error> {
        self.push(name, value)?;
        Ok(self)
    }

    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            fields: Vec::with_capacity(n),
        }
    }

    pub(crate) fn push_field(&mut self, f: Field) {
        self.fields.push(f);
    }

    /// The first value of `name`, ignoring ASCII case.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.fields.iter().find(|f| f.is(name)).map(Field::value)
    }

    /// The first value of `name` as UTF-8 text, if it is valid UTF-8.
    #[must_use]
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| core::str::from_utf8(v).ok())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.fields
            .iter()
            .filter(move |f| f.is(name))
            .map(Field::value)
    }

    /// True when a field `name` is present.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.is(name))
    }

    /// Every element of the comma-separated lists in all `name` fields
    /// (RFC 9110 §5.6.1), with empty elements skipped.
    pub fn tokens<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.get_all(name).flat_map(list_elements)
    }

    /// True when one list element of `name` equals `token`, ignoring ASCII
    /// case: `has_token("Connection", "close")`.
    #[must_use]
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.tokens(name)
            .any(|t| t.eq_ignore_ascii_case(token.as_bytes()))
    }

    /// All fields in order.
    pub fn iter(&self) -> core::slice::Iter<'_, Field> {
        self.fields.iter()
    }

    /// Number of field lines.
    #[must_use]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when there are no fields.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Remove every field `name`; returns how many were removed.
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.fields.len();
        self.fields.retain(|f| !f.is(name));
        before - self.fields.len()
    }

    /// Replace every field `name` by one field with `value`.
    ///
    /// # Errors
    /// [`Error::InvalidHeaderInput`] when the name or value cannot be sent.
    pub fn set(&mut self, name: &'static str, value: impl Into<Bytes>) -> Result<(), Error> {
        let f = Field::new(name, value)?;
        self.remove(name);
        self.fields.push(f);
        Ok(())
    }

    /// The single Content-Length (RFC 9110 §8.6): `Ok(None)` when absent.
    /// Duplicates (separate fields or a list) must all be equal (RFC 9112 §6.3 rule 5).
    ///
    /// # Errors
    /// [`Error::InvalidContentLength`] (offset 0) for a non-decimal or
    /// differing value.
    pub fn content_length(&self) -> Result<Option<u64>, Error> {
        let mut found = None;
        for v in self.get_all("content-length") {
            let n = parse_content_length(v).ok_or(Error::InvalidContentLength { offset: 0 })?;
            if found.is_some_and(|f| f != n) {
                return Err(Error::InvalidContentLength { offset: 0 });
            }
            found = Some(n);
        }
        Ok(found)
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = &'a Field;
    type IntoIter = core::slice::Iter<'a, Field>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}

/// Split one field value into list elements (RFC 9110 §5.6.1: `#element`),
/// trimming OWS and skipping empty elements. Commas inside quoted strings
/// are respected.
pub fn list_elements(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = value;
    core::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let mut in_quote = false;
        let mut escaped = false;
        let mut end = rest.len();
        for (i, &b) in rest.iter().enumerate() {
            if escaped {
                escaped = false;
            } else if in_quote && b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_quote = !in_quote;
            } else if b == b',' && !in_quote {
                end = i;
                break;
            }
        }
        let elem = trim_ows(&rest[..end]);
        rest = if end < rest.len() {
            &rest[end + 1..]
        } else {
            &[]
        };
        if !elem.is_empty() {
            return Some(elem);
        }
    })
}

/// A Content-Length value: one or more equal decimal numbers separated by
/// commas (RFC 9110 §8.6 lets a recipient accept `5, 5`). No sign, no spaces
/// inside a number, at most 19 digits so it fits a `u64`.
pub(crate) fn parse_content_length(v: &[u8]) -> Option<u64> {
    let mut out = None;
    let mut any = false;
    for part in v.split(|&b| b == b',') {
        let p = trim_ows(part);
        if p.is_empty() || p.len() > 19 || !p.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = p.iter().try_fold(0u64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })?;
        if out.is_some_and(|o| o != n) {
            return None;
        }
        out = Some(n);
        any = true;
    }
    if any {
        out
    } else {
        None
    }
}

/// Split a field line `name ":" OWS value OWS` (RFC 9112 §5) into
/// `(name_end, value_start, value_end)`; `Err(i)` points at the bad byte.
/// No whitespace before the colon (§5.1), no obs-fold (§5.2), no CTLs.
pub(crate) fn parse_field_line(line: &[u8]) -> Result<(usize, usize, usize), usize> {
    let mut i = 0;
    while i < line.len() && is_tchar(line[i]) {
        i += 1;
    }
    if i == 0 || i >= line.len() || line[i] != b':' {
        return Err(i.min(line.len().saturating_sub(1)));
    }
    let name_end = i;
    i += 1;
    while i < line.len() && is_ws(line[i]) {
        i += 1;
    }
    let vs = i;
    let mut ve = vs;
    while i < line.len() {
        let b = line[i];
        if !is_field_value_byte(b) {
            return Err(i);
        }
        i += 1;
        if !is_ws(b) {
            ve = i;
        }
    }
    Ok((name_end, vs, ve))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn lookup_is_case_insensitive_and_ordered() {
        let h = Headers::new()
            .with("Content-Type", "text/plain")
            .unwrap()
            .with("X-A", "1")
            .unwrap()
            .with("x-a", "2")
            .unwrap();
        assert_eq!(h.get("content-type"), Some(&b"text/plain"[..]));
        assert_eq!(h.get_all("X-a").collect::<Vec<_>>(), vec![&b"1"[..], b"2"]);
        assert_eq!(h.len(), 3);
    }

    #[test]
    fn field_rejects_crlf_and_bad_names() {
        assert_eq!(Field::new("a b", "x"), Err(Error::InvalidHeaderInput));
        assert_eq!(Field::new("a", "x\r\nb: y"), Err(Error::InvalidHeaderInput));
        assert_eq!(Field::new("a", " x"), Err(Error::InvalidHeaderInput));
        assert_eq!(Field::new("", "x"), Err(Error::InvalidHeaderInput));
    }

    #[test]
    fn tokens_split_lists() {
        let h = Headers::new()
            .with("Connection", "keep-alive, Upgrade")
            .unwrap()
            .with("connection", ",,close ,")
            .unwrap();
        let t: Vec<_> = h.tokens("connection").collect();
        assert_eq!(t, vec![&b"keep-alive"[..], b"Upgrade", b"close"]);
        assert!(h.has_token("Connection", "upgrade"));
        assert!(!h.has_token("Connection", "clos"));
        let q: Vec<_> = list_elements(br#"a, "b,c", d"#).collect();
        assert_eq!(q, vec![&b"a"[..], br#""b,c""#, b"d"]);
    }

    #[test]
    fn content_length_rules() {
        assert_eq!(parse_content_length(b"0"), Some(0));
        assert_eq!(parse_content_length(b"5, 5"), Some(5));
        assert_eq!(parse_content_length(b"5, 6"), None);
        assert_eq!(parse_content_length(b"+5"), None);
        assert_eq!(parse_content_length(b"5 5"), None);
        assert_eq!(parse_content_length(b""), None);
        assert_eq!(parse_content_length(b"18446744073709551615"), None); // 20 digits
        assert_eq!(
            parse_content_length(b"9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        let h = Headers::new()
            .with("Content-Length", "3")
            .unwrap()
            .with("content-length", "4")
            .unwrap();
        assert!(h.content_length().is_err());
    }
}
