//! Which way the token reaches the server, settled before any token is stored.
//!
//! docs/real-servers.md, "Token transport": `Authorization: OAuth <t>` is refused by every Phraseanet
//! before 4.1.0 (oauth2php 1.0.0 compares 5 characters with `"OAuth "`, lib/OAuth2.php:960), ignored by
//! 4.1.0/4.1.1 as installed (`api_token_header: false`, patch 410alpha28a.php:128-130), and dropped by
//! Apache + PHP-FPM on every version (the shipped .htaccess does not pass it). The `oauth_token`
//! parameter works on all of those, but not on 4.1.2+ set to `api-auth-token-header-only: true`.
//!
//! The probe sends a dummy header (`OAuth 0`, no secret) to `/api/v1/me/` and reads the answer's shape.

use reqwest::Method;
use serde::de::IgnoredAny;

use crate::error::{Error, Result, TransportFault};
use crate::http::{self, Call, HttpOptions, Weight};
use crate::profile::TokenTransport;
use crate::url::ServerUrl;
use crate::vault::Secret;

/// The transport to start with on `server`, or `api-disabled`.
///
/// | answer to the dummy header | meaning | transport |
/// |---|---|---|
/// | 401 + `WWW-Authenticate` invalid_token | the header was read | header |
/// | 400 JSON `{"error":"invalid_request"}` | oauth2php 1.0.0 (before 4.1) | param |
/// | 400 + `WWW-Authenticate` invalid_request, empty body | the header never reached PHP | param |
/// | 404 envelope | `api-enabled: false` | — |
pub async fn probe_transport(
    client: &reqwest::Client,
    server: &ServerUrl,
    opts: &HttpOptions,
) -> Result<TokenTransport> {
    match dummy_me(client, server, opts, TokenTransport::Header).await {
        Err(Error::SignedOut) => Ok(TokenTransport::Header),
        Err(Error::TokenTransport(TransportFault::HeaderRefused | TransportFault::NotSeen)) => {
            Ok(TokenTransport::Param)
        }
        // `/api/` answered (discovery), yet v1 has no route: the API is switched off (docs/real-servers.md,
        // "Sign-in").
        Err(Error::NotFound(_)) => Err(Error::ApiDisabled),
        // A server that accepts "0" is odd; the header works there anyway.
        Ok(_) => Ok(TokenTransport::Header),
        Err(e) => Err(e),
    }
}

/// Whether the `oauth_token` parameter reaches PHP, with no header sent (a 401 `invalid_token` for the
/// dummy token): the connection doctor tells "parameter too" from "header only".
pub(crate) async fn param_reaches(client: &reqwest::Client, server: &ServerUrl, opts: &HttpOptions) -> bool {
    matches!(dummy_me(client, server, opts, TokenTransport::Param).await, Err(Error::SignedOut))
}

/// `/api/v1/me/` with the dummy token `0` (no secret), sent the way `transport` says.
async fn dummy_me(
    client: &reqwest::Client,
    server: &ServerUrl,
    opts: &HttpOptions,
    transport: TokenTransport,
) -> Result<IgnoredAny> {
    let dummy = Secret::new("0");
    let call = Call {
        method: Method::GET,
        url: server.api_v1("me"),
        query: &[],
        form: None,
        token: Some(&dummy),
        transport,
        weight: Weight::Light,
        progress: None,
        accept: http::JSON,
        json: None,
    };
    http::send::<IgnoredAny>(client, server, opts, call).await
}
