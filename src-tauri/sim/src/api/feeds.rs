//! Feeds routes (api §5 Feeds), with their quirks: paged entries as an object (api §7.11), `{}` for an
//! inaccessible feed, 500 for unknown ids.

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::render::{self, date, Ctx};
use super::{caller, ctx, envelope, id, Req};
use crate::model::{Entry, Feed, User};
use crate::state::Shared;

fn can_read(feed: &Feed, user: &User) -> bool {
    feed.public || feed.base_id.is_none_or(|b| user.can_access_base(b))
}

fn feed_json(ctx: &Ctx, f: &Feed) -> Value {
    // 3.8: `icon` is the icon's URL (docs/real-servers.md, "3.8 shapes", P@3.8.8 `adapter.php:1429`); later a
    // bool.
    let icon = match (ctx.state.config.profile.shapes_38(), f.icon) {
        (true, true) => Value::from(format!("{}/custom/feed_{}.jpg", ctx.base, f.id)),
        (true, false) => Value::from(format!("{}/assets/common/images/icons/rss32.gif", ctx.base)),
        (false, icon) => Value::from(icon),
    };
    json!({
        "id": f.id,
        "title": f.title,
        "subtitle": f.subtitle,
        "total_entries": f.entries.len(),
        "icon": icon,
        "public": f.public,
        "readonly": true,
        "deletable": false,
        "created_on": date(f.created_on),
        "updated_on": date(f.updated_on),
    })
}

fn entry_json(ctx: &Ctx, f: &Feed, e: &Entry) -> Value {
    let items: Vec<Value> = e
        .items
        .iter()
        .filter_map(|(item_id, (d, r))| {
            let record = ctx.state.data.record(*d, *r)?;
            Some(json!({"item_id": item_id, "record": render::record(ctx, record)}))
        })
        .collect();
    json!({
        "id": e.id,
        "author_email": e.author_email,
        "author_name": e.author_name,
        "created_on": date(e.created_on),
        "updated_on": date(e.updated_on),
        "title": e.title,
        "subtitle": e.subtitle,
        "items": items,
        "feed_id": f.id,
        "feed_title": f.title,
        "feed_url": format!("/feeds/{}/content/", f.id),
        "url": format!("/feeds/entry/{}/", e.id),
    })
}

fn int_param(req: &Req, name: &str, default: i64) -> i64 {
    req.get(name).and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// Feeds the user can read, `updated_on` desc.
pub async fn list(State(state): State<Shared>, req: Req) -> Response {
    let user = caller!(state, req);
    let ctx = ctx(&state, user, &req);
    let mut feeds: Vec<&Feed> = state.data.feeds.iter().filter(|f| can_read(f, user)).collect();
    feeds.sort_by_key(|f| std::cmp::Reverse(f.updated_on));
    let feeds: Vec<Value> = feeds.into_iter().map(|f| feed_json(&ctx, f)).collect();
    envelope::ok(&req.head, json!({"feeds": feeds}))
}

/// All readable entries, `updated_on` desc; `per_page` default 5, outside 1..20 becomes 20.
pub async fn aggregated(State(state): State<Shared>, req: Req) -> Response {
    let user = caller!(state, req);
    let ctx = ctx(&state, user, &req);
    let only: Vec<i64> = req.get_all("feeds").iter().filter_map(|v| v.trim().parse().ok()).collect();
    let offset = int_param(&req, "offset_start", 0).max(0);
    let per_page = match int_param(&req, "per_page", 5) {
        n @ 1..=20 => n,
        _ => 20,
    };
    let mut entries: Vec<(&Feed, &Entry)> = state
        .data
        .feeds
        .iter()
        .filter(|f| can_read(f, user) && (only.is_empty() || only.contains(&f.id)))
        .flat_map(|f| f.entries.iter().map(move |e| (f, e)))
        .collect();
    entries.sort_by_key(|(_, e)| std::cmp::Reverse((e.updated_on, e.id)));
    let total = entries.len();
    let page: Vec<Value> = entries
        .into_iter()
        .skip(offset as usize)
        .take(per_page as usize)
        .map(|(f, e)| entry_json(&ctx, f, e))
        .collect();
    let n = page.len();
    let res = envelope::ok(
        &req.head,
        json!({"total_entries": total, "offset_start": offset, "per_page": per_page, "entries": page}),
    );
    crate::php::work(res, n)
}

/// One feed's entries, `created_on` ascending; with `offset_start > 0` the slice keeps its indexes and
/// becomes an object (api §7.11). Unreadable feed: `response: {}`. Unknown id: 500.
pub async fn content(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    let user = caller!(state, req);
    let id = id!(req, &raw);
    let ctx = ctx(&state, user, &req);
    let Some(feed) = state.data.feeds.iter().find(|f| f.id == id) else {
        return envelope::fail(&req.head, 500, "Call to a member function getEntries() on null");
    };
    if !can_read(feed, user) {
        return envelope::ok(&req.head, json!({}));
    }
    let offset = int_param(&req, "offset_start", 0).max(0);
    let per_page = match int_param(&req, "per_page", 5) {
        n @ 1..=100 => n,
        _ => 100,
    };
    let mut entries: Vec<&Entry> = feed.entries.iter().collect();
    entries.sort_by_key(|e| (e.created_on, e.id));
    let slice = entries.iter().enumerate().skip(offset as usize).take(per_page as usize);
    let n = slice.len();
    let entries = if offset > 0 {
        let map: Map<String, Value> =
            slice.map(|(i, e)| (i.to_string(), entry_json(&ctx, feed, e))).collect();
        if map.is_empty() {
            json!([])
        } else {
            Value::Object(map)
        }
    } else {
        Value::Array(slice.map(|(_, e)| entry_json(&ctx, feed, e)).collect())
    };
    let res = envelope::ok(
        &req.head,
        json!({"feed": feed_json(&ctx, feed), "offset_start": offset, "per_page": per_page, "entries": entries}),
    );
    crate::php::work(res, n)
}

/// One entry; 403 when its feed is not readable; unknown id: 500 (api §5).
pub async fn entry(State(state): State<Shared>, Path(raw): Path<String>, req: Req) -> Response {
    let user = caller!(state, req);
    let id = id!(req, &raw);
    let ctx = ctx(&state, user, &req);
    let found = state.data.feeds.iter().find_map(|f| f.entries.iter().find(|e| e.id == id).map(|e| (f, e)));
    let Some((feed, entry)) = found else {
        return envelope::fail(&req.head, 500, "Call to a member function getFeed() on null");
    };
    if !can_read(feed, user) {
        return envelope::fail(&req.head, 403, "You have not access to the parent feed");
    }
    envelope::ok(&req.head, json!({"entry": entry_json(&ctx, feed, entry)}))
}
