//! What the user has seen, kept on disk so it shows at once next time, and offline: the basket list,
//! each opened basket and each record panel, per account (the profile's server, name and signed-in
//! user). They live in the media disk cache (bounded, private, atomic; `phraseanet_client::DiskCache`)
//! under keys of their own, so one limit covers everything the app keeps. A damaged or foreign entry
//! reads as absent: the network answer replaces it.

use std::collections::HashSet;
use std::sync::Arc;

use phraseanet_client::{DiskCache, Error, MediaSource, RecordRef, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use ts_rs::TS;

use super::models::{BasketHeader, BasketSummary, BasketView, GridItem, RecordDetails};
use super::search::{SearchPage, SearchRequest};
use crate::clock::unix_now;
use crate::Desktop;

/// A view as it was last received, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Cached<T> {
    /// Seconds since 1970 (UTC) when the server sent it.
    #[ts(type = "number")]
    pub saved_at: u64,
    pub value: T,
}

/// The start of a saved basket, for its first screen: its header, its first elements, and how many
/// it holds in all. A 10,000-element copy is 1.7 MB of JSON whose passage through the IPC and parse
/// take longer than drawing its first screen; the rest follows with `cached_basket`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CachedStart {
    /// Seconds since 1970 (UTC) when the server sent it.
    #[ts(type = "number")]
    pub saved_at: u64,
    pub value: BasketView,
    pub element_count: u32,
}

pub(crate) enum View {
    Baskets,
    Basket(i64),
    Record(RecordRef),
    /// A search's first page, by its request (as JSON: the disk cache hashes keys).
    Search(String),
    /// The media sources (thumbnails, previews) a saved basket or record panel showed.
    BasketMedia(i64),
    RecordMedia(RecordRef),
    SearchMedia(String),
}

impl View {
    fn name(&self) -> String {
        match self {
            View::Baskets => "baskets".into(),
            View::Basket(id) => format!("basket/{id}"),
            View::Record(r) => format!("record/{}/{}", r.databox_id, r.record_id),
            View::BasketMedia(id) => format!("media/basket/{id}"),
            View::RecordMedia(r) => format!("media/record/{}/{}", r.databox_id, r.record_id),
            View::Search(request) => format!("search/{request}"),
            View::SearchMedia(request) => format!("media/search/{request}"),
        }
    }
}

impl Desktop {
    /// The cache key of a view of the profile's account, or None without a profile.
    fn view_key(&self, profile: &str, view: &View) -> Option<String> {
        let p = self.profile(profile).ok()?;
        // The signed-in user is part of the account: another user on the same profile sees nothing of it.
        let user = p.user_name.unwrap_or_default();
        Some(format!("view|{}|{profile}|{user}|{}", p.server, view.name()))
    }

    fn view_disk(&self) -> Option<Arc<DiskCache>> {
        self.browse.disk().ok().map(|(disk, _)| disk)
    }

    /// Keeps `value` as the profile's `view`, in the background (a 10,000-element basket is megabytes
    /// of JSON: the answer does not wait for the disk). Must run inside a tokio runtime.
    pub(crate) fn keep_view<T: Serialize>(&self, profile: &str, view: View, value: &T) {
        let (Some(key), Some(disk)) = (self.view_key(profile, &view), self.view_disk()) else { return };
        let Ok(bytes) = serde_json::to_vec(&Cached { saved_at: unix_now(), value }) else { return };
        tokio::spawn(async move {
            if let Err(e) = disk.put(&key, Some("application/json".into()), &bytes).await {
                tracing::debug!("view not kept: {e}");
            }
        });
    }

    /// The saved bytes of a view, if any.
    async fn cached_bytes(&self, profile: &str, view: &View) -> Option<Vec<u8>> {
        let key = self.view_key(profile, view)?;
        let entry = self.view_disk()?.get(&key)?;
        tokio::fs::read(&entry.path).await.ok()
    }

    async fn cached_view<T: DeserializeOwned + Send + 'static>(
        &self,
        profile: &str,
        view: View,
    ) -> Option<Cached<T>> {
        let bytes = self.cached_bytes(profile, &view).await?;
        // Megabytes for a big basket (25–50 ms): off the async workers, so a view and its media
        // sources decode side by side (`cached_basket`).
        tokio::task::spawn_blocking(move || serde_json::from_slice(&bytes).ok()).await.ok().flatten()
    }

    /// Keeps the media sources of `records` beside a saved view (`media`): offline, the saved view's
    /// thumbnails and previews resolve from the cache without asking the server where they are.
    pub(crate) fn keep_media(&self, profile: &str, media: View, records: &[RecordRef]) {
        let Ok(state) = self.browse_state(profile) else { return };
        let sources = state.sources_of(records);
        if !sources.is_empty() {
            self.keep_view(profile, media, &sources);
        }
    }

    /// `keep_view`, written before it returns; answers the cache key (to pin it: a kept basket must be
    /// whole once the keep says so, and stay so).
    pub(crate) async fn keep_view_now<T: Serialize>(
        &self,
        profile: &str,
        view: View,
        value: &T,
    ) -> Result<Option<String>> {
        let (Some(key), Some(disk)) = (self.view_key(profile, &view), self.view_disk()) else {
            return Ok(None);
        };
        let bytes = serde_json::to_vec(&Cached { saved_at: unix_now(), value })
            .map_err(|e| Error::Internal(e.to_string()))?;
        disk.put(&key, Some("application/json".into()), &bytes).await?;
        Ok(Some(key))
    }

    /// `keep_media`, written before it returns (see `keep_view_now`).
    pub(crate) async fn keep_media_now(
        &self,
        profile: &str,
        media: View,
        records: &[RecordRef],
    ) -> Result<Option<String>> {
        let sources = self.browse_state(profile)?.sources_of(records);
        self.keep_view_now(profile, media, &sources).await
    }

    /// Puts a saved view's media sources back in the profile's index (when it has a session).
    async fn restore_media(&self, profile: &str, media: View) {
        let Ok(state) = self.browse_state(profile) else { return };
        if let Some(saved) = self.cached_view::<Vec<MediaSource>>(profile, media).await {
            state.restore_sources(saved.value);
        }
    }

    /// `restore_media` for some records only: their sources are picked out without decoding the others.
    async fn restore_media_of(&self, profile: &str, media: View, records: HashSet<RecordRef>) {
        let Ok(state) = self.browse_state(profile) else { return };
        let Some(bytes) = self.cached_bytes(profile, &media).await else { return };
        let picked = tokio::task::spawn_blocking(move || sources_of(&bytes, &records)).await;
        if let Ok(Some(sources)) = picked {
            state.restore_sources(sources);
        }
    }

    /// The basket list as last received, if any (shown before the server answers).
    pub async fn cached_baskets(&self, profile: &str) -> Option<Cached<Vec<BasketSummary>>> {
        self.cached_view(profile, View::Baskets).await
    }

    /// A basket as last received; its thumbnails resolve again without the server.
    pub async fn cached_basket(&self, profile: &str, id: i64) -> Option<Cached<BasketView>> {
        // The thumbnails' sources must be back before the grid asks for them: both before answering,
        // read at once (the 10,000-element basket's 1.7 MB and its sources' 3.5 MB).
        let (view, ()) = tokio::join!(
            self.cached_view(profile, View::Basket(id)),
            self.restore_media(profile, View::BasketMedia(id))
        );
        view
    }

    /// The start of a basket as last received (its first `first` elements), and their thumbnails'
    /// sources: what its first screen needs, in a few milliseconds whatever the basket's size.
    pub async fn cached_basket_start(&self, profile: &str, id: i64, first: usize) -> Option<CachedStart> {
        let bytes = self.cached_bytes(profile, &View::Basket(id)).await?;
        let start = tokio::task::spawn_blocking(move || basket_start(&bytes, first)).await.ok()??;
        let records = start.value.elements.iter().map(GridItem::record).collect();
        self.restore_media_of(profile, View::BasketMedia(id), records).await;
        Some(start)
    }

    /// A search's first page as last received; its thumbnails resolve again without the server.
    pub async fn cached_search(&self, profile: &str, request: &SearchRequest) -> Option<Cached<SearchPage>> {
        let id = search_id(request)?;
        let page = self.cached_view(profile, View::Search(id.clone())).await?;
        self.restore_media(profile, View::SearchMedia(id)).await;
        Some(page)
    }

    /// Keeps a search's first page (later pages are fetched as the grid scrolls).
    pub(crate) fn keep_search(&self, profile: &str, request: &SearchRequest, page: &SearchPage) {
        let Some(id) = search_id(request) else { return };
        if request.offset != 0 {
            return;
        }
        self.keep_view(profile, View::Search(id.clone()), page);
        let records: Vec<RecordRef> = page.items.iter().map(GridItem::record).collect();
        self.keep_media(profile, View::SearchMedia(id), &records);
    }

    /// A record panel as last received; its previews resolve again without the server.
    pub async fn cached_record(&self, profile: &str, r: RecordRef) -> Option<Cached<RecordDetails>> {
        let view = self.cached_view(profile, View::Record(r)).await?;
        self.restore_media(profile, View::RecordMedia(r)).await;
        Some(view)
    }
}

/// The header and first `first` elements of a saved basket (`Cached<BasketView>`): the others are only
/// counted (each is skipped as raw JSON, not decoded).
fn basket_start(bytes: &[u8], first: usize) -> Option<CachedStart> {
    #[derive(Deserialize)]
    struct Saved<'a> {
        saved_at: u64,
        #[serde(borrow)]
        value: Lazy<'a>,
    }
    #[derive(Deserialize)]
    struct Lazy<'a> {
        header: BasketHeader,
        #[serde(borrow)]
        elements: Vec<&'a RawValue>,
    }
    let saved: Saved = serde_json::from_slice(bytes).ok()?;
    let elements = saved.value.elements.iter().take(first).map(|e| serde_json::from_str::<GridItem>(e.get()));
    Some(CachedStart {
        saved_at: saved.saved_at,
        value: BasketView {
            header: saved.value.header,
            elements: elements.collect::<serde_json::Result<_>>().ok()?,
        },
        element_count: u32::try_from(saved.value.elements.len()).ok()?,
    })
}

/// The sources of `records` in saved media sources (`Cached<Vec<MediaSource>>`): each source's record is
/// read first, and only the wanted ones are decoded whole.
fn sources_of(bytes: &[u8], records: &HashSet<RecordRef>) -> Option<Vec<MediaSource>> {
    #[derive(Deserialize)]
    struct Saved<'a> {
        #[serde(borrow)]
        value: Vec<&'a RawValue>,
    }
    #[derive(Deserialize)]
    struct Whose {
        record: Option<RecordRef>,
    }
    let saved: Saved = serde_json::from_slice(bytes).ok()?;
    let mut picked = Vec::new();
    for raw in saved.value {
        let whose: Whose = serde_json::from_str(raw.get()).ok()?;
        if whose.record.is_some_and(|r| records.contains(&r)) {
            picked.push(serde_json::from_str(raw.get()).ok()?);
        }
    }
    Some(picked)
}

/// A search's identity in the cache: its whole request at the first page.
fn search_id(request: &SearchRequest) -> Option<String> {
    serde_json::to_string(&SearchRequest { offset: 0, ..request.clone() }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_or_foreign_copy_has_no_start_nor_sources() {
        let records = HashSet::from([RecordRef::new(1, 2)]);
        for bytes in
            [&b"{\"saved_at\":1,\"value\":{\"header\""[..], b"<html>", b"{\"saved_at\":1,\"value\":[1]}"]
        {
            assert!(basket_start(bytes, 10).is_none());
            assert!(sources_of(bytes, &records).is_none());
        }
        // One damaged element among the first ones: no start (the copy is not to be trusted).
        let view = r#"{"saved_at":1,"value":{"header":{},"elements":[{"record_id":"x"}]}}"#;
        assert!(basket_start(view.as_bytes(), 10).is_none());
    }

    #[test]
    fn sources_are_picked_by_record() {
        let source = |d: i64, r: i64| MediaSource {
            key: format!("k{d}/{r}"),
            url: format!("https://dam.example.org/{r}"),
            record: Some(RecordRef::new(d, r)),
            subdef: Some("thumbnail".into()),
            expires_at: None,
        };
        let saved = Cached { saved_at: 1, value: vec![source(1, 1), source(1, 2), source(2, 2)] };
        let bytes = serde_json::to_vec(&saved).unwrap();
        let picked =
            sources_of(&bytes, &HashSet::from([RecordRef::new(1, 2), RecordRef::new(2, 2)])).unwrap();
        assert_eq!(picked, vec![source(1, 2), source(2, 2)]);
    }
}
