//! The figures measured without a window: basket decode, thumbnails through the media pipeline, a
//! basket download. Each is timed beside its baseline, alternating, in the same run.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use phraseanet_app::browse::{DownloadEventKind, MediaClient};
use phraseanet_app::{Desktop, NewProfile};
use phraseanet_client::models::BasketContent;
use phraseanet_client::{Api, AuthMethod, MediaOptions, ProfileStore, RecordRef, Secret, ServerUrl, Vault};
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::curl::{self, Transfer};
use crate::sim::SimProcess;
use crate::table::{median, thousands, Row};

const P: &str = "Bench";

/// The API envelope around a basket, as the client reads it (`meta`, then `response` decoded by the
/// tolerant models into `BasketContent`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct BasketAnswer {
    #[allow(dead_code)]
    meta: IgnoredAny,
    response: BasketContent,
}

pub fn basket_url(sim: &SimProcess, id: i64) -> String {
    format!("{}/api/v1/baskets/{id}/content/", sim.url)
}

/// The basket's answer as the server sends it, and its decoded content (setup, not timed).
pub fn fetch_basket(sim: &SimProcess, id: i64, tmp: &Path) -> Result<(Vec<u8>, BasketContent), String> {
    let bytes = curl::get(tmp, &sim.token, &basket_url(sim, id))?;
    let answer: BasketAnswer = serde_json::from_slice(&bytes).map_err(|e| format!("basket {id}: {e}"))?;
    Ok((bytes, answer.response))
}

/// Row 1: decoding into the client's basket model vs skipping the same bytes with `IgnoredAny`.
pub fn decode(bytes: &[u8], runs: usize) -> Row {
    let (mut typed, mut skipped) = (Vec::new(), Vec::new());
    let mut elements = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let answer: BasketAnswer = serde_json::from_slice(bytes).expect("the basket decodes");
        typed.push(t.elapsed());
        elements = answer.response.basket_elements.len();
        drop(answer);
        let t = Instant::now();
        serde_json::from_slice::<IgnoredAny>(bytes).expect("the basket is JSON");
        skipped.push(t.elapsed());
    }
    let mb = bytes.len() as f64 / 1e6;
    Row::timed(
        format!(
            "Basket decode: {} elements, {mb:.1} MB JSON → `BasketContent` (median of {runs})",
            thousands(elements)
        ),
        median(&typed),
        "`serde_json` into `IgnoredAny`, same bytes",
        median(&skipped),
    )
}

/// A `Desktop` with a session-only vault, its config and media cache under `dir`, signed in with the
/// double's developer token.
pub async fn signed_in(sim: &SimProcess, dir: &Path) -> Result<Desktop, String> {
    let desktop = Desktop::new(ProfileStore::at(dir.join("config")), Vault::session_only());
    desktop.set_media_cache_dir(dir.join("cache"));
    let profile = NewProfile {
        name: Some(P.into()),
        server: format!("{}/", sim.url),
        client_id: sim.client_id.clone(),
        client_secret: Some(sim.client_secret.clone()),
        auth: AuthMethod::OauthOob,
    };
    desktop.save_profile(profile).map_err(|e| format!("profile: {e}"))?;
    desktop.sign_in_with_token(P, &sim.token).await.map_err(|e| format!("sign-in: {e}"))?;
    Ok(desktop)
}

pub fn api(sim: &SimProcess) -> Api {
    let server = ServerUrl::parse(&sim.url).expect("the double's URL");
    Api::new(server, Secret::new(sim.token.clone())).expect("an API client")
}

/// Creates a basket of `records` on the double (API v2) and returns its id.
pub async fn make_basket(sim: &SimProcess, name: &str, records: &[RecordRef]) -> Result<i64, String> {
    let api = api(sim);
    let basket = api.create_basket(name).await.map_err(|e| format!("create basket: {e}"))?;
    let added = api.add_to_basket(basket.basket_id, records).await.map_err(|e| format!("add: {e}"))?;
    if added != records.len() {
        return Err(format!("basket {name}: {added} of {} records added", records.len()));
    }
    Ok(basket.basket_id)
}

/// Row 2: `count` thumbnails through `Desktop::media_http` (what the `pmedia:` scheme calls), uncached,
/// vs `curl --parallel` with the app's media concurrency on the same URLs; the double warmed first.
pub async fn thumbnails(
    sim: &SimProcess,
    basket: &BasketContent,
    count: usize,
    runs: usize,
    tmp: &Path,
) -> Result<Row, String> {
    let thumbs: Vec<(RecordRef, String)> = basket
        .basket_elements
        .iter()
        .filter_map(|e| {
            Some((RecordRef::from(&e.record), e.record.thumbnail.as_ref()?.fetch_url()?.to_string()))
        })
        .take(count)
        .collect();
    let concurrency = MediaOptions::in_dir(tmp).concurrency;
    let null = Path::new("/dev/null");
    let transfers: Vec<Transfer> = thumbs.iter().map(|(_, url)| Transfer { url, output: null }).collect();
    // The double draws each image once, on its first request: pay that before anything is timed.
    curl::parallel(tmp, &sim.token, &transfers, Some(concurrency))?;
    let (mut app, mut baseline) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let dir = tempfile::tempdir_in(tmp).map_err(|e| e.to_string())?;
        let desktop = Arc::new(signed_in(sim, dir.path()).await?);
        // Opening the basket puts its thumbnails in the media index, as the grid's first request finds it.
        desktop.basket(P, basket.basket.basket_id).await.map_err(|e| format!("basket: {e}"))?;
        let started = Instant::now();
        let tasks: Vec<_> = thumbs
            .iter()
            .map(|(r, _)| {
                let (desktop, path) = (desktop.clone(), format!("thumb/{}/{}", r.databox_id, r.record_id));
                // One task per request, as the shell's scheme handler runs them.
                tokio::spawn(async move {
                    let answer = desktop.media_http(MediaClient::Scheme, P, &path, None, false).await;
                    answer.status().as_u16() == 200 && !answer.body().is_empty()
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            ok += usize::from(t.await.unwrap_or(false));
        }
        app.push(started.elapsed());
        if ok != thumbs.len() {
            return Err(format!("media pipeline: {ok} of {} thumbnails answered", thumbs.len()));
        }
        baseline.push(curl::parallel(tmp, &sim.token, &transfers, Some(concurrency))?);
    }
    Ok(Row::timed(
        format!(
            "{} thumbnails through the media pipeline (`Desktop::media_http`, uncached, pool of {concurrency}), warmed double (median of {runs})",
            thumbs.len()
        ),
        median(&app),
        format!("`curl --parallel --parallel-max {concurrency}`, same URLs"),
        median(&baseline),
    ))
}

/// The originals' signed URLs (from each record's embed; setup, not timed).
pub async fn document_urls(sim: &SimProcess, records: &[RecordRef]) -> Result<Vec<String>, String> {
    let api = api(sim);
    let mut urls = Vec::new();
    let started = Instant::now();
    for r in records {
        let embed = api.record_embed(*r, None).await.map_err(|e| format!("embed: {e}"))?;
        let doc = embed.iter().find(|s| s.name == "document").and_then(|s| s.fetch_url()).map(str::to_string);
        urls.push(doc.ok_or_else(|| format!("record {}/{} has no document", r.databox_id, r.record_id))?);
    }
    // What each file's `/records/…/embed/` call costs the app's download before its transfer starts.
    eprintln!(
        "bench: {} embeds one after the other: {:.1} ms each",
        records.len(),
        started.elapsed().as_secs_f64() * 1000.0 / records.len().max(1) as f64
    );
    Ok(urls)
}

/// One run of the app's basket download.
pub struct AppRun {
    /// Until the last file is done.
    pub took: Duration,
    pub bytes: u64,
    /// Until `download_basket` returned (every file queued).
    pub queued: Duration,
    /// Sum over the files of running → done: divided by `took`, the files in flight on average.
    pub busy: Duration,
    /// Until the last original was compared with its record's sha256 (`checked`, at idle priority
    /// after the files are done), when every one was within 60 s.
    pub checked: Option<Duration>,
}

/// The app's basket download (`Desktop::download_basket`) into a fresh folder, signed in first (not
/// timed).
pub async fn app_download(
    sim: &SimProcess,
    basket_id: i64,
    files: usize,
    tmp: &Path,
) -> Result<AppRun, String> {
    let dir = tempfile::tempdir_in(tmp).map_err(|e| e.to_string())?;
    let folder = dir.path().join("downloads");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let desktop = signed_in(sim, dir.path()).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let started = Instant::now();
    let ids = desktop
        .download_basket(P, basket_id, Some(folder.clone()), false, move |e| {
            let running = e.kind == DownloadEventKind::Progress && e.item.received == 0;
            if running
                || matches!(
                    e.kind,
                    DownloadEventKind::Done
                        | DownloadEventKind::Failed
                        | DownloadEventKind::Cancelled
                        | DownloadEventKind::Checked
                )
            {
                let _ = tx.send((e.kind, e.item.id, Instant::now()));
            }
        })
        .await
        .map_err(|e| format!("download: {e}"))?;
    let queued = started.elapsed();
    let (mut done, mut busy, mut checked) = (0, Duration::ZERO, 0);
    let mut running = std::collections::HashMap::new();
    while done < ids.len() {
        match tokio::time::timeout(Duration::from_secs(300), rx.recv()).await {
            Ok(Some((DownloadEventKind::Checked, _, _))) => checked += 1,
            Ok(Some((DownloadEventKind::Progress, id, at))) => {
                running.entry(id).or_insert(at);
            }
            Ok(Some((DownloadEventKind::Done, id, at))) => {
                done += 1;
                busy += running.get(&id).map(|t| at.duration_since(*t)).unwrap_or_default();
            }
            Ok(Some((kind, _, _))) => return Err(format!("a download ended {kind:?}")),
            _ => return Err("the downloads never ended".into()),
        }
    }
    let took = started.elapsed();
    if done != files {
        return Err(format!("{done} of {files} files downloaded"));
    }
    // The comparisons go on after the last file; the folder must stay until they end.
    let checks_end = Instant::now() + Duration::from_secs(60);
    while checked < done {
        match tokio::time::timeout_at(checks_end.into(), rx.recv()).await {
            Ok(Some((DownloadEventKind::Checked, _, _))) => checked += 1,
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    let checked = (checked == done).then(|| started.elapsed());
    Ok(AppRun { took, bytes: folder_bytes(&folder), queued, busy, checked })
}

/// `curl --parallel` (at most `parallel_max` at once, curl's default 50 when None) writing `urls` into
/// files of a fresh folder.
pub fn curl_download(
    sim: &SimProcess,
    urls: &[String],
    parallel_max: Option<usize>,
    tmp: &Path,
) -> Result<Duration, String> {
    let dir = tempfile::tempdir_in(tmp).map_err(|e| e.to_string())?;
    let outputs: Vec<_> = (0..urls.len()).map(|i| dir.path().join(format!("{i}.bin"))).collect();
    let transfers: Vec<Transfer> =
        urls.iter().zip(&outputs).map(|(url, output)| Transfer { url, output }).collect();
    curl::parallel(dir.path(), &sim.token, &transfers, parallel_max)
}

/// Row 3: the app's basket download (`Desktop::download_basket`) vs `curl --parallel` (curl's default
/// of up to 50 at once) on the same originals.
pub async fn download(
    sim: &SimProcess,
    basket_id: i64,
    records: &[RecordRef],
    runs: usize,
    tmp: &Path,
) -> Result<Row, String> {
    let urls = document_urls(sim, records).await?;
    let (mut app, mut baseline, mut bytes, mut checks) = (Vec::new(), Vec::new(), 0u64, Vec::new());
    // Alternating, and which goes first too (app–curl, then curl–app): at about a second each, neither
    // side is always the one that runs while the other's 600 MB are written back.
    for i in 0..runs {
        if i % 2 == 1 {
            baseline.push(curl_download(sim, &urls, None, tmp)?);
        }
        let run = app_download(sim, basket_id, records.len(), tmp).await?;
        app.push(run.took);
        bytes = run.bytes;
        checks.extend(run.checked.map(|c| c.saturating_sub(run.took)));
        if i % 2 == 0 {
            baseline.push(curl_download(sim, &urls, None, tmp)?);
        }
    }
    let mb = bytes as f64 / 1e6;
    let rate = |d: Duration| mb / d.as_secs_f64().max(1e-9);
    let (a, b) = (median(&app), median(&baseline));
    let mut row = Row::timed(
        format!("Basket download: {} originals, {mb:.0} MB (`Desktop::download_basket`, median of {runs}), {:.0} MB/s", records.len(), rate(a)),
        a,
        format!("`curl --parallel` (default, ≤ 50 at once), same files, {:.0} MB/s", rate(b)),
        b,
    );
    let compared = match checks.len() {
        n if n == runs => format!("{:.2} s after the last file", median(&checks).as_secs_f64()),
        n => format!("within 60 s in {n} of {runs} runs"),
    };
    row.note = Some(format!(
        "throughput {:.2}× curl's; the originals compared with their sha256 (idle priority) {compared}",
        b.as_secs_f64() / a.as_secs_f64().max(1e-9)
    ));
    Ok(row)
}

/// Bytes of every file under `dir` (the app may put a basket in a folder of its own).
pub fn folder_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
