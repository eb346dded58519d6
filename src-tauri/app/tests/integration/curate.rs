//! Building baskets through the desktop use cases, against the double: names and descriptions as typed,
//! counts kept in step, owner-only baskets, servers without API v2.

use phraseanet_app::browse::BasketSummary;
use phraseanet_client::{Error, RecordRef};
use phraseanet_sim::{ServerProfile, SimOptions};

use crate::common::{world, P};

fn at(r: phraseanet_sim::RecordRef) -> RecordRef {
    RecordRef::new(r.databox_id, r.record_id)
}

#[tokio::test]
async fn a_basket_is_created_filled_emptied_renamed_and_deleted() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    assert!(w.desktop.curation_support(P).await.unwrap().records);
    let hostile = "<img src=x onerror=alert(1)> Summer";
    let b = w.desktop.create_basket(P, hostile, "  For the <b>catalogue</b> ").await.unwrap();
    assert_eq!(b.info.name, hostile, "kept as typed: the UI shows it as text");
    assert_eq!(b.info.description, "For the <b>catalogue</b>");
    assert!(b.info.own);
    assert_eq!(b.element_count, Some(0));

    let records = [at(f.image_record), at(f.video_record), at(f.audio_record), at(f.image_record)];
    let change = w.desktop.add_to_basket(P, b.info.id, &records).await.unwrap();
    assert_eq!((change.changed, change.element_count), (3, Some(3)), "{change:?}");
    let again = w.desktop.add_to_basket(P, b.info.id, &records[..1]).await.unwrap();
    assert_eq!((again.changed, again.unchanged), (0, 1), "already there");
    let opened = w.desktop.basket(P, b.info.id).await.unwrap();
    assert_eq!(opened.elements.len(), 3);

    let change = w.desktop.remove_from_basket(P, b.info.id, &[at(f.video_record)]).await.unwrap();
    assert_eq!((change.changed, change.element_count), (1, Some(2)));
    let listed = |list: Vec<BasketSummary>| list.into_iter().find(|x| x.info.id == b.info.id);
    let line = listed(w.desktop.baskets(P).await.unwrap()).expect("in the list");
    assert_eq!(line.element_count, Some(2), "the sidebar count follows");

    let renamed = w.desktop.rename_basket(P, b.info.id, " Autumn ").await.unwrap();
    assert_eq!(renamed.info.name, "Autumn");
    assert!(matches!(w.desktop.rename_basket(P, b.info.id, "  ").await, Err(Error::InvalidInput(_))));
    let described = w.desktop.describe_basket(P, b.info.id, "").await.unwrap();
    assert_eq!(described.info.description, "");

    w.desktop.delete_basket(P, b.info.id).await.unwrap();
    assert!(listed(w.desktop.baskets(P).await.unwrap()).is_none());
    let err = w.desktop.add_to_basket(P, b.info.id, &records).await.unwrap_err();
    assert_eq!(err.code().as_str(), "not-found");
}

#[tokio::test]
async fn baskets_of_others_are_marked_and_their_owner_rule_is_the_servers() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let list = w.desktop.baskets(P).await.unwrap();
    let vote = list.iter().find(|b| b.info.id == f.vote_basket_id).expect("the shared vote basket");
    assert!(!vote.info.own);
    assert!(list.iter().find(|b| b.info.id == f.plain_basket_id).unwrap().info.own);
    let err = w.desktop.rename_basket(P, f.vote_basket_id, "Mine now").await.unwrap_err();
    assert_eq!(err.code().as_str(), "forbidden", "{err}");
    let err = w.desktop.delete_basket(P, f.vote_basket_id).await.unwrap_err();
    assert_eq!(err.code().as_str(), "forbidden");
}

#[tokio::test]
async fn without_api_v2_adding_says_the_server_cannot() {
    let w = world(SimOptions { server_profile: ServerProfile::V38, ..Default::default() }).await;
    let f = w.sim.fixtures().clone();
    assert!(!w.desktop.curation_support(P).await.unwrap().records);
    let err = w.desktop.add_to_basket(P, f.plain_basket_id, &[at(f.image_record)]).await.unwrap_err();
    assert_eq!(err.code().as_str(), "not-supported");
    assert!(w.sim.requests().iter().all(|r| !r.path.starts_with("/api/v2/")), "not even tried");
    // Creating and renaming are v1: they work.
    let b = w.desktop.create_basket(P, "Old server", "").await.unwrap();
    assert_eq!(w.desktop.rename_basket(P, b.info.id, "Still works").await.unwrap().info.name, "Still works");
}

/// A server error leaves the basket as it was and says so; a revoked token ends the session.
#[tokio::test]
async fn a_refusing_server_changes_nothing_and_a_revoked_token_signs_out() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let b = w.desktop.create_basket(P, "Kept", "").await.unwrap();
    w.sim.set_faults(phraseanet_sim::Faults { fail_rate: 1.0, ..Default::default() });
    let err = w.desktop.add_to_basket(P, b.info.id, &[at(f.image_record)]).await.unwrap_err();
    assert_eq!(err.code().as_str(), "server", "{err}");
    assert!(matches!(w.desktop.rename_basket(P, b.info.id, "Other").await, Err(Error::Server { .. })));
    w.sim.set_faults(phraseanet_sim::Faults::default());
    let opened = w.desktop.basket(P, b.info.id).await.unwrap();
    assert!(opened.elements.is_empty());
    assert_eq!(opened.header.info.name, "Kept");

    assert!(w.sim.revoke_token(&f.developer_token));
    let err = w.desktop.add_to_basket(P, b.info.id, &[at(f.image_record)]).await.unwrap_err();
    assert_eq!(err.code().as_str(), "signed-out", "{err}");
}
