//! Browsing baskets, records, stories and media for the desktop UI, free of Tauri.
//!
//! * `baskets.rs`: the basket list and an opened basket (`BasketView`, grid items).
//! * `records.rs`: the record panel and stories.
//! * `media.rs`: the webview's media scheme (`thumb/…`, `sub/…`) with HTTP ranges.
//! * `library.rs`: search and feeds as grid items.
//! * `downloads.rs`: background downloads with progress events, cancel and retry.
//! * `state.rs`: what is remembered per signed-in profile (media pipeline, `/me/`, media index).

mod baskets;
mod downloads;
mod endpoint;
mod grid;
mod library;
mod media;
mod models;
mod records;
mod state;

pub use baskets::lightbox_url;
pub(crate) use downloads::Downloads;
pub use downloads::{DownloadEvent, DownloadEventKind, DownloadId, DownloadItem, DownloadState};
pub use endpoint::MediaEndpoint;
pub use library::{FeedEntryView, FeedPage, FeedSummary, SearchPage};
pub use media::{error_status, MediaClient, MediaResponse, FULL_BODY_MAX, MEDIA_CHUNK};
pub use models::*;
pub(crate) use state::{Browse, BrowseSession};
