//! The line loop (WHATWG HTML §9.2.6, "interpreting an event stream"):
//! each complete line is a field, a comment or a blank line that dispatches.

use core::mem;

use super::value::{Cur, Val};
use super::{Decoder, Emit};
use crate::event::{EventRef, ItemRef};
use crate::field::{self, Field};
use crate::scan::LineEnds;
use crate::Error;

impl Decoder {
    /// The borrowed item for what the line loop found in `cur`.
    #[inline(always)]
    pub(super) fn item_in<'a>(&'a self, cur: Cur<'a>, e: Emit) -> ItemRef<'a> {
        let id = self.committed.get(self.committed.val, cur);
        match e {
            Emit::Event => ItemRef::Event(EventRef::from_parts(
                (self.type_out != Val::Empty).then(|| self.event_type.get(self.type_out, cur)),
                self.data.get(self.data_out, cur),
                id,
            )),
            Emit::Retry(ms) => ItemRef::Retry(ms),
            Emit::Id => ItemRef::Id(id),
            Emit::Comment => ItemRef::Comment(self.comment.get(self.comment.val, cur)),
        }
    }

    /// Copies the values still pointing into `cur` before those lines go,
    /// and forgets the item just handed out.
    #[inline]
    pub(super) fn spill(&mut self, cur: Cur<'_>) {
        if let Cur::Valid(_) = cur {
            self.data.spill(cur);
            self.event_type.spill(cur);
            self.pending.spill(cur);
            self.committed.spill(cur);
        }
        self.data_out = Val::Empty;
        self.type_out = Val::Empty;
        self.comment.val = Val::Empty;
    }

    /// `line` is the unfinished line so far: should the caller keep it?
    /// Lines that cannot matter (an unknown field, or a comment nobody asked
    /// for) are dropped as they arrive; the others count against the limits.
    #[inline]
    pub(super) fn keep_partial(&mut self, line: &[u8]) -> Result<bool, Error> {
        let len = line.len();
        if self.discarding || !field::may_matter(&line[..len.min(6)], self.comments) {
            self.discarding = true;
            self.offset += len as u64;
            self.scanned = 0;
            return Ok(false);
        }
        let at = self.offset;
        if len > self.limits.line_len() {
            return Err(self.line_too_long(at));
        }
        // Enforce the event limit as the bytes of a data line arrive (the
        // check only matters once the line could reach it).
        if self.data_len.saturating_add(len) > self.limits.event_len() {
            if let (Field::Data, vstart) = field::classify(line) {
                let sep = usize::from(self.has_data);
                if self.data_len.saturating_add(sep + len - vstart) > self.limits.event_len() {
                    return Err(self.event_too_large(at));
                }
            }
        }
        Ok(true)
    }

    pub(super) fn line_too_long(&self, offset: u64) -> Error {
        Error::LineTooLong {
            line: self.line,
            offset,
            max: self.limits.line_len(),
        }
    }

    pub(super) fn event_too_large(&self, offset: u64) -> Error {
        Error::EventTooLarge {
            line: self.line,
            offset,
            max: self.limits.event_len(),
        }
    }

    /// Handles the lines of `cur` from `*pos` until one yields an item or
    /// the lines are used up.
    #[inline(always)]
    pub(super) fn lines(
        &mut self,
        cur: Cur<'_>,
        pos: &mut usize,
        ends: &mut LineEnds,
    ) -> Result<Option<Emit>, Error> {
        let buf = cur.bytes();
        let mut p = *pos;
        let mut e = *ends;
        let r = loop {
            let Some(end) = e.next(buf, p) else {
                break Ok(None);
            };
            let mut next = end + 1;
            if buf[end] == b'\r' {
                // A CR ends the line at once; one LF right after it is part of
                // the same line end, even when it has not arrived yet.
                match buf.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.skip_lf = true,
                }
            }
            let r = if self.discarding {
                // The rest of a line already found not to matter.
                self.discarding = false;
                Ok(None)
            } else {
                self.line(cur, p, end)
            };
            self.line += 1;
            match r {
                Ok(None) => p = next,
                Ok(Some(item)) => {
                    p = next;
                    break Ok(Some(item));
                }
                Err(err) => {
                    // The error names this line.
                    self.line -= 1;
                    break Err(err);
                }
            }
        };
        *pos = p;
        *ends = e;
        r
    }

    /// Handles the complete line `cur[pos..end]`.
    #[inline(always)]
    pub(super) fn line(
        &mut self,
        cur: Cur<'_>,
        pos: usize,
        end: usize,
    ) -> Result<Option<Emit>, Error> {
        if end == pos {
            return Ok(self.dispatch());
        }
        let line = &cur.bytes()[pos..end];
        if line.len() > self.limits.line_len()
            && field::may_matter(&line[..line.len().min(6)], self.comments)
        {
            // Same rule as for an unfinished line: only lines that matter count.
            return Err(self.line_too_long(self.region_offset + pos as u64));
        }
        let (f, v) = field::classify_at(cur.bytes(), pos, end);
        let vstart = pos + v;
        match f {
            Field::Data => self.data_line(cur, pos, vstart, end)?,
            // `event:` with an empty value: the type defaults again.
            Field::Event => self.event_type.set(cur, vstart, end),
            // §9.2.6: an id containing U+0000 NULL is ignored.
            Field::Id if !field::has_nul(&line[v..]) => {
                self.has_pending = true;
                self.pending.set(cur, vstart, end);
            }
            Field::Retry => return Ok(field::parse_retry(&line[v..]).map(Emit::Retry)),
            Field::Comment if self.comments => {
                self.comment.set(cur, vstart, end);
                return Ok(Some(Emit::Comment));
            }
            Field::Id | Field::Comment | Field::Other => {}
        }
        Ok(None)
    }

    /// A `data` line: append to the data buffer (§9.2.6), sharing the input
    /// while the event has a single line.
    #[inline(always)]
    pub(super) fn data_line(
        &mut self,
        cur: Cur<'_>,
        pos: usize,
        vstart: usize,
        end: usize,
    ) -> Result<(), Error> {
        let sep = usize::from(self.has_data);
        let total = self.data_len.saturating_add(end - vstart + sep);
        if total > self.limits.event_len() {
            return Err(self.event_too_large(self.region_offset + pos as u64));
        }
        self.data_len = total;
        if self.has_data {
            self.data.append_line(cur, vstart, end);
        } else {
            self.has_data = true;
            self.data.set(cur, vstart, end);
        }
        Ok(())
    }

    /// §9.2.6 "dispatch the event", run by a blank line.
    #[inline(always)]
    pub(super) fn dispatch(&mut self) -> Option<Emit> {
        // Step 1: the last event ID buffer becomes the last event ID string.
        let had_id = mem::take(&mut self.has_pending);
        if had_id {
            if self.pending.val == Val::Buf {
                mem::swap(&mut self.committed.buf, &mut self.pending.buf);
            }
            self.committed.val = self.pending.val;
        }
        self.data_len = 0;
        let event_type = mem::take(&mut self.event_type.val);
        if !mem::take(&mut self.has_data) {
            // Step 2: nothing to dispatch, but the id commit is reported.
            return had_id.then_some(Emit::Id);
        }
        // Step 3 (drop the final LF) holds by construction: LF is only
        // written between lines.
        self.data_out = mem::take(&mut self.data.val);
        self.type_out = event_type;
        Some(Emit::Event)
    }
}
