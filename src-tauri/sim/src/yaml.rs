//! YAML output (api §4 Formats, optional in §9.6): block style, 4-space indentation like Symfony's dumper,
//! keys and strings as double-quoted scalars (JSON escapes are valid YAML), an empty `response` as `[]`.

use serde_json::Value;

fn scalar(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(o) if o.is_empty() => "{}".into(),
        _ => return None,
    })
}

fn write(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                out.push_str(&pad);
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                write_after_marker(val, indent, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                write_after_marker(item, indent, out);
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&scalar(other).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// The value after a `key:` or `-`: a scalar on the same line, a collection indented on the next ones.
fn write_after_marker(v: &Value, indent: usize, out: &mut String) {
    match scalar(v) {
        Some(s) => {
            out.push(' ');
            out.push_str(&s);
            out.push('\n');
        }
        None => {
            out.push('\n');
            write(v, indent + 4, out);
        }
    }
}

/// Dumps an envelope; an empty `response` object becomes `[]` (PHP empty array).
pub fn dump(mut envelope: Value) -> String {
    if envelope.get("response").is_some_and(|r| r.as_object().is_some_and(|o| o.is_empty())) {
        envelope["response"] = Value::Array(Vec::new());
    }
    let mut out = String::new();
    write(&envelope, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn dumps_block_yaml() {
        let v = serde_json::json!({"meta": {"a": 1, "b": "x\"y"}, "response": {}, "list": [1, {"k": null}]});
        assert_eq!(
            super::dump(v),
            "\"meta\":\n    \"a\": 1\n    \"b\": \"x\\\"y\"\n\"response\": []\n\"list\":\n    - 1\n    -\n        \"k\": null\n"
        );
    }
}
