//! Session-level edits, and the "set one attribute" helper shared with
//! media sections.

use alloc::format;
use alloc::vec::Vec;

use crate::attribute::split_attr;
use crate::error::{Error, Rule};
use crate::sdp::Sdp;

/// Rewrites the first `a=<name>` line of `range` and drops the others, or
/// appends one at the end of `range`.
pub(crate) fn set_in_range(
    sdp: &mut Sdp,
    range: core::ops::Range<usize>,
    name: &str,
    value: Option<&str>,
) -> Result<(), Error> {
    let line = match value {
        Some(v) => format!("a={name}:{v}"),
        None => format!("a={name}"),
    };
    let found: Vec<usize> = range
        .clone()
        .filter(|i| {
            sdp.line(*i).is_some_and(|l| {
                l.kind() == Some(b'a') && split_attr(l.value()).0 == name.as_bytes()
            })
        })
        .collect();
    match found.split_first() {
        Some((first, rest)) => {
            sdp.replace_line(*first, line.as_bytes())?;
            for i in rest.iter().rev() {
                sdp.remove_line(*i);
            }
            Ok(())
        }
        None => sdp.insert_line(range.end, line.as_bytes()),
    }
}

impl Sdp {
    /// A handle to edit the session section.
    pub fn session_mut(&mut self) -> SessionMut<'_> {
        SessionMut { sdp: self }
    }
}

/// Edits the session section. Obtained from [`Sdp::session_mut`].
#[derive(Debug)]
pub struct SessionMut<'a> {
    sdp: &'a mut Sdp,
}

impl SessionMut<'_> {
    fn range(&self) -> core::ops::Range<usize> {
        self.sdp.session().line_range()
    }

    /// Sets the `o=` session version (JSEP §5.2.2: a new offer or answer of
    /// the same session must increase it). Only the `o=` line changes.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if there is no valid `o=` line.
    pub fn set_session_version(&mut self, version: u64) -> Result<(), Error> {
        let (i, line) = self
            .range()
            .find_map(|i| {
                let l = self.sdp.line(i)?;
                let o = (l.kind() == Some(b'o'))
                    .then(|| crate::fields::Origin::parse(l.value()).ok())??;
                let mut out = Vec::from(&b"o="[..]);
                out.extend_from_slice(o.username);
                out.extend_from_slice(
                    format!(
                        " {} {version} {} {} {}",
                        o.session_id, o.nettype, o.addrtype, o.address
                    )
                    .as_bytes(),
                );
                Some((i, out))
            })
            .ok_or(Error::InvalidInput { rule: Rule::Origin })?;
        self.sdp.replace_line(i, &line)
    }

    /// Increments the `o=` session version by one and returns the new value.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if there is no valid `o=` line or the version
    /// is not a number below `u64::MAX`.
    pub fn bump_session_version(&mut self) -> Result<u64, Error> {
        let v = self
            .sdp
            .session()
            .origin()
            .and_then(|o| o.session_version_u64())
            .and_then(|v| v.checked_add(1))
            .ok_or(Error::InvalidInput { rule: Rule::Origin })?;
        self.set_session_version(v)?;
        Ok(v)
    }

    /// Sets a session-level attribute; see [`MediaMut::set_attribute`](crate::MediaMut::set_attribute).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the result would hold a line break.
    pub fn set_attribute(&mut self, name: &str, value: Option<&str>) -> Result<(), Error> {
        let range = self.range();
        set_in_range(self.sdp, range, name, value)
    }

    /// Removes every session-level `a=<name>` line; returns how many.
    pub fn remove_attributes(&mut self, name: &str) -> usize {
        let idx: Vec<usize> = self
            .range()
            .filter(|i| {
                self.sdp.line(*i).is_some_and(|l| {
                    l.kind() == Some(b'a') && split_attr(l.value()).0 == name.as_bytes()
                })
            })
            .collect();
        for i in idx.iter().rev() {
            self.sdp.remove_line(*i);
        }
        idx.len()
    }

    /// Sets `a=group:BUNDLE <mids>` (replacing the existing BUNDLE group).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if a mid holds a line break.
    pub fn set_bundle(&mut self, mids: &[&str]) -> Result<(), Error> {
        let line = format!("a=group:BUNDLE {}", mids.join(" "));
        let existing = self.range().find(|i| {
            self.sdp.line(*i).is_some_and(|l| {
                l.bytes().starts_with(b"a=group:BUNDLE")
                    && matches!(l.bytes().get(14), None | Some(b' '))
            })
        });
        match existing {
            Some(i) => self.sdp.replace_line(i, line.trim_end().as_bytes()),
            None => {
                let end = self.range().end;
                self.sdp.insert_line(end, line.trim_end().as_bytes())
            }
        }
    }
}
