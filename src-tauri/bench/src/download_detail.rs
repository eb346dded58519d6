//! `--download-detail`: where the basket download's time goes, each part timed in the same runs as row 3,
//! alternating: the client alone (`Media::download_basket`, its pool of `download_concurrency`, no app
//! around it) and `curl --parallel --parallel-max N` with that same bound, beside the app's path and
//! curl's default. The app vs the client is the app's overhead; the client vs curl at N is the
//! pipeline's; curl at N vs curl at 50 is the bound's (docs/real-servers.md, "Media concurrency").

use std::path::Path;
use std::time::Duration;

use phraseanet_client::{CancellationToken, Media, MediaOptions, RecordRef};

use crate::core::{api, app_download, curl_download, folder_bytes};
use crate::sim::SimProcess;
use crate::table::{median, Row};

/// The client's own basket download into a fresh folder: (wall time, bytes written).
pub async fn client_download(
    sim: &SimProcess,
    basket_id: i64,
    tmp: &Path,
) -> Result<(Duration, u64), String> {
    let dir = tempfile::tempdir_in(tmp).map_err(|e| e.to_string())?;
    let folder = dir.path().join("downloads");
    let media =
        Media::new(api(sim), MediaOptions::in_dir(dir.path().join("cache"))).map_err(|e| e.to_string())?;
    let cancel = CancellationToken::new();
    let started = std::time::Instant::now();
    let outcomes = media
        .download_basket(basket_id, "document", &folder, &|_| {}, &cancel)
        .await
        .map_err(|e| format!("client download: {e}"))?;
    let took = started.elapsed();
    if let Some(bad) = outcomes.iter().find(|o| o.file.is_none()) {
        return Err(format!("client download: {:?}", bad.error));
    }
    Ok((took, folder_bytes(&folder)))
}

/// CPU seconds (user, system) of a process from `/proc/<pid>/stat`, its waited-for children's added
/// (`cutime`, `cstime`): curl's, once it ended.
fn cpu(pid: &str) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    let tick = 100.0; // USER_HZ on Linux
    let at = |i: usize| f.get(i).copied().unwrap_or(0.0) / tick;
    (at(11) + at(13), at(12) + at(14))
}

/// Runs `f`, and prints its wall time and the CPU this process, its children and the double spent.
pub async fn traced<T>(
    what: &str,
    sim: &SimProcess,
    f: impl std::future::Future<Output = Result<T, String>>,
) -> Result<T, String> {
    let (me, double) = (cpu("self"), cpu(&sim.pid().to_string()));
    let started = std::time::Instant::now();
    let out = f.await?;
    let took = started.elapsed().as_secs_f64();
    let (me2, double2) = (cpu("self"), cpu(&sim.pid().to_string()));
    eprintln!(
        "bench: {what}: {took:.2} s wall; CPU here {:.2} s user + {:.2} s sys, the double {:.2} + {:.2}",
        me2.0 - me.0,
        me2.1 - me.1,
        double2.0 - double.0,
        double2.1 - double.1
    );
    Ok(out)
}

/// `--client-download-only`: the client alone and curl at the same bound, alternating, on stderr.
pub async fn client_only(
    sim: &SimProcess,
    basket_id: i64,
    records: &[RecordRef],
    runs: usize,
    tmp: &Path,
) -> Result<(), String> {
    let bound = MediaOptions::in_dir(tmp).download_concurrency;
    let urls = crate::core::document_urls(sim, records).await?;
    for _ in 0..runs {
        traced("client", sim, client_download(sim, basket_id, tmp)).await?;
        traced("curl at the bound", sim, async { curl_download(sim, &urls, Some(bound), tmp) }).await?;
    }
    Ok(())
}

pub async fn rows(
    sim: &SimProcess,
    basket_id: i64,
    records: &[RecordRef],
    runs: usize,
    tmp: &Path,
) -> Result<Vec<Row>, String> {
    let bound = MediaOptions::in_dir(tmp).download_concurrency;
    let urls = crate::core::document_urls(sim, records).await?;
    let (mut app, mut client, mut curl_n, mut curl_50, mut bytes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0u64);
    for _ in 0..runs {
        let run = traced("app", sim, app_download(sim, basket_id, records.len(), tmp)).await?;
        eprintln!(
            "bench: app run {:.2} s, all queued after {:.2} s, {:.2} files in flight on average",
            run.took.as_secs_f64(),
            run.queued.as_secs_f64(),
            run.busy.as_secs_f64() / run.took.as_secs_f64().max(1e-9)
        );
        app.push(run.took);
        let (took, b) = traced("client", sim, client_download(sim, basket_id, tmp)).await?;
        client.push(took);
        bytes = b;
        curl_n.push(
            traced("curl at the bound", sim, async { curl_download(sim, &urls, Some(bound), tmp) }).await?,
        );
        curl_50.push(traced("curl", sim, async { curl_download(sim, &urls, None, tmp) }).await?);
    }
    let mb = bytes as f64 / 1e6;
    let rate = |d: Duration| format!("{:.0} MB/s", mb / d.as_secs_f64().max(1e-9));
    let (a, c, n, f) = (median(&app), median(&client), median(&curl_n), median(&curl_50));
    let curl_n_label = format!("`curl --parallel --parallel-max {bound}`, same files, {}", rate(n));
    Ok(vec![
        Row::timed(
            format!("Download detail: `Desktop::download_basket` (app), {}", rate(a)),
            a,
            format!("`Media::download_basket` (client alone, pool of {bound}), {}", rate(c)),
            c,
        ),
        Row::timed(
            format!("Download detail: `Media::download_basket` (client alone, pool of {bound}), {}", rate(c)),
            c,
            curl_n_label.clone(),
            n,
        ),
        Row::timed(
            format!("Download detail: {curl_n_label}"),
            n,
            format!("`curl --parallel` (≤ 50 at once), {}", rate(f)),
            f,
        ),
    ])
}
