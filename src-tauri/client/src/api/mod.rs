//! Typed API v1 calls (api §5). One `Api` per signed-in profile; cheap to clone. This module holds the
//! transport (token placement, answers, sign-out); the calls live beside it by subject.

mod baskets;
mod library;
mod records;

use std::fmt;
use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result, TransportFault};
use crate::http::{self, build_client, Call, HttpOptions, Weight};
use crate::models::*;
use crate::profile::TokenTransport;
use crate::url::ServerUrl;
use crate::vault::Secret;

/// Told which `Api` rejected its token, so a listener can tell a stale session from the current one.
type Hook = Arc<dyn Fn(&Api) + Send + Sync>;
type TransportHook = Arc<dyn Fn(TokenTransport) + Send + Sync>;
/// Hears the bytes received while a (heavy) answer flows.
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

struct Inner {
    client: reqwest::Client,
    /// Media and downloads: the same settings without transparent decompression (opaque bytes gain
    /// nothing from it, and a gzip bomb would bypass the length checks).
    media_client: reqwest::Client,
    server: ServerUrl,
    token: Secret,
    opts: HttpOptions,
    transport: Mutex<TokenTransport>,
    on_signed_out: Mutex<Vec<Hook>>,
    on_transport_changed: Mutex<Option<TransportHook>>,
}

/// The v1 API of one server, as one user.
#[derive(Clone)]
pub struct Api {
    inner: Arc<Inner>,
}

impl fmt::Debug for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Api({}, token: <redacted>)", self.inner.server)
    }
}

/// Ids of a record (or story): `{databox_id}/{record_id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordRef {
    pub databox_id: i64,
    pub record_id: i64,
}

impl RecordRef {
    pub fn new(databox_id: i64, record_id: i64) -> RecordRef {
        RecordRef { databox_id, record_id }
    }
    fn path(&self) -> String {
        format!("{}/{}", self.databox_id, self.record_id)
    }
}

impl From<&Record> for RecordRef {
    fn from(r: &Record) -> Self {
        RecordRef::new(r.databox_id, r.record_id)
    }
}

/// `/api/` discovery (no token needed): proves the address is a Phraseanet server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ServerInfo {
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub description: Option<String>,
    /// The API versions listed (`"1"`, `"2"`…): v2 (4.0+) adds and removes basket records.
    #[serde(deserialize_with = "version_keys")]
    pub versions: Vec<String>,
}

impl ServerInfo {
    pub fn has_v2(&self) -> bool {
        self.versions.iter().any(|v| v == "2")
    }
}

/// `versions` is an object keyed by version number (api §1); anything else lists none.
fn version_keys<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Object(m) => m.keys().cloned().collect(),
        serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
        _ => Vec::new(),
    })
}

/// Checks that `server` answers like Phraseanet (`GET /api/`, api §1) with its API on: `/api/` answers
/// even when the API is off (docs/real-servers.md, "Sign-in"), so a dummy-token probe of v1 follows
/// (`probe_transport`).
pub async fn discover(server: &ServerUrl, opts: &HttpOptions) -> Result<ServerInfo> {
    let client = build_client(opts)?;
    let call = Call {
        method: Method::GET,
        url: server.join("api/"),
        query: &[],
        form: None,
        token: None,
        transport: TokenTransport::Header,
        weight: Weight::Light,
        progress: None,
        accept: http::JSON,
        json: None,
    };
    let info: ServerInfo = http::send(&client, server, opts, call).await?;
    if info.kind.as_deref() != Some("phraseanet") {
        return Err(Error::NotPhraseanet("the discovery answer does not say type \"phraseanet\"".into()));
    }
    crate::transport::probe_transport(&client, server, opts).await?;
    Ok(info)
}

fn q(pairs: &[(&str, String)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// The deepest result a search may reach on every server (Elasticsearch's default `max_result_window`,
/// kept by Phraseanet before 4.1.3).
pub const SEARCH_WINDOW: u64 = 10_000;

/// The extended record format (api §4).
pub const EXTENDED_RECORD: &str = "application/vnd.phraseanet.record-extended+json";

/// What `Api::call` sends (kept whole so a transport switch can send it again).
struct Request<'a> {
    method: Method,
    route: &'a str,
    query: Vec<(String, String)>,
    form: Option<Vec<(String, String)>>,
    weight: Weight,
    progress: Option<Progress<'a>>,
    accept: &'static str,
    /// A v2 route (`/api/v2/…`) with a JSON body.
    v2_json: Option<serde_json::Value>,
}

impl<'a> Request<'a> {
    fn new(
        method: Method,
        route: &'a str,
        query: Vec<(String, String)>,
        form: Option<Vec<(String, String)>>,
    ) -> Self {
        Request {
            method,
            route,
            query,
            form,
            weight: Weight::Light,
            progress: None,
            accept: http::JSON,
            v2_json: None,
        }
    }
}

impl Api {
    pub fn new(server: ServerUrl, token: Secret) -> Result<Api> {
        Api::with_options(server, token, HttpOptions::default())
    }

    pub fn with_options(server: ServerUrl, token: Secret, opts: HttpOptions) -> Result<Api> {
        Api::with_transport(server, token, opts, TokenTransport::Header)
    }

    /// An API for a server whose transport is not known yet (no profile): probes it first with a dummy
    /// token (`probe_transport`), so no call, heavy ones included, is sent twice to learn it.
    pub async fn probed(server: ServerUrl, token: Secret, opts: HttpOptions) -> Result<Api> {
        let transport = crate::transport::probe_transport(&build_client(&opts)?, &server, &opts).await?;
        Api::with_transport(server, token, opts, transport)
    }

    /// An API that sends the token the way the server takes it (the profile's `token_transport`).
    pub fn with_transport(
        server: ServerUrl,
        token: Secret,
        opts: HttpOptions,
        transport: TokenTransport,
    ) -> Result<Api> {
        let client = build_client(&opts)?;
        let media_client = http::build_media_client(&opts)?;
        Ok(Api {
            inner: Arc::new(Inner {
                client,
                media_client,
                server,
                token,
                opts,
                transport: Mutex::new(transport),
                on_signed_out: Mutex::default(),
                on_transport_changed: Mutex::new(None),
            }),
        })
    }

    /// How the token travels now (it may change when the server answers in a transport fault's shape).
    pub fn transport(&self) -> TokenTransport {
        *self.inner.transport.lock().expect("transport lock")
    }

    /// Called when the API switched transport because the server refused the other one: the session
    /// records it in the profile.
    pub fn set_on_transport_changed(&self, hook: impl Fn(TokenTransport) + Send + Sync + 'static) {
        *self.inner.on_transport_changed.lock().expect("hook lock") = Some(Arc::new(hook));
    }

    /// Runs `hook` (after those added before) each time the server rejects the token (`signed-out`):
    /// the session removes the stale token from the vault, the desktop app drops its session state.
    pub fn on_signed_out(&self, hook: impl Fn(&Api) + Send + Sync + 'static) {
        self.inner.on_signed_out.lock().expect("hook lock").push(Arc::new(hook));
    }

    /// Whether `other` is this very API (a clone), not merely one for the same server and token.
    pub fn is(&self, other: &Api) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    pub fn server(&self) -> &ServerUrl {
        &self.inner.server
    }

    pub(crate) fn token(&self) -> &Secret {
        &self.inner.token
    }

    pub(crate) fn media_client(&self) -> &reqwest::Client {
        &self.inner.media_client
    }

    pub fn options(&self) -> &HttpOptions {
        &self.inner.opts
    }

    async fn send<T: DeserializeOwned + Default>(
        &self,
        req: &Request<'_>,
        transport: TokenTransport,
    ) -> Result<T> {
        let url = match req.v2_json {
            Some(_) => self.inner.server.join(&format!("api/v2/{}/", req.route.trim_matches('/'))),
            None => self.inner.server.api_v1(req.route),
        };
        let call = Call {
            method: req.method.clone(),
            url,
            query: &req.query,
            form: req.form.as_deref(),
            token: Some(&self.inner.token),
            transport,
            weight: req.weight,
            progress: req.progress,
            accept: req.accept,
            json: req.v2_json.as_ref(),
        };
        http::send(&self.inner.client, &self.inner.server, &self.inner.opts, call).await
    }

    /// One v1 call. When the server answers in the shape of a transport fault, the other transport is
    /// tried once; if it works it is kept (docs/real-servers.md, "Token transport"). A 400 transport
    /// answer is given before the route runs, so re-sending even a POST is safe.
    async fn call<T: DeserializeOwned + Default>(&self, req: Request<'_>) -> Result<T> {
        let transport = self.transport();
        let mut result = self.send(&req, transport).await;
        if let Err(Error::TokenTransport(fault)) = &result {
            let other = match (transport, fault) {
                (TokenTransport::Header, _) => Some(TokenTransport::Param),
                // A header-only server (or one whose parameter support was switched off).
                (TokenTransport::Param, TransportFault::NotSeen) => Some(TokenTransport::Header),
                _ => None,
            };
            if let Some(other) = other {
                result = match self.send(&req, other).await {
                    Err(Error::TokenTransport(_)) => Err(Error::TokenTransport(TransportFault::NoWay)),
                    answered => {
                        self.switch_transport(other);
                        answered
                    }
                };
            }
        }
        if matches!(result, Err(Error::SignedOut)) {
            let hooks = self.inner.on_signed_out.lock().expect("hook lock").clone();
            for hook in hooks {
                hook(self);
            }
        }
        result
    }

    fn switch_transport(&self, to: TokenTransport) {
        let changed = {
            let mut current = self.inner.transport.lock().expect("transport lock");
            std::mem::replace(&mut *current, to) != to
        };
        if changed {
            tracing::info!(?to, "the server takes the token another way: switched");
            let hook = self.inner.on_transport_changed.lock().expect("hook lock").clone();
            if let Some(hook) = hook {
                hook(to);
            }
        }
    }

    async fn get<T: DeserializeOwned + Default>(&self, route: &str, query: &[(&str, String)]) -> Result<T> {
        self.call(Request::new(Method::GET, route, q(query), None)).await
    }

    /// A GET whose answer the server builds whole before its first byte (docs/real-servers.md,
    /// "Time budgets"): the long first-byte budget, never re-sent after a timeout.
    async fn get_heavy<T: DeserializeOwned + Default>(
        &self,
        route: &str,
        query: &[(&str, String)],
        progress: Option<Progress<'_>>,
    ) -> Result<T> {
        let mut req = Request::new(Method::GET, route, q(query), None);
        req.weight = Weight::Heavy;
        req.progress = progress;
        self.call(req).await
    }

    async fn post<T: DeserializeOwned + Default>(&self, route: &str, form: &[(&str, String)]) -> Result<T> {
        self.call(Request::new(Method::POST, route, Vec::new(), Some(q(form)))).await
    }

    // --- user ---

    pub async fn me(&self) -> Result<Me> {
        self.get("me", &[]).await
    }

    pub async fn me_subdefs(&self) -> Result<SubdefDefinitions> {
        self.get("me/subdefs", &[]).await
    }
}
