//! After a full session (sign-in through the browser, API calls, media, downloads), neither the token
//! nor the client secret appears in the config dir, the cache dir, the download dir or the logs.

use phraseanet_client::{CancellationToken, Media, MediaOptions, MediaSource, Secret};

use crate::common::*;

fn grep_dir(dir: &std::path::Path, needles: &[&str]) {
    assert!(dir.is_dir(), "{dir:?} is a folder");
    for p in files_under(dir) {
        let bytes = std::fs::read(&p).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for n in needles {
            assert!(!text.contains(n), "a secret leaked into {p:?}");
        }
        let name = p.to_string_lossy();
        for n in needles {
            assert!(!name.contains(n), "a secret leaked into a file name: {name}");
        }
    }
}

#[tokio::test]
async fn no_secret_on_disk_or_in_logs() {
    let (logs, _guard) = Logs::capture(tracing::Level::TRACE);

    let sim = sim().await;
    let f = sim.fixtures().clone();
    let root = tempfile::tempdir().unwrap();
    let (cfg, cache, out) =
        (root.path().join("config"), root.path().join("cache"), root.path().join("downloads"));
    let accounts = Accounts::new(&sim, &cfg);
    accounts.save(&sim);
    let Accounts { profiles, vault, profile } = &accounts;

    let s = phraseanet_client::SignIn::for_profile(profile, vault).unwrap();
    let code = browser_code(&sim, &s).await;
    let signed = s.finish_oob(&code).await.unwrap();
    let token = signed.token().expose().to_string();
    let debug_dump = format!("{signed:?} {s:?} {vault:?}");
    let session = signed.remember(profiles, vault, profile).unwrap();
    let api = session.api().clone();
    api.me().await.unwrap();
    let content = api.basket(f.plain_basket_id).await.unwrap();
    let media = Media::new(api.clone(), MediaOptions::in_dir(&cache)).unwrap();
    for e in &content.basket_elements {
        if let Some(src) = MediaSource::thumbnail(&e.record) {
            media.fetch(&src).await.unwrap();
        }
    }
    media
        .download_record(rr(&f.image_record), "document", &out, &|_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let _ = api.record(rr(&f.inaccessible_record)).await;
    // Errors are logged and shown: their texts must be clean too.
    let err = phraseanet_client::SignIn::new(
        server(&sim),
        &f.desktop_app.client_id,
        Some(Secret::new(&f.desktop_app.client_secret)),
    )
    .unwrap()
    .finish_oob("0123456789abcdef0123456789abcdef")
    .await
    .unwrap_err();
    tracing::info!("error: {err} / {err:?} / {:?}", phraseanet_client::ErrorPayload::from(&err));
    sim.revoke_token(&token);
    let revoked = api.me().await.unwrap_err();
    tracing::info!("error: {revoked} / {revoked:?}");

    let needles = [token.as_str(), f.desktop_app.client_secret.as_str()];
    grep_dir(&cfg, &needles);
    grep_dir(&cache, &needles);
    grep_dir(&out, &needles);
    let logs = logs.text();
    for n in needles {
        assert!(!logs.contains(n), "a secret leaked into the logs");
        assert!(!debug_dump.contains(n), "a secret leaked into a Debug output");
    }
    sim.shutdown().await;
}
