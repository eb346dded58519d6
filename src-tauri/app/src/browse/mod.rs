//! Browsing baskets, records, stories and media for the desktop UI, free of Tauri.
//!
//! * `baskets.rs`: the basket list and an opened basket (`BasketView`, grid items).
//! * `curate.rs`: creating, renaming, describing and deleting baskets; adding and removing records.
//! * `records.rs`: the record panel and stories.
//! * `media.rs`: the webview's media scheme (`thumb/…`, `sub/…`) with HTTP ranges.
//! * `search.rs`: the search form's request, its results as grid items, facets and suggestions.
//! * `saved.rs`: saved and recent searches per profile.
//! * `continuity.rs`: where each profile left off (reopened after sign-in, relaunch, switch).
//! * `library.rs`: feeds as grid items, collections.
//! * `downloads.rs`: background downloads with progress events, cancel and retry.
//! * `dragout.rs`: drag out to the file manager (the files fetched first into a private folder).
//! * `keep.rs`: "Keep offline": a basket's media fetched and pinned in the cache.
//! * `views.rs`: what was seen, kept on disk to show at once (and offline).
//! * `web.rs`: "Open in Phraseanet" (the server's own page of a basket or record).
//! * `state.rs`: what is remembered per signed-in profile (media pipeline, `/me/`, media index).

mod baskets;
mod continuity;
mod curate;
mod downloads;
mod dragout;
mod endpoint;
mod grid;
mod keep;
mod library;
mod media;
mod memory;
mod models;
mod records;
mod saved;
mod search;
mod state;
mod views;
mod web;

pub use baskets::lightbox_url;
pub(crate) use continuity::forget as forget_last_view;
pub use continuity::{LastView, Place};
pub use curate::{BasketChange, CurationSupport, BASKET_NAME_MAX};
pub(crate) use downloads::Downloads;
pub use downloads::{
    DownloadEvent, DownloadEventKind, DownloadId, DownloadItem, DownloadKind, DownloadState,
};
pub use dragout::{uri_safe_name, DragProgress, DRAG_MAX};
pub use endpoint::MediaEndpoint;
pub(crate) use keep::Keeping;
pub use keep::{KeepProgress, KeptBasket};
pub use library::{CollectionView, DataboxView, FeedEntryView, FeedPage, FeedSummary};
pub use media::{error_status, MediaClient, MediaResponse, FULL_BODY_MAX, MEDIA_CHUNK};
pub use models::*;
pub(crate) use saved::forget as forget_searches;
pub use saved::{SavedSearch, SearchLists, RECENT_MAX};
pub use search::{FacetValueView, FacetView, SearchFilter, SearchPage, SearchRequest, SuggestionView};
pub(crate) use state::{Browse, BrowseSession};
pub use views::{Cached, CachedStart};
pub use web::WebTarget;
