//! Baskets, including vote ("validation", "feedback") baskets (api §6 Basket, BasketElement).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dates::date;
use super::record::Record;
use super::tolerant as t;
use super::user::User;

/// A basket. The vote keys are present for vote baskets only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Basket {
    #[serde(deserialize_with = "t::id")]
    pub basket_id: i64,
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    /// Never null on the server, `""` when empty.
    #[serde(deserialize_with = "t::string")]
    pub description: String,
    #[serde(deserialize_with = "t::opt_object")]
    pub owner: Option<User>,
    #[serde(deserialize_with = "date")]
    pub created_on: Option<String>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
    #[serde(deserialize_with = "t::opt_id")]
    pub pusher_usr_id: Option<i64>,
    #[serde(deserialize_with = "t::opt_object")]
    pub pusher: Option<User>,
    #[serde(deserialize_with = "t::flag")]
    pub unread: bool,
    /// True for a vote basket.
    #[serde(deserialize_with = "t::flag")]
    pub validation_basket: bool,
    #[serde(deserialize_with = "t::list")]
    pub validation_users: Vec<Participant>,
    /// The docs' `validation_end_date` is outdated: the code emits `expires_on` (api §6).
    #[serde(deserialize_with = "date")]
    pub expires_on: Option<String>,
    #[serde(deserialize_with = "t::opt_string")]
    pub validation_infos: Option<String>,
    #[serde(deserialize_with = "t::flag")]
    pub validation_confirmed: bool,
    #[serde(deserialize_with = "t::flag")]
    pub validation_initiator: bool,
    #[serde(deserialize_with = "t::opt_object")]
    pub validation_initiator_user: Option<User>,
}

/// A participant of a vote basket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Participant {
    #[serde(deserialize_with = "t::id")]
    pub usr_id: i64,
    #[serde(deserialize_with = "t::string")]
    pub usr_name: String,
    #[serde(deserialize_with = "t::flag")]
    pub confirmed: bool,
    #[serde(deserialize_with = "t::flag")]
    pub can_agree: bool,
    #[serde(deserialize_with = "t::flag")]
    pub can_see_others: bool,
    #[serde(deserialize_with = "t::flag")]
    pub readonly: bool,
    #[serde(deserialize_with = "t::opt_object")]
    pub user: Option<User>,
}

/// One element of a basket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct BasketElement {
    #[serde(deserialize_with = "t::id")]
    pub basket_element_id: i64,
    #[serde(deserialize_with = "t::id")]
    pub order: i64,
    pub record: Record,
    #[serde(deserialize_with = "t::flag")]
    pub validation_item: bool,
    /// Absent (not `[]`) on the wire when nobody voted yet (api §7.14): empty here.
    #[serde(deserialize_with = "t::list")]
    pub validation_choices: Vec<ValidationChoice>,
    /// The caller's own vote: yes, no or not yet.
    #[serde(deserialize_with = "t::opt_flag")]
    pub agreement: Option<bool>,
    #[serde(deserialize_with = "t::opt_string")]
    pub note: Option<String>,
}

/// One participant's vote on an element.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ValidationChoice {
    pub validation_user: Participant,
    #[serde(deserialize_with = "t::opt_flag")]
    pub agreement: Option<bool>,
    #[serde(deserialize_with = "date")]
    pub updated_on: Option<String>,
    #[serde(deserialize_with = "t::string")]
    pub note: String,
}

/// `/baskets/{id}/content/`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct BasketContent {
    pub basket: Basket,
    #[serde(deserialize_with = "t::list")]
    pub basket_elements: Vec<BasketElement>,
}
