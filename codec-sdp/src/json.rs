//! JSON in the shape of the npm `sdp-transform` package (feature `json`).
//!
//! [`to_json`] gives the same field names and nesting as sdp-transform's
//! `parse()`, and [`from_json`] writes SDP back from such a value (also from
//! sdp-transform's own output). Deliberate differences, each to avoid a loss:
//!
//! 1. Ids stay strings: `mid`, `iceUfrag`, `icePwd`, candidate `foundation`,
//!    rid `id`, simulcast ids and group `mids` (sdp-transform turns `mid`
//!    "0" into the number 0). Other numeric fields are numbers as in
//!    sdp-transform (`toIntIfInt`: only when the text is the canonical form
//!    of the number, so a 19-digit session id stays a string). A decimal
//!    (`29.97`) is a number only with at most 15 significant digits and
//!    not below 0.00001, so that every JSON reader gets the same double and
//!    prints the SDP text back (sdp-transform also makes `0.000001` and
//!    17-digit decimals numbers).
//! 2. Candidates keep `ufrag` and every extension: unknown ones go to
//!    `extensions` as `[name, value]` pairs.
//! 3. A single-valued key that appears again (a second `fingerprint`,
//!    `msid`, `c=`...) is not overwritten: the later line goes to `invalid`
//!    as `{value}` (with `type` for non-`a=` lines), in place.
//! 4. Unknown attributes go to `invalid` as in sdp-transform, and every
//!    section has an `order` array (`"rtp.0"`, `"mid"`, `"invalid.2"`...)
//!    giving the line order, so [`from_json`] writes them in place. Items not
//!    named in `order` (added by the caller) follow in sdp-transform's
//!    order. Top-level `lineEnding` records the first line's terminator,
//!    and `lineEndings` every line's when they differ (or the last line has
//!    none); it is used only while the line count still matches.
//! 5. `b=` of any type is kept (sdp-transform drops `X-...`);
//!    `rtcpFb.subtype`, `ext.config` and `msidSemantic.token` are the whole
//!    rest of the line and `iceOptions` keeps every option (sdp-transform
//!    keeps the first word); Chromium's `a=msid-semantic: WMS` gives semantic
//!    `WMS` and an empty token (sdp-transform: semantic "", token "WMS").
//!    `payloads`, fmtp `config` and ssrc-group `ssrcs` are always strings
//!    (sdp-transform makes a lone "111" a number).
//! 6. `imageattr`, `source-filter`, `ts-refclk`, `mediaclk`, `floorid` and
//!    the draft-03 `simulcast` form are split as sdp-transform does only
//!    when writing them back gives the same text (sdp-transform silently
//!    drops what its patterns do not cover); otherwise they stay verbatim in
//!    `invalid`, in place.
//! 7. A description that is not UTF-8 as a whole (Latin-1 `s=`) is decoded
//!    as Latin-1 throughout, one code point per byte, even in fields that
//!    would also be valid UTF-8, and top-level `charset` is `"latin1"`;
//!    [`from_json`] encodes it back byte for byte. In such a document a
//!    non-ASCII line other than the free-text ones (`s i u e p z r`) stays
//!    verbatim in `invalid`, because its typed fields are ASCII by grammar.
//!
//! One writer makes a tape of the value ([`to_tape`], the format is in
//! [`crate::json_tape`]), which the npm package builds its JS objects from;
//! [`to_json_string`] prints that tape as JSON text and [`to_json`] reads it
//! into a `serde_json::Value`: one set of rules, and the text is exactly
//! `serde_json::to_string(&to_json(sdp))` (keys sorted, the same escapes
//! and numbers).
//!
//! JSON to SDP is lossless for the data, not byte-exact: fields are written
//! in their canonical spacing (149 of the 167 vector files still come back
//! byte for byte, every Chromium one among them). Keep the [`Sdp`] for a
//! byte-exact copy. sdp-transform's own `write()` accepts this JSON too and
//! gives back the same lines for browser output (`tests/json.rs`).

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use crate::candidate::Candidate;
use crate::fields::{Bandwidth, Connection, MediaLine, Origin, Timing};
use crate::json_tape::{ARR, END, OBJ};
use crate::json_text::{find, key, table, Obj, Out, Section, K};
use crate::line::LineEnding;
use crate::rtp::{Extmap, Fmtp, RtcpFb, Rtpmap, Ssrc, SsrcGroup};
use crate::scan::Num;
use crate::sdp::Sdp;

/// Where a line goes: a single-valued key or an array key.
pub(crate) enum Slot {
    Name(K),
    Push(K),
}

/// How an attribute's value becomes JSON.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Conv {
    /// The value as a string.
    Str,
    /// The value as a number if it is one (`toIntIfInt`).
    Nos,
    /// No value: the attribute name as a string.
    Flag,
    /// A rule of its own in `attr_item`.
    Own,
    /// A rule of its own in `json_extra`.
    Extra,
}

macro_rules! attrs {
    ($($name:literal => $k:ident $conv:ident,)*) => {
        /// The attribute names sdp-transform's grammar knows.
        const ATTR_NAMES: &[&str] = &[$($name,)*];
        /// Key and rule of each of [`ATTR_NAMES`].
        const ATTR_RULES: &[(K, Conv)] = &[$((K::$k, Conv::$conv),)*];
    };
}

attrs! {
    "rtpmap" => Rtp Own,
    "fmtp" => Fmtp Own,
    "rtcp" => Rtcp Own,
    "rtcp-fb" => RtcpFb Own,
    "extmap" => Ext Own,
    "extmap-allow-mixed" => ExtmapAllowMixed Flag,
    "crypto" => Crypto Own,
    "setup" => Setup Str,
    "connection" => ConnectionType Str,
    "mid" => Mid Str,
    "msid" => Msid Str,
    "ptime" => Ptime Nos,
    "maxptime" => Maxptime Nos,
    "sendrecv" => Direction Flag,
    "recvonly" => Direction Flag,
    "sendonly" => Direction Flag,
    "inactive" => Direction Flag,
    "ice-lite" => Icelite Flag,
    "ice-ufrag" => IceUfrag Str,
    "ice-pwd" => IcePwd Str,
    "fingerprint" => Fingerprint Own,
    "candidate" => Candidates Own,
    "end-of-candidates" => EndOfCandidates Flag,
    "remote-candidates" => RemoteCandidates Str,
    "ice-options" => IceOptions Str,
    "ssrc" => Ssrcs Own,
    "ssrc-group" => SsrcGroups Own,
    "msid-semantic" => MsidSemantic Own,
    "group" => Groups Own,
    "rtcp-mux" => RtcpMux Flag,
    "rtcp-rsize" => RtcpRsize Flag,
    "sctpmap" => Sctpmap Own,
    "x-google-flag" => XGoogleFlag Str,
    "rid" => Rids Own,
    "simulcast" => Simulcast Own,
    "framerate" => Framerate Nos,
    "bundle-only" => BundleOnly Flag,
    "label" => Label Nos,
    "sctp-port" => SctpPort Nos,
    "max-message-size" => MaxMessageSize Nos,
    "keywds" => Keywords Str,
    "content" => Content Str,
    "control" => Control Str,
    "floorctrl" => BfcpFloorCtrl Str,
    "confid" => BfcpConfId Nos,
    "userid" => BfcpUserId Nos,
    "imageattr" => Imageattrs Extra,
    "source-filter" => SourceFilter Extra,
    "ts-refclk" => TsRefClocks Extra,
    "mediaclk" => MediaClk Extra,
    "floorid" => BfcpFloorId Extra,
}

static ATTR_TABLE: [u8; 256] = table(ATTR_NAMES);

/// For each key, the first attribute of [`ATTR_NAMES`] that fills it
/// (`u8::MAX`: none), for writing SDP back.
static ATTR_OF_KEY: [u8; K::COUNT] = {
    let mut t = [u8::MAX; K::COUNT];
    let mut i = ATTR_RULES.len();
    while i > 0 {
        i -= 1;
        t[ATTR_RULES[i].0 as usize] = i as u8;
    }
    t
};

/// The attribute name and rule that fill key `k` (`ice-ufrag` for
/// `iceUfrag`; `sendrecv` for `direction`).
pub(crate) fn attr_of(k: K) -> Option<(&'static str, Conv)> {
    let i = usize::from(*ATTR_OF_KEY.get(k as usize)?);
    Some((*ATTR_NAMES.get(i)?, ATTR_RULES.get(i)?.1))
}

/// `IP4` -> `4` (sdp-transform's `ipVer`); `None` without the `IP` prefix.
fn ipver(addrtype: &str) -> Option<&str> {
    addrtype.strip_prefix("IP")
}

/// Writes one line's value to `w` and says where it goes; `None` means "not
/// representable, keep it verbatim in `invalid`" (the caller then drops
/// whatever was written).
///
/// `text` is the value after `<type>=`. `typed` is false for a non-ASCII
/// line of a Latin-1 document: its bytes must not be read as UTF-8 by the
/// typed parsers, so only the plain text kinds (decoded as Latin-1 in
/// `text`) are converted. A typed line's `text` is its bytes as they are.
fn item(kind: u8, text: &str, typed: bool, w: &mut Out) -> Option<Slot> {
    use Slot::{Name, Push};
    if !typed && !matches!(kind, b'v' | b's' | b'i' | b'u' | b'e' | b'p' | b'z' | b'r') {
        return None;
    }
    let plain = |k: K, w: &mut Out| {
        w.str(text);
        Some(Name(k))
    };
    match kind {
        b'v' => {
            w.num_or_str(text);
            Some(Name(K::Version))
        }
        b'o' => {
            let o = Origin::parse(text.as_bytes()).ok()?;
            let user = text.split(' ').next().unwrap_or("");
            Obj::new(w)
                .str(key!("address"), o.address)
                .nos(key!("ipVer"), ipver(o.addrtype)?)
                .str(key!("netType"), o.nettype)
                .nos(key!("sessionId"), o.session_id)
                .nos(key!("sessionVersion"), o.session_version)
                .str(key!("username"), user)
                .end();
            Some(Name(K::Origin))
        }
        b's' => plain(K::Name, w),
        b'i' => plain(K::Description, w),
        b'u' => plain(K::Uri, w),
        b'e' => plain(K::Email, w),
        b'p' => plain(K::Phone, w),
        b'z' => plain(K::Timezones, w),
        b'r' => plain(K::Repeats, w),
        b't' => {
            let t = Timing::parse(text.as_bytes()).ok()?;
            Obj::new(w)
                .num(key!("start"), t.start)
                .num(key!("stop"), t.stop)
                .end();
            Some(Name(K::Timing))
        }
        b'c' => {
            let c = Connection::parse(text.as_bytes()).ok()?;
            if c.nettype != "IN" {
                return None;
            }
            Obj::new(w)
                .str(key!("ip"), c.address)
                .nos(key!("version"), ipver(c.addrtype)?)
                .end();
            Some(Name(K::Connection))
        }
        b'b' => {
            let b = Bandwidth::parse(text.as_bytes()).ok()?;
            Obj::new(w)
                .num(key!("limit"), b.bandwidth)
                .str(key!("type"), b.bwtype)
                .end();
            Some(Push(K::Bandwidth))
        }
        b'a' => attr_item(text, w),
        _ => None,
    }
}

/// `a=<name>[:<value>]`, split at the first colon.
fn attr_item(text: &str, w: &mut Out) -> Option<Slot> {
    use Slot::{Name, Push};
    // A plain loop: names are a few bytes long, too short for memchr.
    let (name, v) = match crate::scan::find_byte(b':', text.as_bytes()) {
        Some(i) => (text.get(..i)?, Some(text.get(i + 1..)?)),
        None => (text, None),
    };
    let i = find(&ATTR_TABLE, ATTR_NAMES, name.as_bytes())?;
    let (k, conv) = *ATTR_RULES.get(i)?;
    match conv {
        Conv::Str => {
            w.str(v?);
            return Some(Name(k));
        }
        Conv::Nos => {
            w.num_or_str(v?);
            return Some(Name(k));
        }
        Conv::Flag => {
            if v.is_some() {
                return None;
            }
            w.str(name);
            return Some(Name(k));
        }
        Conv::Extra => return crate::json_extra::item(name, v?, w),
        Conv::Own => {}
    }
    let v = v?;
    match k {
        // sdp-transform also reads an rtpmap without clock rate.
        K::Rtp => match Rtpmap::parse(v) {
            Ok(r) => {
                Obj::new(w)
                    .str(key!("codec"), r.encoding)
                    .opt_nos(key!("encoding"), r.params)
                    .num(key!("payload"), r.pt.into())
                    .num(key!("rate"), r.clock_rate.into())
                    .end();
            }
            Err(_) => {
                let (pt, codec) = v.split_once(' ')?;
                let pt = u8::parse_dec(pt).filter(|p| *p < 128)?;
                if codec.is_empty() || codec.contains(['/', ' ']) {
                    return None;
                }
                Obj::new(w)
                    .str(key!("codec"), codec)
                    .num(key!("payload"), pt.into())
                    .end();
            }
        },
        K::Fmtp => {
            let f = Fmtp::parse(v).ok()?;
            Obj::new(w)
                .str(key!("config"), f.params)
                .nos(key!("payload"), f.format)
                .end();
        }
        K::Rtcp => {
            let mut it = v.split(' ');
            let port = it.next().filter(|p| u16::parse_dec(p).is_some())?;
            let net = it.next();
            let ip = match it.next() {
                Some(a) => Some(ipver(a)?),
                None => None,
            };
            let addr = it.next();
            if it.next().is_some() || net.is_some() != addr.is_some() {
                return None;
            }
            Obj::new(w)
                .opt_str(key!("address"), addr)
                .opt_nos(key!("ipVer"), ip)
                .opt_str(key!("netType"), net)
                .nos(key!("port"), port)
                .end();
        }
        K::RtcpFb => {
            let f = RtcpFb::parse(v).ok()?;
            if f.kind == "trr-int" {
                Obj::new(w)
                    .nos(key!("payload"), f.pt)
                    .nos(key!("value"), f.param?)
                    .end();
                return Some(Push(K::RtcpFbTrrInt));
            }
            Obj::new(w)
                .nos(key!("payload"), f.pt)
                .opt_str(key!("subtype"), f.param)
                .str(key!("type"), f.kind)
                .end();
        }
        K::Ext => {
            let e = Extmap::parse(v).ok()?;
            let (enc, uri, config) = match (e.uri, e.attributes) {
                ("urn:ietf:params:rtp-hdrext:encrypt", Some(rest)) => {
                    let (u, c) = rest
                        .split_once(' ')
                        .map_or((rest, None), |(u, c)| (u, Some(c)));
                    (Some(e.uri), u, c)
                }
                (u, c) => (None, u, c),
            };
            Obj::new(w)
                .opt_str(key!("config"), config)
                .opt_str(key!("direction"), e.direction.map(|d| d.as_str()))
                .opt_str(key!("encrypt-uri"), enc)
                .str(key!("uri"), uri)
                .num(key!("value"), e.id.into())
                .end();
        }
        K::Crypto => {
            let mut it = v.splitn(4, ' ');
            let id = it.next()?;
            let suite = it.next()?;
            let config = it.next()?;
            Obj::new(w)
                .str(key!("config"), config)
                .nos(key!("id"), id)
                .opt_str(key!("sessionConfig"), it.next())
                .str(key!("suite"), suite)
                .end();
        }
        K::Fingerprint => {
            let (t, h) = v.split_once(' ')?;
            Obj::new(w).str(key!("hash"), h).str(key!("type"), t).end();
        }
        K::Candidates => candidate(&Candidate::parse_value(v).ok()?, w),
        K::Ssrcs => {
            let x = Ssrc::parse(v).ok()?;
            Obj::new(w)
                .str(key!("attribute"), x.attribute)
                .num(key!("id"), x.ssrc.into())
                .opt_str(key!("value"), x.value)
                .end();
        }
        K::SsrcGroups => {
            let g = SsrcGroup::parse(v).ok()?;
            Obj::new(w)
                .str(key!("semantics"), g.semantics)
                .str(key!("ssrcs"), g.ssrcs)
                .end();
        }
        K::MsidSemantic => {
            let t = v.trim_start_matches(' ');
            let (sem, tok) = t.split_once(' ').unwrap_or((t, ""));
            Obj::new(w)
                .str(key!("semantic"), sem)
                .str(key!("token"), tok)
                .end();
        }
        K::Groups => {
            let (t, mids) = v.split_once(' ').unwrap_or((v, ""));
            Obj::new(w)
                .str(key!("mids"), mids)
                .str(key!("type"), t)
                .end();
        }
        K::Sctpmap => {
            let mut it = v.split(' ');
            let n = it.next()?;
            let app = it.next()?;
            let mms = it.next();
            if it.next().is_some() {
                return None;
            }
            Obj::new(w)
                .str(key!("app"), app)
                .opt_nos(key!("maxMessageSize"), mms)
                .nos(key!("sctpmapNumber"), n)
                .end();
        }
        K::Rids => {
            let mut it = v.splitn(3, ' ');
            let id = it.next()?;
            let dir = it.next()?;
            Obj::new(w)
                .str(key!("direction"), dir)
                .str(key!("id"), id)
                .opt_str(key!("params"), it.next())
                .end();
        }
        K::Simulcast => {
            if v.starts_with(' ') {
                return crate::json_extra::item(name, v, w);
            }
            let ok = |d: &str| d == "send" || d == "recv";
            let mut it = v.split(' ');
            let p = [it.next(), it.next(), it.next(), it.next(), it.next()];
            let (d1, l1, rest) = match p {
                [Some(d1), Some(l1), None, ..] if ok(d1) => (d1, l1, None),
                [Some(d1), Some(l1), Some(d2), Some(l2), None] if ok(d1) && ok(d2) => {
                    (d1, l1, Some((d2, l2)))
                }
                _ => return None,
            };
            Obj::new(w)
                .str(key!("dir1"), d1)
                .opt_str(key!("dir2"), rest.map(|r| r.0))
                .str(key!("list1"), l1)
                .opt_str(key!("list2"), rest.map(|r| r.1))
                .end();
            return Some(Name(k));
        }
        _ => return None,
    }
    Some(if k.is_array() { Push(k) } else { Name(k) })
}

/// A candidate in sdp-transform's shape, plus `ufrag` and the unknown
/// extensions as `[name, value]` pairs. A known extension given twice keeps
/// its last value.
fn candidate(c: &Candidate<'_>, w: &mut Out) {
    // generation, network-cost, network-id, tcptype, ufrag
    let mut known = [None; 5];
    let mut o = Obj::new(w);
    o.num(key!("component"), c.component.into());
    let mut unknown = 0;
    for (k, v) in c.extension_pairs() {
        let slot = match k {
            "generation" => 0,
            "network-cost" => 1,
            "network-id" => 2,
            "tcptype" => 3,
            "ufrag" => 4,
            _ => {
                let out = if unknown == 0 {
                    let out = o.key(key!("extensions"));
                    out.array();
                    out
                } else {
                    o.raw()
                };
                out.array();
                out.str(k);
                out.str(v);
                out.end();
                unknown += 1;
                continue;
            }
        };
        known[slot] = Some(v);
    }
    if unknown > 0 {
        o.raw().end();
    }
    o.str(key!("foundation"), c.foundation)
        .opt_nos(key!("generation"), known[0])
        .str(key!("ip"), c.address)
        .opt_nos(key!("network-cost"), known[1])
        .opt_nos(key!("network-id"), known[2])
        .num(key!("port"), c.port.into())
        .num(key!("priority"), c.priority)
        .opt_str(key!("raddr"), c.raddr);
    if let Some(p) = c.rport {
        o.num(key!("rport"), p.into());
    }
    o.opt_str(key!("tcptype"), known[3])
        .str(key!("transport"), c.transport)
        .str(key!("type"), c.typ)
        .opt_str(key!("ufrag"), known[4])
        .end();
}

/// Converts a description to sdp-transform-shaped JSON text (see the module
/// docs for the differences): exactly what `serde_json::to_string` writes
/// for [`to_json`]'s value (keys sorted, the same escapes and numbers).
/// It is [`to_tape`]'s tape printed.
#[must_use]
pub fn to_json_string(sdp: &Sdp) -> String {
    let text = with_text(sdp, |doc| {
        // No byte of the document needs an escape: control bytes are
        // counted (a vectorised sum) and must all be line terminators.
        let controls: usize = doc
            .chunks(255)
            .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b < 0x20))))
            .sum();
        let terminators: usize = sdp.lines.iter().map(|l| l.ending.as_bytes().len()).sum();
        let plain = controls == terminators && memchr::memchr2(b'"', b'\\', doc).is_none();
        crate::json_tape::print(&write(sdp, doc), plain)
    });
    debug_assert!(text.is_some(), "the writer wrote a malformed tape");
    // The writer only writes well-formed tapes (tested on every vector and
    // by the `sdp_json` fuzz target); an empty text would only show a bug.
    text.unwrap_or_default()
}

/// Converts a description to the same value as [`to_json`], as a tape (see
/// [`crate::json_tape`] for the format): what the npm package builds its
/// JS objects from.
#[must_use]
pub fn to_tape(sdp: &Sdp) -> Vec<u8> {
    with_text(sdp, |doc| write(sdp, doc))
}

/// `f` of the description's text.
fn with_text<T>(sdp: &Sdp, f: impl FnOnce(&[u8]) -> T) -> T {
    if sdp.pristine {
        f(&sdp.buf)
    } else {
        f(&sdp.to_bytes())
    }
}

/// Writes the tape of `sdp`, whose text is `doc`.
fn write(sdp: &Sdp, doc: &[u8]) -> Vec<u8> {
    // One charset for the whole document, never chosen per field: a field
    // that happens to be valid UTF-8 inside a Latin-1 document must come
    // back as the same bytes (found by the `sdp_json` fuzz target). Checked
    // once; lines are then slices of the checked text.
    let utf8 = core::str::from_utf8(doc).ok();
    // Does any line hold a bare CR? Usually not: every CR of the document
    // is then part of a CRLF terminator (one memchr count).
    let crs = memchr::memchr_iter(b'\r', doc).count();
    let crlfs = sdp
        .lines
        .iter()
        .filter(|l| l.ending == LineEnding::CrLf)
        .count();
    let no_bare_cr = crs == crlfs;
    let ascii = doc.is_ascii();
    let mut latin1 = String::new();
    let mut root = Root {
        sdp,
        utf8: utf8.is_some(),
        session: Section::with_capacity(256, ascii),
    };
    let mut sec = Section::with_capacity(doc.len(), ascii);
    let mut out = Vec::with_capacity(2 * doc.len() + 256);
    let mut in_media = false;
    let mut off = 0;
    for line in sdp.lines() {
        let start = off;
        let len = line.bytes().len();
        off += len + line.ending().as_bytes().len();
        let whole = match utf8 {
            Some(d) => d.get(start..start + len).unwrap_or_default(),
            None => {
                // Latin-1: every byte is the code point of the same value.
                latin1.clear();
                latin1.extend(line.bytes().iter().map(|&c| char::from(c)));
                &latin1
            }
        };
        let cur = if in_media {
            &mut sec
        } else {
            &mut root.session
        };
        let Some(kind) = line.kind() else {
            cur.invalid(Some("raw"), whole);
            continue;
        };
        // After `<letter>=`, two ASCII bytes.
        let t = whole.get(2..).unwrap_or_default();
        // Typed fields only from ASCII (or UTF-8 documents) and from lines without a bare
        // CR: written back in canonical spacing, a CR that ended up last in the line would
        // merge with an LF ending into CRLF (found by the `sdp_json` fuzz target). Such a
        // line stays verbatim in `invalid`.
        let typed = (utf8.is_some() || line.value().is_ascii())
            && (no_bare_cr || !line.bytes().contains(&b'\r'));
        if kind == b'm' {
            if in_media {
                root.section(&mut out, &sec);
            } else {
                root.open(&mut out);
            }
            in_media = true;
            sec.clear();
            sec.touch(K::Rtp);
            sec.touch(K::Fmtp);
            match MediaLine::parse(t.as_bytes()).ok().filter(|_| typed) {
                Some(m) => {
                    for (k, v) in [
                        (K::Type, m.media),
                        (K::Protocol, m.proto),
                        (K::Payloads, m.fmts),
                    ] {
                        let start = sec.vals.len();
                        sec.vals.str(v);
                        sec.set(k, start);
                    }
                    let start = sec.vals.len();
                    sec.vals.u64(m.port.into());
                    sec.set(K::Port, start);
                    if let Some(n) = m.num_ports {
                        let start = sec.vals.len();
                        sec.vals.u64(n.into());
                        sec.set(K::NumPorts, start);
                    }
                }
                None => sec.invalid(Some("m"), t),
            }
            continue;
        }
        let start = cur.vals.len();
        match item(kind, t, typed, &mut cur.vals) {
            Some(Slot::Name(k)) if !cur.has(k) => cur.name(k, start),
            Some(Slot::Push(k)) => cur.push(k, start),
            _ => {
                cur.vals.truncate(start);
                let k = [kind];
                let ty = (kind != b'a').then(|| core::str::from_utf8(&k).unwrap_or("a"));
                cur.invalid(ty, t);
            }
        }
    }
    if in_media {
        root.section(&mut out, &sec);
    } else {
        root.open(&mut out);
    }
    root.close(&mut out);
    out
}

/// The root object: the session's keys, then `media`, written as soon as
/// the first `m=` line ends the session, so each media section goes
/// straight to the output.
struct Root<'a> {
    sdp: &'a Sdp,
    utf8: bool,
    session: Section,
}

impl Root<'_> {
    /// Adds the document-wide keys and writes the root up to `"media":[`.
    fn open(&mut self, out: &mut Vec<u8>) {
        let s = &mut self.session;
        let first_lf = self.sdp.lines.first().map(|l| l.ending) == Some(LineEnding::Lf);
        let (ending, text) = if first_lf {
            (LineEnding::Lf, "\n")
        } else {
            (LineEnding::CrLf, "\r\n")
        };
        let start = s.vals.len();
        s.vals.str(text);
        s.set(K::LineEnding, start);
        // Mixed terminators or a last line without one: record every line's.
        if self.sdp.lines.iter().any(|l| l.ending != ending) {
            for l in &self.sdp.lines {
                let start = s.vals.len();
                let e = core::str::from_utf8(l.ending.as_bytes()).unwrap_or("");
                s.vals.str(e);
                s.set(K::LineEndings, start);
            }
        }
        if !self.utf8 {
            let start = s.vals.len();
            s.vals.str("latin1");
            s.set(K::Charset, start);
        }
        out.push(OBJ);
        s.members(out, K::ALL[0], Some(K::Media));
        out.push(key!("media"));
        out.push(ARR);
    }

    /// Writes one finished media section.
    fn section(&self, out: &mut Vec<u8>, sec: &Section) {
        out.push(OBJ);
        sec.members(out, K::ALL[0], None);
        out.push(END);
    }

    /// Writes the rest of the root after the media array.
    fn close(&self, out: &mut Vec<u8>) {
        out.push(END);
        self.session.members(out, K::MediaClk, None);
        out.push(END);
    }
}

/// Converts a description to sdp-transform-shaped JSON (see the module docs
/// for the differences): [`to_tape`]'s value as a `serde_json::Value`.
#[must_use]
pub fn to_json(sdp: &Sdp) -> Value {
    let v = crate::json_tape::value(&to_tape(sdp));
    debug_assert!(v.is_some(), "the writer wrote a malformed tape");
    // As in `to_json_string`: `Null` would only show a bug, never panic.
    v.unwrap_or(Value::Null)
}
pub use crate::json_write::{from_json, from_json_str, from_tape};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_name_is_found() {
        for (i, name) in ATTR_NAMES.iter().enumerate() {
            assert_eq!(
                find(&ATTR_TABLE, ATTR_NAMES, name.as_bytes()),
                Some(i),
                "{name}"
            );
            let (k, conv) = ATTR_RULES[i];
            // The first attribute of a key is the one JSON is written back as.
            let (back, back_conv) = attr_of(k).unwrap();
            assert!(back == *name || k == K::Direction, "{name} -> {back}");
            assert!(back_conv == conv);
        }
        assert_eq!(find(&ATTR_TABLE, ATTR_NAMES, b"rtpma"), None);
        assert_eq!(attr_of(K::Order), None);
    }
}
