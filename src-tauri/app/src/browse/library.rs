//! Feeds as grid items (api §5 Feeds), and the collections a search can be restricted to. Their
//! thumbnails enter the media index like a basket's, so the grid loads them through the same `thumb/…`
//! paths.

use phraseanet_client::models::{Feed, FeedContent, FeedEntry};
use phraseanet_client::{RecordRef, Result};
use serde::Serialize;
use ts_rs::TS;

use super::grid::grid_item;
use super::models::GridItem;
use crate::Desktop;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FeedSummary {
    pub id: i64,
    pub title: String,
    pub subtitle: Option<String>,
    pub total_entries: u32,
    pub public: bool,
    pub updated_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FeedPage {
    /// The feed, or null for the aggregate of every feed.
    pub feed: Option<FeedSummary>,
    /// Entries skipped, counted from the newest.
    pub offset: u32,
    pub per_page: u32,
    /// Entries in the feed (or in every feed).
    pub total: u32,
    /// `skip` for the next (older) page; null on the last one.
    pub next_offset: Option<u32>,
    pub entries: Vec<FeedEntryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FeedEntryView {
    pub id: i64,
    pub title: String,
    pub subtitle: Option<String>,
    pub author: Option<String>,
    pub created_on: Option<String>,
    pub updated_on: Option<String>,
    pub feed_title: Option<String>,
    pub items: Vec<GridItem>,
}

/// A databox and the collections of it the user can see (a search restricts to them by `base_id`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DataboxView {
    pub id: i64,
    pub name: String,
    pub collections: Vec<CollectionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CollectionView {
    pub base_id: i64,
    pub name: String,
    /// Records in it, when the server says (`record_amount`).
    pub records: Option<u32>,
}

fn n(v: i64) -> u32 {
    v.clamp(0, u32::MAX as i64) as u32
}

fn feed_summary(f: &Feed) -> FeedSummary {
    FeedSummary {
        id: f.id,
        title: f.title.clone(),
        subtitle: f.subtitle.clone(),
        total_entries: n(f.total_entries),
        public: f.public,
        updated_on: f.updated_on.clone(),
    }
}

fn entry_view(e: &FeedEntry) -> FeedEntryView {
    FeedEntryView {
        id: e.id,
        title: e.title.clone(),
        subtitle: e.subtitle.clone(),
        author: e.author_name.clone(),
        created_on: e.created_on.clone(),
        updated_on: e.updated_on.clone(),
        feed_title: e.feed_title.clone(),
        items: e.items.iter().map(|i| grid_item(&i.record, None)).collect(),
    }
}

impl Desktop {
    /// The feeds the user can read, most recently updated first (server order).
    pub async fn feeds(&self, profile: &str) -> Result<Vec<FeedSummary>> {
        let state = self.browse_state(profile)?;
        let feeds = state.api.feeds().await?;
        Ok(feeds.iter().map(feed_summary).collect())
    }

    /// Entries of one feed (`feed_id`, `per_page` 1..=100) or of all feeds (None, `per_page` 1..=20),
    /// newest first, with their records as grid items. `skip` counts the entries already shown.
    ///
    /// One feed's entries come oldest first (api §5 Feeds): its newest page is at its end, so the feed's
    /// total is asked first (a one-entry page) and the pages are cut backwards from it.
    pub async fn feed(
        &self,
        profile: &str,
        feed_id: Option<i64>,
        skip: u32,
        per_page: u32,
    ) -> Result<FeedPage> {
        let state = self.browse_state(profile)?;
        let skip = skip as u64;
        let (content, total) = match feed_id {
            Some(id) => {
                let per_page = per_page.clamp(1, 100) as u64;
                let head = state.api.feed(id, 0, 1).await?;
                let total = head.feed.as_ref().map_or(0, |f| f.total_entries.max(0) as u64);
                let end = total.saturating_sub(skip);
                let start = end.saturating_sub(per_page);
                let mut content = if end == 0 {
                    FeedContent { entries: Vec::new(), ..head }
                } else {
                    state.api.feed(id, start, end - start).await?
                };
                content.entries.reverse();
                (content, total)
            }
            None => {
                let content = state.api.feeds_content(skip, per_page.clamp(1, 20) as u64).await?;
                let total = content.total_entries.unwrap_or(0).max(0) as u64;
                (content, total)
            }
        };
        let records = content.entries.iter().flat_map(|e| e.items.iter().map(|i| &i.record));
        state.index_thumbnails(records.filter_map(|r| Some((RecordRef::from(r), r.thumbnail.as_ref()?))));
        let reached = skip + content.entries.len() as u64;
        Ok(FeedPage {
            feed: content.feed.as_ref().map(feed_summary),
            offset: skip as u32,
            per_page: n(content.per_page),
            total: total.min(u32::MAX as u64) as u32,
            next_offset: (reached < total && !content.entries.is_empty()).then_some(reached as u32),
            entries: content.entries.iter().map(entry_view).collect(),
        })
    }

    /// The databoxes and the collections the user can search, for the library's Collections section
    /// and the search form's filter.
    pub async fn collections(&self, profile: &str) -> Result<Vec<DataboxView>> {
        let state = self.browse_state(profile)?;
        let me = state.me().await?;
        let all = state.api.searchable_collections(&me).await?;
        Ok(all
            .into_iter()
            .map(|(db, collections)| DataboxView {
                id: db.databox_id,
                name: if db.viewname.trim().is_empty() { db.name } else { db.viewname },
                collections: collections
                    .into_iter()
                    .map(|c| CollectionView {
                        base_id: c.base_id,
                        name: c.name,
                        records: (c.record_amount > 0).then(|| n(c.record_amount)),
                    })
                    .collect(),
            })
            .collect())
    }
}
