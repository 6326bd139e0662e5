//! JSON (sdp-transform shape) back to SDP; see [`crate::json`].
//!
//! The JSON is read as a [`Node`] (from text, a `Value` or a tape) and
//! everything is borrowed from it: each section's keys are looked up once
//! into a table indexed by [`K`], and lines are written straight into one
//! text buffer.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use alloc::borrow::Cow;
use serde_json::Value;

use crate::error::Error;
use crate::json::{attr_of, Conv};
use crate::json_node::{self, Node};
use crate::json_text::{find, table, K};
use crate::sdp::Sdp;

/// sdp-transform's grammar order for the session's non-`a=` lines.
const SESSION_PRE: &[K] = &[
    K::Version,
    K::Origin,
    K::Name,
    K::Description,
    K::Uri,
    K::Email,
    K::Phone,
    K::Connection,
    K::Bandwidth,
    K::Timing,
    K::Repeats,
    K::Timezones,
];

const MEDIA_PRE: &[K] = &[K::Description, K::Connection, K::Bandwidth];

/// sdp-transform's grammar order for `a=` lines, then `invalid`.
const A_KEYS: &[K] = &[
    K::Rtp,
    K::Fmtp,
    K::Control,
    K::Rtcp,
    K::RtcpFbTrrInt,
    K::RtcpFb,
    K::Ext,
    K::ExtmapAllowMixed,
    K::Crypto,
    K::Setup,
    K::ConnectionType,
    K::Mid,
    K::Msid,
    K::Ptime,
    K::Maxptime,
    K::Direction,
    K::Icelite,
    K::IceUfrag,
    K::IcePwd,
    K::Fingerprint,
    K::Candidates,
    K::EndOfCandidates,
    K::RemoteCandidates,
    K::IceOptions,
    K::Ssrcs,
    K::SsrcGroups,
    K::MsidSemantic,
    K::Groups,
    K::RtcpMux,
    K::RtcpRsize,
    K::Sctpmap,
    K::XGoogleFlag,
    K::Rids,
    K::Imageattrs,
    K::Simulcast,
    K::Simulcast03,
    K::Framerate,
    K::SourceFilter,
    K::BundleOnly,
    K::Label,
    K::SctpPort,
    K::MaxMessageSize,
    K::TsRefClocks,
    K::MediaClk,
    K::Keywords,
    K::Content,
    K::BfcpFloorCtrl,
    K::BfcpConfId,
    K::BfcpUserId,
    K::BfcpFloorId,
    K::Invalid,
];

macro_rules! fields {
    ($($v:ident = $s:literal,)*) => {
        /// A field of an item object (`payload`, `codec`...).
        #[derive(Clone, Copy)]
        enum F { $($v,)* }

        impl F {
            const COUNT: usize = [$(Self::$v,)*].len();
            const NAMES: &'static [&'static str] = &[$($s,)*];
        }
    };
}

fields! {
    Address = "address",
    AddressTypes = "addressTypes",
    DestAddress = "destAddress",
    FilterMode = "filterMode",
    SrcList = "srcList",
    App = "app",
    Attribute = "attribute",
    Attrs1 = "attrs1",
    Attrs2 = "attrs2",
    Clksrc = "clksrc",
    ClksrcExt = "clksrcExt",
    Codec = "codec",
    Component = "component",
    Config = "config",
    Dir1 = "dir1",
    Dir2 = "dir2",
    Direction = "direction",
    Encoding = "encoding",
    EncryptUri = "encrypt-uri",
    Extensions = "extensions",
    Foundation = "foundation",
    Generation = "generation",
    Hash = "hash",
    Id = "id",
    Ip = "ip",
    IpVer = "ipVer",
    Limit = "limit",
    List1 = "list1",
    List2 = "list2",
    MStream = "mStream",
    MaxMessageSize = "maxMessageSize",
    MediaClockName = "mediaClockName",
    MediaClockValue = "mediaClockValue",
    Mids = "mids",
    NetType = "netType",
    NetworkCost = "network-cost",
    NetworkId = "network-id",
    Params = "params",
    Payload = "payload",
    Port = "port",
    Priority = "priority",
    Pt = "pt",
    Raddr = "raddr",
    Rate = "rate",
    RateDenominator = "rateDenominator",
    RateNumerator = "rateNumerator",
    Rport = "rport",
    SctpmapNumber = "sctpmapNumber",
    Semantic = "semantic",
    Semantics = "semantics",
    SessionConfig = "sessionConfig",
    SessionId = "sessionId",
    SessionVersion = "sessionVersion",
    Ssrcs = "ssrcs",
    Start = "start",
    Stop = "stop",
    Subtype = "subtype",
    Suite = "suite",
    Tcptype = "tcptype",
    Token = "token",
    Transport = "transport",
    Type = "type",
    Ufrag = "ufrag",
    Uri = "uri",
    Username = "username",
    Value = "value",
    Version = "version",
}

static FIELD_TABLE: [u8; 256] = table(F::NAMES);

/// An item object's fields, looked up once per object (a table lookup per
/// member) instead of one map search per field.
struct Fields<'a> {
    vals: [Option<&'a Node<'a>>; F::COUNT],
}

impl<'a> Fields<'a> {
    fn of(v: &'a Node<'a>) -> Self {
        let mut vals = [None; F::COUNT];
        if let Node::Obj(m) = v {
            for (name, x) in m {
                if let Some(i) = find(&FIELD_TABLE, F::NAMES, name.as_bytes()) {
                    vals[i] = Some(x);
                }
            }
        }
        Self { vals }
    }

    fn get(&self, f: F) -> Option<&'a Node<'a>> {
        self.vals[f as usize]
    }
}

/// Writes a value as text (strings as is, numbers printed); `None` for
/// null, arrays and objects.
fn put(o: &mut String, v: &Node<'_>) -> Option<()> {
    match v {
        Node::Str(s) => o.push_str(s),
        Node::Num(n) => match n.as_u64() {
            Some(u) => {
                let mut buf = [0; 20];
                let d = crate::json_text::digits(u, &mut buf);
                o.extend(d.iter().map(|&c| char::from(c)));
            }
            None => write!(o, "{n}").ok()?,
        },
        Node::Bool(b) => o.push_str(if *b { "true" } else { "false" }),
        _ => return None,
    }
    Some(())
}

/// Writes field `f` of the object, which must exist and be text.
fn f(o: &mut String, fs: &Fields<'_>, field: F) -> Option<()> {
    put(o, fs.get(field)?)
}

/// Writes `prefix` and field `f` if it exists and is text.
fn opt(o: &mut String, fs: &Fields<'_>, field: F, prefix: &str) {
    if let Some(x) = fs.get(field) {
        let mark = o.len();
        o.push_str(prefix);
        if put(o, x).is_none() {
            o.truncate(mark);
        }
    }
}

/// Writes `sep` and field `f` if it exists and is non-empty text.
fn nonempty(o: &mut String, fs: &Fields<'_>, field: F, sep: &str) {
    let mark = o.len();
    opt(o, fs, field, sep);
    if o.len() == mark + sep.len() {
        o.truncate(mark);
    }
}

/// Writes one item of key `k` as a whole line (`<type>=...`); on `false`
/// nothing was written.
pub(crate) fn line(k: K, v: &Node<'_>, o: &mut String) -> bool {
    let mark = o.len();
    let ok = write_line(k, v, o).is_some();
    if !ok {
        o.truncate(mark);
    }
    ok
}

fn write_line(k: K, v: &Node<'_>, o: &mut String) -> Option<()> {
    let fs = &Fields::of(v);
    let plain = |t: &str, o: &mut String| {
        o.push_str(t);
        put(o, v)
    };
    match k {
        K::Version => plain("v=", o),
        K::Origin => {
            o.push_str("o=");
            f(o, fs, F::Username)?;
            o.push(' ');
            f(o, fs, F::SessionId)?;
            o.push(' ');
            f(o, fs, F::SessionVersion)?;
            o.push(' ');
            f(o, fs, F::NetType)?;
            o.push_str(" IP");
            f(o, fs, F::IpVer)?;
            o.push(' ');
            f(o, fs, F::Address)
        }
        K::Name => plain("s=", o),
        K::Description => plain("i=", o),
        K::Uri => plain("u=", o),
        K::Email => plain("e=", o),
        K::Phone => plain("p=", o),
        K::Repeats => plain("r=", o),
        K::Timezones => plain("z=", o),
        K::Timing => {
            o.push_str("t=");
            f(o, fs, F::Start)?;
            o.push(' ');
            f(o, fs, F::Stop)
        }
        K::Connection => {
            o.push_str("c=IN IP");
            f(o, fs, F::Version)?;
            o.push(' ');
            f(o, fs, F::Ip)
        }
        K::Bandwidth => {
            o.push_str("b=");
            f(o, fs, F::Type)?;
            o.push(':');
            f(o, fs, F::Limit)
        }
        K::Rtp => {
            o.push_str("a=rtpmap:");
            f(o, fs, F::Payload)?;
            o.push(' ');
            f(o, fs, F::Codec)?;
            opt(o, fs, F::Rate, "/");
            opt(o, fs, F::Encoding, "/");
            Some(())
        }
        K::Fmtp => {
            o.push_str("a=fmtp:");
            f(o, fs, F::Payload)?;
            o.push(' ');
            f(o, fs, F::Config)
        }
        K::Rtcp => {
            o.push_str("a=rtcp:");
            f(o, fs, F::Port)?;
            if let Some(addr) = fs.get(F::Address).filter(|a| text_like(a)) {
                o.push(' ');
                f(o, fs, F::NetType)?;
                o.push_str(" IP");
                f(o, fs, F::IpVer)?;
                o.push(' ');
                put(o, addr)?;
            }
            Some(())
        }
        K::RtcpFbTrrInt => {
            o.push_str("a=rtcp-fb:");
            f(o, fs, F::Payload)?;
            o.push_str(" trr-int ");
            f(o, fs, F::Value)
        }
        K::RtcpFb => {
            o.push_str("a=rtcp-fb:");
            f(o, fs, F::Payload)?;
            o.push(' ');
            f(o, fs, F::Type)?;
            opt(o, fs, F::Subtype, " ");
            Some(())
        }
        K::Ext => {
            o.push_str("a=extmap:");
            f(o, fs, F::Value)?;
            opt(o, fs, F::Direction, "/");
            opt(o, fs, F::EncryptUri, " ");
            o.push(' ');
            f(o, fs, F::Uri)?;
            opt(o, fs, F::Config, " ");
            Some(())
        }
        K::Crypto => {
            o.push_str("a=crypto:");
            f(o, fs, F::Id)?;
            o.push(' ');
            f(o, fs, F::Suite)?;
            o.push(' ');
            f(o, fs, F::Config)?;
            opt(o, fs, F::SessionConfig, " ");
            Some(())
        }
        K::Fingerprint => {
            o.push_str("a=fingerprint:");
            f(o, fs, F::Type)?;
            o.push(' ');
            f(o, fs, F::Hash)
        }
        K::Candidates => {
            o.push_str("a=candidate:");
            for (i, field) in [
                F::Foundation,
                F::Component,
                F::Transport,
                F::Priority,
                F::Ip,
                F::Port,
            ]
            .into_iter()
            .enumerate()
            {
                if i > 0 {
                    o.push(' ');
                }
                f(o, fs, field)?;
            }
            o.push_str(" typ ");
            f(o, fs, F::Type)?;
            opt(o, fs, F::Raddr, " raddr ");
            opt(o, fs, F::Rport, " rport ");
            opt(o, fs, F::Tcptype, " tcptype ");
            opt(o, fs, F::Generation, " generation ");
            opt(o, fs, F::Ufrag, " ufrag ");
            opt(o, fs, F::NetworkId, " network-id ");
            opt(o, fs, F::NetworkCost, " network-cost ");
            if let Some(Node::Arr(ext)) = fs.get(F::Extensions) {
                for pair in ext {
                    if let Some([name, x]) = pair.as_array() {
                        o.push(' ');
                        put(o, name)?;
                        o.push(' ');
                        put(o, x)?;
                    }
                }
            }
            Some(())
        }
        K::Ssrcs => {
            o.push_str("a=ssrc:");
            f(o, fs, F::Id)?;
            if fs.get(F::Attribute).is_some_and(text_like) {
                o.push(' ');
                f(o, fs, F::Attribute)?;
                opt(o, fs, F::Value, ":");
            }
            Some(())
        }
        K::SsrcGroups => {
            o.push_str("a=ssrc-group:");
            f(o, fs, F::Semantics)?;
            o.push(' ');
            f(o, fs, F::Ssrcs)
        }
        K::MsidSemantic => {
            o.push_str("a=msid-semantic: ");
            f(o, fs, F::Semantic)?;
            nonempty(o, fs, F::Token, " ");
            Some(())
        }
        K::Groups => {
            o.push_str("a=group:");
            f(o, fs, F::Type)?;
            nonempty(o, fs, F::Mids, " ");
            Some(())
        }
        K::Sctpmap => {
            o.push_str("a=sctpmap:");
            f(o, fs, F::SctpmapNumber)?;
            o.push(' ');
            f(o, fs, F::App)?;
            opt(o, fs, F::MaxMessageSize, " ");
            Some(())
        }
        K::Rids => {
            o.push_str("a=rid:");
            f(o, fs, F::Id)?;
            o.push(' ');
            f(o, fs, F::Direction)?;
            opt(o, fs, F::Params, " ");
            Some(())
        }
        K::Simulcast => {
            o.push_str("a=simulcast:");
            f(o, fs, F::Dir1)?;
            o.push(' ');
            f(o, fs, F::List1)?;
            opt(o, fs, F::Dir2, " ");
            opt(o, fs, F::List2, " ");
            Some(())
        }
        K::Imageattrs => {
            o.push_str("a=imageattr:");
            f(o, fs, F::Pt)?;
            o.push(' ');
            f(o, fs, F::Dir1)?;
            o.push(' ');
            f(o, fs, F::Attrs1)?;
            opt(o, fs, F::Dir2, " ");
            opt(o, fs, F::Attrs2, " ");
            Some(())
        }
        K::SourceFilter => {
            o.push_str("a=source-filter:");
            for field in [
                F::FilterMode,
                F::NetType,
                F::AddressTypes,
                F::DestAddress,
                F::SrcList,
            ] {
                o.push(' ');
                f(o, fs, field)?;
            }
            Some(())
        }
        K::TsRefClocks => {
            o.push_str("a=ts-refclk:");
            f(o, fs, F::Clksrc)?;
            opt(o, fs, F::ClksrcExt, "=");
            Some(())
        }
        K::MediaClk => {
            o.push_str("a=mediaclk:");
            if fs.get(F::Id).is_some_and(text_like) {
                o.push_str("id=");
                f(o, fs, F::Id)?;
                o.push(' ');
            }
            f(o, fs, F::MediaClockName)?;
            opt(o, fs, F::MediaClockValue, "=");
            opt(o, fs, F::RateNumerator, " rate=");
            opt(o, fs, F::RateDenominator, "/");
            Some(())
        }
        K::BfcpFloorId => {
            o.push_str("a=floorid:");
            f(o, fs, F::Id)?;
            o.push_str(" mstrm:");
            f(o, fs, F::MStream)
        }
        K::Simulcast03 => {
            o.push_str("a=simulcast: ");
            f(o, fs, F::Value)
        }
        K::Invalid => {
            let value = fs.get(F::Value).filter(|x| text_like(x))?;
            match fs.get(F::Type).filter(|x| text_like(x)) {
                Some(t) => {
                    let mark = o.len();
                    put(o, t)?;
                    if o.get(mark..) == Some("raw") {
                        o.truncate(mark);
                    } else {
                        o.push('=');
                    }
                }
                None => o.push_str("a="),
            }
            put(o, value)
        }
        K::Direction => plain("a=", o),
        _ => {
            let (name, conv) = attr_of(k)?;
            o.push_str("a=");
            o.push_str(name);
            match conv {
                Conv::Flag => Some(()),
                Conv::Str | Conv::Nos => {
                    o.push(':');
                    put(o, v)
                }
                Conv::Own | Conv::Extra => None,
            }
        }
    }
}

/// Whether [`put`] writes `v`.
const fn text_like(v: &Node<'_>) -> bool {
    matches!(v, Node::Str(_) | Node::Num(_) | Node::Bool(_))
}

/// A section's values by key, borrowed from its object.
struct Keys<'a> {
    vals: [Option<&'a Node<'a>>; K::COUNT],
}

impl<'a> Keys<'a> {
    fn of(m: &'a [(Cow<'a, str>, Node<'a>)]) -> Self {
        let mut vals = [None; K::COUNT];
        for (name, v) in m {
            if let Some(k) = K::from_name(name) {
                vals[k as usize] = Some(v);
            }
        }
        Self { vals }
    }

    fn get(&self, k: K) -> Option<&'a Node<'a>> {
        self.vals[k as usize]
    }
}

/// The lines written so far, one after another, and where each ends.
struct Lines {
    text: String,
    ends: Vec<usize>,
}

impl Lines {
    fn end_line(&mut self) {
        self.ends.push(self.text.len());
    }
}

/// Writes the lines of one section: first in `order`, then what `order`
/// does not name, in sdp-transform's order.
fn section(m: &Keys<'_>, pre: &[K], out: &mut Lines, used: &mut Vec<bool>) {
    // Which items `order` already wrote: one flag per single-valued key and
    // per array item, so a long `order` costs O(n), not O(n²).
    let mut base = [0usize; K::COUNT];
    let mut singles = K::COUNT;
    for (k, v) in K::ALL.iter().zip(m.vals.iter()) {
        base[*k as usize] = singles;
        if let Some(Node::Arr(a)) = v {
            singles += a.len();
        }
    }
    used.clear();
    used.resize(singles, false);
    let slot = |k: K, idx: Option<usize>| -> Option<(usize, &Node<'_>)> {
        match (idx, m.get(k)?) {
            (Some(i), Node::Arr(a)) => Some((base[k as usize] + i, a.get(i)?)),
            (None, Node::Arr(_)) | (Some(_), _) => None,
            (None, v) => Some((k as usize, v)),
        }
    };
    if let Some(Node::Arr(order)) = m.get(K::Order) {
        for r in order.iter().filter_map(Node::as_str) {
            // `"rtp.3"`: item 3 of `rtp`; `"mid"`: the single value.
            let dot = r.bytes().rposition(|b| b == b'.');
            let (key, idx) = match dot.and_then(|d| Some((r.get(..d)?, r.get(d + 1..)?))) {
                Some((k, i)) if i.bytes().all(|b| b.is_ascii_digit()) && !i.is_empty() => {
                    (k, i.parse().ok())
                }
                _ => (r, None),
            };
            let Some(k) = K::from_name(key) else { continue };
            let Some((u, v)) = slot(k, idx) else { continue };
            if !used[u] && line(k, v, &mut out.text) {
                out.end_line();
                used[u] = true;
            }
        }
    }
    for &k in pre.iter().chain(A_KEYS) {
        match m.get(k) {
            Some(Node::Arr(a)) => {
                for (i, v) in a.iter().enumerate() {
                    if !used[base[k as usize] + i] && line(k, v, &mut out.text) {
                        out.end_line();
                    }
                }
            }
            Some(Node::Null) | None => {}
            Some(v) => {
                if !used[k as usize] && line(k, v, &mut out.text) {
                    out.end_line();
                }
            }
        }
    }
}

/// Writes SDP from sdp-transform-shaped JSON (ours or sdp-transform's own).
///
/// Every field must fit in its line: a value holding an LF (or a CR where
/// an LF line ending follows) is refused, where sdp-transform's `write()`
/// would let it add or merge lines (`"mid": "0\r\na=x"` writes an extra
/// `a=x`), which matters when the JSON comes from an untrusted peer.
///
/// # Errors
/// [`Error::Json`] if `json` is not an object with a `media` array;
/// [`Error::JsonLineBreak`] for a line break inside a field.
pub fn from_json(json: &Value) -> Result<Sdp, Error> {
    from_node(&Node::from_value(json))
}

/// [`from_json`] on the value as [`crate::json_node`] reads it.
fn from_node(json: &Node<'_>) -> Result<Sdp, Error> {
    let bad = Error::Json { line: 0, column: 0 };
    let root = json.as_object().ok_or_else(|| bad.clone())?;
    let media = match json_node::get(root, "media") {
        Some(Node::Arr(m)) => m.as_slice(),
        None => &[],
        Some(_) => return Err(bad),
    };
    let mut lines = Lines {
        text: String::with_capacity(8192),
        ends: Vec::with_capacity(256),
    };
    let mut used = Vec::new();
    let mut session = Keys::of(root);
    // sdp-transform's writer supplies these two when they are missing; our
    // own JSON (with `order`) says exactly which lines there were.
    let (zero, space) = (Node::Num(0.into()), Node::Str(Cow::Borrowed(" ")));
    if json_node::get(root, "order").is_none() {
        session.vals[K::Version as usize].get_or_insert(&zero);
        session.vals[K::Name as usize].get_or_insert(&space);
    }
    section(&session, SESSION_PRE, &mut lines, &mut used);
    for m in media {
        let m = m.as_object().ok_or_else(|| bad.clone())?;
        let keys = Keys::of(m);
        // A malformed m= line was kept verbatim in `invalid` (type "m") and
        // is written from there, in place.
        let raw_m = keys
            .get(K::Invalid)
            .and_then(Node::as_array)
            .is_some_and(|inv| {
                inv.iter()
                    .any(|i| i.get("type").and_then(Node::as_str) == Some("m"))
            });
        if !raw_m || keys.get(K::Type).is_some() {
            let o = &mut lines.text;
            let start = o.len();
            let text = |o: &mut String, k: K| {
                if let Some(v) = keys.get(k) {
                    let _ = put(o, v);
                }
            };
            o.push_str("m=");
            text(o, K::Type);
            o.push(' ');
            text(o, K::Port);
            if let Some(n) = keys.get(K::NumPorts).filter(|n| text_like(n)) {
                o.push('/');
                let _ = put(o, n);
            }
            o.push(' ');
            text(o, K::Protocol);
            o.push(' ');
            text(o, K::Payloads);
            let len = o.get(start..).map_or(0, |l| l.trim_end().len());
            o.truncate(start + len);
            lines.end_line();
        }
        section(&keys, MEDIA_PRE, &mut lines, &mut used);
    }
    let ending = match json_node::get(root, "lineEnding").and_then(Node::as_str) {
        Some("\n") => "\n",
        _ => "\r\n",
    };
    let latin1 = json_node::get(root, "charset").and_then(Node::as_str) == Some("latin1");
    let per_line = json_node::get(root, "lineEndings")
        .and_then(Node::as_array)
        .filter(|a| a.len() == lines.ends.len());
    let mut bytes = Vec::with_capacity(lines.text.len() + 2 * lines.ends.len());
    let mut start = 0;
    for (i, &end) in lines.ends.iter().enumerate() {
        let l = lines.text.get(start..end).unwrap_or_default();
        start = end;
        let ending = match per_line.and_then(|p| p.get(i)).and_then(Node::as_str) {
            Some(e @ ("\r\n" | "\n" | "")) => e,
            _ => ending,
        };
        // An LF inside splits the line; a CR last merges with an LF ending into
        // CRLF. (A CR elsewhere, or last before CRLF or the end, stays in the
        // line, as the parser reads it.)
        if l.contains('\n') || (l.ends_with('\r') && ending == "\n") {
            return Err(Error::JsonLineBreak {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            });
        }
        if latin1 {
            for c in l.chars() {
                match u8::try_from(u32::from(c)) {
                    Ok(b) => bytes.push(b),
                    Err(_) => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                }
            }
        } else {
            bytes.extend_from_slice(l.as_bytes());
        }
        bytes.extend_from_slice(ending.as_bytes());
    }
    Sdp::parse(&bytes)
}

/// [`from_json`] on a tape (see [`crate::json_tape`]): what the npm package
/// hands over for `writeSdp`, with no JSON text in between.
///
/// # Errors
/// [`Error::JsonTape`] with the offset for a malformed tape; else as
/// [`from_json`].
pub fn from_tape(tape: &[u8]) -> Result<Sdp, Error> {
    let v = crate::json_tape::node_at(tape).map_err(|offset| Error::JsonTape { offset })?;
    from_node(&v)
}

/// [`from_json`] on JSON text.
///
/// # Errors
/// [`Error::Json`] with the position serde_json reports.
pub fn from_json_str(json: &str) -> Result<Sdp, Error> {
    let v: Node<'_> = serde_json::from_str(json).map_err(|e| Error::Json {
        line: u32::try_from(e.line()).unwrap_or(u32::MAX),
        column: u32::try_from(e.column()).unwrap_or(u32::MAX),
    })?;
    from_node(&v)
}
