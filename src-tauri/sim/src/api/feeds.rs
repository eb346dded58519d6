//! Feeds routes (spec §5 Feeds).

use axum::extract::{Path, State};
use axum::response::Response;

use super::{caller, envelope, Req};
use crate::state::Shared;

pub async fn list(State(state): State<Shared>, req: Req) -> Response {
    let _user = caller!(state, req);
    envelope::fail(&req.head, 503, "not yet")
}
pub async fn aggregated(State(state): State<Shared>, req: Req) -> Response {
    let _user = caller!(state, req);
    envelope::fail(&req.head, 503, "not yet")
}
pub async fn content(State(state): State<Shared>, Path(_raw): Path<String>, req: Req) -> Response {
    let _user = caller!(state, req);
    envelope::fail(&req.head, 503, "not yet")
}
pub async fn entry(State(state): State<Shared>, Path(_raw): Path<String>, req: Req) -> Response {
    let _user = caller!(state, req);
    envelope::fail(&req.head, 503, "not yet")
}
