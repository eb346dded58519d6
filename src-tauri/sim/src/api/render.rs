//! JSON shapes of spec §6, in the key order the real server emits.

use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::dates::{atom, ZERO_DATE};
use crate::media::{self, SubdefInfo};
use crate::model::{Basket, Element, Kind, Participant, Record, User};
use crate::state::State;

/// Rendering context: who asks, from which base URL, with which `url_ttl`.
pub struct Ctx<'a> {
    pub state: &'a State,
    pub user: &'a User,
    pub base: &'a str,
    pub ttl: i64,
    pub extended: bool,
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

/// spec §6 User.
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

/// Subdefs the caller may see: `document` needs the HD right (spec §5 embed).
pub fn visible_subdefs(ctx: &Ctx, record: &Record) -> Vec<SubdefInfo> {
    let hd = ctx.user.has_right(record.base_id, "candwnldhd");
    media::subdefs(record).into_iter().filter(|s| s.name != "document" || hd).collect()
}

/// spec §6 Permalink.
#[derive(Serialize)]
pub struct PermalinkView {
    created_on: String,
    id: i64,
    is_activated: bool,
    label: String,
    updated_on: String,
    page_url: String,
    download_url: String,
    url: String,
}

fn permalink(ctx: &Ctx, record: &Record, info: &SubdefInfo) -> Option<PermalinkView> {
    if !info.permalink {
        return None;
    }
    let token = media::permalink_token(ctx.state, record, info.name);
    let label = media::label(record);
    let dir = format!("{}/permalink/v1/{}/{}/{}/", ctx.base, record.databox_id, record.record_id, info.name);
    let url = format!("{dir}{label}.{}?token={token}", media::ext(info.mime));
    let index = ["document", "thumbnail", "preview"].iter().position(|n| *n == info.name).unwrap_or(3) as i64;
    let created = atom(record.created_on + 60);
    Some(PermalinkView {
        updated_on: created.clone(),
        created_on: created,
        id: (record.databox_id * 1_000_000 + record.record_id) * 4 + index,
        is_activated: true,
        label,
        page_url: format!("{dir}?token={token}"),
        download_url: format!("{url}&download=1"),
        url,
    })
}

/// spec §6 Subdef / embed object.
#[derive(Serialize)]
pub struct SubdefView {
    name: &'static str,
    permalink: Option<PermalinkView>,
    height: u32,
    width: u32,
    filesize: u64,
    devices: &'static [&'static str],
    player_type: &'static str,
    mime_type: &'static str,
    substituted: bool,
    created_on: String,
    updated_on: String,
    url: String,
    url_ttl: i64,
}

pub fn subdef(ctx: &Ctx, record: &Record, info: &SubdefInfo) -> SubdefView {
    SubdefView {
        name: info.name,
        permalink: permalink(ctx, record, info),
        height: info.height,
        width: info.width,
        filesize: info.size,
        devices: info.devices,
        player_type: info.player,
        mime_type: info.mime,
        substituted: false,
        created_on: atom(record.created_on + 60),
        updated_on: atom(record.updated_on),
        url: media::signed_url(ctx.state, ctx.base, record, info.name, ctx.ttl),
        url_ttl: ctx.ttl,
    }
}

fn thumbnail(ctx: &Ctx, record: &Record) -> Option<SubdefView> {
    media::subdefs(record).into_iter().find(|s| s.name == "thumbnail").map(|info| subdef(ctx, record, &info))
}

#[derive(Serialize)]
#[serde(untagged)]
enum TechValue {
    I(i64),
    F(f64),
    S(&'static str),
}

#[derive(Serialize)]
struct Tech {
    name: &'static str,
    value: TechValue,
}

fn technical(record: &Record) -> Vec<Tech> {
    use TechValue::*;
    let t = |name, value| Tech { name, value };
    let (w, h) = media::originals::image_dimensions(record);
    let mime = record.kind.mime().unwrap_or("");
    match record.kind {
        Kind::Jpeg | Kind::Png => vec![
            t("Width", I(w.into())),
            t("Height", I(h.into())),
            t("MimeType", S(mime)),
            t("ShutterSpeed", F(0.004)),
            t("Aperture", F(5.6)),
            t("CameraModel", S("X-T4")),
        ],
        Kind::Video => vec![
            t("Width", I(320)),
            t("Height", I(180)),
            t("Duration", F(3.0)),
            t("FrameRate", I(24)),
            t("VideoCodec", S("h264")),
            t("AudioCodec", S("aac")),
        ],
        Kind::Audio => vec![t("Duration", F(3.0)), t("AudioSamplerate", I(44100)), t("AudioCodec", S("mp3"))],
        Kind::Pdf => vec![t("MimeType", S(mime)), t("Pages", I(1))],
        Kind::Flash | Kind::Unknown => vec![t("MimeType", S(mime))],
        Kind::Story => vec![],
    }
}

/// spec §5 caption: non-business fields, multi-values joined with `;`.
pub fn caption(ctx: &Ctx, record: &Record) -> Value {
    let fields = &ctx.state.data.fields;
    Value::Array(
        record
            .caption
            .iter()
            .filter_map(|(id, values)| {
                let f = fields.iter().find(|f| f.id == *id && !f.business)?;
                Some(json!({"meta_structure_id": f.id, "name": f.name, "value": values.join(";")}))
            })
            .collect(),
    )
}

/// spec §6 MetadataValue, one entry per value.
pub fn metadatas(ctx: &Ctx, record: &Record) -> Value {
    let fields = &ctx.state.data.fields;
    let mut out = Vec::new();
    for (id, values) in &record.caption {
        let Some(f) = fields.iter().find(|f| f.id == *id && !f.business) else { continue };
        for (i, v) in values.iter().enumerate() {
            out.push(json!({
                "meta_structure_id": f.id,
                "name": f.name,
                "labels": {"fr": f.labels[0], "en": f.labels[1], "de": f.labels[2], "nl": f.labels[3]},
                "meta_id": (record.databox_id * 100_000 + record.record_id) * 100 + f.id * 10 + i as i64,
                "value": v,
            }));
        }
    }
    Value::Array(out)
}

/// Status bits defined in every databox (spec §5 status: bits 4..31 only).
pub const STATUS_BITS: &[(u32, &str, &str)] = &[(4, "Validated", "Pending"), (5, "Published", "Draft")];

pub fn status(record: &Record) -> Value {
    Value::Array(
        STATUS_BITS
            .iter()
            .map(|(bit, _, _)| json!({"bit": bit, "state": record.status & (1 << bit) != 0}))
            .collect(),
    )
}

/// spec §6 Record (V1C `listRecord`), or SearchRecord (same keys, another order), plus the extended keys.
/// Stories through record routes: null mime/name/sha256, `phrasea_type` unknown.
pub struct RecordView<'a> {
    r: &'a Record,
    resource_id: String,
    sha256: Option<String>,
    thumbnail: Option<SubdefView>,
    search_order: bool,
    extended: Option<(Vec<SubdefView>, Value, Value, Value)>,
}

fn view<'a>(ctx: &Ctx, r: &'a Record, search_order: bool) -> RecordView<'a> {
    let extended = ctx.extended.then(|| {
        let subdefs = visible_subdefs(ctx, r).iter().map(|s| subdef(ctx, r, s)).collect();
        (subdefs, metadatas(ctx, r), status(r), caption(ctx, r))
    });
    RecordView {
        r,
        resource_id: format!("{}_{}_{}", ctx.state.data.instance_id, r.databox_id, r.record_id),
        sha256: media::originals::size_and_sha256(r).map(|(_, s)| s),
        thumbnail: thumbnail(ctx, r),
        search_order,
        extended,
    }
}

pub fn record<'a>(ctx: &Ctx, r: &'a Record) -> RecordView<'a> {
    view(ctx, r, false)
}

pub fn search_record<'a>(ctx: &Ctx, r: &'a Record) -> RecordView<'a> {
    view(ctx, r, true)
}

impl Serialize for RecordView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.r;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("databox_id", &r.databox_id)?;
        m.serialize_entry("record_id", &r.record_id)?;
        m.serialize_entry("resource_id", &self.resource_id)?;
        m.serialize_entry("mime_type", &r.kind.mime())?;
        m.serialize_entry("title", &r.title)?;
        m.serialize_entry("original_name", &r.original_name)?;
        m.serialize_entry("updated_on", &atom(r.updated_on))?;
        m.serialize_entry("created_on", &atom(r.created_on))?;
        m.serialize_entry("collection_id", &r.coll_id)?;
        m.serialize_entry("base_id", &r.base_id)?;
        m.serialize_entry("sha256", &self.sha256)?;
        if self.search_order {
            m.serialize_entry("phrasea_type", r.kind.phrasea_type())?;
            m.serialize_entry("uuid", &r.uuid)?;
            m.serialize_entry("thumbnail", &self.thumbnail)?;
            m.serialize_entry("technical_informations", &technical(r))?;
        } else {
            m.serialize_entry("thumbnail", &self.thumbnail)?;
            m.serialize_entry("technical_informations", &technical(r))?;
            m.serialize_entry("phrasea_type", r.kind.phrasea_type())?;
            m.serialize_entry("uuid", &r.uuid)?;
        }
        if let Some((subdefs, metadata, status, caption)) = &self.extended {
            m.serialize_entry("subdefs", subdefs)?;
            m.serialize_entry("metadata", metadata)?;
            m.serialize_entry("status", status)?;
            m.serialize_entry("caption", caption)?;
        }
        m.end()
    }
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

/// spec §6 Story (V1C `listStory`).
pub fn story(ctx: &Ctx, s: &Record) -> Value {
    let records: Vec<RecordView> = visible_children(ctx, s).into_iter().map(|c| record(ctx, c)).collect();
    json!({
        "@entity@": "http://api.phraseanet.com/api/objects/story",
        "databox_id": s.databox_id,
        "story_id": s.record_id,
        "resource_id": format!("{}_{}_{}", ctx.state.data.instance_id, s.databox_id, s.record_id),
        "cover_record_id": s.cover,
        "updated_on": date(s.updated_on),
        "created_on": date(s.created_on),
        "collection_id": s.coll_id,
        "base_id": s.base_id,
        "thumbnail": thumbnail(ctx, s),
        "uuid": s.uuid,
        "metadatas": dc_bag(ctx, Some(s)),
        "records": records,
    })
}

/// spec §6 SearchStory: `created_on` holds the update date and every `dc:*` is null (spec §7.12).
pub fn search_story(ctx: &Ctx, s: &Record) -> Value {
    let children = visible_children(ctx, s);
    json!({
        "@entity@": "http://api.phraseanet.com/api/objects/story",
        "databox_id": s.databox_id,
        "story_id": s.record_id,
        "resource_id": format!("{}_{}_{}", ctx.state.data.instance_id, s.databox_id, s.record_id),
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
    })
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

/// spec §6 Basket: vote keys first for vote baskets.
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

/// spec §6 BasketElement; `validation_choices` absent when there are no votes (spec §7.14).
pub struct ElementView<'a> {
    e: &'a Element,
    record: RecordView<'a>,
    vote: bool,
    choices: Option<Value>,
    agreement: Option<bool>,
    note: &'a str,
}

pub fn element<'a>(ctx: &Ctx<'a>, b: &Basket, e: &'a Element) -> Option<ElementView<'a>> {
    let r = ctx.state.data.record(e.record.0, e.record.1)?;
    let mut choices = None;
    if let Some(vote) = &b.vote {
        if !e.votes.is_empty() {
            let list: Vec<Value> = e
                .votes
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
