//! `/stories/{d}/{r}/` and its embed (api §5 Stories).

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::json;

use super::records::{load, record_route};
use super::{caller, ctx, envelope, id, render, Req};
use crate::state::Shared;

// api §5/§7.12: a normal record gives an embedded error object, HTTP 200.
record_route!(
    story,
    |ctx, state, req, rec| if rec.is_story() {
        json!({"story": render::story(&ctx, rec)})
    } else {
        json!({"story": {"headers": {}}})
    },
    |rec| render::visible_children(&ctx, rec).len()
);

/// A story's embed goes through the same access check and `devices[]`/`mimes[]` filters as a record's.
pub use super::records::embed;
