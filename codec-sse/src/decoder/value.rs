//! Where field values live: positions in the lines being handled, or copies
//! that outlive them.

use alloc::string::String;
use bytes::Bytes;
use bytestring::ByteString;

/// Complete lines moved out of the caller's buffer.
#[derive(Debug, Clone)]
pub(super) enum Region {
    /// Valid UTF-8: values are slices of it.
    Valid(ByteString),
    /// Holds invalid UTF-8: each value is decoded on its own, with U+FFFD,
    /// into its field's buffer.
    Raw(Bytes),
}

impl Default for Region {
    fn default() -> Self {
        Self::Valid(ByteString::new())
    }
}

impl Region {
    #[inline(always)]
    pub(super) fn cur(&self) -> Cur<'_> {
        match self {
            Self::Valid(s) => Cur::Valid(s),
            Self::Raw(b) => Cur::Raw(b),
        }
    }

    /// The value `self[start..end]` of a valid region, sharing its memory.
    pub(super) fn share(&self, start: usize, end: usize) -> ByteString {
        match self {
            Self::Valid(s) => s.slice_ref(self.cur().str_at(start, end)),
            Self::Raw(_) => ByteString::new(),
        }
    }
}

/// The complete lines the line loop runs over: the owned region, or lines
/// borrowed from the caller's chunk ([`Decoder::feed_slice`]).
#[derive(Debug, Clone, Copy)]
pub(super) enum Cur<'a> {
    /// Valid UTF-8: values are slices of it.
    Valid(&'a str),
    /// Valid UTF-8 about to be overwritten (a carried line): values are
    /// copied into their field's buffer.
    Copy(&'a str),
    /// Holds invalid UTF-8: values are decoded into their field's buffer.
    Raw(&'a [u8]),
}

impl<'a> Cur<'a> {
    /// Checks `input` as UTF-8 once: the longest prefix that is valid apart
    /// from a character cut off at the end (the rest of an unfinished line,
    /// completed by the next chunk), or all of it as raw bytes.
    #[inline]
    pub(super) fn new(input: &'a [u8], copy: bool) -> Self {
        let text = match simdutf8::basic::from_utf8(input) {
            Ok(s) => s,
            // Rare: find out whether the input only ends inside a character.
            Err(_) => match core::str::from_utf8(input) {
                Ok(s) => s,
                Err(e) if e.error_len().is_none() => {
                    core::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or_default()
                }
                Err(_) => return Self::Raw(input),
            },
        };
        if copy {
            Self::Copy(text)
        } else {
            Self::Valid(text)
        }
    }

    #[inline(always)]
    pub(super) fn bytes(self) -> &'a [u8] {
        match self {
            Self::Valid(s) | Self::Copy(s) => s.as_bytes(),
            Self::Raw(b) => b,
        }
    }

    /// The text `self[start..end]` of valid lines.
    #[inline(always)]
    pub(super) fn str_at(self, start: usize, end: usize) -> &'a str {
        match self {
            // Values start and end next to ASCII bytes, so these are char
            // boundaries; `get` keeps it panic-free regardless.
            Self::Valid(s) | Self::Copy(s) => s.get(start..end).unwrap_or_default(),
            // Values of raw lines always live in their field's buffer.
            Self::Raw(_) => "",
        }
    }
}

/// Where a field value is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Val {
    /// The empty string.
    #[default]
    Empty,
    /// `region[start..end]` of the current region (always a valid one).
    At(usize, usize),
    /// The field's own buffer.
    Buf,
}

/// One field value: a position in the region, or a copy that outlives it.
#[derive(Debug, Clone, Default)]
pub(super) struct Slot {
    pub(super) val: Val,
    pub(super) buf: String,
}

impl Slot {
    /// Sets the value to `region[start..end]`: a position when the region is
    /// valid UTF-8, otherwise the decoded copy (§9.2.6 decodes the stream
    /// as UTF-8 with replacement; values are cut at ASCII bytes, so decoding
    /// each value alone gives the same text).
    #[inline(always)]
    pub(super) fn set(&mut self, cur: Cur<'_>, start: usize, end: usize) {
        self.val = match cur {
            _ if start == end => Val::Empty,
            Cur::Valid(_) => Val::At(start, end),
            Cur::Copy(_) => {
                self.buf.clear();
                self.buf.push_str(cur.str_at(start, end));
                Val::Buf
            }
            Cur::Raw(b) => {
                self.buf.clear();
                push_lossy(&mut self.buf, &b[start..end]);
                Val::Buf
            }
        };
    }

    /// Appends LF and `region[start..end]` (a further `data` line).
    #[inline(always)]
    pub(super) fn append_line(&mut self, cur: Cur<'_>, start: usize, end: usize) {
        match self.val {
            Val::Empty => self.buf.clear(),
            Val::At(a, b) => {
                self.buf.clear();
                self.buf.push_str(cur.str_at(a, b));
            }
            Val::Buf => {}
        }
        self.val = Val::Buf;
        self.buf.push('\n');
        match cur {
            Cur::Valid(_) | Cur::Copy(_) => self.buf.push_str(cur.str_at(start, end)),
            Cur::Raw(b) => push_lossy(&mut self.buf, &b[start..end]),
        }
    }

    /// Copies a value that points into `cur` before those lines go.
    pub(super) fn spill(&mut self, cur: Cur<'_>) {
        if let Val::At(a, b) = self.val {
            self.buf.clear();
            self.buf.push_str(cur.str_at(a, b));
            self.val = Val::Buf;
        }
    }

    #[inline(always)]
    pub(super) fn get<'a>(&'a self, val: Val, cur: Cur<'a>) -> &'a str {
        match val {
            Val::Empty => "",
            Val::At(a, b) => cur.str_at(a, b),
            Val::Buf => &self.buf,
        }
    }

    pub(super) fn owned(&self, val: Val, region: &Region) -> ByteString {
        match val {
            Val::Empty => ByteString::new(),
            Val::At(a, b) => region.share(a, b),
            Val::Buf => ByteString::from(self.buf.as_str()),
        }
    }
}

/// Appends `bytes` decoded as UTF-8, each maximal invalid subpart replaced
/// with U+FFFD as the WHATWG UTF-8 decoder does.
pub(super) fn push_lossy(out: &mut String, bytes: &[u8]) {
    out.push_str(&String::from_utf8_lossy(bytes));
}
