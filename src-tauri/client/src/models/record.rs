//! Records and their media (api §6 Record, Subdef, Permalink, MetadataValue).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dates::date;
use super::tolerant as t;

/// A record. Stories served through record routes have null `mime_type`, `original_name` and `sha256` and
/// `phrasea_type` "unknown" (api §7.8). Search results use the same shape in another key order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Record {
    #[serde(deserialize_with = "t::id")]
    pub databox_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub record_id: i64,
    /// Absent on servers older than 4.1.8.
    #[serde(deserialize_with = "t::opt_string")]
    pub resource_id: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub mime_type: Option<String>,
    #[serde(deserialize_with = "t::string")]
    pub title: String,
    #[serde(deserialize_with = "t::opt_string")]
    pub original_name: Option<String>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
    #[serde(deserialize_with = "date")]
    pub created_on: Option<String>,
    #[serde(deserialize_with = "t::id")]
    pub collection_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub base_id: i64,
    #[serde(deserialize_with = "t::opt_string")]
    pub sha256: Option<String>,
    /// Null when the thumbnail is absent or not viewable (api §7.8).
    #[serde(deserialize_with = "t::opt_object")]
    pub thumbnail: Option<Subdef>,
    #[serde(deserialize_with = "t::list")]
    pub technical_informations: Vec<TechnicalInfo>,
    #[serde(deserialize_with = "t::string")]
    pub phrasea_type: String,
    #[serde(deserialize_with = "t::opt_string")]
    pub uuid: Option<String>,
    /// Extended records only (api §4 "Extended records").
    #[serde(deserialize_with = "t::list")]
    pub subdefs: Vec<Subdef>,
    #[serde(deserialize_with = "t::list")]
    pub metadata: Vec<MetadataValue>,
    #[serde(deserialize_with = "t::list")]
    pub status: Vec<StatusBit>,
    #[serde(deserialize_with = "t::list")]
    pub caption: Vec<CaptionField>,
}

impl Record {
    /// True for a story seen through a record route (api §7.8): no file of its own.
    pub fn looks_like_story(&self) -> bool {
        self.mime_type.is_none() && self.sha256.is_none() && self.phrasea_type == "unknown"
    }
}

/// `{name, value}` where value is an int, a float or a string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct TechnicalInfo {
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    #[ts(type = "number | string | boolean | null")]
    pub value: serde_json::Value,
}

/// A sub-definition (thumbnail, preview, document…) as embed and records list them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Subdef {
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    /// Null when no permalink was generated (api §7.8).
    #[serde(deserialize_with = "t::opt_object")]
    pub permalink: Option<Permalink>,
    #[serde(deserialize_with = "t::id")]
    pub height: i64,
    #[serde(deserialize_with = "t::id")]
    pub width: i64,
    #[serde(deserialize_with = "t::id")]
    pub filesize: i64,
    #[serde(deserialize_with = "t::list")]
    pub devices: Vec<String>,
    #[serde(deserialize_with = "t::string")]
    pub player_type: String,
    #[serde(deserialize_with = "t::opt_string")]
    pub mime_type: Option<String>,
    #[serde(deserialize_with = "t::flag")]
    pub substituted: bool,
    #[serde(deserialize_with = "date")]
    pub created_on: Option<String>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
    /// Signed `/medias/<JWT>` URL, valid `url_ttl` seconds.
    #[serde(deserialize_with = "t::opt_string")]
    pub url: Option<String>,
    /// Seconds; -1 = no expiry; may be null in search answers (api §6).
    #[serde(deserialize_with = "t::opt_id")]
    pub url_ttl: Option<i64>,
}

impl Subdef {
    /// Where to fetch the bytes: the signed url, else the permalink's file url.
    pub fn fetch_url(&self) -> Option<&str> {
        self.url
            .as_deref()
            .filter(|u| !u.is_empty())
            .or_else(|| self.permalink.as_ref().map(|p| p.url.as_str()).filter(|u| !u.is_empty()))
    }
}

/// A public link to a sub-definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Permalink {
    #[serde(deserialize_with = "t::id")]
    pub id: i64,
    #[serde(deserialize_with = "t::flag")]
    pub is_activated: bool,
    #[serde(deserialize_with = "t::string")]
    pub label: String,
    #[serde(deserialize_with = "date")]
    pub created_on: Option<String>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
    #[serde(deserialize_with = "t::string")]
    pub page_url: String,
    #[serde(deserialize_with = "t::string")]
    pub download_url: String,
    #[serde(deserialize_with = "t::string")]
    pub url: String,
}

/// One caption field (`/caption/`): multi-valued fields joined with `;`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CaptionField {
    #[serde(deserialize_with = "t::id")]
    pub meta_structure_id: i64,
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    #[serde(deserialize_with = "t::opt_string")]
    pub value: Option<String>,
}

/// One metadata value (`/metadatas/`): multi-valued fields repeat.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MetadataValue {
    #[serde(deserialize_with = "t::id")]
    pub meta_structure_id: i64,
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    #[serde(deserialize_with = "t::labels")]
    pub labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "t::id")]
    pub meta_id: i64,
    #[serde(deserialize_with = "t::string")]
    pub value: String,
}

/// One status bit (`/status/`), bits 4..31.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StatusBit {
    #[serde(deserialize_with = "t::id")]
    pub bit: i64,
    #[serde(deserialize_with = "t::flag")]
    pub state: bool,
}
