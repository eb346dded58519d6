//! "Download all" as a zip against the double: the files go through a hidden staging folder, then one
//! zip holds the same tree the folder download makes (story folders, sanitized hostile names); cancel
//! removes everything it started, and nothing is left beside the zip.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use phraseanet_app::browse::{DownloadEvent, DownloadEventKind, DownloadKind, DownloadState};
use phraseanet_sim::testing::entries;
use phraseanet_sim::{Dataset, Faults, SimOptions};
use tokio::sync::mpsc;

use crate::browse_media::{files_under, listener};
use crate::common::{world, P};

/// Every (path, bytes) in the zip, sorted.
fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out: Vec<_> = (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut body = Vec::new();
            f.read_to_end(&mut body).unwrap();
            (f.name().unwrap().into_owned(), body)
        })
        .collect();
    out.sort();
    out
}

/// The final event of each of `ids`, in the order of `ids`.
async fn ends(rx: &mut mpsc::UnboundedReceiver<DownloadEvent>, ids: &[u64]) -> Vec<DownloadEvent> {
    let mut last = std::collections::HashMap::new();
    while last.len() < ids.len() {
        let e = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.expect("an event").unwrap();
        if ids.contains(&e.item.id)
            && !matches!(
                e.kind,
                DownloadEventKind::Queued | DownloadEventKind::Progress | DownloadEventKind::Checked
            )
        {
            last.insert(e.item.id, e);
        }
    }
    ids.iter().map(|id| last.remove(id).unwrap()).collect()
}

#[tokio::test]
async fn a_basket_as_a_zip_holds_the_tree_the_folder_download_makes() {
    for dataset in [Dataset::Demo, Dataset::Hostile] {
        let w = world(SimOptions { dataset, ..Default::default() }).await;
        let basket = w.sim.fixtures().media_basket_id;
        let (as_folder, as_zip) = (w.dir.path().join("folder"), w.dir.path().join("zip"));
        let (on_event, mut rx) = listener();
        let ids =
            w.desktop.download_basket(P, basket, Some(as_folder.clone()), false, on_event).await.unwrap();
        assert!(ends(&mut rx, &ids).await.iter().all(|e| e.kind == DownloadEventKind::Done));
        let [tree] = entries(&as_folder).try_into().expect("one basket folder");

        let (on_event, mut rx) = listener();
        let ids = w.desktop.download_basket(P, basket, Some(as_zip.clone()), true, on_event).await.unwrap();
        assert_eq!(ids.len(), files_under(&tree).len() + 1, "{dataset:?}: a file each, then the zip");
        let last = ends(&mut rx, &ids).await;
        assert!(
            last.iter().all(|e| e.kind == DownloadEventKind::Done),
            "{:?}",
            last.iter().map(|e| &e.item.error).collect::<Vec<_>>()
        );
        let archive = last.iter().find(|e| e.item.kind == DownloadKind::Archive).unwrap();
        assert_eq!(archive.item.job, last[0].item.job, "the zip is part of the basket's job");
        let zip = Path::new(archive.item.path.as_deref().unwrap());
        assert_eq!(entries(&as_zip), vec![zip.to_path_buf()], "{dataset:?}: the zip alone, no staging left");
        assert_eq!(
            zip.file_name().unwrap().to_string_lossy(),
            format!("{}.zip", tree.file_name().unwrap().to_string_lossy())
        );
        assert_eq!(archive.item.received, std::fs::metadata(zip).unwrap().len());

        let expected: Vec<(String, Vec<u8>)> = {
            let mut v: Vec<_> = files_under(&tree)
                .into_iter()
                .map(|p| {
                    let rel = p.strip_prefix(&tree).unwrap().components();
                    let rel = rel
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    (rel, std::fs::read(&p).unwrap())
                })
                .collect();
            v.sort();
            v
        };
        let got = zip_entries(zip);
        assert_eq!(
            got.iter().map(|e| &e.0).collect::<Vec<_>>(),
            expected.iter().map(|e| &e.0).collect::<Vec<_>>()
        );
        assert!(got == expected, "{dataset:?}: the same bytes as the folder download");
        assert!(got
            .iter()
            .all(|(n, _)| !n.starts_with('/') && !n.split('/').any(|c| c == ".." || c.is_empty())));
        println!("{dataset:?}: {} entries in {}", got.len(), zip.display());
    }
}

#[tokio::test]
async fn cancelling_the_zip_cancels_its_files_and_leaves_nothing() {
    let faults = Faults { slow_body: Some(Duration::from_millis(40)), ..Default::default() };
    let w = world(SimOptions { faults, ..Default::default() }).await;
    let basket = w.sim.fixtures().media_basket_id;
    let to = w.dir.path().join("zip");
    let (on_event, mut rx) = listener();
    let ids = w.desktop.download_basket(P, basket, Some(to.clone()), true, on_event).await.unwrap();
    let zip_id = *ids.last().unwrap();
    w.desktop.cancel_download(zip_id);
    let last = ends(&mut rx, &ids).await;
    assert!(
        last.iter().all(|e| e.kind == DownloadEventKind::Cancelled),
        "{:?}",
        last.iter().map(|e| e.kind).collect::<Vec<_>>()
    );
    // The staging folder goes once the running transfers have stopped.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !entries(&to).is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(entries(&to).is_empty(), "nothing left: {:?}", entries(&to));
    let item = w.desktop.retry_download(zip_id).await.unwrap();
    assert_eq!(item.state, DownloadState::Cancelled, "a given-up zip has nothing to pack");
}

/// The zip, and the views the app keeps (a search's first page, the record's page for "Open in
/// Phraseanet"), on the servers in the field: older versions (the token as a parameter), Apache
/// dropping the header, a proxy answering 429.
#[tokio::test]
async fn the_zip_and_the_kept_views_work_on_every_server_profile_and_deployment() {
    use phraseanet_app::browse::{SearchRequest, WebTarget};
    for (server_profile, behind) in crate::common::FIELD_SERVERS {
        let case = format!("{server_profile:?} behind {behind:?}");
        let w = world(SimOptions { server_profile, behind, ..Default::default() }).await;
        let basket = w.sim.fixtures().media_basket_id;
        let to = w.dir.path().join("zip");
        let (on_event, mut rx) = listener();
        let ids = w.desktop.download_basket(P, basket, Some(to.clone()), true, on_event).await.unwrap();
        let last = ends(&mut rx, &ids).await;
        assert!(
            last.iter().all(|e| e.kind == DownloadEventKind::Done),
            "{case}: {:?}",
            last.iter().map(|e| &e.item.error).collect::<Vec<_>>()
        );
        let zip = last.last().unwrap().item.path.clone().unwrap();
        assert_eq!(zip_entries(Path::new(&zip)).len(), ids.len() - 1, "{case}");

        let request = SearchRequest { query: "festival".into(), ..Default::default() };
        let page = w.desktop.run_search(P, &request).await.unwrap_or_else(|e| panic!("{case}: {e}"));
        let first = page.items.first().unwrap_or_else(|| panic!("{case}: no hits"));
        let target = WebTarget::Record { databox_id: first.databox_id, record_id: first.record_id };
        let url = w.desktop.phraseanet_url(P, target).await.unwrap_or_else(|e| panic!("{case}: {e}"));
        assert!(url.starts_with(w.sim.url().trim_end_matches('/')), "{case}: {url}");
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while w.desktop.cached_search(P, &request).await.is_none() {
            assert!(std::time::Instant::now() < deadline, "{case}: the page was never kept");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(w.desktop.cached_search(P, &request).await.unwrap().value, page, "{case}");
    }
}
