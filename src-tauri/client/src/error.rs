//! One error type for the whole engine. The UI branches on `code()` (stable, kebab-case) and shows
//! `message()` and `hint()` to the person. No variant ever carries a token or a client secret.

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("cannot reach the server: {0}")]
    Network(String),
    #[error("the server did not answer in time")]
    Timeout,
    #[error("secure connection failed: {0}")]
    Tls(String),
    #[error("this address does not answer like a Phraseanet server: {0}")]
    NotPhraseanet(String),
    #[error("the server redirected the request to {0}")]
    Redirected(String),
    #[error("signed out: sign in again")]
    SignedOut,
    #[error("not signed in to this profile")]
    NotSignedIn,
    #[error("you are not allowed to see this: {0}")]
    Unauthorized(String),
    #[error("access refused: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("the server refused the request: {0}")]
    BadRequest(String),
    #[error("the server failed (HTTP {status}): {detail}")]
    Server { status: u16, detail: String },
    #[error("the server's answer could not be read: {0}")]
    Decode(String),
    #[error("the answer is larger than the {limit} bytes allowed")]
    TooLarge { limit: u64 },
    #[error("this is not a story: {0}")]
    NotAStory(String),
    #[error("invalid server address: {0}")]
    InvalidUrl(String),
    #[error("refusing plain http to {0}: the client secret and the token would travel in clear")]
    InsecureHttp(String),
    #[error("the authorization code expired: it lives 30 seconds, get a new one")]
    ExpiredCode,
    #[error("this is not an authorization code: {0}")]
    InvalidCode(String),
    #[error("sign-in was refused: {0}")]
    AccessDenied(String),
    #[error("the server refused the code or the credentials (invalid_grant)")]
    InvalidGrant,
    #[error("the server does not know this application (invalid_client)")]
    InvalidClient,
    #[error("the server only accepts sign-in over https")]
    HttpsRequired,
    #[error("this sign-in method is not enabled for the application (unsupported_grant_type)")]
    UnsupportedGrant,
    #[error("the sign-in request was rejected ({0})")]
    OAuth(String),
    #[error("the server answered the sign-in request with an error page (HTTP {0})")]
    OAuthPage(u16),
    #[error("no keyring is reachable: {0}")]
    KeyringUnavailable(String),
    #[error("keyring error: {0}")]
    Keyring(String),
    #[error("no profile named {0:?}")]
    ProfileNotFound(String),
    #[error("invalid profile: {0}")]
    InvalidProfile(String),
    #[error("file error: {0}")]
    Io(String),
    #[error("cancelled")]
    Cancelled,
    #[error("the downloaded file does not match its checksum (expected {expected}, got {actual})")]
    ChecksumMismatch { expected: String, actual: String },
    #[error("this record has no sub-definition named {0:?}")]
    NoSuchSubdef(String),
}

impl Error {
    /// Stable machine code: the UI and scripts branch on it.
    pub fn code(&self) -> &'static str {
        use Error::*;
        match self {
            Network(_) => "network",
            Timeout => "timeout",
            Tls(_) => "tls",
            NotPhraseanet(_) => "not-phraseanet",
            Redirected(_) => "redirected",
            SignedOut => "signed-out",
            NotSignedIn => "not-signed-in",
            Unauthorized(_) => "unauthorized",
            Forbidden(_) => "forbidden",
            NotFound(_) => "not-found",
            BadRequest(_) => "bad-request",
            Server { .. } => "server",
            Decode(_) => "decode",
            TooLarge { .. } => "too-large",
            NotAStory(_) => "not-a-story",
            InvalidUrl(_) => "invalid-url",
            InsecureHttp(_) => "insecure-http",
            ExpiredCode => "expired-code",
            InvalidCode(_) => "invalid-code",
            AccessDenied(_) => "access-denied",
            InvalidGrant => "invalid-grant",
            InvalidClient => "invalid-client",
            HttpsRequired => "https-required",
            UnsupportedGrant => "unsupported-grant",
            OAuth(_) => "oauth",
            OAuthPage(_) => "oauth-error-page",
            KeyringUnavailable(_) => "keyring-unavailable",
            Keyring(_) => "keyring",
            ProfileNotFound(_) => "profile-not-found",
            InvalidProfile(_) => "invalid-profile",
            Io(_) => "io",
            Cancelled => "cancelled",
            ChecksumMismatch { .. } => "checksum-mismatch",
            NoSuchSubdef(_) => "no-such-subdef",
        }
    }

    /// One sentence for the person.
    pub fn message(&self) -> String {
        let mut m = self.to_string();
        if let Some(first) = m.get(0..1) {
            let up = first.to_uppercase();
            m.replace_range(0..1, &up);
        }
        m
    }

    /// The next step for the person, when there is a useful one.
    pub fn hint(&self) -> Option<&'static str> {
        use Error::*;
        Some(match self {
            Network(_) => "Check the server address and your network connection, then try again.",
            Timeout => "The server is slow or unreachable: try again in a moment.",
            Tls(_) => "The server's certificate is not trusted: check the address, or ask its administrator.",
            NotPhraseanet(_) => "Check the server address: it should be the root of a Phraseanet site.",
            Redirected(_) => "Use the address the server redirects to (often the https one) as server URL.",
            SignedOut | NotSignedIn => "Sign in again to this profile.",
            Unauthorized(_) | Forbidden(_) => "Ask the server's administrator for access rights.",
            NotFound(_) => "It may have been deleted: refresh the list.",
            Server { .. } => "Try again later; if it persists, tell the server's administrator.",
            Decode(_) => "The server's answer was unexpected: try again, or tell the developers.",
            TooLarge { .. } => "The answer was cut to protect memory: narrow the request.",
            InvalidUrl(_) => "Enter an address like https://dam.example.org.",
            InsecureHttp(_) => "Use the https:// address of the server.",
            ExpiredCode => {
                "The code lives 30 seconds: open the sign-in page again and paste the new code quickly."
            }
            InvalidCode(_) => "Paste the access code shown by the sign-in page (32 letters and digits).",
            AccessDenied(_) => "Sign in again and choose \"Authorize\".",
            InvalidGrant => "Get a new code (or check login and password) and try again.",
            InvalidClient => "Check the client id and secret of the profile (Phraseanet: Applications page).",
            HttpsRequired => "Use the https:// address of the server.",
            UnsupportedGrant => {
                "Ask the application's developer to enable this method, or use the browser sign-in."
            }
            OAuth(_) | OAuthPage(_) => "Check the client id of the profile and the server address.",
            KeyringUnavailable(_) => {
                "Start and unlock your system keyring (GNOME Keyring, KWallet or KeePassXC with Secret \
                 Service on Linux), or choose a session-only sign-in."
            }
            Keyring(_) => "Check that your system keyring is unlocked, then try again.",
            ProfileNotFound(_) => "List the profiles, or create this one first.",
            InvalidProfile(_) => "Fix the profile's settings.",
            Io(_) => "Check that the folder exists, is writable and has free space.",
            ChecksumMismatch { .. } => "The file was corrupted on the way: download it again.",
            NoSuchSubdef(_) => "Pick one of the sub-definitions the record offers.",
            NotAStory(_) => "Open it as a record instead.",
            BadRequest(_) | Cancelled => return None,
        })
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

/// The error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    /// Stable kebab-case code (see `Error::code`).
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload { code: e.code().to_string(), message: e.message(), hint: e.hint().map(str::to_string) }
    }
}

impl From<Error> for ErrorPayload {
    fn from(e: Error) -> Self {
        ErrorPayload::from(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_carries_code_message_and_hint() {
        let p = ErrorPayload::from(&Error::ExpiredCode);
        assert_eq!(p.code, "expired-code");
        assert!(p.message.starts_with("The authorization code expired"));
        assert!(p.message.contains("30 seconds"));
        assert!(p.hint.is_some());
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["code"], "expired-code");
    }

    #[test]
    fn codes_are_kebab_case() {
        let all = [
            Error::Network("x".into()),
            Error::Timeout,
            Error::SignedOut,
            Error::Server { status: 500, detail: "x".into() },
            Error::TooLarge { limit: 1 },
            Error::ChecksumMismatch { expected: "a".into(), actual: "b".into() },
            Error::KeyringUnavailable("x".into()),
        ];
        for e in all {
            assert!(e.code().chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", e.code());
        }
    }
}
