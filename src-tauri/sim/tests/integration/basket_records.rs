//! `/api/v2/baskets/{id}/records/` as Phraseanet 4.1.22's BasketController answers it (docs/real-servers.md,
//! "Basket editing"): JSON body errors, the access rule, skipped records, stories, the request log.

use crate::common::*;
use phraseanet_sim::{ServerProfile, Sim};
use serde_json::{json, Value};

async fn send(sim: &Sim, method: reqwest::Method, basket: &str, body: &str) -> (u16, Value) {
    let res = http()
        .request(method, format!("{}/api/v2/baskets/{basket}/records/", sim.url()))
        .header("Authorization", format!("OAuth {}", sim.fixtures().developer_token))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")))
}

fn data(records: &[(i64, i64)]) -> String {
    let items: Vec<Value> = records.iter().map(|(d, r)| json!({"databox_id": d, "record_id": r})).collect();
    json!({ "data": items }).to_string()
}

async fn element_count(sim: &Sim, basket: i64) -> usize {
    let (_, v) = api(sim, &format!("/api/v1/baskets/{basket}/content/")).await;
    v["response"]["basket_elements"].as_array().unwrap().len()
}

#[tokio::test]
async fn add_skips_duplicates_unknown_and_inaccessible_records_and_expands_stories() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let (_, created) = post_api(&sim, "/api/v1/baskets/add/", &[("name", "Mine")]).await;
    let id = created["response"]["basket"]["basket_id"].as_i64().unwrap();
    let img = (f.image_record.databox_id, f.image_record.record_id);
    let body = data(&[
        img,
        img,
        (f.inaccessible_record.databox_id, f.inaccessible_record.record_id),
        (999, 1),
        (1, 987_654),
    ]);
    let (status, v) = send(&sim, reqwest::Method::POST, &id.to_string(), &body).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["response"]["elements"], json!([{}]), "one element, encoded as Doctrine does");
    assert_eq!(element_count(&sim, id).await, 1);
    // Again: already there, nothing added.
    let (_, v) = send(&sim, reqwest::Method::POST, &id.to_string(), &data(&[img])).await;
    assert_eq!(v["response"]["elements"], json!([]));
    // A story adds its children.
    let (_, story) =
        api(&sim, &format!("/api/v1/stories/{}/{}/", f.story.databox_id, f.story.record_id)).await;
    let children = story["response"]["story"]["records"].as_array().unwrap().len();
    let (_, v) =
        send(&sim, reqwest::Method::POST, &id.to_string(), &data(&[(f.story.databox_id, f.story.record_id)]))
            .await;
    let added = v["response"]["elements"].as_array().unwrap().len();
    assert!(added > 0 && added <= children, "{added} of {children}");
    // Remove: records not in the basket are ignored.
    let (status, v) = send(&sim, reqwest::Method::DELETE, &id.to_string(), &data(&[img, (1, 987_654)])).await;
    assert_eq!(status, 200);
    assert_eq!(v["response"]["elements"], json!([{}]));
    assert_eq!(element_count(&sim, id).await, added);
    let log: Vec<_> = sim.requests().into_iter().filter(|r| r.path.starts_with("/api/v2/")).collect();
    assert_eq!(log.len(), 4);
    assert!(log.iter().all(|r| r.status == 200 && !r.transport.is_empty()));
}

#[tokio::test]
async fn bodies_off_the_schema_are_refused_as_the_server_does() {
    let sim = sim().await;
    let id = sim.fixtures().plain_basket_id.to_string();
    let post = reqwest::Method::POST;
    for (body, status, details) in [
        ("", 422, "Json request cannot be decoded"),
        ("{not json", 422, "Json request cannot be decoded"),
        ("{}", 400, "[data] The property data is required"),
        ("{\"data\":{}}", 400, "[data] Object value found, but an array is required"),
        ("{\"data\":[{\"databox_id\":1}]}", 400, "[data[0].record_id] The property record_id is required"),
        (
            "{\"data\":[{\"databox_id\":1,\"record_id\":\"2\"}]}",
            400,
            "[data[0].record_id] String value found, but an integer is required",
        ),
    ] {
        let (got, v) = send(&sim, post.clone(), &id, body).await;
        assert_eq!(got, status, "{body}: {v}");
        assert_eq!(v["meta"]["error_details"], details, "{body}");
    }
    let (status, _) = send(&sim, post.clone(), "abc", &data(&[])).await;
    assert_eq!(status, 400, "the non-numeric twin");
    let (status, v) = send(&sim, post.clone(), "987654", &data(&[])).await;
    assert_eq!((status, v["meta"]["error_details"].as_str()), (404, Some("Basket 987654 not found.")));
    let forbidden = sim.fixtures().forbidden_basket_id.to_string();
    let (status, v) = send(&sim, post, &forbidden, &data(&[])).await;
    assert_eq!(
        (status, v["meta"]["error_details"].as_str()),
        (403, Some("Current user does not have access to the basket"))
    );
    // The reorder route is declared but its action is empty.
    let res = http()
        .put(format!("{}/api/v2/baskets/{id}/records/reorder", sim.url()))
        .header("Authorization", format!("OAuth {}", sim.fixtures().developer_token))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 500);
    // No token: the OAuth listener answers first, as on v1.
    let res = http()
        .post(format!("{}/api/v2/baskets/{id}/records/", sim.url()))
        .body(data(&[]))
        .send()
        .await
        .unwrap();
    let v1 = http().get(format!("{}/api/v1/baskets/list/", sim.url())).send().await.unwrap();
    assert_eq!(res.status(), v1.status());
    assert!(res.headers().contains_key("www-authenticate"));
}

#[tokio::test]
async fn phraseanet_3_8_has_no_v2_routes() {
    let sim = sim_profile(ServerProfile::V38).await;
    let id = sim.fixtures().plain_basket_id.to_string();
    let res = http()
        .post(format!(
            "{}/api/v2/baskets/{id}/records/?oauth_token={}",
            sim.url(),
            sim.fixtures().developer_token
        ))
        .body(data(&[]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    let v: Value = res.json().await.unwrap();
    assert!(v["meta"]["error_details"].as_str().unwrap().starts_with("No route found"), "{v}");
}
