//! Lenient field decoders: the server's JSON is PHP-shaped (api §7), so ids may come as strings, maps
//! as `[]`, nulls where a value is expected and zero dates.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};

/// Visitor methods answering the empty value (`None`, `[]`, `{}`) for inputs that carry no usable value:
/// `null` (and `Some(x)` read as `x`), `list`, `object`, `number` (numbers and booleans). PHP puts such
/// inputs where a value is expected, so every decoder here skips them instead of failing the whole answer.
macro_rules! empty_for {
    ($($kind:ident),+) => {
        $(empty_for!(@ $kind);)+
    };
    (@ null) => {
        fn visit_none<E: ::serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E: ::serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_some<D: ::serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
    (@ list) => {
        fn visit_seq<A: ::serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            while a.next_element::<::serde::de::IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
    (@ object) => {
        fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            while a.next_entry::<::serde::de::IgnoredAny, ::serde::de::IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
    (@ number) => {
        fn visit_i64<E: ::serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E: ::serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E: ::serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_bool<E: ::serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
    };
}
pub(crate) use empty_for;

/// An integer id; numeric strings are accepted too (api §7.17 says ints, older servers sent strings).
pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(opt_id(d)?.unwrap_or_default())
}

/// An optional integer id: null, `""` and non-numeric strings become `None`.
pub fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an integer or a numeric string")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(i64::try_from(v).ok())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(if v.fract() == 0.0 && v.abs() < 9.0e15 { Some(v as i64) } else { None })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.trim().parse().ok())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v as i64))
        }
        empty_for!(null, list, object);
    }
    d.deserialize_any(V)
}

/// A boolean; `0`/`1`, `"0"`/`"1"` and null (false) are accepted.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_flag(d)?.unwrap_or(false))
}

/// An optional boolean (a vote: yes, no, or not yet).
pub fn opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a boolean")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v != 0))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v != 0))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v != 0.0))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(match v.trim() {
                "1" | "true" => Some(true),
                "0" | "false" | "" => Some(false),
                _ => None,
            })
        }
        empty_for!(null, list, object);
    }
    d.deserialize_any(V)
}

/// A string where null means empty (e.g. a basket's `description`, never null per api §6, but be safe).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string(d)?.unwrap_or_default())
}

/// An optional string; numbers are stringified, `""` stays `""` (the server already maps empties to null
/// where it means "none"). A visitor, not `serde_json::Value`: this runs for every field of big baskets.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(StrVisitor)
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    empty_for!(null, list, object);
}

/// A list that may be null, or a PHP array serialized as an object with numeric keys (api §7.11: feed
/// entries sliced with `offset_start > 0` keep their indexes). Objects are read in key order.
pub fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list or an object of items")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(a.size_hint().unwrap_or(0).min(65_536));
            while let Some(item) = a.next_element()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut keyed: Vec<(String, T)> = Vec::new();
            while let Some((k, v)) = a.next_entry::<String, T>()? {
                keyed.push((k, v));
            }
            // A total order (numeric keys first, by value, then the others as strings): mixing the two
            // comparisons pairwise is not transitive, and `sort_by` panics on such an order.
            keyed.sort_by_cached_key(|(k, _)| match k.parse::<u64>() {
                Ok(n) => (0u8, n, String::new()),
                Err(_) => (1, 0, k.clone()),
            });
            Ok(keyed.into_iter().map(|(_, v)| v).collect())
        }
        empty_for!(null);
    }
    d.deserialize_any(V(PhantomData))
}

/// A map keyed by id or name; `[]` (PHP's empty array, api §7.5 and §7.7) and null become an empty map,
/// and a non-empty list is keyed by position.
pub fn map<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<BTreeMap<String, T>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = BTreeMap<String, T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object (or [] for an empty one)")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((k, v)) = a.next_entry::<String, T>()? {
                out.insert(k, v);
            }
            Ok(out)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            let mut i = 0usize;
            while let Some(v) = a.next_element::<T>()? {
                out.insert(i.to_string(), v);
                i += 1;
            }
            Ok(out)
        }
        empty_for!(null);
    }
    d.deserialize_any(V(PhantomData))
}

/// A map of labels (`{"en": "Films", ...}`): `[]`, null and non-string values are tolerated.
pub fn labels<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let raw: BTreeMap<String, serde_json::Value> = map(d)?;
    Ok(raw
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k, s)),
            serde_json::Value::Number(n) => Some((k, n.to_string())),
            _ => None,
        })
        .collect())
}

/// An optional nested object: null and `[]` (PHP's empty array) become `None`; scalars too.
pub fn opt_object<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object or null")
        }
        fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(a)).map(Some)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        empty_for!(null, list, number);
    }
    d.deserialize_any(V(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct T {
        #[serde(deserialize_with = "id")]
        id: i64,
        #[serde(deserialize_with = "opt_id")]
        other: Option<i64>,
        #[serde(deserialize_with = "map")]
        m: BTreeMap<String, i64>,
        #[serde(deserialize_with = "list")]
        l: Vec<i64>,
        #[serde(deserialize_with = "flag")]
        b: bool,
        #[serde(deserialize_with = "labels")]
        labels: BTreeMap<String, String>,
    }

    #[test]
    fn ids_accept_numbers_and_numeric_strings() {
        let t: T = serde_json::from_str(r#"{"id":"42","other":" 7 "}"#).unwrap();
        assert_eq!((t.id, t.other), (42, Some(7)));
        let t: T = serde_json::from_str(r#"{"id":42,"other":null}"#).unwrap();
        assert_eq!((t.id, t.other), (42, None));
        let t: T = serde_json::from_str(r#"{"id":"x","other":""}"#).unwrap();
        assert_eq!((t.id, t.other), (0, None));
    }

    #[test]
    fn maps_accept_php_empty_arrays() {
        let t: T = serde_json::from_str(r#"{"m":[],"labels":[]}"#).unwrap();
        assert!(t.m.is_empty() && t.labels.is_empty());
        let t: T = serde_json::from_str(r#"{"m":{"1":5,"3":6},"labels":{"en":"Films","x":null}}"#).unwrap();
        assert_eq!(t.m.len(), 2);
        assert_eq!(t.labels.len(), 1);
    }

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Optional {
        #[serde(deserialize_with = "opt_id")]
        id: Option<i64>,
        #[serde(deserialize_with = "opt_flag")]
        flag: Option<bool>,
        #[serde(deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(deserialize_with = "opt_object")]
        o: Option<BTreeMap<String, i64>>,
        #[serde(deserialize_with = "crate::models::dates::date")]
        date: Option<String>,
    }

    #[test]
    fn inputs_without_a_value_decode_as_empty() {
        for empty in ["null", "[]", "[1,[2]]", "{}", r#"{"a":{"b":1}}"#] {
            let json = format!(r#"{{"id":{empty},"flag":{empty},"s":{empty},"date":{empty},"next":1}}"#);
            let t: Optional = serde_json::from_str(&json).unwrap();
            assert_eq!((t.id, t.flag, t.s, t.date), (None, None, None, None), "{empty}");
        }
        for scalar in ["null", "[]", "[{}]", "\"x\"", "true", "-1", "7", "1.5"] {
            let json = format!(r#"{{"o":{scalar},"id":3}}"#);
            let t: Optional = serde_json::from_str(&json).unwrap();
            assert_eq!((t.o, t.id), (None, Some(3)), "{scalar}");
        }
        for scalar in ["true", "-1", "7", "1.5"] {
            let t: Optional = serde_json::from_str(&format!(r#"{{"date":{scalar}}}"#)).unwrap();
            assert_eq!(t.date, None, "{scalar}");
        }
        let t: Optional =
            serde_json::from_str(r#"{"o":{"k":2},"date":"2025-01-01T00:00:00+00:00"}"#).unwrap();
        assert_eq!(t.o.unwrap()["k"], 2);
        assert_eq!(t.date.as_deref(), Some("2025-01-01T00:00:00+00:00"));
        let t: T = serde_json::from_str(r#"{"m":null,"l":null,"labels":null}"#).unwrap();
        assert!(t.m.is_empty() && t.l.is_empty() && t.labels.is_empty());
    }

    #[test]
    fn lists_accept_objects_with_index_keys_in_numeric_order() {
        let t: T = serde_json::from_str(r#"{"l":{"10":3,"9":2,"5":1}}"#).unwrap();
        assert_eq!(t.l, vec![1, 2, 3]);
        let t: T = serde_json::from_str(r#"{"l":null,"b":1}"#).unwrap();
        assert!(t.l.is_empty());
        assert!(t.b);
    }
}
