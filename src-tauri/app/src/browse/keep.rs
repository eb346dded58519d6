//! "Keep offline" on a basket: its content, every record panel, thumbnail and preview (and, when asked,
//! the originals) fetched into the media cache and pinned there (`DiskCache::pin`), so the basket opens
//! whole without the server and browsing elsewhere never evicts it. Progress goes to the caller as it
//! happens; a keep can be cancelled (what was fetched stays cached, unpinned). The kept baskets are listed
//! per profile in `kept.json` beside the profiles (ids, names, sizes: no secret).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use futures_util::StreamExt;
use phraseanet_client::profile::write_atomic;
use phraseanet_client::{CancellationToken, Error, RecordRef, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::media::MediaPath;
use super::models::MediaKind;
use super::views::View;
use crate::clock::unix_now;
use crate::Desktop;

const FILE: &str = "kept.json";
/// Records fetched at once: each takes media slots of the session's pool, shared with the grid.
const RECORDS_AT_ONCE: usize = 4;

/// A basket kept offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeptBasket {
    pub basket_id: i64,
    pub name: String,
    /// Files pinned (thumbnails, previews, originals).
    pub files: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    pub originals: bool,
    /// When it was last brought up to date, in seconds since 1970 (UTC).
    #[ts(type = "number")]
    pub at: u64,
    /// Records whose media could not all be fetched (kept anyway: the rest is there).
    pub incomplete: u32,
}

/// How a keep is going (sent after each record).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct KeepProgress {
    pub basket_id: i64,
    pub done: u32,
    pub total: u32,
    #[ts(type = "number")]
    pub bytes: u64,
}

type File = BTreeMap<String, BTreeMap<i64, KeptBasket>>;

fn load(dir: &Path) -> File {
    std::fs::read(dir.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

static ONE_EDIT: Mutex<()> = Mutex::new(());

fn edit(dir: &Path, f: impl FnOnce(&mut File)) -> Result<()> {
    let _one = ONE_EDIT.lock().unwrap_or_else(|e| e.into_inner());
    let mut file = load(dir);
    f(&mut file);
    write_atomic(&dir.join(FILE), &serde_json::to_vec_pretty(&file).expect("kept serializes"))
}

/// The cache owner of a profile's kept basket.
fn owner(profile: &str, basket_id: i64) -> String {
    format!("kept|{profile}|basket/{basket_id}")
}

/// Keeps that are running (each with its run number), to cancel them.
#[derive(Default)]
pub(crate) struct Keeping(Mutex<HashMap<(String, i64), (u64, CancellationToken)>>);

static RUNS: AtomicU64 = AtomicU64::new(1);

impl Desktop {
    /// Keeps a basket offline (again: an update), telling `on_progress` after each record.
    pub async fn keep_offline(
        &self,
        profile: &str,
        basket_id: i64,
        originals: bool,
        on_progress: impl Fn(KeepProgress) + Send + Sync,
    ) -> Result<KeptBasket> {
        let state = self.browse_state(profile)?;
        let (cancel, run) = (CancellationToken::new(), RUNS.fetch_add(1, Ordering::Relaxed));
        let key = (profile.to_string(), basket_id);
        // Keeping it again replaces the run under way.
        if let Some((_, old)) =
            self.keeping.0.lock().expect("keeping lock").insert(key.clone(), (run, cancel.clone()))
        {
            old.cancel();
        }
        let result = tokio::select! {
            r = self.keep_all(profile, &state, basket_id, originals, &on_progress) => r,
            _ = cancel.cancelled() => Err(Error::Cancelled),
        };
        let mut running = self.keeping.0.lock().expect("keeping lock");
        if running.get(&key).is_some_and(|(r, _)| *r == run) {
            running.remove(&key);
        }
        result
    }

    async fn keep_all(
        &self,
        profile: &str,
        state: &super::state::BrowseSession,
        basket_id: i64,
        originals: bool,
        on_progress: &(dyn Fn(KeepProgress) + Send + Sync),
    ) -> Result<KeptBasket> {
        let content = state.api.basket(basket_id).await?;
        let name = content.basket.name.clone();
        let view = self.basket_view(profile, state, basket_id, content).await?;
        let disk = state.media.cache();
        let who = owner(profile, basket_id);
        disk.unpin(&who)?;
        let mut views = vec![self.keep_view_now(profile, View::Basket(basket_id), &view).await?];
        let total = view.elements.len() as u32;
        let (mut done, mut incomplete) = (0u32, 0u32);
        let records: Vec<(RecordRef, bool)> =
            view.elements.iter().map(|e| (e.record(), e.kind == MediaKind::Story)).collect();
        let mut each = futures_util::stream::iter(records.iter().copied())
            .map(|(r, story)| self.keep_record(profile, r, story, originals, &who))
            .buffer_unordered(RECORDS_AT_ONCE);
        while let Some(whole) = each.next().await {
            done += 1;
            incomplete += u32::from(!whole?);
            on_progress(KeepProgress { basket_id, done, total, bytes: disk.pinned(&who).bytes });
        }
        drop(each);
        // The saved view's media now include the previews: offline, they resolve without the server.
        let refs: Vec<RecordRef> = records.iter().map(|(r, _)| *r).collect();
        views.push(self.keep_media_now(profile, View::BasketMedia(basket_id), &refs).await?);
        for key in views.into_iter().flatten() {
            disk.pin(&who, &key)?;
        }
        let pinned = disk.pinned(&who);
        let kept = KeptBasket {
            basket_id,
            name,
            files: pinned.files as u32,
            bytes: pinned.bytes,
            originals,
            at: unix_now(),
            incomplete,
        };
        let copy = kept.clone();
        edit(self.config_dir(), |f| {
            f.entry(profile.to_string()).or_default().insert(basket_id, copy);
        })?;
        Ok(kept)
    }

    /// One record's panel and media, pinned. `Ok(false)`: some of it could not be fetched. A signed-out
    /// session or a network failure ends the whole keep.
    async fn keep_record(
        &self,
        profile: &str,
        r: RecordRef,
        story: bool,
        originals: bool,
        who: &str,
    ) -> Result<bool> {
        let mut whole = true;
        let mut wanted = vec![MediaPath::Thumb(r)];
        if !story {
            // The record panel, saved for offline (its embed also tells which media exist).
            let details = self.record(profile, r, None).await?;
            let has = |n: &str| details.subdefs.iter().any(|s| s.name == n);
            let state = self.browse_state(profile)?;
            if let Some(key) = self.keep_view_now(profile, View::Record(r), &details).await? {
                state.media.cache().pin(who, &key)?;
            }
            if has("preview") {
                wanted.push(MediaPath::Sub(r, "preview".into()));
            }
            if originals && has("document") {
                wanted.push(MediaPath::Sub(r, "document".into()));
            }
        }
        let state = self.browse_state(profile)?;
        for path in wanted.iter() {
            let fetched = async {
                let (source, _) = self.media_source(profile, path).await?;
                state.media.fetch(&source).await
            };
            match fetched.await {
                Ok(media) => whole &= state.media.cache().pin(who, &media.key)?,
                Err(e @ (Error::SignedOut | Error::NotSignedIn | Error::Network(_) | Error::Cancelled)) => {
                    return Err(e)
                }
                Err(e) => {
                    tracing::debug!("kept without one media: {}", e.code());
                    whole = false;
                }
            }
        }
        // The record panel's media, now indexed, saved beside it for offline.
        if !story {
            if let Some(key) = self.keep_media_now(profile, View::RecordMedia(r), &[r]).await? {
                state.media.cache().pin(who, &key)?;
            }
        }
        Ok(whole)
    }

    /// Stops a running keep (what was fetched stays cached).
    pub fn cancel_keep(&self, profile: &str, basket_id: i64) {
        if let Some((_, c)) =
            self.keeping.0.lock().expect("keeping lock").remove(&(profile.to_string(), basket_id))
        {
            c.cancel();
        }
    }

    /// The profile's kept baskets, with their current sizes.
    pub fn kept_baskets(&self, profile: &str) -> Vec<KeptBasket> {
        let disk = self.browse.disk().ok().map(|(d, _)| d);
        let mut kept: Vec<KeptBasket> =
            load(self.config_dir()).remove(profile).unwrap_or_default().into_values().collect();
        if let Some(disk) = disk {
            for k in &mut kept {
                let p = disk.pinned(&owner(profile, k.basket_id));
                (k.files, k.bytes) = (p.files as u32, p.bytes);
            }
        }
        kept
    }

    /// No longer keeps the basket: its media go back to the cache's LRU order.
    pub fn forget_offline(&self, profile: &str, basket_id: i64) -> Result<Vec<KeptBasket>> {
        self.cancel_keep(profile, basket_id);
        if let Ok((disk, _)) = self.browse.disk() {
            disk.unpin(&owner(profile, basket_id))?;
        }
        edit(self.config_dir(), |f| {
            if let Some(p) = f.get_mut(profile) {
                p.remove(&basket_id);
            }
        })?;
        Ok(self.kept_baskets(profile))
    }

    /// Forgets every kept basket of a removed profile.
    pub(crate) fn forget_kept_profile(&self, profile: &str) -> Result<()> {
        for k in self.kept_baskets(profile) {
            self.forget_offline(profile, k.basket_id)?;
        }
        Ok(())
    }
}
