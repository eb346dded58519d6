//! The token endpoint (api §2.3) through the `oauth2` crate, with Phraseanet's real answers:
//!
//! * success is `{"access_token":…,"scope":null}` with no `token_type` (`TokenAnswer` defaults it to
//!   bearer) and, today, no `expires_in` (kept when a server sends one);
//! * a refusal is `{"error":…}` (400), the https gate's `{"msg","code"}` (400), or an HTML page.
//!
//! oauth2 builds the request (grant, client id and secret in the body, PKCE verifier) and parses JSON;
//! the HTTP exchange is ours (`send`): the same client as every other call (rustls, proxy rules, no
//! redirects), https required except on loopback, a time limit, a capped body, and the answers oauth2
//! would fold into one opaque variant (redirects, HTML pages, 5xx, 404) classified before it sees them.

use std::time::Duration;

use oauth2::basic::{BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType};
use oauth2::{
    AccessToken, EndpointNotSet, EndpointSet, ErrorResponse, HttpRequest, HttpResponse, RefreshToken,
    RequestTokenError, Scope, StandardRevocableToken, TokenResponse,
};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::http::{map_reqwest, read_capped};
use crate::url::check_secure;

/// Short: a code lives 30 s, and a hung exchange must fail while the person can still retry.
pub const TOKEN_TIMEOUT: Duration = Duration::from_secs(15);
const MAX_TOKEN_ANSWER: u64 = 64 * 1024;

/// The oauth2 client of one Phraseanet application: authorize and token URLs set.
pub(crate) type OAuthClient = oauth2::Client<
    TokenRefusal,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// A token answer as Phraseanet sends it (api §2.3): no `token_type`, `"scope": null`.
#[derive(Debug, Serialize, Deserialize)]
pub struct TokenAnswer {
    access_token: AccessToken,
    #[serde(default = "bearer")]
    token_type: BasicTokenType,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    /// Phraseanet has no scopes; whatever `scope` says is ignored.
    #[serde(skip)]
    scopes: Option<Vec<Scope>>,
}

fn bearer() -> BasicTokenType {
    BasicTokenType::Bearer
}

impl TokenResponse for TokenAnswer {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<Duration> {
        self.expires_in.map(Duration::from_secs)
    }
    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }
    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes.as_ref()
    }
}

/// A refusal in one of the two JSON shapes: oauth2-php's `{"error"}` or the https gate's `{"msg"}`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenRefusal {
    error: Option<String>,
    msg: Option<String>,
}

impl std::fmt::Display for TokenRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.error.as_deref().or(self.msg.as_deref()).unwrap_or("refused"))
    }
}

impl ErrorResponse for TokenRefusal {}

impl TokenRefusal {
    /// oauth2-php's `{"error"}`: the endpoint speaks OAuth.
    pub(crate) fn is_oauth(&self) -> bool {
        self.error.is_some()
    }

    /// A refusal of api §2.3 (either shape).
    pub(crate) fn recognized(&self) -> bool {
        self.error.is_some() || self.https_gate()
    }

    fn https_gate(&self) -> bool {
        self.msg.as_deref().is_some_and(|m| m.contains("https"))
    }
}

/// Maps the `error` of a 400 answer (api §2.3 table).
pub fn map_oauth_error(error: &str) -> Error {
    match error {
        "expired_token" => Error::ExpiredCode,
        "invalid_grant" => Error::InvalidGrant,
        "invalid_client" => Error::InvalidClient,
        "unsupported_grant_type" => Error::UnsupportedGrant,
        "access_denied" => Error::AccessDenied("the authorization was refused".into()),
        other => Error::OAuth(other.chars().filter(|c| c.is_ascii_graphic()).take(60).collect()),
    }
}

/// What the person is given when the token request fails.
pub(crate) fn map_request_error(e: RequestTokenError<Error, TokenRefusal>, https: bool) -> Error {
    match e {
        RequestTokenError::Request(e) => e,
        RequestTokenError::ServerResponse(TokenRefusal { error: Some(e), .. }) => map_oauth_error(&e),
        // The https gate (OAuth2Controller.php:295-297) also fires over https when a TLS proxy in front
        // of the server is not trusted: then the fix is the administrator's (docs/real-servers.md,
        // "Sign-in").
        RequestTokenError::ServerResponse(_) if https => Error::HttpsNotSeen,
        RequestTokenError::ServerResponse(_) => Error::HttpsRequired,
        RequestTokenError::Parse(..) | RequestTokenError::Other(_) => {
            Error::NotPhraseanet("unexpected token answer (HTTP 200)".into())
        }
    }
}

/// oauth2's HTTP client: `send` on a clone of ours. The future owns its client, so sign-in futures stay
/// `Send` for any caller (a borrowed client trips the compiler's higher-ranked `Send` check).
pub(crate) fn http_client(
    client: &reqwest::Client,
) -> impl Fn(HttpRequest) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<HttpResponse>> + Send>>
{
    let client = client.clone();
    move |request| {
        let client = client.clone();
        Box::pin(async move { send(&client, request).await })
    }
}

/// The token request's HTTP exchange (oauth2's `AsyncHttpClient` is any such function). Answers that
/// are not a token or a JSON refusal become our error here, with the status that explains them.
pub(crate) async fn send(client: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse> {
    let url = url::Url::parse(&request.uri().to_string())
        .map_err(|_| Error::NotPhraseanet("the token URL is not valid".into()))?;
    check_secure(&url)?;
    let (parts, body) = request.into_parts();
    let resp = client
        .request(parts.method, url.clone())
        .headers(parts.headers)
        .body(body)
        .timeout(TOKEN_TIMEOUT)
        .send()
        .await
        .map_err(map_reqwest)?;
    let status = resp.status();
    if status.is_redirection() {
        let loc = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut target = url.join(loc).map_err(|_| Error::Redirected(loc.chars().take(200).collect()))?;
        target.set_query(None);
        return Err(Error::Redirected(target.to_string()));
    }
    let html =
        resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("html"));
    let body = read_capped(resp, MAX_TOKEN_ANSWER, TOKEN_TIMEOUT, None).await?;
    let json: Option<serde_json::Value> = if html { None } else { serde_json::from_slice(&body).ok() };
    let refusal = json.as_ref().and_then(|v| TokenRefusal::deserialize(v).ok());
    let answered = match &json {
        Some(_) if status == StatusCode::OK => true,
        Some(_) => refusal.as_ref().is_some_and(TokenRefusal::recognized),
        None => false,
    };
    if !answered {
        return Err(unexpected(status));
    }
    let mut out = HttpResponse::new(body.to_vec());
    *out.status_mut() = status;
    // The JSON was checked above; oauth2 insists on the media type.
    out.headers_mut().insert(CONTENT_TYPE, "application/json".parse().expect("static header"));
    Ok(out)
}

/// A token answer that is neither a token nor a refusal of api §2.3.
fn unexpected(status: StatusCode) -> Error {
    if status.is_server_error() {
        return Error::Server { status: status.as_u16(), detail: "the token endpoint failed".into() };
    }
    if status == StatusCode::NOT_FOUND {
        return Error::NotPhraseanet("no OAuth token endpoint at /api/oauthv2/token (HTTP 404)".into());
    }
    if status.is_client_error() {
        return Error::OAuthPage(status.as_u16());
    }
    Error::NotPhraseanet(format!("unexpected token answer (HTTP {})", status.as_u16()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phraseanets_answer_without_token_type_is_a_bearer_token() {
        let a: TokenAnswer = serde_json::from_str(r#"{"access_token":"abc","scope":null}"#).unwrap();
        assert_eq!(a.access_token().secret(), "abc");
        assert_eq!(a.token_type(), &BasicTokenType::Bearer);
        assert_eq!(a.expires_in(), None);
        let b: TokenAnswer =
            serde_json::from_str(r#"{"access_token":"abc","expires_in":3600,"scope":"x"}"#).unwrap();
        assert_eq!(b.expires_in(), Some(Duration::from_secs(3600)));
    }

    #[test]
    fn refusals_are_recognized_in_both_json_shapes() {
        let e: TokenRefusal = serde_json::from_str(r#"{"error":"invalid_grant"}"#).unwrap();
        assert!(e.recognized());
        let gate: TokenRefusal = serde_json::from_str(
            r#"{"msg":"This route requires the use of the https scheme: 1","code":400}"#,
        )
        .unwrap();
        assert!(gate.recognized() && gate.https_gate());
        let other: TokenRefusal = serde_json::from_str(r#"{"message":"no"}"#).unwrap();
        assert!(!other.recognized());
        assert_eq!(map_request_error(RequestTokenError::ServerResponse(gate), true), Error::HttpsNotSeen);
    }
}
