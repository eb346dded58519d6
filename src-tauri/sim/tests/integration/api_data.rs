//! API v1 data endpoints and the fixture quirks (api §5, §6, §7; checklist §9.8, §9.9).

use crate::common::*;
use serde_json::Value;

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

const RECORD_KEYS: &[&str] = &[
    "databox_id",
    "record_id",
    "resource_id",
    "mime_type",
    "title",
    "original_name",
    "updated_on",
    "created_on",
    "collection_id",
    "base_id",
    "sha256",
    "thumbnail",
    "technical_informations",
    "phrasea_type",
    "uuid",
];

#[tokio::test]
async fn me_subdefs_and_collections() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let (status, v) = api(&sim, "/api/v1/me/").await;
    assert_eq!(status, 200);
    let r = &v["response"];
    assert_eq!(keys(r), ["user", "collections", "databoxes"]);
    let u = &r["user"];
    assert_eq!(u["@entity@"], "http://api.phraseanet.com/api/objects/user");
    assert_eq!(u["display_name"], f.display_name.as_str());
    assert_eq!(u["last_connection"], "-0001-11-30T00:00:00+00:09");
    assert!(u["address"].is_null());
    let grants = r["collections"].as_array().unwrap();
    assert!(!grants.is_empty());
    for g in grants {
        assert_eq!(keys(g), ["databox_id", "base_id", "collection_id", "rights", "statuses"]);
        assert!(g["rights"].as_array().unwrap().iter().any(|x| x == "actif"));
        assert_eq!(g["statuses"][0]["position"], 4);
        assert!(g["statuses"][0]["labels"]["on"]["en"].is_string());
    }
    let mut dbs: Vec<i64> =
        r["databoxes"].as_array().unwrap().iter().map(|d| d["databox_id"].as_i64().unwrap()).collect();
    dbs.sort();
    assert_eq!(dbs, f.databox_ids);

    let (_, v) = api(&sim, "/api/v1/me/subdefs/").await;
    let subdefs = &v["response"]["subdefs"];
    assert!(subdefs["image"]["thumbnail"]["options"].is_object());
    assert_eq!(subdefs["document"]["preview"]["options"], serde_json::json!([]));
    assert_eq!(subdefs["video"]["preview"]["class"], "preview");

    let (_, v) = api(&sim, "/api/v1/me/collections/").await;
    assert!(v["response"]["collections"][0]["name"].is_string());
    assert_eq!(v["response"]["collections"][0]["logo"], "");
}

#[tokio::test]
async fn basket_list_and_contents_with_their_quirks() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let (status, v) = api(&sim, "/api/v1/baskets/list/").await;
    assert_eq!(status, 200);
    let baskets = v["response"]["baskets"].as_array().unwrap();
    let ids: Vec<i64> = baskets.iter().map(|b| b["basket_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, f.basket_ids);
    assert!(!ids.contains(&f.forbidden_basket_id));
    for b in baskets {
        let vote = b["validation_basket"].as_bool().unwrap();
        let k = keys(b);
        if vote {
            assert_eq!(k[0], "validation_users", "vote keys come first");
            assert!(b["validation_infos"].is_string() && b["validation_initiator_user"].is_object());
        } else {
            assert_eq!(k[0], "basket_id");
        }
        assert!(b["description"].is_string());
    }
    let plain = baskets.iter().find(|b| b["basket_id"] == f.plain_basket_id).unwrap();
    assert_eq!(plain["description"], "");
    let shared = baskets.iter().find(|b| b["basket_id"] == f.vote_basket_id).unwrap();
    assert_eq!(shared["validation_initiator"], false);
    assert_eq!(shared["owner"]["id"], f.second_user.user_id);
    let own_vote = baskets.iter().find(|b| b["basket_id"] == f.own_vote_basket_id).unwrap();
    assert_eq!(own_vote["validation_initiator"], true);
    let me =
        own_vote["validation_users"].as_array().unwrap().iter().find(|p| p["usr_id"] == f.user_id).unwrap();
    assert_eq!(me["readonly"], false);

    // Plain basket: story element (null mime/sha256, unknown) and a null thumbnail.
    let (_, v) = api(&sim, &format!("/api/v1/baskets/{}/content/", f.plain_basket_id)).await;
    let els = v["response"]["basket_elements"].as_array().unwrap();
    let orders: Vec<i64> = els.iter().map(|e| e["order"].as_i64().unwrap()).collect();
    assert!(orders.windows(2).all(|w| w[0] < w[1]));
    for e in els {
        assert_eq!(keys(&e["record"]), RECORD_KEYS);
        assert_eq!(e["validation_item"], false);
        assert!(e.get("validation_choices").is_none());
    }
    let story = els.iter().find(|e| e["record"]["record_id"] == f.story.record_id).unwrap();
    assert!(story["record"]["mime_type"].is_null() && story["record"]["sha256"].is_null());
    assert!(story["record"]["original_name"].is_null());
    assert_eq!(story["record"]["phrasea_type"], "unknown");
    let no_thumb = els.iter().find(|e| e["record"]["record_id"] == f.no_thumbnail_record.record_id).unwrap();
    assert!(no_thumb["record"]["thumbnail"].is_null());

    // Vote basket: one element with votes, one without the key at all.
    let (_, v) = api(&sim, &format!("/api/v1/baskets/{}/content/", f.vote_basket_id)).await;
    let els = v["response"]["basket_elements"].as_array().unwrap();
    assert!(els
        .iter()
        .all(|e| e["validation_item"] == true && e.get("note").is_some() && e.get("agreement").is_some()));
    let with = els.iter().filter(|e| e.get("validation_choices").is_some()).count();
    assert!(with >= 1 && with < els.len());
    let voted = els.iter().find(|e| e.get("validation_choices").is_some()).unwrap();
    let choice = &voted["validation_choices"][0];
    assert_eq!(keys(choice), ["validation_user", "agreement", "updated_on", "note"]);

    // Empty basket.
    let (_, v) = api(&sim, &format!("/api/v1/baskets/{}/content/", f.empty_basket_id)).await;
    assert_eq!(v["response"]["basket_elements"], serde_json::json!([]));
}

#[tokio::test]
async fn basket_add_rename_describe_delete() {
    let sim = sim().await;
    let name = "<b>New</b> basket & co";
    let (status, v) = post_api(&sim, "/api/v1/baskets/add/", &[("name", name)]).await;
    assert_eq!(status, 200);
    let b = &v["response"]["basket"];
    assert_eq!(b["name"], name);
    assert_eq!(b["description"], "");
    let id = b["basket_id"].as_i64().unwrap();
    let (status, v) = post_api(&sim, "/api/v1/baskets/add/", &[("name", "<i></i> ")]).await;
    assert_eq!(status, 400);
    assert_eq!(v["meta"]["error_details"], "Missing basket name parameter");

    let (_, v) = post_api(&sim, &format!("/api/v1/baskets/{id}/setname/"), &[("name", "Renamed")]).await;
    assert_eq!(v["response"]["basket"]["name"], "Renamed");
    let (_, v) =
        post_api(&sim, &format!("/api/v1/baskets/{id}/setdescription/"), &[("description", "About")]).await;
    assert_eq!(v["response"]["basket"]["description"], "About");
    let (_, v) = post_api(&sim, &format!("/api/v1/baskets/{id}/setdescription/"), &[]).await;
    assert_eq!(v["response"]["basket"]["description"], "");
    let (_, list) = api(&sim, "/api/v1/baskets/list/").await;
    assert!(list["response"]["baskets"].as_array().unwrap().iter().any(|b| b["basket_id"] == id));
    let (status, v) = post_api(&sim, &format!("/api/v1/baskets/{id}/delete/"), &[]).await;
    assert_eq!(status, 200);
    let remaining = v["response"]["baskets"].as_array().unwrap();
    assert!(!remaining.iter().any(|b| b["basket_id"] == id));
    assert_eq!(remaining.len(), sim.fixtures().basket_ids.len());
    assert_eq!(api(&sim, &format!("/api/v1/baskets/{id}/content/")).await.0, 404);
}

#[tokio::test]
async fn record_routes() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let r = f.image_record;
    let base = format!("/api/v1/records/{}/{}", r.databox_id, r.record_id);
    let (status, v) = api(&sim, &format!("{base}/")).await;
    assert_eq!(status, 200);
    let rec = &v["response"]["record"];
    assert_eq!(keys(rec), RECORD_KEYS);
    assert_eq!(rec["mime_type"], "image/jpeg");
    assert_eq!(rec["sha256"].as_str().unwrap().len(), 64);
    assert!(rec["resource_id"].as_str().unwrap().ends_with(&format!("_{}_{}", r.databox_id, r.record_id)));
    let thumb = &rec["thumbnail"];
    assert_eq!(
        keys(thumb),
        [
            "name",
            "permalink",
            "height",
            "width",
            "filesize",
            "devices",
            "player_type",
            "mime_type",
            "substituted",
            "created_on",
            "updated_on",
            "url",
            "url_ttl"
        ]
    );
    assert_eq!(thumb["url_ttl"], 7200);
    assert!(thumb["url"].as_str().unwrap().starts_with(&format!("{}/medias/", sim.url())));
    assert_eq!(
        keys(&thumb["permalink"]),
        ["created_on", "id", "is_activated", "label", "updated_on", "page_url", "download_url", "url"]
    );

    // Embed: document first, filters, url_ttl.
    let (_, v) = api(&sim, &format!("{base}/embed/?subdef_url_ttl=60")).await;
    let embed = v["response"]["embed"].as_array().unwrap();
    let names: Vec<&str> = embed.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["document", "thumbnail", "preview"]);
    assert!(embed[0]["permalink"].is_null());
    assert_eq!(embed[0]["devices"], serde_json::json!(["all"]));
    assert!(embed.iter().all(|s| s["url_ttl"] == 60));
    let (_, v) = api(&sim, &format!("{base}/embed/?mimes[]=image/png")).await;
    assert_eq!(v["response"]["embed"], serde_json::json!([]));
    let (_, v) = api(&sim, &format!("{base}/embed/?subdef_url_ttl=-5")).await;
    assert_eq!(v["response"]["embed"][0]["url_ttl"], -1);
    let (_, v) = api(
        &sim,
        &format!(
            "/api/v1/records/{}/{}/embed/",
            f.no_permalink_record.databox_id, f.no_permalink_record.record_id
        ),
    )
    .await;
    let preview =
        v["response"]["embed"].as_array().unwrap().iter().find(|s| s["name"] == "preview").cloned().unwrap();
    assert!(preview["permalink"].is_null());

    let (_, v) = api(&sim, &format!("{base}/caption/")).await;
    let caption = v["response"]["caption_metadatas"].as_array().unwrap();
    assert!(caption.iter().any(|c| c["name"] == "Title" && c["value"] == rec["title"]));
    assert!(!caption.iter().any(|c| c["name"] == "InternalNotes"), "business fields are never shown");
    let keywords =
        caption.iter().find(|c| c["name"] == "Keywords").unwrap()["value"].as_str().unwrap().to_string();
    let (_, v) = api(&sim, &format!("{base}/metadatas/")).await;
    let metas = v["response"]["record_metadatas"].as_array().unwrap();
    let kw: Vec<&str> =
        metas.iter().filter(|m| m["name"] == "Keywords").map(|m| m["value"].as_str().unwrap()).collect();
    assert!(kw.len() >= 2, "one entry per value");
    assert_eq!(kw.join(";"), keywords);
    assert_eq!(keys(&metas[0]), ["meta_structure_id", "name", "labels", "meta_id", "value"]);
    let (_, v) = api(&sim, &format!("{base}/status/")).await;
    let bits: Vec<i64> =
        v["response"]["status"].as_array().unwrap().iter().map(|s| s["bit"].as_i64().unwrap()).collect();
    assert!(!bits.is_empty() && bits.iter().all(|b| (4..32).contains(b)));

    // Related: the user's baskets holding it and the stories holding it.
    let (_, v) = api(&sim, &format!("{base}/related/")).await;
    let baskets: Vec<i64> = v["response"]["baskets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["basket_id"].as_i64().unwrap())
        .collect();
    assert!(baskets.contains(&f.plain_basket_id));
    assert!(v["response"]["stories"].as_array().unwrap().iter().any(|s| s["story_id"] == f.story.record_id));

    // Extended records.
    let res = http()
        .get(format!("{}{base}/", sim.url()))
        .header("Authorization", format!("OAuth {}", f.developer_token))
        .header("Accept", "application/vnd.phraseanet.record-extended+json")
        .send()
        .await
        .unwrap();
    let v: Value = res.json().await.unwrap();
    let k = keys(&v["response"]["record"]);
    assert!(["subdefs", "metadata", "status", "caption"].iter().all(|x| k.contains(x)));
}

#[tokio::test]
async fn stories_databoxes_collections() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let (_, v) = api(&sim, &format!("/api/v1/stories/{}/{}/", f.story.databox_id, f.story.record_id)).await;
    let s = &v["response"]["story"];
    assert_eq!(s["@entity@"], "http://api.phraseanet.com/api/objects/story");
    assert_eq!(s["story_id"], f.story.record_id);
    assert!(!s["records"].as_array().unwrap().is_empty());
    assert_eq!(s["metadatas"]["@entity@"], "http://api.phraseanet.com/api/objects/story-metadata-bag");
    assert!(s["metadatas"]["dc:title"].is_string());
    assert!(s["thumbnail"].is_object());
    let (_, v) =
        api(&sim, &format!("/api/v1/stories/{}/{}/", f.empty_story.databox_id, f.empty_story.record_id))
            .await;
    assert!(v["response"]["story"]["thumbnail"].is_null());
    assert_eq!(v["response"]["story"]["records"], serde_json::json!([]));
    let r = f.image_record;
    let (status, v) = api(&sim, &format!("/api/v1/stories/{}/{}/", r.databox_id, r.record_id)).await;
    assert_eq!(status, 200);
    assert_eq!(v["response"], serde_json::json!({"story": {"headers": {}}}));
    let (_, v) =
        api(&sim, &format!("/api/v1/stories/{}/{}/embed/", f.story.databox_id, f.story.record_id)).await;
    assert!(v["response"]["embed"].as_array().unwrap().iter().any(|e| e["name"] == "thumbnail"));

    let (_, v) = api(&sim, "/api/v1/databoxes/list/").await;
    let dbs = v["response"]["databoxes"].as_object().expect("an object keyed by id");
    for (k, d) in dbs {
        assert_eq!(k, &d["databox_id"].to_string());
        assert_eq!(keys(d), ["databox_id", "name", "viewname", "labels", "version"]);
    }
    let (_, v) = api(&sim, &format!("/api/v1/databoxes/{}/collections/", f.databox_ids[0])).await;
    let colls = v["response"]["collections"].as_object().expect("an object keyed by collection id");
    for (k, c) in colls {
        assert_eq!(k, &c["collection_id"].to_string());
        assert!(c["record_amount"].as_i64().unwrap() >= 0);
    }
    let (_, v) = api(&sim, &format!("/api/v1/databoxes/{}/collections/", f.empty_databox_id)).await;
    assert_eq!(v["response"]["collections"], serde_json::json!([]));
    assert_eq!(
        api(&sim, &format!("/api/v1/databoxes/{}/collections/", f.restricted_databox_id)).await.0,
        401
    );
    assert_eq!(api(&sim, "/api/v1/databoxes/77/collections/").await.0, 404);
    let base_id = colls.values().next().unwrap()["base_id"].as_i64().unwrap();
    let (status, v) = api(&sim, &format!("/api/v1/collections/{base_id}/")).await;
    assert_eq!(status, 200);
    assert_eq!(v["response"]["collection"]["base_id"], base_id);
}

#[tokio::test]
async fn shared_non_vote_basket_from_4_1_7() {
    // docs/real-servers.md, "Baskets and votes": listed after the shared vote basket, owner someone else,
    // readable, not modifiable.
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let id = f.shared_basket_id.expect("4.1-current has shares");
    let (_, v) = api(&sim, "/api/v1/baskets/list/").await;
    let baskets = v["response"]["baskets"].as_array().unwrap();
    let b = baskets.iter().find(|b| b["basket_id"] == id).unwrap();
    assert_eq!(keys(b)[0], "basket_id", "no validation keys");
    assert_eq!(b["validation_basket"], false);
    assert_eq!(b["owner"]["id"], f.second_user.user_id);
    let (status, v) = api(&sim, &format!("/api/v1/baskets/{id}/content/")).await;
    assert_eq!(status, 200);
    assert!(!v["response"]["basket_elements"].as_array().unwrap().is_empty());
    let (status, v) = post_api(&sim, &format!("/api/v1/baskets/{id}/setname/"), &[("name", "x")]).await;
    assert_eq!(status, 403);
    assert_eq!(v["meta"]["error_details"], "Only basket owner can modify the basket");
    assert_eq!(post_api(&sim, &format!("/api/v1/baskets/{id}/delete/"), &[]).await.0, 403);
    // Before 4.1.7 there are none.
    let old = sim_profile(phraseanet_sim::ServerProfile::V40).await;
    assert!(old.fixtures().shared_basket_id.is_none());
    let (_, v) = api_q(&old, "/api/v1/baskets/list/").await;
    let ids: Vec<i64> = v["response"]["baskets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["basket_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, old.fixtures().basket_ids);
    assert!(!ids.contains(&id));
}

#[tokio::test]
async fn votes_are_pre_created_up_to_4_1_6() {
    // docs/real-servers.md, "Baskets and votes": every participant × element has a row, `agreement: null`
    // until they vote.
    let sim = sim_profile(phraseanet_sim::ServerProfile::V40).await;
    let f = sim.fixtures().clone();
    let (_, v) = api_q(&sim, &format!("/api/v1/baskets/{}/content/", f.vote_basket_id)).await;
    let els = v["response"]["basket_elements"].as_array().unwrap();
    let (_, list) = api_q(&sim, "/api/v1/baskets/list/").await;
    let basket = list["response"]["baskets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["basket_id"] == f.vote_basket_id)
        .unwrap()
        .clone();
    let participants = basket["validation_users"].as_array().unwrap().len();
    let mut nulls = 0;
    for e in els {
        let choices = e["validation_choices"].as_array().expect("always present");
        assert_eq!(choices.len(), participants);
        nulls += choices.iter().filter(|c| c["agreement"].is_null()).count();
        assert_eq!(keys(&choices[0]), ["validation_user", "agreement", "updated_on", "note"]);
    }
    assert!(nulls > els.len(), "most rows wait for a vote: {nulls}");
    assert!(els.iter().any(|e| e["validation_choices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["agreement"] == true)));
    // 4.1.7+ (default): lazy rows, absent until someone votes.
    let sim = crate::common::sim().await;
    let (_, v) = api(&sim, &format!("/api/v1/baskets/{}/content/", f.vote_basket_id)).await;
    assert!(v["response"]["basket_elements"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e.get("validation_choices").is_none()));
}

#[tokio::test]
async fn old_servers_lack_resource_id_and_3_8_has_its_own_shapes() {
    let f = sim().await.fixtures().clone();
    let r = f.image_record;
    let path = format!("/api/v1/records/{}/{}/", r.databox_id, r.record_id);
    // resource_id arrives in 4.1.8.
    let sim = sim_profile(phraseanet_sim::ServerProfile::V410).await;
    let (_, v) = api_q(&sim, &path).await;
    let rec = &v["response"]["record"];
    assert!(rec.get("resource_id").is_none() && rec["base_id"].is_i64());
    let (_, v) = api_q(&sim, &format!("/api/v1/stories/{}/{}/", f.story.databox_id, f.story.record_id)).await;
    assert!(v["response"]["story"].get("resource_id").is_none());

    // 3.8 (docs/real-servers.md, "3.8 shapes").
    let sim = sim_profile(phraseanet_sim::ServerProfile::V38).await;
    let (_, v) = api_q(&sim, &path).await;
    let rec = &v["response"]["record"];
    assert!(rec.get("base_id").is_none() && rec.get("resource_id").is_none());
    let thumb = &rec["thumbnail"];
    for k in ["url", "url_ttl", "substituted", "created_on", "updated_on"] {
        assert!(thumb.get(k).is_none(), "{k}");
    }
    assert!(thumb["permalink"]["url"].is_string());
    // The document is reachable by its permalink only, and the bytes are served.
    let (_, v) = api_q(&sim, &format!("{path}embed/")).await;
    let embed = v["response"]["embed"].as_array().unwrap();
    let doc = embed.iter().find(|s| s["name"] == "document").unwrap();
    assert!(doc.get("url").is_none());
    let res = http().get(doc["permalink"]["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.bytes().await.unwrap().len() as u64, doc["filesize"].as_u64().unwrap());
    // /me/: no databoxes, collections without statuses.
    let (_, v) = api_q(&sim, "/api/v1/me/").await;
    assert_eq!(keys(&v["response"]), ["user", "collections", "demands"]);
    assert!(v["response"]["collections"].as_array().unwrap().iter().all(|c| c.get("statuses").is_none()));
    for path in ["/api/v1/me/subdefs/", "/api/v1/me/collections/"] {
        assert_eq!(api_q(&sim, path).await.0, 404, "{path} arrives after 3.8");
    }
    // /databoxes/list/: an array of the accessible databoxes.
    let (_, v) = api_q(&sim, "/api/v1/databoxes/list/").await;
    let mut ids: Vec<i64> = v["response"]["databoxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["databox_id"].as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, f.databox_ids);
    assert_eq!(v["response"]["databoxes"][0]["version"], "3.8.8");
}
