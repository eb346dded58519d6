//! Log lines lose anything that looks like a credential before they reach a file or a terminal.
//! A second line of defence: secrets are never formatted in the first place (their Debug is redacted).

const KEYS: &[&str] = &[
    "oauth_token=",
    "access_token=",
    "client_secret=",
    "password=",
    "token=",
    "code=",
    "\"access_token\":\"",
    "\"client_secret\":\"",
    "\"token\":\"",
    "Authorization: OAuth ",
    "authorization: OAuth ",
    "Authorization: Bearer ",
];

/// Replaces the value after every credential-looking key with `<redacted>`.
pub fn redact(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        let next = KEYS
            .iter()
            .filter_map(|k| rest.find(k).map(|i| (i, *k)))
            .min_by_key(|(i, k)| (*i, -(k.len() as isize)));
        let Some((at, key)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at + key.len()]);
        let value = &rest[at + key.len()..];
        let end = value.find(|c: char| c.is_whitespace() || "&\"',;)>".contains(c)).unwrap_or(value.len());
        if end > 0 {
            out.push_str("<redacted>");
        }
        rest = &value[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn credentials_in_urls_headers_and_json_are_masked() {
        assert_eq!(
            redact("GET https://dam/api/v1/me/?oauth_token=abc123&x=1"),
            "GET https://dam/api/v1/me/?oauth_token=<redacted>&x=1"
        );
        assert_eq!(redact("Authorization: OAuth 0c5e2b8a9f1d"), "Authorization: OAuth <redacted>");
        assert_eq!(
            redact(r#"{"access_token":"0c5e2b8a","scope":null}"#),
            r#"{"access_token":"<redacted>","scope":null}"#
        );
        assert_eq!(
            redact("grant_type=password&password=hunter2&client_secret=s"),
            "grant_type=password&password=<redacted>&client_secret=<redacted>"
        );
        assert_eq!(redact("pasted code=4be3a1f09c2d8e7b"), "pasted code=<redacted>");
    }

    #[test]
    fn ordinary_lines_are_untouched() {
        let line = "basket 17 loaded: 120 elements in 35 ms";
        assert_eq!(redact(line), line);
        assert_eq!(redact("token= "), "token= ");
    }
}
