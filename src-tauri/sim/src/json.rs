//! JSON as Symfony 2.8's `JsonResponse` writes it (api §4): `/` as `\/`, non-ASCII as `\uXXXX`, and
//! `<`, `>`, `&`, `'`, `"` inside strings as `\u003C`... Parsers decode all of it; clients must not care.
//! Implemented as a serde_json `Formatter`, so encoding is a single pass.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, Serializer};

struct Symfony;

fn needs_escape(b: u8) -> bool {
    !b.is_ascii() || matches!(b, b'/' | b'<' | b'>' | b'&' | b'\'')
}

impl Formatter for Symfony {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        while let Some(off) = bytes[start..].iter().position(|&b| needs_escape(b)) {
            let at = start + off;
            w.write_all(&bytes[start..at])?;
            let c = fragment[at..].chars().next().expect("char boundary");
            match c {
                '/' => w.write_all(b"\\/")?,
                '<' => w.write_all(b"\\u003C")?,
                '>' => w.write_all(b"\\u003E")?,
                '&' => w.write_all(b"\\u0026")?,
                '\'' => w.write_all(b"\\u0027")?,
                c => {
                    let mut buf = [0u16; 2];
                    for unit in c.encode_utf16(&mut buf) {
                        write!(w, "\\u{unit:04x}")?;
                    }
                }
            }
            start = at + c.len_utf8();
        }
        w.write_all(&bytes[start..])
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, w: &mut W, escape: CharEscape) -> io::Result<()> {
        match escape {
            CharEscape::Quote => w.write_all(b"\\u0022"),
            other => CompactFormatter.write_char_escape(w, other),
        }
    }
}

/// Serializes `value` with Symfony's escaping flags.
pub fn symfony<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = Serializer::with_formatter(&mut out, Symfony);
    if value.serialize(&mut ser).is_err() {
        return "{}".into();
    }
    // The formatter only writes ASCII.
    String::from_utf8(out).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_like_symfony_and_round_trips() {
        let v = serde_json::json!({"a/b": "<x> & 'y' \"z\" é 😀 \\ \n\u{0}"});
        let s = super::symfony(&v);
        assert!(s.is_ascii());
        assert!(s.contains("a\\/b") && s.contains("\\u003Cx\\u003E") && s.contains("\\u0022z\\u0022"));
        assert!(s.contains("\\u00e9") && s.contains("\\ud83d\\ude00"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }
}
