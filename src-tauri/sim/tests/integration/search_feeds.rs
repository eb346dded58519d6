//! Search and feeds (api §5, §7.9, §7.11, §7.12).

use crate::common::*;
use serde_json::Value;

async fn search(sim: &phraseanet_sim::Sim, query: &str) -> Value {
    let (status, v) = api(sim, &format!("/api/v1/search/?{query}")).await;
    assert_eq!(status, 200, "{v}");
    v["response"].clone()
}

fn text_of(v: &Value) -> String {
    v.to_string().to_lowercase()
}

#[tokio::test]
async fn search_pages_by_offset_and_counts_like_the_real_server() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let all = search(&sim, "per_page=1000").await;
    assert_eq!(all["total_results"], f.searchable_records);
    assert_eq!(all["available_results"], f.searchable_records);
    assert_eq!(all["results"]["stories"], serde_json::json!([]));
    for key in ["error", "warning"] {
        assert_eq!(all[key], "");
    }
    assert!(all["query_time"].is_u64());
    assert!(all["search_indexes"].is_string());
    assert!(all["facets"].as_array().unwrap().iter().any(|f| f["field"] == "type"));
    assert!(all["suggestions"].is_array());
    let all_ids: Vec<(i64, i64)> = all["results"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["databox_id"].as_i64().unwrap(), r["record_id"].as_i64().unwrap()))
        .collect();
    let inaccessible = (f.inaccessible_record.databox_id, f.inaccessible_record.record_id);
    assert!(!all_ids.contains(&inaccessible));

    // Default page is 10; walking offset_start visits everything exactly once, in the same order.
    let first = search(&sim, "").await;
    assert_eq!(first["per_page"], 10);
    assert_eq!(first["available_results"], 10);
    let mut walked = Vec::new();
    let mut offset = 0;
    loop {
        let page = search(&sim, &format!("offset_start={offset}&per_page=37")).await;
        let recs = page["results"]["records"].as_array().unwrap().clone();
        assert_eq!(page["available_results"], recs.len());
        assert_eq!(page["offset_start"], offset);
        walked.extend(
            recs.iter().map(|r| (r["databox_id"].as_i64().unwrap(), r["record_id"].as_i64().unwrap())),
        );
        offset += 37;
        if offset >= page["total_results"].as_i64().unwrap() {
            break;
        }
    }
    assert_eq!(walked, all_ids);
    // SearchRecord key order.
    let rec = &first["results"]["records"][0];
    let keys: Vec<&str> = rec.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(&keys[11..], ["phrasea_type", "uuid", "thumbnail", "technical_informations"]);
    // Negative offset: 500.
    assert_eq!(api(&sim, "/api/v1/search/?offset_start=-1").await.0, 500);
}

#[tokio::test]
async fn search_matches_titles_and_captions_and_filters() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let (_, rec) =
        api(&sim, &format!("/api/v1/records/{}/{}/", f.image_record.databox_id, f.image_record.record_id))
            .await;
    let title = rec["response"]["record"]["title"].as_str().unwrap().to_string();
    let word = title.split_whitespace().next().unwrap().to_lowercase();
    let hits = search(&sim, &format!("query={word}&per_page=500")).await;
    let records = hits["results"]["records"].as_array().unwrap();
    assert!(!records.is_empty() && records.len() < f.searchable_records);
    assert_eq!(hits["total_results"], records.len());
    assert!(records
        .iter()
        .any(|r| r["record_id"] == f.image_record.record_id && r["databox_id"] == f.image_record.databox_id));
    for r in records {
        let (_, cap) =
            api(&sim, &format!("/api/v1/records/{}/{}/caption/", r["databox_id"], r["record_id"])).await;
        assert!(text_of(&cap["response"]).contains(&word) || text_of(&r["title"]).contains(&word));
    }
    // Case-insensitive, phrase, AND.
    let upper = search(&sim, &format!("query={}&per_page=500", word.to_uppercase())).await;
    assert_eq!(upper["total_results"], hits["total_results"]);
    let phrase = search(&sim, &format!("query=%22{}%22&per_page=500", title.replace(' ', "+"))).await;
    assert!(phrase["total_results"].as_u64().unwrap() >= 1);
    assert!(phrase["total_results"].as_u64() <= hits["total_results"].as_u64());
    let none = search(&sim, "query=zzzyxnotaword").await;
    assert_eq!(none["total_results"], 0);
    assert_eq!(none["results"]["records"], serde_json::json!([]));

    // record_type.
    let videos = search(&sim, "record_type=video&per_page=500").await;
    let vids = videos["results"]["records"].as_array().unwrap();
    assert!(!vids.is_empty());
    assert!(vids.iter().all(|r| r["phrasea_type"] == "video" && r["mime_type"] == "video/mp4"));
    // bases[]: restriction, and 400 when nothing is left.
    let base = vids[0]["base_id"].as_i64().unwrap();
    let in_base = search(&sim, &format!("bases[]={base}&per_page=500")).await;
    assert!(in_base["results"]["records"].as_array().unwrap().iter().all(|r| r["base_id"] == base));
    let (status, v) = api(&sim, "/api/v1/search/?bases[]=999").await;
    assert_eq!(status, 400);
    assert_eq!(v["meta"]["error_details"], "No collections match your criteria");

    // status[bit][on|off][]=databox.
    let d = vids[0]["databox_id"].as_i64().unwrap();
    let on = search(&sim, &format!("status[4][on][]={d}&per_page=1000&bases[]={base}")).await;
    let off = search(&sim, &format!("status[4][off][]={d}&per_page=1000&bases[]={base}")).await;
    let n_on = on["total_results"].as_u64().unwrap();
    assert!(n_on > 0 && off["total_results"].as_u64().unwrap() > 0);
    assert_eq!(n_on + off["total_results"].as_u64().unwrap(), in_base["total_results"].as_u64().unwrap());
    for r in on["results"]["records"].as_array().unwrap().iter().take(5) {
        let (_, st) =
            api(&sim, &format!("/api/v1/records/{}/{}/status/", r["databox_id"], r["record_id"])).await;
        assert!(st["response"]["status"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["bit"] == 4 && s["state"] == true));
    }

    // Stories: SearchStory quirks.
    let stories = search(&sim, "search_type=1&per_page=50").await;
    assert_eq!(stories["results"]["records"], serde_json::json!([]));
    let list = stories["results"]["stories"].as_array().unwrap();
    let s = list.iter().find(|s| s["story_id"] == f.story.record_id).unwrap();
    assert_eq!(s["created_on"], s["updated_on"]);
    assert!(s["metadatas"]["dc:title"].is_null());
    assert_eq!(s["record_count"], s["records"].as_array().unwrap().len());

    // /records/search/: flat list, any method.
    let res = http()
        .post(format!("{}/api/v1/records/search/", sim.url()))
        .form(&[("oauth_token", f.developer_token.as_str()), ("query", word.as_str()), ("per_page", "500")])
        .send()
        .await
        .unwrap();
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["response"]["results"].as_array().unwrap().len(), records.len());
}

#[tokio::test]
async fn feeds_routes_and_quirks() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let (_, v) = api(&sim, "/api/v1/feeds/list/").await;
    let feeds = v["response"]["feeds"].as_array().unwrap();
    let ids: Vec<i64> = feeds.iter().map(|x| x["id"].as_i64().unwrap()).collect();
    assert!(
        ids.contains(&f.feed_id) && ids.contains(&f.paged_feed_id) && !ids.contains(&f.inaccessible_feed_id)
    );
    let dates: Vec<&str> = feeds.iter().map(|x| x["updated_on"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    assert!(feeds.iter().all(|x| x["icon"].is_boolean()));

    // One feed: ascending created_on; offset > 0 gives an object keyed by index.
    let (_, v) = api(&sim, &format!("/api/v1/feeds/{}/content/?per_page=100", f.paged_feed_id)).await;
    let entries = v["response"]["entries"].as_array().unwrap().clone();
    assert_eq!(v["response"]["feed"]["total_entries"], entries.len());
    let created: Vec<&str> = entries.iter().map(|e| e["created_on"].as_str().unwrap()).collect();
    assert!(created.windows(2).all(|w| w[0] <= w[1]));
    let (_, v) =
        api(&sim, &format!("/api/v1/feeds/{}/content/?offset_start=5&per_page=2", f.paged_feed_id)).await;
    let obj = v["response"]["entries"].as_object().expect("object when offset_start > 0");
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["5", "6"]);
    assert_eq!(obj["5"]["id"], entries[5]["id"]);
    let (_, v) = api(&sim, &format!("/api/v1/feeds/{}/content/", f.paged_feed_id)).await;
    assert_eq!(v["response"]["per_page"], 5);
    assert_eq!(v["response"]["entries"].as_array().unwrap().len(), 5);
    let (_, v) = api(&sim, &format!("/api/v1/feeds/{}/content/?per_page=500", f.paged_feed_id)).await;
    assert_eq!(v["response"]["per_page"], 100);
    let e = &entries[0];
    assert_eq!(e["feed_url"], format!("/feeds/{}/content/", f.paged_feed_id));
    assert_eq!(e["url"], format!("/feeds/entry/{}/", e["id"]));
    assert!(e["items"][0]["record"]["record_id"].is_i64());

    // Inaccessible feed: 200 with response {}; its entry: 403; unknown: 500.
    let (status, v) = api(&sim, &format!("/api/v1/feeds/{}/content/", f.inaccessible_feed_id)).await;
    assert_eq!(status, 200);
    assert_eq!(v["response"], serde_json::json!({}));
    let (status, v) = api(&sim, &format!("/api/v1/feeds/entry/{}/", f.inaccessible_entry_id)).await;
    assert_eq!(status, 403);
    assert_eq!(v["meta"]["error_details"], "You have not access to the parent feed");
    assert_eq!(api(&sim, "/api/v1/feeds/4242/content/").await.0, 500);
    let (status, v) = api(&sim, &format!("/api/v1/feeds/entry/{}/", e["id"])).await;
    assert_eq!(status, 200);
    assert_eq!(v["response"]["entry"]["id"], e["id"]);

    // Aggregated: updated_on desc, per_page clamp to 20, feeds[] filter.
    let (_, v) = api(&sim, "/api/v1/feeds/content/?per_page=50").await;
    let r = &v["response"];
    assert_eq!(r["per_page"], 20);
    let total = r["total_entries"].as_u64().unwrap();
    assert_eq!(r["entries"].as_array().unwrap().len() as u64, total.min(20));
    let upd: Vec<&str> =
        r["entries"].as_array().unwrap().iter().map(|e| e["updated_on"].as_str().unwrap()).collect();
    assert!(upd.windows(2).all(|w| w[0] >= w[1]));
    let (_, v) = api(&sim, &format!("/api/v1/feeds/content/?feeds[]={}", f.feed_id)).await;
    assert!(v["response"]["entries"].as_array().unwrap().iter().all(|e| e["feed_id"] == f.feed_id));
    assert_eq!(v["response"]["per_page"], 5);
}

#[tokio::test]
async fn the_es_window_of_4_0_and_4_1_0_fails_deep_pages() {
    // docs/real-servers.md, "Search paging": from + size > 10,000 → ES error → 500 envelope.
    for profile in [phraseanet_sim::ServerProfile::V40, phraseanet_sim::ServerProfile::V410] {
        let sim = sim_profile(profile).await;
        let (status, v) = api_q(&sim, "/api/v1/search/?offset_start=9995&per_page=10").await;
        assert_eq!(status, 500, "{profile:?}");
        assert!(v["meta"]["error_details"].as_str().unwrap().contains("max_result_window"));
        assert_eq!(api_q(&sim, "/api/v1/records/search/?offset_start=9995&per_page=10").await.0, 500);
        assert_eq!(api_q(&sim, "/api/v1/search/?offset_start=9990&per_page=10").await.0, 200);
    }
    for profile in [phraseanet_sim::ServerProfile::Current41, phraseanet_sim::ServerProfile::V38] {
        let sim = sim_profile(profile).await;
        let (status, v) = api_q(&sim, "/api/v1/search/?offset_start=20000&per_page=10").await;
        assert_eq!(status, 200, "{profile:?}");
        assert_eq!(v["response"]["results"]["records"], serde_json::json!([]));
    }
}

#[tokio::test]
async fn search_and_feeds_in_3_8_shapes() {
    // docs/real-servers.md, "3.8 shapes": available = total, query_time in seconds, feed icon a URL.
    let sim = sim_profile(phraseanet_sim::ServerProfile::V38).await;
    let (_, v) = api_q(&sim, "/api/v1/search/?per_page=5").await;
    let r = &v["response"];
    assert_eq!(r["available_results"], r["total_results"]);
    assert!(r["total_results"].as_u64().unwrap() > 5);
    assert!(r["query_time"].is_f64());
    assert_eq!(r["search_indexes"], "");
    let (_, v) = api_q(&sim, "/api/v1/feeds/list/").await;
    let feeds = v["response"]["feeds"].as_array().unwrap();
    assert!(feeds.iter().all(|f| f["icon"].as_str().is_some_and(|u| u.starts_with("http://"))));
    // 4.x: the page count and a bool icon.
    let sim = crate::common::sim().await;
    let (_, v) = search_raw(&sim, "per_page=5").await;
    assert_eq!(v["response"]["available_results"], 5);
    let (_, v) = api(&sim, "/api/v1/feeds/list/").await;
    assert!(v["response"]["feeds"][0]["icon"].is_boolean());
}

async fn search_raw(sim: &phraseanet_sim::Sim, q: &str) -> (u16, Value) {
    api(sim, &format!("/api/v1/search/?{q}")).await
}
