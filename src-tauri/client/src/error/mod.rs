//! One error type for the whole engine. The UI branches on `code()` (stable, kebab-case) and shows
//! `message()` and `hint()` to the person. No variant ever carries a token or a client secret.

mod code;
mod payload;

pub use code::ErrorCode;
pub use payload::ErrorPayload;

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
    /// The server did not take the token the way it was sent (docs/real-servers.md, "Token transport").
    #[error("the server does not receive the sign-in token: {0}")]
    TokenTransport(TransportFault),
    /// `/api/` answers but OAuth and v1 give 404 (`api-enabled: false`, docs/real-servers.md, "Sign-in").
    #[error("the server's API is turned off")]
    ApiDisabled,
    /// The body ended before the announced length, or the connection closed mid-answer.
    #[error("the server's answer was cut off")]
    CutOff,
    /// Bytes flowed, then nothing for the silence budget.
    #[error("the server stopped sending in the middle of the answer")]
    Stalled,
    /// JSON that does not parse from a server that is a Phraseanet (it answered discovery or the envelope).
    #[error("the server sent a broken answer: {0}")]
    BrokenAnswer(String),
    /// PHP's `max_execution_time` (120 s on the official images) ran out while building the answer.
    #[error("the server ran out of time while preparing this answer")]
    ServerTimeLimit,
    /// Search engines before 4.1.3 cannot page past 10,000 results (Elasticsearch `max_result_window`).
    #[error("the server cannot show results beyond the first {0}")]
    DeepPage(u64),
    /// 429 from the server or a proxy in front of it.
    #[error("the server asks to slow down (too many requests)")]
    RateLimited,
    /// `/baskets/list/` fails as a whole when one basket is inconsistent on the server (docs/real-servers.md,
    /// "Baskets and votes").
    #[error("the server could not list your baskets: one of them is inconsistent on the server")]
    BasketListBroken,
    /// The application is registered as a web application: its redirect URI is not the OOB one.
    #[error("the application is not registered as a desktop application (redirect_uri_mismatch)")]
    NotADesktopApp,
    /// The https gate refused a request made over https: a proxy terminates TLS and the server does not
    /// trust it (docs/real-servers.md, "Sign-in").
    #[error("the server does not see this https connection as secure")]
    HttpsNotSeen,
    /// The system refused a desktop action: open a browser or the file manager, the clipboard, a dialog.
    #[error("{action}: {detail}")]
    Desktop { action: &'static str, detail: String },
    /// The built-in demo server could not start (no local port, no temp folder).
    #[error("the demo server could not start: {0}")]
    DemoUnavailable(String),
    /// A folder that cannot hold downloads (relative, not creatable, not writable).
    #[error("this folder cannot hold downloads: {0}")]
    DownloadFolder(String),
    /// A bug of the app (a panic caught at a command or the media endpoint), never the server's text.
    #[error("the app failed unexpectedly ({0})")]
    Internal(String),
    #[error("this record has no sub-definition named {0:?}")]
    NoSuchSubdef(String),
    /// A loopback sign-in with an application whose stored redirect URI is not a loopback prefix (a
    /// Desktop application, or a web one registered with another callback): redirect_uri_mismatch.
    #[error("the application does not accept the app's local address as callback (redirect_uri_mismatch)")]
    NotAWebApp,
    /// The browser did not come back to the loopback listener within its time limit.
    #[error("the browser did not come back to the app in time")]
    SignInTimedOut,
    /// What the person typed cannot be used as it is (an empty name, a full list); the text says why.
    #[error("{0}")]
    InvalidInput(String),
    /// The server's version lacks the route (e.g. basket records need API v2, Phraseanet 4.0+).
    #[error("this server cannot {0}")]
    NotSupported(String),
}

/// The two answers of a server that did not take the token as sent, and the verdict when no way works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFault {
    /// 400 `{"error":"invalid_request"}`: oauth2php 1.0.0 (Phraseanet before 4.1) refuses every header.
    HeaderRefused,
    /// 400, empty body, `WWW-Authenticate … invalid_request`: no token reached PHP (a web server that
    /// drops the header, 4.1.0/4.1.1 in GET/POST-only mode, or a header-only server given a parameter).
    NotSeen,
    /// Neither the header nor the parameter reached the server.
    NoWay,
}

impl std::fmt::Display for TransportFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportFault::HeaderRefused => "it refuses the Authorization header (Phraseanet before 4.1)",
            TransportFault::NotSeen => "the token did not reach it",
            TransportFault::NoWay => {
                "neither the Authorization header nor the oauth_token parameter reaches it (the web server \
                 drops the header and the server accepts only the header)"
            }
        })
    }
}

impl Error {
    /// Stable machine code: the UI and scripts branch on it.
    pub fn code(&self) -> ErrorCode {
        use Error::*;
        match self {
            Network(_) => ErrorCode::Network,
            Timeout => ErrorCode::Timeout,
            Tls(_) => ErrorCode::Tls,
            NotPhraseanet(_) => ErrorCode::NotPhraseanet,
            Redirected(_) => ErrorCode::Redirected,
            SignedOut => ErrorCode::SignedOut,
            NotSignedIn => ErrorCode::NotSignedIn,
            Unauthorized(_) => ErrorCode::Unauthorized,
            Forbidden(_) => ErrorCode::Forbidden,
            NotFound(_) => ErrorCode::NotFound,
            BadRequest(_) => ErrorCode::BadRequest,
            Server { .. } => ErrorCode::Server,
            Decode(_) => ErrorCode::Decode,
            TooLarge { .. } => ErrorCode::TooLarge,
            NotAStory(_) => ErrorCode::NotAStory,
            InvalidUrl(_) => ErrorCode::InvalidUrl,
            InsecureHttp(_) => ErrorCode::InsecureHttp,
            ExpiredCode => ErrorCode::ExpiredCode,
            InvalidCode(_) => ErrorCode::InvalidCode,
            AccessDenied(_) => ErrorCode::AccessDenied,
            InvalidGrant => ErrorCode::InvalidGrant,
            InvalidClient => ErrorCode::InvalidClient,
            HttpsRequired => ErrorCode::HttpsRequired,
            UnsupportedGrant => ErrorCode::UnsupportedGrant,
            OAuth(_) => ErrorCode::OAuth,
            OAuthPage(_) => ErrorCode::OAuthPage,
            KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
            Keyring(_) => ErrorCode::Keyring,
            ProfileNotFound(_) => ErrorCode::ProfileNotFound,
            InvalidProfile(_) => ErrorCode::InvalidProfile,
            Io(_) => ErrorCode::Io,
            Cancelled => ErrorCode::Cancelled,
            NoSuchSubdef(_) => ErrorCode::NoSuchSubdef,
            TokenTransport(_) => ErrorCode::TokenTransport,
            ApiDisabled => ErrorCode::ApiDisabled,
            CutOff => ErrorCode::CutOff,
            Stalled => ErrorCode::Stalled,
            BrokenAnswer(_) => ErrorCode::BrokenAnswer,
            ServerTimeLimit => ErrorCode::ServerTimeLimit,
            DeepPage(_) => ErrorCode::DeepPage,
            RateLimited => ErrorCode::RateLimited,
            BasketListBroken => ErrorCode::BasketListBroken,
            NotADesktopApp => ErrorCode::NotADesktopApp,
            HttpsNotSeen => ErrorCode::HttpsNotSeen,
            Internal(_) => ErrorCode::Internal,
            Desktop { .. } => ErrorCode::Desktop,
            DemoUnavailable(_) => ErrorCode::DemoServer,
            DownloadFolder(_) => ErrorCode::DownloadFolder,
            NotAWebApp => ErrorCode::NotAWebApp,
            SignInTimedOut => ErrorCode::SignInTimedOut,
            InvalidInput(_) => ErrorCode::InvalidInput,
            NotSupported(_) => ErrorCode::NotSupported,
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
            NoSuchSubdef(_) => "Pick one of the sub-definitions the record offers.",
            NotAStory(_) => "Open it as a record instead.",
            TokenTransport(_) => {
                "Ask the server's administrator to pass the Authorization header to PHP (Apache: \
                 \"CGIPassAuth On\", or \"SetEnvIf Authorization (.+) HTTP_AUTHORIZATION=$1\"), or to allow \
                 the token as a parameter (api-auth-token-header-only: false)."
            }
            ApiDisabled => {
                "Ask the server's administrator to enable the API (Phraseanet administration: Setup, \
                 API, \"api-enabled\")."
            }
            CutOff | Stalled | BrokenAnswer(_) => {
                "The connection or the server failed during the transfer: try again in a moment."
            }
            ServerTimeLimit => {
                "Very large baskets and stories can take longer than the server allows: ask its \
                 administrator to raise PHP's max_execution_time, or split the basket in the web app."
            }
            DeepPage(_) => "Refine the query to narrow the results.",
            RateLimited => "Wait a moment and try again.",
            BasketListBroken => {
                "Ask the server's administrator to check your baskets (a vote basket whose initiator \
                 was deleted, or that no longer lists you, breaks the list)."
            }
            NotADesktopApp => {
                "In your Phraseanet account, open Applications and register a Desktop application \
                 (its redirect URI is urn:ietf:wg:oauth:2.0:oob), then use its client id."
            }
            Internal(_) => "Try again. If it keeps happening, restart the app and report the problem.",
            Desktop { .. } => {
                "Check that a web browser and a file manager are installed and set as defaults."
            }
            DownloadFolder(_) => "Choose another download folder (an existing folder you can write to).",
            DemoUnavailable(_) => "Restart the app, or connect your own Phraseanet server instead.",
            HttpsNotSeen => {
                "Ask the server's administrator to declare the TLS proxy as trusted (trusted-proxies) \
                 or to set HTTPS on for PHP: the address you use is already https."
            }
            NotAWebApp => {
                "Use \"Desktop application\" (paste the code), or register a Web application whose \
                 callback is http://127.0.0.1 in your Phraseanet account (Applications)."
            }
            SignInTimedOut => "Start the sign-in again and finish it in the browser that opens.",
            InvalidInput(_) => "Correct it and try again.",
            NotSupported(_) => {
                "It needs Phraseanet 4.0 or later: use the server's web interface, or ask its administrator \
                 to upgrade."
            }
            BadRequest(_) | Cancelled => return None,
        })
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
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
            Error::TokenTransport(TransportFault::NoWay),
            Error::KeyringUnavailable("x".into()),
        ];
        for e in all {
            assert!(e.code().as_str().chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", e.code());
        }
    }
}
