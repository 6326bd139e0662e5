//! Size limits and parse options.

/// Upper bounds on what [`Sdp::parse`](crate::Sdp::parse) accepts, for servers
/// that parse descriptions from untrusted peers.
///
/// Every limit is finite by default. Memory used by a parse is bounded by
/// about `max_size` (one copy of the input) plus 16 bytes per line plus the
/// warnings (at most `max_warnings`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted description, in bytes. Default 1 MiB; values above
    /// `u32::MAX` are clamped.
    pub max_size: usize,
    /// Longest accepted line, in bytes, without its terminator. Default
    /// 256 KiB (Chromium accepts a 100 KB attribute line).
    pub max_line_len: usize,
    /// Most lines accepted. Default 65 536.
    pub max_lines: usize,
    /// Most warnings kept in lenient mode; later ones are dropped (the count of
    /// dropped ones is still reported). Default 1024.
    pub max_warnings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_size: 1 << 20,
            max_line_len: 256 << 10,
            max_lines: 65_536,
            max_warnings: 1024,
        }
    }
}

impl Limits {
    /// Sets [`max_size`](Self::max_size).
    #[must_use]
    pub const fn max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// Sets [`max_line_len`](Self::max_line_len).
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Sets [`max_lines`](Self::max_lines).
    #[must_use]
    pub const fn max_lines(mut self, lines: usize) -> Self {
        self.max_lines = lines;
        self
    }

    /// Sets [`max_warnings`](Self::max_warnings).
    #[must_use]
    pub const fn max_warnings(mut self, warnings: usize) -> Self {
        self.max_warnings = warnings;
        self
    }

    /// `max_size` with the internal `u32` offset bound applied.
    pub(crate) const fn effective_max_size(self) -> usize {
        if self.max_size > u32::MAX as usize {
            u32::MAX as usize
        } else {
            self.max_size
        }
    }
}

/// How strictly to parse.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Parse everything that can be parsed; every problem becomes a warning
    /// with its line number, no line is changed. Only the [`Limits`] fail.
    #[default]
    Lenient,
    /// Fail with the first problem Chromium's `setRemoteDescription` also
    /// rejects: blank lines, leading white space, CR-only or missing line
    /// ends, unknown line types, session `c=` after `t=`, empty `s=`, and
    /// malformed `o= c= b= m=` or known attributes (`a=mid: 0`, `a=mid:0 `,
    /// `a=rtpmap:111 opus`, `a=fmtp:abc ...`, a bad fingerprint or candidate).
    /// What Chromium 156 tolerates stays a warning: duplicate `a=mid`, unknown
    /// attributes, trailing white space after free text, `v=1`, `t=0`, a
    /// non-numeric `o=` session id, malformed `a=rtcp`, `a=ptime`,
    /// `a=framerate`, `a=rid`, `r=`, `z=`. `tests/chromium.rs` checks 47 such
    /// cases against a live Chromium.
    Strict,
}

/// Options for [`Sdp::parse_with`](crate::Sdp::parse_with).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParseOptions {
    /// Lenient (default) or strict.
    pub mode: Mode,
    /// Size limits.
    pub limits: Limits,
}

impl ParseOptions {
    /// Lenient mode with default limits.
    #[must_use]
    pub fn lenient() -> Self {
        Self::default()
    }

    /// Strict mode with default limits.
    #[must_use]
    pub fn strict() -> Self {
        Self {
            mode: Mode::Strict,
            limits: Limits::default(),
        }
    }

    /// Sets the mode.
    #[must_use]
    pub const fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the limits.
    #[must_use]
    pub const fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}
