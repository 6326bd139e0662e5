//! The less common attributes sdp-transform splits into fields: `imageattr`
//! (RFC 6236), `source-filter` (RFC 4570), `ts-refclk` and `mediaclk`
//! (RFC 7273), BFCP `floorid` (RFC 8856) and the draft-03 `simulcast` form.
//! Each is kept only if writing it back gives the same text; otherwise the
//! line stays verbatim in `invalid`.

use alloc::string::String;
use alloc::vec::Vec;

use crate::json::Slot;
use crate::json_text::{key, Obj, Out, K};

/// Writes the object for `a=<name>:<v>` to `w` if it is one of these
/// attributes and survives a round trip through [`crate::json_write`]
/// (checked on the tape just written, read back).
pub(crate) fn item(name: &str, v: &str, w: &mut Out) -> Option<Slot> {
    let start = w.len();
    // Every field goes through `num_or_str`, as sdp-transform's grammar does.
    let field = |o: &mut Obj<'_>, key: u8, val: Option<&str>| {
        o.opt_nos(key, val);
    };
    let slot = match name {
        "imageattr" => {
            let toks: Vec<&str> = v.split([' ', '\t']).filter(|t| !t.is_empty()).collect();
            let (pt, rest) = toks.split_first()?;
            if *pt != "*" && !pt.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (dir1, attrs1, rest) = image_set(rest)?;
            let (dir2, attrs2) = match rest.as_slice() {
                [] => (None, None),
                r => {
                    let (d, a, tail) = image_set(r)?;
                    if !tail.is_empty() {
                        return None;
                    }
                    (Some(d), Some(a))
                }
            };
            let mut o = Obj::new(w);
            field(&mut o, key!("attrs1"), Some(&attrs1));
            field(&mut o, key!("attrs2"), attrs2.as_deref());
            field(&mut o, key!("dir1"), Some(dir1));
            field(&mut o, key!("dir2"), dir2);
            field(&mut o, key!("pt"), Some(pt));
            o.end();
            Slot::Push(K::Imageattrs)
        }
        "source-filter" => {
            let t = v.trim_start_matches(' ');
            let mut it = t.splitn(5, ' ');
            let mode = it.next().filter(|m| *m == "excl" || *m == "incl")?;
            let net = it.next()?;
            let at = it.next().filter(|a| matches!(*a, "IP4" | "IP6" | "*"))?;
            let dest = it.next()?;
            let src = it.next()?;
            let mut o = Obj::new(w);
            field(&mut o, key!("addressTypes"), Some(at));
            field(&mut o, key!("destAddress"), Some(dest));
            field(&mut o, key!("filterMode"), Some(mode));
            field(&mut o, key!("netType"), Some(net));
            field(&mut o, key!("srcList"), Some(src));
            o.end();
            Slot::Name(K::SourceFilter)
        }
        "ts-refclk" => {
            let (src, ext) = match v.split_once('=') {
                Some((a, b)) => (a, Some(b)),
                None => (v, None),
            };
            let mut o = Obj::new(w);
            field(&mut o, key!("clksrc"), Some(src));
            field(&mut o, key!("clksrcExt"), ext);
            o.end();
            Slot::Push(K::TsRefClocks)
        }
        "mediaclk" => {
            let (id, rest) = match v.strip_prefix("id=") {
                Some(r) => {
                    let (i, r) = r.split_once(' ')?;
                    (Some(i), r)
                }
                None => (None, v),
            };
            let (clock, rate) = match split_once_str(rest, " rate=", false) {
                Some((c, r)) => (c, Some(r.split_once('/')?)),
                None => (rest, None),
            };
            let (cname, cvalue) = match clock.split_once('=') {
                Some((a, b)) => (a, Some(b)),
                None => (clock, None),
            };
            let mut o = Obj::new(w);
            field(&mut o, key!("id"), id);
            field(&mut o, key!("mediaClockName"), Some(cname));
            field(&mut o, key!("mediaClockValue"), cvalue);
            field(&mut o, key!("rateDenominator"), rate.map(|r| r.1));
            field(&mut o, key!("rateNumerator"), rate.map(|r| r.0));
            o.end();
            Slot::Name(K::MediaClk)
        }
        "floorid" => {
            let (id, stream) = split_once_str(v, " mstrm:", true)?;
            let mut o = Obj::new(w);
            field(&mut o, key!("id"), Some(id));
            field(&mut o, key!("mStream"), Some(stream));
            o.end();
            Slot::Name(K::BfcpFloorId)
        }
        "simulcast" => {
            let value = v.strip_prefix(' ')?;
            let mut o = Obj::new(w);
            field(&mut o, key!("value"), Some(value));
            o.end();
            Slot::Name(K::Simulcast03)
        }
        _ => return None,
    };
    let key = match slot {
        Slot::Name(k) | Slot::Push(k) => k,
    };
    let value = crate::json_tape::node(w.s.get(start..)?)?;
    let mut back = String::new();
    let mut original = String::from("a=");
    original.push_str(name);
    original.push(':');
    original.push_str(v);
    (crate::json_write::line(key, &value, &mut back) && back == original).then_some(slot)
}

/// `s.split_once(pat)`, or `s.rsplit_once(pat)` when `last`, for a short
/// ASCII `pat`: std's substring searcher has a slicing panic path (for an
/// empty pattern) whose message brings core's Unicode tables into the npm
/// package's `.wasm`.
fn split_once_str<'a>(s: &'a str, pat: &str, last: bool) -> Option<(&'a str, &'a str)> {
    let mut hits = s.as_bytes().windows(pat.len()).enumerate();
    let same = |&(_, w): &(usize, &[u8])| w == pat.as_bytes();
    let (i, _) = if last {
        hits.rfind(same)
    } else {
        hits.find(same)
    }?;
    Some((crate::scan::head(s, i), crate::scan::tail(s, i + pat.len())))
}

/// `<send|recv> <* | [..] [..]...>` at the start of `toks`.
fn image_set<'a>(toks: &[&'a str]) -> Option<(&'a str, String, Vec<&'a str>)> {
    let (dir, rest) = toks.split_first()?;
    if *dir != "send" && *dir != "recv" {
        return None;
    }
    if rest.first() == Some(&"*") {
        return Some((dir, String::from("*"), rest[1..].to_vec()));
    }
    let k = rest
        .iter()
        .take_while(|t| t.starts_with('[') && t.ends_with(']') && t.len() > 2)
        .count();
    if k == 0 {
        return None;
    }
    Some((dir, rest[..k].join(" "), rest[k..].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::split_once_str;

    #[test]
    fn split_once_str_is_std_split_once() {
        for s in [
            "",
            " rate=",
            "a rate=b rate=c",
            "x rate",
            "é rate=ü",
            " mstrm: mstrm:",
            "1 mstrm:2",
        ] {
            for pat in [" rate=", " mstrm:"] {
                assert_eq!(split_once_str(s, pat, false), s.split_once(pat), "{s}");
                assert_eq!(split_once_str(s, pat, true), s.rsplit_once(pat), "{s}");
            }
        }
    }
}
