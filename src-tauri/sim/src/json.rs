//! JSON as Symfony 2.8's `JsonResponse` writes it (spec §4): `/` as `\/`, non-ASCII as `\uXXXX`, and
//! `<`, `>`, `&`, `'`, `"` inside strings as `\u003C`... Parsers decode all of it; clients must not care.

use std::fmt::Write;

/// Serializes `value` with Symfony's escaping flags.
pub fn symfony(value: &serde_json::Value) -> String {
    let plain = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(plain.len() + plain.len() / 8);
    let mut in_string = false;
    let mut chars = plain.chars();
    while let Some(c) = chars.next() {
        if !in_string {
            in_string = c == '"';
            out.push(c);
            continue;
        }
        match c {
            '"' => {
                in_string = false;
                out.push('"');
            }
            '\\' => match chars.next() {
                Some('"') => out.push_str("\\u0022"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '/' => out.push_str("\\/"),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '\'' => out.push_str("\\u0027"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_like_symfony_and_round_trips() {
        let v = serde_json::json!({"a/b": "<x> & 'y' \"z\" é 😀 \\ \n"});
        let s = super::symfony(&v);
        assert!(s.is_ascii());
        assert!(s.contains("a\\/b") && s.contains("\\u003Cx\\u003E") && s.contains("\\u0022z\\u0022"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }
}
