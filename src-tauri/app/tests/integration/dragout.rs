//! Drag out against the double: the files of the dragged records land in the drag's own folder, named
//! safely (hostile names too, and safe inside a `file://` URI), with progress; stories carry no file.

use std::path::Path;
use std::sync::{Arc, Mutex};

use phraseanet_app::browse::{DragProgress, MediaKind, DRAG_MAX};
use phraseanet_client::{CancellationToken, Error, RecordRef};
use phraseanet_sim::testing::entries;
use phraseanet_sim::{Dataset, SimOptions};

use crate::common::{world, World, P};

/// The records of a basket as the grid shows them (stories included).
async fn basket_records(w: &World, basket: i64) -> (Vec<RecordRef>, usize) {
    let view = w.desktop.basket(P, basket).await.unwrap();
    let files = view.elements.iter().filter(|e| e.kind != MediaKind::Story).count();
    (view.elements.iter().map(|e| RecordRef::new(e.databox_id, e.record_id)).collect(), files)
}

fn recorder() -> (impl Fn(DragProgress) + Send + Sync, Arc<Mutex<Vec<DragProgress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    (move |p| keep.lock().unwrap().push(p), seen)
}

fn assert_fetched(dir: &Path, paths: &[std::path::PathBuf]) {
    for p in paths {
        assert_eq!(p.parent(), Some(dir), "directly in the drag's folder: {p:?}");
        assert!(p.is_file() && std::fs::metadata(p).unwrap().len() > 0, "{p:?}");
        let name = p.file_name().unwrap().to_string_lossy();
        assert!(!name.contains(['%', '#', '?', '/', '\\', '\0']) && !name.ends_with(".part"), "{name:?}");
        assert!(!name.trim_matches(['.', ' ']).is_empty(), "{name:?}");
    }
    let mut unique = paths.to_vec();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), paths.len(), "one file a record");
}

#[tokio::test]
async fn dragged_records_are_fetched_into_the_drag_folder_with_progress() {
    let w = world(SimOptions::default()).await;
    let f = w.sim.fixtures().clone();
    let (records, files) = basket_records(&w, f.plain_basket_id).await;
    assert!(files >= 2 && records.len() > files, "the plain basket has records and a story");
    let dir = w.dir.path().join("drag-1");
    let (progress, seen) = recorder();
    let paths = w.desktop.prepare_drag(P, &records, &dir, progress, &CancellationToken::new()).await.unwrap();
    assert_eq!(paths.len(), files, "stories carry no file");
    assert_fetched(&dir, &paths);
    assert_eq!(entries(&dir).len(), files, "nothing else in the folder");

    let seen = seen.lock().unwrap();
    let last = seen.last().expect("progress");
    assert_eq!((last.done, last.total), (files as u32, files as u32));
    assert!(last.received > 0);
    assert_eq!(seen.first().map(|p| p.done), Some(0), "told before the first file");
    assert!(seen.windows(2).all(|p| p[0].done <= p[1].done), "never backwards");
}

#[tokio::test]
async fn hostile_names_stay_in_the_drag_folder_and_safe_in_a_uri() {
    let w = world(SimOptions { dataset: Dataset::Hostile, ..Default::default() }).await;
    let f = w.sim.fixtures().clone();
    let mut records = Vec::new();
    let mut files = 0;
    for basket in [f.plain_basket_id, f.media_basket_id] {
        let (r, n) = basket_records(&w, basket).await;
        records.extend(r);
        files += n;
    }
    let outer = w.dir.path().join("outer");
    let dir = outer.join("drag");
    let (progress, _) = recorder();
    let paths = w.desktop.prepare_drag(P, &records, &dir, progress, &CancellationToken::new()).await.unwrap();
    assert!(paths.len() >= 4 && paths.len() <= files, "{} files of {files}", paths.len());
    assert_fetched(&dir, &paths);
    assert_eq!(entries(&outer), vec![dir.clone()], "nothing written beside the folder");
    println!("hostile drag: {:?}", paths.iter().map(|p| p.file_name().unwrap()).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_drag_of_too_many_or_unknown_records_fails_whole() {
    let w = world(SimOptions::default()).await;
    let dir = w.dir.path().join("drag");
    let many = vec![RecordRef::new(1, 1); DRAG_MAX + 1];
    let (progress, _) = recorder();
    let e = w.desktop.prepare_drag(P, &many, &dir, progress, &CancellationToken::new()).await.unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");

    let (progress, _) = recorder();
    let gone = [RecordRef::new(1, 999_999)];
    assert!(w.desktop.prepare_drag(P, &gone, &dir, progress, &CancellationToken::new()).await.is_err());

    let cancel = CancellationToken::new();
    cancel.cancel();
    let (progress, _) = recorder();
    let records =
        [RecordRef::new(w.sim.fixtures().image_record.databox_id, w.sim.fixtures().image_record.record_id)];
    let e = w.desktop.prepare_drag(P, &records, &dir, progress, &cancel).await.unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e:?}");
}
