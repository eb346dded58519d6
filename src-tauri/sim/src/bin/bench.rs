//! `phraseanet-sim-bench`: prints how fast the double is, to show it is never a benchmark's bottleneck.
//!
//! `cargo run --release -p phraseanet-sim --bin phraseanet-sim-bench [-- --basket-size 10000 --requests 1000
//! --connections 8]`. Figures are printed, never asserted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use phraseanet_sim::{Dataset, Sim, SimOptions};

#[derive(Parser)]
#[command(name = "phraseanet-sim-bench", about = "Measures the Phraseanet double")]
struct Args {
    /// Elements of the large basket.
    #[arg(long, default_value_t = 10_000)]
    basket_size: usize,
    /// Thumbnail requests per run.
    #[arg(long, default_value_t = 1000)]
    requests: usize,
    /// Concurrent connections.
    #[arg(long, default_value_t = 8)]
    connections: usize,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, usize) {
    let res = client.get(url).send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.bytes().await.expect("body").len())
}

/// Fetches `urls` with `connections` workers sharing a pool; returns (elapsed, bytes).
async fn fetch_all(
    client: &reqwest::Client,
    urls: Arc<Vec<String>>,
    connections: usize,
) -> (Duration, usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let bytes = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (client, urls, next, bytes) = (client.clone(), urls.clone(), next.clone(), bytes.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let (status, n) = get(&client, url).await;
                    assert_eq!(status, 200, "{url}");
                    bytes.fetch_add(n, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for w in workers {
        w.await.expect("worker");
    }
    (start.elapsed(), bytes.load(Ordering::Relaxed))
}

fn rate(label: &str, n: usize, elapsed: Duration, bytes: usize) {
    let secs = elapsed.as_secs_f64();
    println!(
        "{label:<44} {:>10}  {:>9.0} req/s  {:>8.1} MB/s",
        ms(elapsed),
        n as f64 / secs,
        bytes as f64 / secs / 1e6
    );
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    println!(
        "phraseanet-sim bench (basket {} elements, {} requests over {} connections)",
        args.basket_size, args.requests, args.connections
    );

    let mut starts = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let sim = Sim::start(SimOptions::default()).await.expect("start");
        starts.push(t.elapsed());
        sim.shutdown().await;
    }
    starts.sort();
    println!("{:<44} {:>10}", "startup, dataset demo (median of 5)", ms(starts[2]));
    let t = Instant::now();
    let sim = Sim::start(SimOptions {
        dataset: Dataset::Large,
        basket_size: args.basket_size,
        ..Default::default()
    })
    .await
    .expect("start");
    println!("{:<44} {:>10}", "startup, dataset large", ms(t.elapsed()));

    let f = sim.fixtures().clone();
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.connections).build().expect("client");
    let url = format!(
        "{}/api/v1/baskets/{}/content/?oauth_token={}",
        sim.url(),
        f.large_basket_id.unwrap(),
        f.developer_token
    );
    for label in ["large basket content, first request", "large basket content, again"] {
        let t = Instant::now();
        let (status, n) = get(&client, &url).await;
        assert_eq!(status, 200);
        println!("{label:<44} {:>10}  ({:.1} MB of JSON)", ms(t.elapsed()), n as f64 / 1e6);
    }
    let body: serde_json::Value = client.get(&url).send().await.unwrap().json().await.unwrap();
    let thumbs: Vec<String> = body["response"]["basket_elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["record"]["thumbnail"]["permalink"]["url"].as_str().map(String::from))
        .take(args.requests)
        .collect();
    let n = thumbs.len();
    let thumbs = Arc::new(thumbs);
    let (elapsed, bytes) = fetch_all(&client, thumbs.clone(), args.connections).await;
    rate(&format!("{n} distinct thumbnails, cold (generated)"), n, elapsed, bytes);
    let (elapsed, bytes) = fetch_all(&client, thumbs.clone(), args.connections).await;
    rate(&format!("{n} distinct thumbnails, warm (cached)"), n, elapsed, bytes);
    let same = Arc::new(vec![thumbs[0].clone(); args.requests]);
    let (elapsed, bytes) = fetch_all(&client, same, args.connections).await;
    rate(&format!("{} requests of one thumbnail", args.requests), args.requests, elapsed, bytes);

    let originals: Vec<String> = body["response"]["basket_elements"]
        .as_array()
        .unwrap()
        .iter()
        .take(64)
        .map(|e| {
            let r = &e["record"];
            format!(
                "{}/api/v1/records/{}/{}/embed/?oauth_token={}",
                sim.url(),
                r["databox_id"],
                r["record_id"],
                f.developer_token
            )
        })
        .collect();
    let mut doc_urls = Vec::new();
    for u in &originals {
        let v: serde_json::Value = client.get(u).send().await.unwrap().json().await.unwrap();
        if let Some(d) =
            v["response"]["embed"].as_array().and_then(|e| e.iter().find(|s| s["name"] == "document"))
        {
            doc_urls.push(d["url"].as_str().unwrap().to_string());
        }
    }
    let n = doc_urls.len();
    let (elapsed, bytes) = fetch_all(&client, Arc::new(doc_urls), args.connections).await;
    rate(&format!("{n} originals (~2 MB each)"), n, elapsed, bytes);
    sim.shutdown().await;
}
