//! The stable machine codes of errors: the UI (through the generated TypeScript union), `phraseanet-cli
//! --json` and scripts branch on them. Each variant's wire name is fixed here; never rename one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ErrorCode {
    Network,
    Timeout,
    Tls,
    NotPhraseanet,
    Redirected,
    SignedOut,
    NotSignedIn,
    Unauthorized,
    Forbidden,
    NotFound,
    BadRequest,
    Server,
    Decode,
    TooLarge,
    NotAStory,
    InvalidUrl,
    InsecureHttp,
    ExpiredCode,
    InvalidCode,
    AccessDenied,
    InvalidGrant,
    InvalidClient,
    HttpsRequired,
    UnsupportedGrant,
    #[serde(rename = "oauth")]
    OAuth,
    #[serde(rename = "oauth-error-page")]
    OAuthPage,
    KeyringUnavailable,
    Keyring,
    ProfileNotFound,
    InvalidProfile,
    Io,
    Cancelled,
    NoSuchSubdef,
    TokenTransport,
    ApiDisabled,
    CutOff,
    Stalled,
    BrokenAnswer,
    ServerTimeLimit,
    DeepPage,
    RateLimited,
    BasketListBroken,
    NotADesktopApp,
    HttpsNotSeen,
    Internal,
    Desktop,
    DemoServer,
    DownloadFolder,
    NotAWebApp,
    SignInTimedOut,
    InvalidInput,
    NotSupported,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Tls => "tls",
            ErrorCode::NotPhraseanet => "not-phraseanet",
            ErrorCode::Redirected => "redirected",
            ErrorCode::SignedOut => "signed-out",
            ErrorCode::NotSignedIn => "not-signed-in",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not-found",
            ErrorCode::BadRequest => "bad-request",
            ErrorCode::Server => "server",
            ErrorCode::Decode => "decode",
            ErrorCode::TooLarge => "too-large",
            ErrorCode::NotAStory => "not-a-story",
            ErrorCode::InvalidUrl => "invalid-url",
            ErrorCode::InsecureHttp => "insecure-http",
            ErrorCode::ExpiredCode => "expired-code",
            ErrorCode::InvalidCode => "invalid-code",
            ErrorCode::AccessDenied => "access-denied",
            ErrorCode::InvalidGrant => "invalid-grant",
            ErrorCode::InvalidClient => "invalid-client",
            ErrorCode::HttpsRequired => "https-required",
            ErrorCode::UnsupportedGrant => "unsupported-grant",
            ErrorCode::OAuth => "oauth",
            ErrorCode::OAuthPage => "oauth-error-page",
            ErrorCode::KeyringUnavailable => "keyring-unavailable",
            ErrorCode::Keyring => "keyring",
            ErrorCode::ProfileNotFound => "profile-not-found",
            ErrorCode::InvalidProfile => "invalid-profile",
            ErrorCode::Io => "io",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::NoSuchSubdef => "no-such-subdef",
            ErrorCode::TokenTransport => "token-transport",
            ErrorCode::ApiDisabled => "api-disabled",
            ErrorCode::CutOff => "cut-off",
            ErrorCode::Stalled => "stalled",
            ErrorCode::BrokenAnswer => "broken-answer",
            ErrorCode::ServerTimeLimit => "server-time-limit",
            ErrorCode::DeepPage => "deep-page",
            ErrorCode::RateLimited => "rate-limited",
            ErrorCode::BasketListBroken => "basket-list-broken",
            ErrorCode::NotADesktopApp => "not-a-desktop-app",
            ErrorCode::HttpsNotSeen => "https-not-seen",
            ErrorCode::Internal => "internal",
            ErrorCode::Desktop => "desktop",
            ErrorCode::DemoServer => "demo-server",
            ErrorCode::DownloadFolder => "download-folder",
            ErrorCode::NotAWebApp => "not-a-web-app",
            ErrorCode::SignInTimedOut => "sign-in-timed-out",
            ErrorCode::InvalidInput => "invalid-input",
            ErrorCode::NotSupported => "not-supported",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and scripts compare with the wire name: `assert_eq!(e.code(), "signed-out")`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_name_is_the_serde_name() {
        for code in [ErrorCode::SignedOut, ErrorCode::OAuth, ErrorCode::OAuthPage, ErrorCode::TokenTransport]
        {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
