//! Typed API v1 calls (spec §5). One `Api` per signed-in profile; cheap to clone.

use std::fmt;
use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::http::{self, build_client, Call, HttpOptions};
use crate::models::*;
use crate::url::ServerUrl;
use crate::vault::Secret;

type Hook = Arc<dyn Fn() + Send + Sync>;

struct Inner {
    client: reqwest::Client,
    server: ServerUrl,
    token: Secret,
    opts: HttpOptions,
    on_signed_out: Mutex<Option<Hook>>,
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
    #[ts(type = "number")]
    pub databox_id: i64,
    #[ts(type = "number")]
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
}

/// Checks that `server` answers like Phraseanet (`GET /api/`, spec §1).
pub async fn discover(server: &ServerUrl, opts: &HttpOptions) -> Result<ServerInfo> {
    let client = build_client(opts)?;
    let call = Call { method: Method::GET, url: server.join("api/"), query: &[], form: None, token: None };
    let info: ServerInfo = http::send(&client, server, opts, call).await?;
    if info.kind.as_deref() != Some("phraseanet") {
        return Err(Error::NotPhraseanet("the discovery answer does not say type \"phraseanet\"".into()));
    }
    Ok(info)
}

fn q(pairs: &[(&str, String)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

impl Api {
    pub fn new(server: ServerUrl, token: Secret) -> Result<Api> {
        Api::with_options(server, token, HttpOptions::default())
    }

    pub fn with_options(server: ServerUrl, token: Secret, opts: HttpOptions) -> Result<Api> {
        let client = build_client(&opts)?;
        Ok(Api { inner: Arc::new(Inner { client, server, token, opts, on_signed_out: Mutex::new(None) }) })
    }

    /// Called once each time the server rejects the token (`signed-out`): the session removes the stale
    /// token from the vault there.
    pub fn set_on_signed_out(&self, hook: impl Fn() + Send + Sync + 'static) {
        *self.inner.on_signed_out.lock().expect("hook lock") = Some(Arc::new(hook));
    }

    pub fn server(&self) -> &ServerUrl {
        &self.inner.server
    }

    pub(crate) fn token(&self) -> &Secret {
        &self.inner.token
    }

    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.inner.client
    }

    pub fn options(&self) -> &HttpOptions {
        &self.inner.opts
    }

    async fn call<T: DeserializeOwned + Default>(
        &self,
        method: Method,
        route: &str,
        query: Vec<(String, String)>,
        form: Option<Vec<(String, String)>>,
    ) -> Result<T> {
        let call = Call {
            method,
            url: self.inner.server.api_v1(route),
            query: &query,
            form: form.as_deref(),
            token: Some(&self.inner.token),
        };
        let result = http::send(&self.inner.client, &self.inner.server, &self.inner.opts, call).await;
        if matches!(result, Err(Error::SignedOut)) {
            let hook = self.inner.on_signed_out.lock().expect("hook lock").clone();
            if let Some(hook) = hook {
                hook();
            }
        }
        result
    }

    async fn get<T: DeserializeOwned + Default>(&self, route: &str, query: &[(&str, String)]) -> Result<T> {
        self.call(Method::GET, route, q(query), None).await
    }

    async fn post<T: DeserializeOwned + Default>(&self, route: &str, form: &[(&str, String)]) -> Result<T> {
        self.call(Method::POST, route, Vec::new(), Some(q(form))).await
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
        Ok(self.get::<BasketsResponse>("baskets/list", &[]).await?.baskets)
    }

    pub async fn basket(&self, id: i64) -> Result<BasketContent> {
        let content: BasketContent = self.get(&format!("baskets/{id}/content"), &[]).await?;
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

    // --- records ---

    pub async fn record(&self, r: RecordRef) -> Result<Record> {
        Ok(self.get::<RecordResponse>(&format!("records/{}", r.path()), &[]).await?.record)
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
        let story = self.get::<StoryResponse>(&format!("stories/{}", r.path()), &[]).await?.story;
        // spec §7.12: a plain record id answers 200 with {"story":{"headers":{}}}.
        if story.story_id == 0 {
            return Err(Error::NotAStory(format!("record {} is not a story", r.path())));
        }
        Ok(story)
    }

    pub async fn story_embed(&self, r: RecordRef) -> Result<Vec<Subdef>> {
        Ok(self.get::<EmbedResponse>(&format!("stories/{}/embed", r.path()), &[]).await?.embed)
    }

    // --- search ---

    /// One page of records (or stories with `query.stories`). Search accepts any method (spec §5);
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
        self.get("search", &p).await
    }

    // --- databoxes ---

    /// All databoxes, in id order (the server sends an object keyed by id, spec §7.5).
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

    // --- feeds ---

    pub async fn feeds(&self) -> Result<Vec<Feed>> {
        Ok(self.get::<FeedsResponse>("feeds/list", &[]).await?.feeds)
    }

    /// Entries of one feed, oldest first; `per_page` 1..=100.
    pub async fn feed(&self, id: i64, offset_start: u64, per_page: u64) -> Result<FeedContent> {
        let p =
            [("offset_start", offset_start.to_string()), ("per_page", per_page.clamp(1, 100).to_string())];
        let content: FeedContent = self.get(&format!("feeds/{id}/content"), &p).await?;
        // spec §5: a feed the user cannot see answers 200 with an empty response.
        if content.feed.is_none() {
            return Err(Error::Forbidden(format!("feed {id} is not accessible")));
        }
        Ok(content)
    }

    /// Latest entries of every accessible feed; `per_page` 1..=20.
    pub async fn feeds_content(&self, offset_start: u64, per_page: u64) -> Result<FeedContent> {
        let p = [("offset_start", offset_start.to_string()), ("per_page", per_page.clamp(1, 20).to_string())];
        self.get("feeds/content", &p).await
    }

    pub async fn feed_entry(&self, id: i64) -> Result<FeedEntry> {
        Ok(self.get::<EntryResponse>(&format!("feeds/entry/{id}"), &[]).await?.entry)
    }
}
