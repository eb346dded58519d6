//! Fault injection: 5xx, dropped connections, truncated and slow bodies, latency, runtime switch, seeds.

use std::time::{Duration, Instant};

use crate::common::*;
use futures_util::StreamExt;
use phraseanet_sim::{Faults, Sim, SimOptions};

async fn sim_faults(faults: Faults) -> Sim {
    Sim::start(SimOptions { faults, ..Default::default() }).await.unwrap()
}

fn me(sim: &Sim) -> String {
    format!("{}/api/v1/me/?oauth_token={}", sim.url(), sim.fixtures().developer_token)
}

#[tokio::test]
async fn fail_rate_gives_5xx_on_the_api_only() {
    let sim = sim_faults(Faults { fail_rate: 1.0, ..Default::default() }).await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let s = http().get(me(&sim)).send().await.unwrap().status().as_u16();
        assert!(matches!(s, 500 | 502 | 503), "{s}");
        statuses.push(s);
    }
    statuses.sort();
    statuses.dedup();
    assert!(statuses.len() >= 2, "several kinds of 5xx: {statuses:?}");
    assert_eq!(http().get(format!("{}/api/", sim.url())).send().await.unwrap().status().as_u16(), 200);
    let url = authorize_url(&sim, &sim.fixtures().desktop_app.client_id, OOB, "");
    assert_eq!(http().get(&url).send().await.unwrap().status().as_u16(), 200);
    // With on_oauth the sign-in pages fail too.
    sim.set_faults(Faults { fail_rate: 1.0, on_oauth: true, ..Default::default() });
    assert!(http().get(&url).send().await.unwrap().status().is_server_error());
}

#[tokio::test]
async fn dropped_connections_and_truncated_bodies_happen_on_the_socket() {
    let sim = sim_faults(Faults { drop_rate: 1.0, ..Default::default() }).await;
    let err = http().get(me(&sim)).send().await.unwrap_err();
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");

    sim.set_faults(Faults { truncate_rate: 1.0, ..Default::default() });
    let res = http()
        .get(format!(
            "{}/api/v1/baskets/{}/content/?oauth_token={}",
            sim.url(),
            sim.fixtures().plain_basket_id,
            sim.fixtures().developer_token
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let announced: usize = res.headers()["content-length"].to_str().unwrap().parse().unwrap();
    let mut got = 0;
    let mut stream = res.bytes_stream();
    let mut failed = false;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(c) => got += c.len(),
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    assert!(failed, "the body must end in an error");
    assert!(got > 0 && got < announced, "{got} of {announced}");

    sim.set_faults(Faults::default());
    assert_eq!(http().get(me(&sim)).send().await.unwrap().status().as_u16(), 200);
}

#[tokio::test]
async fn slow_bodies_arrive_in_pieces_intact_and_latency_delays() {
    let sim = sim_faults(Faults { slow_body: Some(Duration::from_millis(5)), ..Default::default() }).await;
    let url = format!(
        "{}/api/v1/baskets/{}/content/?oauth_token={}",
        sim.url(),
        sim.fixtures().plain_basket_id,
        sim.fixtures().developer_token
    );
    let res = http().get(&url).send().await.unwrap();
    let announced: usize = res.headers()["content-length"].to_str().unwrap().parse().unwrap();
    let mut stream = res.bytes_stream();
    let (mut chunks, mut body) = (0, Vec::new());
    while let Some(c) = stream.next().await {
        body.extend_from_slice(&c.unwrap());
        chunks += 1;
    }
    assert!(chunks >= 2, "{chunks}");
    assert_eq!(body.len(), announced);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["meta"]["http_code"], 200);

    sim.set_faults(Faults { latency: Duration::from_millis(150), ..Default::default() });
    let t = Instant::now();
    assert_eq!(http().get(me(&sim)).send().await.unwrap().status().as_u16(), 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn fault_draws_are_seeded() {
    let run = |seed| async move {
        let sim = sim_faults(Faults { fail_rate: 0.5, seed, ..Default::default() }).await;
        let mut out = Vec::new();
        for _ in 0..24 {
            out.push(http().get(me(&sim)).send().await.unwrap().status().as_u16());
        }
        out
    };
    let a = run(7).await;
    assert_eq!(a, run(7).await);
    assert!(a.contains(&200) && a.iter().any(|s| *s >= 500), "{a:?}");
    assert_ne!(a, run(8).await);
}
