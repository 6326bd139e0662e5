//! Splitting a description into lines (one pass, no per-line allocation) and
//! checking every line against RFC 8866 and the typed attribute grammars.

use alloc::vec::Vec;

use crate::attribute::Attribute;
use crate::error::{Error, Problem, Rule};
use crate::fields::{at_line, Bandwidth, Connection, MediaLine, Origin, Timing};
use crate::limits::{Mode, ParseOptions};
use crate::line::{LineEnding, LineRec};

/// Splits `buf` into lines. Fails only on the limits.
pub(crate) fn split_lines(buf: &[u8], opts: &ParseOptions) -> Result<Vec<LineRec>, Error> {
    let limits = opts.limits;
    // One line per ~40 bytes is typical of browser SDP; avoids regrowth.
    let mut lines = Vec::with_capacity((buf.len() / 40 + 1).min(limits.max_lines));
    let push = |lines: &mut Vec<LineRec>, pos: usize, end: usize, ending| {
        let number = lines.len() + 1;
        if number > limits.max_lines {
            return Err(Error::TooManyLines {
                max: limits.max_lines,
            });
        }
        let len = end - pos;
        if len > limits.max_line_len {
            return Err(Error::LineTooLong {
                line: number as u32,
                len,
                max: limits.max_line_len,
            });
        }
        // Offsets fit: the caller checked buf.len() <= u32::MAX.
        lines.push(LineRec {
            start: pos as u32,
            len: len as u32,
            number: number as u32,
            ending,
            bare_cr: false,
        });
        Ok(())
    };
    // One SIMD pass over the whole input for LF (per-line searches pay
    // memchr's setup cost on every ~35-byte line).
    let mut pos = 0usize;
    let mut crlf = 0usize;
    for nl in memchr::memchr_iter(b'\n', buf) {
        if nl > pos && buf[nl - 1] == b'\r' {
            crlf += 1;
            push(&mut lines, pos, nl - 1, LineEnding::CrLf)?;
        } else {
            push(&mut lines, pos, nl, LineEnding::Lf)?;
        }
        pos = nl + 1;
    }
    if pos < buf.len() {
        push(&mut lines, pos, buf.len(), LineEnding::None)?;
    }
    // A CR that is not part of a CRLF (RFC 8866 allows none inside a line):
    // count them in a second pass and locate them only if there are any.
    if memchr::memchr_iter(b'\r', buf).count() != crlf {
        for cr in memchr::memchr_iter(b'\r', buf) {
            if buf.get(cr + 1) != Some(&b'\n') {
                let i = lines
                    .partition_point(|l| (l.start as usize) <= cr)
                    .saturating_sub(1);
                if let Some(l) = lines.get_mut(i) {
                    l.bare_cr = true;
                }
            }
        }
    }
    Ok(lines)
}

/// Collects warnings, or fails in strict mode on what Chromium rejects.
pub(crate) struct Reporter {
    strict: bool,
    max: usize,
    pub(crate) warnings: Vec<Error>,
    pub(crate) dropped: usize,
}

impl Reporter {
    pub(crate) fn new(opts: &ParseOptions) -> Self {
        Self {
            strict: opts.mode == Mode::Strict,
            max: opts.limits.max_warnings,
            warnings: Vec::new(),
            dropped: 0,
        }
    }

    /// `rejects`: Chromium's setRemoteDescription fails on this problem.
    fn report(&mut self, e: Error, rejects: bool) -> Result<(), Error> {
        if self.strict && rejects {
            return Err(e);
        }
        if self.warnings.len() < self.max {
            self.warnings.push(e);
        } else {
            self.dropped += 1;
        }
        Ok(())
    }
}

/// RFC 8866 §5 session-level order: v o s i u e p c b t r z k a.
const fn session_rank(k: u8) -> Option<u8> {
    Some(match k {
        b'v' => 0,
        b'o' => 1,
        b's' => 2,
        b'i' => 3,
        b'u' => 4,
        b'e' => 5,
        b'p' => 6,
        b'c' => 7,
        b'b' => 8,
        b't' | b'r' => 9,
        b'z' => 10,
        b'k' => 11,
        b'a' => 12,
        _ => return None,
    })
}

/// RFC 8866 §5 media-level order: m i c b k a.
const fn media_rank(k: u8) -> Option<u8> {
    Some(match k {
        b'm' => 0,
        b'i' => 1,
        b'c' => 2,
        b'b' => 3,
        b'k' => 4,
        b'a' => 5,
        _ => return None,
    })
}

/// Checks every line; returns the line indices where media sections start.
pub(crate) fn validate(
    buf: &[u8],
    lines: &[LineRec],
    rep: &mut Reporter,
) -> Result<Vec<u32>, Error> {
    let mut media = Vec::new();
    let mut in_media = false;
    let mut rank = 0u8;
    let mut seen_t = false;
    let mut required = [false; 4]; // v o s t
    let mut singles = 0u16;
    let last = lines.len().saturating_sub(1);
    // One UTF-8 check of the whole input instead of one per attribute value.
    let whole = core::str::from_utf8(buf).ok();
    for (idx, l) in lines.iter().enumerate() {
        let n = l.number;
        let content = &buf[l.start as usize..(l.start + l.len) as usize];
        let err = |col: usize, rule, p| Error::syntax(n, col as u32, rule, p);
        // CR-only input is one long line: report its bare CR, not the end.
        if l.ending == LineEnding::None && idx == last && !l.bare_cr {
            rep.report(
                err(content.len() + 1, Rule::Line, Problem::MissingLineEnding),
                true,
            )?;
        }
        let Some((&k, rest)) = content.split_first() else {
            rep.report(err(1, Rule::Line, Problem::BlankLine), true)?;
            continue;
        };
        if k == b' ' || k == b'\t' {
            rep.report(err(1, Rule::Line, Problem::LeadingWhitespace), true)?;
            continue;
        }
        if !k.is_ascii_lowercase() || rest.first() != Some(&b'=') {
            rep.report(err(1, Rule::Line, Problem::NotTypeValue), true)?;
            continue;
        }
        if l.bare_cr {
            let i = memchr::memchr(b'\r', content).unwrap_or(0);
            rep.report(err(i + 1, Rule::Line, Problem::BareCarriageReturn), true)?;
        }
        let mut v = &content[2..];
        if matches!(content.last(), Some(b' ' | b'\t')) {
            // Chromium 156 (tests/chromium.rs) accepts trailing white space
            // where the value tolerates it (`s=- `, `t=0 0 `, an unknown
            // attribute) and fails where the typed value then breaks
            // (`a=mid:0 `, `a=setup:actpass `): warn here, and let the typed
            // attribute checks below decide. Non-attribute lines are checked
            // without it so the problem is not reported twice.
            rep.report(
                err(content.len(), Rule::Line, Problem::TrailingWhitespace),
                false,
            )?;
            if k != b'a' {
                let keep = v
                    .iter()
                    .rposition(|b| *b != b' ' && *b != b'\t')
                    .map_or(0, |i| i + 1);
                v = &v[..keep];
            }
        }
        if k == b'm' {
            if !in_media {
                check_required(&required, n, rep)?;
            }
            in_media = true;
            rank = 0;
            singles = 0;
            media.push(idx as u32);
        } else if in_media {
            match media_rank(k) {
                Some(r) if r >= rank => rank = r,
                Some(_) => rep.report(err(1, Rule::Order, Problem::OutOfOrder), false)?,
                None if session_rank(k).is_some() => {
                    rep.report(err(1, Rule::Order, Problem::OutOfOrder), false)?;
                }
                None => {
                    rep.report(err(1, Rule::Line, Problem::UnknownLineType), true)?;
                    continue;
                }
            }
        } else {
            match session_rank(k) {
                Some(r) => {
                    if idx < 3 && r != idx as u8 {
                        rep.report(err(1, Rule::Order, Problem::MissingRequiredLine), true)?;
                    } else if k == b'c' && seen_t {
                        // Chromium's parser reads c= before t= and fails otherwise.
                        rep.report(err(1, Rule::Order, Problem::ConnectionAfterTiming), true)?;
                    } else if r < rank {
                        rep.report(err(1, Rule::Order, Problem::OutOfOrder), false)?;
                    }
                    rank = rank.max(r);
                    match k {
                        b'v' => required[0] = true,
                        b'o' => required[1] = true,
                        b's' => required[2] = true,
                        b't' => {
                            required[3] = true;
                            seen_t = true;
                        }
                        _ => {}
                    }
                }
                None => {
                    rep.report(err(1, Rule::Line, Problem::UnknownLineType), true)?;
                    continue;
                }
            }
        }
        // Line content starts after LF and ends before CR/LF: char boundaries.
        let text = whole
            .filter(|_| k == b'a')
            .and_then(|t| t.get(l.start as usize + 2..(l.start + l.len) as usize));
        check_value(k, v, text, n, in_media, &mut singles, rep)?;
    }
    if !in_media {
        check_required(&required, (lines.len() as u32).max(1), rep)?;
    }
    Ok(media)
}

fn check_required(required: &[bool; 4], line: u32, rep: &mut Reporter) -> Result<(), Error> {
    if required.iter().any(|r| !r) {
        rep.report(
            Error::syntax(line, 1, Rule::Order, Problem::MissingRequiredLine),
            true,
        )?;
    }
    Ok(())
}

/// Typed check of one line's value (everything after `<k>=`, column 3).
fn check_value(
    k: u8,
    v: &[u8],
    text: Option<&str>,
    n: u32,
    in_media: bool,
    singles: &mut u16,
    rep: &mut Reporter,
) -> Result<(), Error> {
    let r = match k {
        b'v' if v != b"0" => Err((Rule::Version, crate::scan::ferr(0, Problem::InvalidValue))),
        b'o' => Origin::parse(v).map(drop).map_err(|e| (Rule::Origin, e)),
        b's' if v.is_empty() => Err((Rule::SessionName, crate::scan::ferr(0, Problem::EmptyField))),
        b'c' => Connection::parse(v)
            .map(drop)
            .map_err(|e| (Rule::Connection, e)),
        b'b' => Bandwidth::parse(v)
            .map(drop)
            .map_err(|e| (Rule::Bandwidth, e)),
        b't' => Timing::parse(v).map(drop).map_err(|e| (Rule::Timing, e)),
        b'm' => MediaLine::parse(v).map(drop).map_err(|e| (Rule::Media, e)),
        b'r' => crate::fields::Repeat::parse(v)
            .map(drop)
            .map_err(|e| (Rule::Repeat, e)),
        b'z' => crate::fields::TimeZones::parse(v)
            .map(drop)
            .map_err(|e| (Rule::TimeZone, e)),
        b'a' => return check_attribute(v, text, n, in_media, singles, rep),
        _ => Ok(()),
    };
    if let Err((rule, e)) = r {
        rep.report(at_line(e, n, 3, rule), chromium_rejects(rule, e.problem))?;
    }
    Ok(())
}

/// Whether Chromium 156's setRemoteDescription fails on a malformed value of
/// `rule`. Measured live (tests/chromium.rs): it ignores `v=1`, `t=0`, a
/// non-numeric `o=` session id, `a=rtcp`, `a=ptime`, `a=framerate`,
/// `a=rid:q both`, `r=`/`z=` and a value on a property attribute; it fails on
/// every other malformed line this crate checks.
const fn chromium_rejects(rule: Rule, problem: Problem) -> bool {
    !matches!(
        (rule, problem),
        (
            Rule::Version | Rule::Timing | Rule::Repeat | Rule::TimeZone,
            _
        ) | (Rule::Origin, Problem::InvalidNumber)
            | (
                Rule::Rtcp
                    | Rule::Ptime
                    | Rule::Maxptime
                    | Rule::Framerate
                    | Rule::Rid
                    | Rule::Flag,
                _
            )
    )
}

fn check_attribute(
    v: &[u8],
    text: Option<&str>,
    n: u32,
    in_media: bool,
    singles: &mut u16,
    rep: &mut Reporter,
) -> Result<(), Error> {
    let parsed = match text {
        Some(t) => Attribute::parse_str(t),
        None => Attribute::parse(v),
    };
    match parsed {
        Err((rule, e)) => rep.report(at_line(e, n, 3, rule), chromium_rejects(rule, e.problem)),
        Ok(a) => {
            // RFC 8866 allows any token as fmtp format, but Chromium fails on
            // one that is not a payload type.
            if let Attribute::Fmtp(f) = a {
                if f.pt().is_none() {
                    rep.report(
                        Error::syntax(n, 8, Rule::Fmtp, Problem::InvalidNumber),
                        true,
                    )?;
                }
            }
            // Only needed for the rare warnings below.
            let rule = || {
                crate::attribute::rule_of(crate::attribute::split_attr(v).0)
                    .unwrap_or(Rule::Attribute)
            };
            if let Some(key) = a.single_key() {
                let bit = 1u16 << key;
                if *singles & bit != 0 {
                    // Chromium accepts a duplicated a=mid; keep both, warn.
                    rep.report(Error::syntax(n, 3, rule(), Problem::Duplicate), false)?;
                }
                *singles |= bit;
            }
            if !in_media && a.media_only() {
                rep.report(Error::syntax(n, 3, rule(), Problem::MediaLevelOnly), false)?;
            } else if in_media && a.session_only() {
                rep.report(
                    Error::syntax(n, 3, rule(), Problem::SessionLevelOnly),
                    false,
                )?;
            }
            Ok(())
        }
    }
}
