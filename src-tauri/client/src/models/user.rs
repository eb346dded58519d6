//! The user and what `/me/` says about their rights (api §5 "Current user", §6 User).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dates::date;
use super::tolerant as t;

/// A Phraseanet user. Empty strings already come as null (api §6).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct User {
    #[serde(deserialize_with = "t::id")]
    pub id: i64,
    #[serde(deserialize_with = "t::opt_string")]
    pub email: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub login: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub first_name: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub last_name: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub display_name: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub gender: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub address: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub zip_code: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub city: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub country: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub phone: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub fax: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub job: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub position: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub company: Option<String>,
    #[serde(deserialize_with = "t::opt_id")]
    pub geoname_id: Option<i64>,
    /// ISO date; `None` for the zero date a never-connected user has (api §7.6).
    #[serde(deserialize_with = "date")]
    pub last_connection: Option<String>,
    #[serde(deserialize_with = "date")]
    pub created_on: Option<String>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub locale: Option<String>,
}

impl User {
    /// The name to show: display name, else first+last, else login, else email.
    pub fn name(&self) -> String {
        if let Some(n) = self.display_name.as_deref().filter(|s| !s.trim().is_empty()) {
            return n.to_string();
        }
        let full = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !full.trim().is_empty() {
            return full;
        }
        self.login.clone().or_else(|| self.email.clone()).unwrap_or_else(|| format!("user {}", self.id))
    }
}

/// `/me/`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Me {
    pub user: User,
    #[serde(deserialize_with = "t::list")]
    pub collections: Vec<CollectionGrant>,
    #[serde(deserialize_with = "t::list")]
    pub databoxes: Vec<DataboxGrant>,
}

/// A collection the user can reach and the rights they hold on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CollectionGrant {
    #[serde(deserialize_with = "t::id")]
    pub databox_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub base_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub collection_id: i64,
    #[serde(deserialize_with = "t::list")]
    pub rights: Vec<String>,
    #[serde(deserialize_with = "t::list")]
    pub statuses: Vec<StatusDefinition>,
}

/// A status bit's labels as `/me/` lists them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StatusDefinition {
    #[serde(deserialize_with = "t::id")]
    pub position: i64,
    pub labels: StatusLabels,
    #[serde(deserialize_with = "t::flag")]
    pub restricted: bool,
    #[serde(deserialize_with = "t::flag")]
    pub restriction_flag: bool,
}

/// Labels per language for the on and off states; either side may be null or `[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StatusLabels {
    #[serde(deserialize_with = "t::labels")]
    pub on: BTreeMap<String, String>,
    #[serde(deserialize_with = "t::labels")]
    pub off: BTreeMap<String, String>,
}

/// A databox the user has rights on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DataboxGrant {
    #[serde(deserialize_with = "t::id")]
    pub databox_id: i64,
    #[serde(deserialize_with = "t::list")]
    pub rights: Vec<String>,
}

/// A sub-definition the user may see (`/me/subdefs/`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SubdefDefinition {
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    #[serde(deserialize_with = "t::id")]
    pub databox_id: i64,
    #[serde(deserialize_with = "t::string")]
    pub class: String,
    #[serde(deserialize_with = "t::opt_string")]
    pub preset: Option<String>,
    #[serde(deserialize_with = "t::flag")]
    pub downloadable: bool,
    #[serde(deserialize_with = "t::list")]
    pub devices: Vec<String>,
    #[serde(deserialize_with = "t::labels")]
    pub labels: BTreeMap<String, String>,
    /// Option name to value; `[]` when none (api §7.7).
    #[serde(deserialize_with = "t::map")]
    #[ts(type = "{ [key in string]: unknown }")]
    pub options: BTreeMap<String, serde_json::Value>,
}

/// `/me/subdefs/`: media group (`image`, `video`…) to subdef name to definition; `[]` when empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SubdefDefinitions {
    #[serde(deserialize_with = "subdef_groups")]
    pub subdefs: BTreeMap<String, BTreeMap<String, SubdefDefinition>>,
}

fn subdef_groups<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, BTreeMap<String, SubdefDefinition>>, D::Error> {
    #[derive(Deserialize)]
    struct Group(#[serde(deserialize_with = "t::map")] BTreeMap<String, SubdefDefinition>);
    let groups: BTreeMap<String, Group> = t::map(d)?;
    Ok(groups.into_iter().map(|(k, g)| (k, g.0)).collect())
}
