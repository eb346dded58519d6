//! Databoxes and collections (api §6). Both lists come as objects keyed by id, `[]` when empty (§7.5).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::tolerant as t;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Databox {
    #[serde(deserialize_with = "t::id")]
    pub databox_id: i64,
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    #[serde(deserialize_with = "t::string")]
    pub viewname: String,
    #[serde(deserialize_with = "t::labels")]
    pub labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Collection {
    #[serde(deserialize_with = "t::id")]
    pub base_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub databox_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub collection_id: i64,
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    #[serde(deserialize_with = "t::labels")]
    pub labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "t::id")]
    pub record_amount: i64,
    #[serde(deserialize_with = "t::list")]
    pub order_managers: Vec<String>,
}
