//! [`Sdp`]: a whole session description, kept losslessly.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use crate::error::Error;
use crate::limits::ParseOptions;
use crate::line::{Line, LineRec};
use crate::parse::{split_lines, validate, Reporter};
use crate::section::{Media, Section};

/// A parsed session description.
///
/// It owns one copy of the input and, per line, where the line is and how it
/// ended; typed views ([`session`](Self::session), [`media`](Self::media))
/// parse fields on demand and borrow from it. Serializing an unedited
/// description gives back the input byte for byte; an edit rewrites only the
/// lines it touches.
///
/// Two descriptions are equal when they serialize to the same bytes.
#[derive(Debug, Clone)]
pub struct Sdp {
    /// Line contents; lines point into it. Edits append new content.
    pub(crate) buf: Vec<u8>,
    pub(crate) lines: Vec<LineRec>,
    /// Indices into `lines` of each `m=` line.
    pub(crate) media: Vec<u32>,
    pub(crate) warnings: Vec<Error>,
    pub(crate) dropped_warnings: usize,
    /// `buf` is exactly the serialized form (no edits yet).
    pub(crate) pristine: bool,
}

impl Sdp {
    /// Parses in lenient mode with default [`Limits`](crate::Limits).
    ///
    /// # Errors
    /// Only when a limit is exceeded; every other problem is a
    /// [warning](Self::warnings).
    ///
    /// ```
    /// let sdp = codec_sdp::Sdp::parse(b"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n")?;
    /// let audio = sdp.media().next().unwrap();
    /// assert_eq!(audio.mid(), Some("0"));
    /// assert_eq!(audio.rtpmap(111).unwrap().encoding, "opus");
    /// assert!(sdp.warnings().is_empty());
    /// # Ok::<(), codec_sdp::Error>(())
    /// ```
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        Self::parse_with(input, ParseOptions::default())
    }

    /// Parses with explicit options.
    ///
    /// # Errors
    /// A limit is exceeded, or (in [`Mode::Strict`](crate::Mode::Strict)) the
    /// first problem Chromium would reject.
    pub fn parse_with(input: &[u8], opts: ParseOptions) -> Result<Self, Error> {
        let max = opts.limits.effective_max_size();
        if input.len() > max {
            return Err(Error::TooLarge {
                len: input.len(),
                max,
            });
        }
        let lines = split_lines(input, &opts)?;
        let mut rep = Reporter::new(&opts);
        let media = validate(input, &lines, &mut rep)?;
        Ok(Self {
            buf: input.to_vec(),
            lines,
            media,
            warnings: rep.warnings,
            dropped_warnings: rep.dropped,
            pristine: true,
        })
    }

    /// Problems found in lenient mode (and, in strict mode, the ones Chromium
    /// tolerates), in line order.
    #[must_use]
    pub fn warnings(&self) -> &[Error] {
        &self.warnings
    }

    /// Warnings not kept because of [`Limits::max_warnings`](crate::Limits::max_warnings).
    #[must_use]
    pub const fn dropped_warnings(&self) -> usize {
        self.dropped_warnings
    }

    /// Number of lines.
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Line `index` (0-based).
    #[must_use]
    pub fn line(&self, index: usize) -> Option<Line<'_>> {
        let r = self.lines.get(index)?;
        Some(self.view(index, r))
    }

    fn view(&self, index: usize, r: &LineRec) -> Line<'_> {
        Line {
            bytes: self.bytes_of(r),
            number: r.number,
            ending: r.ending,
            index,
        }
    }

    /// A line's content; spans always lie inside `buf` (set by the splitter
    /// or by edits that append to `buf`), so `get` never misses.
    pub(crate) fn bytes_of(&self, r: &LineRec) -> &[u8] {
        self.buf
            .get(r.start as usize..(r.start + r.len) as usize)
            .unwrap_or_default()
    }

    /// All lines in order.
    pub fn lines(&self) -> impl ExactSizeIterator<Item = Line<'_>> + '_ {
        self.lines
            .iter()
            .enumerate()
            .map(move |(i, r)| self.view(i, r))
    }

    /// The session-level section (everything before the first `m=`).
    #[must_use]
    pub fn session(&self) -> Section<'_> {
        let end = self.media.first().map_or(self.lines.len(), |m| *m as usize);
        Section::new(self, 0, end, None)
    }

    /// Number of media sections.
    #[must_use]
    pub fn media_count(&self) -> usize {
        self.media.len()
    }

    /// Media section `index` (0-based, the `sdpMLineIndex`).
    #[must_use]
    pub fn media_at(&self, index: usize) -> Option<Media<'_>> {
        (index < self.media.len()).then(|| self.media_section(index))
    }

    /// Requires `index < self.media.len()`.
    fn media_section(&self, index: usize) -> Media<'_> {
        let start = self
            .media
            .get(index)
            .map_or(self.lines.len(), |m| *m as usize);
        let end = self
            .media
            .get(index + 1)
            .map_or(self.lines.len(), |m| *m as usize);
        Media::new(Section::new(self, start, end, Some(index)))
    }

    /// All media sections in order.
    pub fn media(&self) -> impl ExactSizeIterator<Item = Media<'_>> + '_ {
        (0..self.media.len()).map(move |i| self.media_section(i))
    }

    /// The media section whose `a=mid` is `mid`.
    #[must_use]
    pub fn media_by_mid(&self, mid: &str) -> Option<Media<'_>> {
        self.media().find(|m| m.mid() == Some(mid))
    }

    /// Serialized length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        if self.pristine {
            return self.buf.len();
        }
        self.lines
            .iter()
            .map(|l| l.len as usize + l.ending.as_bytes().len())
            .sum()
    }

    /// True if the description has no bytes at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Appends the serialized description to `out`: every line with its
    /// original terminator, in order.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        if self.pristine {
            out.extend_from_slice(&self.buf);
            return;
        }
        out.reserve(self.len());
        for l in &self.lines {
            out.extend_from_slice(self.bytes_of(l));
            out.extend_from_slice(l.ending.as_bytes());
        }
    }

    /// Writes the serialized description into a caller's buffer.
    pub fn encode(&self, dst: &mut bytes::BytesMut) {
        dst.reserve(self.len());
        if self.pristine {
            dst.extend_from_slice(&self.buf);
            return;
        }
        for l in &self.lines {
            dst.extend_from_slice(self.bytes_of(l));
            dst.extend_from_slice(l.ending.as_bytes());
        }
    }

    /// The serialized description.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.write_to(&mut v);
        v
    }

    /// The serialized description as text, if it is valid UTF-8 (Latin-1
    /// text fields are not).
    #[must_use]
    pub fn to_text(&self) -> Option<String> {
        String::from_utf8(self.to_bytes()).ok()
    }
}

impl PartialEq for Sdp {
    fn eq(&self, other: &Self) -> bool {
        self.lines.len() == other.lines.len()
            && self
                .lines
                .iter()
                .zip(&other.lines)
                .all(|(a, b)| a.ending == b.ending && self.bytes_of(a) == other.bytes_of(b))
    }
}

impl Eq for Sdp {}

impl FromStr for Sdp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s.as_bytes())
    }
}

/// Writes the description; bytes that are not UTF-8 (Latin-1 text) are
/// replaced by U+FFFD. Use [`Sdp::write_to`] for the exact bytes.
impl fmt::Display for Sdp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.to_bytes().utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}
