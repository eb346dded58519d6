//! Client-side figures against the in-process double: the large basket (fetch + typed decode), thumbnails
//! through `Media` next to a plain parallel-reqwest baseline (what `curl --parallel` does), and downloads
//! (throughput and peak memory). Printed, never asserted.
//!
//! `CARGO_PROFILE_RELEASE_LTO=false cargo run --release -p phraseanet-client --example bench [-- 10000 1000]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use phraseanet_client::models::BasketContent;
use phraseanet_client::{
    Api, CancellationToken, HttpOptions, Media, MediaOptions, MediaSource, RecordRef, Secret, ServerUrl,
};
use phraseanet_sim::{Dataset, Sim, SimOptions};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Peak resident memory of this process (Linux), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[derive(serde::Deserialize)]
struct Envelope {
    response: BasketContent,
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let thumbs_n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let sim = Sim::start(SimOptions { dataset: Dataset::Large, basket_size: size, ..Default::default() })
        .await
        .expect("the double starts");
    let f = sim.fixtures().clone();
    let server = ServerUrl::parse(sim.url()).unwrap();
    let api =
        Api::with_options(server.clone(), Secret::new(&f.developer_token), HttpOptions::default()).unwrap();
    let id = f.large_basket_id.expect("dataset large");
    println!("phraseanet-client bench: basket of {size}, {thumbs_n} thumbnails");

    // Large basket: raw bytes, then decode alone, then the whole typed call.
    let raw_url = format!("{}/api/v1/baskets/{id}/content/", sim.url());
    let http = reqwest::Client::new();
    let auth = format!("OAuth {}", f.developer_token);
    let body = http.get(&raw_url).header("Authorization", &auth).send().await.unwrap().bytes().await.unwrap();
    let mut decodes = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let env: Envelope = serde_json::from_slice(&body).unwrap();
        decodes.push(t.elapsed());
        assert_eq!(env.response.basket_elements.len(), size);
    }
    decodes.sort();
    let t = Instant::now();
    let _: serde::de::IgnoredAny = serde_json::from_slice(&body).unwrap();
    println!("{:<48} {:>10}", "baseline: skim the same JSON (serde IgnoredAny)", ms(t.elapsed()));
    let t = Instant::now();
    let _: serde_json::Value = serde_json::from_slice(&body).unwrap();
    println!("{:<48} {:>10}", "baseline: serde_json::Value", ms(t.elapsed()));
    println!(
        "{:<48} {:>10}  ({:.1} MB)",
        "decode large basket (median of 5)",
        ms(decodes[2]),
        body.len() as f64 / 1e6
    );
    let t = Instant::now();
    let content = api.basket(id).await.unwrap();
    println!("{:<48} {:>10}", "api.basket(): fetch + decode", ms(t.elapsed()));

    // Thumbnails: baseline = N parallel plain GETs; then Media (pool + cache), cold and warm.
    let sources: Vec<MediaSource> = content
        .basket_elements
        .iter()
        .filter_map(|e| MediaSource::thumbnail(&e.record))
        .take(thumbs_n)
        .collect();
    let n = sources.len();
    let urls: Vec<String> = sources.iter().map(|s| s.url.clone()).collect();
    let t = Instant::now();
    let total: usize = futures_util::stream::iter(urls.iter())
        .map(|u| {
            let http = http.clone();
            async move { http.get(u).send().await.unwrap().bytes().await.unwrap().len() }
        })
        .buffer_unordered(16)
        .fold(0, |a, b| async move { a + b })
        .await;
    let base = t.elapsed();
    println!(
        "{:<48} {:>10}  {:>7.0} /s  ({:.1} MB)",
        format!("{n} thumbnails, plain reqwest x16"),
        ms(base),
        n as f64 / base.as_secs_f64(),
        total as f64 / 1e6
    );
    let cache = tempfile::tempdir().unwrap();
    let media = Media::new(api.clone(), MediaOptions::in_dir(cache.path())).unwrap();
    let media = Arc::new(media);
    for label in ["cold cache", "warm cache"] {
        let t = Instant::now();
        let got = futures_util::future::join_all(sources.iter().map(|s| media.fetch(s))).await;
        let e = t.elapsed();
        assert!(got.iter().all(|g| g.is_ok()));
        println!(
            "{:<48} {:>10}  {:>7.0} /s",
            format!("{n} thumbnails, Media ({label})"),
            ms(e),
            n as f64 / e.as_secs_f64()
        );
    }

    // Downloads: originals of the first records, constant memory expected.
    let out = tempfile::tempdir().unwrap();
    let before = peak_rss_mb();
    let t = Instant::now();
    let mut bytes = 0u64;
    let records: Vec<RecordRef> =
        content.basket_elements.iter().take(32).map(|e| RecordRef::from(&e.record)).collect();
    for r in &records {
        if let Ok(file) =
            media.download_record(*r, "document", out.path(), &|_| {}, &CancellationToken::new()).await
        {
            bytes += file.size;
        }
    }
    let e = t.elapsed();
    println!(
        "{:<48} {:>10}  {:>7.1} MB/s  peak RSS {:.0} → {:.0} MB",
        format!("{} originals downloaded one by one", records.len()),
        ms(e),
        bytes as f64 / 1e6 / e.as_secs_f64(),
        before.unwrap_or(0.0),
        peak_rss_mb().unwrap_or(0.0)
    );
    sim.shutdown().await;
}
