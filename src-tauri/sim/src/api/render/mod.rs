//! JSON shapes of api §6, in the key order the real server emits.

mod record_view;

pub use record_view::*;

use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::dates::{atom, ZERO_DATE};
use crate::model::{Basket, Element, Participant, Record, User, VoteChoice};
use crate::state::State;

/// Rendering context: who asks, from which base URL, with which `url_ttl`.
pub struct Ctx<'a> {
    pub state: &'a State,
    pub user: &'a User,
    pub base: &'a str,
    pub ttl: i64,
    pub extended: bool,
}

/// `resource_id` of records and stories, shaped like the api §10 samples (`9f2c1e0b7d_1_1204`).
pub fn resource_id(ctx: &Ctx, r: &Record) -> String {
    format!("{}_{}_{}", ctx.state.data.instance_id, r.databox_id, r.record_id)
}

pub fn date(ts: i64) -> Value {
    Value::from(atom(ts))
}

fn opt(s: &Option<String>) -> Value {
    match s {
        Some(v) if !v.is_empty() => Value::from(v.as_str()),
        _ => Value::Null,
    }
}

/// api §6 User.
pub fn user(u: &User) -> Value {
    json!({
        "@entity@": "http://api.phraseanet.com/api/objects/user",
        "id": u.id,
        "email": opt(&u.email),
        "login": u.login,
        "first_name": opt(&u.first_name),
        "last_name": opt(&u.last_name),
        "display_name": u.display_name(),
        "gender": u.gender,
        "address": null,
        "zip_code": null,
        "city": opt(&u.city),
        "country": opt(&u.country),
        "phone": null,
        "fax": null,
        "job": null,
        "position": opt(&u.position),
        "company": opt(&u.company),
        "geoname_id": u.geoname_id,
        "last_connection": match u.last_connection {
            None => Value::Null,
            Some(None) => Value::from(ZERO_DATE),
            Some(Some(t)) => date(t),
        },
        "created_on": date(u.created_on),
        "updated_on": date(u.updated_on),
        "locale": opt(&u.locale),
    })
}

const DC: &[&str] = &[
    "dc:contributor",
    "dc:coverage",
    "dc:creator",
    "dc:date",
    "dc:description",
    "dc:format",
    "dc:identifier",
    "dc:language",
    "dc:publisher",
    "dc:relation",
    "dc:rights",
    "dc:source",
    "dc:subject",
    "dc:title",
    "dc:type",
];

fn dc_bag(ctx: &Ctx, r: Option<&Record>) -> Value {
    let mut map = Map::new();
    map.insert("@entity@".into(), "http://api.phraseanet.com/api/objects/story-metadata-bag".into());
    for key in DC {
        let value = r.and_then(|r| {
            let field = ctx.state.data.fields.iter().find(|f| f.dc == Some(*key))?;
            r.caption.iter().find(|(id, _)| *id == field.id).map(|(_, v)| v.join(";"))
        });
        map.insert((*key).into(), value.into());
    }
    Value::Object(map)
}

/// Children of a story that the caller can see.
pub fn visible_children<'a>(ctx: &Ctx<'a>, story: &Record) -> Vec<&'a Record> {
    story
        .children
        .iter()
        .filter_map(|id| ctx.state.data.record(story.databox_id, *id))
        .filter(|c| ctx.user.can_access_base(c.base_id))
        .collect()
}

/// Keys older servers lack: `resource_id` (before 4.1.8), `base_id` (3.8) (docs/real-servers.md, "Versions").
fn drop_new_keys(ctx: &Ctx, mut v: Value) -> Value {
    let profile = ctx.state.config.profile;
    if let Some(o) = v.as_object_mut() {
        if !profile.resource_id() {
            o.remove("resource_id");
        }
        if profile.shapes_38() {
            o.remove("base_id");
        }
    }
    v
}

/// api §6 Story (V1C `listStory`).
pub fn story(ctx: &Ctx, s: &Record) -> Value {
    let records: Vec<RecordView> = visible_children(ctx, s).into_iter().map(|c| record(ctx, c)).collect();
    drop_new_keys(
        ctx,
        json!({
            "@entity@": "http://api.phraseanet.com/api/objects/story",
            "databox_id": s.databox_id,
            "story_id": s.record_id,
            "resource_id": resource_id(ctx, s),
            "cover_record_id": s.cover,
            "updated_on": date(s.updated_on),
            "created_on": date(s.created_on),
            "collection_id": s.coll_id,
            "base_id": s.base_id,
            "thumbnail": thumbnail(ctx, s),
            "uuid": s.uuid,
            "metadatas": dc_bag(ctx, Some(s)),
            "records": records,
        }),
    )
}

/// api §6 SearchStory: `created_on` holds the update date and every `dc:*` is null (api §7.12).
pub fn search_story(ctx: &Ctx, s: &Record) -> Value {
    let children = visible_children(ctx, s);
    drop_new_keys(
        ctx,
        json!({
            "@entity@": "http://api.phraseanet.com/api/objects/story",
            "databox_id": s.databox_id,
            "story_id": s.record_id,
            "resource_id": resource_id(ctx, s),
            "cover_record_id": s.cover,
            "updated_on": date(s.updated_on),
            "created_on": date(s.updated_on),
            "collection_id": s.coll_id,
            "base_id": s.base_id,
            "uuid": s.uuid,
            "record_count": children.len(),
            "thumbnail": thumbnail(ctx, s),
            "metadatas": dc_bag(ctx, None),
            "records": children.into_iter().map(|c| search_record(ctx, c)).collect::<Vec<_>>(),
        }),
    )
}

fn participant(ctx: &Ctx, p: &Participant) -> Value {
    let u = ctx.state.data.user(p.user);
    json!({
        "usr_id": p.user,
        "usr_name": u.map(|u| u.display_name()).unwrap_or_default(),
        "confirmed": p.confirmed,
        "can_agree": p.can_agree,
        "can_see_others": p.can_see_others,
        "readonly": p.user != ctx.user.id,
        "user": u.map(user).unwrap_or(Value::Null),
    })
}

/// api §6 Basket: vote keys first for vote baskets.
pub fn basket(ctx: &Ctx, b: &Basket) -> Value {
    let data = &ctx.state.data;
    let mut map = Map::new();
    if let Some(vote) = &b.vote {
        let initiator = data.user(vote.initiator);
        let infos = if vote.initiator == ctx.user.id {
            format!("Feedback request sent to {} users", vote.participants.len())
        } else {
            format!(
                "Feedback request received from {}",
                initiator.map(|u| u.display_name()).unwrap_or_default()
            )
        };
        let me = vote.participants.iter().find(|p| p.user == ctx.user.id);
        map.insert(
            "validation_users".into(),
            vote.participants.iter().map(|p| participant(ctx, p)).collect(),
        );
        map.insert("expires_on".into(), vote.expires_on.map(date).unwrap_or(Value::Null));
        map.insert("validation_infos".into(), infos.into());
        map.insert("validation_confirmed".into(), me.is_some_and(|p| p.confirmed).into());
        map.insert("validation_initiator".into(), (vote.initiator == ctx.user.id).into());
        map.insert("validation_initiator_user".into(), initiator.map(user).unwrap_or(Value::Null));
    }
    let owner = data.user(b.owner).map(user).unwrap_or(Value::Null);
    map.insert("basket_id".into(), b.id.into());
    map.insert("owner".into(), owner);
    map.insert("created_on".into(), date(b.created_on));
    map.insert("description".into(), b.description.as_str().into());
    map.insert("name".into(), b.name.as_str().into());
    map.insert("pusher_usr_id".into(), b.pusher.into());
    map.insert("pusher".into(), b.pusher.and_then(|p| data.user(p)).map(user).unwrap_or(Value::Null));
    map.insert("updated_on".into(), date(b.updated_on));
    map.insert("unread".into(), b.unread.into());
    map.insert("validation_basket".into(), b.vote.is_some().into());
    Value::Object(map)
}

/// api §6 BasketElement; `validation_choices` absent when there are no votes (api §7.14).
pub struct ElementView<'a> {
    e: &'a Element,
    record: RecordView<'a>,
    vote: bool,
    choices: Option<Value>,
    agreement: Option<bool>,
    note: &'a str,
}

/// The vote rows of an element: lazy (≥4.1.7, only who voted) or pre-created at push time (≤4.1.6:
/// every participant, `agreement: null` until they vote; docs/real-servers.md, "Baskets and votes").
fn vote_rows(ctx: &Ctx, b: &Basket, e: &Element) -> Vec<VoteChoice> {
    let Some(vote) = &b.vote else { return Vec::new() };
    if !ctx.state.config.profile.precreated_votes() {
        return e.votes.clone();
    }
    vote.participants
        .iter()
        .map(|p| match e.votes.iter().find(|v| v.user == p.user) {
            Some(v) => v.clone(),
            None => {
                VoteChoice { user: p.user, agreement: None, note: String::new(), updated_on: b.created_on }
            }
        })
        .collect()
}

pub fn element<'a>(ctx: &Ctx<'a>, b: &Basket, e: &'a Element) -> Option<ElementView<'a>> {
    let r = ctx.state.data.record(e.record.0, e.record.1)?;
    let mut choices = None;
    let rows = vote_rows(ctx, b, e);
    if let Some(vote) = &b.vote {
        if !rows.is_empty() {
            let list: Vec<Value> = rows
                .iter()
                .map(|v| {
                    let p = vote.participants.iter().find(|p| p.user == v.user);
                    json!({
                        "validation_user": p.map(|p| participant(ctx, p)).unwrap_or(Value::Null),
                        "agreement": v.agreement,
                        "updated_on": date(v.updated_on),
                        "note": v.note,
                    })
                })
                .collect();
            choices = Some(Value::Array(list));
        }
    }
    let mine = e.votes.iter().find(|v| v.user == ctx.user.id);
    Some(ElementView {
        e,
        record: record(ctx, r),
        vote: b.vote.is_some(),
        choices,
        agreement: mine.and_then(|v| v.agreement),
        note: mine.map(|v| v.note.as_str()).unwrap_or(""),
    })
}

impl Serialize for ElementView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("basket_element_id", &self.e.id)?;
        m.serialize_entry("order", &self.e.order)?;
        m.serialize_entry("record", &self.record)?;
        m.serialize_entry("validation_item", &self.vote)?;
        if self.vote {
            if let Some(c) = &self.choices {
                m.serialize_entry("validation_choices", c)?;
            }
            m.serialize_entry("agreement", &self.agreement)?;
            m.serialize_entry("note", self.note)?;
        }
        m.end()
    }
}
