//! Size limits and opt-in leniency switches.

/// Size limits for decoding. Every limit is finite by default.
///
/// Setters take and return `self`, so limits chain:
/// `Limits::default().max_head_len(8192).max_headers(50)`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest message head (start line + fields + blank line), in bytes. Default 16 KiB.
    pub max_head_len: usize,
    /// Most header fields in one head. Default 100.
    pub max_headers: usize,
    /// Total bytes of chunk extensions (everything after the chunk size on its
    /// line) in one message. Default 16 KiB (as Node and hyper, after CVE-2024-22019).
    pub max_chunk_ext_len: usize,
    /// Bytes in the trailer section of one message. Default 16 KiB.
    pub max_trailer_len: usize,
    /// Most trailer fields in one message. Default 32.
    pub max_trailers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_head_len: 16 * 1024,
            max_headers: 100,
            max_chunk_ext_len: 16 * 1024,
            max_trailer_len: 16 * 1024,
            max_trailers: 32,
        }
    }
}

impl Limits {
    /// Set [`Limits::max_head_len`].
    #[must_use]
    pub fn max_head_len(mut self, v: usize) -> Self {
        self.max_head_len = v;
        self
    }
    /// Set [`Limits::max_headers`].
    #[must_use]
    pub fn max_headers(mut self, v: usize) -> Self {
        self.max_headers = v;
        self
    }
    /// Set [`Limits::max_chunk_ext_len`].
    #[must_use]
    pub fn max_chunk_ext_len(mut self, v: usize) -> Self {
        self.max_chunk_ext_len = v;
        self
    }
    /// Set [`Limits::max_trailer_len`].
    #[must_use]
    pub fn max_trailer_len(mut self, v: usize) -> Self {
        self.max_trailer_len = v;
        self
    }
    /// Set [`Limits::max_trailers`].
    #[must_use]
    pub fn max_trailers(mut self, v: usize) -> Self {
        self.max_trailers = v;
        self
    }
}

/// Opt-in leniency, one switch per llhttp `LENIENT_*` flag. All are off by
/// default, which is RFC 9112 strict; each one re-opens a framing ambiguity
/// that has been used for request smuggling, so turn one on only to talk to
/// a known broken peer.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Leniency {
    /// llhttp `LENIENT_HEADERS`: a bare CR inside the head ends a line, and
    /// obs-fold is accepted in responses (its value is kept as is).
    pub allow_lenient_headers: bool,
    /// llhttp `LENIENT_CHUNKED_LENGTH`: Content-Length next to Transfer-Encoding
    /// is ignored instead of rejected.
    pub allow_chunked_length: bool,
    /// llhttp `LENIENT_TRANSFER_ENCODING`: a request whose Transfer-Encoding does
    /// not end in `chunked` gets a close-delimited body instead of an error.
    pub allow_transfer_encoding: bool,
    /// llhttp `LENIENT_OPTIONAL_LF_AFTER_CR`: a CR alone ends a chunk-size line.
    pub allow_optional_lf_after_cr: bool,
    /// llhttp `LENIENT_OPTIONAL_CR_BEFORE_LF`: a LF alone ends a line (heads,
    /// chunk-size lines, after chunk data, trailers).
    pub allow_optional_cr_before_lf: bool,
    /// llhttp `LENIENT_OPTIONAL_CRLF_AFTER_CHUNK`: chunk data need not be followed by CRLF.
    pub allow_optional_crlf_after_chunk: bool,
    /// llhttp `LENIENT_SPACES_AFTER_CHUNK_SIZE`: SP/HTAB between the chunk size and CRLF.
    pub allow_spaces_after_chunk_size: bool,
}

impl Leniency {
    /// Every switch on (llhttp's "lenient all" test mode). Not for production.
    #[must_use]
    pub fn all() -> Self {
        Self {
            allow_lenient_headers: true,
            allow_chunked_length: true,
            allow_transfer_encoding: true,
            allow_optional_lf_after_cr: true,
            allow_optional_cr_before_lf: true,
            allow_optional_crlf_after_chunk: true,
            allow_spaces_after_chunk_size: true,
        }
    }
    /// Set [`Leniency::allow_lenient_headers`].
    #[must_use]
    pub fn allow_lenient_headers(mut self, v: bool) -> Self {
        self.allow_lenient_headers = v;
        self
    }
    /// Set [`Leniency::allow_chunked_length`].
    #[must_use]
    pub fn allow_chunked_length(mut self, v: bool) -> Self {
        self.allow_chunked_length = v;
        self
    }
    /// Set [`Leniency::allow_transfer_encoding`].
    #[must_use]
    pub fn allow_transfer_encoding(mut self, v: bool) -> Self {
        self.allow_transfer_encoding = v;
        self
    }
    /// Set [`Leniency::allow_optional_lf_after_cr`].
    #[must_use]
    pub fn allow_optional_lf_after_cr(mut self, v: bool) -> Self {
        self.allow_optional_lf_after_cr = v;
        self
    }
    /// Set [`Leniency::allow_optional_cr_before_lf`].
    #[must_use]
    pub fn allow_optional_cr_before_lf(mut self, v: bool) -> Self {
        self.allow_optional_cr_before_lf = v;
        self
    }
    /// Set [`Leniency::allow_optional_crlf_after_chunk`].
    #[must_use]
    pub fn allow_optional_crlf_after_chunk(mut self, v: bool) -> Self {
        self.allow_optional_crlf_after_chunk = v;
        self
    }
    /// Set [`Leniency::allow_spaces_after_chunk_size`].
    #[must_use]
    pub fn allow_spaces_after_chunk_size(mut self, v: bool) -> Self {
        self.allow_spaces_after_chunk_size = v;
        self
    }
}
