//! `/baskets/list|add|{id}/content|setname|setdescription|delete` (api §5 Baskets).

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Value};

use super::render::{self, Ctx};
use super::{caller, ctx, envelope, id, Req};
use crate::model::{Basket, User};
use crate::state::Shared;

pub(super) fn is_participant(b: &Basket, user: &User) -> bool {
    b.vote.as_ref().is_some_and(|v| v.participants.iter().any(|p| p.user == user.id))
        || b.shared_with.contains(&user.id)
}

/// Own baskets in store order, then baskets shared with the user (vote baskets not expired) (api §5).
fn visible<'a>(baskets: &'a [Basket], user: &User) -> Vec<&'a Basket> {
    let now = crate::dates::now();
    let own = baskets.iter().filter(|b| b.owner == user.id);
    let shared = baskets.iter().filter(|b| {
        b.owner != user.id
            && is_participant(b, user)
            && b.vote.as_ref().and_then(|v| v.expires_on).is_none_or(|t| t > now)
    });
    own.chain(shared).collect()
}

fn list_body(ctx: &Ctx, baskets: &[Basket]) -> Value {
    let list: Vec<Value> = visible(baskets, ctx.user).into_iter().map(|b| render::basket(ctx, b)).collect();
    json!({"baskets": list})
}

pub async fn list(State(state): State<Shared>, req: Req) -> Response {
    let user = caller!(state, req);
    let ctx = ctx(&state, user, &req);
    let store = state.baskets.read().unwrap();
    envelope::ok(&req.head, list_body(&ctx, &store.baskets))
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

pub async fn add(State(state): State<Shared>, req: Req) -> Response {
    let user = caller!(state, req);
    let name = req.get("name").unwrap_or("").to_string();
    if strip_tags(&name).trim().is_empty() {
        return envelope::fail(&req.head, 400, "Missing basket name parameter");
    }
    let now = crate::dates::now();
    let ctx = ctx(&state, user, &req);
    let mut store = state.baskets.write().unwrap();
    let id = store.next_basket_id;
    store.next_basket_id += 1;
    // Stored unmodified, HTML included (api §5).
    let basket = Basket {
        id,
        owner: user.id,
        name,
        description: String::new(),
        created_on: now,
        updated_on: now,
        unread: false,
        pusher: None,
        vote: None,
        shared_with: Vec::new(),
        elements: Vec::new(),
    };
    let body = json!({"basket": render::basket(&ctx, &basket)});
    store.baskets.push(basket);
    envelope::ok(&req.head, body)
}

enum Access {
    Read,
    Modify,
}

/// Basket lookup and ACL (api §5 Errors): 404 unknown, 403 no access, 403 not owner on modify.
fn check(baskets: &[Basket], id: i64, user: &User, access: Access) -> Result<usize, (u16, String)> {
    let Some(i) = baskets.iter().position(|b| b.id == id) else {
        return Err((404, format!("Basket {id} not found.")));
    };
    let b = &baskets[i];
    if b.owner != user.id && !is_participant(b, user) {
        return Err((403, "Current user does not have access to the basket".into()));
    }
    if matches!(access, Access::Modify) && b.owner != user.id {
        return Err((403, "Only basket owner can modify the basket".into()));
    }
    Ok(i)
}

#[derive(serde::Serialize)]
struct Content<'a> {
    basket: Value,
    basket_elements: Vec<render::ElementView<'a>>,
}

pub async fn content(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    let user = caller!(state, req);
    let id = id!(req, &raw);
    let ctx = ctx(&state, user, &req);
    let store = state.baskets.read().unwrap();
    let i = match check(&store.baskets, id, user, Access::Read) {
        Ok(i) => i,
        Err((code, msg)) => return envelope::fail(&req.head, code, msg),
    };
    let b = &store.baskets[i];
    let mut elements: Vec<_> = b.elements.iter().collect();
    elements.sort_by_key(|e| e.order);
    let basket_elements: Vec<_> = elements.into_iter().filter_map(|e| render::element(&ctx, b, e)).collect();
    let n = basket_elements.len();
    let res = envelope::ok_typed(&req.head, &Content { basket: render::basket(&ctx, b), basket_elements });
    crate::php::work(res, n)
}

fn modify(
    state: &Shared,
    req: &Req,
    raw: &str,
    edit: impl FnOnce(&mut Basket) -> Result<(), (u16, String)>,
) -> Response {
    let user = match super::auth::authenticate(state, req) {
        Ok(u) => u,
        Err(res) => return res,
    };
    let id = id!(req, raw);
    let ctx = ctx(state, user, req);
    let mut store = state.baskets.write().unwrap();
    let i = match check(&store.baskets, id, user, Access::Modify) {
        Ok(i) => i,
        Err((code, msg)) => return envelope::fail(&req.head, code, msg),
    };
    if let Err((code, msg)) = edit(&mut store.baskets[i]) {
        return envelope::fail(&req.head, code, msg);
    }
    store.baskets[i].updated_on = crate::dates::now();
    envelope::ok(&req.head, json!({"basket": render::basket(&ctx, &store.baskets[i])}))
}

pub async fn set_name(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    let name = req.get("name").map(String::from);
    modify(&state, &req, &raw, |b| match name {
        Some(n) => {
            b.name = n;
            Ok(())
        }
        // api §5: a missing name sets NULL on a NOT NULL column: 500 by reading.
        None => Err((500, "Integrity constraint violation: Column 'name' cannot be null".into())),
    })
}

pub async fn set_description(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    let description = req.get("description").unwrap_or("").to_string();
    modify(&state, &req, &raw, |b| {
        b.description = description;
        Ok(())
    })
}

pub async fn delete(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    let user = caller!(state, req);
    let id = id!(req, &raw);
    let ctx = ctx(&state, user, &req);
    let mut store = state.baskets.write().unwrap();
    let i = match check(&store.baskets, id, user, Access::Modify) {
        Ok(i) => i,
        Err((code, msg)) => return envelope::fail(&req.head, code, msg),
    };
    store.baskets.remove(i);
    envelope::ok(&req.head, list_body(&ctx, &store.baskets))
}
