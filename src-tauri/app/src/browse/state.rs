//! Per-profile browse state: one shared `Media` (bounded pool + disk cache), `/me/` once per session, and
//! the media index (record + subdef name → `MediaSource`) that the media scheme resolves paths with.
//! Dropped with the session (sign-out, new sign-in, revoked token: `crate::sessions`) so no stale token
//! is ever used.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use phraseanet_client::models::{Me, Subdef};
use phraseanet_client::{
    Api, CancellationToken, DiskCache, Media, MediaOptions, MediaSource, RecordRef, Result, ServerInfo,
};

use super::models::VoteEntry;
use crate::Desktop;

/// Votes of a vote basket's elements, by element id (kept from the last content load).
pub(crate) type BasketVotes = HashMap<i64, Vec<VoteEntry>>;
/// An embed answer and until when it is reused.
type Embeds = HashMap<RecordRef, (Instant, Arc<Vec<Subdef>>)>;

#[derive(Default)]
pub(crate) struct Browse {
    /// Injected by tests; the platform cache dir otherwise.
    cache_dir: Mutex<Option<PathBuf>>,
    /// One disk cache (and size limit) for every profile.
    disk: Mutex<Option<Arc<DiskCache>>>,
}

pub(crate) struct BrowseSession {
    pub api: Api,
    pub media: Media,
    me: tokio::sync::OnceCell<Arc<Me>>,
    /// `/api/` discovery, once per session (which API versions the server has).
    server: tokio::sync::OnceCell<ServerInfo>,
    sources: Mutex<HashMap<(RecordRef, String), MediaSource>>,
    embeds: Mutex<Embeds>,
    counts: Mutex<HashMap<i64, u32>>,
    votes: Mutex<HashMap<i64, Arc<BasketVotes>>>,
    /// The basket content being loaded (one at a time: opening another, or Cancel, abandons it).
    pub loading: Mutex<Option<CancellationToken>>,
}

impl Browse {
    pub(super) fn disk(&self) -> Result<(Arc<DiskCache>, MediaOptions)> {
        let opts = match self.cache_dir.lock().expect("browse lock").clone() {
            Some(dir) => MediaOptions::in_dir(dir),
            None => MediaOptions::default_dirs()?,
        };
        let mut disk = self.disk.lock().expect("browse lock");
        if let Some(d) = disk.as_ref() {
            return Ok((d.clone(), opts));
        }
        let opened = Arc::new(DiskCache::open(&opts.cache_dir, opts.cache_limit)?);
        *disk = Some(opened.clone());
        Ok((opened, opts))
    }
}

impl Desktop {
    /// Where media are cached (default: the platform cache dir). Takes effect for media pipelines
    /// created afterwards; call it before browsing (tests use a temp dir).
    pub fn set_media_cache_dir(&self, dir: impl Into<PathBuf>) {
        *self.browse.cache_dir.lock().expect("browse lock") = Some(dir.into());
        *self.browse.disk.lock().expect("browse lock") = None;
        self.live.clear_browse();
    }

    /// The profile's browse state, created with its session.
    pub(crate) fn browse_state(&self, profile: &str) -> Result<Arc<BrowseSession>> {
        if let Some(s) = self.live.browse(profile) {
            return Ok(s);
        }
        let session = self.session(profile)?;
        let (disk, mut opts) = self.browse.disk()?;
        // Cache entries belong to the profile (one account): kept across its sign-ins, never shared.
        opts.account = Some(profile.to_string());
        // Finished originals are compared with the record's sha256 afterwards (downloads/check.rs).
        opts.hash_downloads = false;
        let api = session.api().clone();
        let state = Arc::new(BrowseSession {
            media: Media::with_cache(api.clone(), disk, opts),
            api,
            me: tokio::sync::OnceCell::new(),
            server: tokio::sync::OnceCell::new(),
            sources: Mutex::default(),
            embeds: Mutex::default(),
            counts: Mutex::default(),
            votes: Mutex::default(),
            loading: Mutex::default(),
        });
        Ok(self.live.keep_browse(profile, state))
    }
}

/// How long an embed answer is reused: its signed URLs' ttl minus a margin, at most 10 minutes.
fn embed_lifetime(subdefs: &[Subdef]) -> Duration {
    let ttl = subdefs.iter().filter_map(|s| s.url_ttl).filter(|t| *t > 0).min().unwrap_or(600);
    Duration::from_secs((ttl - ttl / 10).clamp(0, 600) as u64)
}

impl BrowseSession {
    /// `/me/`, once per session (status labels come from its collections).
    pub async fn me(&self) -> Result<Arc<Me>> {
        self.me.get_or_try_init(|| async { self.api.me().await.map(Arc::new) }).await.cloned()
    }

    /// The server's discovery answer, once per session.
    pub async fn server_info(&self) -> Result<ServerInfo> {
        self.server
            .get_or_try_init(|| phraseanet_client::discover(self.api.server(), self.api.options()))
            .await
            .cloned()
    }

    pub fn index(&self, record: RecordRef, subdef: &Subdef) {
        if let Some(src) = MediaSource::subdef(record, subdef) {
            self.sources.lock().expect("index lock").insert((record, subdef.name.clone()), src);
        }
    }

    /// Indexes many thumbnails under one lock (10,000-element baskets).
    pub fn index_thumbnails<'a>(&self, items: impl Iterator<Item = (RecordRef, &'a Subdef)>) {
        let mut map = self.sources.lock().expect("index lock");
        for (r, sd) in items {
            if let Some(src) = MediaSource::subdef(r, sd) {
                map.insert((r, "thumbnail".to_string()), src);
            }
        }
    }

    pub fn source(&self, record: RecordRef, subdef: &str) -> Option<MediaSource> {
        self.sources.lock().expect("index lock").get(&(record, subdef.to_string())).cloned()
    }

    /// Every indexed media of these records (kept with a saved view, so its media resolve offline).
    pub fn sources_of(&self, records: &[RecordRef]) -> Vec<MediaSource> {
        let wanted: std::collections::HashSet<&RecordRef> = records.iter().collect();
        let map = self.sources.lock().expect("index lock");
        map.iter().filter(|((r, _), _)| wanted.contains(r)).map(|(_, src)| src.clone()).collect()
    }

    /// Puts saved sources back in the index where it has none (fresh ones from the server win).
    pub fn restore_sources(&self, list: Vec<MediaSource>) {
        let mut map = self.sources.lock().expect("index lock");
        for src in list {
            let (Some(r), Some(name)) = (src.record, src.subdef.clone()) else { continue };
            map.entry((r, name)).or_insert(src);
        }
    }

    /// The record's embed (`/records/…/embed/`, or `/stories/…/embed/` for a story), cached for its url
    /// ttl; every subdef lands in the media index.
    pub async fn embed(&self, record: RecordRef, story: bool) -> Result<Arc<Vec<Subdef>>> {
        if let Some((until, e)) = self.embeds.lock().expect("embed lock").get(&record) {
            if Instant::now() < *until {
                return Ok(e.clone());
            }
        }
        let subdefs = if story {
            self.api.story_embed(record).await?
        } else {
            self.api.record_embed(record, None).await?
        };
        Ok(self.keep_embed(record, subdefs))
    }

    /// Sub-definitions just received (from `/embed/` or an extended record): indexed for the media
    /// paths and kept while their signed URLs last.
    pub fn keep_embed(&self, record: RecordRef, subdefs: Vec<Subdef>) -> Arc<Vec<Subdef>> {
        for sd in &subdefs {
            self.index(record, sd);
        }
        let subdefs = Arc::new(subdefs);
        let until = Instant::now() + embed_lifetime(&subdefs);
        self.embeds.lock().expect("embed lock").insert(record, (until, subdefs.clone()));
        subdefs
    }

    pub fn set_count(&self, basket_id: i64, n: u32) {
        self.counts.lock().expect("counts lock").insert(basket_id, n);
    }

    pub fn count(&self, basket_id: i64) -> Option<u32> {
        self.counts.lock().expect("counts lock").get(&basket_id).copied()
    }

    pub fn set_votes(&self, basket_id: i64, votes: BasketVotes) {
        self.votes.lock().expect("votes lock").insert(basket_id, Arc::new(votes));
    }

    pub fn votes(&self, basket_id: i64) -> Option<Arc<BasketVotes>> {
        self.votes.lock().expect("votes lock").get(&basket_id).cloned()
    }

    /// The basket's content changed: its remembered votes are reloaded with it.
    pub fn forget_votes(&self, basket_id: i64) {
        self.votes.lock().expect("votes lock").remove(&basket_id);
    }

    /// The basket is gone.
    pub fn forget_basket(&self, basket_id: i64) {
        self.forget_votes(basket_id);
        self.counts.lock().expect("counts lock").remove(&basket_id);
    }
}
