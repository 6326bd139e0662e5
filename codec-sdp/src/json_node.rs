//! The JSON value [`crate::json_write`] reads: keys and strings borrowed
//! from the JSON text where they hold no escape, objects as lists of
//! members. Reading JSON text into it (through `serde_json`'s parser) makes
//! far fewer allocations than a `serde_json::Value` (a `BTreeMap` and a
//! `String` per key): measured, it is most of the cost of SDP from JSON.

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use crate::json_tape::MAX_DEPTH;

/// One JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Arr(Vec<Self>),
    /// Members in document order; a key given twice counts with its last
    /// value (see [`Node::get`]), as in `serde_json::Map`.
    Obj(Vec<(Cow<'a, str>, Self)>),
}

impl<'a> Node<'a> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Self]> {
        match self {
            Self::Arr(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&[(Cow<'a, str>, Self)]> {
        match self {
            Self::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// Member `key` of an object (the last one if given twice).
    pub(crate) fn get(&self, key: &str) -> Option<&Self> {
        get(self.as_object()?, key)
    }

    /// The same value as a `serde_json::Value`.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(b),
            Self::Num(n) => Value::Number(n),
            Self::Str(s) => Value::String(s.into_owned()),
            Self::Arr(a) => Value::Array(a.into_iter().map(Self::into_value).collect()),
            Self::Obj(m) => Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_value()))
                    .collect(),
            ),
        }
    }

    /// `v`, its strings borrowed. Arrays and objects nested deeper than
    /// the JSON of a description ever goes ([`MAX_DEPTH`]) read as null:
    /// the writer never looks there, and a `Value` built without a depth
    /// limit cannot make this recurse without end.
    pub(crate) fn from_value(v: &'a Value) -> Self {
        Self::from_value_at(v, MAX_DEPTH)
    }

    fn from_value_at(v: &'a Value, depth: usize) -> Self {
        let Some(inner) = depth.checked_sub(1) else {
            return Self::Null;
        };
        match v {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => Self::Num(n.clone()),
            Value::String(s) => Self::Str(Cow::Borrowed(s)),
            Value::Array(a) => Self::Arr(a.iter().map(|x| Self::from_value_at(x, inner)).collect()),
            Value::Object(m) => Self::Obj(
                m.iter()
                    .map(|(k, x)| (Cow::Borrowed(k.as_str()), Self::from_value_at(x, inner)))
                    .collect(),
            ),
        }
    }
}

/// Member `key` of an object's members (the last one if given twice).
pub(crate) fn get<'n, 'a>(m: &'n [(Cow<'a, str>, Node<'a>)], key: &str) -> Option<&'n Node<'a>> {
    m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// A string that borrows from the input when it can.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.into())))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Node<'de>, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Node<'de>, E> {
                Ok(Node::Bool(b))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Node<'de>, E> {
                Ok(Node::Num(n.into()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Node<'de>, E> {
                Ok(Node::Num(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Node<'de>, E> {
                // JSON text has no NaN or infinity.
                Ok(Number::from_f64(n).map_or(Node::Null, Node::Num))
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Node<'de>, E> {
                Ok(Node::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Node<'de>, E> {
                Ok(Node::Str(Cow::Owned(s.into())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
                let mut a = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(x) = seq.next_element()? {
                    a.push(x);
                }
                Ok(Node::Arr(a))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
                let mut m = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some((Text(k), v)) = map.next_entry()? {
                    m.push((k, v));
                }
                Ok(Node::Obj(m))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_serde_json_and_borrows() {
        let text = r#"{"a":[1,-2,2.5,true,null,"x\"y"],"b":{"k":"v"},"a":"last"}"#;
        let n: Node<'_> = serde_json::from_str(text).unwrap();
        // The last of a repeated key counts, as in serde_json's map.
        assert_eq!(n.get("a").and_then(Node::as_str), Some("last"));
        let v: Value = serde_json::from_str(text).unwrap();
        let from_value = Node::from_value(&v);
        assert_eq!(from_value.get("a"), n.get("a"));
        assert_eq!(from_value.get("b"), n.get("b"));
        let Some(Node::Str(Cow::Borrowed(s))) = n.get("b").and_then(|b| b.get("k")) else {
            panic!("a string without escapes is borrowed");
        };
        assert_eq!(*s, "v");
        // Deeper than a description's JSON goes: null, without recursing further.
        let mut deep = Value::from("leaf");
        for _ in 0..100_000 {
            deep = Value::Array(vec![deep]);
        }
        let mut n = Node::from_value(&deep);
        for _ in 0..MAX_DEPTH {
            n = match n {
                Node::Arr(mut a) => a.pop().unwrap(),
                other => panic!("{other:?}"),
            };
        }
        assert_eq!(n, Node::Null);
        // serde_json's own drop of the value recurses: leave it to the end of
        // the process.
        core::mem::forget(deep);
        let arr: Node<'_> = serde_json::from_str(r#"[1,-2,2.5,true,null,"x\"y"]"#).unwrap();
        assert_eq!(
            arr,
            Node::Arr(vec![
                Node::Num(1.into()),
                Node::Num((-2).into()),
                Node::Num(Number::from_f64(2.5).unwrap()),
                Node::Bool(true),
                Node::Null,
                Node::Str(Cow::Owned("x\"y".into())),
            ])
        );
    }
}
