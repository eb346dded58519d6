//! The error as the UI receives it: a headline in plain words, the technical text apart (the UI folds
//! it under "Details"; it is what logs and bug reports need, not what a person reads first), the next
//! step, and whether trying the same thing again can work (the UI offers Retry only then).

use serde::Serialize;
use ts_rs::TS;

use super::Error;
use super::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    /// Stable kebab-case code (see `ErrorCode`).
    pub code: ErrorCode,
    /// What happened, in words: never transport or parser text ("tcp connect error … os error 111").
    pub message: String,
    /// The technical detail behind the message, when there is one (for a "Details" fold and the log).
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// Trying the same action again can succeed (a network failure, a busy server); false when it cannot
    /// (no such file, no rights, a wrong input): no Retry is offered.
    pub retry: bool,
    /// Set (true) when the server is not there — no answer, or a proxy whose backend is down — as opposed
    /// to refusing: what makes the app go offline (`Error::unreachable`). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unreachable: Option<bool>,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload {
            code: e.code(),
            message: e.headline(),
            detail: e.detail(),
            hint: e.hint().map(str::to_string),
            retry: e.retryable(),
            unreachable: e.unreachable().then_some(true),
        }
    }
}

impl From<Error> for ErrorPayload {
    fn from(e: Error) -> Self {
        ErrorPayload::from(&e)
    }
}

impl Error {
    /// The server is not there (no answer, or a proxy whose backend is down), as opposed to refusing.
    pub fn unreachable(&self) -> bool {
        matches!(self, Error::Network(_) | Error::Timeout | Error::Stalled | Error::CutOff)
            || matches!(self, Error::Server { status: 502..=504, .. })
    }

    /// `message()` without the technical part (see `detail`).
    pub fn headline(&self) -> String {
        use Error::*;
        let text = match self {
            Network(_) => "Cannot reach the server".to_string(),
            Tls(_) => "The secure connection to the server failed".to_string(),
            NotPhraseanet(_) => "This address does not answer like a Phraseanet server".to_string(),
            Server { status, .. } => format!("The server failed (HTTP {status})"),
            Decode(_) => "The server's answer could not be read".to_string(),
            BrokenAnswer(_) => "The server sent a broken answer".to_string(),
            Io(_) => "A file could not be read or written".to_string(),
            Internal(_) => "The app failed unexpectedly".to_string(),
            KeyringUnavailable(_) => "No keyring is reachable".to_string(),
            Keyring(_) => "The keyring refused the request".to_string(),
            Desktop { action, .. } => action.to_string(),
            DemoUnavailable(_) => "The demo server could not start".to_string(),
            _ => return self.message(),
        };
        let mut chars = text.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    }

    /// The technical text the headline leaves out.
    pub fn detail(&self) -> Option<String> {
        use Error::*;
        let detail = match self {
            Network(d)
            | Tls(d)
            | NotPhraseanet(d)
            | Decode(d)
            | BrokenAnswer(d)
            | Io(d)
            | Internal(d)
            | KeyringUnavailable(d)
            | Keyring(d)
            | DemoUnavailable(d) => d,
            Server { detail, .. } | Desktop { detail, .. } => detail,
            _ => return None,
        };
        (!detail.trim().is_empty()).then(|| detail.clone())
    }

    /// Whether the same action, tried again as it is, can succeed.
    pub fn retryable(&self) -> bool {
        use Error::*;
        matches!(
            self,
            Network(_)
                | Timeout
                | Server { .. }
                | Decode(_)
                | CutOff
                | Stalled
                | BrokenAnswer(_)
                | ServerTimeLimit
                | RateLimited
                | KeyringUnavailable(_)
                | Keyring(_)
                | Io(_)
                | Internal(_)
                | Desktop { .. }
                | Cancelled
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_text_goes_to_the_detail() {
        let e = Error::Network(
            "error sending request: tcp connect error: Connection refused (os error 111)".into(),
        );
        let p = ErrorPayload::from(&e);
        assert_eq!(p.message, "Cannot reach the server");
        assert!(p.detail.as_deref().unwrap().contains("os error 111"));
        assert!(p.retry);
        // The whole text stays in the log line and the CLI's message.
        assert!(e.message().contains("os error 111"));
    }

    #[test]
    fn unreachable_is_flagged_for_the_ui_and_absent_otherwise() {
        let flag =
            |e: Error| serde_json::to_value(ErrorPayload::from(&e)).unwrap().get("unreachable").cloned();
        for e in [Error::Network("refused".into()), Error::Timeout, Error::Stalled, Error::CutOff] {
            assert_eq!(flag(e), Some(serde_json::json!(true)));
        }
        assert_eq!(flag(Error::Server { status: 503, detail: String::new() }), Some(serde_json::json!(true)));
        for e in [
            Error::Server { status: 500, detail: String::new() },
            Error::SignedOut,
            Error::Forbidden("x".into()),
        ] {
            assert_eq!(flag(e), None);
        }
    }

    #[test]
    fn no_retry_where_it_cannot_work() {
        for e in [Error::NoSuchSubdef("document".into()), Error::Forbidden("x".into()), Error::SignedOut] {
            let p = ErrorPayload::from(&e);
            assert!(!p.retry, "{e}");
            assert_eq!(p.detail, None);
            assert_eq!(p.message, e.message());
        }
        let p = ErrorPayload::from(&Error::Server { status: 503, detail: String::new() });
        assert_eq!((p.message.as_str(), p.detail, p.retry), ("The server failed (HTTP 503)", None, true));
    }
}
