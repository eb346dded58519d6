//! `make bench` (issue #14): builds nothing itself (scripts/bench.sh builds the release binaries), starts
//! the release double, measures each figure beside a baseline timed in the same run, and prints one
//! markdown table, also written to target/bench/latest.md. Nothing here asserts a timing.
//!
//! Flags: `--no-window` (skip the release-window figures), `--pss-variants` (also measure the PSS under
//! WebKit environment variables that may lower it; slow, for investigation), `--download-detail` (also
//! split the basket download's time: app, client alone, curl at the app's bound; `download_detail.rs`),
//! `--only-download` (the download rows alone, to iterate on them; implies `--no-window`),
//! `--client-download-only` (the client's basket download and curl at its bound, alternating, 3 times,
//! timed on stderr with their CPU: to profile it, no table), `--video-only` (the video row alone, without
//! its 52-second baseline: to iterate on the first frame).

mod core;
mod curl;
mod download_detail;
mod sim;
mod table;
mod window;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use phraseanet_client::RecordRef;

use crate::curl::Transfer;
use crate::sim::SimProcess;
use crate::table::{markdown, Row};

const LARGE: usize = 10_000;
const THUMBNAILS: usize = 1_000;
const DOWNLOAD: usize = 300;
const SMALL: usize = 10;
const DECODE_RUNS: usize = 9;
const MEDIA_RUNS: usize = 3;
const DOWNLOAD_RUNS: usize = 5;
/// Video row: the double's per-response rate and the preview's size.
const BANDWIDTH: u64 = 10_000_000;
const PREVIEW_MIB: u64 = 500;

fn workspace_root() -> PathBuf {
    match std::env::var_os("PHRASEANET_ROOT") {
        Some(root) => root.into(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
    }
}

fn first_line(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").trim().to_string())
        .unwrap_or_default()
}

/// "2026-11-30, Intel(R) Xeon(R) …, 2 cores, 24 GiB".
fn date_and_machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem_kb: u64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    format!(
        "{}, {cpu}, {cores} cores, {:.0} GiB, {}",
        first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        mem_kb as f64 / 1_048_576.0,
        first_line("uname", &["-sr"])
    )
}

fn or_missing(figure: &str, r: Result<Row, String>) -> Row {
    r.unwrap_or_else(|e| {
        eprintln!("bench: {figure}: {e}");
        Row::missing(figure, e)
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let video_only = has("--video-only");
    // Row 4 and the PSS alone (the double's thumbnails not warmed by row 2: the small basket's cold
    // open pays their drawing).
    let baskets_only = has("--baskets-only");
    let only_download = has("--only-download");
    let with_window = !has("--no-window") && !only_download;
    let download_detail = has("--download-detail");
    let pss_variants = has("--pss-variants");
    let root = workspace_root();
    let out_dir = root.join("target/bench");
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!("bench: {}: {e}", out_dir.display());
        return ExitCode::FAILURE;
    }
    // Downloads land on the work disk, as a person's would, not in a RAM-backed /tmp.
    let tmp = tempfile::tempdir_in(&out_dir).expect("a scratch dir");
    let sim_bin = root.join("target/release/phraseanet-sim");
    let started = Instant::now();
    let big = match SimProcess::start(&sim_bin, &["--dataset", "large", "--basket-size", &LARGE.to_string()])
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let large_id = big.id("large_basket_id");
    let mut rows = Vec::new();

    eprintln!("bench: basket decode");
    let (bytes, content) = match core::fetch_basket(&big, large_id, tmp.path()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    if video_only {
        rows.extend(
            window_rows(&root, &out_dir, &big, &[], pss_variants, Some(Only::Video), tmp.path()).await,
        );
        return print_table(&out_dir, &rows, started);
    }
    let records: Vec<RecordRef> =
        content.basket_elements.iter().map(|e| RecordRef::from(&e.record)).collect();
    if baskets_only {
        rows.extend(
            window_rows(&root, &out_dir, &big, &records, pss_variants, Some(Only::Baskets), tmp.path()).await,
        );
        return print_table(&out_dir, &rows, started);
    }
    if !only_download {
        rows.push(core::decode(&bytes, DECODE_RUNS));
    }
    drop(bytes);

    if !only_download {
        eprintln!("bench: {THUMBNAILS} thumbnails");
        let thumbs = core::thumbnails(&big, &content, THUMBNAILS, MEDIA_RUNS, tmp.path()).await;
        rows.push(or_missing("Thumbnails through the media pipeline", thumbs));
    }

    eprintln!("bench: basket download ({DOWNLOAD} records)");
    let picked = &records[..DOWNLOAD.min(records.len())];
    let basket = core::make_basket(&big, &format!("Bench download ({DOWNLOAD})"), picked).await;
    if has("--client-download-only") {
        let Ok(id) = basket else { return ExitCode::FAILURE };
        return match download_detail::client_only(&big, id, picked, DOWNLOAD_RUNS, tmp.path()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let download = async { core::download(&big, basket.clone()?, picked, DOWNLOAD_RUNS, tmp.path()).await };
    rows.push(or_missing("Basket download", download.await));
    if download_detail {
        eprintln!("bench: where the download's time goes");
        match async { download_detail::rows(&big, basket?, picked, DOWNLOAD_RUNS, tmp.path()).await }.await {
            Ok(detail) => rows.extend(detail),
            Err(e) => rows.push(or_missing("Download detail", Err(e))),
        }
    }

    if with_window {
        rows.extend(window_rows(&root, &out_dir, &big, &records, pss_variants, None, tmp.path()).await);
    }
    print_table(&out_dir, &rows, started)
}

fn print_table(out_dir: &Path, rows: &[Row], started: Instant) -> ExitCode {
    let title = format!(
        "### `make bench` — {}\n\nRelease build, the double (`phraseanet-sim`, release) on loopback; ratio = figure ÷ baseline. Run took {:.0} s.",
        date_and_machine(),
        started.elapsed().as_secs_f64()
    );
    let table = markdown(&title, rows);
    println!("{table}");
    let latest = out_dir.join("latest.md");
    if let Err(e) = std::fs::write(&latest, &table) {
        eprintln!("bench: {}: {e}", latest.display());
    }
    ExitCode::SUCCESS
}

async fn window_rows(
    root: &Path,
    out_dir: &Path,
    big: &SimProcess,
    records: &[RecordRef],
    pss_variants: bool,
    only: Option<Only>,
    tmp: &Path,
) -> Vec<Row> {
    let video_only = only == Some(Only::Video);
    let first_screen = "First screen of the 10,000-element basket";
    let video_row = format!(
        "Video time to first frame, {PREVIEW_MIB} MiB preview at {} MB/s, release window",
        BANDWIDTH / 1_000_000
    );
    // The small basket's records are thumbnails the double has drawn (row 2) but that are not on the big
    // basket's first screen, so its "cold" open fetches them for real.
    let small = &records[(THUMBNAILS - SMALL).min(records.len())..THUMBNAILS.min(records.len())];
    let small_id = match video_only {
        true => 0,
        false => match core::make_basket(big, &format!("Bench first screen ({SMALL})"), small).await {
            Ok(id) => id,
            Err(e) => return vec![Row::missing(first_screen, e)],
        },
    };
    let args = [
        "--dataset",
        "demo",
        "--bandwidth",
        &BANDWIDTH.to_string(),
        "--video-preview-mb",
        &PREVIEW_MIB.to_string(),
    ];
    let video = match SimProcess::start(&root.join("target/release/phraseanet-sim"), &args) {
        Ok(v) => v,
        Err(e) => return vec![Row::missing(first_screen, e)],
    };
    let name =
        |r: Option<&RecordRef>| r.map(|r| format!("{}/{}", r.databox_id, r.record_id)).unwrap_or_default();
    let baskets = window::Baskets {
        large: (big.id("large_basket_id"), name(records.first()), records.len()),
        small: (small_id, name(small.first()), small.len()),
    };
    eprintln!("bench: the release window (WebDriver)");
    // The PSS variants go with the basket part (they run only with --pss-variants).
    let parts: Option<&[&str]> = match only {
        Some(Only::Baskets) => Some(&["baskets", "variants"]),
        Some(Only::Video) => Some(&["video"]),
        _ => None,
    };
    let figures = match window::measure(root, out_dir, big, &baskets, &video, pss_variants, parts) {
        Ok(f) => f,
        Err(e) => return vec![Row::missing(first_screen, e)],
    };
    let mut rows = if video_only { Vec::new() } else { window::rows(&figures, &baskets) };
    if only == Some(Only::Baskets) {
        rows.extend(variant_rows(&figures));
        return rows;
    }
    if video_only {
        let row = match figures["video_first_frame_ms"].as_f64() {
            Some(ms) => Row {
                figure: video_row,
                measured: table::time(Duration::from_secs_f64(ms / 1000.0)),
                baseline: "not measured (`--video-only`)".into(),
                ratio: None,
                note: Some(window::video_note(&figures)),
            },
            None => Row::missing(&video_row, figures["video_error"].as_str().unwrap_or("not measured")),
        };
        return vec![row];
    }
    eprintln!("bench: the whole preview with curl at the same rate");
    let first_frame = figures["video_first_frame_ms"].as_f64().map(|ms| Duration::from_secs_f64(ms / 1000.0));
    let whole = async {
        let (d, r) = video.record("video_record");
        let embed =
            core::api(&video).record_embed(RecordRef::new(d, r), None).await.map_err(|e| e.to_string())?;
        let url = embed
            .iter()
            .find(|s| s.name == "preview")
            .and_then(|s| s.fetch_url())
            .ok_or("no preview")?
            .to_string();
        curl::parallel(tmp, &video.token, &[Transfer { url: &url, output: Path::new("/dev/null") }], Some(1))
    };
    let row = match (first_frame, whole.await) {
        (Some(a), Ok(b)) => {
            let mut row = Row::timed(&video_row, a, "`curl`, the whole preview at the same rate", b);
            row.note = Some(window::video_note(&figures));
            row
        }
        (None, _) => Row::missing(&video_row, figures["video_error"].as_str().unwrap_or("not measured")),
        (_, Err(e)) => Row::missing(&video_row, e),
    };
    rows.insert(2.min(rows.len()), row);
    rows.extend(variant_rows(&figures));
    rows
}

/// The window part a run is limited to (`--video-only`, `--baskets-only`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    Video,
    Baskets,
}

/// `--pss-variants`: a row per environment variable tried.
fn variant_rows(figures: &serde_json::Value) -> Vec<Row> {
    let Some(variants) = figures["variants"].as_array() else { return Vec::new() };
    let mut rows = Vec::new();
    for v in variants {
        if let (Some(name), Some(idle), Some(after)) =
            (v["name"].as_str(), v["idle_mb"].as_f64(), v["after_mb"].as_f64())
        {
            let mut row =
                Row::megabytes(format!("PSS with {name}, idle after sign-in"), idle, "target", 200.0);
            row.note =
                Some(format!("after the big basket {after:.0} MB, {:.2}× the 300 MB target", after / 300.0));
            rows.push(row);
        }
    }
    rows
}
