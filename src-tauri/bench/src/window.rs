//! The figures of the release app window (first screen, video first frame, PSS). They are measured by
//! the WebDriver program `tests/bench` of the root package (it reuses the end-to-end harness), run here
//! as `cargo test --test bench` with a context file: the doubles' addresses and tokens, the baskets,
//! the release binary. It writes its figures as JSON; this module turns them into rows.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};

use crate::sim::SimProcess;
use crate::table::{thousands, Row};

pub struct Baskets {
    pub large: (i64, String, usize),
    pub small: (i64, String, usize),
}

fn server(sim: &SimProcess) -> Value {
    json!({ "url": sim.url, "client_id": sim.client_id, "client_secret": sim.client_secret, "token": sim.token })
}

/// Runs the window program and returns its JSON figures.
pub fn measure(
    root: &Path,
    out_dir: &Path,
    big: &SimProcess,
    baskets: &Baskets,
    video: &SimProcess,
    pss_variants: bool,
    parts: Option<&[&str]>,
) -> Result<Value, String> {
    let (vd, vr) = video.record("video_record");
    let out = out_dir.join("window.json");
    let _ = std::fs::remove_file(&out);
    let context = json!({
        "desktop_bin": root.join("target/release/phraseanet-desktop"),
        "out": out,
        "server": server(big),
        "large": { "basket": baskets.large.0, "first_record": baskets.large.1, "size": baskets.large.2 },
        "small": { "basket": baskets.small.0, "first_record": baskets.small.1, "size": baskets.small.2 },
        "video": { "server": server(video), "basket": video.id("media_basket_id"), "record": format!("{vd}/{vr}") },
        "pss_variants": pss_variants,
    });
    let mut context = context;
    if let Some(parts) = parts {
        context["parts"] = json!(parts);
    }
    let context_file = out_dir.join("context.json");
    write_private(&context_file, &serde_json::to_vec_pretty(&context).unwrap_or_default())?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--quiet", "--test", "bench"])
        .current_dir(root)
        .env("PHRASEANET_BENCH_CONTEXT", &context_file)
        .env("PHRASEANET_DESKTOP_BIN", root.join("target/release/phraseanet-desktop"))
        .status()
        .map_err(|e| format!("cargo test --test bench: {e}"));
    // The context holds the doubles' tokens: gone once read.
    let _ = std::fs::remove_file(&context_file);
    let status = status?;
    let text = std::fs::read_to_string(&out)
        .map_err(|e| format!("the window program wrote no figures ({status}): {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("window figures: {e}"))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(bytes).map_err(|e| e.to_string())
}

fn ms(v: &Value, key: &str) -> Option<Duration> {
    v[key].as_f64().map(|ms| Duration::from_secs_f64(ms / 1000.0))
}

/// The video row's note: which event stamped it, the page's timeline up to it (ms after the click), and
/// the same first frame opened again in that session and after a restart (GStreamer's registry cached).
pub fn video_note(w: &Value) -> String {
    let event = w["video_event"].as_str().unwrap_or("?");
    let timeline = |key: &str| {
        let mut steps: Vec<(String, f64)> = w[key]
            .as_object()
            .map(|o| o.iter().filter_map(|(k, v)| Some((k.clone(), v.as_f64()?))).collect())
            .unwrap_or_default();
        steps.sort_by(|a, b| a.1.total_cmp(&b.1));
        steps.iter().map(|(k, ms)| format!("{k} {ms:.0}")).collect::<Vec<_>>().join(", ")
    };
    let mut note =
        format!("first `{event}` after the click on Open; page timeline (ms): {}", timeline("video_steps"));
    for (key, what) in [("video_again", "opened again in that session"), ("video_restart", "after a restart")]
    {
        if let Some(ms) = w[format!("{key}_ms")].as_f64() {
            note.push_str(&format!("; {what}: {ms:.0} ms ({})", timeline(&format!("{key}_steps"))));
        }
    }
    note
}

/// Issue #14's PSS target for the idle app (welcome screen, basket list).
const IDLE_TARGET_MB: f64 = 200.0;

/// Rows 4 and 6 (and the video's first frame, whose baseline is timed by the caller).
pub fn rows(w: &Value, baskets: &Baskets) -> Vec<Row> {
    let (large, small) = (thousands(baskets.large.2), thousands(baskets.small.2));
    let mut rows = Vec::new();
    for (case, label) in [("cold", "cold (first open)"), ("cached", "cached (reopened after a restart)")] {
        let figure = format!(
            "{large}-element basket to its first screen of decoded thumbnails, {label}, release window"
        );
        match (ms(w, &format!("large_{case}_ms")), ms(w, &format!("small_{case}_ms"))) {
            (Some(a), Some(b)) => {
                let mut row =
                    Row::timed(figure, a, format!("{small}-element basket, {case}, same window"), b);
                let cells =
                    |k: &str| w[format!("{k}_{case}_cells_ms")].as_f64().map(|ms| format!("{ms:.0} ms"));
                if let (Some(l), Some(s)) = (cells("large"), cells("small")) {
                    row.note = Some(format!(
                        "cells in the grid after {l} ({s} for the small one), then their thumbnails"
                    ));
                }
                rows.push(row)
            }
            _ => {
                rows.push(Row::missing(figure, w[format!("{case}_error")].as_str().unwrap_or("not measured")))
            }
        }
    }
    // The engine's floor: a bare WebKitGTK window holds this much before any app content.
    let floor_mb = w["pss_floor_mb"].as_f64();
    let floor = "PSS of a bare WebKitGTK window on a one-line page (the engine's floor, no app)";
    match floor_mb {
        Some(mb) => {
            rows.push(Row::megabytes(floor, mb, "target of issue #14 for the idle app", IDLE_TARGET_MB))
        }
        None => rows.push(Row::missing(floor, w["pss_floor_error"].as_str().unwrap_or("not measured"))),
    }
    let pss = [
        ("pss_welcome_mb", "PSS (app + its WebKit processes), idle at the welcome screen", IDLE_TARGET_MB),
        ("pss_signed_in_mb", "PSS, idle after sign-in (basket list)", IDLE_TARGET_MB),
        ("pss_after_mb", "PSS after opening the 10,000-element basket and scrolling to its end", 300.0),
    ];
    for (key, figure, target) in pss {
        match w[key].as_f64() {
            Some(mb) => {
                let mut row = Row::megabytes(figure, mb, "target of issue #14", target);
                if let Some(floor) = floor_mb {
                    row.note = Some(format!("{:.0} MB above the engine's floor", mb - floor));
                }
                rows.push(row)
            }
            None => rows.push(Row::missing(figure, w["pss_error"].as_str().unwrap_or("not measured"))),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pss_rows(w: Value) -> Vec<Row> {
        let baskets = Baskets { large: (1, "1/1".into(), 10_000), small: (2, "1/991".into(), 10) };
        rows(&w, &baskets).into_iter().filter(|r| r.figure.starts_with("PSS")).collect()
    }

    #[test]
    fn the_idle_rows_are_read_against_the_engines_floor() {
        let rows = pss_rows(json!({ "pss_floor_mb": 190.0, "pss_welcome_mb": 235.0 }));
        assert!(rows[0].figure.contains("bare WebKitGTK window"));
        assert_eq!(rows[0].measured, "190 MB");
        assert_eq!(rows[0].ratio, Some(0.95));
        assert_eq!(rows[1].note.as_deref(), Some("45 MB above the engine's floor"));
    }

    #[test]
    fn a_floor_that_never_loaded_says_why_and_the_app_rows_stand_alone() {
        let why = "the bare WebKitGTK window never loaded its page";
        let rows = pss_rows(json!({ "pss_floor_error": why, "pss_welcome_mb": 235.0 }));
        assert_eq!(rows[0].ratio, None);
        assert_eq!(rows[0].note.as_deref(), Some(why));
        assert_eq!(rows[1].measured, "235 MB");
        assert_eq!(rows[1].note, None);
    }
}
