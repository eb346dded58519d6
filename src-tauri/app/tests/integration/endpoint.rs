//! The loopback media endpoint the players use (WebKitGTK cannot play from a custom scheme): real bytes
//! with ranges for the right secret, nothing for a wrong one, only on 127.0.0.1.

use std::sync::Arc;

use crate::common::{world, P};
use phraseanet_app::browse::MediaEndpoint;
use phraseanet_sim::SimOptions;

#[tokio::test]
async fn players_get_ranges_with_the_secret_and_nothing_without() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    // The grid loads first in the app; here the basket load fills the media index the same way.
    w.desktop.basket(P, f.media_basket_id).await.unwrap();
    let endpoint = MediaEndpoint::bind().unwrap();
    assert!(endpoint.origin().starts_with("http://127.0.0.1:"));
    let base = endpoint.base();
    let origin = endpoint.origin().to_string();
    let desktop = Arc::new(w.desktop);
    tokio::spawn(endpoint.serve(desktop.clone()));

    let v = f.video_record;
    let url = format!("{base}{P}/sub/{}/{}/preview", v.databox_id, v.record_id);
    let http = reqwest::Client::new();
    let ranged = http.get(&url).header("Range", "bytes=0-99").send().await.unwrap();
    assert_eq!(ranged.status(), 206);
    assert_eq!(ranged.headers()["content-type"], "video/mp4");
    assert!(ranged.headers()["content-range"].to_str().unwrap().starts_with("bytes 0-99/"));
    assert_eq!(ranged.bytes().await.unwrap().len(), 100);

    let wrong = format!("{origin}/{}/{P}/sub/{}/{}/preview", "0".repeat(48), v.databox_id, v.record_id);
    assert_eq!(http.get(&wrong).send().await.unwrap().status(), 404);
    let refused = format!("{base}{P}/sub/{}/{}/..%2F..%2Fetc", v.databox_id, v.record_id);
    assert_eq!(http.get(&refused).send().await.unwrap().status(), 404);
    assert_eq!(http.post(&url).send().await.unwrap().status(), 404, "GET and HEAD only");
    // Defence in depth: another Host (DNS rebinding) is refused even with the secret.
    let rebound = http.get(&url).header("Host", "evil.example:80").send().await.unwrap();
    assert_eq!(rebound.status(), 421);
    // The webview keeps no copy, and the type is the app's canonical one.
    let whole = http.get(&url).send().await.unwrap();
    assert_eq!(whole.headers()["cache-control"], "no-store");
    assert_eq!(whole.headers()["x-content-type-options"], "nosniff");
    // Percent-encoding is decoded once: "%2541" is the profile "%41", not "A".
    let twice = format!("{base}%2541/sub/{}/{}/preview", v.databox_id, v.record_id);
    assert_eq!(http.get(&twice).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn the_pdf_frame_alone_goes_without_the_sandboxing_csp() {
    use phraseanet_app::browse::MediaClient;
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    w.desktop.basket(P, f.media_basket_id).await.unwrap();
    let d = f.document_record;
    let path = format!("sub/{}/{}/document", d.databox_id, d.record_id);
    let framed = w.desktop.media_http(MediaClient::Endpoint, P, &path, None, false).await;
    assert_eq!(framed.status(), 200);
    assert_eq!(framed.headers()["content-type"], "application/pdf");
    assert!(
        framed.headers().get("content-security-policy").is_none(),
        "the engine's PDF viewer needs its scripts"
    );
    let scheme = w.desktop.media_http(MediaClient::Scheme, P, &path, None, false).await;
    assert!(scheme.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    // HEAD: the same headers, no body.
    let head = w.desktop.media_http(MediaClient::Endpoint, P, &path, None, true).await;
    assert!(head.body().is_empty());
    assert_eq!(head.headers()["content-length"], framed.headers()["content-length"]);
}
