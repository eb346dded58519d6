//! Stories (api §6 Story and SearchStory).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dates::date;
use super::record::{Record, Subdef};
use super::tolerant as t;

/// A story: a record that groups other records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Story {
    #[serde(deserialize_with = "t::id")]
    pub databox_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub story_id: i64,
    #[serde(deserialize_with = "t::opt_string")]
    pub resource_id: Option<String>,
    #[serde(deserialize_with = "t::opt_id")]
    pub cover_record_id: Option<i64>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
    /// In search answers this holds the update date (server bug, api §7.12).
    #[serde(deserialize_with = "date")]
    pub created_on: Option<String>,
    #[serde(deserialize_with = "t::id")]
    pub collection_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub base_id: i64,
    #[serde(deserialize_with = "t::opt_object")]
    pub thumbnail: Option<Subdef>,
    #[serde(deserialize_with = "t::opt_string")]
    pub uuid: Option<String>,
    /// Search answers only.
    #[serde(deserialize_with = "t::opt_id")]
    pub record_count: Option<i64>,
    /// Dublin Core fields (`dc:title`…); null values are dropped. All null in search answers (api §7.12).
    #[serde(deserialize_with = "dc_fields")]
    pub metadatas: BTreeMap<String, String>,
    #[serde(deserialize_with = "t::list")]
    pub records: Vec<Record>,
}

impl Story {
    pub fn title(&self) -> Option<&str> {
        self.metadatas.get("dc:title").map(String::as_str)
    }
}

fn dc_fields<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let mut m = t::labels(d)?;
    m.remove("@entity@");
    Ok(m)
}
