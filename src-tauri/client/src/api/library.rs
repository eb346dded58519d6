//! The library: search, databoxes and collections, feeds (api §5).

use super::{Api, SEARCH_WINDOW};
use crate::error::{Error, Result};
use crate::models::*;

impl Api {
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
