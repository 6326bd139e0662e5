//! `a=simulcast` (RFC 8853) and `a=rid` (RFC 8851).

use crate::error::Problem;
use crate::scan::{check_token, ferr, FResult, Fields};

/// `a=simulcast:<dir> <streams> [<dir> <streams>]` (RFC 8853 §5.1).
///
/// Each stream list is `alt[;alt...]` where each alternative is
/// `rid[,rid...]` and a rid prefixed with `~` is paused. The draft form with a
/// `rid=` prefix (Firefox before 2019) is accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Simulcast<'a> {
    /// The `send` stream list, as written.
    pub send: Option<SimulcastList<'a>>,
    /// The `recv` stream list, as written.
    pub recv: Option<SimulcastList<'a>>,
}

/// A `;`-separated simulcast stream list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimulcastList<'a>(pub &'a str);

/// One rid in a simulcast list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimulcastRid<'a> {
    /// The rid (a token; never a number).
    pub rid: &'a str,
    /// Prefixed with `~`.
    pub paused: bool,
}

impl<'a> SimulcastList<'a> {
    fn body(self) -> &'a str {
        self.0.strip_prefix("rid=").unwrap_or(self.0)
    }

    /// The streams in order; each is a list of alternative rids.
    pub fn streams(self) -> impl Iterator<Item = impl Iterator<Item = SimulcastRid<'a>>> {
        self.body().split(';').map(|alt| {
            alt.split(',').map(|r| match r.strip_prefix('~') {
                Some(rid) => SimulcastRid { rid, paused: true },
                None => SimulcastRid {
                    rid: r,
                    paused: false,
                },
            })
        })
    }

    /// The first rid of each stream.
    pub fn first_rids(self) -> impl Iterator<Item = SimulcastRid<'a>> {
        self.streams().filter_map(|mut s| s.next())
    }

    fn check(self, at: usize) -> FResult<()> {
        let skip = self.0.len() - self.body().len();
        let mut pos = at + skip;
        for alt in self.body().split(';') {
            for r in alt.split(',') {
                let id = r.strip_prefix('~').unwrap_or(r);
                check_rid_id(id, pos + (r.len() - id.len()))?;
                pos += r.len() + 1;
            }
        }
        Ok(())
    }
}

/// RFC 8851 §10: `rid-id = 1*(alpha-numeric / "-" / "_")`.
fn check_rid_id(id: &str, at: usize) -> FResult<()> {
    if id.is_empty() {
        return Err(ferr(at, Problem::EmptyField));
    }
    match id
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        Some(i) => Err(ferr(at + i, Problem::InvalidToken)),
        None => Ok(()),
    }
}

impl<'a> Simulcast<'a> {
    pub(crate) fn parse(s: &'a str) -> FResult<Self> {
        // Some writers put a space after the colon.
        let t = s.trim_start_matches(' ');
        let lead = s.len() - t.len();
        let mut f = Fields::new(t);
        let mut out = Self {
            send: None,
            recv: None,
        };
        let mut n = 0;
        while let Some((at, dir)) = f.next() {
            let at = at + lead;
            let slot = match dir {
                "send" if out.send.is_none() => &mut out.send,
                "recv" if out.recv.is_none() => &mut out.recv,
                _ => return Err(ferr(at, Problem::InvalidValue)),
            };
            let (lat, list) = f.req().map_err(|e| ferr(e.at + lead, e.problem))?;
            let list = SimulcastList(list);
            list.check(lat + lead)?;
            *slot = Some(list);
            n += 1;
        }
        if n == 0 {
            return Err(ferr(lead, Problem::MissingField));
        }
        Ok(out)
    }
}

/// `a=rid:<rid-id> <send|recv> [<params>]` (RFC 8851 §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rid<'a> {
    /// The rid (token).
    pub id: &'a str,
    /// `send` or `recv`.
    pub direction: &'a str,
    /// Parameters as written (`pt=96,97;max-width=1280`).
    pub params: &'a str,
}

impl<'a> Rid<'a> {
    pub(crate) fn parse(s: &'a str) -> FResult<Self> {
        let mut f = Fields::new(s);
        let (at, id) = f.req()?;
        check_rid_id(id, at)?;
        let (at, direction) = f.req()?;
        if direction != "send" && direction != "recv" {
            return Err(ferr(at, Problem::InvalidValue));
        }
        let at = f.pos();
        let params = f.rest();
        for p in params.split(';').filter(|p| !p.is_empty()) {
            let key = p.split_once('=').map_or(p, |(k, _)| k);
            check_token(key, at)?;
        }
        Ok(Self {
            id,
            direction,
            params,
        })
    }

    /// `(key, value)` restriction pairs in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&'a str, Option<&'a str>)> + 'a {
        self.params
            .split(';')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (p, None),
            })
    }

    /// The payload types in a `pt=` restriction.
    pub fn payload_types(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs()
            .filter(|(k, _)| *k == "pt")
            .flat_map(|(_, v)| v.unwrap_or("").split(','))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn simulcast_forms() {
        let s = Simulcast::parse("send q;h;~f recv a,b").unwrap();
        let send: Vec<_> = s
            .send
            .unwrap()
            .first_rids()
            .map(|r| (r.rid, r.paused))
            .collect();
        assert_eq!(send, [("q", false), ("h", false), ("f", true)]);
        assert_eq!(s.recv.unwrap().streams().next().unwrap().count(), 2);
        let old = Simulcast::parse(" send rid=1;2").unwrap();
        assert_eq!(old.send.unwrap().first_rids().count(), 2);
        assert!(Simulcast::parse("send").is_err());
        assert!(Simulcast::parse("sideways a").is_err());
        assert_eq!(Simulcast::parse("send a;b!").unwrap_err().at, 8);
    }

    #[test]
    fn rid() {
        let r = Rid::parse("f send pt=96,97;max-width=1280").unwrap();
        assert_eq!(r.payload_types().collect::<Vec<_>>(), ["96", "97"]);
        assert_eq!(r.pairs().nth(1), Some(("max-width", Some("1280"))));
        assert!(Rid::parse("f both").is_err());
        assert!(Rid::parse("q send").is_ok());
    }
}
