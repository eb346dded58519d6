//! Typed, tolerant models of every object the API returns (api §6). Unknown fields are ignored, missing
//! ones take defaults, and each PHP quirk of api §7 is absorbed by `tolerant` and `dates`.

pub mod basket;
pub mod databox;
pub mod dates;
pub mod feed;
pub mod record;
pub mod search;
pub mod story;
pub(crate) mod tolerant;
pub mod user;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use basket::{Basket, BasketContent, BasketElement, Participant, ValidationChoice};
pub use databox::{Collection, Databox};
pub use feed::{Feed, FeedContent, FeedEntry, FeedItem};
pub use record::{CaptionField, MetadataValue, Permalink, Record, StatusBit, Subdef, TechnicalInfo};
pub use search::{Facet, FacetValue, SearchQuery, SearchResult, SearchResults, Suggestion};
pub use story::Story;
pub use user::{
    CollectionGrant, DataboxGrant, Me, StatusDefinition, StatusLabels, SubdefDefinition, SubdefDefinitions,
    User,
};

use tolerant as t;

/// `/records/{d}/{r}/related/`: the caller's baskets holding the record, and the stories containing it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Related {
    #[serde(deserialize_with = "t::list")]
    pub baskets: Vec<Basket>,
    #[serde(deserialize_with = "t::list")]
    pub stories: Vec<Story>,
}

// Wrappers of the `response` objects; the API returns what they hold.

/// `/api/v2/baskets/{id}/records/`: Doctrine entities that encode as `{}` (docs/real-servers.md,
/// "Basket editing"): only their number says something.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct ElementsResponse {
    #[serde(deserialize_with = "t::list")]
    pub elements: Vec<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct BasketsResponse {
    #[serde(deserialize_with = "t::list")]
    pub baskets: Vec<Basket>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct BasketResponse {
    pub basket: Basket,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct RecordResponse {
    pub record: Record,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct EmbedResponse {
    #[serde(deserialize_with = "t::list")]
    pub embed: Vec<Subdef>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct CaptionResponse {
    #[serde(deserialize_with = "t::list")]
    pub caption_metadatas: Vec<CaptionField>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct MetadatasResponse {
    #[serde(deserialize_with = "t::list")]
    pub record_metadatas: Vec<MetadataValue>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct StatusResponse {
    #[serde(deserialize_with = "t::list")]
    pub status: Vec<StatusBit>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct StoryResponse {
    /// `{"headers":{}}` when the id is not a story (api §7.12): `story_id` stays 0.
    pub story: Story,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct DataboxesResponse {
    #[serde(deserialize_with = "t::map")]
    pub databoxes: BTreeMap<String, Databox>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct CollectionsResponse {
    #[serde(deserialize_with = "t::map")]
    pub collections: BTreeMap<String, Collection>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct FeedsResponse {
    #[serde(deserialize_with = "t::list")]
    pub feeds: Vec<Feed>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(crate) struct EntryResponse {
    pub entry: FeedEntry,
}
