//! `/stories/{d}/{r}/` and its embed (spec §5 Stories).

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::json;

use super::records::{embed_list, load};
use super::{caller, ctx, envelope, id, render, Req};
use crate::state::Shared;

pub async fn story(State(state): State<Shared>, Path((d, r)): Path<(String, String)>, req: Req) -> Response {
    let user = caller!(state, req);
    let (d, r) = (id!(req, &d), id!(req, &r));
    let ctx = ctx(&state, user, &req);
    let record = match load(&state, &ctx, &req, d, r) {
        Ok(rec) => rec,
        Err(res) => return res,
    };
    if !record.is_story() {
        // spec §5/§7.12: a normal record gives an embedded error object, HTTP 200.
        return envelope::ok(&req.head, json!({"story": {"headers": {}}}));
    }
    envelope::ok(&req.head, json!({"story": render::story(&ctx, record)}))
}

pub async fn embed(State(state): State<Shared>, Path((d, r)): Path<(String, String)>, req: Req) -> Response {
    let user = caller!(state, req);
    let (d, r) = (id!(req, &d), id!(req, &r));
    let ctx = ctx(&state, user, &req);
    let record = match load(&state, &ctx, &req, d, r) {
        Ok(rec) => rec,
        Err(res) => return res,
    };
    envelope::ok(&req.head, json!({"embed": embed_list(&ctx, &req, record)}))
}
