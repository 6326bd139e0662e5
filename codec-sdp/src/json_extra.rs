//! The less common attributes sdp-transform splits into fields: `imageattr`
//! (RFC 6236), `source-filter` (RFC 4570), `ts-refclk` and `mediaclk`
//! (RFC 7273), BFCP `floorid` (RFC 8856) and the draft-03 `simulcast` form.
//! Each is kept only if writing it back gives the same text; otherwise the
//! line stays verbatim in `invalid`.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use crate::json::{num_or_str, obj, Slot};

fn n(s: &str) -> Option<Value> {
    Some(num_or_str(s))
}

/// `(slot, value)` for `a=<name>:<v>`, if it is one of these attributes and
/// survives a round trip through [`crate::json_write`].
pub(crate) fn item(name: &str, v: &str) -> Option<(Slot, Value)> {
    let (slot, key, value) = match name {
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
            let val = obj(&[
                ("pt", n(pt)),
                ("dir1", n(dir1)),
                ("attrs1", n(&attrs1)),
                ("dir2", dir2.and_then(n)),
                ("attrs2", attrs2.as_deref().and_then(n)),
            ]);
            (Slot::Push("imageattrs"), "imageattrs", val)
        }
        "source-filter" => {
            let t = v.trim_start_matches(' ');
            let mut it = t.splitn(5, ' ');
            let mode = it.next().filter(|m| *m == "excl" || *m == "incl")?;
            let net = it.next()?;
            let at = it.next().filter(|a| matches!(*a, "IP4" | "IP6" | "*"))?;
            let dest = it.next()?;
            let src = it.next()?;
            let val = obj(&[
                ("filterMode", n(mode)),
                ("netType", n(net)),
                ("addressTypes", n(at)),
                ("destAddress", n(dest)),
                ("srcList", n(src)),
            ]);
            (Slot::Name("sourceFilter"), "sourceFilter", val)
        }
        "ts-refclk" => {
            let (src, ext) = match v.split_once('=') {
                Some((a, b)) => (a, Some(b)),
                None => (v, None),
            };
            (
                Slot::Push("tsRefClocks"),
                "tsRefClocks",
                obj(&[("clksrc", n(src)), ("clksrcExt", ext.and_then(n))]),
            )
        }
        "mediaclk" => {
            let (id, rest) = match v.strip_prefix("id=") {
                Some(r) => {
                    let (i, r) = r.split_once(' ')?;
                    (Some(i), r)
                }
                None => (None, v),
            };
            let (clock, rate) = match rest.split_once(" rate=") {
                Some((c, r)) => (c, Some(r.split_once('/')?)),
                None => (rest, None),
            };
            let (cname, cvalue) = match clock.split_once('=') {
                Some((a, b)) => (a, Some(b)),
                None => (clock, None),
            };
            let val = obj(&[
                ("id", id.and_then(n)),
                ("mediaClockName", n(cname)),
                ("mediaClockValue", cvalue.and_then(n)),
                ("rateNumerator", rate.and_then(|r| n(r.0))),
                ("rateDenominator", rate.and_then(|r| n(r.1))),
            ]);
            (Slot::Name("mediaClk"), "mediaClk", val)
        }
        "floorid" => {
            let (id, stream) = v.rsplit_once(" mstrm:")?;
            (
                Slot::Name("bfcpFloorId"),
                "bfcpFloorId",
                obj(&[("id", n(id)), ("mStream", n(stream))]),
            )
        }
        "simulcast" => {
            let value = v.strip_prefix(' ')?;
            (
                Slot::Name("simulcast_03"),
                "simulcast_03",
                obj(&[("value", n(value))]),
            )
        }
        _ => return None,
    };
    let mut original = String::from("a=");
    original.push_str(name);
    original.push(':');
    original.push_str(v);
    (crate::json_write::line(key, &value).as_deref() == Some(original.as_str()))
        .then_some((slot, value))
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
