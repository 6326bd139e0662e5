//! The crate's error type: what was wrong, which rule, and where.

use core::fmt;

/// The grammar rule (line type or attribute) a problem was found in.
///
/// Its [`Display`](fmt::Display) form is the name used in RFC 8866 and the
/// attribute registries (`origin`, `rtpmap`, `candidate`, ...).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// The line structure itself (`<type>=<value>` and its terminator), RFC 8866 §5.
    Line,
    /// The order of lines in a section, RFC 8866 §5.
    Order,
    /// `v=` (RFC 8866 §5.1).
    Version,
    /// `o=` (RFC 8866 §5.2).
    Origin,
    /// `s=` (RFC 8866 §5.3).
    SessionName,
    /// `c=` (RFC 8866 §5.7).
    Connection,
    /// `b=` (RFC 8866 §5.8).
    Bandwidth,
    /// `t=` (RFC 8866 §5.9).
    Timing,
    /// `r=` (RFC 8866 §5.10).
    Repeat,
    /// `z=` (RFC 8866 §5.11).
    TimeZone,
    /// `a=` (RFC 8866 §5.13).
    Attribute,
    /// `m=` (RFC 8866 §5.14).
    Media,
    /// `a=rtpmap` (RFC 8866 §6.6).
    Rtpmap,
    /// `a=fmtp` (RFC 8866 §6.15).
    Fmtp,
    /// `a=rtcp-fb` (RFC 4585 §4.2).
    RtcpFb,
    /// `a=extmap` (RFC 8285 §8).
    Extmap,
    /// `a=ssrc` (RFC 5576 §4.1).
    Ssrc,
    /// `a=ssrc-group` (RFC 5576 §4.2).
    SsrcGroup,
    /// `a=msid` (RFC 8830 §2).
    Msid,
    /// `a=msid-semantic` (draft-ietf-mmusic-msid-05).
    MsidSemantic,
    /// `a=mid` (RFC 9143 §6).
    Mid,
    /// `a=group` (RFC 5888 §5).
    Group,
    /// `a=ice-ufrag` (RFC 8839 §5.4).
    IceUfrag,
    /// `a=ice-pwd` (RFC 8839 §5.4).
    IcePwd,
    /// `a=ice-options` (RFC 8839 §5.6).
    IceOptions,
    /// `a=candidate` (RFC 8839 §5.1).
    Candidate,
    /// `a=fingerprint` (RFC 8122 §5).
    Fingerprint,
    /// `a=setup` (RFC 4145 §4).
    Setup,
    /// `a=sctp-port` (RFC 8841 §5).
    SctpPort,
    /// `a=max-message-size` (RFC 8841 §6).
    MaxMessageSize,
    /// `a=sctpmap` (draft-ietf-mmusic-sctp-sdp-05).
    Sctpmap,
    /// `a=simulcast` (RFC 8853 §5.1).
    Simulcast,
    /// `a=rid` (RFC 8851 §10).
    Rid,
    /// `a=rtcp` (RFC 3605 §2.1).
    Rtcp,
    /// `a=ptime` (RFC 8866 §6.4).
    Ptime,
    /// `a=maxptime` (RFC 8866 §6.5).
    Maxptime,
    /// `a=framerate` (RFC 8866 §6.12).
    Framerate,
    /// A property attribute that was given a value (`a=rtcp-mux:x`).
    Flag,
    /// A trickled ICE candidate init object (W3C WebRTC `RTCIceCandidateInit`).
    CandidateInit,
}

impl Rule {
    /// The rule's name as written in SDP (`rtpmap`, `candidate`, `origin`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Line => "line",
            Self::Order => "line-order",
            Self::Version => "version",
            Self::Origin => "origin",
            Self::SessionName => "session-name",
            Self::Connection => "connection",
            Self::Bandwidth => "bandwidth",
            Self::Timing => "timing",
            Self::Repeat => "repeat",
            Self::TimeZone => "zone-adjustments",
            Self::Attribute => "attribute",
            Self::Media => "media",
            Self::Rtpmap => "rtpmap",
            Self::Fmtp => "fmtp",
            Self::RtcpFb => "rtcp-fb",
            Self::Extmap => "extmap",
            Self::Ssrc => "ssrc",
            Self::SsrcGroup => "ssrc-group",
            Self::Msid => "msid",
            Self::MsidSemantic => "msid-semantic",
            Self::Mid => "mid",
            Self::Group => "group",
            Self::IceUfrag => "ice-ufrag",
            Self::IcePwd => "ice-pwd",
            Self::IceOptions => "ice-options",
            Self::Candidate => "candidate",
            Self::Fingerprint => "fingerprint",
            Self::Setup => "setup",
            Self::SctpPort => "sctp-port",
            Self::MaxMessageSize => "max-message-size",
            Self::Sctpmap => "sctpmap",
            Self::Simulcast => "simulcast",
            Self::Rid => "rid",
            Self::Rtcp => "rtcp",
            Self::Ptime => "ptime",
            Self::Maxptime => "maxptime",
            Self::Framerate => "framerate",
            Self::Flag => "property-attribute",
            Self::CandidateInit => "candidate-init",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was wrong with a line or field.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// An empty line (Chromium rejects it).
    BlankLine,
    /// The line does not have the form `<letter>=<value>`.
    NotTypeValue,
    /// The line starts with white space (Chromium rejects it).
    LeadingWhitespace,
    /// The line ends with white space before its terminator (Chromium rejects
    /// it only where the typed value then breaks, e.g. `a=mid:0 `).
    TrailingWhitespace,
    /// A carriage return that is not followed by a line feed (Chromium rejects CR-only line ends).
    BareCarriageReturn,
    /// The last line has no terminator (Chromium rejects it).
    MissingLineEnding,
    /// A line type letter RFC 8866 does not define (Chromium rejects it).
    UnknownLineType,
    /// The description does not start with `v=`, `o=`, `s=`.
    MissingRequiredLine,
    /// A line that is out of the RFC 8866 §5 order.
    OutOfOrder,
    /// A session-level `c=` after `t=` (Chromium rejects it).
    ConnectionAfterTiming,
    /// A required field is missing.
    MissingField,
    /// More fields than the rule allows.
    ExtraField,
    /// A field is empty where it must not be.
    EmptyField,
    /// A number is malformed or out of range.
    InvalidNumber,
    /// A token contains a character the grammar does not allow.
    InvalidToken,
    /// A field that must be ASCII/UTF-8 is not.
    NotText,
    /// A value outside the set the grammar allows.
    InvalidValue,
    /// A single-valued attribute appears twice in one section.
    Duplicate,
    /// An attribute that belongs in a media section appears at session level.
    MediaLevelOnly,
    /// An attribute that belongs at session level appears in a media section.
    SessionLevelOnly,
}

impl Problem {
    /// A short English description.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BlankLine => "blank line",
            Self::NotTypeValue => "expected <type>=<value>",
            Self::LeadingWhitespace => "line starts with white space",
            Self::TrailingWhitespace => "white space at end of line",
            Self::BareCarriageReturn => "carriage return without line feed",
            Self::MissingLineEnding => "last line has no line ending",
            Self::UnknownLineType => "unknown line type",
            Self::MissingRequiredLine => "missing required line",
            Self::OutOfOrder => "line out of order",
            Self::ConnectionAfterTiming => "session c= after t=",
            Self::MissingField => "missing field",
            Self::ExtraField => "unexpected extra field",
            Self::EmptyField => "empty field",
            Self::InvalidNumber => "invalid number",
            Self::InvalidToken => "invalid token",
            Self::NotText => "field is not valid text",
            Self::InvalidValue => "value not allowed",
            Self::Duplicate => "duplicate single-valued attribute",
            Self::MediaLevelOnly => "media-level attribute at session level",
            Self::SessionLevelOnly => "session-level attribute in a media section",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every error (and every lenient-mode warning) this crate reports.
///
/// Positions are 1-based: `line` counts lines of the input, `column` counts
/// bytes within the line. A `line` of 0 means the value was not read from a
/// line (a trickled candidate string, an edit).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A line or field breaks a grammar rule.
    #[error("{line}:{column}: {rule}: {problem}")]
    Syntax {
        /// 1-based line number.
        line: u32,
        /// 1-based byte column within the line.
        column: u32,
        /// The rule that was broken.
        rule: Rule,
        /// What was wrong.
        problem: Problem,
    },
    /// The whole description is larger than [`Limits::max_size`](crate::Limits::max_size).
    #[error("description is {len} bytes, limit is {max}")]
    TooLarge {
        /// Size of the input.
        len: usize,
        /// The configured limit.
        max: usize,
    },
    /// A line is longer than [`Limits::max_line_len`](crate::Limits::max_line_len).
    #[error("{line}:1: line is {len} bytes, limit is {max}")]
    LineTooLong {
        /// 1-based line number.
        line: u32,
        /// Length of the line without its terminator.
        len: usize,
        /// The configured limit.
        max: usize,
    },
    /// More lines than [`Limits::max_lines`](crate::Limits::max_lines).
    #[error("more than {max} lines")]
    TooManyLines {
        /// The configured limit.
        max: usize,
    },
    /// An edit named a media section that does not exist.
    #[error("no media section {index}")]
    NoSuchMedia {
        /// The index asked for.
        index: usize,
    },
    /// An edit named a payload type the media section does not list.
    #[error("payload type {pt} is not in the m= line")]
    NoSuchPayloadType {
        /// The payload type asked for.
        pt: u16,
    },
    /// A value given to the builder or an edit would not produce a valid line
    /// (for example it contains a line break).
    #[error("{rule}: value would not make a valid line")]
    InvalidInput {
        /// The rule the value was meant for.
        rule: Rule,
    },
    /// JSON input could not be read (feature `json`).
    #[error("{line}:{column}: invalid JSON description")]
    Json {
        /// 1-based line in the JSON text (0 if unknown).
        line: u32,
        /// 1-based column in the JSON text (0 if unknown).
        column: u32,
    },
    /// A JSON value as a tape ([`crate::json_tape`]) could not be read
    /// (feature `json`).
    #[error("byte {offset}: malformed JSON tape")]
    JsonTape {
        /// How far the reader got: the fault is at this byte or just before
        /// it (the tape's length for a tape cut short).
        offset: usize,
    },
    /// A JSON field holds a line break that would split the SDP line it is
    /// written into, or a CR that would merge with an LF line ending: the
    /// SDP would not say what the JSON says (feature `json`).
    #[error("line {line}: a JSON field would break the SDP line")]
    JsonLineBreak {
        /// 1-based SDP line the field was written into.
        line: u32,
    },
}

impl Error {
    /// Builds a [`Error::Syntax`].
    #[must_use]
    pub const fn syntax(line: u32, column: u32, rule: Rule, problem: Problem) -> Self {
        Self::Syntax {
            line,
            column,
            rule,
            problem,
        }
    }

    /// The 1-based line the problem is on, if it has one.
    #[must_use]
    pub const fn line(&self) -> Option<u32> {
        match self {
            Self::Syntax { line, .. }
            | Self::LineTooLong { line, .. }
            | Self::JsonLineBreak { line }
                if *line > 0 =>
            {
                Some(*line)
            }
            _ => None,
        }
    }

    /// The rule broken, for syntax problems.
    #[must_use]
    pub const fn rule(&self) -> Option<Rule> {
        match self {
            Self::Syntax { rule, .. } => Some(*rule),
            _ => None,
        }
    }

    /// The problem, for syntax problems.
    #[must_use]
    pub const fn problem(&self) -> Option<Problem> {
        match self {
            Self::Syntax { problem, .. } => Some(*problem),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn display_has_position_and_rule() {
        let e = Error::syntax(7, 12, Rule::Rtpmap, Problem::InvalidNumber);
        assert_eq!(e.to_string(), "7:12: rtpmap: invalid number");
        assert_eq!(e.line(), Some(7));
        assert_eq!(e.rule(), Some(Rule::Rtpmap));
    }
}
