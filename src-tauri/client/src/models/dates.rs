//! Dates stay ISO-8601 strings (the UI formats them), but MySQL zero dates become `None` (api §7.6).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

use super::tolerant::empty_for;

/// `Some(date)` for a real date; `None` for null, `""`, the zero date `-0001-11-30T00:00:00+00:09`,
/// `0000-00-00 00:00:00` and any year below 1.
pub fn normalize(raw: &str) -> Option<String> {
    is_real(raw).then(|| raw.trim().to_string())
}

/// Allocation-free check (it runs for every date of 10,000-element baskets).
fn is_real(raw: &str) -> bool {
    let s = raw.trim();
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    digits >= 4 && s[..digits].bytes().any(|b| b != b'0')
}

/// Serde adapter for `Option<String>` date fields.
pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a date string or null")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(normalize(v))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(if is_real(&v) {
                Some(if v.trim().len() == v.len() { v } else { v.trim().to_string() })
            } else {
                None
            })
        }
        empty_for!(null, number, list, object);
    }
    d.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_invalid_dates_are_none() {
        for zero in
            ["-0001-11-30T00:00:00+00:09", "0000-00-00 00:00:00", "0000-01-01T00:00:00+00:00", "", " ", "x"]
        {
            assert_eq!(normalize(zero), None, "{zero:?}");
        }
        assert_eq!(normalize("2025-02-10T18:02:11+01:00").as_deref(), Some("2025-02-10T18:02:11+01:00"));
        assert_eq!(normalize("0001-01-01T00:00:00+00:00").as_deref(), Some("0001-01-01T00:00:00+00:00"));
    }
}
