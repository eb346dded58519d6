//! Media: subdef descriptions for the JSON, signed `/medias/<jwt>` URLs, `/permalink/v1/...` and the
//! bytes behind them (generated thumbnails/previews cached once, originals of realistic size).

mod font;
pub mod imagegen;
pub mod originals;
pub mod range;
mod routes;
mod throttle;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use bytes::Bytes;
use serde_json::json;

use crate::model::{Kind, Record};
use crate::state::State as SimState;
use range::Piece;

pub use routes::router;

/// What the JSON says about one subdef (api §6 Subdef).
#[derive(Debug, Clone)]
pub struct SubdefInfo {
    pub name: &'static str,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
    pub size: u64,
    pub devices: &'static [&'static str],
    pub player: &'static str,
    pub permalink: bool,
}

fn seed(record: &Record) -> u64 {
    (record.databox_id as u64).wrapping_mul(1_000_003).wrapping_add(record.record_id as u64)
}

fn fit(w: u32, h: u32, max: u32) -> (u32, u32) {
    if w == 0 || h == 0 {
        return (max, max * 2 / 3);
    }
    if w >= h {
        (max, (h * max / w).max(1))
    } else {
        ((w * max / h).max(1), max)
    }
}

/// Exact byte size a generated subdef is padded to.
fn target(record: &Record, name: &str, png: bool) -> u64 {
    let h = seed(record).wrapping_mul(0x9E37_79B9);
    match (name, png) {
        ("thumbnail", true) => 40_000 + h % 5_000,
        ("thumbnail", false) => 12_000 + h % 4_000,
        _ => 90_000 + h % 30_000,
    }
}

fn player(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" | "image/png" => "IMAGE",
        "video/mp4" => "VIDEO_MP4",
        "audio/mpeg" => "AUDIO_MP3",
        "application/pdf" => "PDF",
        "application/x-shockwave-flash" => "FLEXPAPER",
        _ => "UNKNOWN",
    }
}

/// The record's subdefs in API order: `document` first (not for stories), then the group's subdefs
/// (api §5 embed). The thumbnail is missing when the record has none (api §9.9).
pub fn subdefs(record: &Record) -> Vec<SubdefInfo> {
    let mut out = Vec::new();
    let (w, h) = originals::image_dimensions(record);
    if let (Some(mime), Some(size)) = (record.kind.mime(), originals::size(record)) {
        out.push(SubdefInfo {
            name: "document",
            mime,
            width: w,
            height: h,
            size,
            devices: &["all"],
            player: player(mime),
            permalink: false,
        });
    }
    if record.kind == Kind::Unknown {
        return out;
    }
    let png = record.kind == Kind::Png;
    if record.has_thumbnail {
        let (tw, th) = fit(w, h, 240);
        let mime = if png { "image/png" } else { "image/jpeg" };
        out.push(SubdefInfo {
            name: "thumbnail",
            mime,
            width: tw,
            height: th,
            size: target(record, "thumbnail", png),
            devices: &["screen"],
            player: "IMAGE",
            permalink: true,
        });
    }
    let preview = match record.kind {
        Kind::Video => Some(("video/mp4", 320, 180, originals::video_preview_size(record))),
        Kind::Audio => Some(("audio/mpeg", 0, 0, originals::SAMPLE_MP3.len() as u64)),
        Kind::Flash => None,
        Kind::Story if record.cover.is_none() => None,
        _ => {
            let (pw, ph) = fit(w, h, 800);
            Some(("image/jpeg", pw, ph, target(record, "preview", false)))
        }
    };
    if let Some((mime, pw, ph, size)) = preview {
        out.push(SubdefInfo {
            name: "preview",
            mime,
            width: pw,
            height: ph,
            size,
            devices: &["screen"],
            player: player(mime),
            permalink: record.preview_permalink,
        });
    }
    out
}

fn type_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Jpeg | Kind::Png => "IMAGE",
        Kind::Video => "VIDEO",
        Kind::Audio => "AUDIO",
        Kind::Pdf => "PDF",
        Kind::Flash => "FLASH",
        Kind::Unknown => "FILE",
        Kind::Story => "STORY",
    }
}

/// Generates a thumbnail/preview image padded to its announced size.
pub fn generate(record: &Record, info: &SubdefInfo) -> Bytes {
    let title = format!("{}/{}", record.databox_id, record.record_id);
    let img = imagegen::render(seed(record), &title, type_label(record.kind), info.width, info.height);
    let target = info.size as usize;
    if info.mime == "image/png" {
        let png = imagegen::png(&img);
        return Bytes::from(imagegen::pad_png(&png, target).unwrap_or(png));
    }
    let mut last = Vec::new();
    for quality in [85, 70, 50, 30, 15] {
        last = imagegen::jpeg(&img, quality);
        if let Some(padded) = imagegen::pad_jpeg(&last, target) {
            return Bytes::from(padded);
        }
    }
    Bytes::from(last)
}

/// What identifies a generated image: it depends on nothing else, so the cache is shared by every
/// server of the process (tests start many).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct CacheKey {
    databox_id: i64,
    record_id: i64,
    name: &'static str,
    size: u64,
    width: u32,
    height: u32,
}

/// Generated images, kept once made. Previews are capped (`PREVIEW_CACHE_BYTES`): past the cap the
/// preview part is emptied and refilled on demand; thumbnails are always kept.
#[derive(Default)]
struct MediaCache {
    map: HashMap<CacheKey, Bytes>,
    preview_bytes: usize,
}

const PREVIEW_CACHE_BYTES: usize = 256 << 20;

static CACHE: LazyLock<Mutex<MediaCache>> = LazyLock::new(Mutex::default);

impl MediaCache {
    fn get(&self, key: &CacheKey) -> Option<Bytes> {
        self.map.get(key).cloned()
    }

    /// Inserts unless present; returns the cached bytes.
    fn insert(&mut self, key: CacheKey, bytes: Bytes) -> Bytes {
        if let Some(b) = self.map.get(&key) {
            return b.clone();
        }
        if key.name != "thumbnail" {
            if self.preview_bytes + bytes.len() > PREVIEW_CACHE_BYTES {
                self.map.retain(|k, _| k.name == "thumbnail");
                self.preview_bytes = 0;
            }
            self.preview_bytes += bytes.len();
        }
        self.map.insert(key, bytes.clone());
        bytes
    }
}

/// The bytes of a subdef, as pieces. Generated images are made once and cached.
pub async fn content(record: &Record, info: &SubdefInfo) -> Vec<Piece> {
    let whole = |b: Bytes| vec![Piece::Bytes(b)];
    match (info.name, info.mime) {
        ("document", _) => {
            originals::parts(record).map(|(p, t)| vec![Piece::Bytes(p), Piece::Bytes(t)]).unwrap_or_default()
        }
        ("preview", "video/mp4") => originals::video_preview(record),
        ("preview", "audio/mpeg") => whole(Bytes::from_static(originals::SAMPLE_MP3)),
        _ => {
            let key = CacheKey {
                databox_id: record.databox_id,
                record_id: record.record_id,
                name: info.name,
                size: info.size,
                width: info.width,
                height: info.height,
            };
            if let Some(b) = CACHE.lock().unwrap().get(&key) {
                return whole(b);
            }
            let (r, i) = (record.clone(), info.clone());
            let bytes = tokio::task::spawn_blocking(move || generate(&r, &i)).await.unwrap_or_default();
            whole(CACHE.lock().unwrap().insert(key, bytes))
        }
    }
}

/// `url_ttl` from `subdef_url_ttl` (api §6): default 7200, negative means -1 (no expiry).
pub fn url_ttl(param: Option<&str>) -> i64 {
    match param.and_then(|v| v.trim().parse::<i64>().ok()) {
        Some(v) if v < 0 => -1,
        Some(v) => v,
        None => 7200,
    }
}

/// `<base>/medias/<JWT>`: HS256 JWT carrying the subdef and, when ttl > 0, `exp` (api §6).
pub fn signed_url(state: &SimState, base: &str, record: &Record, name: &str, ttl: i64) -> String {
    let header = B64.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
    let now = crate::dates::now();
    let payload = if ttl > 0 {
        json!({"iat": now, "sdef": [record.databox_id, record.record_id, name], "exp": now + ttl})
    } else {
        json!({"iat": now, "sdef": [record.databox_id, record.record_id, name]})
    };
    let payload = B64.encode(payload.to_string());
    let sig = B64.encode(state.sign(format!("{header}.{payload}").as_bytes()));
    format!("{base}/medias/{header}.{payload}.{sig}")
}

/// Whether a subdef has a permalink. On 3.8 documents get one too: it is their only URL there (the
/// subdefs have no signed `url`, docs/real-servers.md, "3.8 shapes").
pub fn has_permalink(state: &SimState, info: &SubdefInfo) -> bool {
    info.permalink || (state.config.profile.shapes_38() && info.name == "document")
}

/// The permalink token of a subdef (stable for the run).
pub fn permalink_token(state: &SimState, record: &Record, name: &str) -> String {
    let mac = state.sign(format!("permalink {} {} {name}", record.databox_id, record.record_id).as_bytes());
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    mac.iter().take(16).map(|b| ALNUM[*b as usize % ALNUM.len()] as char).collect()
}

/// Permalink label: the title with anything but ASCII letters/digits/`-` turned into `_`.
pub fn label(record: &Record) -> String {
    let l: String = record
        .title
        .chars()
        .take(64)
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    if l.trim_matches('_').is_empty() {
        "untitled".into()
    } else {
        l
    }
}

pub fn ext(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "video/mp4" => "mp4",
        "audio/mpeg" => "mp3",
        "application/pdf" => "pdf",
        "application/x-shockwave-flash" => "swf",
        "application/zip" => "zip",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_subdefs_have_exactly_the_announced_size() {
        let (data, _) = crate::fixtures::build(crate::Dataset::Demo, 0, Default::default());
        let mut previews = 0;
        for record in &data.records {
            for info in subdefs(record) {
                let generated = matches!(info.mime, "image/jpeg" | "image/png") && info.name != "document";
                // A sample covering every kind (encoding is slow in debug builds).
                let step = if info.name == "preview" { 13 } else { 3 };
                if !generated || record.record_id % step != 0 {
                    continue;
                }
                previews += usize::from(info.name == "preview");
                let bytes = generate(record, &info);
                assert_eq!(bytes.len() as u64, info.size, "{} of {:?}", info.name, record.key());
                let img = image::load_from_memory(&bytes).expect("decodable");
                assert_eq!((img.width(), img.height()), (info.width, info.height));
            }
        }
        assert!(previews >= 10);
    }
}
