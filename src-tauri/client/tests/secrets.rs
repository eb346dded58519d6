//! After a full session (sign-in through the browser, API calls, media, downloads), neither the token
//! nor the client secret appears in the config dir, the cache dir, the download dir or the logs.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use phraseanet_client::{
    AuthMethod, CancellationToken, Media, MediaOptions, MediaSource, Profile, ProfileStore, RecordRef,
    Secret, SecretKind, Vault,
};

use common::*;

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn grep_dir(dir: &std::path::Path, needles: &[&str]) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            grep_dir(&p, needles);
            continue;
        }
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
    let logs = Buf::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = sim().await;
    let f = sim.fixtures().clone();
    let root = tempfile::tempdir().unwrap();
    let (cfg, cache, out) =
        (root.path().join("config"), root.path().join("cache"), root.path().join("downloads"));
    let profiles = ProfileStore::at(&cfg);
    let vault = Vault::session_only();
    let profile = Profile::new("sim", sim.url(), &f.desktop_app.client_id, AuthMethod::OauthOob).unwrap();
    profiles.save(&profile).unwrap();
    vault.set("sim", SecretKind::ClientSecret, &Secret::new(&f.desktop_app.client_secret)).unwrap();

    let s = phraseanet_client::SignIn::for_profile(&profile, &vault).unwrap();
    let code = browser_code(&sim, &s).await;
    let signed = s.finish_oob(&code).await.unwrap();
    let token = signed.token().expose().to_string();
    let debug_dump = format!("{signed:?} {s:?} {vault:?}");
    let session = signed.remember(&profiles, &vault, &profile).unwrap();
    let api = session.api().clone();
    api.me().await.unwrap();
    let content = api.basket(f.plain_basket_id).await.unwrap();
    let media = Media::new(api.clone(), MediaOptions::in_dir(&cache)).unwrap();
    for e in &content.basket_elements {
        if let Some(src) = MediaSource::thumbnail(&e.record) {
            media.fetch(&src).await.unwrap();
        }
    }
    let r = RecordRef::new(f.image_record.databox_id, f.image_record.record_id);
    media.download_record(r, "document", &out, &|_| {}, &CancellationToken::new()).await.unwrap();
    let _ =
        api.record(RecordRef::new(f.inaccessible_record.databox_id, f.inaccessible_record.record_id)).await;
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
    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    for n in needles {
        assert!(!logs.contains(n), "a secret leaked into the logs");
        assert!(!debug_dump.contains(n), "a secret leaked into a Debug output");
    }
    sim.shutdown().await;
}
