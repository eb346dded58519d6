//! `/records/{d}/{r}/` and its `embed`, `caption`, `metadatas`, `status`, `related` (api §5 Records).

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Value};

use super::render::{self, Ctx};
use super::{caller, ctx, envelope, id, Req};
use crate::model::Record;
use crate::state::Shared;
use crate::state::State as SimState;

/// `ensureCanAccessToRecord` (api §5): 404 for unknown databox/record, 401 envelope without rights.
pub fn load<'a>(state: &'a SimState, ctx: &Ctx, req: &Req, d: i64, r: i64) -> Result<&'a Record, Response> {
    if state.data.databox(d).is_none() {
        return Err(envelope::fail(&req.head, 404, format!("Databox `{d}` not found")));
    }
    let Some(record) = state.data.record(d, r) else {
        return Err(envelope::fail(&req.head, 404, format!("Record {r} on database {d} not found ")));
    };
    if !ctx.user.can_access_base(record.base_id) {
        return Err(envelope::not_authorized(&req.head));
    }
    Ok(record)
}

/// A `GET /…/{d}/{r}/…` handler: authenticates, parses both ids, checks access to the record, then
/// answers `$body` in an envelope.
macro_rules! record_route {
    ($name:ident, |$ctx:ident, $state:ident, $req:ident, $record:ident| $body:expr) => {
        record_route!($name, |$ctx, $state, $req, $record| $body, |_r| 0);
    };
    // `$work`: the element count of the answer (`crate::php`).
    ($name:ident, |$ctx:ident, $state:ident, $req:ident, $record:ident| $body:expr, |$w:ident| $work:expr) => {
        pub async fn $name(
            State($state): State<Shared>,
            Path((d, r)): Path<(String, String)>,
            $req: Req,
        ) -> Response {
            let user = caller!($state, $req);
            let (d, r) = (id!($req, &d), id!($req, &r));
            let $ctx = ctx(&$state, user, &$req);
            let $record = match load(&$state, &$ctx, &$req, d, r) {
                Ok(rec) => rec,
                Err(res) => return res,
            };
            let $w = $record;
            let work = $work;
            $crate::php::work(envelope::ok(&$req.head, $body), work)
        }
    };
}

pub(super) use record_route;

record_route!(record, |ctx, state, req, rec| json!({"record": render::record(&ctx, rec)}));
record_route!(caption, |ctx, state, req, rec| json!({"caption_metadatas": render::caption(&ctx, rec)}));
record_route!(metadatas, |ctx, state, req, rec| json!({"record_metadatas": render::metadatas(&ctx, rec)}));
record_route!(status, |ctx, state, req, rec| json!({"status": render::status(rec)}));
record_route!(embed, |ctx, state, req, rec| json!({"embed": embed_list(&ctx, &req, rec)}));
record_route!(related, |ctx, state, req, rec| related_body(&ctx, &state, rec));

/// `devices[]`, `mimes[]` filters (api §5 embed).
pub fn embed_list(ctx: &Ctx, req: &Req, record: &Record) -> Vec<render::SubdefView> {
    let devices = req.get_all("devices");
    let mimes = req.get_all("mimes");
    render::visible_subdefs(ctx, record)
        .iter()
        .filter(|s| devices.is_empty() || s.devices.iter().any(|d| *d == "all" || devices.contains(d)))
        .filter(|s| mimes.is_empty() || mimes.contains(&s.mime))
        .map(|s| render::subdef(ctx, record, s))
        .collect()
}

fn related_body(ctx: &Ctx, state: &SimState, record: &Record) -> Value {
    let key = record.key();
    let store = state.baskets.read().unwrap();
    let baskets: Vec<Value> = store
        .baskets
        .iter()
        .filter(|b| b.owner == ctx.user.id && b.elements.iter().any(|e| e.record == key))
        .map(|b| render::basket(ctx, b))
        .collect();
    let stories: Vec<Value> = state
        .data
        .records
        .iter()
        .filter(|s| s.is_story() && s.databox_id == key.0 && s.children.contains(&key.1))
        .filter(|s| ctx.user.can_access_base(s.base_id))
        .map(|s| render::story(ctx, s))
        .collect();
    json!({"baskets": baskets, "stories": stories})
}
