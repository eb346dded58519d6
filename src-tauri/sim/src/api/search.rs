//! `/search/` and `/records/search/` (api §5 Search): real matching over titles and captions (the
//! query language of `query.rs`), filters, `offset_start`/`per_page` paging, facets.

use std::time::Instant;

use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};

use super::query::{Query, Target};
use super::render::{self, Ctx};
use super::{caller, ctx, envelope, Req};
use crate::model::Record;
use crate::state::Shared;

fn target<'a>(ctx: &Ctx<'a>, r: &'a Record) -> Target<'a> {
    let data = &ctx.state.data;
    Target {
        record: r,
        text: haystack(ctx, r),
        fields: &data.fields,
        collection: data.collection(r.base_id).map(|c| c.name.to_lowercase()).unwrap_or_default(),
        databox: data.databox(r.databox_id).map(|d| d.name.to_lowercase()).unwrap_or_default(),
    }
}

fn haystack(ctx: &Ctx, r: &Record) -> String {
    let fields = &ctx.state.data.fields;
    let mut s = r.title.to_lowercase();
    for (id, values) in &r.caption {
        if fields.iter().any(|f| f.id == *id && !f.business) {
            for v in values {
                s.push('\n');
                s.push_str(&v.to_lowercase());
            }
        }
    }
    s
}

/// `status[<bit>][on|off][]=<databox_id>` (api §5 Search, docs example `status[4][on][]=58`).
fn status_filters(req: &Req) -> Vec<(u32, bool, i64)> {
    req.query
        .iter()
        .chain(req.form.iter())
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix("status[")?;
            let (bit, rest) = rest.split_once(']')?;
            let on = match rest.strip_prefix('[')?.split_once(']')?.0 {
                "on" => true,
                "off" => false,
                _ => return None,
            };
            Some((bit.parse().ok().filter(|b| (4..32).contains(b))?, on, v.trim().parse().ok()?))
        })
        .collect()
}

struct Hits<'a> {
    page: Vec<&'a Record>,
    all: Vec<&'a Record>,
    offset: i64,
    per_page: i64,
    query: String,
    took: std::time::Duration,
}

/// Runs the search; Err is the error response.
fn run<'a>(ctx: &Ctx<'a>, req: &Req) -> Result<Hits<'a>, Response> {
    let start = Instant::now();
    let offset = match req.get("offset_start").map(|v| v.trim().parse::<i64>()) {
        None => 0,
        Some(Ok(v)) if v >= 0 => v,
        // api §5: negative fails an assertion (500).
        _ => return Err(envelope::fail(&req.head, 500, "Offset must be a positive integer")),
    };
    let per_page = match req.get("per_page").and_then(|v| v.trim().parse::<i64>().ok()) {
        Some(v) if v > 0 => v,
        _ => 10,
    };
    // ES `from + size` beyond `index.max_result_window` fails the whole query (docs/real-servers.md,
    // "Search paging").
    if let Some(window) = ctx.state.config.profile.result_window() {
        if offset.saturating_add(per_page) > window {
            let details = format!(
                "Result window is too large, from + size must be less than or equal to: [{window}] but was [{}]. \
                 See the scroll api for a more efficient way to request large data sets. This limit can be set by \
                 changing the [index.max_result_window] index level parameter.",
                offset.saturating_add(per_page)
            );
            return Err(envelope::fail(&req.head, 500, details));
        }
    }
    let mut bases: Vec<i64> = ctx.user.grants.iter().map(|(b, _)| *b).collect();
    let wanted: Vec<i64> = req.get_all("bases").iter().filter_map(|b| b.trim().parse().ok()).collect();
    if !req.get_all("bases").is_empty() {
        bases.retain(|b| wanted.contains(b));
        if bases.is_empty() {
            return Err(envelope::fail(&req.head, 400, "No collections match your criteria"));
        }
    }
    let record_type = req
        .get("record_type")
        .filter(|t| ["image", "video", "audio", "document", "flash", "unknown"].contains(t));
    let stories = matches!(req.get("search_type"), Some("1") | Some("2"));
    let date_min = req.get("date_min").and_then(crate::dates::parse_ymd);
    let date_max = req.get("date_max").and_then(crate::dates::parse_ymd).map(|t| t + 86_399);
    let use_updated = req.get("date_field").is_some_and(|f| f.contains("updated"));
    let status = status_filters(req);
    let query_text = req.get("query").unwrap_or("").to_string();
    let query = Query::parse(&query_text);
    let mut scored: Vec<(usize, &Record)> = ctx
        .state
        .data
        .records
        .iter()
        .filter(|r| r.is_story() == stories && bases.contains(&r.base_id))
        .filter(|r| record_type.is_none_or(|t| r.kind.phrasea_type() == t))
        .filter(|r| {
            let t = if use_updated { r.updated_on } else { r.created_on };
            date_min.is_none_or(|m| t >= m) && date_max.is_none_or(|m| t <= m)
        })
        .filter(|r| {
            status
                .iter()
                .all(|&(bit, on, databox)| r.databox_id != databox || (r.status >> bit & 1 == 1) == on)
        })
        .filter_map(|r| query.score(&target(ctx, r)).map(|s| (s, r)))
        .collect();
    let asc = req.get("ord").is_some_and(|o| o.eq_ignore_ascii_case("asc"));
    let fields = &ctx.state.data.fields;
    match req.get("sort").unwrap_or("relevance") {
        "created_on" => scored.sort_by_key(|(_, r)| (r.created_on, r.databox_id, r.record_id)),
        "updated_on" => scored.sort_by_key(|(_, r)| (r.updated_on, r.databox_id, r.record_id)),
        // A caption field the user may see, by its first value (records without one first).
        name if fields.iter().any(|f| !f.business && f.name.eq_ignore_ascii_case(name)) => {
            let id = fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)).map(|f| f.id);
            scored.sort_by_cached_key(|(_, r)| {
                let first = r.caption.iter().find(|(f, _)| Some(*f) == id).and_then(|(_, v)| v.first());
                (first.map(|v| v.to_lowercase()), r.databox_id, r.record_id)
            })
        }
        _ => scored.sort_by_key(|(s, r)| (*s, r.updated_on, r.databox_id, r.record_id)),
    }
    if !asc {
        scored.reverse();
    }
    let all: Vec<&Record> = scored.into_iter().map(|(_, r)| r).collect();
    let page = all.iter().skip(offset as usize).take(per_page as usize).copied().collect();
    Ok(Hits { page, all, offset, per_page, query: query_text, took: start.elapsed() })
}

fn facets(ctx: &Ctx, hits: &[&Record]) -> (Value, Value) {
    let mut types: Vec<(String, usize)> = Vec::new();
    let mut colls: Vec<(String, usize)> = Vec::new();
    let bump = |list: &mut Vec<(String, usize)>, key: String| match list.iter_mut().find(|(k, _)| *k == key) {
        Some(e) => e.1 += 1,
        None => list.push((key, 1)),
    };
    for r in hits {
        bump(&mut types, r.kind.phrasea_type().to_string());
        if let Some(c) = ctx.state.data.collection(r.base_id) {
            bump(&mut colls, c.name.clone());
        }
    }
    let facet = |name: &str, field: &str, mut values: Vec<(String, usize)>| {
        values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let values: Vec<Value> = values
            .into_iter()
            .map(
                |(v, n)| json!({"value": v, "raw_value": v, "count": n, "query": format!("{field}:\"{v}\"")}),
            )
            .collect();
        json!({"name": name, "field": field, "values": values})
    };
    let facets = vec![facet("Type", "type", types), facet("Collection", "collection", colls)];
    let suggestions: Vec<Value> = facets
        .iter()
        .flat_map(|f| f["values"].as_array().cloned().unwrap_or_default())
        .map(|v| json!({"suggestion": v["value"], "query": v["query"], "hits": v["count"]}))
        .collect();
    (Value::Array(facets), Value::Array(suggestions))
}

fn body(ctx: &Ctx, hits: &Hits, results: Value) -> Value {
    let (facets, suggestions) = facets(ctx, &hits.all);
    // 3.8 (phrasea/sphinx): `available_results` is the total and `query_time` seconds (docs/real-servers.md,
    // "3.8 shapes"); ES 4.x: the page count and `took` in ms.
    let (available, query_time) = if ctx.state.config.profile.shapes_38() {
        (hits.all.len(), json!(hits.took.as_secs_f64().max(0.0001)))
    } else {
        (hits.page.len(), json!(hits.took.as_millis() as u64))
    };
    json!({
        "offset_start": hits.offset,
        "per_page": hits.per_page,
        "available_results": available,
        "total_results": hits.all.len(),
        "error": "",
        "warning": "",
        "query_time": query_time,
        "search_indexes": if ctx.state.config.profile.shapes_38() {
            String::new()
        } else {
            format!("phraseanet_{}", ctx.state.data.instance_id)
        },
        "suggestions": suggestions,
        "facets": facets,
        "query": hits.query,
        "results": results,
    })
}

/// `/search/`: `results: {stories, records}`, both keys always present.
pub async fn search(State(state): State<Shared>, req: Req) -> Response {
    let user = caller!(state, req);
    let ctx = ctx(&state, user, &req);
    let hits = match run(&ctx, &req) {
        Ok(h) => h,
        Err(res) => return res,
    };
    let (mut stories, mut records) = (Vec::new(), Vec::new());
    for r in &hits.page {
        if r.is_story() {
            stories.push(render::search_story(&ctx, r));
        } else {
            records.push(json!(render::search_record(&ctx, r)));
        }
    }
    let results = json!({"stories": stories, "records": records});
    crate::php::work(envelope::ok(&req.head, body(&ctx, &hits, results)), hits.page.len())
}

/// `/records/search/` (deprecated): `results` is a flat list of records.
pub async fn records_search(State(state): State<Shared>, req: Req) -> Response {
    let user = caller!(state, req);
    let ctx = ctx(&state, user, &req);
    let hits = match run(&ctx, &req) {
        Ok(h) => h,
        Err(res) => return res,
    };
    let results: Vec<_> = hits.page.iter().map(|r| render::search_record(&ctx, r)).collect();
    crate::php::work(envelope::ok(&req.head, body(&ctx, &hits, json!(results))), hits.page.len())
}
