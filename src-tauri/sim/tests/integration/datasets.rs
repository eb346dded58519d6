//! The three datasets: demo coverage and determinism, the large basket, hostile strings.

use crate::common::*;
use phraseanet_sim::browser::Browser;
use phraseanet_sim::{Dataset, Sim, SimOptions};
use serde_json::Value;

#[tokio::test]
async fn demo_has_every_type_and_is_deterministic() {
    let a = sim().await;
    let b = sim().await;
    assert_eq!(serde_json::to_value(a.fixtures()).unwrap(), serde_json::to_value(b.fixtures()).unwrap());
    assert!(a.fixtures().searchable_records >= 150);
    for t in ["image", "video", "audio", "document", "flash", "unknown"] {
        let (_, v) = api(&a, &format!("/api/v1/search/?record_type={t}")).await;
        assert!(v["response"]["total_results"].as_u64().unwrap() > 0, "{t}");
    }
    for path in
        ["/api/v1/baskets/list/", &format!("/api/v1/baskets/{}/content/", a.fixtures().vote_basket_id)]
    {
        let (_, va) = api(&a, path).await;
        let (_, vb) = api(&b, path).await;
        let strip = |v: &Value, url: &str| {
            let mut s = v["response"].to_string().replace(url, "");
            // Signed URLs carry a per-run signature and issue time.
            while let Some(i) = s.find("/medias/") {
                let end = s[i..].find('"').map(|e| i + e).unwrap();
                s.replace_range(i..end, "");
            }
            while let Some(i) = s.find("token=") {
                let end = s[i..].find(['"', '&']).map(|e| i + e).unwrap();
                s.replace_range(i..end, "");
            }
            s
        };
        let (sa, sb) = (strip(&va, a.url()), strip(&vb, b.url()));
        assert!(sa == sb, "{path} differs between runs");
    }
    assert!(a.fixtures().basket_ids.len() >= 6);
}

#[tokio::test]
async fn large_basket_has_n_distinct_elements() {
    let n = 10_000;
    let sim = Sim::start(SimOptions { dataset: Dataset::Large, basket_size: n, ..Default::default() })
        .await
        .unwrap();
    let f = sim.fixtures().clone();
    assert_eq!(f.large_basket_size, n);
    let id = f.large_basket_id.unwrap();
    assert!(f.basket_ids.contains(&id));
    let (status, v) = api(&sim, &format!("/api/v1/baskets/{id}/content/")).await;
    assert_eq!(status, 200);
    let els = v["response"]["basket_elements"].as_array().unwrap();
    assert_eq!(els.len(), n);
    let mut keys: Vec<(i64, i64)> = els
        .iter()
        .map(|e| (e["record"]["databox_id"].as_i64().unwrap(), e["record"]["record_id"].as_i64().unwrap()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n);
    let (_, v) = api(&sim, "/api/v1/baskets/list/").await;
    assert!(v["response"]["baskets"].as_array().unwrap().iter().any(|b| b["basket_id"] == id));
    // The demo part is still there.
    assert_eq!(api(&sim, &format!("/api/v1/baskets/{}/content/", f.plain_basket_id)).await.0, 200);
}

#[tokio::test]
async fn hostile_strings_survive_the_json_round_trip() {
    let sim = sim_with(Dataset::Hostile).await;
    let f = sim.fixtures().clone();
    let (_, v) = api(&sim, "/api/v1/search/?per_page=1000").await;
    let records = v["response"]["results"]["records"].as_array().unwrap();
    assert_eq!(records.len(), f.searchable_records);
    let mut payloads_seen = std::collections::HashSet::new();
    for r in records {
        let title = r["title"].as_str().unwrap();
        let payload = phraseanet_sim::hostile::TEXT
            .iter()
            .find(|p| title == format!("{p} #{}", r["record_id"]))
            .expect(title);
        payloads_seen.insert(*payload);
        let name = r["original_name"].as_str().unwrap();
        assert!(
            phraseanet_sim::hostile::NAMES.contains(&name) || (name.len() == 1004 && name.ends_with(".jpg")),
            "{name:?}"
        );
    }
    assert_eq!(payloads_seen.len(), phraseanet_sim::hostile::TEXT.len());
    assert!(records.iter().any(|r| r["original_name"].as_str().unwrap().contains('\0')));
    // Raw bytes stay ASCII (escaped), decoded strings are intact.
    let res = http()
        .get(format!("{}/api/v1/search/?per_page=3&oauth_token={}", sim.url(), f.developer_token))
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().is_ascii());
    // A huge caption.
    let mut huge = 0;
    for r in records.iter().take(60) {
        let (_, c) =
            api(&sim, &format!("/api/v1/records/{}/{}/caption/", r["databox_id"], r["record_id"])).await;
        for m in c["response"]["caption_metadatas"].as_array().unwrap() {
            huge = huge.max(m["value"].as_str().unwrap().len());
        }
    }
    assert!(huge >= 256 * 1024, "{huge}");
    // Baskets and users carry payloads too; the HTML pages escape them and sign-in still works.
    let (_, v) = api(&sim, "/api/v1/baskets/list/").await;
    let name = v["response"]["baskets"][0]["name"].as_str().unwrap();
    assert!(phraseanet_sim::hostile::TEXT.iter().any(|p| name.starts_with(p)));
    let url = authorize_url(&sim, &f.desktop_app.client_id, OOB, "");
    let page = Browser::new().sign_in(&url, &f.login, &f.password).await.unwrap();
    assert!(page.authorize_token().is_some_and(|c| c.len() == 32));
    assert!(!page.body.contains("<script>"));
    assert!(page.body.contains(
        &f.display_name
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#039;")
    ));
}

#[tokio::test]
async fn php_takes_time_per_element_and_dies_at_its_time_limit() {
    // docs/real-servers.md, "Time budgets": the whole JSON is built before the first byte (headers included).
    use std::time::{Duration, Instant};
    let n = 2_000;
    let per = Duration::from_micros(200);
    let sim = Sim::start(SimOptions {
        dataset: Dataset::Large,
        basket_size: n,
        php_per_element: per,
        ..Default::default()
    })
    .await
    .unwrap();
    let id = sim.fixtures().large_basket_id.unwrap();
    let started = Instant::now();
    let res = basket_content(&sim, id).await;
    assert!(started.elapsed() >= per * n as u32, "headers came after the delay: {:?}", started.elapsed());
    assert_eq!(res.status().as_u16(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["response"]["basket_elements"].as_array().unwrap().len(), n);
    // Search results on the page count too.
    let started = Instant::now();
    assert_eq!(api(&sim, "/api/v1/search/?per_page=100").await.0, 200);
    assert!(started.elapsed() >= per * 100);

    // Beyond max_execution_time: PHP's 500 HTML page, after the limit.
    let limit = Duration::from_millis(100);
    let sim = Sim::start(SimOptions {
        dataset: Dataset::Large,
        basket_size: n,
        php_per_element: per,
        php_time_limit: limit,
        ..Default::default()
    })
    .await
    .unwrap();
    let started = Instant::now();
    let res = basket_content(&sim, id).await;
    assert!(started.elapsed() >= limit);
    assert_eq!(res.status().as_u16(), 500);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(res.text().await.unwrap().contains("Maximum execution time of 1 second exceeded"));
    // Small answers stay under the limit.
    assert_eq!(
        api(&sim, &format!("/api/v1/baskets/{}/content/", sim.fixtures().plain_basket_id)).await.0,
        200
    );
}

/// A basket's content, with the developer token in the header.
async fn basket_content(sim: &Sim, id: i64) -> reqwest::Response {
    http()
        .get(format!("{}/api/v1/baskets/{id}/content/", sim.url()))
        .header("Authorization", format!("OAuth {}", sim.fixtures().developer_token))
        .send()
        .await
        .unwrap()
}
