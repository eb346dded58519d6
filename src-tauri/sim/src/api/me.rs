//! `/me/`, `/me/subdefs/`, `/me/collections/` (api §5 Current user).

use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::render::{self, STATUS_BITS};
use super::{caller, envelope, Req};
use crate::model::User;
use crate::state::{Shared, State as SimState};

fn statuses() -> Value {
    let labels = |en: &str| json!({"en": en, "fr": en, "de": en, "nl": en});
    STATUS_BITS
        .iter()
        .map(|(bit, on, off)| {
            json!({"position": bit, "labels": {"on": labels(on), "off": labels(off)}, "restricted": false, "restriction_flag": false})
        })
        .collect()
}

fn grants(state: &SimState, user: &User, detailed: bool) -> Vec<Value> {
    user.grants
        .iter()
        .filter_map(|(base_id, rights)| {
            let c = state.data.collection(*base_id)?;
            let mut v = json!({
                "databox_id": c.databox_id,
                "base_id": c.base_id,
                "collection_id": c.coll_id,
                "rights": rights,
                "statuses": statuses(),
            });
            // 3.8: no `statuses` (docs/real-servers.md, "3.8 shapes", P@3.8.8 `adapter.php:1917-1997`).
            if state.config.profile.shapes_38() {
                v.as_object_mut().map(|o| o.remove("statuses"));
            }
            if detailed {
                v["name"] = c.name.as_str().into();
                v["logo"] = "".into();
                v["labels"] =
                    json!({"fr": c.labels[1], "en": c.labels[0], "de": c.labels[2], "nl": c.labels[3]});
            }
            Some(v)
        })
        .collect()
}

pub async fn me(State(state): State<Shared>, req: Req) -> Response {
    let user = caller!(state, req);
    let databoxes: Vec<Value> =
        user.databox_grants.iter().map(|id| json!({"databox_id": id, "rights": []})).collect();
    let mut body = json!({"user": render::user(user), "collections": grants(&state, user, false)});
    // 3.8: `user`, `collections` and `demands`, no `databoxes` (docs/real-servers.md, "3.8 shapes").
    if state.config.profile.shapes_38() {
        body["demands"] = json!([]);
    } else {
        body["databoxes"] = Value::from(databoxes);
    }
    envelope::ok(&req.head, body)
}

/// 3.8 has neither `/me/collections/` nor `/me/subdefs/` (docs/real-servers.md, "Versions"): the
/// route-not-found envelope, before auth like every unknown route.
fn missing_on_38(state: &SimState, req: &Req) -> Option<Response> {
    let (m, p) = (&req.head.method, &req.head.path);
    state
        .config
        .profile
        .shapes_38()
        .then(|| envelope::fail(&req.head, 404, format!("No route found for \"{m} {p}\"")))
}

pub async fn collections(State(state): State<Shared>, req: Req) -> Response {
    if let Some(res) = missing_on_38(&state, &req) {
        return res;
    }
    let user = caller!(state, req);
    envelope::ok(&req.head, json!({"collections": grants(&state, user, true)}))
}

/// Subdef definitions by media group then name (api §5). `options` is `[]` when none (api §7.7).
pub async fn subdefs(State(state): State<Shared>, req: Req) -> Response {
    if let Some(res) = missing_on_38(&state, &req) {
        return res;
    }
    let user = caller!(state, req);
    let Some(databox_id) =
        user.grants.iter().filter_map(|(b, _)| state.data.collection(*b).map(|c| c.databox_id)).max()
    else {
        return envelope::ok(&req.head, json!({"subdefs": []}));
    };
    let def = |name: &str, class: &str, preset: Option<&str>, devices: &[&str], options: Value| {
        json!({
            "name": name,
            "databox_id": databox_id,
            "class": class,
            "preset": preset,
            "downloadable": class != "thumbnail",
            "devices": devices,
            "labels": {"fr": name, "en": name, "de": name, "nl": name},
            "options": options,
        })
    };
    let image_opts = |size: u32| json!({"size": size, "resolution": 72, "strip": true, "quality": 75, "flatten": true, "icodec": "jpeg"});
    let mut groups = Map::new();
    groups.insert(
        "image".into(),
        json!({"thumbnail": def("thumbnail", "thumbnail", Some("image"), &["screen"], image_opts(240)),
               "preview": def("preview", "preview", Some("image"), &["screen"], image_opts(800))}),
    );
    groups.insert(
        "video".into(),
        json!({"thumbnail": def("thumbnail", "thumbnail", Some("image"), &["screen"], image_opts(240)),
               "preview": def("preview", "preview", Some("video"), &["screen"], json!({"size": 320, "vcodec": "libx264", "acodec": "libfaac", "bitrate": 250}))}),
    );
    groups.insert(
        "audio".into(),
        json!({"thumbnail": def("thumbnail", "thumbnail", Some("image"), &["screen"], image_opts(240)),
               "preview": def("preview", "preview", Some("audio"), &["screen"], json!({"audiobitrate": 64, "acodec": "libmp3lame"}))}),
    );
    groups.insert(
        "document".into(),
        json!({"thumbnail": def("thumbnail", "thumbnail", Some("image"), &["screen"], image_opts(240)),
               "preview": def("preview", "preview", None, &["screen"], json!([]))}),
    );
    groups.insert(
        "flash".into(),
        json!({"thumbnail": def("thumbnail", "thumbnail", None, &["screen"], json!([]))}),
    );
    envelope::ok(&req.head, json!({"subdefs": groups}))
}
