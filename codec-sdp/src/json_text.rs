//! The writer behind [`crate::json`]: the keys of a section object, the
//! tape writer ([`crate::json_tape`] has the format) and the per-section
//! assembly that puts each object's keys in `serde_json::Map` order (sorted
//! byte-wise) without building a `Value`.
//!
//! Values are written once, in line order, into a scratch tape; a section
//! keeps a list of value ranges per key and, when it ends, writes its object
//! by walking the keys in sorted order. Array keys (`rtp`, `candidates`...)
//! collect their items from their list, so nothing is sorted or parsed.

use alloc::vec::Vec;

#[cfg(debug_assertions)]
use crate::json_tape::KEYS;
use crate::json_tape::{leb, ARR, END, INT, NUM, OBJ, STR, STR8};
use crate::scan::Num;

macro_rules! keys {
    ($($v:ident = $s:literal,)*) => {
        /// A key of a section object (session or media). The variants are
        /// declared in byte-wise order of their names, which is the order
        /// `serde_json::Map` (a `BTreeMap`) writes them in; a unit test
        /// checks it.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
        #[repr(u8)]
        pub(crate) enum K { $($v,)* }

        impl K {
            pub(crate) const ALL: &'static [Self] = &[$(Self::$v,)*];
            pub(crate) const NAMES: &'static [&'static str] = &[$($s,)*];
        }
    };
}

keys! {
    Bandwidth = "bandwidth",
    BfcpConfId = "bfcpConfId",
    BfcpFloorCtrl = "bfcpFloorCtrl",
    BfcpFloorId = "bfcpFloorId",
    BfcpUserId = "bfcpUserId",
    BundleOnly = "bundleOnly",
    Candidates = "candidates",
    Charset = "charset",
    Connection = "connection",
    ConnectionType = "connectionType",
    Content = "content",
    Control = "control",
    Crypto = "crypto",
    Description = "description",
    Direction = "direction",
    Email = "email",
    EndOfCandidates = "endOfCandidates",
    Ext = "ext",
    ExtmapAllowMixed = "extmapAllowMixed",
    Fingerprint = "fingerprint",
    Fmtp = "fmtp",
    Framerate = "framerate",
    Groups = "groups",
    IceOptions = "iceOptions",
    IcePwd = "icePwd",
    IceUfrag = "iceUfrag",
    Icelite = "icelite",
    Imageattrs = "imageattrs",
    Invalid = "invalid",
    Keywords = "keywords",
    Label = "label",
    LineEnding = "lineEnding",
    LineEndings = "lineEndings",
    MaxMessageSize = "maxMessageSize",
    Maxptime = "maxptime",
    Media = "media",
    MediaClk = "mediaClk",
    Mid = "mid",
    Msid = "msid",
    MsidSemantic = "msidSemantic",
    Name = "name",
    NumPorts = "numPorts",
    Order = "order",
    Origin = "origin",
    Payloads = "payloads",
    Phone = "phone",
    Port = "port",
    Protocol = "protocol",
    Ptime = "ptime",
    RemoteCandidates = "remoteCandidates",
    Repeats = "repeats",
    Rids = "rids",
    Rtcp = "rtcp",
    RtcpFb = "rtcpFb",
    RtcpFbTrrInt = "rtcpFbTrrInt",
    RtcpMux = "rtcpMux",
    RtcpRsize = "rtcpRsize",
    Rtp = "rtp",
    SctpPort = "sctpPort",
    Sctpmap = "sctpmap",
    Setup = "setup",
    Simulcast = "simulcast",
    Simulcast03 = "simulcast_03",
    SourceFilter = "sourceFilter",
    SsrcGroups = "ssrcGroups",
    Ssrcs = "ssrcs",
    Timezones = "timezones",
    Timing = "timing",
    TsRefClocks = "tsRefClocks",
    Type = "type",
    Uri = "uri",
    Version = "version",
    XGoogleFlag = "xGoogleFlag",
}

const fn bits(keys: &[K]) -> u128 {
    let mut b = 0;
    let mut i = 0;
    while i < keys.len() {
        b |= 1 << keys[i] as u8;
        i += 1;
    }
    b
}

/// Keys whose value is an array of items, one per line (sdp-transform's
/// `push` rules), plus our `lineEndings`.
const ARRAYS: u128 = bits(&[
    K::Bandwidth,
    K::Candidates,
    K::Crypto,
    K::Ext,
    K::Fmtp,
    K::Groups,
    K::Imageattrs,
    K::Invalid,
    K::LineEndings,
    K::Rids,
    K::RtcpFb,
    K::RtcpFbTrrInt,
    K::Rtp,
    K::SsrcGroups,
    K::Ssrcs,
    K::TsRefClocks,
]);

// Sets of keys are `u128` bit masks.
const _: () = assert!(K::COUNT <= 128);

impl K {
    pub(crate) const COUNT: usize = Self::ALL.len();

    pub(crate) const fn bit(self) -> u128 {
        1 << self as u8
    }

    pub(crate) const fn is_array(self) -> bool {
        ARRAYS & self.bit() != 0
    }

    /// The key named `name`.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        find(&KEY_TABLE, Self::NAMES, name.as_bytes()).map(|i| Self::ALL[i])
    }
}

/// A small hash of a name: its length and three of its bytes. Only used to
/// pick a slot in a 256-entry open-addressing table; a match is always
/// confirmed by comparing the whole name.
const fn hash(b: &[u8]) -> usize {
    let n = b.len();
    if n == 0 {
        return 0;
    }
    let mut h: u32 = 0x811c_9dc5 ^ n as u32;
    h = (h ^ b[0] as u32).wrapping_mul(0x0100_0193);
    h = (h ^ b[n / 2] as u32).wrapping_mul(0x0100_0193);
    h = (h ^ b[n - 1] as u32).wrapping_mul(0x0100_0193);
    (h ^ (h >> 15)) as usize & 255
}

/// An open-addressing table (linear probing) from `hash(name)` to the
/// index of `name` in `names`; `u8::MAX` marks a free slot. Built at compile
/// time; `names` has far fewer than 255 entries, so probing always ends.
pub(crate) const fn table(names: &[&str]) -> [u8; 256] {
    let mut t = [u8::MAX; 256];
    let mut i = 0;
    while i < names.len() {
        let mut s = hash(names[i].as_bytes());
        while t[s] != u8::MAX {
            s = (s + 1) & 255;
        }
        t[s] = i as u8;
        i += 1;
    }
    t
}

/// Looks `key` up in a [`table`] of `names`.
pub(crate) fn find(t: &[u8; 256], names: &[&str], key: &[u8]) -> Option<usize> {
    let mut s = hash(key);
    loop {
        let i = *t.get(s)?;
        let name = names.get(usize::from(i))?.as_bytes();
        // A plain loop: names are a few bytes, shorter than a memcmp call.
        if name.len() == key.len() && name.iter().zip(key).all(|(a, b)| a == b) {
            return Some(usize::from(i));
        }
        s = (s + 1) & 255;
    }
}

static KEY_TABLE: [u8; 256] = table(K::NAMES);

/// A tape being written (see [`crate::json_tape`]).
pub(crate) struct Out {
    pub(crate) s: Vec<u8>,
    /// The document is ASCII, so every string is too (checked once per
    /// document, not per string).
    pub(crate) ascii: bool,
}

impl Out {
    pub(crate) fn with_capacity(n: usize, ascii: bool) -> Self {
        Self {
            s: Vec::with_capacity(n),
            ascii,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.s.len()
    }

    pub(crate) fn truncate(&mut self, n: usize) {
        self.s.truncate(n);
    }

    /// A string.
    #[inline(never)]
    pub(crate) fn str(&mut self, s: &str) {
        let op = if self.ascii || s.is_ascii() {
            STR
        } else {
            STR8
        };
        self.s.push(op);
        leb(&mut self.s, s.len() as u64);
        self.s.extend_from_slice(s.as_bytes());
    }

    /// `n`, as a number.
    #[inline(never)]
    pub(crate) fn u64(&mut self, n: u64) {
        if n <= 1 << 53 {
            self.s.push(INT);
            leb(&mut self.s, n);
        } else {
            let mut buf = [0; 20];
            let d = digits(n, &mut buf);
            self.s.push(NUM);
            leb(&mut self.s, d.len() as u64);
            self.s.extend_from_slice(d);
        }
    }

    /// [`num_or_str`]: a number whose JSON text is `s`, else the string.
    pub(crate) fn num_or_str(&mut self, s: &str) {
        if !is_number(s) {
            self.str(s);
        } else if let Some(n) = u64::parse_dec(s) {
            self.s.push(INT);
            leb(&mut self.s, n);
        } else {
            self.s.push(NUM);
            leb(&mut self.s, s.len() as u64);
            self.s.extend_from_slice(s.as_bytes());
        }
    }

    /// Starts an array (ended by [`end`](Self::end)).
    pub(crate) fn array(&mut self) {
        self.s.push(ARR);
    }

    /// Ends an array.
    pub(crate) fn end(&mut self) {
        self.s.push(END);
    }
}

/// The decimal digits of `n`, written at the end of `buf`.
pub(crate) fn digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// sdp-transform's `toIntIfInt` (`String(Number(v)) === v`): whether `s` is
/// the canonical text of a number, so that it becomes a JSON number whose
/// text is `s` itself.
///
/// Integers: at most 2^53 (exact in a JS number), no leading zero.
/// Decimals: `<int>.<frac>` in shortest form (no leading zero but `0.`,
/// no trailing zero), at most 15 significant digits and at least 0.00001.
/// 15 digits is what a double always keeps (`DBL_DIG`), so every JSON
/// reader gets the same double and writes the same shortest text back;
/// below 0.00001 serde_json and JS switch to exponent notation.
pub(crate) fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    // The common case first: a short integer (15 digits stay below 2^53).
    if b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
        return !b.is_empty() && (b.len() == 1 || b[0] != b'0');
    }
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let digits = |d: &[u8]| !d.is_empty() && d.iter().all(u8::is_ascii_digit);
    if !digits(int) || (int.len() > 1 && int[0] == b'0') {
        return false;
    }
    let Some(frac) = frac else {
        // 2^53 has 16 digits.
        return int.len() <= 16
            && int
                .iter()
                .try_fold(0u64, |n, &d| {
                    n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                })
                .is_some_and(|n| n <= 1 << 53);
    };
    if !digits(frac) || frac.last() == Some(&b'0') {
        return false;
    }
    let (significant, leading_zeros) = if int == b"0" {
        let z = frac.iter().take_while(|&&c| c == b'0').count();
        (frac.len() - z, z)
    } else {
        (int.len() + frac.len(), 0)
    };
    significant <= 15 && leading_zeros <= 4
}

/// The tape number of a key, from its name (checked at compile time).
macro_rules! key {
    ($k:literal) => {
        const { $crate::json_tape::key_id($k) }
    };
}
pub(crate) use key;

/// Writes one object. Keys are [`key!`] numbers and must come in byte-wise
/// order of their names (checked in debug builds), as `serde_json::Map`
/// writes them.
pub(crate) struct Obj<'a> {
    out: &'a mut Out,
    #[cfg(debug_assertions)]
    last: &'static str,
}

impl<'a> Obj<'a> {
    #[inline(always)]
    pub(crate) fn new(out: &'a mut Out) -> Self {
        out.s.push(OBJ);
        Self {
            out,
            #[cfg(debug_assertions)]
            last: "",
        }
    }

    /// Writes key `key` (from [`key!`]) and hands out the tape for the
    /// value.
    #[inline(always)]
    pub(crate) fn key(&mut self, key: u8) -> &mut Out {
        #[cfg(debug_assertions)]
        {
            let name = KEYS[usize::from(key) - 1];
            debug_assert!(self.last < name, "{} before {name}", self.last);
            self.last = name;
        }
        self.out.s.push(key);
        self.out
    }

    /// The tape, to continue a value that [`key`](Self::key) started.
    pub(crate) fn raw(&mut self) -> &mut Out {
        self.out
    }

    #[inline(always)]
    pub(crate) fn str(&mut self, key: u8, v: &str) -> &mut Self {
        self.key(key).str(v);
        self
    }

    #[inline(always)]
    pub(crate) fn opt_str(&mut self, key: u8, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.str(key, v);
        }
        self
    }

    #[inline(always)]
    pub(crate) fn num(&mut self, key: u8, v: u64) -> &mut Self {
        self.key(key).u64(v);
        self
    }

    /// [`num_or_str`](Out::num_or_str).
    #[inline(always)]
    pub(crate) fn nos(&mut self, key: u8, v: &str) -> &mut Self {
        self.key(key).num_or_str(v);
        self
    }

    #[inline(always)]
    pub(crate) fn opt_nos(&mut self, key: u8, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.nos(key, v);
        }
        self
    }

    #[inline(always)]
    pub(crate) fn end(&mut self) {
        self.out.s.push(END);
    }
}

/// No entry (end of a key's list).
const NIL: u32 = u32::MAX;

/// One value in [`Section::vals`] and the next value of the same key.
#[derive(Clone, Copy)]
struct Entry {
    start: u32,
    end: u32,
    next: u32,
}

/// One section object (the session or one media section) being collected.
pub(crate) struct Section {
    /// Tape of the values, one after another in line order.
    pub(crate) vals: Out,
    entries: Vec<Entry>,
    /// First and last entry of each key: a list per key, so the object is
    /// written in key order without sorting.
    head: [u32; K::COUNT],
    tail: [u32; K::COUNT],
    /// Keys that have a value (or an array, maybe empty).
    present: u128,
    /// Items pushed so far per array key (for `order`'s `"rtp.3"`).
    counts: [u32; K::COUNT],
    /// Tape of the `order` array's items.
    order: Vec<u8>,
}

impl Section {
    pub(crate) fn with_capacity(n: usize, ascii: bool) -> Self {
        Self {
            vals: Out::with_capacity(n, ascii),
            entries: Vec::with_capacity(n / 32),
            head: [NIL; K::COUNT],
            tail: [NIL; K::COUNT],
            present: 0,
            counts: [0; K::COUNT],
            order: Vec::with_capacity(n / 4),
        }
    }

    pub(crate) fn clear(&mut self) {
        self.vals.s.clear();
        self.entries.clear();
        self.head = [NIL; K::COUNT];
        self.tail = [NIL; K::COUNT];
        self.present = 0;
        self.counts = [0; K::COUNT];
        self.order.clear();
    }

    pub(crate) const fn has(&self, k: K) -> bool {
        self.present & k.bit() != 0
    }

    /// Marks `k` present without a value (an empty array).
    pub(crate) fn touch(&mut self, k: K) {
        self.present |= k.bit();
    }

    /// The value written to `vals` since `start` is `k`'s (or, for an
    /// array key, its next item); not recorded in `order`.
    pub(crate) fn set(&mut self, k: K, start: usize) {
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let i = to_u32(self.entries.len());
        self.entries.push(Entry {
            start: to_u32(start),
            end: to_u32(self.vals.s.len()),
            next: NIL,
        });
        let k = k as usize;
        match self.entries.get_mut(self.tail[k] as usize) {
            Some(prev) => prev.next = i,
            None => self.head[k] = i,
        }
        self.tail[k] = i;
        self.present |= 1 << k;
    }

    /// The value written since `start` is the single-valued key `k`.
    pub(crate) fn name(&mut self, k: K, start: usize) {
        self.set(k, start);
        let name = K::NAMES[k as usize].as_bytes();
        self.order.push(STR);
        leb(&mut self.order, name.len() as u64);
        self.order.extend_from_slice(name);
    }

    /// The value written since `start` is the next item of array `k`.
    pub(crate) fn push(&mut self, k: K, start: usize) {
        self.set(k, start);
        let name = K::NAMES[k as usize].as_bytes();
        let n = &mut self.counts[k as usize];
        let mut buf = [0; 20];
        let d = digits(u64::from(*n), &mut buf);
        *n += 1;
        self.order.push(STR);
        leb(&mut self.order, (name.len() + 1 + d.len()) as u64);
        self.order.extend_from_slice(name);
        self.order.push(b'.');
        self.order.extend_from_slice(d);
    }

    /// A line kept verbatim: `{type?, value}` pushed to `invalid`.
    pub(crate) fn invalid(&mut self, ty: Option<&str>, value: &str) {
        let start = self.vals.len();
        let mut o = Obj::new(&mut self.vals);
        if let Some(t) = ty {
            o.str(key!("type"), t);
        }
        o.str(key!("value"), value).end();
        self.push(K::Invalid, start);
    }

    /// Writes the members of the present keys in `lo..hi` (`order` always
    /// counts as present).
    pub(crate) fn members(&self, dst: &mut Vec<u8>, lo: K, hi: Option<K>) {
        let below = |k: Option<K>| k.map_or(u128::MAX, |k| k.bit() - 1);
        let mut bits = (self.present | K::Order.bit()) & below(hi) & !below(Some(lo));
        dst.reserve(self.vals.s.len() + self.order.len() + 3 * bits.count_ones() as usize);
        let vals = &self.vals.s;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            // K's keys come first in the tape's key table.
            dst.push(i as u8 + 1);
            if i == K::Order as usize {
                dst.push(ARR);
                dst.extend_from_slice(&self.order);
                dst.push(END);
                continue;
            }
            let array = K::ALL[i].is_array();
            if array {
                dst.push(ARR);
            }
            let mut e = self.head[i];
            while let Some(x) = self.entries.get(e as usize) {
                dst.extend_from_slice(
                    vals.get(x.start as usize..x.end as usize)
                        .unwrap_or_default(),
                );
                e = x.next;
            }
            if array {
                dst.push(END);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn keys_are_in_map_order_and_found() {
        assert!(K::NAMES
            .windows(2)
            .all(|w| w[0].as_bytes() < w[1].as_bytes()));
        for (i, n) in K::NAMES.iter().enumerate() {
            assert_eq!(K::from_name(n), Some(K::ALL[i]));
            assert_eq!(K::ALL[i] as usize, i);
        }
        assert_eq!(K::from_name("rtpx"), None);
        assert_eq!(K::from_name(""), None);
    }

    #[test]
    fn numbers_are_canonical() {
        for s in [
            "0",
            "1",
            "9007199254740992",
            "29.97",
            "0.5",
            "0.00001",
            "123456789.123456",
        ] {
            assert!(is_number(s), "{s}");
            let v: serde_json::Value = serde_json::from_str(s).unwrap();
            assert_eq!(serde_json::to_string(&v).unwrap(), s);
        }
        for s in [
            "",
            "01",
            "9007199254740993",
            "1.",
            ".5",
            "1.50",
            "0.000001",
            "1234567890.1234567",
            "-1",
            "1e5",
            "00.5",
            "0x1",
            "1.2.3",
            "+1",
            " 1",
        ] {
            assert!(!is_number(s), "{s}");
        }
        let mut buf = [0; 20];
        for n in [0, 7, 10, 99, 100, 999, 1000, 12345, u64::MAX] {
            assert_eq!(digits(n, &mut buf), n.to_string().as_bytes());
        }
        for (s, n) in [
            ("0", Some(0)),
            ("9007199254740992", Some(1 << 53)),
            ("29.97", None),
        ] {
            assert_eq!(u64::parse_dec(s), n);
        }
    }
}
