//! `/search/` and `/records/search/` (spec §5 Search).

use axum::extract::State;
use axum::response::Response;

use super::{caller, envelope, Req};
use crate::state::Shared;

pub async fn search(State(state): State<Shared>, req: Req) -> Response {
    let _user = caller!(state, req);
    envelope::fail(&req.head, 503, "not yet")
}

pub async fn records_search(State(state): State<Shared>, req: Req) -> Response {
    let _user = caller!(state, req);
    envelope::fail(&req.head, 503, "not yet")
}
