//! A small, forgiving HTML tag scanner: enough to read forms, inputs and the title of the pages the
//! authorize endpoint serves (ours, or a real Phraseanet's desktop templates).

/// One start tag with its attributes (names lowercased, values entity-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub closing: bool,
    /// Byte offsets of `<` and just after `>`.
    pub start: usize,
    pub end: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Decodes the common named entities and numeric references.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| c == ';' || c == '&' || c.is_whitespace()).map(|j| j + 1);
        let decoded = end.filter(|&j| rest.as_bytes().get(j) == Some(&b';')).and_then(|j| {
            let entity = &rest[1..j];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                e if e.starts_with("#x") || e.starts_with("#X") => {
                    u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
                }
                e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, j + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every tag of `html`, in document order. Comments, doctypes and script/style contents are skipped.
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        i = start + 1;
        if html[start..].starts_with("<!--") {
            i = html[start..].find("-->").map(|e| start + e + 3).unwrap_or(b.len());
            continue;
        }
        if i < b.len() && (b[i] == b'!' || b[i] == b'?') {
            i = html[i..].find('>').map(|e| i + e + 1).unwrap_or(b.len());
            continue;
        }
        let closing = i < b.len() && b[i] == b'/';
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        if i == name_start {
            continue;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i = (i + 1).min(b.len());
                break;
            }
            let an = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let attr_name = html[an..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i] as char;
                    let vs = i + 1;
                    let ve = html[vs..].find(q).map(|e| vs + e).unwrap_or(b.len());
                    value = decode_entities(&html[vs..ve]);
                    i = (ve + 1).min(b.len());
                } else {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&html[vs..i]);
                }
            }
            if !attr_name.is_empty() {
                attrs.push((attr_name, value));
            }
        }
        let tag = Tag { name, attrs, closing, start, end: i };
        let raw_text = !tag.closing && (tag.name == "script" || tag.name == "style");
        let close = format!("</{}", tag.name);
        out.push(tag);
        if raw_text {
            let lower = html[i..].to_ascii_lowercase();
            i = lower.find(&close).map(|e| i + e).unwrap_or(b.len());
        }
    }
    out
}

/// Text of the first `<title>`, entity-decoded and trimmed.
pub fn title(html: &str) -> Option<String> {
    let all = tags(html);
    let open = all.iter().find(|t| t.name == "title" && !t.closing)?;
    let close = all.iter().find(|t| t.name == "title" && t.closing && t.start >= open.end)?;
    Some(decode_entities(html[open.end..close.start].trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_tags_and_entities() {
        let html = r#"<!DOCTYPE html><!-- <input name="x"> --><title> A &amp; B </title>
            <form id=f method="post"><input type='hidden' name="a" value="x&quot;y&#39;&#x41;"/>
            <button name=go value=1>Go</button></form><script>var s = "<input name='no'>";</script>"#;
        let t = tags(html);
        let names: Vec<_> = t.iter().filter(|t| !t.closing).map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["title", "form", "input", "button", "script"]);
        let input = t.iter().find(|t| t.name == "input").unwrap();
        assert_eq!(input.attr("value"), Some("x\"y'A"));
        assert_eq!(title(html).as_deref(), Some("A & B"));
        assert_eq!(decode_entities("&bogus; & &lt;"), "&bogus; & <");
    }
}
