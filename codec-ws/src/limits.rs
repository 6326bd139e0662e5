//! Resource limits and leniency switches.

/// Limits checked as bytes arrive, never at the end of a message.
///
/// Every limit is finite by default. Setters take and return `self`:
///
/// ```
/// let limits = codec_ws::Limits::default().max_message_len(1 << 20).max_fragments(64);
/// assert_eq!(limits.message_len(), 1 << 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    pub(crate) max_frame_len: u64,
    pub(crate) max_message_len: u64,
    pub(crate) max_fragments: u32,
    pub(crate) max_head_len: usize,
    pub(crate) max_headers: usize,
    pub(crate) allow_non_minimal_lengths: bool,
    pub(crate) allow_unmasked: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_frame_len: 16 << 20,
            max_message_len: 64 << 20,
            // Autobahn 9.x sends 4 MiB in 64-byte fragments (65,536 frames).
            max_fragments: 1 << 17,
            max_head_len: 16 << 10,
            max_headers: 64,
            allow_non_minimal_lengths: false,
            allow_unmasked: false,
        }
    }
}

impl Limits {
    /// Largest frame payload in bytes, checked on the header before any payload is
    /// buffered. Default 16 MiB.
    #[must_use]
    pub fn max_frame_len(mut self, bytes: u64) -> Self {
        self.max_frame_len = bytes;
        self
    }
    /// Largest message in bytes (sum of its fragments; inflated size for compressed
    /// messages, counted while inflating). Default 64 MiB.
    #[must_use]
    pub fn max_message_len(mut self, bytes: u64) -> Self {
        self.max_message_len = bytes;
        self
    }
    /// Most frames per message, so a flood of tiny or empty fragments is cut off. Default 131,072.
    #[must_use]
    pub fn max_fragments(mut self, count: u32) -> Self {
        self.max_fragments = count.max(1);
        self
    }
    /// Largest HTTP upgrade head in bytes. Default 16 KiB.
    #[must_use]
    pub fn max_head_len(mut self, bytes: usize) -> Self {
        self.max_head_len = bytes;
        self
    }
    /// Most header fields in an HTTP upgrade head. Default 64.
    #[must_use]
    pub fn max_headers(mut self, count: usize) -> Self {
        self.max_headers = count;
        self
    }
    /// Accept payload lengths not written in the minimal form. Default `false`
    /// (RFC 6455 §5.2 says the minimal form MUST be used).
    #[must_use]
    pub fn allow_non_minimal_lengths(mut self, allow: bool) -> Self {
        self.allow_non_minimal_lengths = allow;
        self
    }
    /// Let a server accept unmasked client frames. Default `false` (RFC 6455 §5.1).
    #[must_use]
    pub fn allow_unmasked(mut self, allow: bool) -> Self {
        self.allow_unmasked = allow;
        self
    }

    /// The frame limit in bytes.
    #[must_use]
    pub fn frame_len(&self) -> u64 {
        self.max_frame_len
    }
    /// The message limit in bytes.
    #[must_use]
    pub fn message_len(&self) -> u64 {
        self.max_message_len
    }
    /// The fragment limit.
    #[must_use]
    pub fn fragments(&self) -> u32 {
        self.max_fragments
    }
    /// The head-size limit in bytes.
    #[must_use]
    pub fn head_len(&self) -> usize {
        self.max_head_len
    }
    /// The header-count limit.
    #[must_use]
    pub fn headers(&self) -> usize {
        self.max_headers
    }
}
