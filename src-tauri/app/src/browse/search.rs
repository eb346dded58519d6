//! Search (api §5 Search) as the library asks for it: Phraseanet's query syntax passed through as
//! typed, the filters of the search form, records or stories as grid items, the answer's facets and
//! suggestions, and paging that never asks past the result window every server supports.

use phraseanet_client::models::SearchQuery;
use phraseanet_client::{RecordRef, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::grid::{clamp_u32, grid_item, story_item};
use super::models::GridItem;
use crate::Desktop;

/// What the search form asks for. Empty strings count as absent. Also what a saved or recent search
/// keeps (`saved.rs`), so it restores the form as it was.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SearchRequest {
    /// Phraseanet's own syntax (`field:value`, AND/OR/NOT, "phrases"), sent as typed; empty = all.
    pub query: String,
    /// Facet values picked as filters, each ANDed to the typed query.
    pub filters: Vec<SearchFilter>,
    /// Stories instead of records.
    pub stories: bool,
    /// `image`, `video`, `audio`, `document`, `flash`; none = every type.
    pub record_type: Option<String>,
    /// Collections (`bases[]`); none = every collection the user may search.
    pub bases: Vec<i64>,
    /// `Y/m/d` (or `Y-m-d`) bounds, on `date_field` (none = the record's dates).
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    pub date_field: Option<String>,
    /// `relevance` (default), `created_on`, `updated_on` or a field name; `asc` or `desc`.
    pub sort: Option<String>,
    pub ord: Option<String>,
    pub offset: u32,
    /// 1..=200 (50 when 0).
    pub per_page: u32,
}

/// A facet value used as a filter: its label for the chip, its query fragment for the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SearchFilter {
    /// The facet's name ("Type", "Collection"…).
    pub facet: String,
    pub value: String,
    /// The facet value's own `query` (api §7.9), e.g. `type:"video"`.
    pub query: String,
}

/// One page of results, with what narrows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchPage {
    pub query: String,
    pub offset: u32,
    pub per_page: u32,
    /// Total matches (`total_results`; `available_results` is only this page's count, api §7.9).
    pub total: u32,
    /// Offset of the next page; null on the last one, or where the next would pass the result window.
    pub next_offset: Option<u32>,
    /// More results exist than paging can reach (docs/real-servers.md, "Search paging"): refine.
    pub beyond_window: bool,
    /// The server's own figure, in milliseconds (api §7.9).
    pub query_time_ms: u32,
    pub items: Vec<GridItem>,
    pub facets: Vec<FacetView>,
    pub suggestions: Vec<SuggestionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacetView {
    pub name: String,
    pub field: String,
    pub values: Vec<FacetValueView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacetValueView {
    pub value: String,
    pub count: u32,
    /// The query fragment that narrows to this value (added to the typed query with AND).
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SuggestionView {
    pub text: String,
    pub query: String,
    pub hits: u32,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// `2024-05-01` → `2024/05/01`, the form the server reads (api §5 Search).
fn server_date(v: &Option<String>) -> Option<String> {
    given(v).map(|d| d.replace('-', "/"))
}

impl SearchRequest {
    /// The typed query, bracketed, AND every filter's fragment: what the server is sent.
    pub fn combined_query(&self) -> String {
        let typed = self.query.trim();
        let parts = self.filters.iter().map(|f| f.query.trim()).filter(|q| !q.is_empty());
        let mut all: Vec<String> = Vec::new();
        if !typed.is_empty() {
            all.push(if self.filters.is_empty() { typed.to_string() } else { format!("({typed})") });
        }
        all.extend(parts.map(str::to_string));
        all.join(" AND ")
    }

    /// The same search, whatever page it is at: recent searches are kept once per search.
    pub fn first_page(&self) -> SearchRequest {
        SearchRequest { offset: 0, per_page: 0, ..self.clone() }
    }

    /// The person typed or filtered something (browsing a collection is not a search to remember).
    pub fn is_typed(&self) -> bool {
        !self.query.trim().is_empty() || !self.filters.is_empty()
    }

    fn to_query(&self) -> SearchQuery {
        let per_page = if self.per_page == 0 { 50 } else { self.per_page.clamp(1, 200) };
        SearchQuery {
            query: self.combined_query(),
            offset_start: self.offset as u64,
            per_page: per_page as u64,
            stories: self.stories,
            record_type: given(&self.record_type),
            bases: self.bases.clone(),
            sort: given(&self.sort).filter(|s| s != "relevance"),
            ord: given(&self.ord),
            date_min: server_date(&self.date_min),
            date_max: server_date(&self.date_max),
            date_field: given(&self.date_field),
        }
    }
}

impl Desktop {
    /// Records matching `query` (Phraseanet syntax; empty = everything), `per_page` clamped to 1..=200.
    pub async fn search(&self, profile: &str, query: &str, offset: u32, per_page: u32) -> Result<SearchPage> {
        let request = SearchRequest { query: query.to_string(), offset, per_page, ..Default::default() };
        self.search_with(profile, &request).await
    }

    /// One page of the search form's request.
    pub async fn search_with(&self, profile: &str, request: &SearchRequest) -> Result<SearchPage> {
        let state = self.browse_state(profile)?;
        let q = request.to_query();
        let result = state.api.search(&q).await?;
        let next_offset = q.next_page(&result).map(|next| next.offset_start as u32);
        let (records, stories) = (&result.results.records, &result.results.stories);
        state.index_thumbnails(
            records.iter().filter_map(|r| Some((RecordRef::from(r), r.thumbnail.as_ref()?))).chain(
                stories
                    .iter()
                    .filter_map(|s| Some((RecordRef::new(s.databox_id, s.story_id), s.thumbnail.as_ref()?))),
            ),
        );
        let mut items: Vec<GridItem> = records.iter().map(|r| grid_item(r, None)).collect();
        items.extend(stories.iter().map(story_item));
        let total = clamp_u32(result.total_results);
        let reached = q.offset_start + items.len() as u64;
        let beyond_window = next_offset.is_none() && (reached as i64) < result.total_results;
        let facets = result
            .facets
            .iter()
            .filter(|f| !f.values.is_empty())
            .map(|f| FacetView {
                name: if f.name.trim().is_empty() { f.field.clone() } else { f.name.clone() },
                field: f.field.clone(),
                values: f
                    .values
                    .iter()
                    .map(|v| FacetValueView {
                        value: v.value.clone(),
                        count: clamp_u32(v.count),
                        query: v.query.clone(),
                    })
                    .collect(),
            })
            .collect();
        let suggestions = result
            .suggestions
            .iter()
            .map(|s| SuggestionView {
                text: s.suggestion.clone(),
                query: s.query.clone(),
                hits: clamp_u32(s.hits),
            })
            .collect();
        Ok(SearchPage {
            query: request.query.clone(),
            offset: request.offset,
            per_page: q.per_page as u32,
            total,
            next_offset,
            beyond_window,
            query_time_ms: clamp_u32(result.query_time),
            items,
            facets,
            suggestions,
        })
    }
}
