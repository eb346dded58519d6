//! Feeds as grid items (api §5 Feeds), and the collections a search can be restricted to. Their
//! thumbnails enter the media index like a basket's, so the grid loads them through the same `thumb/…`
//! paths.

use phraseanet_client::models::{Feed, FeedEntry};
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
    pub offset: u32,
    pub per_page: u32,
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

    /// Entries of one feed (`feed_id`, oldest first, `per_page` 1..=100) or of all feeds (None, newest
    /// first, `per_page` 1..=20), with their records as grid items.
    pub async fn feed(
        &self,
        profile: &str,
        feed_id: Option<i64>,
        offset: u32,
        per_page: u32,
    ) -> Result<FeedPage> {
        let state = self.browse_state(profile)?;
        let content = match feed_id {
            Some(id) => state.api.feed(id, offset as u64, per_page as u64).await,
            None => state.api.feeds_content(offset as u64, per_page as u64).await,
        };
        let content = content?;
        let records = content.entries.iter().flat_map(|e| e.items.iter().map(|i| &i.record));
        state.index_thumbnails(records.filter_map(|r| Some((RecordRef::from(r), r.thumbnail.as_ref()?))));
        Ok(FeedPage {
            feed: content.feed.as_ref().map(feed_summary),
            offset: n(content.offset_start),
            per_page: n(content.per_page),
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
