//! `/api/v2/baskets/{basket}/records/` (POST adds, DELETE removes) and `…/records/reorder` (PUT), as
//! Phraseanet 4.0+ implements them (P@4.1.22 `Controller/Api/BasketController.php`,
//! `ControllerProvider/Api/V2.php`; docs/real-servers.md, "Basket editing"):
//!
//! * the basket middleware asks *access* (owner or participant, `BasketACL::hasAccess`), not ownership;
//! * the body is JSON `{"data":[{"databox_id":int,"record_id":int}]}` (`lib/conf.d/json_schema/records.json`):
//!   undecodable → 422 `Json request cannot be decoded`, off-schema → 400 with the validator's message;
//! * unknown databoxes and records, records the user cannot see and records already in the basket are
//!   skipped silently; a story adds its children the user can see; the request order is kept;
//! * the answer is `{"elements":[…]}`, Doctrine entities that `json_encode` as `{}`;
//! * `reorderRecordsAction` is empty: Silex answers 500.

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Value};

use super::baskets::is_participant;
use super::{envelope, id, Req};
use crate::model::{Element, User};
use crate::state::{BasketStore, Shared, State as SimState};

/// The body's `data` as (databox_id, record_id) pairs, or the error answer.
fn requested(req: &Req) -> Result<Vec<(i64, i64)>, Response> {
    // `decodeJsonBody` falls back to a `body` parameter (multipart uploads).
    let raw: &[u8] = if req.body.is_empty() { req.get("body").unwrap_or("").as_bytes() } else { &req.body };
    let Ok(value) = serde_json::from_slice::<Value>(raw) else {
        return Err(envelope::fail(&req.head, 422, "Json request cannot be decoded"));
    };
    let invalid = |msg: String| Err(envelope::fail(&req.head, 400, msg));
    let Some(obj) = value.as_object() else {
        return invalid(format!("[] {} value found, but an object is required", kind(&value)));
    };
    let Some(data) = obj.get("data") else {
        return invalid("[data] The property data is required".into());
    };
    let Some(items) = data.as_array() else {
        return invalid(format!("[data] {} value found, but an array is required", kind(data)));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(item) = item.as_object() else {
            return invalid(format!("[data[{i}]] {} value found, but an object is required", kind(item)));
        };
        let mut pair = [0i64; 2];
        for (slot, key) in pair.iter_mut().zip(["databox_id", "record_id"]) {
            match item.get(key) {
                None => return invalid(format!("[data[{i}].{key}] The property {key} is required")),
                Some(v) => match v.as_i64() {
                    Some(n) => *slot = n,
                    None => {
                        return invalid(format!(
                            "[data[{i}].{key}] {} value found, but an integer is required",
                            kind(v)
                        ))
                    }
                },
            }
        }
        out.push((pair[0], pair[1]));
    }
    Ok(out)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Bool(_) => "Boolean",
        Value::Number(n) if n.is_i64() => "Integer",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

/// Authenticates, finds the basket and checks access; then runs `edit` on it under the store's lock.
fn with_basket(
    state: &SimState,
    req: &Req,
    raw: &str,
    edit: impl FnOnce(&mut BasketStore, usize, &User) -> Result<Value, Response>,
) -> Response {
    let user = match super::auth::authenticate(state, req) {
        Ok(u) => u,
        Err(res) => return res,
    };
    let id = id!(req, raw);
    let mut store = state.baskets.write().unwrap();
    let Some(i) = store.baskets.iter().position(|b| b.id == id) else {
        return envelope::fail(&req.head, 404, format!("Basket {id} not found."));
    };
    let basket = &store.baskets[i];
    if basket.owner != user.id && !is_participant(basket, user) {
        return envelope::fail(&req.head, 403, "Current user does not have access to the basket");
    }
    match edit(&mut store, i, user) {
        Ok(body) => envelope::ok(&req.head, body),
        Err(res) => res,
    }
}

pub async fn add_records(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    with_basket(&state, &req, &raw, |store, i, user| {
        let wanted = requested(&req)?;
        let next_id = store.next_element_id;
        let basket = &mut store.baskets[i];
        let data = &state.data;
        let mut added = Vec::new();
        for (d, r) in wanted {
            let Some(record) = data.databox(d).and_then(|_| data.record(d, r)) else { continue };
            if !user.can_access_base(record.base_id) {
                continue;
            }
            let records: Vec<(i64, i64)> = if record.is_story() {
                record
                    .children
                    .iter()
                    .filter_map(|c| data.record(d, *c))
                    .filter(|c| user.can_access_base(c.base_id))
                    .map(|c| c.key())
                    .collect()
            } else {
                vec![record.key()]
            };
            for key in records {
                if basket.elements.iter().any(|e| e.record == key) || added.contains(&key) {
                    continue;
                }
                added.push(key);
            }
        }
        let order = basket.elements.iter().map(|e| e.order).max().unwrap_or(0);
        for (i, key) in added.iter().enumerate() {
            basket.elements.push(Element {
                id: next_id + i as i64,
                record: *key,
                order: order + 1 + i as i64,
                votes: Vec::new(),
            });
        }
        if !added.is_empty() {
            basket.updated_on = crate::dates::now();
        }
        store.next_element_id += added.len() as i64;
        Ok(json!({"elements": vec![json!({}); added.len()]}))
    })
}

pub async fn remove_records(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    with_basket(&state, &req, &raw, |store, i, _| {
        let wanted = requested(&req)?;
        let basket = &mut store.baskets[i];
        let before = basket.elements.len();
        basket.elements.retain(|e| !wanted.contains(&e.record));
        let removed = before - basket.elements.len();
        if removed > 0 {
            basket.updated_on = crate::dates::now();
        }
        Ok(json!({"elements": vec![json!({}); removed]}))
    })
}

pub async fn reorder_records(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    with_basket(&state, &req, &raw, |_, _, _| {
        Err(envelope::fail(&req.head, 500, "The controller must return a response (null given)."))
    })
}
