//! Where each profile left off: the place it showed (basket, search, collection, feed or home), the
//! scroll position and the selection, so the app reopens there after sign-in, a relaunch or a profile
//! switch. Kept in `last-views.json` beside the profiles (no secret: ids and the search form). A damaged
//! file means "nowhere yet", never a blocked start.

use std::collections::BTreeMap;
use std::path::Path;

use phraseanet_client::profile::write_atomic;
use phraseanet_client::Result;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::search::SearchRequest;
use crate::Desktop;

const FILE: &str = "last-views.json";

/// What the main view showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export)]
pub enum Place {
    Home,
    Basket {
        basket_id: i64,
    },
    /// Boxed: the search form is much larger than the other places.
    Search {
        request: Box<SearchRequest>,
    },
    Collection {
        base_id: i64,
    },
    /// `None`: every feed together.
    Feed {
        feed_id: Option<i64>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LastView {
    pub place: Place,
    /// The grid's scroll offset in CSS pixels.
    pub scroll: f64,
    /// The selected cell's index in the grid.
    pub selected: Option<u32>,
}

type File = BTreeMap<String, LastView>;

fn load(dir: &Path) -> File {
    std::fs::read(dir.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

static ONE_EDIT: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn edit(dir: &Path, f: impl FnOnce(&mut File) -> bool) -> Result<()> {
    let _one = ONE_EDIT.lock().unwrap_or_else(|e| e.into_inner());
    let mut file = load(dir);
    if f(&mut file) {
        write_atomic(&dir.join(FILE), &serde_json::to_vec_pretty(&file).expect("views serialize"))?;
    }
    Ok(())
}

/// Forgets a profile's place (the profile was removed, or now points at another server).
pub(crate) fn forget(dir: &Path, profile: &str) -> Result<()> {
    edit(dir, |file| file.remove(profile).is_some())
}

impl Desktop {
    pub fn remember_view(&self, profile: &str, view: LastView) -> Result<()> {
        let mut view = view;
        // Only the search form is worth keeping: the page is found again by the scroll position.
        if let Place::Search { request } = &mut view.place {
            **request = request.first_page();
        }
        if !view.scroll.is_finite() || view.scroll < 0.0 {
            view.scroll = 0.0;
        }
        edit(self.config_dir(), |file| {
            let same = file.get(profile) == Some(&view);
            file.insert(profile.to_string(), view);
            !same
        })
    }

    pub fn last_view(&self, profile: &str) -> Option<LastView> {
        load(self.config_dir()).remove(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_tagged_for_the_ui() {
        let view = LastView { place: Place::Basket { basket_id: 7 }, scroll: 120.5, selected: Some(3) };
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["place"], serde_json::json!({"kind": "basket", "basket_id": 7}));
        let feed: LastView =
            serde_json::from_str(r#"{"place":{"kind":"feed","feed_id":null},"scroll":0,"selected":null}"#)
                .unwrap();
        assert_eq!(feed.place, Place::Feed { feed_id: None });
    }

    #[test]
    fn each_profile_keeps_its_own_place_and_a_damaged_file_is_nowhere() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"{oops").unwrap();
        assert!(load(dir.path()).is_empty());
        let at = |id| LastView { place: Place::Basket { basket_id: id }, scroll: 0.0, selected: None };
        edit(dir.path(), |f| f.insert("a".into(), at(1)).is_none()).unwrap();
        edit(dir.path(), |f| f.insert("b".into(), at(2)).is_none()).unwrap();
        forget(dir.path(), "a").unwrap();
        let file = load(dir.path());
        assert_eq!(file.get("b"), Some(&at(2)));
        assert!(!file.contains_key("a"));
    }
}
