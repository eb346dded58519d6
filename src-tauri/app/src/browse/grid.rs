//! Small conversions shared by baskets, stories and records: kinds, grid items, names, dates.

use phraseanet_client::models::{Participant, Record, Story, Subdef, User};

use super::models::{GridItem, MediaKind, ThumbSize};

/// The record's kind. A story seen through a record route has no mime, no sha256 and `phrasea_type`
/// "unknown" (api §7.8): that signature is taken as a story without probing `/stories/` per element.
pub(crate) fn kind_of(record: &Record) -> MediaKind {
    if record.looks_like_story() {
        return MediaKind::Story;
    }
    kind_of_type(&record.phrasea_type, record.mime_type.as_deref())
}

/// A story as a grid cell (search results, "where is it used").
pub(crate) fn story_item(s: &Story) -> GridItem {
    GridItem {
        element_id: None,
        databox_id: s.databox_id,
        record_id: s.story_id,
        // Search answers carry no story title (api §7.12): the grid labels it by its kind.
        title: s.title().unwrap_or_default().to_string(),
        kind: MediaKind::Story,
        thumb: thumb_size(s.thumbnail.as_ref()),
        duration: None,
        pages: None,
        extension: None,
        vote: None,
    }
}

pub(crate) fn kind_of_type(phrasea_type: &str, mime: Option<&str>) -> MediaKind {
    match phrasea_type {
        "image" => MediaKind::Image,
        "video" => MediaKind::Video,
        "audio" => MediaKind::Audio,
        "document" | "flash" => MediaKind::Document,
        // An unknown type with a mime still says something useful to the viewer.
        _ => match mime.unwrap_or("").split('/').next() {
            Some("image") => MediaKind::Image,
            Some("video") => MediaKind::Video,
            Some("audio") => MediaKind::Audio,
            Some("application") | Some("text") => MediaKind::Document,
            _ => MediaKind::Unknown,
        },
    }
}

pub(crate) fn thumb_size(thumb: Option<&Subdef>) -> Option<ThumbSize> {
    thumb.map(|t| ThumbSize { w: clamp_u32(t.width), h: clamp_u32(t.height) })
}

pub(crate) fn clamp_u32(v: i64) -> u32 {
    v.clamp(0, u32::MAX as i64) as u32
}

pub(crate) fn grid_item(record: &Record, element_id: Option<i64>) -> GridItem {
    GridItem {
        element_id,
        databox_id: record.databox_id,
        record_id: record.record_id,
        title: record.title.clone(),
        kind: kind_of(record),
        thumb: thumb_size(record.thumbnail.as_ref()),
        duration: technical_number(record, &["Duration"]).filter(|d| d.is_finite() && *d > 0.0),
        pages: technical_number(record, &["Pages", "PageCount"])
            .filter(|p| p.is_finite() && *p >= 1.0)
            .map(|p| p.min(u32::MAX as f64) as u32),
        extension: extension_of(record),
        vote: None,
    }
}

/// A technical field as a number: servers send numbers, and some send numeric strings.
fn technical_number(record: &Record, names: &[&str]) -> Option<f64> {
    let info = record.technical_informations.iter().find(|t| names.contains(&t.name.as_str()))?;
    match &info.value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The badge's extension: short and alphanumeric only (the name is the server's, untrusted).
fn extension_of(record: &Record) -> Option<String> {
    if record.looks_like_story() {
        return None;
    }
    let short = |e: &str| {
        let e = e.trim().to_ascii_lowercase();
        (!e.is_empty() && e.len() <= 6 && e.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(e)
    };
    let from_name =
        record.original_name.as_deref().and_then(|n| n.rsplit_once('.')).and_then(|(_, e)| short(e));
    from_name.or_else(|| {
        let subtype = record.mime_type.as_deref()?.split('/').nth(1)?;
        short(subtype.split(['+', ';']).next()?)
    })
}

pub(crate) fn user_name(user: Option<&User>) -> Option<String> {
    user.map(User::name)
}

pub(crate) fn participant_name(p: &Participant) -> String {
    if !p.usr_name.trim().is_empty() {
        return p.usr_name.clone();
    }
    p.user.as_ref().map(User::name).unwrap_or_else(|| format!("user {}", p.usr_id))
}

/// Seconds since the epoch of an ISO-8601 date with offset (`2025-02-01T12:00:00+01:00`, `…Z`), for
/// sorting dates given in different offsets. `None` when it does not parse.
pub(crate) fn unix_seconds(iso: &str) -> Option<i64> {
    let s = iso.trim().as_bytes();
    let num = |a: usize, b: usize| -> Option<i64> { std::str::from_utf8(s.get(a..b)?).ok()?.parse().ok() };
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, se) = if s.len() >= 19 { (num(11, 13)?, num(14, 16)?, num(17, 19)?) } else { (0, 0, 0) };
    // Skip fractional seconds, then read the offset.
    let mut i = 19.min(s.len());
    if s.get(i) == Some(&b'.') {
        i += 1;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let offset = match s.get(i) {
        Some(b'+') | Some(b'-') => {
            let sign = if s[i] == b'-' { -1 } else { 1 };
            let oh = num(i + 1, i + 3)?;
            let om = if s.get(i + 3) == Some(&b':') { num(i + 4, i + 6)? } else { num(i + 3, i + 5)? };
            sign * (oh * 3600 + om * 60)
        }
        _ => 0,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_compare_across_offsets() {
        assert_eq!(unix_seconds("1970-01-01T00:00:00+00:00"), Some(0));
        assert_eq!(unix_seconds("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(unix_seconds("2025-02-01T12:00:00Z"), Some(1_738_411_200));
        assert_eq!(unix_seconds("2025-02-01T12:00:00.123-0100"), Some(1_738_411_200 + 3600));
        assert_eq!(unix_seconds("garbage"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of_type("flash", None), MediaKind::Document);
        assert_eq!(kind_of_type("unknown", Some("video/mp4")), MediaKind::Video);
        assert_eq!(kind_of_type("unknown", None), MediaKind::Unknown);
    }

    fn record(json: serde_json::Value) -> Record {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn badges_come_from_the_record() {
        let video = record(serde_json::json!({
            "record_id": 1, "mime_type": "video/mp4", "original_name": "Clip.MOV", "phrasea_type": "video",
            "sha256": "ab", "technical_informations": [{"name": "Duration", "value": "222.4"}, {"name": "PageCount", "value": 3}]
        }));
        let item = grid_item(&video, None);
        assert_eq!(item.duration, Some(222.4));
        assert_eq!(item.pages, Some(3));
        assert_eq!(item.extension.as_deref(), Some("mov"));

        // No usable name: the mime's subtype; a hostile name gives no badge at all.
        let pdf = record(
            serde_json::json!({"record_id": 2, "mime_type": "application/pdf", "phrasea_type": "document", "sha256": "ab"}),
        );
        assert_eq!(grid_item(&pdf, None).extension.as_deref(), Some("pdf"));
        let hostile = record(serde_json::json!({
            "record_id": 3, "original_name": "a.<script>", "mime_type": "image/svg+xml", "phrasea_type": "image", "sha256": "ab",
            "technical_informations": [{"name": "Duration", "value": -1}]
        }));
        let item = grid_item(&hostile, None);
        assert_eq!(item.extension.as_deref(), Some("svg"));
        assert_eq!(item.duration, None);
    }
}
