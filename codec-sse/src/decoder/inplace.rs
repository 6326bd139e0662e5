//! Lines parsed in place from the caller's chunk, for
//! [`Parser::feed_with`](crate::Parser::feed_with): chunks handed over whole
//! (large ones), a line completed from the parser's own buffer, and text
//! staged in that buffer (small chunks).

use alloc::string::String;
use bytes::BytesMut;

use super::value::{Cur, Slot, Val};
use super::{Decoder, BOM};
use crate::event::ItemRef;
use crate::scan::LineEnds;
use crate::Error;

impl Decoder {
    /// Handles the complete lines at the front of `input` in place, handing
    /// each item to `f`, and returns how many bytes were used; the rest is an
    /// unfinished line (or a BOM not yet complete) for the caller to keep and
    /// hand to [`hold`](Self::hold). With `copy`, values are copied rather
    /// than pointed to (for a buffer about to be reused). See
    /// [`Parser::feed_with`](crate::Parser::feed_with).
    pub(crate) fn feed_slice<F: FnMut(ItemRef<'_>)>(
        &mut self,
        input: &[u8],
        copy: bool,
        f: &mut F,
    ) -> Result<usize, Error> {
        let Some(start) = self.prelude(input)? else {
            return Ok(0);
        };
        let cur = Cur::new(&input[start..], copy);
        self.run(cur, start, f)
    }

    /// [`feed_slice`](Self::feed_slice) for input already known to be valid
    /// UTF-8.
    #[inline]
    pub(crate) fn feed_str<F: FnMut(ItemRef<'_>)>(
        &mut self,
        input: &str,
        f: &mut F,
    ) -> Result<usize, Error> {
        let Some(start) = self.prelude(input.as_bytes())? else {
            return Ok(0);
        };
        // `start` follows a BOM or an LF: a char boundary.
        let cur = Cur::Valid(input.get(start..).unwrap_or_default());
        self.run(cur, start, f)
    }

    /// Before lines borrowed from the caller: a sticky error, the owned
    /// region to let go of, a BOM at the start of the stream and the LF of a
    /// CRLF cut by the previous input. Returns where the lines start, or
    /// `None` when `input` is the start of a BOM that is not complete yet.
    #[inline(always)]
    pub(super) fn prelude(&mut self, input: &[u8]) -> Result<Option<usize>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if !self.region.cur().bytes().is_empty() {
            // Values still pointing into the owned region are copied out:
            // from here on, positions are positions in `input`.
            self.release_region();
        }
        let mut start = 0;
        if self.at_start {
            let n = input.len().min(3);
            if input[..n] != BOM[..n] {
                self.at_start = false;
            } else if n < 3 {
                return Ok(None);
            } else {
                start = 3;
                self.offset += 3;
                self.at_start = false;
            }
        }
        if self.skip_lf && start < input.len() {
            self.skip_lf = false;
            if input[start] == b'\n' {
                start += 1;
                self.offset += 1;
            }
        }
        Ok(Some(start))
    }

    /// Runs the line loop over `cur` (which starts at `input[start]`),
    /// handing each item to `f`; returns how many bytes of `input` were used.
    #[inline(always)]
    pub(super) fn run<F: FnMut(ItemRef<'_>)>(
        &mut self,
        cur: Cur<'_>,
        start: usize,
        f: &mut F,
    ) -> Result<usize, Error> {
        self.region_offset = self.offset;
        let (mut pos, mut ends) = (0, LineEnds::new());
        let r = loop {
            match self.lines(cur, &mut pos, &mut ends) {
                Ok(Some(e)) => f(self.item_in(cur, e)),
                Ok(None) => break Ok(start + pos),
                Err(e) => {
                    self.error = Some(e.clone());
                    break Err(e);
                }
            }
        };
        self.offset += pos as u64;
        self.spill(cur);
        r
    }

    /// Handles one complete line that the caller kept while it was
    /// unfinished: `line` ends with its (first) line end, and the caller is
    /// about to reuse its memory, so values are copied.
    pub(crate) fn feed_line<F: FnMut(ItemRef<'_>)>(
        &mut self,
        line: &[u8],
        f: &mut F,
    ) -> Result<(), Error> {
        if !self.quiet() {
            return self.feed_line_slow(line, f);
        }
        let cur = Cur::new(line, true);
        if cur.bytes().len() < line.len() {
            // `line` ends with a line end, so a character cut at its end
            // cannot be what was left out; stay correct anyway.
            return self.feed_line_slow(line, f);
        }
        self.one_line(cur, f)
    }

    /// [`feed_line`](Self::feed_line) for a line known to be valid UTF-8.
    #[inline]
    pub(crate) fn feed_line_str<F: FnMut(ItemRef<'_>)>(
        &mut self,
        line: &str,
        f: &mut F,
    ) -> Result<(), Error> {
        if !self.quiet() {
            return self.feed_line_slow(line.as_bytes(), f);
        }
        self.one_line(Cur::Copy(line), f)
    }

    /// No sticky error, BOM, CRLF half, discarded line or owned region to
    /// take care of first.
    #[inline(always)]
    pub(super) fn quiet(&self) -> bool {
        !(self.at_start || self.skip_lf || self.discarding || self.error.is_some())
            && self.region.cur().bytes().is_empty()
    }

    pub(super) fn feed_line_slow<F: FnMut(ItemRef<'_>)>(
        &mut self,
        line: &[u8],
        f: &mut F,
    ) -> Result<(), Error> {
        let used = self.feed_slice(line, true, f)?;
        debug_assert_eq!(used, line.len(), "a kept line is used whole");
        Ok(())
    }

    /// The line `cur` (copied values), which ends with its line end.
    #[inline(always)]
    pub(super) fn one_line<F: FnMut(ItemRef<'_>)>(
        &mut self,
        cur: Cur<'_>,
        f: &mut F,
    ) -> Result<(), Error> {
        let line = cur.bytes();
        let Some(end) = line.len().checked_sub(1) else {
            return Ok(());
        };
        self.region_offset = self.offset;
        self.offset += line.len() as u64;
        // A CR ends the line at once; an LF at the start of the next input
        // belongs to it.
        self.skip_lf = line[end] == b'\r';
        match self.line(cur, 0, end) {
            Ok(e) => {
                self.line += 1;
                if let Some(e) = e {
                    f(self.item_in(cur, e));
                }
                self.spill(cur);
                Ok(())
            }
            Err(e) => {
                self.error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// `buf` holds an unfinished line (no line end) that the caller keeps
    /// until more input completes it: strips a BOM, applies the limits, and
    /// drops the line if it cannot matter.
    pub(crate) fn hold(&mut self, buf: &mut BytesMut) -> Result<(), Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.at_start {
            let n = buf.len().min(3);
            if buf[..n] != BOM[..n] {
                self.at_start = false;
            } else if n < 3 {
                return Ok(());
            } else {
                self.flush(buf, 3);
                self.at_start = false;
            }
        }
        if !buf.is_empty() {
            // The byte after a CR is here and is not an LF.
            self.skip_lf = false;
        }
        let r = self.incomplete(buf);
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    /// Can the caller stage text ([`feed_stage`](Self::feed_stage)), or is
    /// a BOM, a CRLF half, an error or the owned region to be dealt with?
    #[inline]
    pub(crate) fn stageable(&self) -> bool {
        !(self.at_start || self.skip_lf || self.error.is_some())
            && self.region.cur().bytes().is_empty()
    }

    /// Runs the line loop over `stage` (text the caller keeps between calls)
    /// from `from`, the start of the unfinished line; bytes before it were
    /// handled and values may point into them, bytes from `scan_from` on are
    /// new. Returns where the new unfinished line starts; values keep
    /// pointing into `stage` (see [`restage`](Self::restage)), except the
    /// committed last event ID, which is copied out so that
    /// [`last_event_id`](Self::last_event_id) reads it without the stage.
    pub(crate) fn feed_stage<F: FnMut(ItemRef<'_>)>(
        &mut self,
        stage: &str,
        from: usize,
        scan_from: usize,
        f: &mut F,
    ) -> Result<usize, Error> {
        let cur = Cur::Valid(stage);
        self.region_offset = self.offset.wrapping_sub(from as u64);
        let (mut pos, mut ends) = (from, LineEnds::at(scan_from));
        let r = loop {
            match self.lines(cur, &mut pos, &mut ends) {
                Ok(Some(e)) => f(self.item_in(cur, e)),
                Ok(None) => break Ok(pos),
                Err(e) => {
                    self.error = Some(e.clone());
                    break Err(e);
                }
            }
        };
        self.offset = self.region_offset.wrapping_add(pos as u64);
        self.data_out = Val::Empty;
        self.type_out = Val::Empty;
        self.comment.val = Val::Empty;
        // A few bytes, once per stage that committed an ID.
        self.committed.spill(cur);
        r
    }

    /// Where the earliest value pointing into the staged text starts.
    pub(crate) fn staged_from(&self) -> Option<usize> {
        let start = |s: &Slot| match s.val {
            Val::At(a, _) => a,
            Val::Empty | Val::Buf => usize::MAX,
        };
        let min = start(&self.data)
            .min(start(&self.event_type))
            .min(start(&self.pending))
            .min(start(&self.committed));
        (min != usize::MAX).then_some(min)
    }

    /// The caller drops `stage[..cut]`: values that start before `cut` are
    /// copied out, the others move with the text.
    pub(crate) fn restage(&mut self, stage: &str, cut: usize) {
        let cur = Cur::Valid(stage);
        for s in [
            &mut self.data,
            &mut self.event_type,
            &mut self.pending,
            &mut self.committed,
        ] {
            match s.val {
                Val::At(a, b) if a >= cut => s.val = Val::At(a - cut, b - cut),
                Val::At(..) => s.spill(cur),
                Val::Empty | Val::Buf => {}
            }
        }
    }

    /// [`hold`](Self::hold) for the unfinished line `stage[from..]`;
    /// truncates `stage` to `from` when the line cannot matter.
    pub(crate) fn hold_staged(&mut self, stage: &mut String, from: usize) -> Result<(), Error> {
        // Anything here follows a line end: no BOM, and not the LF of a CRLF.
        self.skip_lf = false;
        match self.keep_partial(stage.as_bytes().get(from..).unwrap_or_default()) {
            Ok(true) => Ok(()),
            Ok(false) => {
                // `from` follows a line end: a char boundary.
                if stage.is_char_boundary(from) {
                    stage.truncate(from);
                }
                Ok(())
            }
            Err(e) => {
                self.error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// [`hold`](Self::hold) for an unfinished line kept as text.
    pub(crate) fn hold_str(&mut self, carry: &mut String) -> Result<(), Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if carry.is_empty() {
            return Ok(());
        }
        if self.at_start {
            // Text cannot hold part of a BOM, only all of it.
            if carry.starts_with('\u{FEFF}') {
                carry.drain(..3);
                self.offset += 3;
            }
            self.at_start = false;
        }
        // The byte after a CR is here and is not an LF.
        self.skip_lf = false;
        match self.keep_partial(carry.as_bytes()) {
            Ok(keep) => {
                if !keep {
                    carry.clear();
                }
                Ok(())
            }
            Err(e) => {
                self.error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Forgets the search cursor over the caller's unfinished line: the
    /// caller emptied its buffer after handing it to
    /// [`feed_slice`](Self::feed_slice).
    pub(crate) fn carry_used(&mut self) {
        self.scanned = 0;
    }
}
