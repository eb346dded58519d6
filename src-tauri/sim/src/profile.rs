//! Which real server the double imitates: the Phraseanet version ([`ServerProfile`]) and what stands
//! in front of PHP ([`Behind`]). Every version- or deployment-dependent answer is decided here, from the
//! evidence of `docs/real-servers.md`; handlers only ask.

// Token helpers return the exact early `Response` (as the library answers) as their error.
#![allow(clippy::result_large_err)]

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;

use crate::http::{json_invalid_request, www_authenticate};

/// Which Phraseanet version (and auth configuration) the double behaves like (docs/real-servers.md,
/// "Versions").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum ServerProfile {
    /// 4.1.2+ (4.1.22) with `api-auth-token-header-only: false` (AUTO): `Authorization: OAuth` or
    /// `oauth_token` in the query or form body (P@4.1.22 `Adapter.php:549-553,831-838`, O@1.1.0
    /// `lib/OAuth2.php:952-1001`). Lazy votes, shared non-vote baskets, ES window 500,000.
    #[default]
    #[cfg_attr(feature = "cli", value(name = "4.1-current"))]
    Current41,
    /// 4.1.2+ with `api-auth-token-header-only: true`: `oauth_token` is ignored; without the header
    /// 400 + `WWW-Authenticate ... invalid_request`, empty body (docs/real-servers.md, "Token transport",
    /// patch `412.php:64-68`).
    #[cfg_attr(feature = "cli", value(name = "4.1-header-only"))]
    HeaderOnly41,
    /// 4.1.0/4.1.1 as installed (`api_token_header: false`, patch `410alpha28a.php:128-130`): GET/POST
    /// only. A present `Authorization` header gives 400 + `WWW-Authenticate ... invalid_request`, empty
    /// body, even with `oauth_token` (its presence blocks the parameter: O@1.1.0 `OAuth2.php:952-1001`,
    /// docs/real-servers.md, "Token transport"). ES window 10,000 (docs/real-servers.md, "Search paging"),
    /// votes pre-created (≤4.1.6, docs/real-servers.md, "Baskets and votes"), no `resource_id` (4.1.8+), no
    /// shared non-vote baskets (4.1.7+), no v3 in discovery (4.1.1+).
    #[cfg_attr(feature = "cli", value(name = "4.1.0"))]
    V410,
    /// 4.0.x with oauth2php 1.0.0: ANY `Authorization` header gives 400 `application/json`
    /// `{"error":"invalid_request"}` (O@1.0.0 `lib/OAuth2.php:960` compares 5 characters with "OAuth "),
    /// on the API *and* on `/medias/` and `/permalink/` (`Permalink.php:73`, docs/real-servers.md,
    /// "Token transport"). ES window 10,000 (offset_start + per_page > 10000 → 500, docs/real-servers.md,
    /// "Search paging"); votes pre-created: `validation_choices` lists every participant with `agreement:
    /// null` until they vote (P@4.1.5 `PushController.php:382-386`, docs/real-servers.md,
    /// "Baskets and votes").
    #[cfg_attr(feature = "cli", value(name = "4.0"))]
    V40,
    /// 3.8.x: the 4.0 token rules (oauth2php 1.0.0), plus the shapes of docs/real-servers.md, "3.8 shapes"
    /// (SDK samples, P@3.8.8 `lib/classes/API/V1/adapter.php`): records without `base_id`, subdefs without
    /// `url`/`url_ttl` (permalink only, documents included), `/me/` without `databoxes` and collections
    /// without `statuses` (no `/me/subdefs/`, `/me/collections/`), `/databoxes/list/` as an array,
    /// feed `icon` a URL string, search `available_results` = `total_results` and `query_time` a
    /// float in seconds. No ES window (phrasea/sphinx engine), no v2/v3 in discovery.
    #[cfg_attr(feature = "cli", value(name = "3.8"))]
    V38,
}

/// What stands between the client and PHP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Behind {
    /// nginx passing `HTTP_AUTHORIZATION` (the official docker image, `docker/nginx/root/nginx.conf.sample`).
    #[default]
    None,
    /// Apache + PHP-FPM/CGI with the shipped `www/.htaccess` (no `CGIPassAuth On`): the `Authorization`
    /// header never reaches PHP, on every route (O@1.1.0 `OAuth2.php:1445-1462`, docs/real-servers.md,
    /// "Token transport").
    ApacheFpm,
    /// A TLS-terminating proxy that Phraseanet does not trust: the double serves HTTPS but builds absolute
    /// URLs with `http://` (`MediaSubDefinitionUrlGenerator.php:76,113`, docs/real-servers.md, "Media"), and
    /// the token endpoint's https gate refuses requests although the client used https
    /// (`OAuth2Controller.php:295-297`, docs/real-servers.md, "Sign-in").
    TlsProxy,
    /// nginx `limit_req` on `location /` (`nginx.request_limits.conf.sample:20,47-58`, docs/real-servers.md,
    /// "Media"): `/medias/` and `/permalink/` answer 429 + `Retry-After: 1` beyond `rate_limit_per_sec`.
    RateLimit,
}

/// The token transports PHP sees for one request (after the web server; see [`Behind::ApacheFpm`]).
pub struct Presented<'a> {
    pub header: Option<String>,
    pub query: Option<&'a str>,
    pub form: Option<&'a str>,
}

impl<'a> Presented<'a> {
    pub fn new(headers: &HeaderMap, query: Option<&'a str>, form: Option<&'a str>) -> Self {
        let header = headers
            .get(header::AUTHORIZATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string());
        Presented { header, query, form }
    }
}

/// The parameter transports of O's GET/POST branch: both at once is an error (O `getAccessTokenParams`).
fn param<'a>(p: &Presented<'a>) -> Result<Option<&'a str>, Response> {
    match (p.query, p.form) {
        (Some(_), Some(_)) => Err(json_invalid_request()),
        (q, f) => Ok(q.or(f)),
    }
}

/// O@1.1.0's header branch: exactly `OAuth ` (case-sensitive); Bearer, Basic, `oauth x` → 400 JSON.
fn header_token(value: &str) -> Result<String, Response> {
    match value.strip_prefix("OAuth ") {
        Some(t) => Ok(t.trim().to_string()),
        None => Err(json_invalid_request()),
    }
}

impl ServerProfile {
    /// The token PHP reads (`Ok(None)`: "not present"), or the library's early error answer.
    /// Shared by the API (where "not present" is a 400) and the media routes (where it passes).
    pub fn token(self, p: &Presented) -> Result<Option<String>, Response> {
        match self {
            ServerProfile::Current41 => match &p.header {
                // AUTO: header and parameter together is an error.
                Some(_) if param(p)?.is_some() => Err(json_invalid_request()),
                Some(h) => header_token(h).map(Some),
                None => Ok(param(p)?.map(String::from)),
            },
            ServerProfile::HeaderOnly41 => p.header.as_deref().map(header_token).transpose(),
            // GETPOST only: a header skips both branches, so the token is "not present".
            ServerProfile::V410 => match p.header {
                Some(_) => Ok(None),
                None => Ok(param(p)?.map(String::from)),
            },
            // oauth2php 1.0.0 `OAuth2.php:960`: any header fails the broken prefix test.
            ServerProfile::V40 | ServerProfile::V38 => match p.header {
                Some(_) => Err(json_invalid_request()),
                None => Ok(param(p)?.map(String::from)),
            },
        }
    }

    /// The API's answer for a request without a (visible) token.
    pub fn missing_token() -> Response {
        www_authenticate(StatusCode::BAD_REQUEST, "invalid_request")
    }

    /// ES `index.max_result_window` (docs/real-servers.md, "Search paging"): 10,000 on 4.0 and 4.1.0-4.1.2;
    /// None = no practical limit.
    pub fn result_window(self) -> Option<i64> {
        matches!(self, ServerProfile::V410 | ServerProfile::V40).then_some(10_000)
    }

    /// ≤4.1.6: a vote row per participant × element from the push (docs/real-servers.md,
    /// "Baskets and votes").
    pub fn precreated_votes(self) -> bool {
        matches!(self, ServerProfile::V410 | ServerProfile::V40 | ServerProfile::V38)
    }

    /// ≥4.1.7: baskets shared without a vote (docs/real-servers.md, "Baskets and votes").
    pub fn shared_baskets(self) -> bool {
        matches!(self, ServerProfile::Current41 | ServerProfile::HeaderOnly41)
    }

    /// ≥4.1.8: `resource_id` on records and stories (docs/real-servers.md, "Versions", `InstanceIdAware`).
    pub fn resource_id(self) -> bool {
        self.shared_baskets()
    }

    /// The JSON shapes of docs/real-servers.md, "3.8 shapes".
    pub fn shapes_38(self) -> bool {
        self == ServerProfile::V38
    }

    /// API versions listed by discovery (docs/real-servers.md, "Versions": v2 from 4.0, v3 from 4.1.1).
    pub fn api_versions(self) -> &'static [&'static str] {
        match self {
            ServerProfile::V38 => &["1"],
            ServerProfile::V40 | ServerProfile::V410 => &["1", "2"],
            _ => &["1", "2", "3"],
        }
    }

    /// `version` of `/databoxes/list/` entries.
    pub fn version(self) -> &'static str {
        match self {
            ServerProfile::Current41 | ServerProfile::HeaderOnly41 => "4.1.22",
            ServerProfile::V410 => "4.1.0",
            ServerProfile::V40 => "4.0.12",
            ServerProfile::V38 => "3.8.8",
        }
    }
}

impl Behind {
    /// Whether PHP sees the `Authorization` header at all (docs/real-servers.md, "Token transport").
    pub fn strips_authorization(self) -> bool {
        self == Behind::ApacheFpm
    }
}
