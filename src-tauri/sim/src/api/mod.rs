//! API v1 (api §3-§6) and discovery (api §1).

// Helpers return the exact early `Response` (token error, 404 envelope...) as their error.
#![allow(clippy::result_large_err)]

pub mod auth;
mod baskets;
mod databoxes;
pub use crate::http::envelope;
mod feeds;
mod me;
mod query;
mod records;
pub mod render;
mod search;
mod stories;
mod v2;

use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use serde_json::json;

use crate::http::BaseUrl;
use crate::state::Shared;
use envelope::Head;

/// A parsed API request: parameters from the query string then the form body (api §1 `$request->get()`).
pub struct Req {
    pub head: Head,
    pub headers: HeaderMap,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    /// Base URL for absolute URLs (`http://<Host>`).
    pub base: String,
    /// `Accept: application/vnd.phraseanet.record-extended+json` (api §4).
    pub extended: bool,
    /// The raw body (v2 routes read JSON).
    pub body: bytes::Bytes,
}

impl Req {
    /// First value of `name`: query string first, then form body.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.query.iter().chain(self.form.iter()).find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// All values of `name` (e.g. `bases[]`), query then form; `name[]` and `name[n]` both count.
    pub fn get_all(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .chain(self.form.iter())
            .filter(|(k, _)| k == name || (k.starts_with(name) && k[name.len()..].starts_with('[')))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw).into_owned().collect()
}

impl<S: Send + Sync> FromRequest<S> for Req {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let query = pairs(parts.uri.query().unwrap_or("").as_bytes());
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
        let bytes = axum::body::to_bytes(body, 16 << 20)
            .await
            .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
        let form = if is_form { pairs(&bytes) } else { Vec::new() };
        let base = crate::http::base_url(&parts.headers, parts.extensions.get::<BaseUrl>());
        let accept = parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let extended = accept.contains("application/vnd.phraseanet.record-extended");
        let yaml = (accept.contains("application/yaml")
            || accept.contains("text/yaml")
            || accept.contains("extended+yaml"))
            && !accept.contains("application/json")
            && !accept.contains("extended+json");
        let mut req = Req {
            head: Head {
                method: parts.method.to_string(),
                path: parts.uri.path().to_string(),
                callback: None,
                yaml,
            },
            headers: parts.headers,
            query,
            form,
            base,
            extended,
            body: bytes,
        };
        if let Some(cb) = req.get("callback").map(str::trim).filter(|c| !c.is_empty()).map(String::from) {
            if !envelope::valid_callback(&cb) {
                return Err(envelope::fail(&req.head, 400, "Invalid JSONP callback"));
            }
            req.head.callback = Some(cb);
        }
        Ok(req)
    }
}

/// Authenticates or returns the exact token-error response (api §3).
macro_rules! caller {
    ($state:expr, $req:expr) => {
        match $crate::api::auth::authenticate(&$state, &$req) {
            Ok(user) => user,
            Err(res) => return res,
        }
    };
}
pub(crate) use caller;

/// Parses a numeric route id; non-digits give the 400 envelope of the route's bad-request twin (api §1).
macro_rules! id {
    ($req:expr, $raw:expr) => {
        match $crate::api::parse_id($raw) {
            Some(v) => v,
            None => return $crate::api::envelope::fail(&$req.head, 400, "Bad Request"),
        }
    };
}
pub(crate) use id;

pub fn parse_id(raw: &str) -> Option<i64> {
    if raw.is_empty() || raw.len() > 18 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// Every v1 route, for the trailing-slash redirect of the fallback (api §1).
const ROUTES: &[&str] = &[
    "/api/v1/me/",
    "/api/v1/me/subdefs/",
    "/api/v1/me/collections/",
    "/api/v1/baskets/list/",
    "/api/v1/baskets/add/",
    "/api/v1/baskets/{}/content/",
    "/api/v1/baskets/{}/setname/",
    "/api/v1/baskets/{}/setdescription/",
    "/api/v1/baskets/{}/delete/",
    "/api/v1/records/{}/{}/",
    "/api/v1/records/{}/{}/embed/",
    "/api/v1/records/{}/{}/caption/",
    "/api/v1/records/{}/{}/metadatas/",
    "/api/v1/records/{}/{}/status/",
    "/api/v1/records/{}/{}/related/",
    "/api/v1/records/search/",
    "/api/v1/search/",
    "/api/v1/stories/{}/{}/",
    "/api/v1/stories/{}/{}/embed/",
    "/api/v1/databoxes/list/",
    "/api/v1/databoxes/{}/collections/",
    "/api/v1/collections/{}/",
    "/api/v1/feeds/list/",
    "/api/v1/feeds/content/",
    "/api/v1/feeds/{}/content/",
    "/api/v1/feeds/entry/{}/",
];

fn route_exists(path: &str) -> bool {
    let segs: Vec<&str> = path.split('/').collect();
    ROUTES.iter().any(|route| {
        let pattern: Vec<&str> = route.split('/').collect();
        pattern.len() == segs.len()
            && pattern.iter().zip(&segs).all(|(p, s)| *p == "{}" && !s.is_empty() || p == s)
    })
}

pub fn router(state: Shared) -> Router {
    let v1 = Router::new()
        .route("/api/v1/me/", get(me::me))
        .route("/api/v1/me/subdefs/", get(me::subdefs))
        .route("/api/v1/me/collections/", get(me::collections))
        .route("/api/v1/baskets/list/", get(baskets::list))
        .route("/api/v1/baskets/add/", post(baskets::add))
        .route("/api/v1/baskets/{id}/content/", get(baskets::content))
        .route("/api/v1/baskets/{id}/setname/", post(baskets::set_name))
        .route("/api/v1/baskets/{id}/setdescription/", post(baskets::set_description))
        .route("/api/v1/baskets/{id}/delete/", post(baskets::delete))
        .route("/api/v1/records/{d}/{r}/", get(records::record))
        .route("/api/v1/records/{d}/{r}/embed/", get(records::embed))
        .route("/api/v1/records/{d}/{r}/caption/", get(records::caption))
        .route("/api/v1/records/{d}/{r}/metadatas/", get(records::metadatas))
        .route("/api/v1/records/{d}/{r}/status/", get(records::status))
        .route("/api/v1/records/{d}/{r}/related/", get(records::related))
        .route("/api/v1/records/search/", any(search::records_search))
        .route("/api/v1/search/", any(search::search))
        .route("/api/v1/stories/{d}/{r}/", get(stories::story))
        .route("/api/v1/stories/{d}/{r}/embed/", get(stories::embed))
        .route("/api/v1/databoxes/list/", get(databoxes::list))
        .route("/api/v1/databoxes/{id}/collections/", get(databoxes::collections))
        .route("/api/v1/collections/{id}/", get(databoxes::collection))
        .route("/api/v1/feeds/list/", get(feeds::list))
        .route("/api/v1/feeds/content/", get(feeds::aggregated))
        .route("/api/v1/feeds/{id}/content/", get(feeds::content))
        .route("/api/v1/feeds/entry/{id}/", get(feeds::entry));
    // 3.8 has no v2 (docs/real-servers.md, "Versions").
    let v1 = if state.config.profile.api_versions().contains(&"2") {
        v1.route("/api/v2/baskets/{id}/records/", post(v2::add_records).delete(v2::remove_records))
            .route("/api/v2/baskets/{id}/records/reorder", axum::routing::put(v2::reorder_records))
    } else {
        v1
    };
    let v1 = v1
        .layer(middleware::from_fn_with_state(state.clone(), crate::php::layer))
        .layer(middleware::from_fn_with_state(state.clone(), crate::faults::layer))
        .with_state(state.clone());
    Router::new().route("/api/", get(discovery).with_state(state)).merge(v1)
}

/// api §1: unknown routes give a 404 envelope before auth; GET/HEAD without the trailing slash of an
/// existing route gives a 301 to the slashed URL, query kept.
pub async fn fallback(req: Request) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    if (method == Method::GET || method == Method::HEAD)
        && !path.ends_with('/')
        && route_exists(&format!("{path}/"))
    {
        let base = crate::http::base_url(req.headers(), req.extensions().get::<BaseUrl>());
        let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
        let location = format!("{base}{path}/{query}");
        let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(v) = HeaderValue::from_str(&location) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return res;
    }
    envelope::error(method.as_str(), &path, 404, format!("No route found for \"{method} {path}\""))
}

/// Turns axum's bare 405 into the api §1 envelope with a Silex-style `Allow` header. Called by the
/// connection service, outside the router (axum adds `Allow` after route layers run).
pub fn method_not_allowed(method: &str, path: &str, res: Response) -> Response {
    if !path.starts_with("/api/v1/")
        || res.status() != StatusCode::METHOD_NOT_ALLOWED
        || res.headers().contains_key(header::CONTENT_TYPE)
    {
        return res;
    }
    let allow: Vec<String> = res
        .headers()
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty() && m != "HEAD")
        .collect();
    let allow = allow.join(", ");
    let mut out = envelope::error(
        method,
        path,
        405,
        format!("No route found for \"{method} {path}\": Method Not Allowed (Allow: {allow})"),
    );
    if let Ok(v) = HeaderValue::from_str(&allow) {
        out.headers_mut().insert(header::ALLOW, v);
    }
    out
}

/// `GET /api/` (api §1): no token needed; it answers even with the API disabled (docs/real-servers.md,
/// "Sign-in"). The versions listed depend on the profile (docs/real-servers.md, "Versions").
async fn discovery(axum::extract::State(state): axum::extract::State<Shared>, req: Req) -> Response {
    let endpoints =
        json!({"authorization_token": "/api/oauthv2/authorize", "access_token": "/api/oauthv2/token"});
    let version = |number: &str, uri: &str| {
        json!({"number": number, "uri": uri, "authenticationProtocol": "OAuth2", "authenticationVersion": "draft#v9",
               "authenticationEndPoints": endpoints})
    };
    let all = [
        ("1", version("2.0.0", "/api/v1/")),
        ("2", version("2.0.0", "/api/v2/")),
        ("3", version("3.0.0", "/api/v3/")),
    ];
    let wanted = state.config.profile.api_versions();
    let versions: serde_json::Map<String, serde_json::Value> =
        all.into_iter().filter(|(k, _)| wanted.contains(k)).map(|(k, v)| (k.to_string(), v)).collect();
    envelope::ok(
        &req.head,
        json!({
            "name": "Phraseanet",
            "type": "phraseanet",
            "description": "Phraseanet double (phraseanet-sim)",
            "documentation": "https://docs.phraseanet.com/Devel",
            "versions": versions,
        }),
    )
}

/// Rendering context of a request.
pub fn ctx<'a>(
    state: &'a crate::state::State,
    user: &'a crate::model::User,
    req: &'a Req,
) -> render::Ctx<'a> {
    render::Ctx {
        state,
        user,
        base: &req.base,
        ttl: crate::media::url_ttl(req.get("subdef_url_ttl")),
        extended: req.extended,
    }
}
