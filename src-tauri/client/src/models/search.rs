//! `/search/` answers (api §5 "Search"): records and stories, paged by a 0-based `offset_start`.

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

use super::record::Record;
use super::story::Story;
use super::tolerant as t;

/// What to look for. `per_page` defaults to 10 on the server and has no upper clamp: keep it sane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SearchQuery {
    pub query: String,
    /// 0-based record offset, not a page number (api §7.9).
    pub offset_start: u64,
    pub per_page: u64,
    /// Search stories instead of records (`search_type=1`).
    pub stories: bool,
    /// `image`, `video`, `audio`, `document`, `flash`, `unknown`; none = all.
    pub record_type: Option<String>,
    /// Restrict to these base ids.
    pub bases: Vec<i64>,
    pub sort: Option<String>,
    pub ord: Option<String>,
    /// `Y/m/d` bounds of a date range (api §5 Search), on `date_field` (field names separated by `|`;
    /// none = the server's default, the record's dates).
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    pub date_field: Option<String>,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            query: String::new(),
            offset_start: 0,
            per_page: 50,
            stories: false,
            record_type: None,
            bases: Vec::new(),
            sort: None,
            ord: None,
            date_min: None,
            date_max: None,
            date_field: None,
        }
    }
}

impl SearchQuery {
    pub fn new(query: impl Into<String>) -> Self {
        SearchQuery { query: query.into(), ..Default::default() }
    }

    /// The next page's query, or `None` when `result` was the last page or the next one would end past
    /// the search window every server supports (`api::SEARCH_WINDOW`).
    pub fn next_page(&self, result: &SearchResult) -> Option<SearchQuery> {
        let next = result.offset_start.max(0) as u64 + self.per_page.max(1);
        (next < result.total_results.max(0) as u64
            && next + self.per_page.max(1) <= crate::api::SEARCH_WINDOW)
            .then(|| SearchQuery { offset_start: next, ..self.clone() })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SearchResult {
    #[serde(deserialize_with = "t::id")]
    pub offset_start: i64,
    #[serde(deserialize_with = "t::id")]
    pub per_page: i64,
    /// Hits in this page, not in total (api §7.9).
    #[serde(deserialize_with = "t::id")]
    pub available_results: i64,
    #[serde(deserialize_with = "t::id")]
    pub total_results: i64,
    #[serde(deserialize_with = "t::string")]
    pub error: String,
    #[serde(deserialize_with = "t::string")]
    pub warning: String,
    /// Milliseconds (Elasticsearch `took`), although the docs say seconds (api §7.9).
    #[serde(deserialize_with = "t::id")]
    pub query_time: i64,
    #[serde(deserialize_with = "t::string")]
    pub search_indexes: String,
    #[serde(deserialize_with = "t::list")]
    pub suggestions: Vec<Suggestion>,
    #[serde(deserialize_with = "t::list")]
    pub facets: Vec<Facet>,
    #[serde(deserialize_with = "t::string")]
    pub query: String,
    #[serde(deserialize_with = "results")]
    pub results: SearchResults,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SearchResults {
    #[serde(deserialize_with = "t::list")]
    pub records: Vec<Record>,
    #[serde(deserialize_with = "t::list")]
    pub stories: Vec<Story>,
}

/// `/search/` gives `{records, stories}`, the deprecated `/records/search/` a flat record list.
fn results<'de, D: Deserializer<'de>>(d: D) -> Result<SearchResults, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        Split(SearchResults),
        Flat(#[serde(deserialize_with = "t::list")] Vec<Record>),
    }
    Ok(match Option::<Shape>::deserialize(d)? {
        Some(Shape::Split(s)) => s,
        Some(Shape::Flat(records)) => SearchResults { records, stories: Vec::new() },
        None => SearchResults::default(),
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Suggestion {
    #[serde(deserialize_with = "t::string")]
    pub suggestion: String,
    #[serde(deserialize_with = "t::string")]
    pub query: String,
    #[serde(deserialize_with = "t::id")]
    pub hits: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Facet {
    #[serde(deserialize_with = "t::string")]
    pub name: String,
    #[serde(deserialize_with = "t::string")]
    pub field: String,
    #[serde(deserialize_with = "t::list")]
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FacetValue {
    #[serde(deserialize_with = "t::string")]
    pub value: String,
    #[serde(deserialize_with = "t::string")]
    pub raw_value: String,
    #[serde(deserialize_with = "t::id")]
    pub count: i64,
    #[serde(deserialize_with = "t::string")]
    pub query: String,
}
