//! The raw line layer underneath every typed view: where each line is, its
//! number in the input and its exact terminator.

use core::num::NonZeroU32;

/// How a line was terminated in the input. Kept so that serializing gives
/// back the same bytes.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// `\r\n` (what RFC 8866 §5 prescribes and browsers write).
    CrLf,
    /// `\n` alone (accepted by RFC 8866 §5 and Chromium).
    Lf,
    /// No terminator: the last line of an input that does not end with one.
    None,
}

impl LineEnding {
    /// The terminator bytes.
    #[must_use]
    pub const fn as_bytes(self) -> &'static [u8] {
        match self {
            Self::CrLf => b"\r\n",
            Self::Lf => b"\n",
            Self::None => b"",
        }
    }
}

/// Where a line lives in the description's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineRec {
    pub(crate) start: u32,
    pub(crate) len: u32,
    /// 1-based line number in the parsed input; 0 for lines added by edits.
    pub(crate) number: u32,
    pub(crate) ending: LineEnding,
    /// The content holds a CR not followed by LF.
    pub(crate) bare_cr: bool,
}

/// One line of a description, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) number: u32,
    pub(crate) ending: LineEnding,
    pub(crate) index: usize,
}

impl<'a> Line<'a> {
    /// The line's bytes without its terminator.
    #[must_use]
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The type letter (`v`, `o`, `a`, `m`, ...) if the line has the form
    /// `<letter>=...`.
    #[must_use]
    pub fn kind(&self) -> Option<u8> {
        match self.bytes {
            [k, b'=', ..] if k.is_ascii_lowercase() => Some(*k),
            _ => None,
        }
    }

    /// Everything after `<letter>=` (the whole line if it is malformed).
    #[must_use]
    pub fn value(&self) -> &'a [u8] {
        if self.kind().is_some() {
            &self.bytes[2..]
        } else {
            self.bytes
        }
    }

    /// The 1-based line number in the parsed input, `None` for lines added or
    /// rewritten by edits.
    #[must_use]
    pub const fn number(&self) -> Option<NonZeroU32> {
        NonZeroU32::new(self.number)
    }

    /// The line's terminator.
    #[must_use]
    pub const fn ending(&self) -> LineEnding {
        self.ending
    }

    /// Position of the line in [`Sdp::lines`](crate::Sdp::lines).
    #[must_use]
    pub const fn index(&self) -> usize {
        self.index
    }
}
