//! `/databoxes/list/`, `/databoxes/{id}/collections/`, `/collections/{base_id}/` (api §5).

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::{caller, envelope, id, Req};
use crate::model::Collection;
use crate::state::{Shared, State as SimState};

fn render_collection(state: &SimState, c: &Collection) -> Value {
    let amount = state.data.records.iter().filter(|r| r.base_id == c.base_id && !r.is_story()).count();
    json!({
        "base_id": c.base_id,
        "databox_id": c.databox_id,
        "collection_id": c.coll_id,
        "name": c.name,
        "labels": {"fr": c.labels[1], "en": c.labels[0], "de": c.labels[2], "nl": c.labels[3]},
        "record_amount": amount,
        "order_managers": c.order_managers,
    })
}

/// All mounted databoxes, as an object keyed by id (api §7.5). 3.8: an array of the accessible ones
/// (docs/real-servers.md, "3.8 shapes", P@3.8.8 `adapter.php:2170-2181`).
pub async fn list(State(state): State<Shared>, req: Req) -> Response {
    let user = caller!(state, req);
    let old = state.config.profile.shapes_38();
    let accessible = |id: i64| {
        user.databox_grants.contains(&id)
            || user.grants.iter().any(|(b, _)| state.data.collection(*b).is_some_and(|c| c.databox_id == id))
    };
    let version = state.config.profile.version();
    let entries: Vec<(String, Value)> = state
        .data
        .databoxes
        .iter()
        .filter(|d| !old || accessible(d.id))
        .map(|d| {
            let v = json!({
                "databox_id": d.id,
                "name": d.name,
                "viewname": d.viewname,
                "labels": {"en": d.labels[0], "de": d.labels[2], "fr": d.labels[1], "nl": d.labels[3]},
                "version": version,
            });
            (d.id.to_string(), v)
        })
        .collect();
    if old {
        let list: Vec<Value> = entries.into_iter().map(|(_, v)| v).collect();
        return envelope::ok(&req.head, json!({"databoxes": list}));
    }
    let map: Map<String, Value> = entries.into_iter().collect();
    let databoxes = if map.is_empty() { json!([]) } else { Value::Object(map) };
    envelope::ok(&req.head, json!({"databoxes": databoxes}))
}

/// Active collections keyed by collection id; `[]` when none (api §7.5).
pub async fn collections(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    let user = caller!(state, req);
    let id = id!(req, &raw);
    if state.data.databox(id).is_none() {
        return envelope::fail(&req.head, 404, format!("Databox `{id}` not found"));
    }
    let has_access = user.databox_grants.contains(&id)
        || user.grants.iter().any(|(b, _)| state.data.collection(*b).is_some_and(|c| c.databox_id == id));
    if !has_access {
        return envelope::not_authorized(&req.head);
    }
    let map: Map<String, Value> = state
        .data
        .collections
        .iter()
        .filter(|c| c.databox_id == id)
        .map(|c| (c.coll_id.to_string(), render_collection(&state, c)))
        .collect();
    let collections = if map.is_empty() { json!([]) } else { Value::Object(map) };
    envelope::ok(&req.head, json!({"collections": collections}))
}

pub async fn collection_route(state: &SimState, req: &Req, base_id: i64) -> Response {
    match state.data.collection(base_id) {
        None => envelope::fail(&req.head, 404, format!("Collection {base_id} not found")),
        Some(c) => envelope::ok(&req.head, json!({"collection": render_collection(state, c)})),
    }
}

pub async fn collection(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    let user = caller!(state, req);
    let id = id!(req, &raw);
    if state.data.collection(id).is_some() && !user.can_access_base(id) {
        return envelope::not_authorized(&req.head);
    }
    collection_route(&state, &req, id).await
}
