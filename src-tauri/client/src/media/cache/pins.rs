//! Media a person asked to keep ("Keep offline" on a basket): pinned under an owner name, they are never
//! evicted nor swept, whatever else is viewed; they still count in the cache's size. `pins.json` maps
//! each owner to the key files and blobs it holds, so pins survive restarts. Unpinning an owner hands its
//! media back to the LRU order.

use std::collections::{BTreeMap, HashSet};
use std::fs;

use serde::{Deserialize, Serialize};

use super::files::{is_hash_name, random_name, write_atomic};
use super::{hex_sha, DiskCache, KeyFile};
use crate::error::Result;

const FILE: &str = "pins.json";

/// owner → (key file name → blob name).
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Pins(BTreeMap<String, BTreeMap<String, String>>);

impl Pins {
    pub(super) fn load(dir: &std::path::Path) -> Pins {
        // A damaged file only loses the pins (the media stay cached, in LRU order).
        let pins: Pins =
            fs::read(dir.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        let valid = |(k, b): (&String, &String)| is_hash_name(k) && is_hash_name(b);
        Pins(
            pins.0
                .into_iter()
                .map(|(o, m)| (o, m.into_iter().filter(|(k, b)| valid((k, b))).collect()))
                .collect(),
        )
    }

    pub(super) fn blobs(&self) -> HashSet<String> {
        self.0.values().flat_map(|m| m.values().cloned()).collect()
    }

    pub(super) fn key_files(&self) -> HashSet<String> {
        self.0.values().flat_map(|m| m.keys().cloned()).collect()
    }
}

/// What an owner holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pinned {
    pub files: usize,
    pub bytes: u64,
}

impl DiskCache {
    fn save_pins(&self, pins: &Pins) -> Result<()> {
        let json = serde_json::to_vec(pins).map_err(|e| crate::Error::Io(e.to_string()))?;
        write_atomic(&self.dir.join("tmp").join(random_name()), &self.dir.join(FILE), &json)
    }

    /// Pins the media stored under `key` for `owner`. False when it is not (or no longer) cached, or
    /// was too large to cache (streamed aside).
    pub fn pin(&self, owner: &str, key: &str) -> Result<bool> {
        let name = hex_sha(key.as_bytes());
        let Some(kf) = fs::read(self.dir.join("keys").join(&name))
            .ok()
            .and_then(|b| serde_json::from_slice::<KeyFile>(&b).ok())
            .filter(|kf| is_hash_name(&kf.blob))
        else {
            return Ok(false);
        };
        let mut st = self.lock();
        if !st.blobs.contains_key(&kf.blob) {
            return Ok(false);
        }
        st.pins.0.entry(owner.to_string()).or_default().insert(name, kf.blob);
        self.save_pins(&st.pins)?;
        Ok(true)
    }

    /// Gives an owner's media back to the LRU order.
    pub fn unpin(&self, owner: &str) -> Result<()> {
        let mut st = self.lock();
        if st.pins.0.remove(owner).is_some() {
            self.save_pins(&st.pins)?;
        }
        Ok(())
    }

    /// Files and bytes an owner holds (a blob shared by two keys counts once).
    pub fn pinned(&self, owner: &str) -> Pinned {
        let st = self.lock();
        let Some(held) = st.pins.0.get(owner) else { return Pinned::default() };
        let blobs: HashSet<&String> = held.values().collect();
        let bytes = blobs.iter().filter_map(|b| st.blobs.get(*b)).map(|e| e.size).sum();
        Pinned { files: held.len(), bytes }
    }
}
