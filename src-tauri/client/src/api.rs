//! Typed API v1 calls (api §5). One `Api` per signed-in profile; cheap to clone.

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

    // --- baskets ---

    pub async fn baskets(&self) -> Result<Vec<Basket>> {
        match self.get::<BasketsResponse>("baskets/list", &[]).await {
            Ok(list) => Ok(list.baskets),
            // docs/real-servers.md, "Server bugs": one vote basket without the caller as participant, or
            // with a deleted initiator, makes the whole list a 404 (V1Controller.php:1933-1965).
            Err(Error::NotFound(_)) => Err(Error::BasketListBroken),
            Err(e) => Err(e),
        }
    }

    pub async fn basket(&self, id: i64) -> Result<BasketContent> {
        self.basket_with_progress(id, None).await
    }

    /// A basket's content (v1 has no paging: the server builds every element before the first byte).
    pub async fn basket_with_progress(
        &self,
        id: i64,
        progress: Option<Progress<'_>>,
    ) -> Result<BasketContent> {
        let content: BasketContent = self.get_heavy(&format!("baskets/{id}/content"), &[], progress).await?;
        if content.basket.basket_id == 0 {
            return Err(Error::NotFound(format!("basket {id}")));
        }
        Ok(content)
    }

    pub async fn create_basket(&self, name: &str) -> Result<Basket> {
        Ok(self.post::<BasketResponse>("baskets/add", &[("name", name.to_string())]).await?.basket)
    }

    pub async fn rename_basket(&self, id: i64, name: &str) -> Result<Basket> {
        Ok(self
            .post::<BasketResponse>(&format!("baskets/{id}/setname"), &[("name", name.to_string())])
            .await?
            .basket)
    }

    pub async fn set_basket_description(&self, id: i64, description: &str) -> Result<Basket> {
        let form = [("description", description.to_string())];
        Ok(self.post::<BasketResponse>(&format!("baskets/{id}/setdescription"), &form).await?.basket)
    }

    /// Deletes a basket and returns the remaining ones.
    pub async fn delete_basket(&self, id: i64) -> Result<Vec<Basket>> {
        Ok(self.post::<BasketsResponse>(&format!("baskets/{id}/delete"), &[]).await?.baskets)
    }

    /// Adds records to a basket (api v2, Phraseanet 4.0+; docs/real-servers.md, "Basket editing"): the
    /// server skips records already there, records the user cannot see and unknown ones, and a story
    /// adds its children. Returns how many elements were added (the answer's elements are opaque).
    pub async fn add_to_basket(&self, id: i64, records: &[RecordRef]) -> Result<usize> {
        self.basket_records(Method::POST, id, records).await
    }

    /// Removes records from a basket (api v2); records not in it are ignored. Returns how many went.
    pub async fn remove_from_basket(&self, id: i64, records: &[RecordRef]) -> Result<usize> {
        self.basket_records(Method::DELETE, id, records).await
    }

    async fn basket_records(&self, method: Method, id: i64, records: &[RecordRef]) -> Result<usize> {
        let data: Vec<serde_json::Value> = records
            .iter()
            .map(|r| serde_json::json!({"databox_id": r.databox_id, "record_id": r.record_id}))
            .collect();
        let route = format!("baskets/{id}/records");
        let mut req = Request::new(method, &route, Vec::new(), None);
        req.v2_json = Some(serde_json::json!({ "data": data }));
        match self.call::<ElementsResponse>(req).await {
            Ok(answer) => Ok(answer.elements.len()),
            // 3.8 has no v2: the route is unknown (an unknown basket says "Basket … not found.").
            Err(Error::NotFound(m)) if m.contains("No route found") => {
                Err(Error::NotSupported("add or remove basket records (API v2)".into()))
            }
            Err(e) => Err(e),
        }
    }

    // --- records ---

    pub async fn record(&self, r: RecordRef) -> Result<Record> {
        Ok(self.get::<RecordResponse>(&format!("records/{}", r.path()), &[]).await?.record)
    }

    /// The record with its sub-definitions, caption, status and metadata in one call (api §4 "Extended
    /// records"), and whether they came: a proxy that rewrote `Accept`, or a server that ignores it,
    /// answers the plain record, and then `record_caption`, `record_status` and `record_embed` are
    /// needed. The vnd type goes alone: the server's negotiator would pick `application/json` first
    /// (docs/real-servers.md, "Extended records"). Its caption includes the business fields the user may
    /// see, which `/caption/` leaves out.
    pub async fn record_extended(&self, r: RecordRef) -> Result<(Record, bool)> {
        let route = format!("records/{}", r.path());
        let mut req = Request::new(Method::GET, &route, Vec::new(), None);
        req.accept = EXTENDED_RECORD;
        let answer: serde_json::Value = self.call(req).await?;
        let fields = &answer["record"];
        let extended =
            ["subdefs", "caption", "status"].iter().all(|k| fields.get(k).is_some_and(|v| v.is_array()));
        let record: RecordResponse =
            serde_json::from_value(answer).map_err(|e| Error::Decode(format!("record: {e}")))?;
        Ok((record.record, extended))
    }

    /// Sub-definitions with fresh signed URLs; `url_ttl` in seconds when given.
    pub async fn record_embed(&self, r: RecordRef, url_ttl: Option<i64>) -> Result<Vec<Subdef>> {
        let query: Vec<(&str, String)> =
            url_ttl.map(|t| ("subdef_url_ttl", t.to_string())).into_iter().collect();
        Ok(self.get::<EmbedResponse>(&format!("records/{}/embed", r.path()), &query).await?.embed)
    }

    pub async fn record_caption(&self, r: RecordRef) -> Result<Vec<CaptionField>> {
        Ok(self
            .get::<CaptionResponse>(&format!("records/{}/caption", r.path()), &[])
            .await?
            .caption_metadatas)
    }

    pub async fn record_metadatas(&self, r: RecordRef) -> Result<Vec<MetadataValue>> {
        Ok(self
            .get::<MetadatasResponse>(&format!("records/{}/metadatas", r.path()), &[])
            .await?
            .record_metadatas)
    }

    pub async fn record_status(&self, r: RecordRef) -> Result<Vec<StatusBit>> {
        Ok(self.get::<StatusResponse>(&format!("records/{}/status", r.path()), &[]).await?.status)
    }

    pub async fn record_related(&self, r: RecordRef) -> Result<Related> {
        self.get(&format!("records/{}/related", r.path()), &[]).await
    }

    // --- stories ---

    pub async fn story(&self, r: RecordRef) -> Result<Story> {
        let story = self.get_heavy::<StoryResponse>(&format!("stories/{}", r.path()), &[], None).await?.story;
        // api §7.12: a plain record id answers 200 with {"story":{"headers":{}}}.
        if story.story_id == 0 {
            return Err(Error::NotAStory(format!("record {} is not a story", r.path())));
        }
        Ok(story)
    }

    pub async fn story_embed(&self, r: RecordRef) -> Result<Vec<Subdef>> {
        Ok(self.get::<EmbedResponse>(&format!("stories/{}/embed", r.path()), &[]).await?.embed)
    }

    // --- search ---

    /// One page of records (or stories with `query.stories`). Search accepts any method (api §5);
    /// GET keeps it retryable.
    pub async fn search(&self, query: &SearchQuery) -> Result<SearchResult> {
        let mut p: Vec<(&str, String)> = vec![
            ("query", query.query.clone()),
            ("offset_start", query.offset_start.to_string()),
            ("per_page", query.per_page.max(1).to_string()),
            ("search_type", if query.stories { "1" } else { "0" }.to_string()),
        ];
        if let Some(t) = &query.record_type {
            p.push(("record_type", t.clone()));
        }
        for b in &query.bases {
            p.push(("bases[]", b.to_string()));
        }
        if let Some(s) = &query.sort {
            p.push(("sort", s.clone()));
        }
        if let Some(o) = &query.ord {
            p.push(("ord", o.clone()));
        }
        for (key, value) in
            [("date_min", &query.date_min), ("date_max", &query.date_max), ("date_field", &query.date_field)]
        {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                p.push((key, v.to_string()));
            }
        }
        match self.get_heavy("search", &p, None).await {
            // Elasticsearch refuses `from + size` past its result window (10,000 before 4.1.3) and v1
            // answers 500 (docs/real-servers.md, "Search paging").
            Err(Error::Server { status: 500, .. })
                if query.offset_start + query.per_page.max(1) > SEARCH_WINDOW =>
            {
                Err(Error::DeepPage(SEARCH_WINDOW))
            }
            other => other,
        }
    }

    // --- databoxes ---

    /// All databoxes, in id order (the server sends an object keyed by id, api §7.5).
    pub async fn databoxes(&self) -> Result<Vec<Databox>> {
        let mut v: Vec<Databox> =
            self.get::<DataboxesResponse>("databoxes/list", &[]).await?.databoxes.into_values().collect();
        v.sort_by_key(|d| d.databox_id);
        Ok(v)
    }

    pub async fn collections(&self, databox_id: i64) -> Result<Vec<Collection>> {
        let r: CollectionsResponse = self.get(&format!("databoxes/{databox_id}/collections"), &[]).await?;
        let mut v: Vec<Collection> = r.collections.into_values().collect();
        v.sort_by_key(|c| c.collection_id);
        Ok(v)
    }

    /// The databoxes with the collections of them `me` may search (its grants), in id order. The list
    /// names every databox and the collection lists every collection, but a databox the user has no
    /// right on answers 401/403, and a search restricted to an unreachable collection fails ("No
    /// collections match your criteria").
    pub async fn searchable_collections(&self, me: &Me) -> Result<Vec<(Databox, Vec<Collection>)>> {
        let reachable: Vec<i64> = me.collections.iter().map(|c| c.base_id).collect();
        let mut out = Vec::new();
        for db in self.databoxes().await? {
            let listed = match self.collections(db.databox_id).await {
                Err(Error::Unauthorized(_) | Error::Forbidden(_) | Error::NotFound(_)) => continue,
                other => other?,
            };
            let collections: Vec<Collection> =
                listed.into_iter().filter(|c| reachable.contains(&c.base_id)).collect();
            if !collections.is_empty() {
                out.push((db, collections));
            }
        }
        Ok(out)
    }

    // --- feeds ---

    pub async fn feeds(&self) -> Result<Vec<Feed>> {
        Ok(self.get::<FeedsResponse>("feeds/list", &[]).await?.feeds)
    }

    /// Entries of one feed, oldest first; `per_page` 1..=100.
    pub async fn feed(&self, id: i64, offset_start: u64, per_page: u64) -> Result<FeedContent> {
        let p =
            [("offset_start", offset_start.to_string()), ("per_page", per_page.clamp(1, 100).to_string())];
        let content: FeedContent = self.get_heavy(&format!("feeds/{id}/content"), &p, None).await?;
        // api §5: a feed the user cannot see answers 200 with an empty response.
        if content.feed.is_none() {
            return Err(Error::Forbidden(format!("feed {id} is not accessible")));
        }
        Ok(content)
    }

    /// Latest entries of every accessible feed; `per_page` 1..=20.
    pub async fn feeds_content(&self, offset_start: u64, per_page: u64) -> Result<FeedContent> {
        let p = [("offset_start", offset_start.to_string()), ("per_page", per_page.clamp(1, 20).to_string())];
        self.get_heavy("feeds/content", &p, None).await
    }

    pub async fn feed_entry(&self, id: i64) -> Result<FeedEntry> {
        Ok(self.get::<EntryResponse>(&format!("feeds/entry/{id}"), &[]).await?.entry)
    }
}
