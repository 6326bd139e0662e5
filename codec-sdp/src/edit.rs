//! Edits that rewrite only the lines they touch.
//!
//! New and rewritten lines take the description's line ending (that of its
//! first line, `\r\n` if it has none). Warnings from the original parse are
//! kept as they were; re-parse the serialized form to re-check.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::attribute::{split_attr, Attribute, Direction};
use crate::error::{Error, Rule};
use crate::fields::{Bandwidth, MediaLine};
use crate::line::{LineEnding, LineRec};
use crate::scan::Num;
use crate::sdp::Sdp;

impl Sdp {
    /// The terminator used for new lines.
    fn new_ending(&self) -> LineEnding {
        match self.lines.first().map(|l| l.ending) {
            Some(LineEnding::Lf) => LineEnding::Lf,
            _ => LineEnding::CrLf,
        }
    }

    fn store(&mut self, content: &[u8], rule: Rule) -> Result<(u32, u32), Error> {
        // A line may not contain its own terminator.
        if content.contains(&b'\n') || content.contains(&b'\r') {
            return Err(Error::InvalidInput { rule });
        }
        if self.buf.len() + content.len() > u32::MAX as usize {
            return Err(Error::InvalidInput { rule });
        }
        // buf no longer equals the serialized form once lines change.
        self.pristine = false;
        // Replaced lines leave their old bytes behind; keep the garbage
        // bounded so that repeated edits do not grow memory without limit.
        if self.buf.len() > 2 * self.len() + 4096 {
            self.compact();
        }
        let start = self.buf.len();
        self.buf.extend_from_slice(content);
        Ok((start as u32, content.len() as u32))
    }

    /// Drops the bytes of removed and replaced lines from the internal
    /// buffer (edits do this by themselves once the garbage outweighs the
    /// live lines).
    pub fn compact(&mut self) {
        if self.pristine {
            // The buffer is exactly the input; nothing to drop.
            return;
        }
        let mut buf = Vec::with_capacity(self.len());
        for l in &mut self.lines {
            let start = buf.len();
            buf.extend_from_slice(
                self.buf
                    .get(l.start as usize..(l.start + l.len) as usize)
                    .unwrap_or_default(),
            );
            // buf is at most the old buffer's size, which fits in u32.
            l.start = start as u32;
        }
        self.buf = buf;
    }

    /// Replaces the content of line `index` (without terminator); the line
    /// keeps its terminator.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `content` holds a CR or LF or `index` is out
    /// of range.
    pub fn replace_line(&mut self, index: usize, content: &[u8]) -> Result<(), Error> {
        if index >= self.lines.len() {
            return Err(Error::InvalidInput { rule: Rule::Line });
        }
        let (start, len) = self.store(content, Rule::Line)?;
        let rec = &mut self.lines[index];
        rec.start = start;
        rec.len = len;
        rec.number = 0;
        self.reindex_media();
        Ok(())
    }

    /// Inserts a line before line `index` (`index == line_count()` appends).
    ///
    /// # Errors
    /// As [`replace_line`](Self::replace_line).
    pub fn insert_line(&mut self, index: usize, content: &[u8]) -> Result<(), Error> {
        if index > self.lines.len() {
            return Err(Error::InvalidInput { rule: Rule::Line });
        }
        let ending = self.new_ending();
        let (start, len) = self.store(content, Rule::Line)?;
        if index == self.lines.len() {
            // The old last line needs a terminator now that one follows it.
            if let Some(last) = self.lines.last_mut() {
                if last.ending == LineEnding::None {
                    last.ending = ending;
                }
            }
        }
        self.lines.insert(
            index,
            LineRec {
                start,
                len,
                number: 0,
                ending,
                bare_cr: false,
            },
        );
        self.pristine = false;
        self.reindex_media();
        Ok(())
    }

    /// Removes line `index`; returns false if there is none.
    pub fn remove_line(&mut self, index: usize) -> bool {
        if index >= self.lines.len() {
            return false;
        }
        self.lines.remove(index);
        self.pristine = false;
        self.reindex_media();
        true
    }

    fn reindex_media(&mut self) {
        let mut media = Vec::with_capacity(self.media.len());
        for (i, l) in self.lines.iter().enumerate() {
            if self.bytes_of(l).starts_with(b"m=") {
                media.push(i as u32);
            }
        }
        self.media = media;
    }

    /// Line index range of media section `index`.
    fn media_range(&self, index: usize) -> Result<core::ops::Range<usize>, Error> {
        let m = self.media_at(index).ok_or(Error::NoSuchMedia { index })?;
        Ok(m.line_range())
    }

    /// A handle to edit media section `index`.
    ///
    /// # Errors
    /// [`Error::NoSuchMedia`].
    pub fn media_mut(&mut self, index: usize) -> Result<MediaMut<'_>, Error> {
        self.media_range(index)?;
        Ok(MediaMut { sdp: self, index })
    }

    /// Appends an attribute line `a=<value>` at the end of the session
    /// section (before the first `m=`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `value` holds a line break.
    pub fn push_session_attribute(&mut self, value: &str) -> Result<(), Error> {
        let at = self.media.first().map_or(self.lines.len(), |m| *m as usize);
        self.insert_line(at, format!("a={value}").as_bytes())
    }

    /// Adds a trickled candidate to the media section it names (by
    /// `sdpMid`, else `sdpMLineIndex`), after that section's last
    /// `a=candidate` line (or at its end). An empty candidate adds
    /// `a=end-of-candidates`.
    ///
    /// # Errors
    /// [`Error::NoSuchMedia`] if the section is not found, or the candidate
    /// does not parse.
    pub fn add_candidate(&mut self, init: &crate::CandidateInit) -> Result<(), Error> {
        let index = init
            .sdp_mid
            .as_deref()
            .and_then(|mid| self.media_by_mid(mid).map(|m| m.index()))
            .or_else(|| init.sdp_m_line_index.map(usize::from))
            .ok_or(Error::NoSuchMedia { index: usize::MAX })?;
        let range = self.media_range(index)?;
        let line = match init.parse()? {
            // Written as in SDP: the `candidate:` prefix becomes `a=candidate:`.
            Some(c) => format!("a={c}"),
            None => String::from("a=end-of-candidates"),
        };
        let after = range
            .clone()
            .rev()
            .find(|i| {
                self.line(*i)
                    .is_some_and(|l| l.bytes().starts_with(b"a=candidate:"))
            })
            .map_or(range.end, |i| i + 1);
        self.insert_line(after, line.as_bytes())
    }

    /// Every `a=candidate` line as a trickle init (`sdpMid`, `sdpMLineIndex`
    /// and, when known, `usernameFragment` filled in).
    #[must_use]
    pub fn candidate_inits(&self) -> Vec<crate::CandidateInit> {
        let mut out = Vec::new();
        for m in self.media() {
            let mid = m.mid().map(String::from);
            let ufrag = m.effective_ice_ufrag().map(String::from);
            for c in m.candidates() {
                out.push(crate::CandidateInit {
                    candidate: format!("{c}"),
                    sdp_mid: mid.clone(),
                    sdp_m_line_index: u16::try_from(m.index()).ok(),
                    username_fragment: ufrag.clone(),
                });
            }
        }
        out
    }
}

/// Edits one media section. Obtained from [`Sdp::media_mut`].
#[derive(Debug)]
pub struct MediaMut<'a> {
    sdp: &'a mut Sdp,
    index: usize,
}

impl MediaMut<'_> {
    fn range(&self) -> core::ops::Range<usize> {
        self.sdp.media_range(self.index).unwrap_or(0..0)
    }

    fn mline(&self) -> Result<MediaLine<'_>, Error> {
        let r = self.range();
        self.sdp
            .line(r.start)
            .and_then(|l| MediaLine::parse(l.value()).ok())
            .ok_or(Error::InvalidInput { rule: Rule::Media })
    }

    fn write_mline(&mut self, port: u16, fmts: &[&str]) -> Result<(), Error> {
        let m = self.mline()?;
        let mut s = format!("m={} {}", m.media, port);
        if let Some(n) = m.num_ports {
            s.push_str(&format!("/{n}"));
        }
        s.push(' ');
        s.push_str(m.proto);
        for f in fmts {
            s.push(' ');
            s.push_str(f);
        }
        let start = self.range().start;
        self.sdp.replace_line(start, s.as_bytes())
    }

    /// Lines of this section whose attribute parses and matches `pred`.
    fn attr_lines(&self, pred: impl Fn(&Attribute<'_>) -> bool) -> Vec<usize> {
        self.range()
            .filter(|i| {
                self.sdp
                    .line(*i)
                    .filter(|l| l.kind() == Some(b'a'))
                    .and_then(|l| Attribute::parse(l.value()).ok())
                    .is_some_and(|a| pred(&a))
            })
            .collect()
    }

    /// Removes the lines at `idx`. Callers filter them from `self.range()`
    /// in order, so they come ascending; an insertion sort (no work on sorted
    /// input, and small code where the library sort is about 3.5 KB of the
    /// npm package's `.wasm`) keeps this right should one not.
    fn remove_lines(&mut self, mut idx: Vec<usize>) -> usize {
        for i in 1..idx.len() {
            let mut j = i;
            while j > 0 && idx[j - 1] > idx[j] {
                idx.swap(j - 1, j);
                j -= 1;
            }
        }
        idx.dedup();
        let n = idx.len();
        for i in idx.into_iter().rev() {
            self.sdp.remove_line(i);
        }
        n
    }

    /// Removes payload type `pt`: from the `m=` line, its `rtpmap`, `fmtp`
    /// and `rtcp-fb` lines, and any RTX (or other) format whose `fmtp` has
    /// `apt=<pt>`, with that format's lines too. Returns the payload types
    /// removed.
    ///
    /// # Errors
    /// [`Error::NoSuchPayloadType`] if the `m=` line does not list `pt`.
    pub fn remove_codec(&mut self, pt: u8) -> Result<Vec<u8>, Error> {
        let m = self.mline()?;
        if !m.payload_types().any(|p| p == pt) {
            return Err(Error::NoSuchPayloadType { pt: pt.into() });
        }
        let mut gone = Vec::from([pt]);
        // RFC 4588 §8.6: an RTX format is bound to its codec by apt.
        for l in self.attr_lines(|a| matches!(a, Attribute::Fmtp(f) if f.apt() == Some(pt))) {
            if let Some(Ok(Attribute::Fmtp(f))) =
                self.sdp.line(l).map(|l| Attribute::parse(l.value()))
            {
                if let Some(p) = f.pt() {
                    if p != pt {
                        gone.push(p);
                    }
                }
            }
        }
        let keep: Vec<String> = m
            .formats()
            .filter(|f| u8::parse_dec(f).is_none_or(|p| !gone.contains(&p)))
            .map(String::from)
            .collect();
        let port = m.port;
        let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
        self.write_mline(port, &keep)?;
        let lines = self.attr_lines(|a| match a {
            Attribute::Rtpmap(r) => gone.contains(&r.pt),
            Attribute::Fmtp(f) => f.pt().is_some_and(|p| gone.contains(&p)),
            Attribute::RtcpFb(f) => u8::parse_dec(f.pt).is_some_and(|p| gone.contains(&p)),
            _ => false,
        });
        self.remove_lines(lines);
        Ok(gone)
    }

    /// Puts `order` first in the `m=` line (in that order), the other formats
    /// after them in their old order. Only the `m=` line changes.
    ///
    /// # Errors
    /// [`Error::NoSuchPayloadType`] for a type the `m=` line does not list.
    pub fn reorder_payload_types(&mut self, order: &[u8]) -> Result<(), Error> {
        let m = self.mline()?;
        let formats: Vec<String> = m.formats().map(String::from).collect();
        let port = m.port;
        let mut out: Vec<&str> = Vec::with_capacity(formats.len());
        for pt in order {
            let f = formats
                .iter()
                .find(|f| u8::parse_dec(f) == Some(*pt))
                .ok_or_else(|| Error::NoSuchPayloadType { pt: (*pt).into() })?;
            if !out.contains(&f.as_str()) {
                out.push(f);
            }
        }
        for f in &formats {
            if !out.contains(&f.as_str()) {
                out.push(f);
            }
        }
        self.write_mline(port, &out)
    }

    /// Sets `b=<bwtype>:<value>`: rewrites the existing line of that type, or
    /// inserts one where RFC 8866 §5 puts it (after `m=`, `i=`, `c=` and other
    /// `b=` lines).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `bwtype` is not a token.
    pub fn set_bandwidth(&mut self, bwtype: &str, value: u64) -> Result<(), Error> {
        if crate::scan::check_token(bwtype, 0).is_err() {
            return Err(Error::InvalidInput {
                rule: Rule::Bandwidth,
            });
        }
        let line = format!("b={bwtype}:{value}");
        let range = self.range();
        let existing = range.clone().find(|i| {
            self.sdp.line(*i).is_some_and(|l| {
                l.kind() == Some(b'b')
                    && Bandwidth::parse(l.value())
                        .is_ok_and(|b| b.bwtype.eq_ignore_ascii_case(bwtype))
            })
        });
        if let Some(i) = existing {
            return self.sdp.replace_line(i, line.as_bytes());
        }
        let mut at = range.start + 1;
        while at < range.end
            && self
                .sdp
                .line(at)
                .is_some_and(|l| matches!(l.kind(), Some(b'i' | b'c' | b'b')))
        {
            at += 1;
        }
        self.sdp.insert_line(at, line.as_bytes())
    }

    /// Removes every `b=<bwtype>` line; returns how many.
    pub fn remove_bandwidth(&mut self, bwtype: &str) -> usize {
        let idx: Vec<usize> = self
            .range()
            .filter(|i| {
                self.sdp.line(*i).is_some_and(|l| {
                    l.kind() == Some(b'b')
                        && Bandwidth::parse(l.value())
                            .is_ok_and(|b| b.bwtype.eq_ignore_ascii_case(bwtype))
                })
            })
            .collect();
        self.remove_lines(idx)
    }

    /// Appends `a=<value>` at the end of the section.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `value` holds a line break.
    pub fn push_attribute(&mut self, value: &str) -> Result<(), Error> {
        let end = self.range().end;
        self.sdp.insert_line(end, format!("a={value}").as_bytes())
    }

    /// Removes every `a=<name>` / `a=<name>:...` line; returns how many.
    pub fn remove_attributes(&mut self, name: &str) -> usize {
        let idx: Vec<usize> = self
            .range()
            .filter(|i| {
                self.sdp.line(*i).is_some_and(|l| {
                    l.kind() == Some(b'a') && split_attr(l.value()).0 == name.as_bytes()
                })
            })
            .collect();
        self.remove_lines(idx)
    }

    /// Sets `a=<name>:<value>` (or `a=<name>` when `value` is `None`):
    /// rewrites the first such line and removes any others, or appends one.
    /// For example `set_attribute("ice-ufrag", Some("abcd"))`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the result would hold a line break.
    pub fn set_attribute(&mut self, name: &str, value: Option<&str>) -> Result<(), Error> {
        let range = self.range();
        crate::session_edit::set_in_range(self.sdp, range, name, value)
    }

    /// Sets the direction: rewrites the existing direction line or appends
    /// one.
    ///
    /// # Errors
    /// Only on internal misuse (never for valid input).
    pub fn set_direction(&mut self, dir: Direction) -> Result<(), Error> {
        let existing = self.attr_lines(|a| matches!(a, Attribute::Direction(_)));
        let line = format!("a={dir}");
        match existing.first() {
            Some(i) => self.sdp.replace_line(*i, line.as_bytes()),
            None => self.push_attribute(dir.as_str()),
        }
    }

    /// Sets the `m=` line port (0 rejects the section, RFC 8866 §5.14).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the `m=` line is malformed.
    pub fn set_port(&mut self, port: u16) -> Result<(), Error> {
        let m = self.mline()?;
        let formats: Vec<String> = m.formats().map(String::from).collect();
        let f: Vec<&str> = formats.iter().map(String::as_str).collect();
        self.write_mline(port, &f)
    }

    /// Adds simulcast (RFC 8853/8851): one `a=rid:<rid> <dir>` line per rid
    /// and `a=simulcast:<dir> r1;r2;...`, appended to the section. `dir` is
    /// `send` or `recv`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if a rid is not a valid rid-id or `dir` is
    /// neither `send` nor `recv`.
    pub fn add_simulcast(&mut self, dir: &str, rids: &[&str]) -> Result<(), Error> {
        let bad = |r: &&str| {
            r.is_empty()
                || !r
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if (dir != "send" && dir != "recv") || rids.is_empty() || rids.iter().any(bad) {
            return Err(Error::InvalidInput {
                rule: Rule::Simulcast,
            });
        }
        for r in rids {
            self.push_attribute(&format!("rid:{r} {dir}"))?;
        }
        self.push_attribute(&format!("simulcast:{dir} {}", rids.join(";")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFER: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n\
a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n\
a=rtpmap:98 VP9/90000\r\na=rtpmap:99 rtx/90000\r\na=fmtp:99 apt=98\r\n";

    #[test]
    fn remove_codec_and_its_rtx() {
        let mut sdp: Sdp = OFFER.parse().unwrap();
        let gone = sdp.media_mut(0).unwrap().remove_codec(96).unwrap();
        assert_eq!(gone, [96, 97]);
        let out = sdp.to_text().unwrap();
        assert!(out.contains("m=video 9 UDP/TLS/RTP/SAVPF 98 99\r\n"));
        assert!(!out.contains(":96 ") && !out.contains(":97 "));
        // Only the touched lines changed.
        let expect = OFFER
            .replace("96 97 98 99", "98 99")
            .replace("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n", "");
        assert_eq!(out, expect);
        assert!(sdp.media_mut(0).unwrap().remove_codec(96).is_err());
    }

    #[test]
    fn reorder_bandwidth_direction_simulcast() {
        let mut sdp: Sdp = OFFER.parse().unwrap();
        let mut m = sdp.media_mut(0).unwrap();
        m.reorder_payload_types(&[98, 99]).unwrap();
        m.set_bandwidth("AS", 500).unwrap();
        m.set_bandwidth("TIAS", 500_000).unwrap();
        m.set_bandwidth("AS", 600).unwrap();
        m.set_direction(Direction::SendOnly).unwrap();
        m.add_simulcast("send", &["q", "h", "f"]).unwrap();
        assert!(m.add_simulcast("both", &["q"]).is_err());
        let out = sdp.to_text().unwrap();
        assert!(out.contains("m=video 9 UDP/TLS/RTP/SAVPF 98 99 96 97\r\nc=IN IP4 0.0.0.0\r\nb=AS:600\r\nb=TIAS:500000\r\na=mid:0\r\n"), "{out}");
        assert!(out.ends_with("a=sendonly\r\na=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n"));
        let again: Sdp = out.parse().unwrap();
        assert!(again.warnings().is_empty(), "{:?}", again.warnings());
        let m = again.media_at(0).unwrap();
        assert_eq!(m.bandwidth("tias"), Some(500_000));
        assert_eq!(m.rids().count(), 3);
        assert_eq!(m.effective_direction(), Direction::SendOnly);
    }

    #[test]
    fn trickle_add_and_list() {
        let mut sdp: Sdp = OFFER.replace("\r\n", "\n").parse().unwrap();
        let init = crate::CandidateInit {
            candidate: "candidate:1 1 udp 5 fd00::2 9 typ host ufrag ab".into(),
            sdp_mid: Some("0".into()),
            ..Default::default()
        };
        sdp.add_candidate(&init).unwrap();
        sdp.add_candidate(&crate::CandidateInit {
            sdp_m_line_index: Some(0),
            ..Default::default()
        })
        .unwrap();
        let out = sdp.to_text().unwrap();
        assert!(
            out.ends_with(
                "a=candidate:1 1 udp 5 fd00::2 9 typ host ufrag ab\na=end-of-candidates\n"
            ),
            "{out}"
        );
        let inits = sdp.candidate_inits();
        assert_eq!(inits.len(), 1);
        assert_eq!(inits[0].candidate, init.candidate);
        assert_eq!(inits[0].sdp_m_line_index, Some(0));
        assert!(sdp
            .add_candidate(&crate::CandidateInit {
                candidate: "candidate:x".into(),
                sdp_mid: Some("0".into()),
                ..Default::default()
            })
            .is_err());
    }

    #[test]
    fn session_and_attribute_edits() {
        let mut sdp: Sdp = OFFER.parse().unwrap();
        assert_eq!(sdp.session_mut().bump_session_version().unwrap(), 3);
        sdp.session_mut().set_bundle(&["0", "x"]).unwrap();
        sdp.session_mut().set_attribute("ice-lite", None).unwrap();
        let mut m = sdp.media_mut(0).unwrap();
        m.set_attribute("ice-ufrag", Some("abcd")).unwrap();
        m.set_attribute("ice-ufrag", Some("efgh")).unwrap();
        m.set_attribute("mid", Some("v")).unwrap();
        let out = sdp.to_text().unwrap();
        assert!(out.starts_with("v=0\r\no=- 1 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 x\r\na=ice-lite\r\nm=video"), "{out}");
        assert!(
            out.contains("a=mid:v\r\n") && out.ends_with("a=ice-ufrag:efgh\r\n"),
            "{out}"
        );
        assert_eq!(out.matches("ice-ufrag").count(), 1);
        assert_eq!(sdp.session_mut().remove_attributes("ice-lite"), 1);
        let again: Sdp = out.parse().unwrap();
        assert!(again.warnings().is_empty(), "{:?}", again.warnings());
        assert_eq!(again.session().origin().unwrap().session_version, "3");
    }

    #[test]
    fn repeated_edits_stay_bounded() {
        let mut sdp: Sdp = OFFER.parse().unwrap();
        for i in 0..10_000u64 {
            sdp.media_mut(0).unwrap().set_bandwidth("AS", i).unwrap();
        }
        assert!(sdp.buf.len() < 3 * sdp.len() + 8192, "{}", sdp.buf.len());
        assert_eq!(sdp.media_at(0).unwrap().bandwidth("AS"), Some(9_999));
        let before = sdp.to_bytes();
        let copy = sdp.clone();
        sdp.compact();
        assert_eq!(sdp.to_bytes(), before);
        assert_eq!(sdp, copy);
        assert_eq!(sdp, Sdp::parse(&before).unwrap());
        assert_eq!(sdp.buf.len(), sdp.len() - sdp.lines.len() * 2);
    }

    #[test]
    fn missing_final_newline_gets_one_on_append() {
        let mut sdp = Sdp::parse(b"v=0\no=- 1 2 IN IP4 h\ns=-\nt=0 0").unwrap();
        sdp.push_session_attribute("ice-lite").unwrap();
        assert_eq!(
            sdp.to_bytes(),
            b"v=0\no=- 1 2 IN IP4 h\ns=-\nt=0 0\na=ice-lite\n"
        );
        assert!(sdp.replace_line(0, b"v=0\r\n").is_err());
    }
}
