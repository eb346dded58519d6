//! The desktop use cases on servers as they are deployed (docs/real-servers.md): the token transport
//! kept in the profile, a slow basket with progress and Cancel, shared baskets, both vote shapes, and a
//! story whose type was edited.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use phraseanet_app::browse::{DownloadEventKind, DownloadState, MediaKind};
use phraseanet_client::{DownloadNote, Error, RecordRef};
use phraseanet_sim::{Behind, Dataset, ServerProfile, SimOptions};

use crate::common::P;

#[tokio::test]
async fn a_4_0_server_behind_apache_signs_in_with_the_parameter_and_remembers_it() {
    let w = crate::common::world(SimOptions {
        server_profile: ServerProfile::V40,
        behind: Behind::ApacheFpm,
        ..Default::default()
    })
    .await;
    let f = w.sim.fixtures().clone();
    let saved = std::fs::read_to_string(w.desktop.config_dir().join("profiles.json")).unwrap();
    assert!(saved.contains("\"token_transport\": \"param\""), "{saved}");
    assert!(!saved.contains(&f.developer_token), "the token never reaches the profiles file");
    let list = w.desktop.baskets(P).await.unwrap();
    assert!(!list.is_empty());
    // Pre-created votes (≤4.1.6): every participant listed with agreement null; only real votes count.
    let view = w.desktop.basket(P, f.vote_basket_id).await.unwrap();
    let counted: u32 = view.elements.iter().map(|e| e.vote.unwrap().yes + e.vote.unwrap().no).sum();
    let participants = view.header.vote.as_ref().unwrap().participants.len() as u32;
    assert!(counted < participants * view.elements.len() as u32, "null agreements are not votes");
    assert!(view.elements.iter().any(|e| e.vote.unwrap().yes + e.vote.unwrap().no == 0));
    // Every API request after sign-in carried the token as a parameter, never the header.
    let log = w.sim.requests();
    let carried: Vec<_> =
        log.iter().filter(|r| r.token.as_deref() == Some(f.developer_token.as_str())).collect();
    assert!(!carried.is_empty());
    assert!(carried.iter().all(|r| r.transport == [phraseanet_sim::TokenSeen::Query]), "{carried:?}");
}

#[tokio::test]
async fn a_transport_that_stops_working_is_switched_and_kept() {
    // A profile signed in while the header worked; the server then moved behind Apache + PHP-FPM.
    let w = crate::common::world(SimOptions { behind: Behind::ApacheFpm, ..Default::default() }).await;
    let token = w.sim.fixtures().developer_token.clone();
    let file = w.desktop.config_dir().join("profiles.json");
    let saved = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, saved.replace("\"param\"", "\"header\"")).unwrap();
    let store = phraseanet_client::ProfileStore::at(w.desktop.config_dir());
    let vault = phraseanet_client::Vault::session_only();
    vault.set_token(&store.get(P).unwrap(), &phraseanet_client::Secret::new(&token)).unwrap();
    let desktop = phraseanet_app::Desktop::new(store, vault);
    w.sim.clear_requests();
    let account = desktop.resume(P).await.expect("the API switched to the parameter");
    assert_eq!(account.user_name, w.sim.fixtures().display_name);
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"token_transport\": \"param\""));
    let tries: Vec<_> = w.sim.requests().into_iter().filter(|r| r.path == "/api/v1/me/").collect();
    assert_eq!(tries.len(), 2, "{tries:?}");
    assert_eq!(tries[0].transport, [phraseanet_sim::TokenSeen::Header]);
    assert_eq!(tries[1].transport, [phraseanet_sim::TokenSeen::Query]);
    // Next time the profile opens, the parameter goes first.
    w.sim.clear_requests();
    desktop.baskets(P).await.unwrap();
    assert!(w.sim.requests().iter().all(|r| !r.transport.contains(&phraseanet_sim::TokenSeen::Header)));
}

#[tokio::test]
async fn a_slow_basket_reports_bytes_once_they_flow_and_can_be_cancelled() {
    let w = crate::common::world(SimOptions {
        dataset: Dataset::Large,
        basket_size: 4_000,
        php_per_element: Duration::from_micros(500),
        ..Default::default()
    })
    .await;
    let id = w.sim.fixtures().large_basket_id.unwrap();
    let seen = Arc::new(Mutex::new(Vec::<u64>::new()));
    let log = seen.clone();
    let progress = move |n: u64| log.lock().unwrap().push(n);
    let view = w.desktop.basket_watched(P, id, &progress).await.unwrap();
    assert_eq!(view.elements.len(), 4_000);
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty(), "bytes were reported");
    assert!(seen.windows(2).all(|p| p[0] <= p[1]), "{seen:?}");

    // Cancel while the server still prepares the answer (2 s here).
    let desktop = Arc::new(w.desktop);
    let d = desktop.clone();
    let loading = tokio::spawn(async move { d.basket_watched(P, id, &|_| {}).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    desktop.cancel_basket(P);
    let err = tokio::time::timeout(Duration::from_secs(1), loading).await.expect("ends at once").unwrap();
    assert_eq!(err.unwrap_err(), Error::Cancelled);
}

#[tokio::test]
async fn shared_baskets_name_their_owner_and_edited_stories_stay_stories() {
    let w = crate::common::world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let shared = f.shared_basket_id.expect("4.1.7+ has shared non-vote baskets");
    let list = w.desktop.baskets(P).await.unwrap();
    let line = list.iter().find(|b| b.info.id == shared).unwrap();
    assert_eq!(line.info.shared_by.as_deref(), Some(f.second_user.display_name.as_str()));
    assert!(list.iter().filter(|b| b.info.id != shared).all(|b| b.info.shared_by.is_none()));
    let view = w.desktop.basket(P, shared).await.unwrap();
    assert_eq!(view.header.info.shared_by.as_deref(), Some(f.second_user.display_name.as_str()));

    let edited = RecordRef::new(f.edited_story.databox_id, f.edited_story.record_id);
    let details = w.desktop.record(P, edited, None).await.unwrap();
    assert_eq!(details.phrasea_type, "image", "the server shows the edited type");
    assert_eq!(details.kind, MediaKind::Story);
    let story = w.desktop.story(P, edited).await.unwrap();
    assert!(!story.records.is_empty());
    // A plain record is not probed into a story.
    let plain = RecordRef::new(f.image_record.databox_id, f.image_record.record_id);
    assert_eq!(w.desktop.record(P, plain, None).await.unwrap().kind, MediaKind::Image);
}

#[tokio::test]
async fn a_profile_pointed_at_another_server_never_sends_it_the_old_token_or_secret() {
    let w = crate::common::world(SimOptions::default()).await;
    let first = w.sim.fixtures().clone();
    let other = phraseanet_sim::Sim::start(SimOptions::default()).await.unwrap();
    // The same name, another server (a migration, a typo, a look-alike domain in a phishing mail).
    let replaced = phraseanet_app::NewProfile {
        name: Some(P.into()),
        server: other.url().to_string(),
        client_id: first.desktop_app.client_id.clone(),
        client_secret: None,
        auth: phraseanet_client::AuthMethod::OauthOob,
    };
    let summary = w.desktop.save_profile(replaced).unwrap();
    assert!(!summary.signed_in, "the old token does not count for the new server");
    let err = w.desktop.resume(P).await.unwrap_err();
    assert_eq!(err.code(), "not-signed-in");
    let _ = w.desktop.baskets(P).await;
    let _ = w.desktop.sign_in_with_code(P, "0123456789abcdef0123456789abcdef").await;
    for r in other.requests() {
        assert_ne!(r.token.as_deref(), Some(first.developer_token.as_str()), "{r:?}");
        assert_ne!(r.client_secret.as_deref(), Some(first.desktop_app.client_secret.as_str()), "{r:?}");
    }
    assert!(
        other.requests().iter().any(|r| r.path == "/api/oauthv2/token"),
        "the code exchange did reach the new server, without the old secret"
    );
}

#[tokio::test]
async fn a_rewritten_original_is_kept_and_noted_once_compared_after_it_is_done() {
    let w = crate::common::world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let rewritten = f.rewritten_documents.first().expect("the dataset has rewritten documents");
    let untouched = [&f.image_record, &f.png_record, &f.document_record]
        .into_iter()
        .find(|r| !f.rewritten_documents.contains(r))
        .expect("a document as uploaded");
    let folder = w.dir.path().join("downloads");
    for (r, differs) in [(rewritten, true), (untouched, false)] {
        let (on_event, mut rx) = crate::browse_media::listener();
        let r = RecordRef::new(r.databox_id, r.record_id);
        let id = w.desktop.download_record(P, r, None, Some(folder.clone()), on_event).await.unwrap();
        // Done first: the file is the person's at once, its note not known yet.
        let done = crate::browse_media::final_event(&mut rx, id).await;
        assert_eq!(done.kind, DownloadEventKind::Done, "{:?}", done.item.error);
        assert_eq!(done.item.note, None, "{r:?}");
        let path = std::path::PathBuf::from(done.item.path.clone().unwrap());
        assert!(path.is_file());
        // Then the comparison with the record's sha256.
        let checked = loop {
            let e = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("checked").unwrap();
            if e.item.id == id && e.kind == DownloadEventKind::Checked {
                break e;
            }
        };
        assert_eq!(checked.item.note == Some(DownloadNote::DiffersFromOriginal), differs, "{r:?}");
        assert_eq!(checked.item.state, DownloadState::Done);
        assert!(path.is_file(), "kept either way");
        let listed = w.desktop.downloads().into_iter().find(|d| d.id == id).unwrap();
        assert_eq!(listed.note, checked.item.note, "the list says so too");
    }
}
