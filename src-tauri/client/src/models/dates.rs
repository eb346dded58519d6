//! Dates stay ISO-8601 strings (the UI formats them), but MySQL zero dates become `None` (spec §7.6).

use serde::Deserializer;

/// `Some(date)` for a real date; `None` for null, `""`, the zero date `-0001-11-30T00:00:00+00:09`,
/// `0000-00-00 00:00:00` and any year below 1.
pub fn normalize(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.starts_with('-') {
        return None;
    }
    let year: String = s.chars().take_while(char::is_ascii_digit).collect();
    match year.parse::<u32>() {
        Ok(y) if y >= 1 && year.len() >= 4 => Some(s.to_string()),
        _ => None,
    }
}

/// Serde adapter for `Option<String>` date fields.
pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(super::tolerant::opt_string(d)?.and_then(|s| match normalize(&s) {
        Some(n) if n.len() == s.len() => Some(s),
        other => other,
    }))
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
