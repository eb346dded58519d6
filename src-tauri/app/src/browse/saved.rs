//! Saved and recent searches, per profile, in `searches.json` beside the profiles (no secret in them:
//! only what the search form held). A damaged file means "none yet", never a blocked start.

use std::collections::BTreeMap;
use std::path::Path;

use phraseanet_client::profile::write_atomic;
use phraseanet_client::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::search::{SearchPage, SearchRequest};
use crate::clock::unix_now;
use crate::Desktop;

/// Recent searches kept per profile, newest first.
pub const RECENT_MAX: usize = 12;
/// Saved searches per profile: a list a person can still read in a sidebar.
pub const SAVED_MAX: usize = 100;
const NAME_MAX: usize = 120;
const FILE: &str = "searches.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedSearch {
    /// Stable within the profile (saved ones only; recent ones have 0).
    pub id: u32,
    pub name: String,
    pub request: SearchRequest,
    /// When saved or last run, in seconds since 1970 (UTC).
    #[ts(type = "number")]
    pub at: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SearchLists {
    pub saved: Vec<SavedSearch>,
    pub recent: Vec<SavedSearch>,
}

type File = BTreeMap<String, SearchLists>;

fn load(dir: &Path) -> File {
    std::fs::read(dir.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

fn save(dir: &Path, file: &File) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(file).expect("searches serialize");
    write_atomic(&dir.join(FILE), &bytes)
}

/// What a search is called in the recent list: its query and filters as typed.
fn label(request: &SearchRequest) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !request.query.trim().is_empty() {
        parts.push(request.query.trim().to_string());
    }
    parts.extend(request.filters.iter().map(|f| format!("{}: {}", f.facet, f.value)));
    parts.join(" · ")
}

static ONE_EDIT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Edits one profile's lists and writes them back.
fn edit<T>(
    dir: &Path,
    profile: &str,
    f: impl FnOnce(&mut SearchLists) -> Result<T>,
) -> Result<(T, SearchLists)> {
    let mut file = load(dir);
    let lists = file.entry(profile.to_string()).or_default();
    let out = f(lists)?;
    let copy = lists.clone();
    save(dir, &file)?;
    Ok((out, copy))
}

pub(crate) fn remember(dir: &Path, profile: &str, request: &SearchRequest) -> Result<()> {
    let request = request.first_page();
    edit(dir, profile, |lists| {
        lists.recent.retain(|r| r.request != request);
        lists.recent.insert(0, SavedSearch { id: 0, name: label(&request), request, at: unix_now() });
        lists.recent.truncate(RECENT_MAX);
        Ok(())
    })
    .map(|_| ())
}

/// Forgets a profile's searches (the profile was removed, or now points at another server).
pub(crate) fn forget(dir: &Path, profile: &str) -> Result<()> {
    let _one = ONE_EDIT.lock().unwrap_or_else(|e| e.into_inner());
    let mut file = load(dir);
    if file.remove(profile).is_some() {
        save(dir, &file)?;
    }
    Ok(())
}

impl Desktop {
    /// The search form's search: one page of `request`, and (a first page the person typed or
    /// filtered) kept among the recent searches.
    pub async fn run_search(&self, profile: &str, request: &SearchRequest) -> Result<SearchPage> {
        let page = self.search_with(profile, request).await?;
        self.keep_search(profile, request, &page);
        if request.offset == 0 && request.is_typed() {
            // Losing the recent list is not worth failing a search for.
            if let Err(e) = remember(self.config_dir(), profile, request) {
                tracing::warn!("recent searches not kept: {e}");
            }
        }
        Ok(page)
    }

    pub fn searches(&self, profile: &str) -> SearchLists {
        load(self.config_dir()).remove(profile).unwrap_or_default()
    }

    /// Saves `request` under `name`; a search with the same name is replaced (renamed in place).
    pub fn save_search(&self, profile: &str, name: &str, request: &SearchRequest) -> Result<SearchLists> {
        let name: String = name.trim().chars().filter(|c| !c.is_control()).take(NAME_MAX).collect();
        if name.is_empty() {
            return Err(Error::InvalidInput("A saved search needs a name.".into()));
        }
        let request = request.first_page();
        edit(self.config_dir(), profile, |lists| {
            if let Some(same) = lists.saved.iter_mut().find(|s| s.name == name) {
                same.request = request;
                same.at = unix_now();
                return Ok(());
            }
            if lists.saved.len() >= SAVED_MAX {
                return Err(Error::InvalidInput(format!(
                    "You have {SAVED_MAX} saved searches: delete one to save another."
                )));
            }
            let id = lists.saved.iter().map(|s| s.id).max().unwrap_or(0) + 1;
            lists.saved.push(SavedSearch { id, name, request, at: unix_now() });
            Ok(())
        })
        .map(|(_, lists)| lists)
    }

    pub fn delete_saved_search(&self, profile: &str, id: u32) -> Result<SearchLists> {
        edit(self.config_dir(), profile, |lists| {
            lists.saved.retain(|s| s.id != id);
            Ok(())
        })
        .map(|(_, lists)| lists)
    }

    pub fn clear_recent_searches(&self, profile: &str) -> Result<SearchLists> {
        edit(self.config_dir(), profile, |lists| {
            lists.recent.clear();
            Ok(())
        })
        .map(|(_, lists)| lists)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browse::search::SearchFilter;

    fn req(q: &str) -> SearchRequest {
        SearchRequest { query: q.into(), offset: 50, per_page: 50, ..Default::default() }
    }

    #[test]
    fn recent_searches_are_deduplicated_newest_first_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..RECENT_MAX + 3 {
            remember(dir.path(), "p", &req(&format!("q{i}"))).unwrap();
        }
        remember(dir.path(), "p", &req("q5")).unwrap();
        let lists = load(dir.path()).remove("p").unwrap();
        assert_eq!(lists.recent.len(), RECENT_MAX);
        assert_eq!(lists.recent[0].name, "q5");
        assert_eq!(lists.recent.iter().filter(|r| r.name == "q5").count(), 1);
        assert_eq!(lists.recent[0].request.offset, 0, "kept from the first page");
    }

    #[test]
    fn a_label_names_the_query_and_the_filters() {
        let mut r = req("sunset");
        r.filters.push(SearchFilter {
            facet: "Type".into(),
            value: "video".into(),
            query: "type:video".into(),
        });
        assert_eq!(label(&r), "sunset · Type: video");
    }

    #[test]
    fn a_damaged_file_means_no_searches_and_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"{not json").unwrap();
        assert!(load(dir.path()).is_empty());
        remember(dir.path(), "p", &req("x")).unwrap();
        assert_eq!(load(dir.path())["p"].recent.len(), 1);
    }

    #[test]
    fn forgetting_a_profile_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        remember(dir.path(), "a", &req("x")).unwrap();
        remember(dir.path(), "b", &req("y")).unwrap();
        forget(dir.path(), "a").unwrap();
        let file = load(dir.path());
        assert!(!file.contains_key("a") && file.contains_key("b"));
    }
}
