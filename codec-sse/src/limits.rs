//! Configurable bounds on what the decoder buffers.

/// Bounds on the memory one decoder may hold. Every limit is finite.
///
/// ```
/// let limits = codec_sse::Limits::default().max_line_len(64 * 1024);
/// assert_eq!(limits.line_len(), 64 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    max_line_len: usize,
    max_event_len: usize,
}

impl Limits {
    /// Default for [`max_line_len`](Self::max_line_len): 1 MiB.
    pub const DEFAULT_MAX_LINE_LEN: usize = 1024 * 1024;
    /// Default for [`max_event_len`](Self::max_event_len): 4 MiB.
    pub const DEFAULT_MAX_EVENT_LEN: usize = 4 * 1024 * 1024;

    /// Longest line, in bytes without its line end, that is buffered while
    /// waiting for the line end. Default 1 MiB.
    ///
    /// Lines that can never matter (unknown fields, and comments unless
    /// comments are requested) are skipped as they arrive and not buffered,
    /// so they are not subject to this limit.
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Largest event data, in bytes after joining `data` lines with LF.
    /// Default 4 MiB.
    ///
    /// Counted as received, before UTF-8 decoding: an invalid byte becomes
    /// U+FFFD (three bytes), so the decoded [`Event::data`](crate::Event::data)
    /// can be up to three times this long.
    #[must_use]
    pub const fn max_event_len(mut self, bytes: usize) -> Self {
        self.max_event_len = bytes;
        self
    }

    /// The current line length limit in bytes.
    #[must_use]
    pub const fn line_len(&self) -> usize {
        self.max_line_len
    }

    /// The current event data limit in bytes.
    #[must_use]
    pub const fn event_len(&self) -> usize {
        self.max_event_len
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_line_len: Self::DEFAULT_MAX_LINE_LEN,
            max_event_len: Self::DEFAULT_MAX_EVENT_LEN,
        }
    }
}
