//! What a person pastes after the browser sign-in, turned into an authorization code before any network
//! call: the bare code, `code=…`, a URL carrying it, or the text (or HTML) of the OOB page.

use std::fmt;

use url::Url;

/// An authorization code (32 lowercase hex chars on a real server, api §2.2; treated as opaque).
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(<redacted>)")
    }
}

/// Why a pasted text is not a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    Empty,
    /// The page or URL carries an OAuth error instead (e.g. `access_denied`).
    Denied(String),
    /// The OOB page was pasted but its code field is empty (mobile template, api §2.2 / §7.16).
    EmptyField,
    NotACode,
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::Empty => f.write_str("nothing was pasted"),
            CodeError::Denied(e) => write!(f, "the server answered {e:?} instead of a code"),
            CodeError::EmptyField => f.write_str("the pasted page has an empty code field"),
            CodeError::NotACode => f.write_str(
                "expected the access code (letters and digits), code=…, or the page that shows it",
            ),
        }
    }
}

impl From<CodeError> for crate::Error {
    fn from(e: CodeError) -> Self {
        match e {
            CodeError::Denied(err) if err == "access_denied" => {
                crate::Error::AccessDenied("the authorization was refused on the sign-in page".into())
            }
            // A *web* application's redirect URI does not match the OOB one: the server sends the browser
            // to `urn://ietf:wg:oauth:2.0:oob?error=redirect_uri_mismatch` (Adapter.php:427-437).
            CodeError::Denied(err) if err == "redirect_uri_mismatch" => crate::Error::NotADesktopApp,
            other => crate::Error::InvalidCode(other.to_string()),
        }
    }
}

fn is_code(s: &str) -> bool {
    (16..=128).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Extracts the code from what was pasted.
pub fn normalize_code(input: &str) -> Result<Code, CodeError> {
    let s = input.trim().trim_matches(|c| c == '"' || c == '\'' || c == '`').trim();
    if s.is_empty() {
        return Err(CodeError::Empty);
    }
    if is_code(s) {
        return Ok(Code(s.to_string()));
    }
    if s.contains("authorize_token") || s.contains("access_token\"") {
        return from_html(s);
    }
    if s.contains("://") || s.starts_with("urn:") {
        if let Ok(url) = Url::parse(s) {
            return from_pairs(url.query().unwrap_or("")).or_else(|e| match url.fragment() {
                Some(frag) => from_pairs(frag),
                None => Err(e),
            });
        }
        // `urn://ietf:wg:oauth:2.0:oob?error=…` (api §2.2) is not a parseable URL: read its query.
        if let Some((_, query)) = s.split_once(['?', '#']) {
            return from_pairs(query);
        }
    }
    if s.contains("code=") || s.contains("error=") {
        return from_pairs(s.trim_start_matches(['?', '#']));
    }
    from_text(s)
}

fn from_pairs(query: &str) -> Result<Code, CodeError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    if let Some((_, err)) = pairs.iter().find(|(k, _)| k == "error") {
        return Err(CodeError::Denied(err.clone()));
    }
    match pairs.iter().find(|(k, _)| k == "code") {
        Some((_, c)) if is_code(c.trim()) => Ok(Code(c.trim().to_string())),
        _ => Err(CodeError::NotACode),
    }
}

/// The robust scraping rule of api §2.2: the `value` of the input named `authorize_token`.
fn from_html(html: &str) -> Result<Code, CodeError> {
    for tag in html.split('<').filter(|t| t.trim_start().to_ascii_lowercase().starts_with("input")) {
        let tag = tag.split('>').next().unwrap_or("");
        let name = attr(tag, "name");
        if name.as_deref() == Some("authorize_token") || name.as_deref() == Some("access_token") {
            let value = attr(tag, "value").unwrap_or_default();
            let value = value.trim();
            if value.is_empty() {
                return Err(error_in_page(html).map(CodeError::Denied).unwrap_or(CodeError::EmptyField));
            }
            return if is_code(value) { Ok(Code(value.to_string())) } else { Err(CodeError::NotACode) };
        }
    }
    Err(CodeError::NotACode)
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let (quote, body) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
            _ => (None, rest),
        };
        let end = match quote {
            Some(q) => body.find(q).unwrap_or(body.len()),
            None => body.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(body.len()),
        };
        return Some(body[..end].to_string());
    }
    None
}

fn error_in_page(html: &str) -> Option<String> {
    ["access_denied", "unsupported_response_type", "invalid_scope", "invalid_request"]
        .into_iter()
        .find(|e| html.contains(e))
        .map(str::to_string)
}

/// Rendered page text: exactly one code-looking word (32 hex), or an error word.
fn from_text(s: &str) -> Result<Code, CodeError> {
    let mut found: Vec<&str> = s
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| w.len() == 32 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .collect();
    found.dedup();
    match found.as_slice() {
        [one] => Ok(Code(one.to_string())),
        [] => Err(error_in_page(s).map(CodeError::Denied).unwrap_or(CodeError::NotACode)),
        _ => Err(CodeError::NotACode),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "4be3a1f09c2d8e7b6a5f4e3d2c1b0a99";

    fn ok(input: &str) {
        assert_eq!(normalize_code(input).map(|c| c.0).as_deref(), Ok(C), "{input:?}");
    }

    #[test]
    fn accepts_every_paste_form() {
        ok(C);
        ok(&format!("  {C}\n"));
        ok(&format!("\"{C}\""));
        ok(&format!("code={C}"));
        ok(&format!("?state=xyz&code={C}"));
        ok(&format!("https://app.example.org/cb?state=S&code={C}"));
        ok(&format!("urn:ietf:wg:oauth:2.0:oob?code={C}"));
        ok(&format!(
            r#"<html><head><title>Success</title></head><body><div id="main-text-box"><p>Copy the code</p>
            <input type="text" class="input-xlarge" name="authorize_token" value="{C}" size="32"/></div></body></html>"#
        ));
        ok(&format!("<input value='{C}' name='authorize_token'>"));
        ok(&format!("Phraseanet\nHi Mara Ek\nAccess code\nCopy the code below, go to your application then paste it as needed:\n{C}\n"));
    }

    #[test]
    fn rejects_everything_else() {
        assert_eq!(normalize_code("   "), Err(CodeError::Empty));
        assert_eq!(normalize_code("hello"), Err(CodeError::NotACode));
        assert_eq!(normalize_code("abc def ghi"), Err(CodeError::NotACode));
        assert_eq!(normalize_code("code=short"), Err(CodeError::NotACode));
        assert_eq!(normalize_code("https://example.org/nothing"), Err(CodeError::NotACode));
        assert_eq!(normalize_code(&format!("{C} {}", "0".repeat(32))), Err(CodeError::NotACode));
        assert_eq!(normalize_code("code=<script>alert(1)</script>"), Err(CodeError::NotACode));
    }

    #[test]
    fn carries_oauth_errors() {
        assert_eq!(
            normalize_code("urn://ietf:wg:oauth:2.0:oob?error=invalid_scope&state=s"),
            Err(CodeError::Denied("invalid_scope".into()))
        );
        let fail = r#"<title>Fail</title><h4>Error</h4><p>access_denied</p>
            <input type="text" class="input-xlarge" name="authorize_token" value="" size="0"/>"#;
        assert_eq!(normalize_code(fail), Err(CodeError::Denied("access_denied".into())));
        assert_eq!(crate::Error::from(normalize_code(fail).unwrap_err()).code(), "access-denied");
        let mobile = r#"<input type="text" class="input-large" name="access_token" value="" />"#;
        assert_eq!(normalize_code(mobile), Err(CodeError::EmptyField));
        assert_eq!(crate::Error::from(CodeError::NotACode).code(), "invalid-code");
    }

    #[test]
    fn debug_hides_the_code() {
        assert!(!format!("{:?}", normalize_code(C).unwrap()).contains(C));
    }
}
