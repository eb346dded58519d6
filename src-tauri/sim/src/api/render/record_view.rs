//! Records, subdefs, permalinks (api §6): typed views serialized without an intermediate `Value`
//! tree, so that a 10,000-element basket renders fast.

use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::{json, Value};

use super::Ctx;
use crate::dates::atom;
use crate::media::{self, SubdefInfo};
use crate::model::{Kind, Record};

/// Subdefs the caller may see: `document` needs the HD right (api §5 embed).
pub fn visible_subdefs(ctx: &Ctx, record: &Record) -> Vec<SubdefInfo> {
    let hd = ctx.user.has_right(record.base_id, "candwnldhd");
    media::subdefs(record).into_iter().filter(|s| s.name != "document" || hd).collect()
}

/// api §6 Permalink.
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
    if !media::has_permalink(ctx.state, info) {
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

/// api §6 Subdef / embed object. The `Option`s are absent on 3.8 (docs/real-servers.md, "3.8 shapes": the
/// 3.8.6 samples have neither `url`, `url_ttl`, `substituted` nor dates).
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
    #[serde(skip_serializing_if = "Option::is_none")]
    substituted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url_ttl: Option<i64>,
}

pub fn subdef(ctx: &Ctx, record: &Record, info: &SubdefInfo) -> SubdefView {
    let new = !ctx.state.config.profile.shapes_38();
    SubdefView {
        name: info.name,
        permalink: permalink(ctx, record, info),
        height: info.height,
        width: info.width,
        filesize: info.size,
        devices: info.devices,
        player_type: info.player,
        mime_type: info.mime,
        substituted: new.then_some(false),
        created_on: new.then(|| atom(record.created_on + 60)),
        updated_on: new.then(|| atom(record.updated_on)),
        url: new.then(|| media::signed_url(ctx.state, ctx.base, record, info.name, ctx.ttl)),
        url_ttl: new.then_some(ctx.ttl),
    }
}

pub(super) fn thumbnail(ctx: &Ctx, record: &Record) -> Option<SubdefView> {
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

/// api §5 caption: non-business fields, multi-values joined with `;`.
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

/// api §6 MetadataValue, one entry per value.
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

/// Status bits defined in every databox (api §5 status: bits 4..31 only).
pub const STATUS_BITS: &[(u32, &str, &str)] = &[(4, "Validated", "Pending"), (5, "Published", "Draft")];

pub fn status(record: &Record) -> Value {
    Value::Array(
        STATUS_BITS
            .iter()
            .map(|(bit, _, _)| json!({"bit": bit, "state": record.status & (1 << bit) != 0}))
            .collect(),
    )
}

/// api §6 Record (V1C `listRecord`), or SearchRecord (same keys, another order), plus the extended keys.
/// Stories through record routes: null mime/name/sha256, `phrasea_type` unknown.
pub struct RecordView<'a> {
    r: &'a Record,
    /// None before 4.1.8 (docs/real-servers.md, "Versions").
    resource_id: Option<String>,
    /// false on 3.8 (docs/real-servers.md, "3.8 shapes").
    base_id: bool,
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
        resource_id: ctx.state.config.profile.resource_id().then(|| super::resource_id(ctx, r)),
        base_id: !ctx.state.config.profile.shapes_38(),
        // The hash of the upload, not of the served (maybe rewritten) document (docs/real-servers.md,
        // "sha256").
        sha256: media::originals::upload_sha256(r),
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
        if let Some(id) = &self.resource_id {
            m.serialize_entry("resource_id", id)?;
        }
        m.serialize_entry("mime_type", &r.shown_kind().mime())?;
        m.serialize_entry("title", &r.title)?;
        m.serialize_entry("original_name", &r.original_name)?;
        m.serialize_entry("updated_on", &atom(r.updated_on))?;
        m.serialize_entry("created_on", &atom(r.created_on))?;
        m.serialize_entry("collection_id", &r.coll_id)?;
        if self.base_id {
            m.serialize_entry("base_id", &r.base_id)?;
        }
        m.serialize_entry("sha256", &self.sha256)?;
        if self.search_order {
            m.serialize_entry("phrasea_type", r.shown_kind().phrasea_type())?;
            m.serialize_entry("uuid", &r.uuid)?;
            m.serialize_entry("thumbnail", &self.thumbnail)?;
            m.serialize_entry("technical_informations", &technical(r))?;
        } else {
            m.serialize_entry("thumbnail", &self.thumbnail)?;
            m.serialize_entry("technical_informations", &technical(r))?;
            m.serialize_entry("phrasea_type", r.shown_kind().phrasea_type())?;
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
