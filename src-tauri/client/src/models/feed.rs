//! Feeds ("publications"), entries and items (api §6 Feed, Entry).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dates::date;
use super::record::Record;
use super::tolerant as t;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Feed {
    #[serde(deserialize_with = "t::id")]
    pub id: i64,
    #[serde(deserialize_with = "t::string")]
    pub title: String,
    #[serde(deserialize_with = "t::opt_string")]
    pub subtitle: Option<String>,
    #[serde(deserialize_with = "t::id")]
    pub total_entries: i64,
    /// Whether the feed has an icon (a bool, not a URL).
    #[serde(deserialize_with = "t::flag")]
    pub icon: bool,
    #[serde(deserialize_with = "t::flag")]
    pub public: bool,
    #[serde(deserialize_with = "t::flag")]
    pub readonly: bool,
    #[serde(deserialize_with = "t::flag")]
    pub deletable: bool,
    #[serde(deserialize_with = "date")]
    pub created_on: Option<String>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FeedEntry {
    #[serde(deserialize_with = "t::id")]
    pub id: i64,
    #[serde(deserialize_with = "t::opt_string")]
    pub author_email: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub author_name: Option<String>,
    #[serde(deserialize_with = "date")]
    pub created_on: Option<String>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
    #[serde(deserialize_with = "t::string")]
    pub title: String,
    #[serde(deserialize_with = "t::opt_string")]
    pub subtitle: Option<String>,
    #[serde(deserialize_with = "t::list")]
    pub items: Vec<FeedItem>,
    #[serde(deserialize_with = "t::id")]
    pub feed_id: i64,
    #[serde(deserialize_with = "t::opt_string")]
    pub feed_title: Option<String>,
    /// Relative to the API root.
    #[serde(deserialize_with = "t::opt_string")]
    pub feed_url: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FeedItem {
    #[serde(deserialize_with = "t::id")]
    pub item_id: i64,
    pub record: Record,
}

/// `/feeds/{id}/content/` and `/feeds/content/`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FeedContent {
    /// Absent in the aggregated `/feeds/content/`, and when the feed is not accessible (then the whole
    /// response is `{}`, api §5 "Feeds").
    #[serde(deserialize_with = "t::opt_object")]
    pub feed: Option<Feed>,
    #[serde(deserialize_with = "t::opt_id")]
    pub total_entries: Option<i64>,
    #[serde(deserialize_with = "t::id")]
    pub offset_start: i64,
    #[serde(deserialize_with = "t::id")]
    pub per_page: i64,
    /// A list, or an object keyed by index when `offset_start > 0` (api §7.11): always a list here.
    #[serde(deserialize_with = "t::list")]
    pub entries: Vec<FeedEntry>,
}
